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

from textual.app import App

from agentconsole.services.outbox import OutboxService
from agentconsole.tui.loop_thread import LoopThread
from agentconsole.untrusted import one_line

GROUP = "outbox"
"""Worker group of the sender (tests leave it out when waiting for workers)."""
RESTART_SECONDS = 5.0


class BackgroundOutbox(LoopThread):
    """Start once; ``wake()`` after queueing a reply, ``stop()`` on quit (both thread-safe)."""

    def __init__(self, outbox: OutboxService) -> None:
        super().__init__()
        self._outbox = outbox
        self.problem = ""
        """Why the sender is not running (one line), or "" while it is."""

    def start(self, app: App[object]) -> None:
        app.run_worker(self._run, thread=True, group=GROUP, exit_on_error=False)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        stop, wake = self._begin()
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            # Running for a while without failing clears the last problem.
            healthy = loop.call_later(RESTART_SECONDS, self._clear_problem)
            try:
                await self._outbox.run_forever(stop, wake)
            except Exception as exc:  # noqa: BLE001 — kept for the agent, then started again
                self.problem = one_line(f"{type(exc).__name__}: {exc}")[:200]
            finally:
                healthy.cancel()
            if not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), RESTART_SECONDS)

    def _clear_problem(self) -> None:
        self.problem = ""
