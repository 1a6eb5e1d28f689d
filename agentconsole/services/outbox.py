"""The outbox as the agent sees it: queue a draft, take it back, retry, decide doubtful sends.

Queueing freezes the message (Message-ID, Date, bytes) and removes the draft in one
transaction: from then on every attempt sends the same bytes. The reply waits out the undo
window (``[outgoing] undo_seconds``) before a sender may claim it; taking it back turns it into
a draft again. Sending itself is ``mail/outbox.py``'s job (``OutboxService.run_due`` and
``run_forever`` drive it for the console, ``agentconsole sync`` and the CLI).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.mail.compose import (
    AddressError,
    HeaderInjectionError,
    build_message,
    clean_header,
    new_message_id,
    parse_addresses,
)
from agentconsole.services._sql import as_utc
from agentconsole.services.agents import AgentRecord
from agentconsole.services.drafts import (
    STATUSES_AFTER,
    DraftService,
    draft_key,
    last_customer_message,
    write_draft,
)
from agentconsole.services.records import DraftRecord, OutboxEntry, QueuedReply
from agentconsole.store.db import Store
from agentconsole.store.event_log import append
from agentconsole.store.reader import stored_time

OPEN_STATES = ("queued", "sending", "retry", "failed", "unknown")


class ReplyError(Exception):
    """A reply that cannot be queued or changed; ``str()`` is one line for the agent."""


class CustomerWroteAgain(ReplyError):
    """The customer wrote after this reply was begun (perhaps while a colleague answered):
    sending stops once so the agent reads it; sending again goes ahead."""


class OutboxService:
    def __init__(self, store: Store, clock: Clock, settings: Settings, drafts: DraftService):
        self._store = store
        self._clock = clock
        self._settings = settings
        self._drafts = drafts

    # -- queueing ------------------------------------------------------------------------

    def _stop_if_customer_wrote_again(self, agent: AgentRecord, draft: DraftRecord) -> None:
        """The stale-send guard: a customer message newer than the one the draft began after
        stops the send once (the draft then counts it as seen)."""
        if draft.conversation_id is None or draft.kind == "new":
            return
        with self._store.write() as w:
            saved = w.scalar(
                "SELECT seen_upto FROM draft WHERE agent_id = :a AND key = :k",
                {"a": agent.id, "k": draft.key},
            )
            seen = max((v for v in (saved, draft.seen_upto) if v is not None), default=None)
            newest = w.first(
                "SELECT id, from_name, from_addr, sent_at FROM message WHERE conversation_id = :c "
                "AND direction = 'inbound' AND is_automated = 0 ORDER BY id DESC LIMIT 1",
                {"c": draft.conversation_id},
            )
            if seen is None or newest is None or newest.id <= seen:
                return
            seen_now = replace(draft, seen_upto=int(newest.id))
            account_id = w.scalar(
                "SELECT id FROM mail_account WHERE name = :n", {"n": draft.account}
            )
            write_draft(w, agent.id, seen_now, account_id, self._clock.now())
        who = newest.from_name or newest.from_addr or "The customer"
        at = as_utc(newest.sent_at)
        zone = ZoneInfo(self._settings.agent.timezone)
        raise CustomerWroteAgain(
            f"{who} wrote again at {at.astimezone(zone):%H:%M} after you began this reply: "
            "read it first (send again to send anyway)"
        )

    def queue(
        self, agent: AgentRecord, draft: DraftRecord, *, undo_seconds: float | None = None
    ) -> QueuedReply:
        """Freeze the draft into an outbox entry; it leaves when the undo window has passed."""
        try:
            to = parse_addresses(draft.to, "To")
            cc = parse_addresses(draft.cc, "Cc")
            subject = clean_header(draft.subject, "Subject")
        except (AddressError, HeaderInjectionError) as exc:
            raise ReplyError(str(exc)) from None
        if not to:
            raise ReplyError("the reply has no recipient (To is empty)")
        if not draft.body.strip():
            raise ReplyError("the reply is empty")
        if draft.status_after not in STATUSES_AFTER:
            raise ReplyError(f"unknown status {draft.status_after!r} for after sending")
        self._stop_if_customer_wrote_again(agent, draft)
        now = self._clock.now()
        wait = self._settings.outgoing.undo_seconds if undo_seconds is None else undo_seconds
        send_after = now + timedelta(seconds=wait)
        with self._store.write(durable=True) as w:
            account = w.first(
                "SELECT id, name, email FROM mail_account WHERE name = :n", {"n": draft.account}
            ) or w.first("SELECT id, name, email FROM mail_account ORDER BY id LIMIT 1")
            if account is None:
                raise ReplyError("no mail account is configured to send from")
            in_reply_to = None
            references: list[str] = []
            if draft.kind in ("reply", "reply_all") and draft.conversation_id is not None:
                last = last_customer_message(w, draft.conversation_id)
                if last is not None:
                    in_reply_to = f"<{last.message_id}>"
                    references = [f"<{r.strip('<>')}>" for r in last.references.split()]
                    references.append(in_reply_to)
            message_id = new_message_id(account.email.rsplit("@", 1)[-1])
            try:
                raw = build_message(
                    message_id=message_id,
                    from_name=agent.name,
                    from_addr=account.email,
                    to=to,
                    cc=cc,
                    subject=subject,
                    body=draft.body,
                    date=now,
                    in_reply_to=in_reply_to,
                    references=references[-20:],
                )
            except (AddressError, HeaderInjectionError) as exc:
                raise ReplyError(str(exc)) from None
            config = next((a for a in self._settings.accounts if a.name == account.name), None)
            files = (
                self._settings.outgoing.transport == "smtp"
                and config is not None
                and config.files_sent_copy
            )
            outbox_id = w.execute(
                "INSERT INTO outbox (rfc_message_id, conversation_id, customer_id, account_id, "
                "agent_id, kind, state, from_addr, from_name, to_addrs, cc_addrs, subject, "
                'body_text, in_reply_to, "references", raw, status_after, send_after, '
                "undo_until, attempts, data_started, refused, filing, created_at) VALUES "
                "(:mid, :conv, :cust, :acc, :ag, :kind, 'queued', :fa, :fn, :to, :cc, :subj, "
                ":body, :irt, :refs, :raw, :st, :after, :undo, 0, 0, '', :filing, :now)",
                {
                    "mid": message_id.strip("<>"),
                    "conv": draft.conversation_id,
                    "cust": draft.customer_id,
                    "acc": account.id,
                    "ag": agent.id,
                    "kind": draft.kind,
                    "fa": account.email,
                    "fn": agent.name,
                    "to": ", ".join(to),
                    "cc": ", ".join(cc),
                    "subj": subject,
                    "body": draft.body,
                    "irt": in_reply_to.strip("<>") if in_reply_to else None,
                    "refs": " ".join(r.strip("<>") for r in references),
                    "raw": raw,
                    "st": draft.status_after,
                    "after": stored_time(send_after),
                    "undo": stored_time(send_after) if wait > 0 else None,
                    "filing": "todo" if files else "off",
                    "now": stored_time(now),
                },
            )
            w.execute(
                "DELETE FROM draft WHERE agent_id = :ag AND key = :k",
                {"ag": agent.id, "k": draft.key},
            )
            append(
                w,
                at=now,
                actor=agent.handle,
                agent_id=agent.id,
                kind="reply.queued",
                subject_type="conversation" if draft.conversation_id else "customer",
                subject_id=draft.conversation_id or draft.customer_id or 0,
                outbox_id=outbox_id,
                message_id=message_id,
            )
        return QueuedReply(outbox_id, message_id.strip("<>"), draft.conversation_id, send_after)

    def undo(self, agent: AgentRecord, outbox_id: int) -> DraftRecord:
        """Take a queued reply back (before a sender claimed it); it becomes a draft again."""
        now = self._clock.now()
        with self._store.write(durable=True) as w:
            row = w.first(
                "SELECT o.*, a.name AS account FROM outbox o "
                "LEFT JOIN mail_account a ON a.id = o.account_id WHERE o.id = :id",
                {"id": outbox_id},
            )
            if row is None:
                raise ReplyError(f"no outbox entry {outbox_id}")
            taken = w.execute(
                "UPDATE outbox SET state = 'cancelled', last_error = 'taken back' "
                "WHERE id = :id AND state IN ('queued', 'retry', 'failed') "
                "AND claimed_by IS NULL AND data_started = 0",
                {"id": outbox_id},
            )
            if not taken:
                raise ReplyError(_too_late(row.state))
            draft = DraftRecord(
                key=draft_key(row.kind, row.conversation_id, row.customer_id),
                kind=row.kind,
                conversation_id=row.conversation_id,
                customer_id=row.customer_id,
                account=row.account or "",
                from_addr=row.from_addr,
                to=row.to_addrs,
                cc=row.cc_addrs,
                subject=row.subject,
                body=row.body_text,
                status_after=row.status_after,
                updated_at=now,
                restored=True,
            )
            write_draft(w, agent.id, draft, row.account_id, now)
            append(
                w,
                at=now,
                actor=agent.handle,
                agent_id=agent.id,
                kind="reply.undone",
                subject_type="outbox",
                subject_id=outbox_id,
            )
        return draft

    # -- deciding ------------------------------------------------------------------------

    def retry(self, agent: AgentRecord, outbox_id: int) -> OutboxEntry:
        """Send a failed or waiting reply again now — the same row, the same Message-ID."""
        return self._move(
            agent,
            outbox_id,
            "reply.retry",
            "UPDATE outbox SET state = 'queued', send_after = :now, last_error = NULL "
            "WHERE id = :id AND state IN ('retry', 'failed', 'queued')",
            "only a waiting or failed reply can be retried",
        )

    def resend(self, agent: AgentRecord, outbox_id: int) -> OutboxEntry:
        """The agent checked that a doubtful reply did not arrive: send it again (same bytes)."""
        return self._move(
            agent,
            outbox_id,
            "reply.resend",
            "UPDATE outbox SET state = 'queued', send_after = :now, data_started = 0, "
            "last_error = NULL WHERE id = :id AND state = 'unknown'",
            "only a reply whose delivery is in doubt can be sent again this way",
        )

    def mark_sent(self, agent: AgentRecord, outbox_id: int) -> OutboxEntry:
        """The agent checked that a doubtful reply did arrive: record it as sent."""
        from agentconsole.mail.outbox_states import record_sent

        now = self._clock.now()
        with self._store.write(durable=True) as w:
            row = w.first("SELECT state FROM outbox WHERE id = :id", {"id": outbox_id})
            if row is None:
                raise ReplyError(f"no outbox entry {outbox_id}")
            if row.state != "unknown":
                raise ReplyError("only a reply whose delivery is in doubt can be marked sent")
            record_sent(w, outbox_id, now, reply="marked sent by " + agent.handle)
            append(
                w,
                at=now,
                actor=agent.handle,
                agent_id=agent.id,
                kind="reply.marked_sent",
                subject_type="outbox",
                subject_id=outbox_id,
            )
        return self.entry(outbox_id)

    def cancel(self, agent: AgentRecord, outbox_id: int) -> OutboxEntry:
        """Give up on a reply that has not left (failed, waiting, or in doubt)."""
        return self._move(
            agent,
            outbox_id,
            "reply.cancelled",
            "UPDATE outbox SET state = 'cancelled' WHERE id = :id "
            "AND state IN ('queued', 'retry', 'failed', 'unknown') AND claimed_by IS NULL",
            "a reply that is being sent or was sent cannot be cancelled",
        )

    def _move(
        self, agent: AgentRecord, outbox_id: int, kind: str, sql: str, refusal: str
    ) -> OutboxEntry:
        now = self._clock.now()
        with self._store.write(durable=True) as w:
            if not w.first("SELECT 1 FROM outbox WHERE id = :id", {"id": outbox_id}):
                raise ReplyError(f"no outbox entry {outbox_id}")
            if not w.execute(sql, {"id": outbox_id, "now": stored_time(now)}):
                raise ReplyError(refusal)
            append(
                w,
                at=now,
                actor=agent.handle,
                agent_id=agent.id,
                kind=kind,
                subject_type="outbox",
                subject_id=outbox_id,
            )
        return self.entry(outbox_id)

    # -- reading -------------------------------------------------------------------------

    def entries(
        self, *, states: tuple[str, ...] | None = None, conversation_id: int | None = None
    ) -> list[OutboxEntry]:
        """Newest first. ``states`` defaults to everything; ``OPEN_STATES`` for what is left."""
        where = ["1 = 1"]
        params: dict[str, Any] = {}
        if states:
            where.append(f"o.state IN ({', '.join(f':s{i}' for i in range(len(states)))})")
            params.update({f"s{i}": s for i, s in enumerate(states)})
        if conversation_id is not None:
            where.append("o.conversation_id = :c")
            params["c"] = conversation_id
        with self._store.read() as db:
            rows = db.all(
                f"{_ENTRY_SQL} WHERE {' AND '.join(where)} ORDER BY o.id DESC",  # noqa: S608
                params,
            )
        return [_entry(r) for r in rows]

    def entry(self, outbox_id: int) -> OutboxEntry:
        with self._store.read() as db:
            row = db.first(f"{_ENTRY_SQL} WHERE o.id = :id", {"id": outbox_id})  # noqa: S608
        if row is None:
            raise ReplyError(f"no outbox entry {outbox_id}")
        return _entry(row)

    def counts(self) -> dict[str, int]:
        """How many replies are in each unfinished state (for the status bar)."""
        with self._store.read() as db:
            rows = db.all(
                "SELECT state, count(*) AS n FROM outbox WHERE state IN "
                "('queued', 'sending', 'retry', 'failed', 'unknown') GROUP BY state"
            )
        return {r.state: r.n for r in rows}

    # -- sending -------------------------------------------------------------------------

    async def run_due(self) -> int:
        """Send what is due now (one connection per account); the number of replies sent."""
        from agentconsole.mail.outbox import Sender

        return await Sender(self._store, self._settings, self._clock).run_due()

    async def run_forever(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        """Send replies as they come due until ``stop``; ``wake`` after queueing one."""
        from agentconsole.mail.outbox import Sender

        await Sender(self._store, self._settings, self._clock).run_forever(stop, wake)


def _too_late(state: str) -> str:
    if state in ("sending", "sent"):
        return "too late to take it back: the reply has already gone out"
    if state == "cancelled":
        return "that reply was already taken back"
    return f"the reply cannot be taken back now (it is {state})"


_ENTRY_SQL = (
    "SELECT o.id, o.state, o.conversation_id, coalesce(a.name, '') AS account, o.to_addrs, "
    "o.cc_addrs, o.subject, o.body_text, o.rfc_message_id, o.created_at, o.send_after, "
    "o.undo_until, o.attempts, o.last_code, o.last_error, o.refused, o.filing, o.sent_at, "
    "coalesce(g.handle, '') AS author FROM outbox o "
    "LEFT JOIN mail_account a ON a.id = o.account_id LEFT JOIN agent g ON g.id = o.agent_id"
)


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        state=row.state,
        conversation_id=row.conversation_id,
        account=row.account,
        to=row.to_addrs,
        cc=row.cc_addrs,
        subject=row.subject,
        body=row.body_text,
        message_id=row.rfc_message_id,
        created_at=as_utc(row.created_at),
        send_after=as_utc(row.send_after),
        undo_until=as_utc(row.undo_until) if row.undo_until else None,
        attempts=row.attempts,
        last_code=row.last_code,
        last_error=row.last_error,
        refused=tuple(line for line in row.refused.splitlines() if line),
        filing=row.filing,
        sent_at=as_utc(row.sent_at) if row.sent_at else None,
        author=row.author,
    )
