"""Views, search and macros in the console: the sidebar's counts agree with the service, a view
is one key and Enter away, a bad search points at the word, a macro is previewed and undone in
one go."""

from __future__ import annotations

import io
from pathlib import Path

from agentconsole.clock import FixedClock
from agentconsole.config_triage import Macro, SavedView
from agentconsole.demo import DEMO_NOW
from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.tui.app import AgentConsoleApp, make_console
from agentconsole.tui.screens.macro_preview import MacroPreview
from agentconsole.tui.screens.main import MainScreen
from tests.tui.conftest import demo_settings
from tests.tui.pilot import settle, wait_for

WIDE = (120, 40)


def main(app: AgentConsoleApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def test_the_sidebar_counts_every_view_and_enter_shows_one(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await wait_for(pilot, lambda: bool(screen.views.counts))
        for view in services.views.views():
            assert screen.views.counts[view.name] == services.inbox.count(
                view.inbox_view("mara")
            ), view.name
        await pilot.press("v")
        assert screen.views.has_focus and screen.query_one("#views-pane").display
        names = [v.name for v in screen.views.views]
        for _ in range(names.index("Closed")):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.inbox.has_focus
        assert screen.inbox.view.title == "Closed"
        assert screen.inbox.count == screen.views.counts["Closed"]
        assert all(screen.inbox.row(i).status == "closed" for i in range(3))  # type: ignore[union-attr]


async def test_search_narrows_the_view_and_a_bad_query_points_at_the_word(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("slash", *"status:open")
        await settle(pilot)
        expected = services.inbox.count(
            InboxView(statuses=("open", "pending"), search="status:open")
        )
        assert screen.inbox.count == expected
        await pilot.press(*" form:anna")
        await settle(pilot)
        assert "unknown field 'form:'" in str(screen.search_box.border_subtitle)
        assert "did you mean from:" in str(screen.search_box.border_subtitle)
        last_good = services.inbox.count(  # typed a letter at a time: "status:open form"
            InboxView(statuses=("open", "pending"), search="status:open form")
        )
        assert screen.inbox.count == last_good  # the last good results stay
        await pilot.press("ctrl+u")  # (the field cleared) and a good query again
        await pilot.press(*"status:open")
        await settle(pilot)
        assert screen.search_box.border_subtitle == ""
        assert screen.inbox.count == expected


async def test_a_macro_is_previewed_then_runs_and_one_undo_takes_it_back(home: Path) -> None:
    settings = demo_settings(home).model_copy(
        update={
            "macros": [
                Macro(name="Wait for supplier", key="M", tags=["supplier"], status="pending"),
            ],
            "views": [SavedView(name="Supplier", query="tag:supplier")],
        }
    )
    services = Services.open(settings, FixedClock(DEMO_NOW))
    first, second = services.inbox.page(InboxView(), 0, 2)
    app = make_console(services)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("space", "space", "M")
        await settle(pilot)
        assert isinstance(app.screen, MacroPreview)
        assert "status → pending" in app.screen.plan.steps
        assert app.screen.plan.conversation_ids == (first.id, second.id)
        await pilot.press("enter")
        await settle(pilot)
        for cid in (first.id, second.id):
            summary = services.inbox.summary(cid)
            assert summary is not None and summary.status == "pending"
            assert "supplier" in summary.tags
        await wait_for(pilot, lambda: screen.views.counts.get("Supplier") == 2)
        await pilot.press("U")
        await settle(pilot)
        for row in (first, second):
            summary = services.inbox.summary(row.id)
            assert summary is not None and summary.status == row.status
            assert "supplier" not in summary.tags
    services.close()


async def test_help_lists_the_macro_keys_literally(home: Path) -> None:
    """``?`` lists every macro bound to a key, its name from the config shown as written
    (never read as markup); a macro whose key is taken is not listed under it."""
    from agentconsole.tui.screens.help import HelpScreen

    settings = demo_settings(home).model_copy(
        update={
            "macros": [
                Macro(name="Wait for [bold]supplier[/]", key="M", status="pending"),
                Macro(name="Clashes with close", key="x", status="closed"),
            ],
        }
    )
    services = Services.open(settings, FixedClock(DEMO_NOW))
    app = make_console(services)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.table)
        shown = [line.strip() for line in console.export_text().splitlines()]
        assert any(
            line.startswith("M") and "Macro: Wait for [bold]supplier[/]" in line for line in shown
        ), shown
        assert not any("Clashes with close" in line for line in shown)
    services.close()


async def test_typing_never_waits_for_a_search_and_the_latest_one_is_shown(
    app: AgentConsoleApp, services: Services
) -> None:
    """Each keystroke's search runs in a worker, so the UI thread goes on taking keys; of a
    burst of edits only the last search reaches the list."""
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        shown: list[str] = []
        load_view = screen._load_view

        def recording(view, typed=""):  # type: ignore[no-untyped-def]
            shown.append(typed)
            return load_view(view, typed)

        screen._load_view = recording  # type: ignore[method-assign]
        await pilot.press("slash")
        for end in range(1, len("teapot") + 1):  # a burst: six edits before any is handled
            screen.search_box.value = "teapot"[:end]
        await settle(pilot)
        assert shown == ["teapot"]  # the five superseded searches never reached the list
        assert screen.inbox.view.search == "teapot"
        assert screen.inbox.count == services.inbox.count(
            InboxView(statuses=("open", "pending"), search="teapot")
        )
