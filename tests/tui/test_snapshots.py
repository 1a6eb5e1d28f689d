"""Appearance of the key screens at 120×40 and 80×24 (fixed clock, seeded store).

Snapshots guard appearance; the Pilot tests in test_console.py guard behaviour.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
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


@pytest.mark.parametrize("size", SIZES)
def test_composer(snap_compare, app: AgentConsoleApp, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("enter", "r")
        await settle(pilot)
        await pilot.press(*"Thanks", "space", *"Zoe")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_reply_in_its_undo_window(snap_compare, app: AgentConsoleApp) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("enter", "r")
        await settle(pilot)
        await pilot.press(*"Thanks", "f2")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_outbox_screen_with_a_failed_reply(
    snap_compare, app: AgentConsoleApp, services: Services
) -> None:
    first = services.inbox.page(InboxView(), 0, 1)[0]
    draft = services.drafts.start(services.agent, "reply", conversation_id=first.id)
    queued = services.outbox.queue(services.agent, replace(draft, body="Sorry!\n" + draft.body))
    with services.store.write() as w:
        w.execute(
            "UPDATE outbox SET state = 'failed', attempts = 1, last_code = 550, "
            "last_error = '5.1.1 <zoe@example.com>: [bold]user unknown[/]' WHERE id = :id",
            {"id": queued.outbox_id},
        )

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
