"""The console driven by Pilot: keys in, panes, store rows and events out."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from agentconsole.clock import FixedClock
from agentconsole.demo import DEMO_NOW
from agentconsole.demo.hostile import HOSTILE_BODY, HOSTILE_NAME, HOSTILE_SUBJECT
from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.store.db import Store
from agentconsole.tui.app import AgentConsoleApp, make_console
from agentconsole.tui.screens.help import HelpScreen
from agentconsole.tui.screens.main import MainScreen
from tests.tui.conftest import demo_settings
from tests.tui.pilot import settle, wait_for

WIDE = (120, 40)
NARROW = (80, 24)


def main(app: AgentConsoleApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def plain(widget_text: object) -> str:
    return getattr(widget_text, "plain", str(widget_text))


def inbox_lines(screen: MainScreen) -> list[str]:
    height = screen.inbox.scrollable_content_region.height
    return ["".join(seg.text for seg in screen.inbox.render_line(y)) for y in range(height)]


async def test_every_pane_is_filled_on_start(app: AgentConsoleApp, services: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        first = services.inbox.page(InboxView(), 0, 1)[0]
        assert screen.inbox.count == services.inbox.count(InboxView()) > 100
        assert screen.inbox.current is not None and screen.inbox.current.id == first.id
        # Due times arrive from housekeeping just after the first frame; the row follows.
        await wait_for(
            pilot, lambda: screen.inbox.current == services.inbox.page(InboxView(), 0, 1)[0]
        )
        assert first.waiting_since is not None  # longest-waiting first
        assert screen.thread.detail is not None and screen.thread.detail.summary.id == first.id
        assert screen.customer.profile is not None
        assert screen.customer.profile.id == first.customer_id
        assert screen.replies.templates, "canned replies listed"
        language = services.replies.language(first.id)
        assert screen.replies.templates[0].language == language.language
        body = plain(screen.thread.query_one("#thread-body").render())
        assert first.subject.split()[0] in body
        assert screen.inbox.has_focus
        lines = inbox_lines(screen)
        assert (
            sum(1 for line in lines if line.strip())
            == screen.inbox.scrollable_content_region.height
        )


async def test_inbox_pages_instead_of_loading_everything(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        held = sum(len(rows) for rows in screen.inbox._pages.values())
        assert held <= 100 < screen.inbox.count
        await pilot.press("G")
        await settle(pilot)
        last = services.inbox.page(InboxView(), screen.inbox.count - 1, 1)[0]
        assert screen.inbox.current == last
        assert screen.thread.detail is not None and screen.thread.detail.summary.id == last.id


async def test_j_and_k_move_and_refill_the_panes(app: AgentConsoleApp, services: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        rows = services.inbox.page(InboxView(), 0, 3)
        await pilot.press("j", "j")
        await settle(pilot)
        assert screen.inbox.cursor == 2
        assert screen.thread.detail is not None
        assert screen.thread.detail.summary.id == rows[2].id
        assert screen.customer.profile is not None
        assert screen.customer.profile.id == rows[2].customer_id
        await pilot.press("k")
        await settle(pilot)
        assert screen.thread.detail.summary.id == rows[1].id


async def test_tab_walks_the_panes(app: AgentConsoleApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        seen = []
        for _ in range(5):
            seen.append(screen._pane_of(app.focused))
            await pilot.press("tab")
        assert seen == ["inbox", "thread", "customer", "replies", "orders"]
        assert screen._pane_of(app.focused) == "inbox"
        await pilot.press("shift+tab")
        assert screen._pane_of(app.focused) == "orders"
        await pilot.press("escape")
        await pilot.click("#inbox")
        await pilot.press("3")
        assert screen._pane_of(app.focused) == "customer"


async def test_narrow_terminal_shows_the_pane_in_use(app: AgentConsoleApp) -> None:
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main(app)
        assert screen.has_class("-narrow")
        visible = [
            p
            for p in ("thread", "customer", "replies", "orders")
            if screen.query_one(f"#{p}-pane").display and screen.query_one(f"#{p}-pane").region.area
        ]
        assert visible == ["thread"]
        await pilot.press("3")
        await pilot.pause()
        assert screen.query_one("#customer-pane").region.area > 0
        assert screen.query_one("#thread-pane").region.area == 0
        assert screen.query_one("#inbox-pane").region.area > 0


async def test_search_filters_the_inbox(app: AgentConsoleApp, services: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        total = screen.inbox.count
        await pilot.press("slash")
        assert screen.search_box.has_focus
        await pilot.press(*"teapot")
        await settle(pilot)
        expected = services.inbox.count(InboxView(search="teapot"))
        assert 0 < screen.inbox.count == expected < total
        await pilot.press("enter")
        assert screen.inbox.has_focus
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert screen.inbox.count == total


async def test_help_lists_every_action(app: AgentConsoleApp) -> None:
    from agentconsole.tui import keymap

    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.table
        rows = [str(c) for col in table.columns for c in col._cells]  # type: ignore[attr-defined]
        for action in keymap.ACTIONS:
            assert action.id in rows
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_order_lookup_by_number(app: AgentConsoleApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("o")
        assert screen.orders.lookup.has_focus
        await pilot.press(*"#1001", "enter")
        await pilot.pause()
        assert screen.orders.detail is not None and screen.orders.detail.name == "#1001"
        body = plain(screen.orders.body.render())
        assert "#1001" in body and "Total" in body
        # Another process writes (a sync): the panes reload, the looked-up order stays.
        screen.reload()
        screen.load_context(screen.summary)
        await settle(pilot)
        assert screen.orders.detail is not None and screen.orders.detail.name == "#1001"
        screen.orders.lookup.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"99999", "enter")
        await pilot.pause()
        assert screen.orders.detail is None
        assert "No order 99999" in plain(screen.orders.body.render())


async def test_hostile_text_is_shown_literally_everywhere(app: AgentConsoleApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("a", "slash", *"Hacker", "enter")
        await settle(pilot)
        assert screen.inbox.count >= 1
        assert screen.inbox.current is not None
        assert screen.inbox.current.customer_name == HOSTILE_NAME
        row = inbox_lines(screen)[0]
        thread = plain(screen.thread.query_one("#thread-body").render())
        customer = plain(screen.customer.query_one("#customer-body").render())
        for shown in (row, thread, customer):
            assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
        assert "[bold red]Hacker[/]" in customer
        assert "Eve [bold" in row and "[link=https" in row
        assert "[link=https://evil.example]" in thread
        assert "[bold red]x[/]" in thread
        assert "␛[2J" in thread  # the escape is visible, not executed
        assert HOSTILE_SUBJECT.split("\x1b")[0].strip() in thread
        assert "]52;c;" in thread and HOSTILE_BODY.count("\x1b") > 0


async def test_console_notices_writes_by_another_process(home: Path, services: Services) -> None:
    app = make_console(services)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        before = screen.inbox.count
        other = Store(home / "store.db")
        with other.session() as session:
            session.execute(
                text("UPDATE conversation SET status='closed' WHERE id = :id"),
                {"id": screen.inbox.current.id},
            )  # type: ignore[union-attr]
        other.close()
        screen._poll_store()
        await settle(pilot)
        assert screen.inbox.count == before - 1


async def test_key_overrides_from_config(home: Path) -> None:
    services = Services.open(
        demo_settings(home, {"inbox.down": "n", "nonsense.id": "x"}), FixedClock(DEMO_NOW)
    )
    app = make_console(services)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("n")
        await settle(pilot)
        assert screen.inbox.cursor == 1
        assert any("nonsense.id" in str(n.message) for n in app._notifications)
    services.close()


async def test_palette_runs_actions(app: AgentConsoleApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to customer")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen._pane_of(app.focused) == "customer"


async def test_star_flags_and_unflags_the_conversation(
    app: AgentConsoleApp, services: Services
) -> None:
    def flagged(conversation_id: int) -> bool:
        summary = services.inbox.summary(conversation_id)
        return summary is not None and summary.flagged

    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        first = screen.inbox.current
        assert first is not None and not first.flagged
        await pilot.press("asterisk")
        await wait_for(pilot, lambda: screen.inbox.current and screen.inbox.current.flagged)
        assert flagged(first.id)
        assert "★" in inbox_lines(screen)[0]
        await pilot.press("asterisk")
        await wait_for(pilot, lambda: screen.inbox.current and not screen.inbox.current.flagged)
        assert not flagged(first.id)
        assert "★" not in inbox_lines(screen)[0]
