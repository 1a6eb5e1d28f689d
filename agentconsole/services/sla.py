"""SLA clocks: when the next response to a conversation is due, and how the list shows it.

The rule: nobody waits (``waiting_since`` is NULL) or the conversation is closed → no due time.
Otherwise the target of its channel — first response while ``first_response_at`` is NULL, next
response after that — counted in business hours (:mod:`.business_hours`) from
``waiting_since``.

Why a stored due time with a basis: the inbox sorts and colours by ``conversation.due_at`` in
SQL, so it must be in the table. ``due_basis`` is a text made, in SQL, from everything the due
time depends on — a fingerprint of the ``[sla]`` config, first-or-next response, the channel and
``waiting_since``; it is NULL exactly when there is no due time (closed, or nobody waits).
:meth:`SlaService.refresh` compares it with what the row says now and recomputes only the rows
that differ, whoever changed them (the mail sync, another console, an agent's reply), so
nothing else has to remember to call it. A refresh with nothing to do costs nothing when no
connection has committed since the last one (``PRAGMA data_version``); otherwise two index
probes when the store has :data:`PROPOSED_INDEXES`, else one scan of the table in SQLite.

Shown in the list as time left or overdue, in real (wall) time to the due instant: a due time
on Monday morning seen on Friday evening reads ``"2d 15h left"``, which is when it will bite.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.config_triage import (
    DAYS,
    ChannelTargets,
    SlaSection,
    parse_duration,
    parse_slot,
)
from agentconsole.services._sql import as_utc
from agentconsole.services.business_hours import BusinessCalendar
from agentconsole.store.db import Store

CHANNELS = tuple(ChannelTargets.model_fields)
"""The channels ``[sla]`` has targets for; any other channel gets the e-mail target."""
SOON = timedelta(hours=1)
"""Due within this (real time) → ``"soon"``: what falls due in the agent's next hour."""
DUE_ORDER = "c.due_at IS NULL, c.due_at, c.id"
"""``ORDER BY`` for "most urgent first" over ``conversation c`` (``ix_conversation_due``)."""
_ALGORITHM = 1
"""Part of the fingerprint: bump it when the way due times are computed changes."""

SlaState = Literal["ok", "soon", "overdue"]

# What the due time of a row depends on, as SQL over ``conversation``. The basis is
# ``<fingerprint> <first|next> <channel> <waiting_since>``, NULL when nothing is due.
_NO_DUE = "status = 'closed' OR waiting_since IS NULL"
_ROW_PART = (
    "CASE WHEN first_response_at IS NULL THEN 'first' ELSE 'next' END"
    " || ' ' || channel || ' ' || waiting_since"
)
_BASIS = f"CASE WHEN {_NO_DUE} THEN NULL ELSE :fp || ' ' || {_ROW_PART} END"
ROW_STALE = (
    f"CASE WHEN {_NO_DUE} THEN due_at IS NOT NULL OR due_basis IS NOT NULL"
    f" ELSE due_at IS NULL OR substr(due_basis, 10) IS NOT ({_ROW_PART}) END"
)
"""True for a row whose stored due time no longer fits the row (the config aside): a due time
left on a row that has none, or a basis that differs. No parameters, so it can be an index's
``WHERE`` (see :data:`PROPOSED_INDEXES`)."""
_FP_SET = "due_basis IS NOT NULL"
_FP = "substr(due_basis, 1, 8)"

PROPOSED_INDEXES = (
    f"CREATE INDEX ix_conversation_sla_stale ON conversation (id) WHERE {ROW_STALE}",
    f"CREATE INDEX ix_conversation_sla_fp ON conversation ({_FP}) WHERE {_FP_SET}",
)
"""Indexes that make a refresh with nothing to do cost two index probes instead of a scan of
the table: the stale rows (usually none), and the config fingerprint of rows that have a due
time (a range below and above the current one). :class:`SlaService` uses them when the store
has them (a migration, verbatim: the query's ``WHERE`` must match the index's)."""

_HAS_INDEXES = (
    "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
    " AND name IN ('ix_conversation_sla_stale', 'ix_conversation_sla_fp')"
)
_COLUMNS = f"id, channel, waiting_since, first_response_at IS NULL AS first, {_BASIS} AS basis"
_STALE_SCAN = f"""
SELECT {_COLUMNS} FROM conversation
 WHERE ({ROW_STALE}) OR ({_FP_SET} AND {_FP} IS NOT :fp)
"""
_STALE_INDEXED = f"""
SELECT {_COLUMNS} FROM conversation WHERE {ROW_STALE}
UNION ALL
SELECT {_COLUMNS} FROM conversation WHERE {_FP_SET} AND {_FP} < :fp
UNION ALL
SELECT {_COLUMNS} FROM conversation WHERE {_FP_SET} AND {_FP} > :fp
"""

# Written only if the row still has the basis the due time was computed from (a reply or the
# sync may have changed it since the read): the next refresh picks it up.
_UPDATE = f"""
UPDATE conversation SET due_at = ?, due_basis = ?
 WHERE id = ? AND ({_BASIS}) IS ?
"""


def sla_fingerprint(sla: SlaSection, zone: str) -> str:
    """8 hex digits that change whenever ``[sla]`` (or the zone it falls back to) would give
    any conversation a different due time, and only then (formatting and order don't count)."""
    hours = (
        None
        if sla.hours is None
        else {
            day: [
                f"{start:%H:%M}-{'24:00' if end == time.max else f'{end:%H:%M}'}"
                for start, end in sorted(parse_slot(s) for s in sla.hours.get(day, []))
            ]
            for day in DAYS
        }
    )
    payload = {
        "algorithm": _ALGORITHM,
        "first": {ch: _seconds(sla.first_response.target(ch)) for ch in CHANNELS},
        "next": {ch: _seconds(sla.next_response.target(ch)) for ch in CHANNELS},
        "zone": sla.timezone or zone,
        "hours": hours,
        "holidays": sorted({d.isoformat() for d in sla.holidays}),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


class SlaService:
    """Due times for conversations under the ``[sla]`` settings."""

    def __init__(self, store: Store, settings: Settings, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.config = settings.sla
        self.zone = settings.sla.timezone or settings.agent.timezone
        """The zone the business hours are in."""
        self.calendar = BusinessCalendar.from_config(settings.sla, settings.agent.timezone)
        self.fingerprint = sla_fingerprint(settings.sla, settings.agent.timezone)
        self._targets = {
            (first, ch): parse_duration(getattr(section, ch))
            for first, section in (
                (True, self.config.first_response),
                (False, self.config.next_response),
            )
            for ch in CHANNELS
        }
        self._lock = threading.Lock()
        self._indexed: bool | None = None
        """Whether the store has :data:`PROPOSED_INDEXES` (looked up on the first refresh)."""
        self._clean_at: int | None = None
        """``store.change_counter()`` when a refresh last found nothing stale."""

    def target(self, channel: str, first: bool) -> timedelta:
        """The response target of a channel: first response, or next response."""
        return self._targets[(first, channel if channel in CHANNELS else "email")]

    def due(
        self,
        *,
        status: str,
        channel: str,
        waiting_since: datetime | str | None,
        first_response_at: datetime | str | None,
    ) -> datetime | None:
        """The due time (UTC) of one conversation with these values; None when none is due.

        Times may be aware datetimes or the store's text (as raw SQL reads them)."""
        if status == "closed" or waiting_since is None:
            return None
        first = first_response_at is None
        return self.calendar.add(as_utc(waiting_since), self.target(channel, first))

    def due_of(self, row: Any) -> datetime | None:
        """:meth:`due` of anything with ``status``, ``channel``, ``waiting_since`` and
        ``first_response_at`` attributes (a row read with raw SQL, a record)."""
        return self.due(
            status=row.status,
            channel=row.channel,
            waiting_since=row.waiting_since,
            first_response_at=row.first_response_at,
        )

    def refresh(self) -> int:
        """Recompute the due time of every conversation whose basis changed; how many changed.

        Reads in a snapshot and computes outside the write lock; writes in one transaction,
        each row only if its basis is still the one computed from (else the next refresh)."""
        with self._lock:
            seen = self.store.change_counter()
            if seen == self._clean_at:
                return 0
            params = {"fp": self.fingerprint}
            with self.store.read() as db:
                if self._indexed is None:
                    self._indexed = db.scalar(_HAS_INDEXES) == len(PROPOSED_INDEXES)
                stale = db.all(_STALE_INDEXED if self._indexed else _STALE_SCAN, params)
            stale = list({row.id: row for row in stale}.values())
            if not stale:
                self._clean_at = seen
                return 0
            updates = [self._update(row) for row in stale]
            update = _UPDATE.replace(":fp", f"'{self.fingerprint}'")  # hex digits only
            with self.store.write(bulk=len(updates) > 1000) as db:
                before = db.scalar("SELECT total_changes()")
                db.executemany(update, updates)
                changed = int(db.scalar("SELECT total_changes()") - before)
            self._clean_at = None
            return changed

    def _update(self, row: Any) -> tuple[str | None, str | None, int, str | None]:
        """The parameters of the update for one stale row (the hot loop of a refresh)."""
        if row.basis is None:
            return (None, None, row.id, None)
        channel = row.channel if row.channel in CHANNELS else "email"
        target = self._targets[(bool(row.first), channel)]
        due = self.calendar.add_utc(_parse_naive_utc(row.waiting_since), target)
        return (due.isoformat(" ", "microseconds"), row.basis, row.id, row.basis)

    def describe(self, due_at: datetime | None) -> str:
        """:func:`describe` against this service's clock."""
        return describe(due_at, self.clock.now())

    def state(self, due_at: datetime | None) -> SlaState:
        """:func:`state` against this service's clock."""
        return state(due_at, self.clock.now())


def state(due_at: datetime | None, now: datetime, soon: timedelta = SOON) -> SlaState:
    """``"overdue"`` from the due instant on, ``"soon"`` when it is at most ``soon`` (real time)
    away, else ``"ok"`` (also when nothing is due).

    Why a fixed hour rather than a share of the target: the column shows a clock, and what an
    agent plans is the next hour of the queue; a waiting chat (5 minutes) is always "soon",
    which is right — it is the most urgent thing there is."""
    if due_at is None:
        return "ok"
    left = due_at - now
    if left <= timedelta(0):
        return "overdue"
    return "soon" if left <= soon else "ok"


def describe(due_at: datetime | None, now: datetime) -> str:
    """Time left or overdue in at most 11 characters: ``"45m left"``, ``"2h 10m left"``,
    ``"2d 15h left"``, ``"overdue 3h"``, ``"overdue 2d"``; ``""`` when nothing is due.

    Real (wall) time, rounded down: "45m left" means at least 45 minutes. Overdue exactly when
    :func:`state` says so."""
    if due_at is None:
        return ""
    left = due_at - now
    if left <= timedelta(0):
        return f"overdue {_short(-left)}"
    minutes = int(left // timedelta(minutes=1))
    hours, days = minutes // 60, minutes // 1440
    if minutes < 1:
        return "<1m left"
    if minutes < 60:
        return f"{minutes}m left"
    if hours < 10:
        return f"{hours}h {minutes % 60}m left" if minutes % 60 else f"{hours}h left"
    if hours < 48:
        return f"{hours}h left"
    if days < 10:
        return f"{days}d {hours % 24}h left" if hours % 24 else f"{days}d left"
    return f"{_short(left)} left"


def _short(span: timedelta) -> str:
    """One unit, rounded down, at most 3 characters: ``<1m``, ``59m``, ``23h``, ``99d``,
    ``99w``, ``99y``."""
    minutes = int(span // timedelta(minutes=1))
    if minutes < 1:
        return "<1m"
    for size, unit in ((1, "m"), (60, "h"), (1440, "d"), (10080, "w")):
        limit = {"m": 60, "h": 24, "d": 100, "w": 100}[unit]
        if minutes // size < limit:
            return f"{minutes // size}{unit}"
    return f"{min(minutes // 525960, 99)}y"


def _parse_naive_utc(text: str) -> datetime:
    """A time as the store writes it (naive UTC text) → naive UTC."""
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is None else parsed.astimezone(UTC).replace(tzinfo=None)


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())
