"""Orders beside the conversation: a customer's orders, or any order by the number quoted."""

from __future__ import annotations

import re
from typing import Any

from agentconsole.services._sql import as_utc
from agentconsole.services.records import (
    Money,
    OrderBrief,
    OrderDetail,
    OrderLineRecord,
    RefundRecord,
    ReturnRecord,
    ShipmentRecord,
)
from agentconsole.store.db import Store

_BRIEF = (
    "SELECT o.id, o.name, o.created_at, o.financial_status, o.fulfillment_status, o.total,"
    " o.currency, (SELECT coalesce(sum(quantity), 0) FROM order_line l WHERE l.order_id = o.id)"
    ' AS items FROM "order" o'
)


def order_brief(row: Any) -> OrderBrief:
    """An order's one-line summary from a row with the columns of ``_BRIEF``."""
    return OrderBrief(
        id=row.id,
        name=row.name,
        created_at=as_utc(row.created_at),
        financial_status=row.financial_status,
        fulfillment_status=row.fulfillment_status,
        total=Money(row.total, row.currency),
        items=row.items,
    )


def normalise_order_number(typed: str) -> str:
    """``' #1001 '`` / ``'1001'`` / ``'order 1001'`` → ``'1001'`` (what follows the '#')."""
    cleaned = typed.strip()
    match = re.search(r"#?\s*([A-Za-z0-9][A-Za-z0-9-]*)$", cleaned)
    return match.group(1) if match else cleaned


class OrderService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def for_customer(self, customer_id: int, limit: int = 50) -> list[OrderBrief]:
        """Newest first."""
        with self._store.read() as db:
            rows = db.all(
                f"{_BRIEF} WHERE o.customer_id = :id ORDER BY o.created_at DESC LIMIT :n",
                {"id": customer_id, "n": limit},
            )
        return [order_brief(r) for r in rows]

    def find(self, typed: str) -> OrderDetail | None:
        """Look an order up by what a customer quotes: ``#1001``, ``1001``."""
        number = normalise_order_number(typed)
        with self._store.read() as db:
            row = db.first(
                'SELECT id FROM "order" WHERE name IN (:hash, :bare)'
                " ORDER BY created_at DESC LIMIT 1",
                {"hash": f"#{number}", "bare": number},
            )
        return self.detail(int(row[0])) if row else None

    def detail(self, order_id: int) -> OrderDetail | None:
        with self._store.read() as db:
            o = db.first(
                'SELECT o.*, s.name AS store_name, c.name AS person_name FROM "order" o'
                " JOIN shop_store s ON s.id = o.store_id"
                " LEFT JOIN customer c ON c.id = o.customer_id WHERE o.id = :id",
                {"id": order_id},
            )
            if o is None:
                return None
            lines = db.all(
                "SELECT * FROM order_line WHERE order_id = :id ORDER BY id", {"id": order_id}
            )
            shipments = db.all(
                "SELECT * FROM shipment WHERE order_id = :id ORDER BY shipped_at",
                {"id": order_id},
            )
            refunds = db.all(
                "SELECT * FROM refund WHERE order_id = :id ORDER BY created_at",
                {"id": order_id},
            )
            returns = db.all(
                "SELECT name, status, created_at FROM order_return WHERE order_id = :id "
                "ORDER BY created_at",
                {"id": order_id},
            )
        cur = o.currency

        def money(amount: int) -> Money:
            return Money(amount, cur)

        return OrderDetail(
            id=o.id,
            name=o.name,
            store=o.store_name,
            customer_id=o.customer_id,
            customer_name=o.person_name or o.customer_name or None,
            email=o.email,
            created_at=as_utc(o.created_at),
            cancelled_at=as_utc(o.cancelled_at),
            financial_status=o.financial_status,
            fulfillment_status=o.fulfillment_status,
            lines=tuple(
                OrderLineRecord(
                    title=ln.title,
                    variant=ln.variant,
                    sku=ln.sku,
                    quantity=ln.quantity,
                    unit_price=money(ln.unit_price),
                    total=money(ln.total),
                )
                for ln in lines
            ),
            subtotal=money(o.subtotal),
            shipping=money(o.shipping),
            tax=money(o.tax),
            discount=money(o.discount),
            total=money(o.total),
            refunded=money(sum(r.amount for r in refunds)),
            shipments=tuple(
                ShipmentRecord(
                    carrier=s.carrier,
                    tracking_number=s.tracking_number,
                    tracking_url=s.tracking_url,
                    status=s.status,
                    shipped_at=as_utc(s.shipped_at),
                    delivered_at=as_utc(s.delivered_at),
                )
                for s in shipments
            ),
            refunds=tuple(
                RefundRecord(money(r.amount), r.reason, as_utc(r.created_at)) for r in refunds
            ),
            status_url=o.status_url,
            note=o.note,
            state=o.state,
            platform_status=o.platform_status,
            shipping_address=o.shipping_address,
            admin_url=o.admin_url,
            returns=tuple(ReturnRecord(r.name, r.status, as_utc(r.created_at)) for r in returns),
            synced_at=as_utc(o.synced_at),
        )
