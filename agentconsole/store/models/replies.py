"""Reply templates (canned answers with variables, one row per language) and drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime


class ReplyTemplate(SQLModel, table=True):
    """The index entry of one knowledge-base file (one template or article, one language).

    The Markdown files are the truth; these rows make listing, searching and rendering instant
    and are refreshed from the folder whenever a file changes.
    """

    __tablename__ = "reply_template"
    __table_args__ = (UniqueConstraint("key", "language", name="uq_template_key_language"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(description="the template's id, shared by its translations")
    language: str = Field(default="en")
    title: str
    body: str = Field(description="Jinja2 text: {{ customer.first_name }}, {% if %} …")
    tags: str = ""
    category: str = ""
    hotkey: str = Field(default="", description="composer key that inserts it, e.g. alt+w")
    asks: str = Field(default="[]", description="JSON: values the agent is prompted for")
    path: str = Field(default="", description="file in the knowledge folder; '' if none yet")
    stamp: str = Field(default="", description="mtime_ns:size of the file when it was read")
    problems: str = Field(default="", description="what was wrong when read, one per line")
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Draft(SQLModel, table=True):
    """A reply being written, saved as the agent types so a quit or a crash loses nothing.

    One per agent and ``key`` (``conversation:12:reply``, ``customer:5:new`` …): coming back
    to the same reply restores it.
    """

    __table_args__ = (UniqueConstraint("agent_id", "key", name="uq_draft_agent_key"),)

    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="agent.id")
    key: str
    kind: str = Field(description="reply | reply_all | forward | new")
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    account_id: int | None = Field(default=None, foreign_key="mail_account.id")
    to_addrs: str = ""
    cc_addrs: str = ""
    subject: str = ""
    body: str = ""
    status_after: str = "pending"
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    seen_upto: int | None = Field(
        default=None,
        description="the newest customer message in the conversation when the draft began: "
        "sending stops if a newer one arrived since",
    )
