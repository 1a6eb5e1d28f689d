"""triage

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Keyboard triage for a team (issue 7): a conversation gains a priority, the rules of its snooze
(whether a customer reply ends it, and the choice as typed, for re-snoozing), a link to the
conversation it was merged into, and its SLA due time with what that was computed from.
Internal notes and conversation ↔ order links get tables of their own; a draft remembers the
newest customer message it was begun after. (Who is viewing or replying is not kept here: it
lives in ``presence.db`` beside the store, so heartbeats never make other consoles re-read it.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString

_ADDED: dict[str, list[sa.Column]] = {  # type: ignore[type-arg]
    "conversation": [
        sa.Column("priority", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("snooze_until_reply", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("snooze_choice", _S(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("due_basis", _S(), nullable=True),
    ],
    "draft": [sa.Column("seen_upto", sa.Integer(), nullable=True)],
}


def upgrade() -> None:
    # Plain ADD COLUMN (no batch table rebuild): the rebuilt table's constraints would come out
    # in a different order on each run, and two fresh stores would not be byte-identical.
    for table, columns in _ADDED.items():
        for column in columns:
            op.add_column(table, column)
    op.execute(
        "ALTER TABLE conversation ADD COLUMN merged_into_id INTEGER REFERENCES conversation (id)"
    )
    op.create_index("ix_conversation_due", "conversation", ["status", "due_at"])
    op.create_table(
        "conversation_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("body", _S(), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.PrimaryKeyConstraint("id"),
        # An undone note's id is never given to the next one: events name notes by id.
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_conversation_note_conversation_id", "conversation_note", ["conversation_id"]
    )
    op.create_table(
        "conversation_order",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.PrimaryKeyConstraint("conversation_id", "order_id"),
    )
    op.create_index("ix_conversation_order_order_id", "conversation_order", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_conversation_order_order_id", table_name="conversation_order")
    op.drop_table("conversation_order")
    op.drop_index("ix_conversation_note_conversation_id", table_name="conversation_note")
    op.drop_table("conversation_note")
    op.drop_index("ix_conversation_due", table_name="conversation")
    for table, columns in _ADDED.items():
        for column in columns:
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN {column.name}')
    op.execute("ALTER TABLE conversation DROP COLUMN merged_into_id")
