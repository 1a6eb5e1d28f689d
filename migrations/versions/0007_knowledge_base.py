"""knowledge base

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

Knowledge base as files (issue 6): a reply template row is now the index entry of one
Markdown file (its path and stamp, category, composer key, prompted values, problems found
when it was read). Template bodies move from ``{{ name | fallback }}`` to Jinja's
``{{ name | default("fallback") }}``. A conversation remembers the language its customer
writes in (detected from their latest message, or chosen by an agent).
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString

_ADDED: dict[str, list[sa.Column]] = {  # type: ignore[type-arg]
    "reply_template": [
        sa.Column("category", _S(), nullable=False, server_default=""),
        sa.Column("hotkey", _S(), nullable=False, server_default=""),
        sa.Column("asks", _S(), nullable=False, server_default="[]"),
        sa.Column("path", _S(), nullable=False, server_default=""),
        sa.Column("stamp", _S(), nullable=False, server_default=""),
        sa.Column("problems", _S(), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
    ],
    "conversation": [
        sa.Column("language", _S(), nullable=True),
        sa.Column("language_source", _S(), nullable=True),
        sa.Column("language_message_id", sa.Integer(), nullable=True),
    ],
}

_OLD_FALLBACK = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\|\s*([^}\"]*?)\s*\}\}")


def _to_jinja(body: str) -> str:
    def swap(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        if fallback.split("(")[0] in {"default", "date", "datetime", "money", "upper", "lower"}:
            return match.group(0)
        return f'{{{{ {name} | default("{fallback}") }}}}'

    return _OLD_FALLBACK.sub(swap, body)


def upgrade() -> None:
    for table, columns in _ADDED.items():
        for column in columns:
            op.add_column(table, column)
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT id, body FROM reply_template").fetchall()
    for row_id, body in rows:
        new = _to_jinja(body)
        if new != body:
            conn.exec_driver_sql("UPDATE reply_template SET body = ? WHERE id = ?", (new, row_id))


def downgrade() -> None:
    for table, columns in _ADDED.items():
        for column in columns:
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN {column.name}')
