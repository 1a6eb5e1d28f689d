"""The unified inbox: views over every conversation, paged straight from SQLite.

Why paging: a shop's store grows to hundreds of thousands of conversations; the console holds a
window of rows and asks for the page it needs, so scrolling costs the same at any size.
Order: the customer who has waited longest comes first; then the most recent activity.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from agentconsole.clock import Clock
from agentconsole.services._sql import as_utc
from agentconsole.services.query import compile_query
from agentconsole.services.records import (
    AttachmentInfo,
    ConversationDetail,
    ConversationSummary,
    ThreadEntry,
)
from agentconsole.store.db import Store
from agentconsole.store.reader import stored_time

ACTIVE_STATUSES = ("open", "pending")
LISTINGS_KEPT = 4
"""Searches whose ordered matches are kept (the one typed now, the views it toggles between)."""


@dataclass(frozen=True)
class InboxView:
    """Which conversations to list: statuses, and an optional search typed by the agent, in
    the search language (``services.query``). ``me`` is the agent at the keyboard, for
    ``assignee:me``: their agent id, or their handle (readers that never register the agent)."""

    statuses: tuple[str, ...] = ACTIVE_STATUSES
    search: str = ""
    me: int | str | None = None
    name: str = ""
    """The view's name in the sidebar (its title)."""
    by_due: bool = False
    """Soonest due first (the SLA clock) instead of longest waiting first."""

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        label = "All" if not self.statuses else "/".join(s.capitalize() for s in self.statuses)
        return f"{label} · “{self.search}”" if self.search else label


_SELECT = """
SELECT c.id, c.subject, c.status, c.channel, c.customer_id, cu.name AS customer_name,
       (SELECT ci.value FROM customer_identity ci
         WHERE ci.customer_id = c.customer_id AND ci.kind = 'email'
         ORDER BY ci.is_primary DESC, ci.id LIMIT 1) AS customer_email,
       c.waiting_since, c.last_message_at, c.snoozed_until, a.name AS assignee,
       (SELECT group_concat(tag, ',') FROM
         (SELECT tag FROM conversation_tag t WHERE t.conversation_id = c.id ORDER BY tag)) AS tags,
       EXISTS (SELECT 1 FROM message f WHERE f.conversation_id = c.id AND f.flagged) AS flagged,
       c.due_at, c.priority, c.snooze_until_reply
  FROM conversation c
  JOIN customer cu ON cu.id = c.customer_id
  LEFT JOIN agent a ON a.id = c.assignee_id
"""

_QUEUE_KEYS = (
    ("c.waiting_since IS NULL", "<"),
    ("c.waiting_since", "<"),
    ("c.last_message_at", ">"),
    ("c.id", ">"),
)
_DUE_KEYS = (
    ("c.due_at IS NULL", "<"),
    ("c.due_at", "<"),
    ("c.priority", ">"),
    ("c.last_message_at", ">"),
    ("c.id", ">"),
)
"""The two queue orders as (expression, comparison that puts a row first): ``<`` ascending,
``>`` descending. A nullable column follows its own ``IS NULL`` key, so two rows compared on
it are both null (equal, ``IS``) or both not."""


def _order_by(keys: tuple[tuple[str, str], ...]) -> str:
    return " ORDER BY " + ", ".join(f"{e}{'' if op == '<' else ' DESC'}" for e, op in keys)


def _before(keys: tuple[tuple[str, str], ...]) -> str:
    """SQL: the row comes before the one whose keys are ``:k0``, ``:k1`` … in this order."""
    last = len(keys) - 1
    expr, op = keys[last]
    sql = f"({expr}) {op} :k{last}"
    for i in range(last - 1, -1, -1):
        expr, op = keys[i]
        sql = f"(({expr}) {op} :k{i} OR (({expr}) IS :k{i} AND {sql}))"
    return sql


_ORDER = _order_by(_QUEUE_KEYS)
_BY_DUE = _order_by(_DUE_KEYS)


def _where(view: InboxView, now: datetime, zone: ZoneInfo) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of a view; a search that cannot be read raises ``QueryError``."""
    # A conversation merged into another lives on in that one: in no view, no search.
    clauses: list[str] = ["c.merged_into_id IS NULL"]
    params: dict[str, Any] = {}
    if view.statuses:
        names = [f":s{i}" for i in range(len(view.statuses))]
        clauses.append(f"c.status IN ({', '.join(names)})")
        # Mail expunged on the server leaves the queue; "All" still finds it as history.
        clauses.append("c.removed_at IS NULL")
        params.update({f"s{i}": s for i, s in enumerate(view.statuses)})
    query = compile_query(view.search, now=now, zone=zone, me=view.me)
    if query is not None:
        clauses.append(query.where)
        params.update(query.params)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return where, params


def _order(view: InboxView) -> str:
    return _BY_DUE if view.by_due else _ORDER


def _keys(view: InboxView) -> tuple[tuple[str, str], ...]:
    return _DUE_KEYS if view.by_due else _QUEUE_KEYS


def _summary(row: Any) -> ConversationSummary:
    return ConversationSummary(
        id=row.id,
        subject=row.subject,
        status=row.status,
        channel=row.channel,
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        customer_email=row.customer_email,
        waiting_since=as_utc(row.waiting_since),
        last_message_at=as_utc(row.last_message_at),
        snoozed_until=as_utc(row.snoozed_until),
        assignee=row.assignee,
        tags=tuple(row.tags.split(",")) if row.tags else (),
        flagged=bool(row.flagged),
        due_at=as_utc(row.due_at),
        priority=int(row.priority),
        snooze_until_reply=bool(row.snooze_until_reply),
    )


class InboxService:
    """Reading the queue: counts, pages, one conversation's thread."""

    def __init__(self, store: Store, clock: Clock, zone: str = "UTC") -> None:
        self._store = store
        self._clock = clock
        self._zone = ZoneInfo(zone)  # the agent's: what "after:today" and "before:2026-11-30" mean
        self._listings: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()
        self._listings_lock = threading.Lock()

    def mark_seen(self, conversation_id: int) -> int:
        """Mark the customer's messages read, here and (through the sync) on the server."""
        now = stored_time(self._clock.now())
        with self._store.write() as w:
            rows = w.all(
                "SELECT m.id, l.mailbox_id, l.uidvalidity, l.uid FROM message m "
                "LEFT JOIN message_location l ON l.message_id = m.id "
                "WHERE m.conversation_id = :c AND m.seen = 0",
                {"c": conversation_id},
            )
            for row in rows:
                if row.mailbox_id is not None:
                    w.execute(
                        "INSERT INTO pending_op (mailbox_id, uidvalidity, uid, op, flags, "
                        "created_at, attempts) VALUES (:b, :v, :u, '+FLAGS', :f, :t, 0)",
                        {
                            "b": row.mailbox_id,
                            "v": row.uidvalidity,
                            "u": row.uid,
                            "f": "\\Seen",
                            "t": now,
                        },
                    )
            w.execute(
                "UPDATE message SET seen = 1 WHERE conversation_id = :c AND seen = 0",
                {"c": conversation_id},
            )
        return len({row.id for row in rows})

    def set_flagged(self, conversation_id: int, flagged: bool) -> bool:
        """Flag the customer's latest message (or unflag every flagged one), here and, through
        the sync, on the server (\\Flagged) — so other mail clients see it too. The new mark."""
        now = stored_time(self._clock.now())
        with self._store.write() as w:
            if flagged:
                rows = w.all(
                    "SELECT id FROM message WHERE conversation_id = :c "
                    "ORDER BY direction = 'inbound' DESC, sent_at DESC, id DESC LIMIT 1",
                    {"c": conversation_id},
                )
            else:
                rows = w.all(
                    "SELECT id FROM message WHERE conversation_id = :c AND flagged",
                    {"c": conversation_id},
                )
            for row in rows:
                w.execute(
                    "UPDATE message SET flagged = :f WHERE id = :id", {"f": flagged, "id": row.id}
                )
                w.execute(
                    "INSERT INTO pending_op (mailbox_id, uidvalidity, uid, op, flags, created_at, "
                    "attempts) SELECT mailbox_id, uidvalidity, uid, :op, '\\Flagged', :t, 0 "
                    "FROM message_location WHERE message_id = :id",
                    {"op": "+FLAGS" if flagged else "-FLAGS", "t": now, "id": row.id},
                )
        return flagged and bool(rows)

    def _index_stragglers(self, view: InboxView) -> None:
        """Searching sees every stored message: index what the last writer left (a few at
        most, never waiting; a big backlog is the background indexer's job)."""
        if view.search.strip():
            self._store.search.index_a_few()

    def count(self, view: InboxView) -> int:
        self._index_stragglers(view)
        where, params = _where(view, self._clock.now(), self._zone)
        if view.search.strip():
            return len(self._listing(where, params, _order(view)))
        # A queue view's conditions are the Inbox order index's own: counted from it alone
        # (left to itself SQLite takes the due-time index and reads every row: 5 ms for Closed).
        hint = " INDEXED BY ix_conversation_inbox_order" if view.statuses else ""
        sql = f"SELECT count(*) FROM conversation c{hint}{where}"
        with self._store.read() as db:
            return int(db.scalar(sql, params))

    def page(self, view: InboxView, offset: int, limit: int) -> list[ConversationSummary]:
        """Rows ``offset`` … ``offset + limit`` of the view, in queue order."""
        self._index_stragglers(view)
        where, params = _where(view, self._clock.now(), self._zone)
        order = _order(view)
        if view.search.strip():
            ids = self._listing(where, params, order)[offset : offset + limit]
            if not ids:
                return []
            # Ids the store handed out: integers, safe to write into the statement.
            sql = f"{_SELECT} WHERE c.id IN ({', '.join(str(int(i)) for i in ids)})"
            with self._store.read() as db:
                rows = {row.id: row for row in db.all(sql)}
            return [_summary(rows[i]) for i in ids if i in rows]
        params.update(limit=limit, offset=offset)
        # The page's ids first, then the line details for those rows only: the per-row
        # subqueries (e-mail, tags, flags) never run for matches outside the page.
        ids_sql = f"SELECT c.id FROM conversation c{where}{order} LIMIT :limit OFFSET :offset"
        sql = f"{_SELECT} WHERE c.id IN ({ids_sql}){order}"
        with self._store.read() as db:
            return [_summary(row) for row in db.all(sql, params)]

    def position(self, view: InboxView, conversation_id: int) -> int | None:
        """Where the conversation stands in the view (its row number), or None when the view
        does not hold it: so a cursor stays on its conversation when the view changes.
        Two index reads (the row's keys, then how many rows come before it), at any depth."""
        self._index_stragglers(view)
        where, params = _where(view, self._clock.now(), self._zone)
        if view.search.strip():
            ids = self._listing(where, params, _order(view))
            try:
                return ids.index(conversation_id)
            except ValueError:
                return None
        keys = _keys(view)
        columns = ", ".join(f"{expr} AS k{i}" for i, (expr, _) in enumerate(keys))
        with self._store.read() as db:
            row = db.first(
                f"SELECT {columns} FROM conversation c{where} AND c.id = :conversation_id",
                {**params, "conversation_id": conversation_id},
            )
            if row is None:
                return None
            before = {f"k{i}": value for i, value in enumerate(row)}
            return int(
                db.scalar(
                    f"SELECT count(*) FROM conversation c{where} AND {_before(keys)}",
                    {**params, **before},
                )
            )

    def _listing(self, where: str, params: dict[str, Any], order: str) -> list[int]:
        """A search's matches in queue order, evaluated once for its count and every page.

        Why: a search is the costly part of a view (the full-text index, names, subjects);
        the console asks for the count, the first page and the pages around its cursor right
        after each other. Kept until anything is written to the store or its index (the key
        holds both versions, read before the query: a commit racing it only makes the next
        call evaluate again), or the clock moves a relative time (it is in the parameters)."""
        key = (
            where,
            order,
            tuple(sorted(params.items())),
            self._store.change_counter(),
            self._store.search.indexed_upto(),
        )
        with self._listings_lock:
            ids = self._listings.get(key)
            if ids is not None:
                self._listings.move_to_end(key)
                return ids
        # One row (a JSON array) instead of a row per match: 3× faster for thousands.
        sql = f"SELECT json_group_array(id) FROM (SELECT c.id FROM conversation c{where}{order})"
        with self._store.read() as db:
            ids = json.loads(db.scalar(sql, params))
        with self._listings_lock:
            self._listings[key] = ids
            while len(self._listings) > LISTINGS_KEPT:
                self._listings.popitem(last=False)
        return ids

    def forget_searches(self) -> None:
        """Drop the kept search results (a benchmark measuring the first evaluation)."""
        with self._listings_lock:
            self._listings.clear()

    def summary(self, conversation_id: int) -> ConversationSummary | None:
        sql = f"{_SELECT} WHERE c.id = :id"
        with self._store.read() as db:
            row = db.first(sql, {"id": conversation_id})
        return _summary(row) if row else None

    def conversation(self, conversation_id: int) -> ConversationDetail | None:
        """The whole thread, oldest first: messages and logged contacts merged by time."""
        summary = self.summary(conversation_id)
        if summary is None:
            return None
        with self._store.read() as db:
            messages = db.all(
                "SELECT m.id, m.sent_at, m.direction, m.channel, m.from_name, m.from_addr,"
                " m.subject, m.body_text, m.is_automated, m.removed_at, a.name AS agent"
                " FROM message m LEFT JOIN agent a ON a.id = m.agent_id"
                " WHERE m.conversation_id = :id ORDER BY m.sent_at, m.id",
                {"id": conversation_id},
            )
            contacts = db.all(
                "SELECT k.occurred_at, k.direction, k.channel, k.summary, k.duration_s,"
                " a.name AS agent FROM contact k LEFT JOIN agent a ON a.id = k.agent_id"
                " WHERE k.conversation_id = :id ORDER BY k.occurred_at, k.id",
                {"id": conversation_id},
            )
            notes = db.all(
                "SELECT n.at, n.body, a.name AS agent FROM conversation_note n "
                "LEFT JOIN agent a ON a.id = n.agent_id WHERE n.conversation_id = :id "
                "ORDER BY n.at, n.id",
                {"id": conversation_id},
            )
            first_response = db.scalar(
                "SELECT first_response_at FROM conversation WHERE id = :id",
                {"id": conversation_id},
            )
            files: dict[int, list[AttachmentInfo]] = {}
            for f in db.all(
                "SELECT t.id, t.message_id, t.filename, t.content_type, t.size, t.stored_path "
                "FROM attachment t JOIN message m ON m.id = t.message_id "
                "WHERE m.conversation_id = :id ORDER BY t.id",
                {"id": conversation_id},
            ):
                files.setdefault(f.message_id, []).append(
                    AttachmentInfo(f.id, f.filename, f.content_type, f.size, f.stored_path)
                )
        entries = [
            ThreadEntry(
                at=as_utc(m.sent_at),
                kind="message",
                direction=m.direction,
                channel=m.channel,
                author=(m.agent or m.from_name) if m.direction == "outbound" else m.from_name,
                address=m.from_addr,
                subject=m.subject,
                text=m.body_text,
                automated=bool(m.is_automated),
                attachments=tuple(files.get(m.id, ())),
                removed_on_server=m.removed_at is not None,
            )
            for m in messages
        ]
        for k in contacts:
            minutes = f" ({k.duration_s // 60} min)" if k.duration_s else ""
            entries.append(
                ThreadEntry(
                    at=as_utc(k.occurred_at),
                    kind="contact",
                    direction=k.direction,
                    channel=k.channel,
                    author=(k.agent or "") if k.direction == "outbound" else summary.customer_name,
                    address="",
                    subject=f"{k.channel} {k.direction}{minutes}",
                    text=k.summary,
                )
            )
        for n in notes:
            entries.append(
                ThreadEntry(
                    at=as_utc(n.at),
                    kind="note",
                    direction="internal",
                    channel="note",
                    author=n.agent or "",
                    address="",
                    subject="internal note",
                    text=n.body,
                )
            )
        entries.sort(key=lambda e: e.at)
        return ConversationDetail(
            summary=summary, entries=tuple(entries), first_response_at=as_utc(first_response)
        )
