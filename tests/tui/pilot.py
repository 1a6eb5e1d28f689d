"""Driving the console in tests: wait for it to settle, never for a fixed time."""

from __future__ import annotations

from textual.pilot import Pilot


async def settle(pilot: Pilot[None]) -> None:
    """Let messages run, due context loads start and workers finish (no fixed sleeps)."""
    for _ in range(200):
        await pilot.pause()
        # The background mail sync runs until the console quits: never wait on it.
        busy = [w for w in pilot.app.workers if w.group != "mail-sync"]
        if busy:  # (an empty list would mean "all of them")
            await pilot.app.workers.wait_for_complete(busy)
        if not getattr(pilot.app.screen, "context_due", False):
            break
    await pilot.pause()
