"""The mail sync running inside the console, in a thread with its own event loop.

Why a thread: parsing a large initial sync is CPU work; on the UI's event loop it would make
j/k stutter. The engine writes into the store, and the console sees its work the way it sees
any other process's: through the store's change counter (status bar included).
"""

from __future__ import annotations

import asyncio
import contextlib

from textual.app import App

from agentconsole.services.mail_sync import MailSyncService


class BackgroundSync:
    """Start once; ``stop()`` ends IDLE at once so quitting never waits on the network."""

    def __init__(self, mail: MailSyncService) -> None:
        self._mail = mail
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None

    def start(self, app: App[object]) -> None:
        if self._mail.configured:
            app.run_worker(self._run, thread=True, group="mail-sync", exit_on_error=False)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._wake = asyncio.Event()
            await self._mail.run_forever(self._stop, self._wake)

        asyncio.run(main())

    def _signal(self, event: asyncio.Event | None) -> None:
        if self._loop is not None and event is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just finished
                self._loop.call_soon_threadsafe(event.set)

    def wake(self) -> None:
        """Sync now (after the agent changed something the server should know)."""
        self._signal(self._wake)

    def stop(self) -> None:
        self._signal(self._stop)
