"""Who is at the keyboard: the configured agent, as a row in the store."""

from __future__ import annotations

from dataclasses import dataclass

from agentconsole.config import AgentSection
from agentconsole.store.db import Store


@dataclass(frozen=True)
class AgentRecord:
    id: int
    name: str
    handle: str
    email: str | None


def ensure_agent(store: Store, section: AgentSection) -> AgentRecord:
    """Find the agent by handle, creating the row the first time this person opens the store."""
    from sqlmodel import select

    from agentconsole.store.models import Agent

    with store.session() as session:
        agent = session.exec(select(Agent).where(Agent.handle == section.handle)).first()
        if agent is None:
            agent = Agent(name=section.name, handle=section.handle, email=section.email)
            session.add(agent)
            session.flush()
        assert agent.id is not None
        return AgentRecord(agent.id, agent.name, agent.handle, agent.email)
