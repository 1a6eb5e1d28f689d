"""The business calendar: adding and measuring business time over slots, holidays and DST."""

from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from agentconsole.config_triage import DAYS, SlaSection
from agentconsole.services.business_hours import BusinessCalendar

BERLIN = ZoneInfo("Europe/Berlin")
WORKDAY = ["09:00-12:30", "13:30-17:00"]
SHOP = {"mon": WORKDAY, "tue": WORKDAY, "wed": WORKDAY, "thu": WORKDAY, "fri": ["09:00-15:00"]}
CHRISTMAS = [date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)]
WEEKDAYS_ALL_DAY = {day: ["00:00-24:00"] for day in DAYS[:5]}
EVERY_DAY = {day: ["09:00-17:00"] for day in DAYS}


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def local(at: datetime) -> datetime:
    return at.astimezone(BERLIN)


# -- examples ---------------------------------------------------------------------------------


def test_lunch_break_is_skipped() -> None:
    cal = BusinessCalendar("Europe/Berlin", SHOP)
    monday = berlin(2026, 11, 30, 12, 0)
    assert local(cal.add(monday, timedelta(hours=1))) == berlin(2026, 11, 30, 14, 0)
    in_lunch = berlin(2026, 11, 30, 12, 45)
    assert local(cal.add(in_lunch, timedelta(minutes=30))) == berlin(2026, 11, 30, 14, 0)
    assert cal.between(berlin(2026, 11, 30, 8, 0), berlin(2026, 11, 30, 18, 0)) == timedelta(
        hours=7
    )


def test_friday_evening_message_lands_on_monday_or_tuesday() -> None:
    """Weekdays round the clock: a 24 h target from Friday 18:00 counts Friday's last 6 hours
    and Monday's first 18; with Monday a holiday, Tuesday's."""
    friday = berlin(2026, 11, 27, 18, 0)
    cal = BusinessCalendar("Europe/Berlin", WEEKDAYS_ALL_DAY)
    assert local(cal.add(friday, timedelta(hours=24))) == berlin(2026, 11, 30, 18, 0)
    closed_monday = BusinessCalendar("Europe/Berlin", WEEKDAYS_ALL_DAY, [date(2026, 11, 30)])
    assert local(closed_monday.add(friday, timedelta(hours=24))) == berlin(2026, 12, 1, 18, 0)
    # Office hours: one business day (8 h) from Friday evening is Monday's close.
    office = BusinessCalendar("Europe/Berlin", {d: ["09:00-17:00"] for d in DAYS[:5]})
    assert local(office.add(friday, timedelta(hours=8))) == berlin(2026, 11, 30, 17, 0)
    assert local(office.add(friday, timedelta(hours=9))) == berlin(2026, 12, 1, 10, 0)


def test_shop_hours_friday_afternoon_and_24h() -> None:
    cal = BusinessCalendar("Europe/Berlin", SHOP)
    friday = berlin(2026, 11, 27, 14, 0)
    # Fri 1 h, Mon 7 h, Tue 7 h, Wed 7 h = 22 h; 2 h more on Thursday.
    assert local(cal.add(friday, timedelta(hours=24))) == berlin(2026, 12, 3, 11, 0)


def test_holidays_are_skipped() -> None:
    cal = BusinessCalendar("Europe/Berlin", SHOP, CHRISTMAS)
    wednesday = berlin(2026, 12, 23, 16, 0)
    # Wed 1 h; Thu 24 and Fri 25 are holidays, the weekend is closed; Mon 28 09:00 + 3 h.
    assert local(cal.add(wednesday, timedelta(hours=4))) == berlin(2026, 12, 28, 12, 0)
    assert cal.between(berlin(2026, 12, 24), berlin(2026, 12, 26)) == timedelta(0)
    assert cal.intervals(date(2026, 12, 24)) == ()
    assert not cal.is_open(berlin(2026, 12, 24, 10, 0))
    assert cal.is_open(berlin(2026, 12, 23, 10, 0))


def test_round_the_clock_with_holidays_skips_them() -> None:
    cal = BusinessCalendar("Europe/Berlin", None, [date(2026, 12, 25)])
    eve = berlin(2026, 12, 24, 23, 0)
    assert local(cal.add(eve, timedelta(hours=2))) == berlin(2026, 12, 26, 1, 0)


def test_spring_forward_in_berlin() -> None:
    """29 March 2026: 02:00 → 03:00. Slots are wall-clock; the day is 23 hours long."""
    cal = BusinessCalendar("Europe/Berlin", EVERY_DAY)
    saturday = berlin(2026, 3, 28, 16, 0)
    assert local(cal.add(saturday, timedelta(hours=2))) == berlin(2026, 3, 29, 10, 0)
    assert cal.intervals(date(2026, 3, 29)) == (
        (datetime(2026, 3, 29, 7, tzinfo=UTC), datetime(2026, 3, 29, 15, tzinfo=UTC)),
    )
    whole = BusinessCalendar("Europe/Berlin", {day: ["00:00-24:00"] for day in DAYS})
    assert whole.between(berlin(2026, 3, 29), berlin(2026, 3, 30)) == timedelta(hours=23)
    across = BusinessCalendar("Europe/Berlin", {"sun": ["01:00-04:00"]})
    assert across.between(berlin(2026, 3, 29), berlin(2026, 3, 30)) == timedelta(hours=2)
    # A slot starting inside the gap opens when the clocks jump.
    gap = BusinessCalendar("Europe/Berlin", {"sun": ["02:30-05:00"]})
    assert gap.intervals(date(2026, 3, 29))[0][0] == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert local(gap.add(berlin(2026, 3, 29, 0, 0), timedelta(minutes=1))) == berlin(
        2026, 3, 29, 3, 1
    )


def test_fall_back_in_berlin() -> None:
    """25 October 2026: 03:00 → 02:00. The day is 25 hours long."""
    whole = BusinessCalendar("Europe/Berlin", {day: ["00:00-24:00"] for day in DAYS})
    assert whole.between(berlin(2026, 10, 25), berlin(2026, 10, 26)) == timedelta(hours=25)
    across = BusinessCalendar("Europe/Berlin", {"sun": ["01:00-04:00"]})
    assert across.between(berlin(2026, 10, 25), berlin(2026, 10, 26)) == timedelta(hours=4)
    cal = BusinessCalendar("Europe/Berlin", EVERY_DAY)
    saturday = berlin(2026, 10, 24, 16, 0)
    assert local(cal.add(saturday, timedelta(hours=2))) == berlin(2026, 10, 25, 10, 0)
    assert cal.between(saturday, berlin(2026, 10, 25, 10, 0)) == timedelta(hours=2)


def test_clocks_changing_at_midnight() -> None:
    """Chile: on 6 September 2026 midnight does not exist (the day starts at 01:00, 23 hours);
    on 4 April the hour before midnight comes twice (25 hours)."""
    santiago = ZoneInfo("America/Santiago")
    cal = BusinessCalendar(santiago, {day: ["00:00-24:00"] for day in DAYS}, [date(2026, 1, 1)])
    sunday = cal.intervals(date(2026, 9, 6))[0]
    assert sunday[0] == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert sunday[1] - sunday[0] == timedelta(hours=23)
    saturday = cal.intervals(date(2026, 4, 4))[0]
    assert saturday[1] - saturday[0] == timedelta(hours=25)
    start = datetime(2026, 9, 5, 22, 30, tzinfo=santiago)
    assert cal.add(start, timedelta(hours=2)).astimezone(santiago) == datetime(
        2026, 9, 6, 1, 30, tzinfo=santiago
    )


def test_start_outside_hours_begins_at_the_next_opening() -> None:
    cal = BusinessCalendar("Europe/Berlin", SHOP)
    saturday = berlin(2026, 11, 28, 11, 0)
    assert local(cal.add(saturday, timedelta(minutes=5))) == berlin(2026, 11, 30, 9, 5)
    assert cal.add(saturday, timedelta(0)) == saturday  # zero adds nothing
    # Ending exactly at a close stays at the close.
    assert local(cal.add(berlin(2026, 11, 30, 9, 0), timedelta(hours=3, minutes=30))) == berlin(
        2026, 11, 30, 12, 30
    )


def test_long_targets_skip_weeks() -> None:
    """Two weeks of business time at one hour a week is six and a half years of calendar."""
    cal = BusinessCalendar("Europe/Berlin", {"wed": ["10:00-11:00"]})
    start = berlin(2026, 1, 5, 8, 0)
    began = timer.perf_counter()
    due = cal.add(start, timedelta(weeks=2))
    assert timer.perf_counter() - began < 1.0
    assert cal.between(start, due) == timedelta(weeks=2)
    assert local(due).weekday() == 2 and local(due).time() == time(11, 0)
    shop = BusinessCalendar("Europe/Berlin", SHOP, CHRISTMAS)
    due = shop.add(start, timedelta(weeks=2))
    assert shop.between(start, due) == timedelta(weeks=2)


def test_round_the_clock_is_plain_addition() -> None:
    cal = BusinessCalendar("Europe/Berlin", None)
    assert cal.always_open
    start = berlin(2026, 3, 28, 23, 30)  # the clocks jump at 02:00: 5 real hours is 05:30
    assert local(cal.add(start, timedelta(hours=5))) == berlin(2026, 3, 29, 5, 30)
    assert cal.add(start, timedelta(hours=5)) == start.astimezone(UTC) + timedelta(hours=5)
    assert cal.between(start, berlin(2026, 3, 31, 23, 30)) == timedelta(days=3, hours=-1)


def test_from_config_uses_the_agent_zone_by_default() -> None:
    assert BusinessCalendar.from_config(SlaSection(), "Asia/Tokyo").zone == ZoneInfo("Asia/Tokyo")
    section = SlaSection(timezone="Europe/Berlin", hours=SHOP, holidays=CHRISTMAS)
    cal = BusinessCalendar.from_config(section, "Asia/Tokyo")
    assert cal.zone == BERLIN and date(2026, 12, 24) in cal.holidays
    assert cal.week_length() == timedelta(hours=34)


def test_refuses_naive_times_and_negative_durations() -> None:
    cal = BusinessCalendar("Europe/Berlin", SHOP)
    with pytest.raises(ValueError, match="naive"):
        cal.add(datetime(2026, 1, 1, 9), timedelta(hours=1))
    with pytest.raises(ValueError, match="naive"):
        cal.between(datetime(2026, 1, 1, 9), datetime(2026, 1, 2, 9))
    with pytest.raises(ValueError, match="negative"):
        cal.add(berlin(2026, 1, 1), timedelta(hours=-1))
    with pytest.raises(ValueError, match="no business hours"):
        BusinessCalendar("UTC", {"mon": []})


def test_touching_slots_merge() -> None:
    cal = BusinessCalendar("UTC", {"mon": ["12:00-17:00", "09:00-12:00"]})
    assert cal.intervals(date(2026, 11, 30)) == (
        (datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC)),
    )


# -- properties -------------------------------------------------------------------------------

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",  # the clocks change at midnight
    "Australia/Lord_Howe",  # by half an hour
    "Asia/Kolkata",
    "UTC",
]


@st.composite
def day_slots(draw: st.DrawFn) -> list[str]:
    """0–3 non-overlapping slots on a quarter-hour grid (ends may touch, 24:00 allowed)."""
    marks = sorted(draw(st.sets(st.integers(0, 96), max_size=6)))
    if len(marks) % 2:
        marks = marks[:-1]
    slots = []
    for start, end in zip(marks[::2], marks[1::2], strict=True):
        slots.append(f"{start // 4:02d}:{start % 4 * 15:02d}-{end // 4:02d}:{end % 4 * 15:02d}")
    return slots


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    zone = draw(st.sampled_from(ZONES))
    if draw(st.integers(0, 9)) == 0:
        hours = None
    else:
        hours = {day: draw(day_slots()) for day in DAYS}
        assume(any(hours.values()))
    holidays = draw(st.lists(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=30))
    return BusinessCalendar(zone, hours, holidays)


instants = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 6, 30),
    timezones=st.just(UTC),
)
durations = st.one_of(
    st.timedeltas(timedelta(0), timedelta(hours=30)),
    st.timedeltas(timedelta(0), timedelta(weeks=3)),
    st.sampled_from([timedelta(0), timedelta(minutes=5), timedelta(hours=4), timedelta(hours=24)]),
)
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(cal=calendars(), start=instants, duration=durations)
def test_between_gives_back_what_add_added(
    cal: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    due = cal.add(start, duration)
    assert due >= start
    assert cal.between(start, due) == duration
    assert cal.between(due, start) == -duration


@PROPS
@given(cal=calendars(), start=instants, duration=durations)
def test_result_is_business_time_and_never_a_holiday(
    cal: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    due = cal.add(start, duration)
    if not duration:
        assert due == start
        return
    just_before = due - timedelta(microseconds=1)
    assert cal.is_open(just_before)
    assert just_before.astimezone(cal.zone).date() not in cal.holidays


@PROPS
@given(cal=calendars(), start=instants, a=durations, b=durations, shift=durations)
def test_add_is_monotone(
    cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta, shift: timedelta
) -> None:
    short, long = sorted((a, b))
    assert cal.add(start, short) <= cal.add(start, long)
    assert cal.add(start, a) <= cal.add(start + shift, a)


@PROPS
@given(cal=calendars(), a=instants, b=instants, c=instants)
def test_between_adds_up(cal: BusinessCalendar, a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    assert cal.between(a, b) + cal.between(b, c) == cal.between(a, c)
    assert timedelta(0) <= cal.between(a, c) <= c - a


@settings(max_examples=200, deadline=None)
@given(zone=st.sampled_from(ZONES), start=instants, duration=durations, later=durations)
def test_round_the_clock_is_always_plain_addition(
    zone: str, start: datetime, duration: timedelta, later: timedelta
) -> None:
    cal = BusinessCalendar(zone, None)
    assert cal.add(start, duration) == start + duration
    assert cal.between(start, start + later) == later


@settings(max_examples=40, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 3, 20),
        max_value=datetime(2026, 11, 5),
        timezones=st.just(UTC),
    ).map(lambda t: t.replace(second=0, microsecond=0)),
    days=st.integers(1, 9),
)
def test_between_agrees_with_counting_minutes_on_the_wall_clock(start: datetime, days: int) -> None:
    """Over spring and autumn changes: a minute counts when the Berlin wall clock shows a shop
    hour on a day that is no holiday."""
    holidays = [date(2026, 3, 30), date(2026, 10, 26), date(2026, 5, 1)]
    cal = BusinessCalendar("Europe/Berlin", SHOP, holidays)
    slots = {i: [tuple(s.split("-")) for s in SHOP.get(day, [])] for i, day in enumerate(DAYS)}
    minutes = 0
    end = start + timedelta(days=days)
    at = start
    while at < end:
        wall = at.astimezone(BERLIN)
        hhmm = f"{wall:%H:%M}"
        if wall.date() not in holidays and any(a <= hhmm < b for a, b in slots[wall.weekday()]):
            minutes += 1
        at += timedelta(minutes=1)
    assert cal.between(start, end) == timedelta(minutes=minutes)
