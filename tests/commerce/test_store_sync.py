"""Store sync end to end: the real adapters against the fake Shopify and WooCommerce, into a
real store — incremental passes with cursors, two stores sharing a customer, on-demand orders,
the customer 360 and the CLI over the synced data."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentconsole.cli import app
from agentconsole.commerce.sync import StoreSync
from agentconsole.config import Settings, StoreConfig, StoreSection
from agentconsole.services.context import Services
from agentconsole.store.db import Store
from tests.servers.fake_woocommerce import woo_customer

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "home" / "store.db")
    yield store
    store.close()


def _all(store: Store, sql: str, **params: object) -> list[Any]:
    with store.read() as r:
        return r.all(sql, params)


def test_a_shopify_pass_fills_the_store_and_the_next_one_is_incremental(
    db: Store, fake_shopify: Any, shopify_config: StoreConfig
) -> None:
    fake_shopify.seed_reference_shop()
    sync = StoreSync(db, shopify_config)
    report = asyncio.run(sync.run_once())
    assert report.error is None and report.orders >= 5 and report.customers >= 1
    orders = _all(db, 'SELECT name, currency, total, state FROM "order" ORDER BY name')
    assert {o.name for o in orders} >= {"#1001", "#1002", "#1003", "#1004", "#1005"}
    bo = _all(
        db,
        "SELECT c.id, c.name, c.birthday FROM customer c JOIN customer_identity i "
        "ON i.customer_id = c.id WHERE i.value = 'bo.wang@example.com'",
    )[0]
    assert bo.name == "Bo Wang" and str(bo.birthday) == "1990-04-12"
    tracking = _all(db, "SELECT carrier, tracking_number FROM shipment")
    assert tracking and tracking[0].carrier
    cursors = _all(db, "SELECT resource, watermark FROM sync_cursor ORDER BY resource")
    assert [c.resource for c in cursors] == ["customers", "orders"]
    assert all(c.watermark for c in cursors)
    before = len(fake_shopify.requests)
    again = asyncio.run(sync.run_once())
    assert again.error is None
    # The second pass asks only for what changed since the watermark (minus the overlap).
    queries = [r["variables"].get("query") for r in fake_shopify.requests[before:]]
    assert any(q and q.startswith("updated_at:>=") for q in queries)
    assert _all(db, 'SELECT count(*) AS n FROM "order"')[0].n == len(orders)


def test_the_customer_360_shows_what_the_store_knows(
    tmp_path: Path, fake_shopify: Any, shopify_config: StoreConfig
) -> None:
    fake_shopify.seed_reference_shop()
    settings = Settings(store=StoreSection(home=tmp_path / "home"), stores=[shopify_config])
    services = Services.open(settings)
    try:
        assert asyncio.run(services.shops.run_once())[0].error is None
        customer_id = services.customers.find_by_email("bo.wang@example.com")
        assert customer_id is not None
        profile = services.customers.profile(customer_id)
        assert profile is not None
        assert profile.order_count >= 1 and profile.lifetime_value
        assert profile.first_order_at is not None and profile.last_order is not None
        assert profile.interests[0] == "Green tea" and len(profile.interests) == 3
        assert profile.store_notes == ("Prefers DHL",)
        assert set(profile.store_tags) == {"vip", "tea-club"}
        assert profile.shop_data_as_of is not None
        assert str(profile.birthday) == "1990-04-12"
        detail = services.orders.find("#1001")
        assert detail is not None and detail.synced_at is not None
        assert detail.admin_url and detail.shipping_address and detail.returns
        link = detail.tracking_link()
        assert link and link.startswith("http")
        assert "#1001" in detail.summary() and "Sencha" in detail.summary()
    finally:
        services.close()


def test_two_stores_sharing_a_customer_meet_in_one_person(
    db: Store,
    fake_shopify: Any,
    shopify_config: StoreConfig,
    woocommerce: Any,
    woocommerce_config: StoreConfig,
) -> None:
    fake_shopify.add_customer("mia.weber@example.de", "Mia", "Weber")
    for config in (shopify_config, woocommerce_config):
        assert asyncio.run(StoreSync(db, config).run_once()).error is None
    owners = _all(
        db,
        "SELECT DISTINCT customer_id FROM customer_identity WHERE kind = 'store' "
        "AND customer_id = (SELECT customer_id FROM customer_identity WHERE value = :e)",
        e="mia.weber@example.de",
    )
    stores = _all(
        db,
        "SELECT count(*) AS n FROM customer_identity WHERE kind = 'store' AND customer_id = :c",
        c=owners[0].customer_id,
    )
    assert len(owners) == 1 and stores[0].n == 2
    # Only the staff account, which shares the fixture's phone number, is a suggestion.
    reasons = [r.reason for r in _all(db, "SELECT reason FROM merge_suggestion")]
    assert reasons == ["both use +49307654321"]


def test_a_store_that_is_down_is_one_line_and_keeps_its_cursor(
    db: Store, woocommerce: Any, woocommerce_config: StoreConfig
) -> None:
    assert asyncio.run(StoreSync(db, woocommerce_config).run_once()).error is None
    mark = _all(db, "SELECT watermark FROM sync_cursor WHERE resource = 'orders'")[0].watermark
    woocommerce.down()
    report = asyncio.run(StoreSync(db, woocommerce_config).run_once())
    assert report.error and "\n" not in report.error and "shop2" in report.error
    assert (
        _all(db, "SELECT watermark FROM sync_cursor WHERE resource = 'orders'")[0].watermark == mark
    )
    assert _all(db, "SELECT last_error FROM shop_store")[0].last_error == report.error


def test_cli_sync_doctor_order_and_customer_over_a_store(
    tmp_path: Path, woocommerce: Any, woocommerce_config: StoreConfig
) -> None:
    woocommerce.add_customer(woo_customer(40, email="late@example.de", first_name="Lea"))
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\nhome = "{tmp_path / "home"}"\n\n[[stores]]\nname = "shop2"\n'
        f'platform = "woocommerce"\nurl = "{woocommerce.url}"\n'
        f'consumer_key = "{woocommerce_config.consumer_key}"\n'
        f'password_env = "{woocommerce_config.password_env}"\n'
    )
    args = ["--config", str(config)]
    doctor = runner.invoke(app, [*args, "doctor"])
    assert doctor.exit_code == 0, doctor.output
    assert doctor.stdout.startswith("✓ store shop2: ")
    synced = runner.invoke(app, [*args, "sync", "--once"])
    assert synced.exit_code == 0, synced.output
    assert "store shop2: " in synced.stdout
    as_json = runner.invoke(app, [*args, "sync", "--once", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert [r["store"] for r in json.loads(as_json.stdout)] == ["shop2"]
    order = runner.invoke(app, [*args, "order", "1042", "--json"])
    assert order.exit_code == 0, order.output
    assert '"name": "#1042"' in order.stdout or '"1042"' in order.stdout
    customer = runner.invoke(app, [*args, "customer", "mia.weber@example.de", "--json"])
    assert customer.exit_code == 0, customer.output
    assert '"order_count"' in customer.stdout


def test_an_order_not_synced_yet_is_fetched_on_demand(
    tmp_path: Path, woocommerce: Any, woocommerce_config: StoreConfig
) -> None:
    settings = Settings(store=StoreSection(home=tmp_path / "home"), stores=[woocommerce_config])
    services = Services.open(settings)
    try:
        assert services.orders.find("1042") is None
        found = asyncio.run(services.shops.fetch_order("1042"))
        assert found is not None
        detail = services.orders.find("1042")
        assert detail is not None and detail.shipments and detail.refunded.amount == 1000
    finally:
        services.close()


def test_orders_quoted_in_a_conversation_are_fetched(
    tmp_path: Path, woocommerce: Any, woocommerce_config: StoreConfig
) -> None:
    settings = Settings(store=StoreSection(home=tmp_path / "home"), stores=[woocommerce_config])
    services = Services.open(settings)
    try:
        now = "2026-11-23 10:00:00.000000"
        with services.store.write() as w:
            customer = w.execute(
                "INSERT INTO customer (name, language, notes, created_at) "
                "VALUES ('Mia', 'de', '', :t)",
                {"t": now},
            )
            conv = w.execute(
                "INSERT INTO conversation (subject, status, channel, customer_id, "
                "last_message_at, created_at) VALUES ('Wo bleibt #1042?', 'open', 'email', :c, "
                ":t, :t)",
                {"c": customer, "t": now},
            )
            w.execute(
                "INSERT INTO message (message_id, conversation_id, customer_id, direction, "
                "channel, from_addr, from_name, to_addrs, cc_addrs, reply_to, subject, "
                '"references", sent_at, received_at, body_text, is_automated, seen, flagged, '
                "size) VALUES ('q@x', :v, :c, 'inbound', 'email', 'mia.weber@example.de', "
                "'Mia', '', '', '', 'Wo bleibt #1042?', '', :t, :t, "
                "'Und #1042 und # 9999?', 0, 0, 0, 10)",
                {"v": conv, "c": customer, "t": now},
            )
        assert services.shops.quoted_orders(conv) == ["1042", "9999"]
        ids = asyncio.run(services.shops.fetch_quoted(conv))
        assert len(ids) == 1  # 9999 is no order of this shop
        assert services.shops.quoted_orders(conv) == ["9999"]
        assert services.orders.find("#1042") is not None
    finally:
        services.close()
