"""Commerce: shops and their sync cursors, store customers, orders with lines, shipments,
refunds and returns.

Money is integer minor units plus an ISO currency. An order's store id (``external_id``) is
kept apart from the name customers quote (``#1001``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from agentconsole.store.models._types import UTCDateTime


class ShopStore(SQLModel, table=True):
    __tablename__ = "shop_store"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    platform: str = Field(description="shopify | woocommerce | demo")
    url: str
    currency: str = "EUR"
    synced_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    api_version: str = ""
    admin_url: str = ""
    last_error: str | None = Field(default=None, description="why the last sync failed")


class SyncCursor(SQLModel, table=True):
    """How far one resource of one store is synced: the updated-at watermark of the last
    complete pass (the next pass starts a few minutes before it, to catch late writes)."""

    __tablename__ = "sync_cursor"
    __table_args__ = (UniqueConstraint("store_id", "resource", name="uq_cursor_store_resource"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="shop_store.id")
    resource: str = Field(description="orders | customers")
    watermark: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_success_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_error: str | None = None


class StoreCustomer(SQLModel, table=True):
    """A registered customer account in one store, linked to our customer."""

    __tablename__ = "store_customer"
    __table_args__ = (UniqueConstraint("store_id", "remote_id", name="uq_store_customer_remote"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="shop_store.id")
    remote_id: str
    customer_id: int = Field(foreign_key="customer.id", index=True)
    email: str | None = None
    phone: str | None = None
    first_name: str = ""
    last_name: str = ""
    note: str = ""
    tags: str = Field(default="", description="comma-separated")
    orders_count: int | None = None
    amount_spent: int | None = Field(default=None, description="the store's own LTV, minor units")
    amount_currency: str | None = None
    admin_url: str | None = None
    remote_updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    synced_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Order(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("store_id", "external_id", name="uq_order_external"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="shop_store.id")
    external_id: str
    name: str = Field(index=True, description="as the shop shows it, e.g. '#1001'")
    number: int = Field(index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    email: str | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    financial_status: str = Field(description="paid | pending | refunded | partially_refunded …")
    fulfillment_status: str = Field(description="unfulfilled | partial | fulfilled …")
    currency: str
    subtotal: int
    shipping: int = 0
    tax: int = 0
    discount: int = 0
    total: int
    status_url: str | None = None
    note: str = ""
    state: str = Field(default="open", description="draft | open | completed | cancelled | deleted")
    platform_status: str = Field(default="", description="the platform's own word")
    refunded: int = 0
    confirmation_number: str | None = None
    phone: str | None = None
    customer_name: str = Field(default="", description="billing name (what a guest is called)")
    shipping_address: str = ""
    admin_url: str | None = None
    tags: str = ""
    synced_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    sku: str = ""
    title: str
    variant: str = ""
    quantity: int
    unit_price: int
    total: int
    remote_id: str | None = None
    product_id: str | None = None
    category: str = ""


class Shipment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    carrier: str
    tracking_number: str
    tracking_url: str | None = None
    status: str = Field(default="in_transit", description="in_transit | delivered | …")
    shipped_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    remote_id: str | None = None
    estimated_delivery_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Refund(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    amount: int
    currency: str
    reason: str = ""
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    remote_id: str | None = None


class OrderReturn(SQLModel, table=True):
    __tablename__ = "order_return"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    remote_id: str
    name: str = ""
    status: str
    created_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
