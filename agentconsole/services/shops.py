"""The shops' side of syncing, for both front ends: passes over every configured store, a
polling loop for ``agentconsole sync`` and the console, and fetching one order on demand."""

from __future__ import annotations

import asyncio
import contextlib

from agentconsole.clock import Clock
from agentconsole.commerce.sync import StoreReport, StoreSync
from agentconsole.config import Settings
from agentconsole.store.db import Store

POLL_S = 180.0
"""Stores are polled every three minutes (their rate limits make faster polling costly)."""


class ShopSyncService:
    def __init__(self, store: Store, settings: Settings, clock: Clock) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock

    @property
    def configured(self) -> bool:
        return bool(self._settings.stores)

    def _syncs(self) -> list[StoreSync]:
        return [StoreSync(self._store, c, clock=self._clock) for c in self._settings.stores]

    async def run_once(self) -> list[StoreReport]:
        """One incremental pass over every store, side by side."""
        return list(await asyncio.gather(*(s.run_once() for s in self._syncs())))

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Poll every store until ``stop``; failures are recorded on the store row."""
        while not stop.is_set():
            await self.run_once()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(POLL_S):
                    await stop.wait()

    def quoted_orders(self, conversation_id: int) -> list[str]:
        """Order numbers the conversation's messages quote (each store's pattern) that are not
        in the store yet, first quoted first."""
        import re

        with self._store.read() as db:
            texts = db.scalars(
                "SELECT subject || ' ' || substr(body_text, 1, 20000) FROM message "
                "WHERE conversation_id = :c ORDER BY sent_at",
                {"c": conversation_id},
            )
            found: list[str] = []
            for config in self._settings.stores:
                pattern = re.compile(config.order_pattern)
                for text in texts:
                    for match in pattern.finditer(text):
                        number = match.group(1)
                        if number in found or db.first(
                            'SELECT 1 FROM "order" WHERE name IN (:h, :n) OR number = :i',
                            {"h": f"#{number}", "n": number, "i": int(number)}
                            if number.isdigit()
                            else {"h": f"#{number}", "n": number, "i": -1},
                        ):
                            continue
                        found.append(number)
        return found

    async def fetch_quoted(self, conversation_id: int) -> list[int]:
        """Fetch and cache the orders a conversation quotes; the ids found."""
        ids = []
        for number in self.quoted_orders(conversation_id)[:5]:
            found = await self.fetch_order(number)
            if found is not None:
                ids.append(found)
        return ids

    async def fetch_order(self, number: str) -> int | None:
        """Ask each store for the order a customer quoted; the cached order's id or None."""
        from agentconsole.commerce.base import StoreError

        for sync in self._syncs():
            try:
                found = await sync.fetch_order(number)
            except StoreError:
                continue
            if found is not None:
                return found
        return None
