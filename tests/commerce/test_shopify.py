"""The Shopify adapter against the fake GraphQL Admin API (every query schema-validated)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from agentconsole.commerce.base import StoreError
from agentconsole.commerce.shopify import (
    CHECK_QUERY,
    CUSTOMER_BY_EMAIL_QUERY,
    CUSTOMERS_QUERY,
    ORDERS_QUERY,
    ShopifyAdapter,
)
from agentconsole.config import StoreConfig
from tests.servers.fake_shopify import FakeShopify, line, schema


@pytest.fixture
async def adapter(shopify_config: StoreConfig) -> AsyncIterator[ShopifyAdapter]:
    store = ShopifyAdapter(shopify_config, timeout=5)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
def shop(fake_shopify: FakeShopify) -> dict[str, dict]:
    return fake_shopify.seed_reference_shop()


def _config(url: str, env: str = "AGENTCONSOLE_TEST_SHOPIFY_TOKEN", **extra: Any) -> StoreConfig:
    return StoreConfig(name="lindenhof", platform="shopify", url=url, password_env=env, **extra)


async def _raw(fake: FakeShopify, query: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(
            f"{fake.url}/admin/api/2026-10/graphql.json",
            json={"query": query},
            headers={"X-Shopify-Access-Token": fake.token},
        )


# -- the fake validates against the real schema -------------------------------------------------


def test_every_adapter_query_validates_against_the_schema() -> None:
    from graphql import parse, validate

    for query in (CHECK_QUERY, ORDERS_QUERY, CUSTOMERS_QUERY, CUSTOMER_BY_EMAIL_QUERY):
        assert validate(schema(), parse(query)) == []


async def test_misspelt_field_is_rejected_by_the_fake(fake_shopify: FakeShopify) -> None:
    response = await _raw(fake_shopify, "{ orders(first: 1) { nodes { id financialStatus } } }")
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["message"] == (
        "Cannot query field 'financialStatus' on type 'Order'. "
        "Did you mean 'displayFinancialStatus'?"
    )
    assert error["locations"] == [{"line": 1, "column": 33}]


# -- check and error classification --------------------------------------------------------------


async def test_check_reports_the_shop(adapter: ShopifyAdapter) -> None:
    info = await adapter.check()
    assert info.name == "Lindenhof Tee"
    assert info.currency == "EUR"
    assert info.api_version == "2026-10"
    assert info.timezone == "Europe/Berlin"


async def test_wrong_token_is_auth_without_leaking_it(
    fake_shopify: FakeShopify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WRONG_TOKEN", "shpat_wrong_secret_value")
    store = ShopifyAdapter(_config(fake_shopify.url, "WRONG_TOKEN"))
    with pytest.raises(StoreError) as caught:
        await store.check()
    await store.close()
    assert caught.value.kind == "auth"
    assert str(caught.value) == (
        "store lindenhof: the access token was refused (401) — check password_env"
    )
    assert "shpat_wrong" not in str(caught.value)


async def test_unknown_api_version_is_version(
    fake_shopify: FakeShopify, shopify_config: StoreConfig
) -> None:
    store = ShopifyAdapter(shopify_config.model_copy(update={"api_version": "2026-13"}))
    with pytest.raises(StoreError) as caught:
        await store.check()
    await store.close()
    assert caught.value.kind == "version"
    assert "API version 2026-13 is not available" in str(caught.value)
    assert str(caught.value).startswith("store lindenhof: ")


async def test_server_down_is_unreachable(
    fake_shopify: FakeShopify, adapter: ShopifyAdapter
) -> None:
    fake_shopify.down()
    with pytest.raises(StoreError) as caught:
        await adapter.check()
    assert caught.value.kind == "unreachable"
    assert str(caught.value).startswith("store lindenhof: cannot reach 127.0.0.1")
    assert "\n" not in str(caught.value)


async def test_missing_scope_is_named(fake_shopify: FakeShopify, adapter: ShopifyAdapter) -> None:
    fake_shopify.deny_scope("read_orders")
    with pytest.raises(StoreError) as caught:
        await adapter.order_by_number("#1001")
    assert caught.value.kind == "scope"
    assert (
        str(caught.value) == "store lindenhof: access denied: the app needs the scope read_orders"
    )


async def test_tls_failure_is_tls(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A self-signed HTTPS server that the default trust store does not know."""
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.servers.certs import make_cert

    cert = make_cert(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert.cert_path, cert.key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TLS_TOKEN", "shpat_x")
    store = ShopifyAdapter(_config(f"https://127.0.0.1:{server.server_address[1]}", "TLS_TOKEN"))
    try:
        with pytest.raises(StoreError) as caught:
            await store.check()
    finally:
        await store.close()
        server.shutdown()
        server.server_close()
    assert caught.value.kind == "tls"
    assert str(caught.value).startswith("store lindenhof: TLS to 127.0.0.1 failed")


async def test_other_graphql_errors_are_protocol(adapter: ShopifyAdapter) -> None:
    with pytest.raises(StoreError) as caught:
        await adapter._query("{ shop { nme } }")
    assert caught.value.kind == "protocol"
    assert "Cannot query field 'nme' on type 'Shop'" in str(caught.value)


# -- lookups ----------------------------------------------------------------------------------------


async def test_customer_by_email_hit(adapter: ShopifyAdapter, shop: dict[str, dict]) -> None:
    customer = await adapter.customer_by_email("BO.WANG@example.com")
    assert customer is not None
    assert customer.remote_id == shop["customer"]["id"]
    assert (customer.first_name, customer.last_name) == ("Bo", "Wang")
    assert customer.email == "bo.wang@example.com"
    assert customer.phone == "+4930123456"
    assert customer.orders_count == 7
    assert (customer.amount_spent, customer.amount_currency) == (123450, "EUR")
    assert customer.birthday == date(1990, 4, 12)
    assert customer.tags == ("vip", "tea-club")
    assert customer.note == "Prefers DHL"
    assert customer.admin_url == (
        f"{adapter.base_url}/admin/customers/{shop['customer']['legacyResourceId']}"
    )
    assert customer.updated_at.tzinfo is not None


async def test_customer_by_email_miss(adapter: ShopifyAdapter, shop: dict[str, dict]) -> None:
    assert await adapter.customer_by_email("nobody@example.com") is None
    assert await adapter.customer_by_email("wang@example") is None


async def test_birthday_metafield_is_configurable(
    fake_shopify: FakeShopify, shopify_config: StoreConfig
) -> None:
    fake_shopify.add_customer(
        "ana@example.com", "Ana", "Silva", birthday="1985-12-24", birthday_metafield="custom.bday"
    )
    default = ShopifyAdapter(shopify_config)
    custom = ShopifyAdapter(shopify_config.model_copy(update={"birthday_metafield": "custom.bday"}))
    try:
        assert (await default.customer_by_email("ana@example.com")).birthday is None  # type: ignore[union-attr]
        assert (await custom.customer_by_email("ana@example.com")).birthday == date(1985, 12, 24)  # type: ignore[union-attr]
    finally:
        await default.close()
        await custom.close()


async def test_orders_by_email_includes_guests_and_is_exact(
    adapter: ShopifyAdapter, shop: dict[str, dict]
) -> None:
    orders = await adapter.orders_by_email("bo.wang@example.com")
    names = sorted(o.name for o in orders)
    assert names == ["#1001", "#1002", "#1003", "#1004", "#1005"]
    guest = next(o for o in orders if o.name == "#1005")
    assert guest.customer_remote_id is None
    assert guest.email == "Bo.Wang@example.com"
    assert guest.customer_name == "Bo Wang"
    assert "#1006" not in names  # wang@example.org shares a token, not the address


async def test_order_by_number_by_name(adapter: ShopifyAdapter, shop: dict[str, dict]) -> None:
    for wanted in ("#1001", "1001", " #1001 "):
        order = await adapter.order_by_number(wanted)
        assert order is not None and order.remote_id == shop["full"]["id"], wanted
    assert (await adapter.order_by_number("#1001")).number == 1001  # type: ignore[union-attr]


async def test_order_by_number_by_confirmation_number(
    adapter: ShopifyAdapter, fake_shopify: FakeShopify, shop: dict[str, dict]
) -> None:
    order = await adapter.order_by_number("xpav284ct")
    assert order is not None and order.name == "#1001"
    queries = [r["variables"]["query"] for r in fake_shopify.requests[-2:]]
    assert queries == ['name:"xpav284ct"', 'confirmation_number:"xpav284ct"']
    assert await adapter.order_by_number("#9999") is None
    assert await adapter.order_by_number("") is None


# -- mapping ------------------------------------------------------------------------------------------


async def test_full_order_mapping(adapter: ShopifyAdapter, shop: dict[str, dict]) -> None:
    order = await adapter.order_by_number("#1001")
    assert order is not None
    legacy = shop["full"]["legacyResourceId"]
    assert order.currency == "EUR"
    assert (order.subtotal, order.shipping, order.refunded, order.total) == (7880, 490, 1490, 6880)
    assert order.financial_status == "partially_refunded"
    assert order.fulfillment_status == "partially_fulfilled"
    assert order.state == "open"
    assert order.platform_status == "PARTIALLY_REFUNDED / PARTIALLY_FULFILLED"
    assert order.confirmation_number == "XPAV284CT"
    assert order.admin_url == f"{adapter.base_url}/admin/orders/{legacy}"
    assert order.status_url and order.status_url.startswith("https://")
    assert order.shipping_address == "Bo Wang\nLindenstraße 5\n10115 Berlin\nGermany"
    assert order.extra["return_status"] == "RETURN_REQUESTED"
    sencha, pot = order.lines
    assert (sencha.sku, sencha.title, sencha.variant, sencha.quantity) == (
        "TEA-SEN-100",
        "Sencha Kagoshima",
        "100 g",
        2,
    )
    assert (sencha.unit_price, sencha.total, sencha.category) == (1490, 2980, "Green tea")
    assert sencha.product_id and sencha.product_id.startswith("gid://shopify/Product/")
    assert (pot.variant, pot.category) == ("", "Teaware")
    [shipment] = order.shipments
    assert (shipment.carrier, shipment.tracking_number) == ("DHL Express", "JD014600003828395123")
    assert shipment.tracking_url and "JD014600003828395123" in shipment.tracking_url
    assert shipment.status == "in_transit"
    assert shipment.shipped_at == datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    assert shipment.estimated_delivery_at == datetime(2026, 11, 21, 18, 0, tzinfo=UTC)
    [refund] = order.refunds
    assert (refund.amount, refund.currency, refund.reason) == (1490, "EUR", "One bag arrived torn")
    [ret] = order.returns
    assert (ret.name, ret.status) == ("#1001-R1", "requested")


async def test_minor_units_jpy_kwd(adapter: ShopifyAdapter, shop: dict[str, dict]) -> None:
    jpy = await adapter.order_by_number("#1002")
    kwd = await adapter.order_by_number("#1003")
    assert jpy is not None and kwd is not None
    assert (jpy.currency, jpy.total, jpy.lines[0].unit_price) == ("JPY", 4500, 4500)
    assert (kwd.currency, kwd.total, kwd.lines[0].unit_price) == ("KWD", 12345, 12345)


async def test_cancelled_and_delivered(adapter: ShopifyAdapter, shop: dict[str, dict]) -> None:
    cancelled = await adapter.order_by_number("#1004")
    assert cancelled is not None
    assert (cancelled.state, cancelled.financial_status) == ("cancelled", "voided")
    assert cancelled.cancelled_at == datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    assert cancelled.extra["cancel_reason"] == "CUSTOMER"
    guest = await adapter.order_by_number("#1005")
    assert guest is not None and guest.fulfillment_status == "fulfilled"
    assert guest.shipments[0].status == "delivered"
    assert guest.shipments[0].delivered_at == datetime(2026, 11, 19, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("financial", "fulfilment", "expected"),
    [
        ("PAID", "FULFILLMENT_NOT_REQUIRED", ("paid", "not_required")),
        ("PENDING", "PENDING_FULFILLMENT", ("pending", "unfulfilled")),
        ("AUTHORIZED", "OPEN", ("authorized", "unfulfilled")),
        ("EXPIRED", "ON_HOLD", ("expired", "on_hold")),
        ("REFUNDED", "RESTOCKED", ("refunded", "restocked")),
    ],
)
async def test_status_vocabulary(
    adapter: ShopifyAdapter,
    fake_shopify: FakeShopify,
    financial: str,
    fulfilment: str,
    expected: tuple[str, str],
) -> None:
    fake_shopify.add_order(
        "#2001", financial_status=financial, fulfillment_status=fulfilment, closed=True
    )
    order = await adapter.order_by_number("#2001")
    assert order is not None
    assert (order.financial_status, order.fulfillment_status) == expected
    assert order.state == "completed"


# -- sync: paging, throttling, tokens ---------------------------------------------------------------


def _many_orders(fake: FakeShopify, count: int) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(count):
        fake.add_order(
            f"#{5000 + i}",
            email=f"c{i}@example.com",
            updated_at=start + timedelta(minutes=i),
            lines=[line("Tea", "1.00", 1)],
        )


async def test_orders_updated_since_pages_in_update_order(
    adapter: ShopifyAdapter, fake_shopify: FakeShopify
) -> None:
    _many_orders(fake_shopify, 120)
    adapter.order_page_size = 6  # 6 full orders stay under Shopify's 1,000-point ceiling
    fake_shopify.maximum_available = fake_shopify.available = 100_000  # a Plus-sized bucket
    names = [o.name async for o in adapter.orders_updated_since(None)]
    assert names == [f"#{5000 + i}" for i in range(120)]
    assert len(fake_shopify.requests) == 20  # 120 / 6
    since = datetime(2026, 11, 1, 1, 30, tzinfo=UTC)  # the 91st order's update
    later = [o.name async for o in adapter.orders_updated_since(since)]
    assert later == [f"#{5000 + i}" for i in range(90, 120)]
    assert fake_shopify.requests[-1]["variables"]["query"] == "updated_at:>='2026-11-01T01:30:00Z'"
    assert fake_shopify.requests[-1]["variables"]["sortKey"] == "UPDATED_AT"


@pytest.mark.parametrize("as_429", [False, True])
async def test_throttled_mid_pagination_is_retried(
    adapter: ShopifyAdapter, fake_shopify: FakeShopify, as_429: bool
) -> None:
    _many_orders(fake_shopify, 18)
    adapter.order_page_size = 6
    seen = []
    async for order in adapter.orders_updated_since(None):
        seen.append(order.name)
        if len(seen) == 6:
            fake_shopify.throttle_next(2, as_429=as_429)
    assert seen == [f"#{5000 + i}" for i in range(18)]
    assert [r["throttled"] for r in fake_shopify.requests] == [False, True, True, False, False]
    expected = [429, 429] if as_429 else [200, 200]
    assert [r["status"] for r in fake_shopify.requests][1:3] == expected


async def test_too_many_throttles_give_up(
    adapter: ShopifyAdapter, fake_shopify: FakeShopify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("agentconsole.commerce.shopify.MAX_THROTTLE_RETRIES", 2)
    fake_shopify.throttle_next(5)
    with pytest.raises(StoreError) as caught:
        await adapter.check()
    assert caught.value.kind == "throttled"


async def test_low_budget_sleeps_before_the_next_query(
    adapter: ShopifyAdapter, fake_shopify: FakeShopify, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_shopify.maximum_available = fake_shopify.available = 1.5  # the check query costs 1
    fake_shopify.restore_rate = 50
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr("agentconsole.commerce.shopify.asyncio.sleep", sleep)
    await adapter.check()  # learns the cost (1) and that ~0 points are left
    await adapter.check()  # waits for the bucket instead of being throttled
    assert slept and 0 < slept[0] <= 0.05
    assert not any(r["throttled"] for r in fake_shopify.requests)


async def test_customers_updated_since(adapter: ShopifyAdapter, fake_shopify: FakeShopify) -> None:
    for i in range(60):
        fake_shopify.add_customer(
            f"c{i}@example.com", f"C{i}", "Test",
            updated_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=i),
        )  # fmt: skip
    emails = [c.email async for c in adapter.customers_updated_since(None)]
    assert emails == [f"c{i}@example.com" for i in range(60)]
    later = [
        c.email
        async for c in adapter.customers_updated_since(datetime(2026, 11, 3, 11, tzinfo=UTC))
    ]
    assert later == [f"c{i}@example.com" for i in range(59, 60)]


async def test_client_credentials_token_renewed_on_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeShopify(client_id="app-123", client_secret="cs_secret", token_lifetime=86399) as fake:
        monkeypatch.setenv("CC_SECRET", "cs_secret")
        store = ShopifyAdapter(_config(fake.url, "CC_SECRET", client_id="app-123"))
        try:
            await store.check()
            await store.check()
            assert fake.grants == 1  # cached
            fake.expire_tokens()  # revoked before its announced expiry: 401, one renewal
            await store.check()
            assert fake.grants == 2
            assert [r["status"] for r in fake.requests] == [200, 200, 200]
        finally:
            await store.close()


async def test_client_credentials_token_renewed_before_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FakeShopify(client_id="app-123", client_secret="cs_secret", token_lifetime=0.3) as fake:
        monkeypatch.setenv("CC_SECRET", "cs_secret")
        store = ShopifyAdapter(_config(fake.url, "CC_SECRET", client_id="app-123"))
        try:
            await store.check()
            await asyncio.sleep(0.35)
            await store.check()
            assert fake.grants == 2
        finally:
            await store.close()


async def test_client_credentials_bad_secret_is_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeShopify(client_id="app-123", client_secret="cs_secret") as fake:
        monkeypatch.setenv("CC_SECRET", "cs_wrong")
        store = ShopifyAdapter(_config(fake.url, "CC_SECRET", client_id="app-123"))
        try:
            with pytest.raises(StoreError) as caught:
                await store.check()
        finally:
            await store.close()
    assert caught.value.kind == "auth"
    assert "client credentials were refused (400)" in str(caught.value)
    assert "cs_wrong" not in str(caught.value)


async def test_a_page_too_costly_for_shopify_is_asked_for_in_halves(
    adapter: ShopifyAdapter, fake_shopify: FakeShopify
) -> None:
    _many_orders(fake_shopify, 30)
    adapter.order_page_size = 50  # 50 full orders would cost ~6,800 points
    names = [o.name async for o in adapter.orders_updated_since(None)]
    assert names == [f"#{5000 + i}" for i in range(30)]
    firsts = [r["variables"]["first"] for r in fake_shopify.requests]
    assert firsts[:4] == [50, 25, 12, 6] and set(firsts[4:]) == {6}
