"""mail sync state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

What the IMAP sync needs: each account's sync state for the status bar, per-folder flags
(NOMODSEQ, UIDVALIDITY resets), expunged-on-server marks that keep history, attachment part
indexes for fetching on demand, automated-mail reasons, and the journal of local flag changes
still to push to the server.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_op",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox_id", sa.Integer(), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Integer(), nullable=False),
        sa.Column("op", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("flags", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["mailbox_id"], ["mailbox.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pending_op_mailbox_id", "pending_op", ["mailbox_id"], unique=False)
    # Plain ADD COLUMNs (no table rebuild): the FTS triggers on `message` stay in place.
    text = sqlmodel.sql.sqltypes.AutoString()
    op.add_column("attachment", sa.Column("part_index", sa.Integer(), nullable=True))
    op.add_column("attachment", sa.Column("content_id", text, nullable=True))
    op.add_column("conversation", sa.Column("removed_at", sa.DateTime(), nullable=True))
    op.add_column(
        "mail_account",
        sa.Column("sync_state", text, nullable=False, server_default="new"),
    )
    op.add_column("mail_account", sa.Column("sync_detail", text, nullable=False, server_default=""))
    op.add_column("mail_account", sa.Column("sync_changed_at", sa.DateTime(), nullable=True))
    op.add_column("mail_account", sa.Column("last_synced_at", sa.DateTime(), nullable=True))
    op.add_column(
        "mailbox", sa.Column("nomodseq", sa.Boolean(), nullable=False, server_default="0")
    )
    op.add_column(
        "mailbox",
        sa.Column("uidvalidity_resets", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("mailbox", sa.Column("last_synced_at", sa.DateTime(), nullable=True))
    op.add_column("message", sa.Column("automated_reason", text, nullable=True))
    op.add_column("message", sa.Column("size", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("message", sa.Column("removed_at", sa.DateTime(), nullable=True))
    op.create_index("ix_location_mailbox_uid", "message_location", ["mailbox_id", "uid"])


def downgrade() -> None:
    op.drop_index("ix_location_mailbox_uid", table_name="message_location")
    for table, column in (
        ("message", "removed_at"),
        ("message", "size"),
        ("message", "automated_reason"),
        ("mailbox", "last_synced_at"),
        ("mailbox", "uidvalidity_resets"),
        ("mailbox", "nomodseq"),
        ("mail_account", "last_synced_at"),
        ("mail_account", "sync_changed_at"),
        ("mail_account", "sync_detail"),
        ("mail_account", "sync_state"),
        ("conversation", "removed_at"),
        ("attachment", "content_id"),
        ("attachment", "part_index"),
    ):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)
    op.drop_index("ix_pending_op_mailbox_id", table_name="pending_op")
    op.drop_table("pending_op")
