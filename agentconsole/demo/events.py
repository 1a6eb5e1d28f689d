"""A few entries in the event log, as if agents had worked the queue before the demo starts.

Why: the activity log, undo and reports read events; an empty log would hide those views. The
actor is always ``demo`` so nobody mistakes them for real agents' actions.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from agentconsole.demo.world import World
from agentconsole.store.models import Event


def build_events(world: World, seed: int) -> None:
    """Assignment, snooze and close events for the conversations that show them."""
    rng, now = world.rng, world.now
    handles = {agent.id: agent.handle for agent in world.agents}
    events: list[Event] = []

    def add(
        when: datetime, agent_id: int | None, kind: str, subject: int, data: dict[str, str]
    ) -> None:
        events.append(
            Event(
                at=min(when, now),
                agent_id=agent_id,
                actor="demo",
                kind=kind,
                subject_type="conversation",
                subject_id=subject,
                data=json.dumps(data, sort_keys=True, ensure_ascii=False),
            )
        )

    for conversation in world.conversations:
        assert conversation.id is not None
        if conversation.assignee_id is not None:
            at = conversation.first_response_at or conversation.created_at
            add(
                at - timedelta(minutes=rng.randint(1, 20)) if at > conversation.created_at else at,
                conversation.assignee_id,
                "conversation.assigned",
                conversation.id,
                {"assignee": handles[conversation.assignee_id]},
            )
        if conversation.status == "snoozed" and conversation.snoozed_until is not None:
            add(
                conversation.last_message_at + timedelta(minutes=rng.randint(1, 5)),
                conversation.assignee_id,
                "conversation.snoozed",
                conversation.id,
                {"until": conversation.snoozed_until.isoformat()},
            )
        if conversation.status == "closed":
            add(
                conversation.last_message_at + timedelta(minutes=rng.randint(2, 90)),
                conversation.assignee_id,
                "conversation.status",
                conversation.id,
                {"from": "open", "to": "closed"},
            )
    events.sort(key=lambda e: (e.at, e.subject_id, e.kind))
    for event in events:
        event.id = world.next_id("event")
    world.events.extend(events)
    world.events.append(
        Event(
            id=world.next_id("event"),
            at=now,
            actor="demo",
            kind="demo.generated",
            subject_type="shop_store",
            subject_id=world.shop.id or 1,
            data=json.dumps({"seed": seed, "now": now.isoformat()}, sort_keys=True),
        )
    )
