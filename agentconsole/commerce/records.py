"""What every store adapter returns: normalised customers and orders, platform words mapped.

Why one shape: the store (SQLite) keeps one model whatever the platform, so the panes, the
customer 360 and the CLI never ask which shop software a record came from. Money is integer
minor units of the record's currency (``money.to_minor``); times are aware UTC; statuses use the
vocabulary of reference §4.3, with the platform's own word kept beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class StoreInfo:
    """What a successful connection check learned about the shop."""

    name: str
    currency: str
    api_version: str = ""
    timezone: str = ""
    admin_url: str = ""


@dataclass(frozen=True)
class RemoteCustomer:
    """A registered customer of one store (guests have none: their orders carry the e-mail)."""

    remote_id: str
    email: str | None
    phone: str | None
    first_name: str
    last_name: str
    updated_at: datetime
    created_at: datetime | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    orders_count: int | None = None
    amount_spent: int | None = None
    """The store's own lifetime value (Shopify ``amountSpent``), minor units."""
    amount_currency: str | None = None
    birthday: date | None = None
    admin_url: str | None = None


@dataclass(frozen=True)
class RemoteLine:
    remote_id: str
    title: str
    quantity: int
    unit_price: int
    total: int
    sku: str = ""
    variant: str = ""
    product_id: str | None = None
    category: str = ""
    """Product type / category, for the customer's interests."""


@dataclass(frozen=True)
class RemoteShipment:
    remote_id: str
    carrier: str
    tracking_number: str
    tracking_url: str | None
    status: str
    """label_created | in_transit | out_for_delivery | delivered | attempted | failure |
    cancelled | unknown"""
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    estimated_delivery_at: datetime | None = None


@dataclass(frozen=True)
class RemoteRefund:
    remote_id: str
    amount: int
    """Positive, minor units (WooCommerce's negative totals are turned around)."""
    currency: str
    created_at: datetime
    reason: str = ""


@dataclass(frozen=True)
class RemoteReturn:
    remote_id: str
    name: str
    status: str
    created_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class RemoteOrder:
    remote_id: str
    name: str
    """As the shop and the customer write it, e.g. ``#1001``."""
    number: int
    created_at: datetime
    updated_at: datetime
    currency: str
    subtotal: int
    total: int
    financial_status: str
    """pending | authorized | partially_paid | paid | partially_refunded | refunded | voided |
    expired | failed | unknown"""
    fulfillment_status: str
    """unfulfilled | partially_fulfilled | fulfilled | in_progress | on_hold | scheduled |
    restocked | not_required | unknown"""
    state: str = "open"
    """draft | open | completed | cancelled | deleted"""
    platform_status: str = ""
    """The platform's own word(s), e.g. WooCommerce ``processing``."""
    customer_remote_id: str | None = None
    email: str | None = None
    phone: str | None = None
    customer_name: str = ""
    """The billing name: what a guest is called."""
    shipping: int = 0
    tax: int = 0
    discount: int = 0
    refunded: int = 0
    confirmation_number: str | None = None
    cancelled_at: datetime | None = None
    closed_at: datetime | None = None
    shipping_address: str = ""
    """Formatted, one line per address line."""
    status_url: str | None = None
    admin_url: str | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    lines: tuple[RemoteLine, ...] = ()
    shipments: tuple[RemoteShipment, ...] = ()
    refunds: tuple[RemoteRefund, ...] = ()
    returns: tuple[RemoteReturn, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
