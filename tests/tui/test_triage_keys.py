"""Triage from the keyboard, driven by Pilot: close-and-next, snooze with its exact wake time,
marks and ranges for bulk, tags, notes, undo — checked in the store."""

from __future__ import annotations

from typing import Any

from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.tui.app import AgentConsoleApp
from agentconsole.tui.screens.ask import AskScreen
from agentconsole.tui.screens.main import MainScreen
from tests.tui.pilot import settle

WIDE = (120, 40)


def main(app: AgentConsoleApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def row(services: Services, cid: int) -> Any:
    with services.store.read() as db:
        return db.first("SELECT * FROM conversation WHERE id = :id", {"id": cid})


async def test_x_closes_and_the_cursor_lands_on_the_next(
    app: AgentConsoleApp, services: Services
) -> None:
    first, second = services.inbox.page(InboxView(), 0, 2)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert row(services, first.id).status == "closed"
        screen = main(app)
        assert screen.inbox.current is not None and screen.inbox.current.id == second.id
        await pilot.press("U")
        await settle(pilot)
        assert row(services, first.id).status == first.status


async def test_space_marks_and_one_key_acts_on_every_marked(
    app: AgentConsoleApp, services: Services
) -> None:
    rows = services.inbox.page(InboxView(), 0, 4)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("space", "j", "space")  # marks rows 0 and 2
        assert list(screen.inbox.marked) == [rows[0].id, rows[2].id]
        await pilot.press("p")
        await settle(pilot)
        assert row(services, rows[0].id).status == "pending"
        assert row(services, rows[2].id).status == "pending"
        assert row(services, rows[1].id).status == rows[1].status
        assert not screen.inbox.marked  # done: marks cleared


async def test_a_visual_range_marks_what_the_cursor_passes(
    app: AgentConsoleApp, services: Services
) -> None:
    rows = services.inbox.page(InboxView(), 0, 3)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("V", "j", "j", "V")
        assert set(screen.inbox.marked) == {r.id for r in rows}
        await pilot.press("escape")
        assert not screen.inbox.marked


async def test_snooze_shows_the_wake_time_and_resnooze_repeats_it(
    app: AgentConsoleApp, services: Services
) -> None:
    first, second = services.inbox.page(InboxView(), 0, 2)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, AskScreen)
        await pilot.press(*"tomorrow 14:30")
        preview = str(ask.query_one("#ask-preview").render())
        assert "wakes Tue 24 Nov 14:30" in preview and "customer replies" in preview
        await pilot.press("ctrl+t")  # whatever they say
        assert "whatever they say" in str(ask.query_one("#ask-preview").render())
        await pilot.press("enter")
        await settle(pilot)
        snoozed = row(services, first.id)
        assert snoozed.status == "snoozed" and not snoozed.snooze_until_reply
        assert snoozed.snooze_choice == "tomorrow 14:30"
        assert snoozed.snoozed_until.startswith("2026-11-24 13:30")  # 14:30 Berlin in UTC
        # The next conversation, same snooze with one key.
        await pilot.press("Z")
        await settle(pilot)
        again = row(services, second.id)
        assert again.status == "snoozed" and again.snoozed_until == snoozed.snoozed_until
        # The list shows the exact wake time, whole ("⏰" takes two cells).
        screen = main(app)
        screen.show_view("Snoozed")
        await pilot.resize_terminal(160, 40)  # room for the status column
        await settle(pilot)
        height = screen.inbox.scrollable_content_region.height
        lines = [
            "".join(seg.text for seg in screen.inbox.render_line(y)).rstrip()
            for y in range(height)
        ]
        assert sum(line.endswith("⏰Tue 14:30") for line in lines) == 2, lines


async def test_a_bad_snooze_is_explained_and_nothing_changes(
    app: AgentConsoleApp, services: Services
) -> None:
    first = services.inbox.page(InboxView(), 0, 1)[0]
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("z", *"someday 9:00", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AskScreen)  # still asking
        assert "cannot read the day" in str(app.screen.query_one("#ask-preview").render())
        await pilot.press("escape")
        await settle(pilot)
        assert row(services, first.id).status == first.status


async def test_tags_assign_and_note_from_the_keyboard(
    app: AgentConsoleApp, services: Services
) -> None:
    first = services.inbox.page(InboxView(), 0, 1)[0]
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("end", *" vip", "enter")
        await settle(pilot)
        summary = services.inbox.summary(first.id)
        assert summary is not None and set(summary.tags) == {*first.tags, "vip"}
        await pilot.press("A", "enter")  # the first choice: me
        await settle(pilot)
        summary = services.inbox.summary(first.id)
        assert summary is not None and summary.assignee == "Mara Lind"
        await pilot.press("n", *"Parcel found", "f2")
        await settle(pilot)
        with services.store.read() as db:
            notes = db.scalars(
                "SELECT body FROM conversation_note WHERE conversation_id = :c", {"c": first.id}
            )
        assert notes == ["Parcel found"]


async def test_after_a_scroll_moving_repaints_the_rows_it_left_and_reached(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        inbox = main(app).inbox
        await pilot.press("G")  # the last row: the list scrolls
        await settle(pilot)
        assert inbox.scroll_offset.y > 0
        painted: list[int] = []
        original = inbox.refresh_lines

        def spy(y: int, count: int = 1) -> object:
            painted.append(y)
            return original(y, count)

        inbox.refresh_lines = spy  # type: ignore[method-assign]
        last = inbox.cursor
        await pilot.press("k")
        assert painted[:2] == [last, last - 1]  # content rows: ScrollView subtracts the scroll
