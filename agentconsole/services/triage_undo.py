"""Undo: reverse the agent's last triage action (one batch: a key press, a bulk action, a macro).

Why by state and not by blind replay: other consoles and the sync keep writing. A conversation
is put back only while it still holds exactly what the action left (a customer reply that
reopened it, or a colleague's change, wins); the others are named in the result. The undo is an
event itself, so the log stays complete and an undone batch is never undone twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from agentconsole.services.triage import (
    UNDOABLE,
    TriageError,
    TriageResult,
    _tag_list,
    _write_tags,
    plural,
)
from agentconsole.store.event_log import append
from agentconsole.store.reader import Writer


def last_batch(w: Writer, agent_id: int) -> str | None:
    """The newest batch of undoable events by this agent that is not undone yet."""
    kinds = ", ".join(f"'{k}'" for k in UNDOABLE)
    rows = w.all(
        f"SELECT kind, data FROM event WHERE agent_id = :a AND (kind IN ({kinds}) "
        "OR kind = 'triage.undo') ORDER BY id DESC LIMIT 2000",
        {"a": agent_id},
    )
    undone: set[str] = set()
    for row in rows:
        data = json.loads(row.data)
        if row.kind == "triage.undo":
            undone.add(str(data.get("undoes")))
        elif data.get("batch") and data["batch"] not in undone:
            return str(data["batch"])
    return None


def _current(w: Writer, cid: int, fields: list[str]) -> dict[str, Any] | None:
    row = w.first(f"SELECT {', '.join(fields)} FROM conversation WHERE id = :id", {"id": cid})
    return None if row is None else {f: getattr(row, f) for f in fields}


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is not None and b is not None and bool(a) == bool(b)
    return a == b


def _reverse(w: Writer, kind: str, cid: int, data: dict[str, Any], at: datetime) -> bool:
    """Put one conversation back; False when it changed since (then it is left alone)."""
    if kind in (
        "conversation.status",
        "conversation.snooze",
        "conversation.assign",
        "conversation.priority",
    ):
        before, after = data["before"], data["after"]
        now = _current(w, cid, list(after))
        if now is None or not all(_equal(now[k], after[k]) for k in after):
            return False
        sets = ", ".join(f"{k} = :{k}" for k in before)
        w.execute(f"UPDATE conversation SET {sets} WHERE id = :id", {**before, "id": cid})
        return True
    if kind == "conversation.tags":
        tags = _tag_list(
            w.scalar(
                "SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM conversation_tag "
                "WHERE conversation_id = :c ORDER BY tag)",
                {"c": cid},
            )
        )
        if tags != data["after"]:
            return False
        _write_tags(w, cid, data["before"])
        return True
    if kind == "conversation.note":
        return bool(
            w.execute("DELETE FROM conversation_note WHERE id = :n", {"n": data["note_id"]})
        )
    if kind == "conversation.order_link":
        return bool(
            w.execute(
                "DELETE FROM conversation_order WHERE conversation_id = :c AND order_id = :o",
                {"c": cid, "o": data["order_id"]},
            )
        )
    if kind == "conversation.merge":
        from agentconsole.services.merge import unmerge

        return unmerge(w, cid, data, at)
    if kind == "contact.logged":
        from agentconsole.services.contact_log import unlog

        return unlog(w, data)
    return False


def undo_last(w: Writer, agent_id: int, actor: str, at: datetime) -> TriageResult:
    """Reverse the agent's last batch inside the caller's write transaction."""
    batch = last_batch(w, agent_id)
    if batch is None:
        raise TriageError("nothing to undo")
    events = w.all(
        "SELECT id, kind, subject_type, subject_id, data FROM event WHERE agent_id = :a "
        "AND json_extract(data, '$.batch') = :b ORDER BY id DESC",
        {"a": agent_id, "b": batch},
    )
    done: list[int] = []
    kept: list[int] = []
    kinds = {e.kind for e in events}
    for event in events:
        if _reverse(w, event.kind, event.subject_id, json.loads(event.data), at):
            done.append(event.subject_id)
        else:
            kept.append(event.subject_id)
    for cid in sorted(set(done)):
        append(
            w,
            at=at,
            actor=actor,
            agent_id=agent_id,
            kind="triage.undo",
            subject_type="conversation",
            subject_id=cid,
            undoes=batch,
        )
    if not done:  # still mark it, so the next undo goes further back
        append(
            w,
            at=at,
            actor=actor,
            agent_id=agent_id,
            kind="triage.undo",
            subject_type="batch",
            subject_id=0,
            undoes=batch,
        )
    what = ", ".join(sorted(k.split(".")[-1].replace("_", " ") for k in kinds))
    message = f"undone ({what}): {plural(len(set(done)), 'conversation')}"
    if kept:
        message += f"; left {', '.join(map(str, sorted(set(kept))))} (changed since)"
    return TriageResult(
        "triage.undo", tuple(sorted(set(done))), tuple(sorted(set(kept))), message, batch
    )
