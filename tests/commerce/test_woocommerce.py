"""WooCommerceAdapter against the fake WooCommerce server (a real HTTP server, no mocks)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from agentconsole.commerce.base import StoreAdapter, StoreError
from agentconsole.commerce.woocommerce import PER_PAGE, WooCommerceAdapter
from agentconsole.config import StoreConfig
from tests.servers.fake_woocommerce import BASE_TIME, FakeWooCommerce, Seen, gmt, woo_order


@pytest.fixture
async def adapter(woocommerce_config: StoreConfig) -> AsyncIterator[WooCommerceAdapter]:
    shop = WooCommerceAdapter(woocommerce_config, timeout=5)
    shop.retry_delays = (0.0, 0.0, 0.0)
    yield shop
    await shop.close()


def test_follows_the_protocol(woocommerce_config: StoreConfig) -> None:
    shop: StoreAdapter = WooCommerceAdapter(woocommerce_config)
    assert shop.platform == "woocommerce"


# -- check, errors, fallbacks ------------------------------------------------------------------


async def test_check_ok(adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce) -> None:
    info = await adapter.check()
    assert info.name == "shop2"
    assert info.currency == "EUR"
    assert info.api_version == "wc/v3"
    assert {s.auth for s in woocommerce.requests} == {"basic"}
    assert {s.route for s in woocommerce.requests} == {"pretty"}


async def test_wrong_secret_is_auth_and_never_shows_the_secret(
    woocommerce_config: StoreConfig, woocommerce: FakeWooCommerce, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTCONSOLE_TEST_WOO_SECRET", "cs_wrong_secret_value")
    async with WooCommerceAdapter(woocommerce_config) as shop:
        with pytest.raises(StoreError) as caught:
            await shop.check()
    assert caught.value.kind == "auth"
    text = str(caught.value)
    assert text.startswith("store shop2: the consumer key/secret was refused (401)")
    assert "consumer_key and password_command" in text
    assert "cs_wrong_secret_value" not in text
    assert "\n" not in text


async def test_write_only_key_and_forbidden_user_are_scope(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.key_permissions = "write"
    with pytest.raises(StoreError) as caught:
        await adapter.check()
    assert caught.value.kind == "scope"
    woocommerce.key_permissions = "read_write"
    woocommerce.user_can_read = False
    with pytest.raises(StoreError) as caught:
        await adapter.check()
    assert caught.value.kind == "scope"
    assert "403" in str(caught.value)


async def test_down_is_unreachable(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    await adapter.check()  # a pooled keep-alive connection exists
    woocommerce.down()
    with pytest.raises(StoreError) as caught:
        await adapter.check()
    assert caught.value.kind == "unreachable"
    assert str(caught.value).startswith("store shop2: cannot reach http://127.0.0.1:")


async def test_tls_failure_is_tls(
    woocommerce: FakeWooCommerce, monkeypatch: pytest.MonkeyPatch
) -> None:
    """https:// to the plain-HTTP fake: the handshake fails (a TLS error, not "unreachable")."""
    monkeypatch.setenv("WOO_S", woocommerce.consumer_secret)
    config = StoreConfig(
        name="shop2",
        platform="woocommerce",
        url=woocommerce.url.replace("http://", "https://"),
        consumer_key=woocommerce.consumer_key,
        password_env="WOO_S",
    )
    async with WooCommerceAdapter(config, timeout=5) as shop:
        with pytest.raises(StoreError) as caught:
            await shop.check()
    assert caught.value.kind == "tls"


async def test_missing_secret_is_one_line_auth(
    woocommerce_config: StoreConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AGENTCONSOLE_TEST_WOO_SECRET")
    async with WooCommerceAdapter(woocommerce_config) as shop:
        with pytest.raises(StoreError) as caught:
            await shop.check()
    assert caught.value.kind == "auth"
    assert "store shop2" in str(caught.value)


async def test_stripped_basic_auth_falls_back_to_query_keys(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.strip_basic_auth = True
    await adapter.check()
    order = await adapter.order_by_number("1042")
    assert order is not None and order.remote_id == "733"
    auths = [s.auth for s in woocommerce.requests]
    assert auths[0] == "none"  # Basic sent, dropped on the way: "Consumer key is missing"
    assert set(auths[1:]) == {"query"}  # remembered: no second Basic attempt


async def test_no_pretty_permalinks_falls_back_to_rest_route(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.no_pretty_permalinks = True
    await adapter.check()
    orders = await adapter.orders_by_email("mia.weber@example.de")
    assert {o.remote_id for o in orders} == {"733", "734"}
    assert woocommerce.requests and {s.route for s in woocommerce.requests} == {"rest_route"}


async def test_html_404_for_wp_json_falls_back_to_rest_route(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.no_pretty_permalinks = "html"
    assert (await adapter.check()).name == "shop2"
    assert woocommerce.requests and {s.route for s in woocommerce.requests} == {"rest_route"}


async def test_not_woocommerce_at_all_is_protocol(
    woocommerce_config: StoreConfig, woocommerce: FakeWooCommerce
) -> None:
    config = woocommerce_config.model_copy(update={"url": woocommerce.url + "/not-a-shop"})
    async with WooCommerceAdapter(config) as shop:
        with pytest.raises(StoreError) as caught:
            await shop.check()
    assert caught.value.kind == "protocol"
    assert "no WooCommerce REST API" in str(caught.value)


async def test_fake_caps_per_page(woocommerce: FakeWooCommerce) -> None:
    import httpx

    auth = (woocommerce.consumer_key, woocommerce.consumer_secret)
    async with httpx.AsyncClient() as client:
        too_big = await client.get(
            f"{woocommerce.url}/wp-json/wc/v3/orders", params={"per_page": 101}, auth=auth
        )
        assert too_big.status_code == 400
        assert too_big.json()["code"] == "rest_invalid_param"
        page = await client.get(
            f"{woocommerce.url}/wp-json/wc/v3/orders", params={"per_page": 2, "page": 2}, auth=auth
        )
    total = len([o for o in woocommerce.orders.values() if o["status"] != "trash"])
    assert page.headers["X-WP-Total"] == str(total)
    assert page.headers["X-WP-TotalPages"] == str((total + 1) // 2)
    assert 'rel="prev"' in page.headers["Link"] and 'rel="next"' in page.headers["Link"]
    assert len(page.json()) == 2


async def test_both_fallbacks_together(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.no_pretty_permalinks = True
    woocommerce.strip_basic_auth = True
    assert (await adapter.check()).currency == "EUR"
    last = woocommerce.requests[-1]
    assert (last.route, last.auth) == ("rest_route", "query")


async def test_throttling_is_retried_then_reported(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.fail_next(503, 2)
    assert (await adapter.check()).name == "shop2"
    woocommerce.fail_next(429, 10)
    with pytest.raises(StoreError) as caught:
        await adapter.check()
    assert caught.value.kind == "throttled"


async def test_server_error_is_protocol_with_wp_message(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.fail_next(500, 1)
    with pytest.raises(StoreError) as caught:
        await adapter.check()
    assert caught.value.kind == "protocol"
    assert "Injected fault." in str(caught.value)


# -- sync ------------------------------------------------------------------------------------------


def _bulk(shop: FakeWooCommerce, count: int, start: datetime) -> list[int]:
    ids = []
    for i in range(count):
        oid = 2000 + i
        # pairs share a second: ties broken by id
        shop.add_order(
            woo_order(oid, modified=start + timedelta(seconds=i // 2), email=f"b{i}@x.de")
        )
        ids.append(oid)
    return ids


async def test_orders_updated_since_pages_without_loss_or_doubles(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    ids = _bulk(woocommerce, 2 * PER_PAGE + 30, start)
    moved: list[int] = []

    def change_between_pages(seen: Seen) -> None:
        if seen.path == "/orders" and not moved:
            # after the first page: an order not yet read jumps to the end, one already read too
            moved.extend([ids[150], ids[3]])
            woocommerce.touch_order(ids[150], start + timedelta(hours=1), customer_note="gift")
            woocommerce.touch_order(ids[3], start + timedelta(hours=1, seconds=1))

    woocommerce.after_request = change_between_pages
    since = start + timedelta(minutes=2)  # the overlap (3 min) reaches back before `start`
    got = [o async for o in adapter.orders_updated_since(since)]
    keys = [(o.remote_id, o.updated_at) for o in got]
    assert len(keys) == len(set(keys)), "nothing doubled"
    assert {int(o.remote_id) for o in got} == set(ids), "nothing lost"
    # the order changed mid-sync arrives in its new state, last
    assert [o.remote_id for o in got[-2:]] == [str(ids[150]), str(ids[3])]
    assert got[-2].note == "gift"
    updates = [o.updated_at for o in got]
    assert updates == sorted(updates)
    lists = woocommerce.api_requests("/orders")
    assert all(s.query["per_page"] == ["100"] for s in lists)
    assert all(s.query["orderby"] == ["modified"] and s.query["order"] == ["asc"] for s in lists)
    assert all(s.query["dates_are_gmt"] == ["true"] for s in lists)
    assert lists[0].query["modified_after"] == [gmt(since - timedelta(minutes=3))]
    assert all(s.query["page"] == ["1"] for s in lists), "keyset restarts, no offsets"


async def test_orders_updated_since_none_reads_everything(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    got = [o async for o in adapter.orders_updated_since(None)]
    not_trash = [o for o in woocommerce.orders.values() if o["status"] != "trash"]
    assert len(got) == len(not_trash)
    assert "modified_after" not in woocommerce.api_requests("/orders")[0].query


async def test_a_page_full_of_one_second_steps_on(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    moment = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    for i in range(PER_PAGE + 20):
        woocommerce.add_order(woo_order(3000 + i, modified=moment))
    got = [o async for o in adapter.orders_updated_since(moment - timedelta(seconds=1))]
    assert sorted(int(o.remote_id) for o in got) == list(range(3000, 3000 + PER_PAGE + 20))


async def test_gmt_dates_are_utc(adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce) -> None:
    order = await adapter.order_by_number("1042")
    assert order is not None
    raw = woocommerce.orders[733]
    assert not raw["date_created_gmt"].endswith("Z")
    assert order.created_at == BASE_TIME + timedelta(minutes=733)
    assert order.created_at.tzinfo is not None and order.created_at.utcoffset() == timedelta(0)
    assert order.updated_at == datetime.fromisoformat(raw["date_modified_gmt"]).replace(tzinfo=UTC)


async def test_customers_updated_since(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    from tests.servers.fake_woocommerce import woo_customer

    recent = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    woocommerce.add_customer(
        woo_customer(40, email="late@example.de", modified=recent + timedelta(hours=1))
    )
    woocommerce.add_customer(woo_customer(41, email="early@example.de", modified=recent))
    got = [c async for c in adapter.customers_updated_since(recent)]
    assert [c.email for c in got] == ["early@example.de", "late@example.de"]
    everyone = [c async for c in adapter.customers_updated_since(None)]
    assert {c.remote_id for c in everyone} == {"12", "13", "40", "41"}  # role=all: staff too


# -- mapping -----------------------------------------------------------------------------------


EXPECTED = {
    "pending": ("pending", "unfulfilled", "open"),
    "on-hold": ("pending", "on_hold", "open"),
    "processing": ("paid", "unfulfilled", "open"),
    "completed": ("paid", "fulfilled", "completed"),
    "cancelled": ("voided", "unfulfilled", "cancelled"),
    "refunded": ("refunded", "unfulfilled", "completed"),
    "failed": ("failed", "unfulfilled", "open"),
    "checkout-draft": ("pending", "unfulfilled", "draft"),
    "trash": ("unknown", "unknown", "deleted"),
}


@pytest.mark.parametrize("status", sorted(EXPECTED))
async def test_every_woo_status(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce, status: str
) -> None:
    oid = woocommerce.seeded["by_status"][status]
    order = await adapter.order_by_number(str(oid))
    assert order is not None
    assert (order.financial_status, order.fulfillment_status, order.state) == EXPECTED[status]
    assert order.platform_status == status


async def test_cancelled_with_refund_is_refunded(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.add_order(
        woo_order(950, status="cancelled", refunds=[{"id": 1, "reason": "", "total": "-59.90"}])
    )
    order = await adapter.order_by_number("950")
    assert order is not None and order.financial_status == "refunded"


async def test_full_order(adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce) -> None:
    order = await adapter.order_by_number("#1042")
    assert order is not None
    assert (order.remote_id, order.name, order.number) == ("733", "#1042", 1042)
    assert order.currency == "EUR"
    assert (order.total, order.shipping, order.tax, order.subtotal) == (5990, 495, 956, 5495)
    # refunds: negative strings → positive minor units; partially refunded
    assert order.refunded == 1000
    assert [(r.remote_id, r.amount, r.currency, r.reason) for r in order.refunds] == [
        ("740", 1000, "EUR", "Scratched tote")
    ]
    assert order.financial_status == "partially_refunded"
    # tracking from meta: known provider URL, epoch seconds
    [shipment] = order.shipments
    assert shipment.remote_id == "a1b2c3d4e5f6"
    assert shipment.carrier == "DHL"
    assert shipment.tracking_number == "JD014600003828395123"
    assert shipment.tracking_url and "JD014600003828395123" in shipment.tracking_url
    assert shipment.status == "label_created"
    assert shipment.shipped_at == datetime.fromtimestamp(1763596800, UTC)
    assert order.fulfillment_status == "partially_fulfilled"
    # customer, lines, address, urls
    assert order.customer_remote_id == "12"
    assert (order.email, order.customer_name) == ("mia.weber@example.de", "Mia Weber")
    [shirt, tote] = order.lines
    assert (shirt.sku, shirt.title, shirt.quantity, shirt.unit_price, shirt.total) == (
        "SHIRT-LIN-M",
        "Linen shirt - M",
        2,
        2000,
        4000,
    )
    assert shirt.variant == "Size: M" and shirt.product_id == "501"
    assert (tote.unit_price, tote.total) == (1495, 1495)
    assert order.shipping_address.splitlines() == [
        "Mia Weber",
        "Hauptstraße 5",
        "10115 Berlin",
        "DE",
    ]
    assert order.admin_url == f"{woocommerce.url}/wp-admin/post.php?post=733&action=edit"
    assert order.extra["number"] == "1042"


async def test_custom_tracking_link_and_provider(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    woocommerce.add_order(
        woo_order(
            960,
            status="completed",
            tracking=[
                {
                    "tracking_provider": "",
                    "custom_tracking_provider": "Kurier Nord",
                    "custom_tracking_link": "https://kurier.example/t/XY1",
                    "tracking_number": "XY1",
                    "date_shipped": "1763600000",
                }
            ],
        )
    )
    order = await adapter.order_by_number("960")
    assert order is not None
    [shipment] = order.shipments
    assert (shipment.carrier, shipment.tracking_url, shipment.remote_id) == (
        "Kurier Nord",
        "https://kurier.example/t/XY1",
        "960:0",
    )


async def test_guest_order(adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce) -> None:
    order = await adapter.order_by_number(str(woocommerce.seeded["guest"]))
    assert order is not None
    assert order.customer_remote_id is None
    assert order.email == "mia.weber@example.de"
    assert order.customer_name == "Mia Weber"


async def test_pending_order_keeps_payment_url(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    order = await adapter.order_by_number(str(woocommerce.seeded["by_status"]["pending"]))
    assert order is not None
    assert order.extra["payment_url"].startswith("https://shop.example/checkout/order-pay/")


async def test_kwd_and_jpy_amounts(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    kwd = await adapter.order_by_number("901")
    jpy = await adapter.order_by_number("902")
    assert kwd is not None and jpy is not None
    assert (kwd.currency, kwd.total, kwd.lines[0].unit_price) == ("KWD", 12345, 12345)
    assert (jpy.currency, jpy.total, jpy.tax, jpy.lines[0].unit_price) == ("JPY", 4500, 409, 1500)


# -- lookups -----------------------------------------------------------------------------------


async def test_order_by_number_prefers_number_over_id(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    # id 1042 exists too, with its own number: the customer's "1042" is order 733
    woocommerce.add_order(woo_order(1042, number="1351"))
    order = await adapter.order_by_number("1042")
    assert order is not None and order.remote_id == "733"
    # an id without a number match still resolves (admins type ids)
    by_id = await adapter.order_by_number("734")
    assert by_id is not None and by_id.remote_id == "734"
    assert await adapter.order_by_number("999999") is None
    assert await adapter.order_by_number("  ") is None


async def test_orders_by_email_drops_near_miss(
    adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce
) -> None:
    orders = await adapter.orders_by_email("Mia.Weber@example.de")
    assert {o.remote_id for o in orders} == {"733", "734"}  # guest included
    searched = woocommerce.api_requests("/orders")[-1]
    assert searched.query["search"] == ["mia.weber@example.de"]
    # the fake's search did return the near miss: the adapter dropped it
    assert str(woocommerce.seeded["near_miss"]) not in {o.remote_id for o in orders}
    assert await adapter.orders_by_email("nobody@example.de") == []


async def test_customer_by_email(adapter: WooCommerceAdapter, woocommerce: FakeWooCommerce) -> None:
    hit = await adapter.customer_by_email("MIA.WEBER@example.de")
    assert hit is not None
    assert (hit.remote_id, hit.email, hit.first_name, hit.last_name) == (
        "12",
        "mia.weber@example.de",
        "Mia",
        "Weber",
    )
    assert hit.orders_count is None and hit.updated_at.tzinfo is not None
    assert (await adapter.customer_by_email("staff@example.de")) is not None  # role=all
    assert await adapter.customer_by_email("guest-only@example.de") is None
    query = woocommerce.api_requests("/customers")[0].query
    assert query["role"] == ["all"]
