"""The outbox: replies on their way out, one row each, durable through crashes.

The bytes and the Message-ID are frozen when the row is written, so every attempt sends the
same message. The stored ``message`` row is written only once the server has accepted the
mail (``message_id``): until then the reply can be taken back without rewriting history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime

STATES = ("queued", "sending", "retry", "sent", "failed", "unknown", "cancelled")
FILING = ("todo", "done", "off")


class OutboxItem(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "send_after"),)

    id: int | None = Field(default=None, primary_key=True)
    rfc_message_id: str = Field(unique=True, description="the Message-ID header, without <>")
    conversation_id: int | None = Field(
        default=None, foreign_key="conversation.id", index=True, description="none for new"
    )
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    account_id: int | None = Field(default=None, foreign_key="mail_account.id")
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    message_id: int | None = Field(
        default=None, foreign_key="message.id", unique=True, description="stored once sent"
    )
    kind: str = Field(default="reply", description="reply | reply_all | forward | new")
    state: str = Field(
        default="queued",
        description="queued | sending | retry | sent | failed | unknown | cancelled",
    )
    from_addr: str
    from_name: str = ""
    to_addrs: str = Field(description="comma-separated")
    cc_addrs: str = ""
    subject: str = ""
    body_text: str = ""
    in_reply_to: str | None = None
    references: str = ""
    raw: bytes = Field(sa_column=Column(LargeBinary(), nullable=False))
    status_after: str = Field(default="pending", description="conversation status once sent")
    send_after: datetime = Field(
        sa_column=Column(UTCDateTime(), nullable=False),
        description="end of the undo window, or the next retry",
    )
    undo_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    attempts: int = 0
    data_started: bool = Field(
        default=False, description="the message may have reached the server: never auto-resend"
    )
    claimed_by: str | None = Field(default=None, description="host:pid of the sender")
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_code: int | None = None
    last_error: str | None = None
    refused: str = Field(default="", description="recipients the server refused, one per line")
    filing: str = Field(default="todo", description="Sent-folder copy: todo | done | off")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    filed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
