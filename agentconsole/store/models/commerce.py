"""Commerce: shops, orders with lines, shipments and refunds.

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


class Shipment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    carrier: str
    tracking_number: str
    tracking_url: str | None = None
    status: str = Field(default="in_transit", description="in_transit | delivered | …")
    shipped_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Refund(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    amount: int
    currency: str
    reason: str = ""
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
