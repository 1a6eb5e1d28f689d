"""Appending to the event log from a raw write transaction (the outbox, the sync).

The same rows ``services/events.py`` writes through the ORM: who, what, when, JSON details.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from agentconsole.store.reader import Writer, stored_time


def append(
    w: Writer,
    *,
    at: datetime,
    actor: str,
    agent_id: int | None,
    kind: str,
    subject_type: str,
    subject_id: int,
    **data: Any,
) -> None:
    w.execute(
        "INSERT INTO event (at, agent_id, actor, kind, subject_type, subject_id, data) "
        "VALUES (:at, :ag, :actor, :kind, :st, :sid, :data)",
        {
            "at": stored_time(at),
            "ag": agent_id,
            "actor": actor,
            "kind": kind,
            "st": subject_type,
            "sid": subject_id,
            "data": json.dumps(data, ensure_ascii=False, sort_keys=True, default=str),
        },
    )
