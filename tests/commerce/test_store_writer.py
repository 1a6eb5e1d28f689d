"""Store records into a real SQLite store: upserts once, never older over newer, guests get a
customer of their own, one person's identities meet, conflicts become merge suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from agentconsole.commerce.records import (
    RemoteCustomer,
    RemoteLine,
    RemoteOrder,
    RemoteRefund,
    RemoteShipment,
)
from agentconsole.commerce.store_writer import upsert_customer, upsert_order
from agentconsole.store.db import Store

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Store, int]]:
    db = Store(tmp_path / "store.db")
    with db.write() as w:
        shop = w.execute(
            "INSERT INTO shop_store (name, platform, url, currency, api_version, admin_url) "
            "VALUES ('shop', 'shopify', 'https://shop.example', 'EUR', '', '')"
        )
    yield db, shop
    db.close()


def order(remote_id: str = "1", **kw: object) -> RemoteOrder:
    fields: dict[str, object] = {
        "remote_id": remote_id,
        "name": f"#{1000 + int(remote_id)}",
        "number": 1000 + int(remote_id),
        "created_at": NOW - timedelta(days=3),
        "updated_at": NOW - timedelta(days=1),
        "currency": "EUR",
        "subtotal": 4000,
        "total": 4500,
        "financial_status": "paid",
        "fulfillment_status": "fulfilled",
        "email": "Guest@Example.org",
        "customer_name": "Gita Guest",
        "lines": (RemoteLine("l1", "Linen sheet", 1, 4000, 4000, sku="LS-90"),),
        "shipments": (
            RemoteShipment("f1", "DHL", "JD0146", "https://dhl.example/JD0146", "in_transit"),
        ),
        "refunds": (RemoteRefund("r1", 500, "EUR", NOW - timedelta(hours=5), "damaged"),),
    }
    fields.update(kw)
    return RemoteOrder(**fields)  # type: ignore[arg-type]


def rows(store: Store, sql: str) -> list:  # type: ignore[type-arg]
    with store.read() as db:
        return db.all(sql)


def test_a_guest_order_makes_a_customer_and_a_second_order_finds_them(
    store: tuple[Store, int],
) -> None:
    db, shop = store
    with db.write() as w:
        first = upsert_order(w, shop, order("1"), NOW)
        second = upsert_order(w, shop, order("2", email="guest@example.org"), NOW)
    owners = rows(db, 'SELECT customer_id FROM "order" ORDER BY id')
    assert first != second and owners[0].customer_id == owners[1].customer_id
    assert rows(db, "SELECT name FROM customer")[0].name == "Gita Guest"
    assert rows(db, "SELECT value FROM customer_identity WHERE kind = 'email'")[0].value == (
        "guest@example.org"
    )


def test_the_same_order_twice_is_stored_once_and_older_never_wins(
    store: tuple[Store, int],
) -> None:
    db, shop = store
    with db.write() as w:
        upsert_order(w, shop, order("1"), NOW)
        upsert_order(w, shop, order("1", updated_at=NOW, fulfillment_status="partial"), NOW)
        upsert_order(w, shop, order("1", updated_at=NOW - timedelta(days=2)), NOW)  # stale
    assert rows(db, 'SELECT count(*) AS n FROM "order"')[0].n == 1
    assert rows(db, 'SELECT fulfillment_status FROM "order"')[0].fulfillment_status == "partial"
    for table in ("order_line", "shipment", "refund"):
        assert rows(db, f"SELECT count(*) AS n FROM {table}")[0].n == 1  # noqa: S608


def test_store_account_and_its_orders_meet_in_one_customer(store: tuple[Store, int]) -> None:
    db, shop = store
    account = RemoteCustomer(
        "c9", "ann@example.org", "+4915112345678", "Ann", "Buyer", NOW, birthday=date(1990, 4, 12)
    )
    with db.write() as w:
        customer = upsert_customer(w, shop, account, NOW)
        upsert_order(w, shop, order("3", email=None, customer_remote_id="c9"), NOW)
    assert rows(db, 'SELECT customer_id FROM "order"')[0].customer_id == customer
    person = rows(db, "SELECT name, birthday FROM customer")[0]
    assert person.name == "Ann Buyer" and str(person.birthday) == "1990-04-12"
    kinds = {r.kind for r in rows(db, "SELECT kind FROM customer_identity")}
    assert kinds == {"email", "phone", "store"}


def test_an_email_owned_by_someone_else_is_a_suggestion_not_a_merge(
    store: tuple[Store, int],
) -> None:
    db, shop = store
    with db.write() as w:
        upsert_order(w, shop, order("1", email="shared@example.org", customer_name="Bo"), NOW)
        upsert_customer(w, shop, RemoteCustomer("c1", None, None, "Bea", "Other", NOW), NOW)
        # The account later gets the same e-mail the guest used.
        upsert_customer(
            w,
            shop,
            RemoteCustomer("c1", "shared@example.org", None, "Bea", "Other", NOW + timedelta(1)),
            NOW,
        )
    assert rows(db, "SELECT count(*) AS n FROM customer")[0].n == 2
    suggestion = rows(db, "SELECT reason FROM merge_suggestion")
    assert [s.reason for s in suggestion] == ["both use shared@example.org"]
