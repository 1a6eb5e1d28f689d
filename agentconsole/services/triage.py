"""Triage: status, snooze, assignment, tags, priority — on one conversation or many at once.

Why one service for all of them: the console's keys, its bulk actions, macros and the CLI verbs
all change conversations the same way, so they share one code path. Every change is one write
transaction that also appends an event per conversation holding the fields' values before and
after, tagged with a batch id: that is what ``undo`` reverses, what other consoles notice, and
the audit trail. Undo never overwrites a later change made by somebody else: such conversations
are left as they are and named.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.services.agents import AgentRecord
from agentconsole.services.contact_log import ContactEntry
from agentconsole.store.db import Store
from agentconsole.store.event_log import append
from agentconsole.store.reader import Writer, stored_time
from agentconsole.store.vocabulary import PRIORITIES, STATUSES

UNDOABLE = (
    "conversation.status",
    "conversation.snooze",
    "conversation.assign",
    "conversation.tags",
    "conversation.priority",
    "conversation.note",
    "conversation.order_link",
    "conversation.merge",
    "contact.logged",
)
"""Event kinds that ``undo`` reverses (the last batch of them by the agent)."""
_FIELDS = (
    "status",
    "snoozed_until",
    "snooze_until_reply",
    "snooze_choice",
    "assignee_id",
    "priority",
    "merged_into_id",
)


class TriageError(Exception):
    """A triage request that cannot be carried out; ``str()`` is one line for the agent."""


@dataclass(frozen=True)
class TriageResult:
    """What one action did: which conversations changed (the others already were so)."""

    action: str
    changed: tuple[int, ...]
    unchanged: tuple[int, ...]
    message: str
    batch: str = ""


@dataclass(frozen=True)
class MergeCandidate:
    id: int
    subject: str
    status: str


def _ids(conversation_ids: Iterable[int]) -> list[int]:
    out: list[int] = []
    for cid in conversation_ids:
        if cid not in out:
            out.append(int(cid))
    if not out:
        raise TriageError("no conversation given")
    return out


def new_batch() -> str:
    """An id shared by the events of one action (what one undo reverses)."""
    return uuid.uuid4().hex[:12]


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class TriageService:
    """Changes an agent makes to conversations, each recorded in the event log."""

    def __init__(
        self, store: Store, clock: Clock, settings: Settings, agent: Callable[[], AgentRecord]
    ) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings
        self._agent = agent

    # -- the shared write path ------------------------------------------------------------

    def _write(self) -> AbstractContextManager[Writer]:
        """A write transaction, with the agent known first: registering a new agent is a write
        of its own, which must not wait for the lock this transaction holds."""
        self._agent()
        return self._store.write()

    def _rows(self, w: Writer, ids: Sequence[int]) -> dict[int, Any]:
        marks = ", ".join(f":i{n}" for n in range(len(ids)))
        rows = w.all(
            f"SELECT id, {', '.join(_FIELDS)}, (SELECT group_concat(tag, char(31)) FROM "
            "(SELECT tag FROM conversation_tag t WHERE t.conversation_id = c.id ORDER BY tag)) "
            f"AS tags FROM conversation c WHERE id IN ({marks})",
            {f"i{n}": cid for n, cid in enumerate(ids)},
        )
        found = {row.id: row for row in rows}
        missing = [cid for cid in ids if cid not in found]
        if missing:
            raise TriageError(f"no conversation {', '.join(map(str, missing))}")
        merged = [cid for cid in ids if found[cid].merged_into_id is not None]
        if merged:
            cid = merged[0]
            raise TriageError(
                f"conversation {cid} was merged into {found[cid].merged_into_id}: act on that one"
            )
        return found

    def _event(self, w: Writer, kind: str, cid: int, batch: str, **data: Any) -> None:
        agent = self._agent()
        append(
            w,
            at=self._clock.now(),
            actor=agent.handle,
            agent_id=agent.id,
            kind=kind,
            subject_type="conversation",
            subject_id=cid,
            batch=batch,
            **data,
        )

    def _set(
        self,
        conversation_ids: Iterable[int],
        kind: str,
        values: dict[str, Any],
        describe: str,
        batch: str | None = None,
    ) -> TriageResult:
        """Set ``values`` on every conversation (one transaction), an event for each change.
        ``batch``: join an earlier action's batch (a macro is undone in one go)."""
        ids = _ids(conversation_ids)
        batch = batch or new_batch()
        changed: list[int] = []
        stored = {k: stored_time(v) if isinstance(v, datetime) else v for k, v in values.items()}
        with self._write() as w:
            rows = self._rows(w, ids)
            for cid in ids:
                row = rows[cid]
                before = {k: getattr(row, k) for k in stored}
                if all(_same(before[k], stored[k]) for k in stored):
                    continue
                sets = ", ".join(f"{k} = :{k}" for k in stored)
                w.execute(f"UPDATE conversation SET {sets} WHERE id = :id", {**stored, "id": cid})
                self._event(w, kind, cid, batch, before=before, after=stored)
                changed.append(cid)
        unchanged = tuple(c for c in ids if c not in changed)
        return TriageResult(
            kind, tuple(changed), unchanged, describe_result(describe, changed, unchanged), batch
        )

    # -- statuses ---------------------------------------------------------------------------

    def set_status(
        self, conversation_ids: Iterable[int], status: str, *, batch: str | None = None
    ) -> TriageResult:
        """open, pending or closed (snoozing has its own rules: ``snooze``)."""
        if status not in STATUSES or status == "snoozed":
            raise TriageError(f"unknown status {status!r} (expected open, pending or closed)")
        verb = {"open": "reopened", "pending": "set pending", "closed": "closed"}[status]
        return self._set(
            conversation_ids,
            "conversation.status",
            {"status": status, "snoozed_until": None},
            verb,
            batch,
        )

    def snooze(
        self,
        conversation_ids: Iterable[int],
        until: datetime | None,
        *,
        until_reply: bool,
        choice: str = "",
        batch: str | None = None,
    ) -> TriageResult:
        """Out of the queue until ``until``, or until the customer replies, or both (whichever
        comes first); ``choice`` is the snooze as typed, kept for re-snoozing."""
        if until is None and not until_reply:
            raise TriageError("snooze until a time, until the customer replies, or both")
        if until is not None and until <= self._clock.now():
            raise TriageError("that time is already past")
        return self._set(
            conversation_ids,
            "conversation.snooze",
            {
                "status": "snoozed",
                "snoozed_until": until,
                "snooze_until_reply": until_reply,
                "snooze_choice": choice or None,
            },
            "snoozed",
            batch,
        )

    def snooze_choice(self, conversation_id: int) -> tuple[str, bool] | None:
        """The last snooze chosen for this conversation (else by this agent anywhere): the text
        typed and whether a reply ended it — what "re-snooze" repeats."""
        with self._store.read() as db:
            row = db.first(
                "SELECT snooze_choice, snooze_until_reply FROM conversation WHERE id = :id "
                "AND snooze_choice IS NOT NULL",
                {"id": conversation_id},
            )
            if row is None:
                data = db.scalar(
                    "SELECT data FROM event WHERE kind = 'conversation.snooze' AND agent_id = :a "
                    "AND json_extract(data, '$.after.snooze_choice') IS NOT NULL "
                    "ORDER BY id DESC LIMIT 1",
                    {"a": self._agent().id},
                )
                if data is None:
                    return None
                after = json.loads(data)["after"]
                return str(after["snooze_choice"]), bool(after["snooze_until_reply"])
        return str(row.snooze_choice), bool(row.snooze_until_reply)

    def wake_due(self) -> list[int]:
        """Snoozes whose time has come end: those conversations are open again (idempotent;
        any console or the sync may call it — the write lock keeps it to one waker)."""
        now = stored_time(self._clock.now())
        with self._store.read() as db:
            if not db.scalar(
                "SELECT 1 FROM conversation WHERE status = 'snoozed' AND snoozed_until <= :now "
                "LIMIT 1",
                {"now": now},
            ):
                return []
        with self._write() as w:
            ids = w.scalars(
                "SELECT id FROM conversation WHERE status = 'snoozed' AND snoozed_until <= :now",
                {"now": now},
            )
            for cid in ids:
                w.execute(
                    "UPDATE conversation SET status = 'open', snoozed_until = NULL WHERE id = :id",
                    {"id": cid},
                )
                append(
                    w,
                    at=self._clock.now(),
                    actor="clock",
                    agent_id=None,
                    kind="conversation.woke",
                    subject_type="conversation",
                    subject_id=cid,
                )
        return [int(c) for c in ids]

    # -- people, tags, priority ---------------------------------------------------------

    def agent_id_for(self, who: str) -> int | None:
        """``"me"``, ``"nobody"``/``"none"`` or a handle (the agent or a ``[[team]]`` member,
        registered in the store the first time they are named)."""
        who = who.strip().lstrip("@")
        if who.lower() in ("nobody", "none", "-", ""):
            return None
        me = self._agent()
        if who.lower() == "me" or who == me.handle:
            return me.id
        with self._store.read() as db:
            found = db.scalar(
                "SELECT id FROM agent WHERE handle = :h OR lower(name) = lower(:h) LIMIT 1",
                {"h": who},
            )
        if found is not None:
            return int(found)
        for member in self._settings.team:
            if member.handle == who:
                with self._write() as w:
                    w.execute(
                        "INSERT OR IGNORE INTO agent (name, email, handle, active) "
                        "VALUES (:n, :e, :h, 1)",
                        {"n": member.name, "e": member.email, "h": member.handle},
                    )
                    return int(w.scalar("SELECT id FROM agent WHERE handle = :h", {"h": who}))
        known = ", ".join(h for h, _ in self._settings.team_handles())
        raise TriageError(f"unknown agent {who!r} (known: {known}; add a [[team]] entry)")

    def assign(
        self, conversation_ids: Iterable[int], who: str, *, batch: str | None = None
    ) -> TriageResult:
        agent_id = self.agent_id_for(who)
        return self._set(
            conversation_ids,
            "conversation.assign",
            {"assignee_id": agent_id},
            f"assigned to {who}" if agent_id is not None else "unassigned",
            batch,
        )

    def set_priority(
        self, conversation_ids: Iterable[int], priority: str, *, batch: str | None = None
    ) -> TriageResult:
        if priority not in PRIORITIES:
            raise TriageError(f"unknown priority {priority!r} (expected {', '.join(PRIORITIES)})")
        return self._set(
            conversation_ids,
            "conversation.priority",
            {"priority": PRIORITIES.index(priority)},
            f"priority {priority}",
            batch,
        )

    def tag(
        self,
        conversation_ids: Iterable[int],
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        *,
        batch: str | None = None,
    ) -> TriageResult:
        """Add and remove tags (lower-case, no spaces or commas)."""
        add_set = {_tag(t) for t in add}
        remove_set = {_tag(t) for t in remove}
        if not add_set and not remove_set:
            raise TriageError("name a tag to add (+tag) or remove (-tag)")
        ids = _ids(conversation_ids)
        batch = batch or new_batch()
        changed: list[int] = []
        with self._write() as w:
            rows = self._rows(w, ids)
            for cid in ids:
                before = _tag_list(rows[cid].tags)
                after = sorted((set(before) | add_set) - remove_set)
                if after == before:
                    continue
                _write_tags(w, cid, after)
                self._event(w, "conversation.tags", cid, batch, before=before, after=after)
                changed.append(cid)
        words = [f"+{t}" for t in sorted(add_set)] + [f"-{t}" for t in sorted(remove_set)]
        unchanged = [c for c in ids if c not in changed]
        return TriageResult(
            "conversation.tags",
            tuple(changed),
            tuple(unchanged),
            describe_result(f"tagged {' '.join(words)}", changed, unchanged),
            batch,
        )

    # -- notes and orders ---------------------------------------------------------------

    def add_note(
        self, conversation_id: int, body: str, *, batch: str | None = None
    ) -> TriageResult:
        """An internal note: the team sees it in the thread, the customer never does."""
        text = body.strip()
        if not text:
            raise TriageError("the note is empty")
        batch = batch or new_batch()
        with self._write() as w:
            self._rows(w, [conversation_id])
            w.execute(
                "INSERT INTO conversation_note (conversation_id, agent_id, at, body) "
                "VALUES (:c, :a, :t, :b)",
                {
                    "c": conversation_id,
                    "a": self._agent().id,
                    "t": stored_time(self._clock.now()),
                    "b": text,
                },
            )
            note_id = int(w.scalar("SELECT last_insert_rowid()"))
            self._event(w, "conversation.note", conversation_id, batch, note_id=note_id)
        return TriageResult(
            "conversation.note", (conversation_id,), (), "note added (only the team sees it)", batch
        )

    def link_order(self, conversation_id: int, order: str) -> TriageResult:
        """Link the conversation to an order by the number customers quote (``#1001``)."""
        number = order.strip().lstrip("#")
        if not number:
            raise TriageError("name an order, e.g. #1001")
        batch = new_batch()
        with self._write() as w:
            self._rows(w, [conversation_id])
            found = w.all('SELECT id FROM "order" WHERE name = :n', {"n": f"#{number}"})
            if not found:
                raise TriageError(f"no order #{number} in the store (look it up first: o)")
            if len(found) > 1:
                raise TriageError(f"#{number} names orders in {len(found)} stores")
            order_id = int(found[0].id)
            done = not w.scalar(
                "SELECT 1 FROM conversation_order WHERE conversation_id = :c AND order_id = :o",
                {"c": conversation_id, "o": order_id},
            )
            if done:
                w.execute(
                    "INSERT INTO conversation_order (conversation_id, order_id, linked_at, "
                    "agent_id) VALUES (:c, :o, :t, :a)",
                    {
                        "c": conversation_id,
                        "o": order_id,
                        "t": stored_time(self._clock.now()),
                        "a": self._agent().id,
                    },
                )
                self._event(w, "conversation.order_link", conversation_id, batch, order_id=order_id)
        changed = (conversation_id,) if done else ()
        unchanged = () if done else (conversation_id,)
        return TriageResult(
            "conversation.order_link",
            changed,
            unchanged,
            f"linked to order #{number}" if done else f"already linked to #{number}",
            batch,
        )

    # -- merge, contacts, undo ------------------------------------------------------------

    def merge_candidates(self, conversation_id: int) -> list[MergeCandidate]:
        """The same customer's other conversations, newest first: what a merge usually joins."""
        with self._store.read() as db:
            rows = db.all(
                "SELECT o.id, o.subject, o.status FROM conversation c JOIN conversation o "
                "ON o.customer_id = c.customer_id AND o.id != c.id AND o.merged_into_id IS NULL "
                "WHERE c.id = :id ORDER BY o.last_message_at DESC LIMIT 20",
                {"id": conversation_id},
            )
        return [MergeCandidate(int(r.id), r.subject, r.status) for r in rows]

    def merge(self, source: int, into: int) -> TriageResult:
        """Merge conversation ``source`` into ``into`` (its history moves; it leaves the views)."""
        from agentconsole.services.merge import merge_into

        if source == into:
            raise TriageError("a conversation cannot be merged into itself")
        batch = new_batch()
        with self._write() as w:
            rows = self._rows(w, [source, into])
            if rows[source].merged_into_id is not None:
                raise TriageError(f"conversation {source} is already merged")
            data = merge_into(w, source, into, self._clock.now())
            self._event(w, "conversation.merge", source, batch, **data)
        return TriageResult(
            "conversation.merge", (source, into), (), f"merged {source} into {into}", batch
        )

    def log_contact(self, entry: ContactEntry) -> TriageResult:
        """A phone call, chat or social message, as a conversation entry (see contact_log)."""
        from agentconsole.services.contact_log import ContactError, log_contact

        batch = new_batch()
        try:
            with self._write() as w:
                if entry.conversation_id is not None:
                    self._rows(w, [entry.conversation_id])
                data = log_contact(w, entry, self._agent().id, self._clock.now())
                self._event(w, "contact.logged", data["conversation_id"], batch, **data)
        except ContactError as exc:
            raise TriageError(str(exc)) from None
        cid = int(data["conversation_id"])
        where = "new conversation" if data["created_conversation"] else "conversation"
        return TriageResult(
            "contact.logged",
            (cid,),
            (),
            f"{entry.channel} contact logged in {where} {cid}",
            batch,
        )

    def undo(self) -> TriageResult:
        """Reverse this agent's last triage action (see triage_undo)."""
        from agentconsole.services.triage_undo import undo_last

        agent = self._agent()
        with self._write() as w:
            return undo_last(w, agent.id, agent.handle, self._clock.now())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is not None and b is not None and bool(a) == bool(b)
    return a == b


def _tag(text: str) -> str:
    tag = text.strip().lstrip("+#").lower()
    if not tag or any(ch.isspace() or ch in ',:()"' for ch in tag):
        raise TriageError(f"invalid tag {text!r} (one word: letters, digits, - or _)")
    return tag


def _tag_list(joined: str | None) -> list[str]:
    return sorted(joined.split("\x1f")) if joined else []


def _write_tags(w: Writer, conversation_id: int, tags: Sequence[str]) -> None:
    w.execute("DELETE FROM conversation_tag WHERE conversation_id = :c", {"c": conversation_id})
    w.executemany(
        "INSERT INTO conversation_tag (conversation_id, tag) VALUES (?, ?)",
        [(conversation_id, t) for t in tags],
    )


def describe_result(verb: str, changed: Sequence[int], unchanged: Sequence[int]) -> str:
    """``"closed 3 conversations (1 already was)"``."""
    if not changed:
        return f"nothing to do: {plural(len(unchanged), 'conversation')} already so"
    text = f"{verb}: {plural(len(changed), 'conversation')}" if len(changed) > 1 else verb
    if unchanged:
        text += f" ({len(unchanged)} already so)"
    return text
