"""The append-only event log: every write an agent makes is recorded (who, what, when).

It feeds undo, reports, audit and other consoles' refresh.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    agent_id: int | None,
    kind: str,
    subject_type: str,
    subject_id: int,
    **data: Any,
) -> None:
    from agentconsole.store.models import Event

    session.add(
        Event(
            at=at,
            actor=actor,
            agent_id=agent_id,
            kind=kind,
            subject_type=subject_type,
            subject_id=subject_id,
            data=json.dumps(data, ensure_ascii=False, sort_keys=True, default=str),
        )
    )
