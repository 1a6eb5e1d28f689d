"""Agents: the people answering customers, and the append-only log of what they did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime


class Agent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    email: str | None = Field(default=None, unique=True)
    handle: str = Field(unique=True, description="login name, e.g. the Unix user")
    active: bool = True


class Event(SQLModel, table=True):
    """Who did what, when. Rows are never updated or deleted (a trigger enforces it)."""

    __table_args__ = (Index("ix_event_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    actor: str = Field(description="agent handle, 'sync', 'demo' …")
    kind: str = Field(description="e.g. conversation.status, reply.sent")
    subject_type: str
    subject_id: int
    data: str = Field(default="{}", description="JSON details")
