"""Store-integration benchmark against the fake Shopify; prints JSON.

Targets (issue 5): the initial import of 5,000 orders and 2,000 customers from the unthrottled
fake Shopify at ≥ 1,000 orders/s of our own processing; the customer 360 of a customer with
500 orders computed from the store in ≤ 50 ms.

"Our own processing" is the import's wall time minus the time spent waiting for the fake
server's answers (the fake validates and executes every GraphQL query in Python, in this
process, far slower than Shopify would): mapping the replies to records and writing them into
SQLite. Both figures are printed. "Unthrottled": the fake's bucket is bottomless and it accepts
pages of 50 full orders (a real shop caps one query at 1,000 points; the adapter then asks for
5 at a time — its first import would use bulk operations).

Usage: ``uv run python bench/store.py [--orders 5000 --customers 2000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentconsole.clock import SystemClock  # noqa: E402
from agentconsole.commerce.shopify import ShopifyAdapter  # noqa: E402
from agentconsole.commerce.sync import StoreSync  # noqa: E402
from agentconsole.config import StoreConfig  # noqa: E402
from agentconsole.services.customers import CustomerService  # noqa: E402
from agentconsole.store.db import Store  # noqa: E402
from tests.servers import fake_shopify  # noqa: E402
from tests.servers.fake_shopify import FakeShopify, fulfillment, line  # noqa: E402

TOKEN_ENV = "BENCH_SHOPIFY_TOKEN"


class TimedAdapter(ShopifyAdapter):
    """The real adapter, counting the time spent waiting for the server's answers."""

    waited = 0.0

    async def _query(self, query, variables=None):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return await super()._query(query, variables)
        finally:
            TimedAdapter.waited += time.perf_counter() - started


def seed(shop: FakeShopify, orders: int, customers: int) -> dict:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    people = [
        shop.add_customer(
            f"c{i}@example.com",
            f"First{i}",
            f"Last{i}",
            amount_spent="100.00",
            number_of_orders=3,
            updated_at=start + timedelta(minutes=i),
        )
        for i in range(customers)
    ]
    for i in range(orders):
        person = people[i % customers]
        shop.add_order(
            f"#{10000 + i}",
            customer=person,
            email=f"c{i % customers}@example.com",
            lines=[
                line("Sencha Kagoshima", "14.90", 2, sku="TEA-SEN", product_type="Green tea"),
                line("Kyusu teapot", "49.00", 1, sku="POT-KYU", product_type="Teaware"),
            ],
            fulfillment_status="FULFILLED",
            fulfillments=[fulfillment("DELIVERED")],
            updated_at=start + timedelta(seconds=30 * i),
        )
    return people[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=2000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="acstore"))
    result: dict[str, object] = {
        "benchmark": "store",
        "orders": args.orders,
        "customers": args.customers,
    }
    fake_shopify.MAX_QUERY_COST = 10**9  # unthrottled: any page size
    try:
        with FakeShopify(maximum_available=10**12, restore_rate=10**12) as shop:
            seed(shop, args.orders, args.customers)
            os.environ[TOKEN_ENV] = shop.token
            config = StoreConfig(
                name="bench", platform="shopify", url=shop.url, password_env=TOKEN_ENV
            )
            store = Store(work / "store.db")
            try:

                def adapter(cfg: StoreConfig) -> ShopifyAdapter:
                    made = TimedAdapter(cfg)
                    made.order_page_size = 50
                    made.page_size = 250
                    return made

                sync = StoreSync(store, config, adapter=adapter)
                started = time.perf_counter()
                report = asyncio.run(sync.run_once())
                wall = time.perf_counter() - started
                if report.error:
                    sys.exit(report.error)
                own = wall - TimedAdapter.waited
                result.update(
                    imported_orders=report.orders,
                    imported_customers=report.customers,
                    import_wall_s=round(wall, 2),
                    waiting_for_fake_server_s=round(TimedAdapter.waited, 2),
                    own_processing_s=round(own, 2),
                    orders_per_s_own_processing=round(report.orders / own, 1),
                )
                result.update(measure_360(store))
            finally:
                store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["targets"] = {"orders_per_s_own_processing": 1000, "customer_360_500_orders_ms": 50}
    print(json.dumps(result, indent=2))


def measure_360(store: Store) -> dict[str, object]:
    """A customer with 500 orders (re-pointing 500 imported orders at one customer)."""
    with store.write() as w:
        customer = w.scalar("SELECT id FROM customer ORDER BY id LIMIT 1")
        w.execute(
            'UPDATE "order" SET customer_id = :c WHERE id IN '
            '(SELECT id FROM "order" ORDER BY id LIMIT 500)',
            {"c": customer},
        )
        count = w.scalar('SELECT count(*) FROM "order" WHERE customer_id = :c', {"c": customer})
    service = CustomerService(store, SystemClock(), "Europe/Berlin")
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        profile = service.profile(int(customer))
        timings.append((time.perf_counter() - started) * 1000)
    assert profile is not None
    return {
        "customer_360_orders": count,
        "customer_360_500_orders_ms": round(statistics.median(timings), 1),
        "customer_360_max_ms": round(max(timings), 1),
    }


if __name__ == "__main__":
    main()
