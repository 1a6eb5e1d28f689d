"""Time helpers for the demo world: plausible hours, random spans, European summer time.

Why: a demo where agents answer at 3 a.m. or a customer who "always calls before work" calls
at random hours looks fake. Everything here is pure arithmetic on aware UTC datetimes and the
seeded generator, never the system clock or the host's time-zone database, so the output is
identical on every machine.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from random import Random

# Standard (winter) offsets from UTC in hours, by customer language.
BASE_OFFSET_HOURS: dict[str, int] = {"en": 0, "de": 1, "fr": 1, "it": 1, "es": 1, "pl": 1}

AGENT_START_HOUR = 7  # UTC: 08:00 in Berlin in winter
AGENT_END_HOUR = 17


def hours(rng: Random, low: float, high: float) -> timedelta:
    """A uniformly random span between ``low`` and ``high`` hours, in whole seconds."""
    return timedelta(seconds=rng.randint(int(low * 3600), int(high * 3600)))


def log_hours(rng: Random, low: float, high: float) -> timedelta:
    """A random span between ``low`` and ``high`` hours, spread evenly on a log scale."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return timedelta(seconds=int(value * 3600))


def stratified_log_ages(rng: Random, count: int, low: float, high: float) -> list[timedelta]:
    """``count`` ages between ``low`` and ``high`` hours covering the range evenly (log scale)."""
    ages = []
    for i in range(count):
        fraction = (i + rng.random()) / max(count, 1)
        value = math.exp(math.log(low) + fraction * (math.log(high) - math.log(low)))
        ages.append(timedelta(seconds=int(value * 3600)))
    rng.shuffle(ages)
    return ages


def back_into_hours(
    at: datetime, rng: Random, start: int, end: int, *, weekdays_only: bool
) -> datetime:
    """The latest moment at or before ``at`` between ``start`` and ``end`` o'clock UTC.

    Moving only backwards keeps a thread built from its last message in order.
    """
    for _ in range(14):
        good_day = not weekdays_only or at.weekday() < 5
        if good_day and start <= at.hour < end:
            return at
        if good_day and at.hour >= end:
            return at.replace(hour=end - 1, minute=rng.randrange(60), second=rng.randrange(60))
        at = (at - timedelta(days=1)).replace(
            hour=end - 1, minute=rng.randrange(60), second=rng.randrange(60)
        )
    return at


def agent_time_before(at: datetime, rng: Random) -> datetime:
    """When an agent could have written this: weekday office hours, at or before ``at``."""
    return back_into_hours(at, rng, AGENT_START_HOUR, AGENT_END_HOUR, weekdays_only=True)


def customer_time_before(at: datetime, rng: Random) -> datetime:
    """When a customer plausibly wrote: awake hours any day, at or before ``at``."""
    return back_into_hours(at, rng, 6, 22, weekdays_only=False)


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def is_summer_time(at: datetime) -> bool:
    """EU/UK summer time: last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC."""
    begin = datetime.combine(_last_sunday(at.year, 3), datetime.min.time(), UTC)
    finish = datetime.combine(_last_sunday(at.year, 10), datetime.min.time(), UTC)
    return begin + timedelta(hours=1) <= at < finish + timedelta(hours=1)


def local_to_utc(day: date, hour: int, minute: int, language: str) -> datetime:
    """A customer's local wall-clock time on ``day`` as UTC (their country from their language)."""
    naive_utc = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
    offset = BASE_OFFSET_HOURS[language]
    if is_summer_time(naive_utc):
        offset += 1
    return naive_utc - timedelta(hours=offset)


def whole_seconds(at: datetime) -> datetime:
    return at.replace(microsecond=0)
