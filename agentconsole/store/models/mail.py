"""Mail: accounts, folders with their sync state, and messages.

A message's content (keyed by Message-ID) is kept apart from where a server holds it
(mailbox, UIDVALIDITY, UID), so a UIDVALIDITY reset or a move never duplicates content.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime


class MailAccount(SQLModel, table=True):
    __tablename__ = "mail_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, description="the account name from the config")
    email: str
    sync_state: str = Field(
        default="new",
        description="new | syncing | synced | offline | auth_failed | error (written by the sync)",
    )
    sync_detail: str = Field(default="", description="e.g. '120/400', or the last error line")
    sync_changed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_synced_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Mailbox(SQLModel, table=True):
    """A server folder and how far it has been synced."""

    __table_args__ = (UniqueConstraint("account_id", "name", name="uq_mailbox_account_name"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="mail_account.id")
    name: str
    role: str | None = Field(default=None, description="inbox | sent | … (SPECIAL-USE)")
    uidvalidity: int | None = None
    uidnext: int | None = None
    highestmodseq: int | None = None
    synced_min_uid: int | None = None
    last_full_scan: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    nomodseq: bool = Field(default=False, description="the server keeps no MODSEQ here")
    uidvalidity_resets: int = 0
    last_synced_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Message(SQLModel, table=True):
    """One message's content. ``id`` grows with arrival time; the FTS index uses it as rowid."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True, description="normalised Message-ID (or header hash)")
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    direction: str = Field(description="inbound | outbound")
    channel: str = Field(default="email")
    from_addr: str = ""
    from_name: str = ""
    to_addrs: str = Field(default="", description="comma-separated")
    cc_addrs: str = ""
    subject: str = ""
    in_reply_to: str | None = None
    references: str = Field(default="", description="space-separated Message-IDs")
    reply_to: str = Field(default="", description="Reply-To addresses, comma-separated")
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    body_text: str = ""
    is_automated: bool = Field(default=False, description="auto-reply, bounce or bulk")
    automated_reason: str | None = Field(default=None, description="auto-reply | bounce | bulk …")
    seen: bool = False
    flagged: bool = Field(default=False, description="\\Flagged on the server: needs attention")
    size: int = 0
    removed_at: datetime | None = Field(
        default=None,
        sa_column=Column(UTCDateTime()),
        description="when the last server copy was expunged; the content stays as history",
    )


class MessageLocation(SQLModel, table=True):
    """Where a server holds a copy of a message."""

    __tablename__ = "message_location"
    __table_args__ = (
        UniqueConstraint("mailbox_id", "uidvalidity", "uid", name="uq_location_uid"),
        Index("ix_location_mailbox_uid", "mailbox_id", "uid"),
    )

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    mailbox_id: int = Field(foreign_key="mailbox.id")
    uidvalidity: int
    uid: int
    flags: str = ""
    modseq: int | None = None


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    filename: str
    content_type: str
    size: int
    part_index: int | None = Field(default=None, description="MIME part, to fetch it on demand")
    content_id: str | None = None
    stored_path: str | None = Field(default=None, description="relative to the store home")


class PendingOp(SQLModel, table=True):
    """A local change (flags) still to be made on the server, oldest first."""

    __tablename__ = "pending_op"

    id: int | None = Field(default=None, primary_key=True)
    mailbox_id: int = Field(foreign_key="mailbox.id", index=True)
    uidvalidity: int
    uid: int
    op: str = Field(description="+FLAGS | -FLAGS")
    flags: str = Field(description="space-separated, e.g. \\Seen")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = 0
    last_error: str | None = None
