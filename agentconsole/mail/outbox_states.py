"""The outbox's state changes, each one durable transaction (see reference §6.2).

    queued ─claim→ sending ─250→ sent (─APPEND→ filed)
                      ├─ 4xx / offline before DATA → retry (backoff) → claimable again
                      ├─ 5xx → failed (the server's words kept for the agent)
                      └─ cut off after DATA was started → unknown (the agent decides)

Why ``data_started`` is committed before the message body goes out: after that point the
server may have accepted the mail even if we never hear its 250, and sending again could
deliver it twice — so a crash there is never retried automatically.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from agentconsole.mail.parse import parse_message
from agentconsole.store.event_log import append
from agentconsole.store.reader import Writer, stored_time

ME = f"{socket.gethostname()}:{os.getpid()}"
"""Who claims a reply: this host and process, so a restart can tell a dead claim from a live
one at once (and a claim from another host is trusted until its lease runs out)."""

CLAIM_LEASE = timedelta(minutes=15)
OFFLINE_RETRY = timedelta(seconds=30)
"""Server unreachable: try again soon, without growing the wait — the network comes back."""
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
)
GIVE_UP_AFTER = timedelta(hours=48)


def claim(w: Writer, outbox_id: int, now: datetime) -> bool:
    """Take a due reply for sending; False when another sender (or an undo) was first."""
    return (
        w.execute(
            "UPDATE outbox SET state = 'sending', claimed_by = :me, claimed_at = :now, "
            "attempts = attempts + 1, data_started = 0 WHERE id = :id "
            "AND state IN ('queued', 'retry') AND send_after <= :now",
            {"me": ME, "now": stored_time(now), "id": outbox_id},
        )
        == 1
    )


def mark_data_started(w: Writer, outbox_id: int) -> None:
    w.execute("UPDATE outbox SET data_started = 1 WHERE id = :id", {"id": outbox_id})


def record_retry(
    w: Writer, outbox_id: int, now: datetime, error: str, code: int | None, *, offline: bool
) -> str:
    """Back to the queue with a later time (or failed after 48 h of trying); the new state."""
    row = w.one("SELECT attempts, created_at FROM outbox WHERE id = :id", {"id": outbox_id})
    created = datetime.fromisoformat(str(row.created_at)).replace(tzinfo=UTC)
    if now - created > GIVE_UP_AFTER:
        record_failed(w, outbox_id, now, f"gave up after 48 hours: {error}", code)
        return "failed"
    wait = OFFLINE_RETRY if offline else BACKOFF[min(max(row.attempts, 1), len(BACKOFF)) - 1]
    w.execute(
        "UPDATE outbox SET state = 'retry', send_after = :after, claimed_by = NULL, "
        "claimed_at = NULL, last_code = :code, last_error = :err WHERE id = :id",
        {"after": stored_time(now + wait), "code": code, "err": error[:500], "id": outbox_id},
    )
    return "retry"


def record_failed(w: Writer, outbox_id: int, now: datetime, error: str, code: int | None) -> None:
    w.execute(
        "UPDATE outbox SET state = 'failed', claimed_by = NULL, claimed_at = NULL, "
        "last_code = :code, last_error = :err WHERE id = :id",
        {"code": code, "err": error[:500], "id": outbox_id},
    )
    _event(w, outbox_id, now, "reply.failed", error=error[:500], code=code)


def record_unknown(w: Writer, outbox_id: int, now: datetime, error: str) -> None:
    w.execute(
        "UPDATE outbox SET state = 'unknown', claimed_by = NULL, claimed_at = NULL, "
        "last_error = :err WHERE id = :id",
        {"err": error[:500], "id": outbox_id},
    )
    _event(w, outbox_id, now, "reply.unknown", error=error[:500])


def record_sent(
    w: Writer, outbox_id: int, now: datetime, *, reply: str, refused: dict[str, str] | None = None
) -> int:
    """The server took it: store the message, move the conversation on, log it. Message id."""
    row = w.one("SELECT * FROM outbox WHERE id = :id", {"id": outbox_id})
    conversation_id = row.conversation_id
    if conversation_id is None:
        conversation_id = w.execute(
            "INSERT INTO conversation (subject, status, channel, customer_id, account_id, "
            "last_message_at, created_at) VALUES (:s, :st, 'email', :c, :a, :t, :t)",
            {
                "s": row.subject or "(no subject)",
                "st": row.status_after,
                "c": row.customer_id,
                "a": row.account_id,
                "t": stored_time(now),
            },
        )
    message_id = row.message_id or w.scalar(
        "SELECT id FROM message WHERE message_id = :m", {"m": row.rfc_message_id}
    )
    if message_id is None:
        # Stored as the sync will read the Sent copy, so that copy is recognised as this one.
        parsed = parse_message(bytes(row.raw))
        message_id = w.execute(
            "INSERT INTO message (message_id, conversation_id, customer_id, agent_id, "
            "direction, channel, from_addr, from_name, to_addrs, cc_addrs, reply_to, subject, "
            'in_reply_to, "references", sent_at, received_at, body_text, is_automated, seen, '
            "size) VALUES (:mid, :conv, :cust, :ag, 'outbound', 'email', :fa, :fn, :to, :cc, "
            "'', :subj, :irt, :refs, :sent, :now, :body, 0, 1, :size)",
            {
                "mid": row.rfc_message_id,
                "conv": conversation_id,
                "cust": row.customer_id,
                "ag": row.agent_id,
                "fa": parsed.from_addr or row.from_addr,
                "fn": row.from_name,
                "to": row.to_addrs,
                "cc": row.cc_addrs,
                "subj": parsed.subject,
                "irt": row.in_reply_to,
                "refs": row.references,
                "sent": str(row.created_at),  # the Date header, frozen when queued
                "now": stored_time(now),
                "body": parsed.text,
                "size": len(row.raw),
            },
        )
    refused_lines = "\n".join(f"{a}: {why}" for a, why in (refused or {}).items())
    w.execute(
        "UPDATE outbox SET state = 'sent', message_id = :m, conversation_id = :c, "
        "sent_at = :now, claimed_by = NULL, claimed_at = NULL, last_code = NULL, "
        "last_error = :err, refused = :ref WHERE id = :id",
        {
            "m": message_id,
            "c": conversation_id,
            "now": stored_time(now),
            "err": f"not delivered to {len(refused)} recipient(s)" if refused else None,
            "ref": refused_lines,
            "id": outbox_id,
        },
    )
    if row.kind == "forward":
        # Passed on to someone else (a supplier, a colleague): the customer still waits.
        w.execute(
            "UPDATE conversation SET status = :st, last_message_at = :now WHERE id = :c",
            {"st": row.status_after, "now": stored_time(now), "c": conversation_id},
        )
    else:
        w.execute(
            "UPDATE conversation SET status = :st, waiting_since = NULL, last_message_at = :now, "
            "snoozed_until = NULL, first_response_at = coalesce(first_response_at, :now), "
            "removed_at = NULL WHERE id = :c",
            {"st": row.status_after, "now": stored_time(now), "c": conversation_id},
        )
    if row.in_reply_to:
        # \\Answered on the server copies of the message this replies to (pushed by the sync).
        w.execute(
            "INSERT INTO pending_op (mailbox_id, uidvalidity, uid, op, flags, created_at, "
            "attempts) SELECT l.mailbox_id, l.uidvalidity, l.uid, '+FLAGS', '\\Answered', "
            ":now, 0 FROM message m JOIN message_location l ON l.message_id = m.id "
            "WHERE m.message_id = :irt",
            {"irt": row.in_reply_to, "now": stored_time(now)},
        )
    _event(
        w,
        outbox_id,
        now,
        "reply.sent",
        subject=("conversation", conversation_id),
        message_id=row.rfc_message_id,
        server=reply[:200],
        refused=refused_lines or None,
    )
    return int(message_id)


def record_filed(w: Writer, outbox_id: int, now: datetime) -> None:
    w.execute(
        "UPDATE outbox SET filing = 'done', filed_at = :now WHERE id = :id",
        {"now": stored_time(now), "id": outbox_id},
    )


def abandoned(w: Writer, now: datetime, alive: Any) -> list[Any]:
    """Claims left by a sender that died: this host's dead processes, or an expired lease."""
    rows = w.all(
        "SELECT id, claimed_by, claimed_at, data_started FROM outbox WHERE state = 'sending'"
    )
    host = socket.gethostname()
    out = []
    for row in rows:
        owner_host, _, pid = (row.claimed_by or "").rpartition(":")
        if row.claimed_by == ME:
            continue
        if owner_host == host and pid.isdigit():
            if not alive(int(pid)):
                out.append(row)
            continue
        claimed = datetime.fromisoformat(str(row.claimed_at)).replace(tzinfo=UTC)
        if now - claimed > CLAIM_LEASE:
            out.append(row)
    return out


def recover(w: Writer, row: Any, now: datetime) -> str:
    """Release an abandoned claim: back to the queue if nothing reached the server, else
    ``unknown`` (never resent by itself). The new state."""
    if not row.data_started:
        w.execute(
            "UPDATE outbox SET state = 'queued', send_after = :now, claimed_by = NULL, "
            "claimed_at = NULL WHERE id = :id",
            {"now": stored_time(now), "id": row.id},
        )
        return "queued"
    record_unknown(
        w,
        row.id,
        now,
        "the sender stopped after handing the message to the server; it may have been sent",
    )
    return "unknown"


def _event(
    w: Writer,
    outbox_id: int,
    now: datetime,
    kind: str,
    subject: tuple[str, int] | None = None,
    **data: Any,
) -> None:
    who = w.first(
        "SELECT g.id, g.handle FROM outbox o JOIN agent g ON g.id = o.agent_id WHERE o.id = :id",
        {"id": outbox_id},
    )
    kind_, sid = subject or ("outbox", outbox_id)
    append(
        w,
        at=now,
        actor=who.handle if who else "outbox",
        agent_id=who.id if who else None,
        kind=kind,
        subject_type=kind_,
        subject_id=sid,
        outbox_id=outbox_id,
        **{k: v for k, v in data.items() if v is not None},
    )
