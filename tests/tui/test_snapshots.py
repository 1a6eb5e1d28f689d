"""Appearance of the key screens at 120×40 and 80×24 (fixed clock, seeded store).

Snapshots guard appearance; the Pilot tests in test_console.py guard behaviour.
"""

from __future__ import annotations

import pytest

from agentconsole.tui.app import AgentConsoleApp
from tests.tui.pilot import settle

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, app: AgentConsoleApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_customer_and_orders(snap_compare, app: AgentConsoleApp, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("j", "j", "3")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_help_screen(snap_compare, app: AgentConsoleApp) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
