"""The canned-replies pane and the knowledge base from the console: the reply language in the
title, suggestions for what the customer asked, and templates edited in the console or in
``$EDITOR`` (the files on disk change, the index follows, the list shows it).
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from agentconsole.services.context import Services
from agentconsole.tui.app import AgentConsoleApp
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.main import MainScreen
from agentconsole.tui.screens.template_editor import TemplateEditorScreen
from agentconsole.tui.widgets.replies_panel import ALL, SUGGESTED
from tests.tui.pilot import settle, wait_for

WIDE = (120, 40)
NARROW = (80, 24)
QUESTION = "Wo bleibt meine Bestellung"
TITLE = "title: Wo ist meine Bestellung?"


def main(app: AgentConsoleApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen), type(app.screen).__name__
    return app.screen


def editor(app: AgentConsoleApp) -> TemplateEditorScreen:
    assert isinstance(app.screen, TemplateEditorScreen), type(app.screen).__name__
    return app.screen


def plain(widget: Static) -> str:
    shown = widget.render()
    return getattr(shown, "plain", str(shown))


def notes(app: AgentConsoleApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def german_question(services: Services) -> int:
    with services.store.read() as db:
        row = db.first(
            "SELECT id FROM conversation WHERE subject LIKE :s ORDER BY id LIMIT 1",
            {"s": f"{QUESTION}%"},
        )
    assert row is not None, "the demo has a German 'where is my order'"
    return int(row.id)


async def open_question(pilot: Pilot[None], services: Services) -> MainScreen:
    """The German question highlighted, its panes loaded, the template list focused."""
    await settle(pilot)
    screen = main(pilot.app)  # type: ignore[arg-type]
    wanted = german_question(services)
    for _ in range(3):  # a reload (the store changed) may put the cursor back meanwhile
        screen.inbox.load(keep=wanted)
        await settle(pilot)
        if screen.summary is not None and screen.summary.id == wanted:
            break
    assert screen.summary is not None and screen.summary.subject.startswith(QUESTION)
    await pilot.press("4", "down")
    await settle(pilot)
    assert screen.replies.options.has_focus
    return screen


async def press_and_settle(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def file_of(home: Path, name: str = "where-is-my-order.de.md") -> Path:
    return home / "knowledge" / name


# -- the pane ------------------------------------------------------------------------------


async def test_suggestions_for_a_german_question_come_first(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_question(pilot, services)
        replies = screen.replies
        first = replies.suggested[0]
        assert (first.key, first.language) == ("where-is-my-order", "de")
        assert replies.templates[0] == first
        assert 1 <= len(replies.suggested) <= 3
        options = [replies.options.get_option_at_index(i) for i in range(3)]
        assert options[0].disabled and str(options[0].prompt) == SUGGESTED
        assert options[1].id == str(first.id)
        assert replies.current == first, "the first suggestion is highlighted"
        headings = [
            str(replies.options.get_option_at_index(i).prompt)
            for i in range(replies.options.option_count)
            if replies.options.get_option_at_index(i).disabled
        ]
        assert headings == [SUGGESTED, ALL]
        ids = [t.id for t in replies.templates]
        assert len(ids) == len(set(ids)), "suggested ones are not repeated under All"
        title = screen.query_one("#replies-pane").border_title
        assert str(title) == "4 Canned replies · de", "no room for why beside the inbox"
        preview = plain(replies.preview)
        assert preview.startswith("Hallo ") and "{{" not in preview
        shown = screen.orders.detail
        assert shown is not None and shown.name in preview, "filled for the shown order"


async def test_the_title_says_why_where_there_is_room(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_question(pilot, services)
        title = screen.query_one("#replies-pane").border_title
        assert str(title) == "4 Canned replies · de (detected)"


async def test_the_filter_hides_the_suggestions(app: AgentConsoleApp, services: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_question(pilot, services)
        await press_and_settle(pilot, "4", *"return")
        replies = screen.replies
        assert replies.suggested == []
        assert replies.templates and replies.templates[0].key == "return-label"
        assert replies.templates[0].language == "de", "the reply language first"
        count = replies.options.option_count
        assert not any(replies.options.get_option_at_index(i).disabled for i in range(count))
        await press_and_settle(pilot, *["backspace"] * 6)
        assert replies.suggested and replies.suggested[0].key == "where-is-my-order"


# -- editing in the console ----------------------------------------------------------------


async def test_E_edits_the_file_and_F2_saves_it(
    app: AgentConsoleApp, services: Services, home: Path
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_question(pilot, services)
        before = file_of(home).read_text(encoding="utf-8")
        await press_and_settle(pilot, "E")
        screen = editor(app)
        assert screen.body.text == before
        assert "where-is-my-order.de.md" in plain(screen.query_one("#kbedit-head", Static))
        assert "tracking_link" in plain(screen.query_one("#kbedit-help", Static))
        screen.body.load_text(before.replace(TITLE, "title: Wo steckt mein Paket?"))
        await press_and_settle(pilot, "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)
        assert "title: Wo steckt mein Paket?" in file_of(home).read_text(encoding="utf-8")
        assert "Saved where-is-my-order (de)" in notes(app)
        replies = main(app).replies
        assert replies.current is not None
        assert replies.current.title == "Wo steckt mein Paket?"
        assert services.knowledge.find("where-is-my-order", "de").title == "Wo steckt mein Paket?"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(lambda t: t + "{% if %}\n", "Expected an expression", id="jinja"),
        pytest.param(
            lambda t: t.replace(TITLE, TITLE + "\ncolour: red"), "unknown field", id="field"
        ),
        pytest.param(
            lambda t: t + "{{ order.traking }}\n", "unknown variable order.traking", id="name"
        ),
    ],
)
async def test_unusable_text_is_refused_and_the_file_left_alone(
    app: AgentConsoleApp, services: Services, home: Path, change, reason: str
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_question(pilot, services)
        before = file_of(home).read_text(encoding="utf-8")
        await press_and_settle(pilot, "E")
        screen = editor(app)
        screen.body.load_text(change(before))
        await press_and_settle(pilot, "f2")
        assert app.screen is screen, "still editing"
        status = plain(screen.query_one("#kbedit-status", Static))
        assert status.startswith("Not saved: ") and reason in status
        assert screen.body.text == change(before), "the text is kept"
        assert file_of(home).read_text(encoding="utf-8") == before
        await press_and_settle(pilot, "escape")
        assert app.screen is screen, "a changed text needs a second Esc"
        assert any("again to close without saving" in n for n in notes(app))
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert file_of(home).read_text(encoding="utf-8") == before


async def test_n_creates_a_template_in_the_reply_language(
    app: AgentConsoleApp, services: Services, home: Path
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_question(pilot, services)
        await press_and_settle(pilot, "n")
        screen = editor(app)
        assert "new file" in plain(screen.query_one("#kbedit-head", Static))
        text = screen.body.text
        assert "id: new-template" in text and "language: de" in text
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MainScreen), "untouched: one Esc closes"
        await press_and_settle(pilot, "n")
        screen = editor(app)
        screen.body.load_text(
            screen.body.text.replace("id: new-template", "id: gift-wrap").replace(
                "title: New template", "title: Geschenkverpackung"
            )
        )
        await press_and_settle(pilot, "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)
        assert file_of(home, "gift-wrap.de.md").exists()
        assert "Saved gift-wrap (de)" in notes(app)
        replies = main(app).replies
        assert replies.current is not None and replies.current.key == "gift-wrap"
        assert any(t.title == "Geschenkverpackung" for t in replies.templates)


# -- editing in $EDITOR --------------------------------------------------------------------


def editor_script(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


async def test_e_edits_the_file_in_the_editor_and_the_index_follows(
    app: AgentConsoleApp,
    services: Services,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv(
        "EDITOR",
        str(editor_script(tmp_path, "sed -i 's/^title: .*/title: Paket unterwegs/' \"$1\"\n")),
    )
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_question(pilot, services)
        await press_and_settle(pilot, "e")
        await wait_for(pilot, lambda: "Saved where-is-my-order (de)" in notes(app))
        await settle(pilot)
        assert "title: Paket unterwegs" in file_of(home).read_text(encoding="utf-8")
        assert screen.replies.current is not None
        assert screen.replies.current.title == "Paket unterwegs"

        app.clear_notifications()
        broken = "printf '{{ order.traking }}\\n' >> \"$1\"\n"
        monkeypatch.setenv("EDITOR", str(editor_script(tmp_path, broken)))
        await press_and_settle(pilot, "e")
        await wait_for(pilot, lambda: notes(app))
        [note] = notes(app)
        assert note.startswith("where-is-my-order.de.md: line ")
        assert note.endswith(": unknown variable order.traking")
        assert screen.replies.current is not None
        assert "unknown variable order.traking" in plain(screen.replies.preview)

        app.clear_notifications()
        monkeypatch.setenv("EDITOR", str(editor_script(tmp_path, "exit 0\n")))
        await press_and_settle(pilot, "e")
        await wait_for(pilot, lambda: notes(app))
        assert notes(app) == ["No change to where-is-my-order (de)."]


async def test_ctrl_o_in_the_template_editor_hands_the_text_to_the_editor(
    app: AgentConsoleApp,
    services: Services,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    script = "sed -i 's/^title: .*/title: Aus dem Editor/' \"$1\"\n"
    monkeypatch.setenv("EDITOR", str(editor_script(tmp_path, script)))
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_question(pilot, services)
        before = file_of(home).read_text(encoding="utf-8")
        await press_and_settle(pilot, "E", "ctrl+o")
        screen = editor(app)
        assert "title: Aus dem Editor" in screen.body.text
        assert file_of(home).read_text(encoding="utf-8") == before, "saved only with F2"
        assert isinstance(screen.body, TextArea)
        await press_and_settle(pilot, "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert "title: Aus dem Editor" in file_of(home).read_text(encoding="utf-8")


# -- using a template ----------------------------------------------------------------------


async def test_enter_opens_the_reply_with_the_template_filled_for_the_shown_order(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_question(pilot, services)
        shown = screen.orders.detail
        assert shown is not None
        await press_and_settle(pilot, "enter")
        compose = app.screen
        assert isinstance(compose, ComposeScreen), type(compose).__name__
        assert compose.order_id == shown.id
        await wait_for(pilot, lambda: compose.body.text.startswith("Hallo "))
        text = compose.body.text
        assert shown.name in text.split("\n\n", 2)[1], "the shown order's number"
        assert "{{" not in text
