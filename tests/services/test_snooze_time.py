"""Snooze times as typed: each form gives one exact wake time in the agent's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentconsole.services.snooze_time import PRESETS, SnoozeTimeError, parse_snooze

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 23 November 2026, 11:00 in Berlin.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def local(text: str) -> datetime:
    return parse_snooze(text, NOW, BERLIN).astimezone(BERLIN)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3h", datetime(2026, 11, 23, 14, 0)),
        ("2d", datetime(2026, 11, 25, 11, 0)),
        ("1w", datetime(2026, 11, 30, 11, 0)),
        ("1d 4h", datetime(2026, 11, 24, 15, 0)),
        ("90m", datetime(2026, 11, 23, 12, 30)),
        ("tomorrow", datetime(2026, 11, 24, 9, 0)),
        ("tomorrow 14:30", datetime(2026, 11, 24, 14, 30)),
        ("Tomorrow 2pm", datetime(2026, 11, 24, 14, 0)),
        ("today 17:00", datetime(2026, 11, 23, 17, 0)),
        ("17:00", datetime(2026, 11, 23, 17, 0)),
        ("9:00", datetime(2026, 11, 24, 9, 0)),  # already past today: tomorrow
        ("mon", datetime(2026, 11, 30, 9, 0)),  # today is Monday: next Monday
        ("friday 10:00", datetime(2026, 11, 27, 10, 0)),
        ("next week", datetime(2026, 11, 30, 9, 0)),
        ("2026-12-24", datetime(2026, 12, 24, 9, 0)),
        ("2026-12-24 10:15", datetime(2026, 12, 24, 10, 15)),
    ],
)
def test_forms(typed: str, expected: datetime) -> None:
    assert local(typed) == expected.replace(tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "say when"),
        ("soon", "cannot read the time"),
        ("someday 9:00", "cannot read the day"),
        ("2026-02-30", "no such date"),
        ("tomorrow 25:00", "no such time"),
        ("2026-11-01", "already past"),
        ("today 8:00", "already past"),
        ("a b c", "cannot read"),
    ],
)
def test_errors_are_one_line(typed: str, error: str) -> None:
    with pytest.raises(SnoozeTimeError, match=error):
        parse_snooze(typed, NOW, BERLIN)


def test_presets_all_read() -> None:
    assert all(parse_snooze(p, NOW, BERLIN) > NOW for p in PRESETS)


def test_across_the_clock_change_a_day_keeps_the_wall_time() -> None:
    before_dst_end = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)  # Saturday 10:00 CEST
    wake = parse_snooze("tomorrow 10:00", before_dst_end, BERLIN)
    assert wake.astimezone(BERLIN).hour == 10
    assert wake - before_dst_end == timedelta(hours=25)


@given(st.text(max_size=30))
def test_any_text_gives_a_future_time_or_a_snooze_error(text: str) -> None:
    try:
        wake = parse_snooze(text, NOW, BERLIN)
    except SnoozeTimeError:
        return
    assert wake > NOW and wake.tzinfo is not None


def test_too_far_is_an_error_not_a_crash() -> None:
    with pytest.raises(SnoozeTimeError, match="too far"):
        parse_snooze("99999999w", NOW, BERLIN)
