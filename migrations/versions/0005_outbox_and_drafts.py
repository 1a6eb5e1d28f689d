"""outbox states and drafts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Replying (issue 4): the outbox row carries everything needed to send and to show a reply
before it exists as a stored message (the ``message`` row is written when the server accepts
it, so the undo window never rewrites history), its retry schedule, whether DATA was started
(never resend automatically after that), the sender's claim and the Sent-folder copy. Drafts
are saved as the agent types. Messages keep their Reply-To and the \\Flagged mark.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy), so the message table keeps its triggers.
    op.add_column("message", sa.Column("reply_to", _S(), nullable=False, server_default=""))
    op.add_column(
        "message", sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.rename_table("outbox", "outbox_0004")
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rfc_message_id", _S(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("kind", _S(), nullable=False),
        sa.Column("state", _S(), nullable=False),
        sa.Column("from_addr", _S(), nullable=False),
        sa.Column("from_name", _S(), nullable=False),
        sa.Column("to_addrs", _S(), nullable=False),
        sa.Column("cc_addrs", _S(), nullable=False),
        sa.Column("subject", _S(), nullable=False),
        sa.Column("body_text", _S(), nullable=False),
        sa.Column("in_reply_to", _S(), nullable=True),
        sa.Column("references", _S(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("status_after", _S(), nullable=False),
        sa.Column("send_after", sa.DateTime(), nullable=False),
        sa.Column("undo_until", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("data_started", sa.Boolean(), nullable=False),
        sa.Column("claimed_by", _S(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("last_code", sa.Integer(), nullable=True),
        sa.Column("last_error", _S(), nullable=True),
        sa.Column("refused", _S(), nullable=False),
        sa.Column("filing", _S(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["mail_account.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
        sa.UniqueConstraint("rfc_message_id"),
    )
    op.create_index("ix_outbox_due", "outbox", ["state", "send_after"], unique=False)
    op.create_index("ix_outbox_conversation_id", "outbox", ["conversation_id"], unique=False)
    # Earlier rows already have their stored message: carry them over as they were.
    op.execute(
        "INSERT INTO outbox (id, rfc_message_id, conversation_id, customer_id, account_id, "
        "agent_id, message_id, kind, state, from_addr, from_name, to_addrs, cc_addrs, subject, "
        'body_text, in_reply_to, "references", raw, status_after, send_after, attempts, '
        "data_started, last_error, refused, filing, created_at, sent_at) "
        "SELECT o.id, m.message_id, m.conversation_id, c.customer_id, o.account_id, m.agent_id, "
        "m.id, 'reply', CASE o.state WHEN 'sent' THEN 'sent' WHEN 'failed' THEN 'failed' "
        "ELSE 'queued' END, m.from_addr, m.from_name, m.to_addrs, m.cc_addrs, m.subject, "
        'm.body_text, m.in_reply_to, m."references", o.raw, c.status, o.created_at, '
        "o.attempts, 0, o.last_error, '', 'off', o.created_at, o.sent_at "
        "FROM outbox_0004 o JOIN message m ON m.id = o.message_id "
        "JOIN conversation c ON c.id = m.conversation_id"
    )
    op.drop_table("outbox_0004")
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("key", _S(), nullable=False),
        sa.Column("kind", _S(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("to_addrs", _S(), nullable=False),
        sa.Column("cc_addrs", _S(), nullable=False),
        sa.Column("subject", _S(), nullable=False),
        sa.Column("body", _S(), nullable=False),
        sa.Column("status_after", _S(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["mail_account.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agent_id", "key", name="uq_draft_agent_key"),
    )


def downgrade() -> None:
    op.drop_table("draft")
    op.rename_table("outbox", "outbox_0005")
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("state", _S(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", _S(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["mail_account.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.execute(
        "INSERT INTO outbox (id, message_id, account_id, state, raw, attempts, last_error, "
        "created_at, sent_at) SELECT id, message_id, account_id, "
        "CASE WHEN state = 'sent' THEN 'sent' WHEN state = 'failed' THEN 'failed' "
        "ELSE 'queued' END, raw, attempts, last_error, created_at, sent_at "
        "FROM outbox_0005 WHERE message_id IS NOT NULL"
    )
    op.drop_table("outbox_0005")
    op.execute("ALTER TABLE message DROP COLUMN flagged")
    op.execute("ALTER TABLE message DROP COLUMN reply_to")
