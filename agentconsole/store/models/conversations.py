"""Conversations: the unit of work in the inbox, on whatever channel the customer chose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime

STATUSES = ("open", "pending", "snoozed", "closed")
CHANNELS = ("email", "phone", "chat", "social")


class Conversation(SQLModel, table=True):
    __table_args__ = (Index("ix_conversation_queue", "status", "waiting_since", "last_message_at"),)

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


class ConversationTag(SQLModel, table=True):
    __tablename__ = "conversation_tag"

    conversation_id: int = Field(foreign_key="conversation.id", primary_key=True)
    tag: str = Field(primary_key=True)
