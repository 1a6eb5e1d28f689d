"""store sync

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Store integrations (issue 5): sync cursors per store and resource, store customer accounts
linked to our customers, the order fields the order pane and the customer 360 show (state,
platform word, refunded, confirmation number, billing name, shipping address, admin link,
tags), remote ids on lines, shipments and refunds, returns, and merge suggestions (two
customers that look like one person are shown, never merged silently).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString

_ADDED: dict[str, list[sa.Column]] = {  # type: ignore[type-arg]
    "shop_store": [
        sa.Column("api_version", _S(), nullable=False, server_default=""),
        sa.Column("admin_url", _S(), nullable=False, server_default=""),
        sa.Column("last_error", _S(), nullable=True),
    ],
    "order": [
        sa.Column("state", _S(), nullable=False, server_default="open"),
        sa.Column("platform_status", _S(), nullable=False, server_default=""),
        sa.Column("refunded", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("confirmation_number", _S(), nullable=True),
        sa.Column("phone", _S(), nullable=True),
        sa.Column("customer_name", _S(), nullable=False, server_default=""),
        sa.Column("shipping_address", _S(), nullable=False, server_default=""),
        sa.Column("admin_url", _S(), nullable=True),
        sa.Column("tags", _S(), nullable=False, server_default=""),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
    ],
    "order_line": [
        sa.Column("remote_id", _S(), nullable=True),
        sa.Column("product_id", _S(), nullable=True),
        sa.Column("category", _S(), nullable=False, server_default=""),
    ],
    "shipment": [
        sa.Column("remote_id", _S(), nullable=True),
        sa.Column("estimated_delivery_at", sa.DateTime(), nullable=True),
    ],
    "refund": [sa.Column("remote_id", _S(), nullable=True)],
}


def upgrade() -> None:
    for table, columns in _ADDED.items():
        for column in columns:
            op.add_column(table, column)
    op.create_table(
        "sync_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("resource", _S(), nullable=False),
        sa.Column("watermark", sa.DateTime(), nullable=True),
        sa.Column("last_started_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", _S(), nullable=True),
        sa.ForeignKeyConstraint(["store_id"], ["shop_store.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "resource", name="uq_cursor_store_resource"),
    )
    op.create_table(
        "store_customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", _S(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("email", _S(), nullable=True),
        sa.Column("phone", _S(), nullable=True),
        sa.Column("first_name", _S(), nullable=False),
        sa.Column("last_name", _S(), nullable=False),
        sa.Column("note", _S(), nullable=False),
        sa.Column("tags", _S(), nullable=False),
        sa.Column("orders_count", sa.Integer(), nullable=True),
        sa.Column("amount_spent", sa.Integer(), nullable=True),
        sa.Column("amount_currency", _S(), nullable=True),
        sa.Column("admin_url", _S(), nullable=True),
        sa.Column("remote_updated_at", sa.DateTime(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["store_id"], ["shop_store.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "remote_id", name="uq_store_customer_remote"),
    )
    op.create_index(
        "ix_store_customer_customer_id", "store_customer", ["customer_id"], unique=False
    )
    op.create_table(
        "order_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", _S(), nullable=False),
        sa.Column("name", _S(), nullable=False),
        sa.Column("status", _S(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_order_return_order_id", "order_return", ["order_id"], unique=False)
    op.create_table(
        "merge_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("reason", _S(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["other_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "other_id", name="uq_merge_pair"),
    )
    op.create_index(
        "ix_merge_suggestion_customer_id", "merge_suggestion", ["customer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("merge_suggestion")
    op.drop_table("order_return")
    op.drop_table("store_customer")
    op.drop_table("sync_cursor")
    for table, columns in _ADDED.items():
        for column in columns:
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN {column.name}')
