"""Presence between consoles on one store: viewing and replying seen by the others, stale
consoles forgotten, one's own console never listed."""

from __future__ import annotations

from agentconsole.clock import FixedClock
from agentconsole.config_triage import TeamMember
from agentconsole.services.context import Services


def test_two_consoles_see_each_other(services: Services) -> None:
    settings = services.settings.model_copy(
        update={"team": [TeamMember(handle="jonas", name="Jonas Berg")]}
    )
    clock = services.clock
    assert isinstance(clock, FixedClock)
    mara = Services(services.store, settings, clock)
    jonas = Services(services.store, settings.as_agent("jonas"), clock)
    mara.presence.beat(7)
    assert mara.presence.others() == {}
    seen = jonas.presence.others()[7][0]
    assert (seen.agent_name, seen.activity) == ("Mara Lind", "viewing")
    started = seen.since
    clock.advance(seconds=5)
    mara.presence.beat(7)  # still there: "since" stays
    assert jonas.presence.others()[7][0].since == started
    mara.presence.beat(7, "replying")
    replying = jonas.presence.replying(7)
    assert replying is not None and replying.agent_handle == "mara"
    assert jonas.presence.replying(8) is None
    clock.advance(seconds=30)  # Mara's console died without a word
    assert jonas.presence.others() == {}
    mara.presence.beat(8)
    mara.presence.leave()
    assert jonas.presence.others() == {}
    for s in (mara, jonas):
        s.presence.close()


def test_the_same_agent_in_a_second_console_is_shown_only_when_replying(
    services: Services,
) -> None:
    other = Services(services.store, services.settings, services.clock)
    other.presence.beat(3)
    assert services.presence.others() == {}
    other.presence.beat(3, "replying")
    assert services.presence.replying(3) is not None
    other.presence.close()
