"""Which conversation a message belongs to.

Why this order: In-Reply-To and References name the parent exactly, so they win; only a
message without a known parent falls back to the subject, and then only within the same
customer and a recent window, so two customers' "Order question" never merge and a new
question months later starts a new conversation.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from agentconsole.store.reader import Reader, stored_time

SUBJECT_WINDOW = timedelta(days=30)
"""A reply without threading headers joins a conversation of the same subject this recent."""

_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|odp|rif|r|tr|res|enc)\s*(?:\[\d+\])?\s*:\s*)+",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def base_subject(subject: str) -> str:
    """``"Re: AW: Fwd:  Where is my order?"`` → ``"where is my order?"`` (for comparison)."""
    stripped = _PREFIX.sub("", subject or "")
    return _SPACES.sub(" ", stripped).strip().casefold()


def find_conversation(
    db: Reader,
    *,
    in_reply_to: str | None,
    references: tuple[str, ...],
    subject: str,
    customer_id: int,
    at: datetime,
) -> int | None:
    """The conversation this message continues, or None for a new one."""
    parents = [p for p in (in_reply_to, *reversed(references)) if p]
    if parents:
        marks = ",".join(f":p{i}" for i in range(len(parents)))
        row = db.first(
            f"SELECT conversation_id FROM message WHERE message_id IN ({marks}) "
            "ORDER BY sent_at DESC LIMIT 1",
            {f"p{i}": p for i, p in enumerate(parents)},
        )
        if row is not None:
            return int(row[0])
    wanted = base_subject(subject)
    if not wanted:
        return None
    candidates = db.all(
        "SELECT id, subject FROM conversation WHERE customer_id = :c AND channel = 'email' "
        "AND last_message_at >= :since ORDER BY last_message_at DESC LIMIT 20",
        {"c": customer_id, "since": stored_time(at - SUBJECT_WINDOW)},
    )
    for row in candidates:
        if base_subject(row.subject) == wanted:
            return int(row.id)
    return None
