"""Writing normalised store records into SQLite: customers, orders and their parts.

Upserts keyed by (store, remote id), so a record seen twice (overlapping sync windows, an
on-demand fetch of an order already synced) is stored once; an older copy never overwrites a
newer one. A record finds its customer by store account, then by e-mail; a guest becomes a
customer of their own. When a store account's e-mail already belongs to another customer, the
two are offered to the agent as a merge suggestion — never merged silently.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from agentconsole.clock import utc
from agentconsole.commerce.records import RemoteCustomer, RemoteOrder
from agentconsole.store.reader import Writer, stored_time


def _email(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value or None


def _stored(value: Any) -> datetime | None:
    if value is None:
        return None
    return utc(datetime.fromisoformat(value)) if isinstance(value, str) else utc(value)


def _phone(value: str | None) -> str | None:
    """``+49 30 765-4321`` → ``+49307654321`` (matched as written, without spacing)."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    return digits or None


def _new_customer(w: Writer, name: str, now: datetime) -> int:
    return w.execute(
        "INSERT INTO customer (name, language, notes, created_at) VALUES (:n, 'en', '', :t)",
        {"n": name or "(no name)", "t": stored_time(now)},
    )


def _identity(
    w: Writer, customer_id: int, kind: str, value: str, now: datetime, store_id: int | None = None
) -> None:
    """Give ``customer_id`` this identity; if someone else has it, suggest merging the two."""
    owner = w.scalar(
        "SELECT customer_id FROM customer_identity WHERE kind = :k AND value = :v",
        {"k": kind, "v": value},
    )
    if owner is None:
        primary = not w.scalar(
            "SELECT 1 FROM customer_identity WHERE customer_id = :c AND kind = :k",
            {"c": customer_id, "k": kind},
        )
        w.execute(
            "INSERT INTO customer_identity (customer_id, kind, value, is_primary, store_id) "
            "VALUES (:c, :k, :v, :p, :s)",
            {"c": customer_id, "k": kind, "v": value, "p": primary, "s": store_id},
        )
    elif owner != customer_id:
        first, second = sorted((customer_id, int(owner)))
        w.execute(
            "INSERT OR IGNORE INTO merge_suggestion (customer_id, other_id, reason, created_at) "
            "VALUES (:a, :b, :r, :t)",
            {"a": first, "b": second, "r": f"both use {value}", "t": stored_time(now)},
        )


def _by_identity(w: Writer, kind: str, value: str | None) -> int | None:
    if not value:
        return None
    found = w.scalar(
        "SELECT customer_id FROM customer_identity WHERE kind = :k AND value = :v",
        {"k": kind, "v": value},
    )
    return int(found) if found is not None else None


def upsert_customer(w: Writer, store_id: int, rc: RemoteCustomer, now: datetime) -> int:
    """Store one store account; our customer's id."""
    email = _email(rc.email)
    store_key = f"{store_id}:{rc.remote_id}"
    row = w.first(
        "SELECT id, customer_id, remote_updated_at FROM store_customer "
        "WHERE store_id = :s AND remote_id = :r",
        {"s": store_id, "r": rc.remote_id},
    )
    customer_id = (
        int(row.customer_id)
        if row
        else _by_identity(w, "store", store_key) or _by_identity(w, "email", email)
    )
    name = " ".join(p for p in (rc.first_name, rc.last_name) if p) or email or rc.remote_id
    if customer_id is None:
        customer_id = _new_customer(w, name, now)
    _identity(w, customer_id, "store", store_key, now, store_id)
    if email:
        _identity(w, customer_id, "email", email, now)
    phone = _phone(rc.phone)
    if phone:
        _identity(w, customer_id, "phone", phone, now)
    if rc.birthday is not None:
        w.execute(
            "UPDATE customer SET birthday = :b WHERE id = :c AND birthday IS NULL",
            {"b": rc.birthday.isoformat(), "c": customer_id},
        )
    w.execute(
        "UPDATE customer SET name = :n WHERE id = :c AND (name = '(no name)' OR name = :e)",
        {"n": name, "c": customer_id, "e": email or ""},
    )
    if row is not None and _stored(row.remote_updated_at) > rc.updated_at:  # type: ignore[operator]
        return customer_id  # what we have is newer
    values = {
        "s": store_id,
        "r": rc.remote_id,
        "c": customer_id,
        "e": email,
        "p": rc.phone,
        "fn": rc.first_name,
        "ln": rc.last_name,
        "note": rc.note,
        "tags": ",".join(rc.tags),
        "oc": rc.orders_count,
        "amt": rc.amount_spent,
        "cur": rc.amount_currency,
        "url": rc.admin_url,
        "up": stored_time(rc.updated_at),
        "now": stored_time(now),
    }
    w.execute(
        "INSERT INTO store_customer (store_id, remote_id, customer_id, email, phone, first_name, "
        "last_name, note, tags, orders_count, amount_spent, amount_currency, admin_url, "
        "remote_updated_at, synced_at) VALUES (:s, :r, :c, :e, :p, :fn, :ln, :note, :tags, "
        ":oc, :amt, :cur, :url, :up, :now) ON CONFLICT (store_id, remote_id) DO UPDATE SET "
        "email = :e, phone = :p, first_name = :fn, last_name = :ln, note = :note, "
        "tags = :tags, orders_count = :oc, amount_spent = :amt, amount_currency = :cur, "
        "admin_url = :url, remote_updated_at = :up, synced_at = :now",
        values,
    )
    return customer_id


def upsert_order(w: Writer, store_id: int, ro: RemoteOrder, now: datetime) -> int:
    """Store one order with its lines, shipments, refunds and returns; the order's id."""
    email = _email(ro.email)
    existing = w.first(
        'SELECT id, customer_id, updated_at FROM "order" WHERE store_id = :s AND external_id = :r',
        {"s": store_id, "r": ro.remote_id},
    )
    if existing is not None and _stored(existing.updated_at) > ro.updated_at:  # type: ignore[operator]
        return int(existing.id)  # what we have is newer
    customer_id = (
        (int(existing.customer_id) if existing and existing.customer_id else None)
        or _by_identity(
            w, "store", f"{store_id}:{ro.customer_remote_id}" if ro.customer_remote_id else None
        )
        or _by_identity(w, "email", email)
    )
    if customer_id is None:
        customer_id = _new_customer(w, ro.customer_name or email or ro.name, now)
        if ro.customer_remote_id:
            _identity(w, customer_id, "store", f"{store_id}:{ro.customer_remote_id}", now, store_id)
    if email:
        _identity(w, customer_id, "email", email, now)
    values = {
        "s": store_id,
        "r": ro.remote_id,
        "name": ro.name,
        "num": ro.number,
        "c": customer_id,
        "e": email,
        "created": stored_time(ro.created_at),
        "updated": stored_time(ro.updated_at),
        "cancelled": stored_time(ro.cancelled_at),
        "fin": ro.financial_status,
        "ful": ro.fulfillment_status,
        "cur": ro.currency,
        "sub": ro.subtotal,
        "ship": ro.shipping,
        "tax": ro.tax,
        "disc": ro.discount,
        "total": ro.total,
        "surl": ro.status_url,
        "note": ro.note,
        "state": ro.state,
        "plat": ro.platform_status,
        "ref": ro.refunded,
        "conf": ro.confirmation_number,
        "phone": ro.phone,
        "cname": ro.customer_name,
        "addr": ro.shipping_address,
        "aurl": ro.admin_url,
        "tags": ",".join(ro.tags),
        "now": stored_time(now),
    }
    if existing is None:
        order_id = w.execute(
            'INSERT INTO "order" (store_id, external_id, name, number, customer_id, email, '
            "created_at, updated_at, cancelled_at, financial_status, fulfillment_status, "
            "currency, subtotal, shipping, tax, discount, total, status_url, note, state, "
            "platform_status, refunded, confirmation_number, phone, customer_name, "
            "shipping_address, admin_url, tags, synced_at) VALUES (:s, :r, :name, :num, :c, :e, "
            ":created, :updated, :cancelled, :fin, :ful, :cur, :sub, :ship, :tax, :disc, :total, "
            ":surl, :note, :state, :plat, :ref, :conf, :phone, :cname, :addr, :aurl, :tags, :now)",
            values,
        )
    else:
        order_id = int(existing.id)
        w.execute(
            'UPDATE "order" SET name = :name, number = :num, customer_id = :c, email = :e, '
            "created_at = :created, updated_at = :updated, cancelled_at = :cancelled, "
            "financial_status = :fin, fulfillment_status = :ful, currency = :cur, "
            "subtotal = :sub, shipping = :ship, tax = :tax, discount = :disc, total = :total, "
            "status_url = :surl, note = :note, state = :state, platform_status = :plat, "
            "refunded = :ref, confirmation_number = :conf, phone = :phone, "
            "customer_name = :cname, shipping_address = :addr, admin_url = :aurl, tags = :tags, "
            "synced_at = :now WHERE id = :id",
            {**values, "id": order_id},
        )
        for table in ("order_line", "shipment", "refund", "order_return"):
            w.execute(f"DELETE FROM {table} WHERE order_id = :o", {"o": order_id})  # noqa: S608
    _children(w, order_id, ro)
    return order_id


def _children(w: Writer, order_id: int, ro: RemoteOrder) -> None:
    w.executemany(
        "INSERT INTO order_line (order_id, sku, title, variant, quantity, unit_price, total, "
        "remote_id, product_id, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                order_id,
                line.sku,
                line.title,
                line.variant,
                line.quantity,
                line.unit_price,
                line.total,
                line.remote_id,
                line.product_id,
                line.category,
            )
            for line in ro.lines
        ],
    )
    w.executemany(
        "INSERT INTO shipment (order_id, carrier, tracking_number, tracking_url, status, "
        "shipped_at, delivered_at, remote_id, estimated_delivery_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                order_id,
                s.carrier,
                s.tracking_number,
                s.tracking_url,
                s.status,
                stored_time(s.shipped_at or ro.updated_at),
                stored_time(s.delivered_at),
                s.remote_id,
                stored_time(s.estimated_delivery_at),
            )
            for s in ro.shipments
        ],
    )
    w.executemany(
        "INSERT INTO refund (order_id, amount, currency, reason, created_at, remote_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (order_id, r.amount, r.currency, r.reason, stored_time(r.created_at), r.remote_id)
            for r in ro.refunds
        ],
    )
    w.executemany(
        "INSERT INTO order_return (order_id, remote_id, name, status, created_at, closed_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                order_id,
                r.remote_id,
                r.name,
                r.status,
                stored_time(r.created_at),
                stored_time(r.closed_at),
            )
            for r in ro.returns
        ],
    )
