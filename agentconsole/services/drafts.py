"""Drafts: starting a reply (addresses, subject, quote, signature) and keeping it as it is typed.

Why a service of its own: the composer saves every few keystrokes and a crash or a quit must
lose nothing, so a draft lives in the store under a key that says what it answers; opening the
same reply again restores it instead of starting over.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from agentconsole.clock import Clock
from agentconsole.config import AccountConfig, Settings
from agentconsole.services._sql import as_utc
from agentconsole.services.agents import AgentRecord
from agentconsole.services.records import DraftRecord
from agentconsole.store.db import Store
from agentconsole.store.reader import Reader, Writer, stored_time

KINDS = ("reply", "reply_all", "forward", "new")
STATUSES_AFTER = ("pending", "open", "closed")


class DraftError(Exception):
    """A reply that cannot be started; ``str()`` is one line for the agent."""


def draft_key(kind: str, conversation_id: int | None, customer_id: int | None) -> str:
    if kind == "new" or conversation_id is None:
        return f"customer:{customer_id}:{kind}"
    return f"conversation:{conversation_id}:{kind}"


def _plain(subject: str) -> str:
    """A customer's subject without control characters (they could never be sent back)."""
    return " ".join("".join(c if c.isprintable() else " " for c in subject).split())


def reply_subject(subject: str) -> str:
    subject = _plain(subject)
    return subject if subject[:3].lower() == "re:" else f"Re: {subject}"


def forward_subject(subject: str) -> str:
    subject = _plain(subject)
    return subject if subject[:4].lower() == "fwd:" else f"Fwd: {subject}"


def quote(text: str) -> str:
    """Each line prefixed with ``> `` (``>`` alone for empty lines, as mail clients do)."""
    return "\n".join(f"> {line}" if line else ">" for line in text.rstrip().splitlines())


class DraftService:
    def __init__(self, store: Store, clock: Clock, settings: Settings) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings

    # -- reading -------------------------------------------------------------------------

    def get(self, agent: AgentRecord, key: str) -> DraftRecord | None:
        with self._store.read() as db:
            row = db.first(
                "SELECT d.*, a.name AS account, a.email AS account_email FROM draft d "
                "LEFT JOIN mail_account a ON a.id = d.account_id "
                "WHERE d.agent_id = :ag AND d.key = :k",
                {"ag": agent.id, "k": key},
            )
        return _record(row, restored=True) if row else None

    def all(self, agent: AgentRecord) -> list[DraftRecord]:
        with self._store.read() as db:
            rows = db.all(
                "SELECT d.*, a.name AS account, a.email AS account_email FROM draft d "
                "LEFT JOIN mail_account a ON a.id = d.account_id "
                "WHERE d.agent_id = :ag ORDER BY d.updated_at DESC",
                {"ag": agent.id},
            )
        return [_record(r, restored=True) for r in rows]

    # -- starting ------------------------------------------------------------------------

    def start(
        self,
        agent: AgentRecord,
        kind: str,
        *,
        conversation_id: int | None = None,
        customer_id: int | None = None,
    ) -> DraftRecord:
        """The saved draft for this reply if there is one, else a fresh one."""
        if kind not in KINDS:
            raise DraftError(f"unknown kind of message {kind!r} (expected {', '.join(KINDS)})")
        with self._store.read() as db:
            conv = None
            if conversation_id is not None:
                conv = db.first(
                    "SELECT id, subject, customer_id, account_id FROM conversation WHERE id = :id",
                    {"id": conversation_id},
                )
                if conv is None:
                    raise DraftError(f"conversation {conversation_id} does not exist")
                customer_id = conv.customer_id
            if customer_id is None:
                raise DraftError("a new message needs a customer")
            key = draft_key(kind, conversation_id, customer_id)
            saved = db.first(
                "SELECT d.*, a.name AS account, a.email AS account_email FROM draft d "
                "LEFT JOIN mail_account a ON a.id = d.account_id "
                "WHERE d.agent_id = :ag AND d.key = :k",
                {"ag": agent.id, "k": key},
            )
            if saved is not None:
                return _record(saved, restored=True)
            return self._fresh(db, kind, key, conv, customer_id)

    def _fresh(
        self,
        db: Reader,
        kind: str,
        key: str,
        conv: Any,
        customer_id: int,
    ) -> DraftRecord:
        account = self._account_row(db, conv.account_id if conv else None)
        own = {a.email.lower() for a in self._settings.accounts}
        if account is not None:
            own.add(account.email.lower())
        customer_email = db.scalar(
            "SELECT value FROM customer_identity WHERE customer_id = :c AND kind = 'email' "
            "ORDER BY is_primary DESC, id LIMIT 1",
            {"c": customer_id},
        )
        last = last_customer_message(db, conv.id) if conv is not None else None
        to: list[str] = []
        cc: list[str] = []
        subject = ""
        if kind in ("reply", "reply_all"):
            if last is not None:
                to = _split(last.reply_to) or [last.from_addr]
            elif customer_email:
                to = [customer_email]
            if kind == "reply_all" and last is not None:
                seen = {a.lower() for a in to} | own
                for address in _split(last.to_addrs) + _split(last.cc_addrs):
                    if address.lower() not in seen:
                        seen.add(address.lower())
                        cc.append(address)
            subject = reply_subject(conv.subject)
        elif kind == "forward":
            subject = forward_subject(conv.subject)
        else:
            to = [customer_email] if customer_email else []
        blocks = [self.signature(account.name if account else None)]
        if last is not None and kind in ("reply", "reply_all"):
            blocks.append(f"{self._said(last)}\n{quote(last.body_text)}\n")
        elif last is not None and kind == "forward":
            blocks.append(self._forwarded(last))
        body = "\n\n" + "\n\n".join(b for b in blocks if b)
        return DraftRecord(
            key=key,
            kind=kind,
            conversation_id=conv.id if conv else None,
            customer_id=customer_id,
            account=account.name if account else "",
            from_addr=account.email if account else "",
            to=", ".join(to),
            cc=", ".join(cc),
            subject=subject,
            body=body.rstrip("\n") + "\n" if body.strip() else "",
            # A forward passes the question on: the customer still waits for an answer.
            status_after="open" if kind == "forward" else "pending",
            seen_upto=newest_customer_message(db, conv.id) if conv is not None else None,
        )

    def signature(self, account_name: str | None) -> str:
        """``-- `` and the agent's signature, then the account's (either may be empty)."""
        parts = [self._settings.agent.signature.strip()]
        config = self.account_config(account_name)
        if config is not None:
            parts.append(config.signature.strip())
        lines = "\n".join(p for p in parts if p)
        return f"-- \n{lines}" if lines else ""

    def account_config(self, name: str | None) -> AccountConfig | None:
        return next((a for a in self._settings.accounts if a.name == name), None)

    def _account_row(self, db: Reader, account_id: int | None) -> Any:
        if account_id is not None:
            row = db.first(
                "SELECT id, name, email FROM mail_account WHERE id = :id", {"id": account_id}
            )
            if row is not None:
                return row
        return db.first("SELECT id, name, email FROM mail_account ORDER BY id LIMIT 1")

    def _local(self, at: datetime) -> str:
        return at.astimezone(ZoneInfo(self._settings.agent.timezone)).strftime(
            "%a, %d %b %Y at %H:%M"
        )

    def _said(self, last: Any) -> str:
        who = last.from_name or last.from_addr
        return f"On {self._local(as_utc(last.sent_at))}, {who} wrote:"

    def _forwarded(self, last: Any) -> str:
        sender = f"{last.from_name} <{last.from_addr}>" if last.from_name else last.from_addr
        return (
            "---------- Forwarded message ----------\n"
            f"From: {sender}\nDate: {self._local(as_utc(last.sent_at))}\n"
            f"Subject: {last.subject}\nTo: {last.to_addrs}\n\n{last.body_text.rstrip()}\n"
        )

    # -- keeping -------------------------------------------------------------------------

    def save(self, agent: AgentRecord, draft: DraftRecord) -> DraftRecord:
        """Store (or replace) the draft under its key; cheap enough to call as the agent types."""
        now = self._clock.now()
        with self._store.write() as w:
            account_id = w.scalar(
                "SELECT id FROM mail_account WHERE name = :n", {"n": draft.account}
            )
            write_draft(w, agent.id, draft, account_id, now)
        return _replace(draft, updated_at=now)

    def discard(self, agent: AgentRecord, key: str) -> bool:
        """Forget the draft; False when there was none."""
        with self._store.write() as w:
            return (
                w.execute(
                    "DELETE FROM draft WHERE agent_id = :ag AND key = :k",
                    {"ag": agent.id, "k": key},
                )
                > 0
            )


def write_draft(
    w: Writer, agent_id: int, draft: DraftRecord, account_id: int | None, now: datetime
) -> None:
    """Insert or replace the agent's draft under ``draft.key`` (inside a write transaction)."""
    w.execute(
        "INSERT INTO draft (agent_id, key, kind, conversation_id, customer_id, account_id, "
        "to_addrs, cc_addrs, subject, body, status_after, updated_at, seen_upto) VALUES "
        "(:ag, :k, :kind, :conv, :cust, :acc, :to, :cc, :subj, :body, :st, :now, :seen) "
        "ON CONFLICT (agent_id, key) DO UPDATE SET to_addrs = :to, cc_addrs = :cc, "
        "subject = :subj, body = :body, status_after = :st, account_id = :acc, "
        "updated_at = :now, "
        # only ever forward: a stale copy of the draft must not hide a message seen since
        "seen_upto = nullif(max(coalesce(seen_upto, 0), coalesce(:seen, 0)), 0)",
        {
            "ag": agent_id,
            "k": draft.key,
            "kind": draft.kind,
            "conv": draft.conversation_id,
            "cust": draft.customer_id,
            "acc": account_id,
            "to": draft.to,
            "cc": draft.cc,
            "subj": draft.subject,
            "body": draft.body,
            "st": draft.status_after,
            "now": stored_time(now),
            "seen": draft.seen_upto,
        },
    )


def newest_customer_message(db: Reader, conversation_id: int) -> int | None:
    """The id of the customer's newest message written by a person (not an auto-reply)."""
    found = db.scalar(
        "SELECT max(id) FROM message WHERE conversation_id = :c AND direction = 'inbound' "
        "AND is_automated = 0",
        {"c": conversation_id},
    )
    return int(found) if found is not None else None


def last_customer_message(db: Reader, conversation_id: int) -> Any:
    """The message a reply answers: the customer's latest, a person's before an auto-reply."""
    return db.first(
        "SELECT message_id, from_addr, from_name, to_addrs, cc_addrs, reply_to, subject, "
        '"references", sent_at, body_text FROM message WHERE conversation_id = :c '
        "AND direction = 'inbound' ORDER BY is_automated, sent_at DESC, id DESC LIMIT 1",
        {"c": conversation_id},
    )


def _split(value: str | None) -> list[str]:
    from email.utils import getaddresses

    return [a for _, a in getaddresses([value or ""]) if a]


def _replace(draft: DraftRecord, **changes: Any) -> DraftRecord:
    import dataclasses

    return dataclasses.replace(draft, **changes)


def _record(row: Any, *, restored: bool) -> DraftRecord:
    return DraftRecord(
        key=row.key,
        kind=row.kind,
        conversation_id=row.conversation_id,
        customer_id=row.customer_id,
        account=row.account or "",
        from_addr=row.account_email or "",
        to=row.to_addrs,
        cc=row.cc_addrs,
        subject=row.subject,
        body=row.body,
        status_after=row.status_after,
        updated_at=as_utc(row.updated_at),
        restored=restored,
        seen_upto=row.seen_upto,
    )
