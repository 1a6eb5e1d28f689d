"""Logging a contact on another channel (a phone call, a chat transcript, a social message) so
the inbox holds every conversation, not only e-mail, and the 360 pane counts it.

A contact joins a conversation the agent names, else starts one on its channel. An inbound
contact that still needs an answer (a voicemail, a chat left waiting) opens the conversation and
starts its response clock (phone: the call-back target); a handled one is logged as history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agentconsole.store.reader import Writer, stored_time
from agentconsole.store.vocabulary import CHANNELS


class ContactError(ValueError):
    """A contact that cannot be logged; one line for the agent."""


@dataclass(frozen=True)
class ContactEntry:
    """A contact as the agent describes it."""

    customer: str
    """The customer: an id, an e-mail address or a phone number they are known by."""
    channel: str
    direction: str
    summary: str
    at: datetime
    duration_s: int | None = None
    conversation_id: int | None = None
    needs_answer: bool = False
    """Inbound and not answered yet: the conversation opens and its clock runs."""


def find_customer(w: Writer, ref: str, now: datetime) -> int:
    """A customer by id, e-mail or phone; an unknown address or number becomes a new customer
    (an unknown id is an error)."""
    text = ref.strip()
    if text.isdigit() and w.scalar("SELECT 1 FROM customer WHERE id = :i", {"i": int(text)}):
        return int(text)
    if "@" in text:
        value, kind = text.lower(), "email"
    else:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) < 6:
            raise ContactError(f"no customer {ref!r} (give an id, an e-mail or a phone number)")
        value, kind = ("+" if text.startswith("+") else "") + digits, "phone"
    found = w.scalar(
        "SELECT customer_id FROM customer_identity WHERE kind = :k AND value = :v",
        {"k": kind, "v": value},
    )
    if found is not None:
        return int(found)
    name = text.split("@")[0] if kind == "email" else text
    w.execute(
        "INSERT INTO customer (name, language, notes, created_at) VALUES (:n, 'en', '', :t)",
        {"n": name, "t": stored_time(now)},
    )
    customer_id = int(w.scalar("SELECT last_insert_rowid()"))
    w.execute(
        "INSERT INTO customer_identity (customer_id, kind, value, is_primary) "
        "VALUES (:c, :k, :v, 1)",
        {"c": customer_id, "k": kind, "v": value},
    )
    return customer_id


def log_contact(w: Writer, entry: ContactEntry, agent_id: int, now: datetime) -> dict[str, Any]:
    """Write the contact (and its conversation when new); what was written, for the event."""
    if entry.channel not in CHANNELS:
        raise ContactError(f"unknown channel {entry.channel!r} (expected {', '.join(CHANNELS)})")
    if entry.direction not in ("inbound", "outbound"):
        raise ContactError("direction: inbound (the customer reached us) or outbound (we did)")
    summary = entry.summary.strip()
    if not summary:
        raise ContactError("say what the contact was about (a summary)")
    if entry.at > now:
        raise ContactError("a contact cannot be logged in the future")
    customer_id = find_customer(w, entry.customer, now)
    created = False
    waits = entry.needs_answer and entry.direction == "inbound"
    at = stored_time(entry.at)
    conversation_id = entry.conversation_id
    if conversation_id is None:
        subject = summary.splitlines()[0][:80]
        w.execute(
            "INSERT INTO conversation (subject, status, channel, customer_id, waiting_since, "
            "last_message_at, created_at, priority, snooze_until_reply) "
            "VALUES (:s, :st, :ch, :c, :w, :t, :t, 1, 1)",
            {
                "s": subject,
                "st": "open" if waits else "closed",
                "ch": entry.channel,
                "c": customer_id,
                "w": at if waits else None,
                "t": at,
            },
        )
        conversation_id = int(w.scalar("SELECT last_insert_rowid()"))
        created = True
    else:
        row = w.first(
            "SELECT customer_id FROM conversation WHERE id = :id", {"id": conversation_id}
        )
        if row is None:
            raise ContactError(f"no conversation {conversation_id}")
        customer_id = int(row.customer_id)
        w.execute(
            "UPDATE conversation SET last_message_at = max(last_message_at, :t), "
            "status = CASE WHEN :waits THEN 'open' ELSE status END, "
            "waiting_since = CASE WHEN :waits THEN coalesce(waiting_since, :t) "
            "WHEN :out THEN NULL ELSE waiting_since END, "
            "first_response_at = CASE WHEN :out THEN coalesce(first_response_at, :t) "
            "ELSE first_response_at END WHERE id = :id",
            {"t": at, "waits": waits, "out": entry.direction == "outbound", "id": conversation_id},
        )
    w.execute(
        "INSERT INTO contact (customer_id, conversation_id, channel, direction, occurred_at, "
        "summary, duration_s, agent_id) VALUES (:c, :cv, :ch, :d, :t, :s, :du, :a)",
        {
            "c": customer_id,
            "cv": conversation_id,
            "ch": entry.channel,
            "d": entry.direction,
            "t": at,
            "s": summary,
            "du": entry.duration_s,
            "a": agent_id,
        },
    )
    contact_id = int(w.scalar("SELECT last_insert_rowid()"))
    return {
        "contact_id": contact_id,
        "conversation_id": conversation_id,
        "customer_id": customer_id,
        "created_conversation": created,
    }


def unlog(w: Writer, data: dict[str, Any]) -> bool:
    """Undo ``log_contact``: the contact goes, and the conversation if it was made for it and
    nothing else happened in it since."""
    done = w.execute("DELETE FROM contact WHERE id = :id", {"id": data["contact_id"]})
    cid = data["conversation_id"]
    if done and data.get("created_conversation"):
        busy = w.scalar(
            "SELECT (SELECT count(*) FROM message WHERE conversation_id = :c) + "
            "(SELECT count(*) FROM contact WHERE conversation_id = :c) + "
            "(SELECT count(*) FROM conversation_note WHERE conversation_id = :c)",
            {"c": cid},
        )
        if not busy:
            for table in ("conversation_tag", "conversation_order"):
                w.execute(f"DELETE FROM {table} WHERE conversation_id = :c", {"c": cid})
            w.execute("DELETE FROM draft WHERE conversation_id = :c", {"c": cid})
            w.execute("DELETE FROM conversation WHERE id = :c", {"c": cid})
    return bool(done)
