"""Several agents on one store: what another console does shows here within a second, without
a key press; replying where a colleague already replies takes a second press."""

from __future__ import annotations

from agentconsole.clock import FixedClock
from agentconsole.config_triage import TeamMember
from agentconsole.demo import DEMO_NOW
from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.tui.app import make_console
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.main import MainScreen
from tests.tui.conftest import demo_settings
from tests.tui.pilot import settle, wait_for

WIDE = (120, 40)


def two_agents(home):  # type: ignore[no-untyped-def]
    settings = demo_settings(home).model_copy(
        update={"team": [TeamMember(handle="jonas", name="Jonas Berg")]}
    )
    clock = FixedClock(DEMO_NOW)
    mara = Services.open(settings, clock)
    jonas = Services.open(settings.as_agent("jonas"), clock)
    return mara, jonas


async def test_a_colleague_viewing_and_replying_is_shown_and_guards_the_reply(home) -> None:  # type: ignore[no-untyped-def]
    mara, jonas = two_agents(home)
    first = mara.inbox.page(InboxView(), 0, 1)[0]
    app = make_console(mara)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        jonas.presence.beat(first.id, "viewing")
        await wait_for(pilot, lambda: screen.inbox.others.get(first.id) == "◉", 3)
        pane = screen.query_one("#thread-pane")
        await wait_for(pilot, lambda: "Jonas Berg is viewing" in str(pane.border_subtitle), 3)
        jonas.presence.beat(first.id, "replying")
        await wait_for(pilot, lambda: screen.inbox.others.get(first.id) == "✎", 3)
        assert "Jonas Berg is replying (since" in str(pane.border_subtitle)
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ComposeScreen)  # warned first
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen), 5)
        # Mara is now replying too: Jonas's console sees it.
        await wait_for(pilot, lambda: jonas.presence.replying(first.id) is not None, 3)
        seen = jonas.presence.replying(first.id)
        assert seen is not None and seen.agent_name == "Mara Lind"
    jonas.close()
    mara.close()


async def test_another_consoles_triage_shows_within_a_second(home) -> None:  # type: ignore[no-untyped-def]
    mara, jonas = two_agents(home)
    first = mara.inbox.page(InboxView(), 0, 1)[0]
    app = make_console(mara)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        count = screen.inbox.count
        jonas.triage.set_status([first.id], "closed")
        await wait_for(pilot, lambda: screen.inbox.count == count - 1, 1.5)
        assert screen.inbox.current is not None and screen.inbox.current.id != first.id
    jonas.close()
    mara.close()
