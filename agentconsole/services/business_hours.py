"""Business time: which instants count towards a response target, and adding/measuring it.

Pure (no I/O, no clock). The hours are wall-clock slots in one zone (``[sla] hours``), so a
``09:00-17:00`` slot is 8 real hours on the day summer time starts just as on any other day;
a slot that spans the change itself is as long as the clock says (``01:00-04:00`` is 2 real
hours in spring, 4 in autumn). Precisely, a slot ``a-b`` on day ``d`` is the interval of
instants from the first instant whose local time is at least ``d a`` to the first instant whose
local time is at least ``d b`` — a start inside a spring-forward gap is the moment the clocks
jump, and an ambiguous start in autumn is its first occurrence.

Why the week table: ``add`` and ``between`` walk the partial days at either end and skip whole
weeks with one cached sum per week, so a two-week target costs a few steps, not a loop over
minutes or days. Days and weeks are cached per calendar (lru, bounded).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from agentconsole.config_triage import DAYS, SlaSection, parse_slot

_US = timedelta(microseconds=1)
_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_CLOSED_WEEKS_LIMIT = 520
"""Give up after this many weeks without a single business minute (ten years of holidays)."""

Interval = tuple[datetime, datetime]
_Span = tuple[datetime, datetime, int]
"""Inside: an interval as naive UTC (faster to compare than aware) and its length in µs."""


def _micros(delta: timedelta) -> int:
    return delta // _US


class BusinessCalendar:
    """Business hours in one zone: weekly slots, closed days, holidays.

    ``hours=None`` means round the clock (every instant counts, holidays excepted); with no
    holidays too, ``add`` is plain addition. All datetimes in and out are timezone-aware;
    results are UTC.
    """

    def __init__(
        self,
        zone: ZoneInfo | str,
        hours: dict[str, list[str]] | None = None,
        holidays: Sequence[date] = (),
    ) -> None:
        self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        self.round_the_clock = hours is None
        whole_day = ((time(0), time.max),)
        week: list[tuple[tuple[time, time], ...]] = []
        for day in DAYS:
            if hours is None:
                week.append(whole_day)
            else:
                week.append(_merge(sorted(parse_slot(s) for s in hours.get(day, []))))
        self._slots = tuple(week)
        self.holidays = frozenset(holidays)
        self.always_open = hours is None and not self.holidays
        """Every instant counts: ``add`` is ``start + duration``."""
        if not self.always_open and not any(self._slots):
            raise ValueError("no business hours on any day")
        self._day: Callable[[int], tuple[_Span, ...]] = lru_cache(maxsize=4096)(self._compute_day)
        self._week: Callable[[int], tuple[int, ...]] = lru_cache(maxsize=1024)(self._compute_week)

    @classmethod
    def from_config(cls, sla: SlaSection, default_zone: str = "UTC") -> BusinessCalendar:
        """The calendar of ``[sla]``; its zone defaults to ``default_zone`` (the agent's)."""
        return cls(sla.timezone or default_zone, sla.hours, sla.holidays)

    # -- the calendar --------------------------------------------------------------------

    def intervals(self, day: date) -> tuple[Interval, ...]:
        """The business intervals of a local day, as UTC ``(start, end)``; empty when closed."""
        return tuple(
            (s.replace(tzinfo=UTC), e.replace(tzinfo=UTC)) for s, e, _ in self._day(day.toordinal())
        )

    def is_open(self, at: datetime) -> bool:
        """Whether ``at`` is business time (slot starts count, slot ends don't)."""
        local, at = self._split(at)
        today = local.toordinal()
        return any(s <= at < e for o in (today, today + 1) for s, e, _ in self._day(o))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of business time after ``start`` (UTC).

        A start outside business hours begins counting at the next opening; a result that
        falls exactly on a slot's end stays there (the target is met by the close). Zero adds
        nothing, not even the wait for the next opening.
        """
        if duration < _ZERO:
            raise ValueError("negative duration")
        if not duration or self.always_open:
            return _aware(start) + duration
        return self.add_utc(_naive_utc(start), duration).replace(tzinfo=UTC)

    def add_utc(self, start: datetime, duration: timedelta) -> datetime:
        """:meth:`add` on naive UTC datetimes, in and out (the store's form; for bulk use)."""
        if duration < _ZERO:
            raise ValueError("negative duration")
        if not duration or self.always_open:
            return start + duration
        cursor = start
        left = duration // _US
        first = ordinal = start.replace(tzinfo=UTC).astimezone(self.zone).toordinal()
        day = self._day
        # The partial days up to a Monday at least two days on (days after that lie wholly
        # after ``start``, whatever a zone's transitions do around midnight).
        while ordinal < first + 2 or (ordinal - 1) % 7:
            for s, e, span in day(ordinal):
                if e <= cursor:
                    continue
                if s < cursor:
                    s, span = cursor, _micros(e - cursor)
                if left <= span:
                    return s + timedelta(microseconds=left)
                left -= span
                cursor = e
            ordinal += 1
        # Whole weeks, then the day within the last one.
        closed = 0
        while True:
            prefix = self._week(ordinal)
            if left <= prefix[7]:
                break
            left -= prefix[7]
            ordinal += 7
            closed = closed + 1 if not prefix[7] else 0
            if closed > _CLOSED_WEEKS_LIMIT:
                raise ValueError("no business hours for ten years")
        index = bisect_left(prefix, left) - 1
        left -= prefix[index]
        for s, _, span in day(ordinal + index):
            if left <= span:
                return s + timedelta(microseconds=left)
            left -= span
        raise AssertionError("week table and day intervals disagree")  # pragma: no cover

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Business time from ``a`` to ``b``; negative when ``b`` is before ``a``."""
        a, b = _aware(a), _aware(b)  # compared in UTC: same-zone comparisons use the wall clock
        if b < a:
            return -self.between(b, a)
        if self.always_open or a == b:
            return b - a
        local_a, a = self._split(a)
        local_b, b = self._split(b)
        first, last = local_a.toordinal(), local_b.toordinal() + 1
        total = 0
        ordinal = first
        while ordinal <= last and (ordinal < first + 2 or (ordinal - 1) % 7):
            total += self._overlap(ordinal, a, b)
            ordinal += 1
        # A whole week counts in full when it lies wholly before ``b``'s day.
        while ordinal + 6 <= last - 3:
            total += self._week(ordinal)[7]
            ordinal += 7
        while ordinal <= last:
            total += self._overlap(ordinal, a, b)
            ordinal += 1
        return timedelta(microseconds=total)

    def week_length(self) -> timedelta:
        """Business time in an ordinary week (no holidays, no clock change): for rough sizes."""
        total = timedelta(0)
        for slots in self._slots:
            for start, end in slots:
                total += _wall_length(start, end)
        return total

    # -- internals -----------------------------------------------------------------------

    def _split(self, at: datetime) -> tuple[date, datetime]:
        """``at``'s local date, and ``at`` as naive UTC."""
        naive = _naive_utc(at)  # refuses a naive ``at`` before it could be read as local
        return at.astimezone(self.zone).date(), naive

    def _overlap(self, ordinal: int, a: datetime, b: datetime) -> int:
        total = 0
        for s, e, _ in self._day(ordinal):
            s, e = max(s, a), min(e, b)
            if s < e:
                total += _micros(e - s)
        return total

    def _compute_day(self, ordinal: int) -> tuple[_Span, ...]:
        day = date.fromordinal(ordinal)
        if day in self.holidays:
            return ()
        result: list[_Span] = []
        for start, end in self._slots[day.weekday()]:
            s = self._instant(day, start)
            e = (
                self._instant(day + _ONE_DAY, time(0))
                if end == time.max
                else self._instant(day, end)
            )
            if s < e:
                result.append((s, e, _micros(e - s)))
        return tuple(result)

    def _compute_week(self, ordinal: int) -> tuple[int, ...]:
        """Business time (µs) before each of the 7 days from ``ordinal``, and the total."""
        prefix = [0]
        for offset in range(7):
            prefix.append(prefix[-1] + sum(span for _, _, span in self._day(ordinal + offset)))
        return tuple(prefix)

    def _instant(self, day: date, wall: time) -> datetime:
        """The first instant whose local time is at least ``day wall`` (naive UTC)."""
        naive = datetime.combine(day, wall)
        guess = naive.replace(tzinfo=self.zone).astimezone(UTC)  # fold=0: the earlier one
        if guess.astimezone(self.zone).replace(tzinfo=None) == naive:
            return guess.replace(tzinfo=None)
        # In a spring-forward gap: the moment the clocks jump (transitions fall on whole
        # seconds; the local time only grows over the day before ``guess``).
        high = int(guess.timestamp())
        low = high - 25 * 3600
        while high - low > 1:
            mid = (low + high) // 2
            local = datetime.fromtimestamp(mid, self.zone).replace(tzinfo=None)
            if local >= naive:
                high = mid
            else:
                low = mid
        return datetime.fromtimestamp(high, UTC).replace(tzinfo=None)


def _merge(slots: list[tuple[time, time]]) -> tuple[tuple[time, time], ...]:
    """Sorted slots with touching ones joined (``09:00-12:00`` + ``12:00-17:00``)."""
    merged: list[tuple[time, time]] = []
    for start, end in slots:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _wall_length(start: time, end: time) -> timedelta:
    base = date(2000, 1, 1)
    stop = (
        datetime.combine(base + _ONE_DAY, time(0))
        if end == time.max
        else datetime.combine(base, end)
    )
    return stop - datetime.combine(base, start)


def _naive_utc(at: datetime) -> datetime:
    return _aware(at).replace(tzinfo=None)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime given to the business calendar; use aware UTC")
    return at.astimezone(UTC)
