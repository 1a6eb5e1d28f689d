"""Time comes from a clock object so services, snapshots and SLA maths never drift in tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current time as a timezone-aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still (tests, snapshots, the deterministic demo)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``advance(hours=2)``."""
        from datetime import timedelta

        self._at = self._at + timedelta(**delta)


def utc(dt: datetime) -> datetime:
    """Return ``dt`` as aware UTC; naive values read back from SQLite are UTC by convention."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)
