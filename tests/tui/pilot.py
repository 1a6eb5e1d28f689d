"""Driving the console in tests: wait for it to settle, never for a fixed time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot

LONG_RUNNING = {"mail-sync", "outbox", "shop-sync"}
"""Worker groups that run until the console quits (the mail and store syncs, the sender)."""


async def settle(pilot: Pilot[None]) -> None:
    """Let messages run, due context loads start and workers finish, and the console catch up
    with what they wrote to the store (what its store watch does within half a second): no
    fixed sleeps, and the same screen every time."""
    for _ in range(200):
        await pilot.pause()
        screen = pilot.app.screen
        busy = [w for w in pilot.app.workers if w.group not in LONG_RUNNING]
        if busy:  # (an empty list would mean "all of them")
            await pilot.app.workers.wait_for_complete(busy)
            continue
        if not getattr(screen, "started", True) or getattr(screen, "context_due", False):
            continue
        services = getattr(screen, "services", None)
        seen = getattr(screen, "_data_version", None)
        if services is not None and seen is not None and services.store.change_counter() != seen:
            screen._poll_store()  # type: ignore[attr-defined]
            continue
        break
    await pilot.pause()


async def wait_for(pilot: Pilot[None], check: Callable[[], object], seconds: float = 10) -> None:
    """Until ``check()`` holds (work in other threads: the sender, a timer), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        assert loop.time() < deadline, "the console did not get there in time"
        await pilot.pause(0.05)
