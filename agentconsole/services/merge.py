"""Merging two conversations about the same thing (a customer who wrote twice, a new thread for
an old question): one history, one status, one clock.

Everything of the merged conversation moves to the one it joins — messages, logged contacts,
notes, tags, order links — and it leaves every view (``merged_into_id``) but is kept, with its
ids recorded in the event, so the merge can be undone exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agentconsole.mail.ingest import refresh_conversation
from agentconsole.store.reader import Writer

_MOVED = {
    "message": "SELECT id FROM message WHERE conversation_id = :c",
    "contact": "SELECT id FROM contact WHERE conversation_id = :c",
    "conversation_note": "SELECT id FROM conversation_note WHERE conversation_id = :c",
}


def merge_into(w: Writer, source: int, target: int, now: datetime) -> dict[str, Any]:
    """Move ``source``'s history into ``target``; what moved (for the event and for undo)."""
    before = w.first(
        "SELECT status, snoozed_until, merged_into_id FROM conversation WHERE id = :id",
        {"id": source},
    )
    moved: dict[str, list[int]] = {}
    for table, sql in _MOVED.items():
        ids = [int(i) for i in w.scalars(sql, {"c": source})]
        moved[table] = ids
        w.execute(
            f"UPDATE {table} SET conversation_id = :t WHERE conversation_id = :c",
            {"t": target, "c": source},
        )
    tags = w.scalars(
        "SELECT tag FROM conversation_tag WHERE conversation_id = :s AND tag NOT IN "
        "(SELECT tag FROM conversation_tag WHERE conversation_id = :t)",
        {"s": source, "t": target},
    )
    w.executemany(
        "INSERT INTO conversation_tag (conversation_id, tag) VALUES (?, ?)",
        [(target, t) for t in tags],
    )
    orders = w.scalars(
        "SELECT order_id FROM conversation_order WHERE conversation_id = :s AND order_id NOT IN "
        "(SELECT order_id FROM conversation_order WHERE conversation_id = :t)",
        {"s": source, "t": target},
    )
    w.execute(
        "UPDATE conversation_order SET conversation_id = :t WHERE conversation_id = :s "
        "AND order_id IN (SELECT value FROM json_each(:o))",
        {"t": target, "s": source, "o": _json(orders)},
    )
    w.execute(
        "UPDATE conversation SET merged_into_id = :t, status = 'closed', snoozed_until = NULL, "
        "waiting_since = NULL WHERE id = :s",
        {"t": target, "s": source},
    )
    refresh_conversation(w, target, now)
    return {
        "into": target,
        "moved": moved,
        "tags": list(tags),
        "orders": [int(o) for o in orders],
        "before": {"status": before.status, "snoozed_until": before.snoozed_until},
    }


def unmerge(w: Writer, source: int, data: dict[str, Any], now: datetime) -> bool:
    """Move back what ``merge_into`` moved (what was added to the target since stays there)."""
    target = int(data["into"])
    if w.scalar("SELECT merged_into_id FROM conversation WHERE id = :s", {"s": source}) != target:
        return False
    for table, ids in data["moved"].items():
        w.execute(
            f"UPDATE {table} SET conversation_id = :s WHERE conversation_id = :t "
            "AND id IN (SELECT value FROM json_each(:ids))",
            {"s": source, "t": target, "ids": _json(ids)},
        )
    w.execute(
        "DELETE FROM conversation_tag WHERE conversation_id = :t AND tag IN "
        "(SELECT value FROM json_each(:tags))",
        {"t": target, "tags": _json(data["tags"])},
    )
    w.execute(
        "UPDATE conversation_order SET conversation_id = :s WHERE conversation_id = :t "
        "AND order_id IN (SELECT value FROM json_each(:o))",
        {"s": source, "t": target, "o": _json(data["orders"])},
    )
    w.execute(
        "UPDATE conversation SET merged_into_id = NULL, status = :st, snoozed_until = :su "
        "WHERE id = :s",
        {"st": data["before"]["status"], "su": data["before"]["snoozed_until"], "s": source},
    )
    refresh_conversation(w, source, now)
    refresh_conversation(w, target, now)
    return True


def _json(values: list[Any]) -> str:
    import json

    return json.dumps(list(values))
