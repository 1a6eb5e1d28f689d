"""The footer: the keys of the focused pane, redrawn (not rebuilt) on a focus change."""

from __future__ import annotations

from agentconsole.tui.app import AgentConsoleApp
from agentconsole.tui.screens.main import MainScreen
from agentconsole.tui.widgets.key_hints import KeyHints
from tests.tui.pilot import settle

WIDE = (120, 40)


def hints(app: AgentConsoleApp) -> str:
    return app.screen.query_one(KeyHints).render().plain


async def test_the_footer_follows_the_focus_and_a_click_presses_the_key(
    app: AgentConsoleApp,
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        footer = screen.query_one(KeyHints)
        line = hints(app)
        assert "⏎ Open" in line and "/ Search" in line and "r Reply" in line
        assert line.rstrip().endswith("^p palette")
        assert len(line) == footer.size.width
        await pilot.press("tab")  # the conversation pane: the inbox's Enter is gone
        await settle(pilot)
        assert "⏎ Open" not in hints(app) and "/ Search" in hints(app)
        await pilot.press("shift+tab")
        await settle(pilot)
        assert "⏎ Open" in hints(app)
        start = hints(app).index("/ Search")
        await pilot.click(KeyHints, offset=(start + 1, 0))
        await settle(pilot)
        assert screen.search_box.display and screen.search_box.has_focus
        assert list(screen.query(KeyHints)) == [footer]  # one widget, never rebuilt
