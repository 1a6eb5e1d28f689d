"""The store sync (Shopify, WooCommerce) running inside the console, in a thread with its own
event loop, when ``[[stores]]`` are configured.

Why a thread: the store APIs are slow and paged; their waits must never touch the UI's event
loop. The sync writes orders and customers into the store, and the console sees them the way
it sees any other write: through the store's change counter.

Why a loop around ``run_forever``: a store that answers badly is recorded on its row by the
service; anything else that stops the loop is kept in ``problem`` and the loop is started again
a little later, so the orders beside the conversations never go stale silently.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual.app import App

from agentconsole.services.shops import ShopSyncService
from agentconsole.tui.loop_thread import LoopThread
from agentconsole.untrusted import one_line

GROUP = "shop-sync"
"""Worker group of the store sync (tests leave it out when waiting for workers)."""
RESTART_SECONDS = 30.0


class BackgroundShops(LoopThread):
    """Start once; ``stop()`` on quit ends the wait between polls at once (thread-safe)."""

    def __init__(self, shops: ShopSyncService) -> None:
        super().__init__()
        self._shops = shops
        self.problem = ""
        """Why the store sync stopped (one line), or "" while it runs."""

    def start(self, app: App[object]) -> None:
        if self._shops.configured:
            app.run_worker(self._run, thread=True, group=GROUP, exit_on_error=False)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        stop, _wake = self._begin()
        while not stop.is_set():
            try:
                await self._shops.run_forever(stop)
            except Exception as exc:  # noqa: BLE001 — kept for the agent, then started again
                self.problem = one_line(f"{type(exc).__name__}: {exc}")[:200]
            else:
                self.problem = ""
            if not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), RESTART_SECONDS)
