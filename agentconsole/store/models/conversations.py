"""Conversations: the unit of work in the inbox, on whatever channel the customer chose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime
from agentconsole.store.vocabulary import CHANNELS, PRIORITIES, STATUSES  # noqa: F401


class Conversation(SQLModel, table=True):
    __table_args__ = (Index("ix_conversation_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: str
    status: str = Field(default="open", description="open | pending | snoozed | closed")
    channel: str = Field(default="email", description="email | phone | chat | social")
    customer_id: int = Field(foreign_key="customer.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="mail_account.id")
    assignee_id: int | None = Field(default=None, foreign_key="agent.id")
    snoozed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    first_response_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    waiting_since: datetime | None = Field(
        default=None,
        sa_column=Column(UTCDateTime()),
        description="when the customer's unanswered message arrived; null when nobody waits",
    )
    last_message_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    removed_at: datetime | None = Field(
        default=None,
        sa_column=Column(UTCDateTime()),
        description="set when every message was expunged on the server: out of the inbox, "
        "history kept",
    )
    language: str | None = Field(default=None, description="ISO 639-1 the customer writes in")
    language_source: str | None = Field(default=None, description="detected | agent")
    language_message_id: int | None = Field(
        default=None, description="the customer message the language was detected from"
    )
    priority: int = Field(default=1, description="index into PRIORITIES: 0 low … 3 urgent")
    snooze_until_reply: bool = Field(
        default=True, description="a customer reply ends this snooze (chosen per snooze)"
    )
    snooze_choice: str | None = Field(
        default=None, description="the last snooze as the agent typed it, for re-snoozing"
    )
    merged_into_id: int | None = Field(
        default=None,
        foreign_key="conversation.id",
        description="set when merged into another conversation: out of every view",
    )
    due_at: datetime | None = Field(
        default=None,
        sa_column=Column(UTCDateTime()),
        description="when the next response is due (SLA), business hours counted",
    )
    due_basis: str | None = Field(
        default=None, description="what due_at was computed from; recomputed when it differs"
    )


class ConversationNote(SQLModel, table=True):
    """An internal note: for the team, never sent to the customer."""

    __tablename__ = "conversation_note"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused (events name notes)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    body: str


class ConversationOrder(SQLModel, table=True):
    """An order an agent linked to a conversation (the one it is about)."""

    __tablename__ = "conversation_order"

    conversation_id: int = Field(foreign_key="conversation.id", primary_key=True)
    order_id: int = Field(foreign_key="order.id", primary_key=True, index=True)
    linked_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    agent_id: int | None = Field(default=None, foreign_key="agent.id")


class ConversationTag(SQLModel, table=True):
    __tablename__ = "conversation_tag"

    conversation_id: int = Field(foreign_key="conversation.id", primary_key=True)
    tag: str = Field(primary_key=True)
