"""The outbox sender running inside the console, in a thread with its own event loop.

Why always: a reply queued in the console must leave without another process running, in the
demo (maildir transport) as with SMTP. The sender writes what happened into the store, and the
console sees it the way it sees any other write: through the store's change counter.

Why a loop around ``run_forever``: if the sender stops on an error, queued replies would sit
there silently; instead the error is kept in ``problem`` (the status bar shows it while replies
wait) and the sender is started again a few seconds later.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

from textual.app import App

from agentconsole.services.outbox import OutboxService
from agentconsole.untrusted import one_line

GROUP = "outbox"
"""Worker group of the sender (tests leave it out when waiting for workers)."""
RESTART_SECONDS = 5.0


class BackgroundOutbox:
    """Start once; ``wake()`` after queueing a reply, ``stop()`` on quit (both thread-safe)."""

    def __init__(self, outbox: OutboxService) -> None:
        self._outbox = outbox
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False
        self.problem = ""
        """Why the sender is not running (one line), or "" while it is."""

    def start(self, app: App[object]) -> None:
        app.run_worker(self._run, thread=True, group=GROUP, exit_on_error=False)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._wake = asyncio.Event()
            if self._stopping:  # stop() came before this thread got going
                self._stop.set()
        stop = self._stop
        loop = self._loop
        while not stop.is_set():
            # Running for a while without failing clears the last problem.
            healthy = loop.call_later(RESTART_SECONDS, self._clear_problem)
            try:
                await self._outbox.run_forever(stop, self._wake)
            except Exception as exc:  # noqa: BLE001 — kept for the agent, then started again
                self.problem = one_line(f"{type(exc).__name__}: {exc}")[:200]
            finally:
                healthy.cancel()
            if not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), RESTART_SECONDS)

    def _clear_problem(self) -> None:
        self.problem = ""

    def _signal(self, event: asyncio.Event | None) -> None:
        if self._loop is not None and event is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just finished
                self._loop.call_soon_threadsafe(event.set)

    def wake(self) -> None:
        """Look at the queue now (a reply was queued, retried or sent again)."""
        self._signal(self._wake)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._signal(self._stop)
