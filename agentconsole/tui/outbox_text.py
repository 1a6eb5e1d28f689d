"""Outbox entries in words, the same in the conversation pane, the outbox screen and the status
bar: "leaves in 7 s — u takes it back", "will retry at 14:05 — 451 4.3.0 …", "failed: 550 …".

The server's words are quoted as the server wrote them (callers render them with ``safe_line``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from agentconsole.display import when
from agentconsole.services.outbox import OPEN_STATES
from agentconsole.services.records import OutboxEntry
from agentconsole.tui.keymap import key_for

TONES = ("waiting", "sending", "problem", "doubt", "done")
"""How a state looks: each tone has a component class / style."""


def server_words(entry: OutboxEntry) -> str:
    """The server's reply as it came (``550 5.1.1 user unknown``), code first."""
    words = (entry.last_error or "").strip()
    if entry.last_code and not words.startswith(str(entry.last_code)):
        words = f"{entry.last_code} {words}".strip()
    return words


def in_undo_window(entry: OutboxEntry, now: datetime) -> bool:
    return entry.state == "queued" and entry.undo_until is not None and entry.undo_until > now


def describe(
    entry: OutboxEntry, now: datetime, zone: ZoneInfo, keys: Mapping[str, str]
) -> tuple[str, str]:
    """One sentence for the entry's state, and its tone."""
    words = server_words(entry)
    if entry.state == "queued":
        if entry.undo_until is not None and entry.undo_until > now:
            seconds = math.ceil((entry.undo_until - now).total_seconds())
            return f"leaves in {seconds} s — {key_for('main.take_back', keys)} takes it back", (
                "waiting"
            )
        if entry.send_after > now:
            return f"leaves at {when(entry.send_after, now, zone)}", "waiting"
        return "leaving now…", "waiting"
    if entry.state == "sending":
        return "sending…", "sending"
    if entry.state == "retry":
        tail = f" — {words}" if words else ""
        return f"will retry at {when(entry.send_after, now, zone)}{tail}", "waiting"
    if entry.state == "failed":
        return f"failed: {words or 'the server gave no reason'}", "problem"
    if entry.state == "unknown":
        return (
            f"may have been sent — open the outbox ({key_for('main.outbox', keys)}) to decide",
            "doubt",
        )
    if entry.state == "sent":
        at = f" at {when(entry.sent_at, now, zone)}" if entry.sent_at else ""
        return f"sent{at}", "done"
    return entry.state, "done"


def counts_line(counts: Mapping[str, int]) -> list[tuple[str, str]]:
    """Status-bar parts (text, tone): ``2 waiting``, ``1 failed``; empty when nothing is left."""
    parts = [
        (counts.get("queued", 0) + counts.get("retry", 0), "waiting", "waiting"),
        (counts.get("sending", 0), "sending", "sending"),
        (counts.get("failed", 0), "failed", "problem"),
        (counts.get("unknown", 0), "in doubt", "doubt"),
    ]
    return [(f"{n} {label}", tone) for n, label, tone in parts if n]


def shown_in_thread(entry: OutboxEntry) -> bool:
    """Not sent yet, or sent with some recipients refused (the agent must see who)."""
    return entry.state in OPEN_STATES or (entry.state == "sent" and bool(entry.refused))
