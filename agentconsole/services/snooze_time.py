"""Snooze times as an agent types them: ``"3d"``, ``"tomorrow 9:00"``, ``"mon"``, ``"2026-12-24"``.

Why a little parser of our own: these few forms cover what helpdesk users ask for (a relative
time, "tomorrow morning", a weekday, an exact date) and each must give one exact wake time that
the list can show, in the agent's zone, never a guess. A day without a time means 9:00 (the
start of a working day), and a time alone means its next occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_HOUR = time(9, 0)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    r"^(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$"
)
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PRESETS = ("1h", "3h", "tomorrow 9:00", "2d", "mon 9:00", "1w")
"""Offered by the console's snooze prompt."""


class SnoozeTimeError(ValueError):
    """The text names no time; ``str()`` is one line saying what would be understood."""


def _clock(text: str) -> time:
    match = _TIME.match(text)
    if match is None:
        raise SnoozeTimeError(f"cannot read the time {text!r} (expected e.g. 9:00 or 14:30)")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        if not 1 <= hour <= 12:
            raise SnoozeTimeError(f"no such time {text!r}")
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        raise SnoozeTimeError(f"no such time {text!r}")
    return time(hour, minute)


def _day(word: str, today: date) -> date | None:
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            ahead = (index - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    if word in ("nextweek", "next-week"):
        return today + timedelta(days=(7 - today.weekday()) or 7)
    match = _DATE.match(word)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise SnoozeTimeError(f"no such date {word!r}") from None
    return None


def parse_snooze(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The wake time (UTC) for ``text`` typed at ``now``; ``SnoozeTimeError`` when unreadable or
    not in the future."""
    typed = " ".join(text.lower().replace("next week", "nextweek").split())
    if not typed:
        raise SnoozeTimeError("say when: e.g. 3h, 2d, tomorrow 9:00, mon, 2026-12-24 10:00")
    local_now = now.astimezone(zone)
    relative = _RELATIVE.match(typed.replace(" ", ""))
    if relative and any(relative.groups()):
        w, d, h, m = (int(g) if g else 0 for g in relative.groups())
        try:
            wake = now + timedelta(weeks=w, days=d, hours=h, minutes=m)
        except OverflowError:
            raise SnoozeTimeError(f"{text!r} is too far away") from None
    else:
        words = typed.split(" ")
        if len(words) > 2:
            raise SnoozeTimeError(f"cannot read {text!r} (expected e.g. 3d, tomorrow 9:00)")
        day = _day(words[0], local_now.date())
        if day is None:
            if len(words) == 2:
                raise SnoozeTimeError(f"cannot read the day {words[0]!r}")
            at = _clock(words[0])  # a time alone: its next occurrence
            day = local_now.date()
            if datetime.combine(day, at, zone) <= local_now:
                day += timedelta(days=1)
        else:
            at = _clock(words[1]) if len(words) == 2 else DEFAULT_HOUR
        wake = datetime.combine(day, at, zone).astimezone(UTC)
    if wake <= now:
        raise SnoozeTimeError(f"{text!r} is already past")
    return wake.astimezone(UTC)
