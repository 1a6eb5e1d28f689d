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
