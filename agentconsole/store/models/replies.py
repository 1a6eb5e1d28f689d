"""Reply templates: canned answers with variables, one row per language."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ReplyTemplate(SQLModel, table=True):
    __tablename__ = "reply_template"
    __table_args__ = (UniqueConstraint("key", "language", name="uq_template_key_language"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(description="short name typed to find it, e.g. 'where-is-my-order'")
    language: str = Field(default="en")
    title: str
    body: str = Field(description="text with {{ customer.first_name }}-style variables")
    tags: str = ""
