"""Storing fetched mail: content once, each server copy as a location, under the right customer
and conversation.

Why it is careful: the same message arrives several times (INBOX and Sent, a re-sync after a
crash, a UIDVALIDITY reset); it must never be stored twice, and two different messages that
share a broken Message-ID must never be merged into one. A customer's new message reopens its
conversation; auto-replies, bounces and bulk mail are kept but never reopen or count.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from agentconsole.clock import utc
from agentconsole.mail.parse import (
    ParsedMessage,
    aware_utc,
    extract_attachment,
    naive_utc,
    parse_message,
)
from agentconsole.mail.threads import find_conversation
from agentconsole.store.reader import Writer, stored_time

UNKNOWN_SENDER = "(unknown sender)"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Fetched:
    """One message as the server gave it."""

    uid: int
    flags: tuple[str, ...]
    raw: bytes
    internaldate: datetime | None = None
    modseq: int | None = None
    parsed: ParsedMessage | None = None
    """Parsed already (by a worker process during a big sync); parsed here when not."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled compactly, like ``ParsedMessage`` (the worker sends thousands)."""
        return (
            _fetched_from_wire,
            (
                self.uid,
                self.flags,
                self.raw,
                naive_utc(self.internaldate),
                self.modseq,
                self.parsed,
            ),
        )


def _fetched_from_wire(
    uid: int,
    flags: tuple[str, ...],
    raw: bytes,
    internaldate: datetime | None,
    modseq: int | None,
    parsed: ParsedMessage | None,
) -> Fetched:
    return Fetched(uid, flags, raw, aware_utc(internaldate), modseq, parsed)


@dataclass
class IngestContext:
    """What ingesting needs to know about the account it syncs."""

    account_id: int
    shop_addresses: frozenset[str]
    home: Path
    attachments_max_bytes: int
    now: datetime


@dataclass
class IngestResult:
    new: int = 0
    linked: int = 0
    conversations: set[int] = field(default_factory=set)
    customer_wrote: set[int] = field(default_factory=set)
    defects: list[str] = field(default_factory=list)


def ingest(
    w: Writer,
    ctx: IngestContext,
    mailbox_id: int,
    uidvalidity: int,
    items: Iterable[Fetched],
) -> IngestResult:
    """Store a batch inside the caller's transaction (which also advances the sync position)."""
    result = IngestResult()
    fresh: dict[int, int] = {}  # conversations created by this batch → their message count
    for item in items:
        parsed = item.parsed or parse_message(item.raw)
        found, key = _existing(w, parsed)
        if found is None:
            message_id, conversation_id, created = _insert(w, ctx, parsed, item, key)
            result.new += 1
            if created:
                fresh[conversation_id] = 0
            if parsed.defects:
                result.defects.append(f"uid {item.uid}: {'; '.join(parsed.defects)}")
            if parsed.from_addr not in ctx.shop_addresses and parsed.automated is None:
                result.customer_wrote.add(conversation_id)
        else:
            message_id, conversation_id = found
            result.linked += 1
            w.execute(
                "UPDATE message SET removed_at = NULL WHERE id = :id AND removed_at IS NOT NULL",
                {"id": message_id},
            )
            if "\\Seen" in item.flags:
                w.execute("UPDATE message SET seen = 1 WHERE id = :id", {"id": message_id})
            if "\\Flagged" in item.flags:
                w.execute("UPDATE message SET flagged = 1 WHERE id = :id", {"id": message_id})
        if conversation_id in fresh:
            fresh[conversation_id] += 1
        w.execute(
            "INSERT OR IGNORE INTO message_location "
            "(message_id, mailbox_id, uidvalidity, uid, flags, modseq) "
            "VALUES (:m, :b, :v, :u, :f, :s)",
            {
                "m": message_id,
                "b": mailbox_id,
                "v": uidvalidity,
                "u": item.uid,
                "f": " ".join(sorted(item.flags)),
                "s": item.modseq,
            },
        )
        result.conversations.add(conversation_id)
    for conversation_id in result.conversations:
        if fresh.get(conversation_id) == 1:
            continue  # created with its one message: its state was written with it
        refresh_conversation(
            w, conversation_id, ctx.now, customer_wrote=conversation_id in result.customer_wrote
        )
    return result


def content_key(parsed: ParsedMessage) -> str:
    """The key a second message reusing this Message-ID gets (different content, same id)."""
    basis = f"{parsed.from_addr}\0{parsed.subject}\0{parsed.date}\0{parsed.text[:4096]}"
    return f"{parsed.message_id}#{hashlib.sha256(basis.encode()).hexdigest()[:12]}"


def _existing(w: Writer, parsed: ParsedMessage) -> tuple[tuple[int, int] | None, str]:
    """The stored copy of this message (the same content, not just the same Message-ID), and
    the key a new row must use: the Message-ID, or a content key if another message took it."""
    key = parsed.message_id
    for attempt in range(2):
        row = w.first(
            "SELECT id, conversation_id, from_addr, subject, substr(body_text, 1, 4096) AS head "
            "FROM message WHERE message_id = :k",
            {"k": key},
        )
        if row is None:
            return None, key
        if (
            row.from_addr == parsed.from_addr
            and row.subject == parsed.subject
            and row.head == parsed.text[:4096]
        ):
            return (int(row.id), int(row.conversation_id)), key
        if attempt == 0:
            key = content_key(parsed)
    return None, key


def _insert(
    w: Writer, ctx: IngestContext, parsed: ParsedMessage, item: Fetched, key: str
) -> tuple[int, int, bool]:
    """Store new content; returns (message id, conversation id, conversation created)."""
    outbound = parsed.from_addr in ctx.shop_addresses
    received = utc(item.internaldate) if item.internaldate else ctx.now
    sent = parsed.date or received
    counterpart = _counterpart(parsed, ctx.shop_addresses, outbound)
    customer_id, new_customer = resolve_customer(
        w, counterpart, "" if outbound else parsed.from_name, ctx.now
    )
    conversation_id = find_conversation(
        w,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        # A customer met just now has no conversation to continue by subject.
        subject="" if new_customer else parsed.subject,
        customer_id=customer_id,
        at=sent,
    )
    created = conversation_id is None
    sent_at = stored_time(sent)
    if conversation_id is None:
        waits = not outbound and parsed.automated is None
        conversation_id = w.execute(
            "INSERT INTO conversation (subject, status, channel, customer_id, account_id, "
            "waiting_since, last_message_at, created_at) "
            "VALUES (:s, :st, 'email', :c, :a, :w, :t, :t)",
            {
                "s": parsed.subject or "(no subject)",
                # Mail that starts no conversation with a person is filed, not queued.
                "st": "closed" if parsed.automated else "pending" if outbound else "open",
                "c": customer_id,
                "a": ctx.account_id,
                "w": sent_at if waits else None,
                "t": sent_at,
            },
        )
    message_id = w.execute(
        "INSERT INTO message (message_id, conversation_id, customer_id, direction, channel, "
        'from_addr, from_name, to_addrs, cc_addrs, reply_to, subject, in_reply_to, "references", '
        "sent_at, received_at, body_text, is_automated, automated_reason, seen, flagged, size) "
        "VALUES "
        "(:mid, :conv, :cust, :dir, 'email', :fa, :fn, :to, :cc, :rt, :subj, :irt, :refs, :sent, "
        ":recv, :body, :auto, :why, :seen, :flagged, :size)",
        {
            "mid": key,
            "conv": conversation_id,
            "cust": customer_id,
            "dir": "outbound" if outbound else "inbound",
            "fa": parsed.from_addr,
            "fn": parsed.from_name,
            "to": ", ".join(parsed.to),
            "cc": ", ".join(parsed.cc),
            "rt": ", ".join(parsed.reply_to),
            "subj": parsed.subject,
            "irt": parsed.in_reply_to,
            "refs": " ".join(parsed.references),
            "sent": sent_at,
            "recv": stored_time(received),
            "body": parsed.text,
            "auto": parsed.automated is not None,
            "why": parsed.automated,
            "seen": outbound or "\\Seen" in item.flags,
            "flagged": "\\Flagged" in item.flags,
            "size": parsed.size,
        },
    )
    for attachment in parsed.attachments:
        stored = None
        if 0 < attachment.size <= ctx.attachments_max_bytes:
            stored = save_attachment(
                ctx.home, message_id, attachment.part_index, attachment.filename, item.raw
            )
        w.execute(
            "INSERT INTO attachment (message_id, filename, content_type, size, part_index, "
            "content_id, stored_path) VALUES (:m, :n, :t, :s, :p, :c, :path)",
            {
                "m": message_id,
                "n": attachment.filename,
                "t": attachment.content_type,
                "s": attachment.size,
                "p": attachment.part_index,
                "c": attachment.content_id,
                "path": stored,
            },
        )
    return message_id, conversation_id, created


def _counterpart(parsed: ParsedMessage, shop: frozenset[str], outbound: bool) -> str:
    """The customer's address: the sender, or for the shop's own mail the first recipient."""
    if not outbound:
        return parsed.from_addr
    for address in (*parsed.to, *parsed.cc):
        if address not in shop:
            return address
    return ""


def resolve_customer(w: Writer, address: str, name: str, now: datetime) -> tuple[int, bool]:
    """The customer behind an e-mail address, created (with that identity) the first time;
    and whether it was created now."""
    value = address.strip().lower() or UNKNOWN_SENDER
    row = w.first(
        "SELECT i.customer_id, c.name FROM customer_identity i "
        "JOIN customer c ON c.id = i.customer_id WHERE i.kind = 'email' AND i.value = :v",
        {"v": value},
    )
    if row is not None:
        if name and row[1] == value:  # known only by the address so far: now by name
            w.execute("UPDATE customer SET name = :n WHERE id = :id", {"n": name, "id": row[0]})
        return int(row[0]), False
    customer_id = w.execute(
        "INSERT INTO customer (name, language, notes, created_at) VALUES (:n, 'en', '', :t)",
        {"n": name or value, "t": stored_time(now)},
    )
    w.execute(
        "INSERT INTO customer_identity (customer_id, kind, value, is_primary) "
        "VALUES (:c, 'email', :v, 1)",
        {"c": customer_id, "v": value},
    )
    return customer_id, True


def refresh_conversation(
    w: Writer, conversation_id: int, now: datetime, *, customer_wrote: bool = False
) -> None:
    """Derive waiting-since, last activity, first response and status from the messages.

    A customer message newer than the shop's last reply means somebody waits: the conversation
    is (re)opened. A shop reply newer than every customer message means the customer has the
    ball: an open conversation becomes pending.
    """
    row = w.first(
        "SELECT c.status, c.snooze_until_reply, "
        " (SELECT max(sent_at) FROM message WHERE conversation_id = c.id "
        "   AND direction = 'outbound') AS last_out, "
        " (SELECT max(sent_at) FROM message WHERE conversation_id = c.id) AS last_any, "
        " (SELECT count(*) FROM message WHERE conversation_id = c.id AND removed_at IS NULL) "
        "   AS present "
        "FROM conversation c WHERE c.id = :id",
        {"id": conversation_id},
    )
    if row is None:
        return
    waiting = w.scalar(
        "SELECT min(sent_at) FROM message WHERE conversation_id = :id AND direction = 'inbound' "
        "AND is_automated = 0 AND (:out IS NULL OR sent_at > :out)",
        {"id": conversation_id, "out": row.last_out},
    )
    first_in = w.scalar(
        "SELECT min(sent_at) FROM message WHERE conversation_id = :id AND direction = 'inbound' "
        "AND is_automated = 0",
        {"id": conversation_id},
    )
    first_response = (
        w.scalar(
            "SELECT min(sent_at) FROM message WHERE conversation_id = :id "
            "AND direction = 'outbound' AND sent_at >= :first",
            {"id": conversation_id, "first": first_in},
        )
        if first_in
        else None
    )
    status = row.status
    if customer_wrote and waiting is not None:
        # The customer wrote again: reopen — and end a snooze, unless that snooze was chosen to
        # hold regardless of replies ("until Monday, whatever they say").
        if not (status == "snoozed" and not row.snooze_until_reply):
            status = "open"
    elif waiting is None and status == "open" and row.last_out is not None:
        status = "pending"
    w.execute(
        "UPDATE conversation SET status = :st, waiting_since = :w, last_message_at = "
        "max(last_message_at, coalesce(:last, last_message_at)), first_response_at = "
        "coalesce(first_response_at, :fr), snoozed_until = CASE WHEN :st = 'snoozed' "
        "THEN snoozed_until END, removed_at = CASE WHEN :present > 0 THEN NULL "
        "ELSE coalesce(removed_at, :now) END WHERE id = :id",
        {
            "st": status,
            "w": waiting,
            "last": row.last_any,
            "fr": first_response,
            "present": row.present,
            "now": stored_time(now),
            "id": conversation_id,
        },
    )


def save_attachment(
    home: Path, message_id: int, part_index: int, filename: str, raw: bytes
) -> str | None:
    """Save one attachment's bytes under ``attachments/<message>/``; the path relative to home."""
    safe = _SAFE_NAME.sub("_", filename).strip(" .") or "attachment"
    relative = Path("attachments") / str(message_id) / f"{part_index}-{safe[:120]}"
    target = home / relative
    try:
        data = extract_attachment(raw, part_index)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except (OSError, LookupError):
        return None  # fetched on demand instead; the listing is already stored
    return str(relative)
