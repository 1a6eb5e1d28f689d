"""Keeping a shop's customers and orders in the store: incremental passes and on-demand fetches.

Each resource (customers, orders) has a cursor: the newest ``updated_at`` of its last complete
pass. The next pass asks for everything updated since a few minutes before it (stores write
``updated_at`` with second precision and replicas lag), so nothing slips between passes;
records seen twice are upserted once (``store_writer.py``). Records are written in batches, each
its own transaction; the cursor moves only when a pass has completed, so an interrupted pass is
simply repeated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from agentconsole.clock import Clock, SystemClock, utc
from agentconsole.commerce.base import StoreAdapter, StoreError
from agentconsole.commerce.records import RemoteCustomer, RemoteOrder
from agentconsole.commerce.store_writer import upsert_customer, upsert_order
from agentconsole.config import StoreConfig
from agentconsole.store.db import Store
from agentconsole.store.reader import Writer, stored_time

OVERLAP = timedelta(minutes=5)
BATCH = 200

T = TypeVar("T")


def open_adapter(config: StoreConfig) -> StoreAdapter:
    """The adapter for the store's platform."""
    if config.platform == "shopify":
        from agentconsole.commerce.shopify import ShopifyAdapter

        return ShopifyAdapter(config)
    from agentconsole.commerce.woocommerce import WooCommerceAdapter

    return WooCommerceAdapter(config)


@dataclass
class StoreReport:
    store: str
    customers: int = 0
    orders: int = 0
    error: str | None = None
    seconds: float = 0.0


class StoreSync:
    """Syncs one configured store into the store database."""

    def __init__(
        self,
        store: Store,
        config: StoreConfig,
        *,
        adapter: Callable[[StoreConfig], StoreAdapter] = open_adapter,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self._adapter_factory = adapter
        self.clock = clock or SystemClock()
        self.store_id = self._ensure_store()

    def _ensure_store(self) -> int:
        with self.store.write() as w:
            row = w.first("SELECT id FROM shop_store WHERE name = :n", {"n": self.config.name})
            if row is not None:
                w.execute(
                    "UPDATE shop_store SET platform = :p, url = :u, currency = :c WHERE id = :id",
                    {
                        "p": self.config.platform,
                        "u": self.config.url,
                        "c": self.config.currency,
                        "id": row.id,
                    },
                )
                return int(row.id)
            return w.execute(
                "INSERT INTO shop_store (name, platform, url, currency, api_version, admin_url) "
                "VALUES (:n, :p, :u, :c, '', '')",
                {
                    "n": self.config.name,
                    "p": self.config.platform,
                    "u": self.config.url,
                    "c": self.config.currency,
                },
            )

    # -- passes --------------------------------------------------------------------------

    async def run_once(self) -> StoreReport:
        """One incremental pass over customers, then orders."""
        report = StoreReport(self.config.name)
        started = self.clock.now()
        adapter = self._adapter_factory(self.config)
        try:
            info = await adapter.check()
            with self.store.write() as w:
                w.execute(
                    "UPDATE shop_store SET api_version = :v, admin_url = :a, last_error = NULL "
                    "WHERE id = :id",
                    {"v": info.api_version, "a": info.admin_url, "id": self.store_id},
                )
            report.customers = await self._pass(
                "customers", adapter.customers_updated_since, upsert_customer
            )
            report.orders = await self._pass("orders", adapter.orders_updated_since, upsert_order)
            with self.store.write() as w:
                w.execute(
                    "UPDATE shop_store SET synced_at = :t WHERE id = :id",
                    {"t": stored_time(self.clock.now()), "id": self.store_id},
                )
        except StoreError as exc:
            report.error = str(exc)
            with self.store.write() as w:
                w.execute(
                    "UPDATE shop_store SET last_error = :e WHERE id = :id",
                    {"e": str(exc)[:300], "id": self.store_id},
                )
        finally:
            await adapter.close()
        report.seconds = (self.clock.now() - started).total_seconds()
        return report

    async def _pass(
        self,
        resource: str,
        fetch: Callable[[datetime | None], AsyncIterator[T]],
        upsert: Callable[[Writer, int, T, datetime], int],
    ) -> int:
        now = self.clock.now()
        with self.store.write() as w:
            w.execute(
                "INSERT INTO sync_cursor (store_id, resource, last_started_at) "
                "VALUES (:s, :r, :t) ON CONFLICT (store_id, resource) "
                "DO UPDATE SET last_started_at = :t",
                {"s": self.store_id, "r": resource, "t": stored_time(now)},
            )
            mark = w.scalar(
                "SELECT watermark FROM sync_cursor WHERE store_id = :s AND resource = :r",
                {"s": self.store_id, "r": resource},
            )
        since = utc(datetime.fromisoformat(mark)) - OVERLAP if mark else None
        newest: datetime | None = None
        count = 0
        batch: list[T] = []

        def flush() -> None:
            with self.store.write() as w:
                for item in batch:
                    upsert(w, self.store_id, item, now)
            batch.clear()

        try:
            async for item in fetch(since):
                batch.append(item)
                count += 1
                updated = item.updated_at  # type: ignore[attr-defined]
                newest = updated if newest is None or updated > newest else newest
                if len(batch) >= BATCH:
                    flush()
            flush()
        except StoreError as exc:
            with self.store.write() as w:
                w.execute(
                    "UPDATE sync_cursor SET last_error = :e WHERE store_id = :s AND resource = :r",
                    {"e": str(exc)[:300], "s": self.store_id, "r": resource},
                )
            raise
        with self.store.write() as w:
            w.execute(
                "UPDATE sync_cursor SET watermark = coalesce(:m, watermark), "
                "last_success_at = :t, last_error = NULL WHERE store_id = :s AND resource = :r",
                {
                    "m": stored_time(newest),
                    "t": stored_time(self.clock.now()),
                    "s": self.store_id,
                    "r": resource,
                },
            )
        return count

    # -- on demand -----------------------------------------------------------------------

    async def fetch_order(self, number: str) -> int | None:
        """Fetch one order by the number a customer quoted and cache it; its id, or None."""
        adapter = self._adapter_factory(self.config)
        try:
            found = await adapter.order_by_number(number)
        finally:
            await adapter.close()
        if found is None:
            return None
        with self.store.write() as w:
            return upsert_order(w, self.store_id, found, self.clock.now())

    async def fetch_customer(self, email: str) -> int | None:
        """Fetch a customer and their orders (guest orders too) by exact e-mail; our id."""
        adapter = self._adapter_factory(self.config)
        try:
            customer: RemoteCustomer | None = await adapter.customer_by_email(email)
            orders: list[RemoteOrder] = await adapter.orders_by_email(email)
        finally:
            await adapter.close()
        if customer is None and not orders:
            return None
        now = self.clock.now()
        customer_id = None
        with self.store.write() as w:
            if customer is not None:
                customer_id = upsert_customer(w, self.store_id, customer, now)
            for order in orders:
                upsert_order(w, self.store_id, order, now)
            if customer_id is None:
                customer_id = w.scalar(
                    "SELECT customer_id FROM customer_identity WHERE kind = 'email' AND value = :e",
                    {"e": email.strip().lower()},
                )
        return int(customer_id) if customer_id is not None else None
