"""Customers: a person, separate from the identities (emails, phones, store ids) that find them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    language: str = Field(default="en", description="ISO 639-1, the language they write in")
    preferred_channel: str | None = Field(default=None, description="stated preference, if any")
    preferred_hours: str | None = Field(default=None, description="e.g. '09:00-12:00'")
    timezone: str | None = None
    birthday: date | None = None
    notes: str = ""
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class CustomerIdentity(SQLModel, table=True):
    """One way to recognise a customer. kind: email | phone | store.

    For kind 'store' the value is '<store id>:<store customer id>' so identities stay unique.
    """

    __tablename__ = "customer_identity"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identity_kind_value"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    kind: str
    value: str = Field(description="normalised: lower-case email, E.164 phone")
    is_primary: bool = False
    store_id: int | None = Field(default=None, foreign_key="shop_store.id")


class CustomerTag(SQLModel, table=True):
    __tablename__ = "customer_tag"

    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    tag: str = Field(primary_key=True)


class Contact(SQLModel, table=True):
    """A logged contact on any channel (phone call, chat, social, email)."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id", index=True)
    channel: str = Field(description="email | phone | chat | social")
    direction: str = Field(description="inbound | outbound")
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    summary: str = ""
    duration_s: int | None = None
    agent_id: int | None = Field(default=None, foreign_key="agent.id")


class MergeSuggestion(SQLModel, table=True):
    """Two customers that look like one person (a store account with another's e-mail …):
    shown to the agent, never merged silently."""

    __tablename__ = "merge_suggestion"
    __table_args__ = (UniqueConstraint("customer_id", "other_id", name="uq_merge_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    other_id: int = Field(foreign_key="customer.id")
    reason: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    dismissed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
