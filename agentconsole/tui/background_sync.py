"""The mail sync running inside the console, in a thread with its own event loop.

Why a thread: parsing a large initial sync is CPU work; on the UI's event loop it would make
j/k stutter. The engine writes into the store, and the console sees its work the way it sees
any other process's: through the store's change counter (status bar included).
"""

from __future__ import annotations

import asyncio

from textual.app import App

from agentconsole.services.mail_sync import MailSyncService
from agentconsole.tui.loop_thread import LoopThread


class BackgroundSync(LoopThread):
    """Start once; ``stop()`` ends IDLE at once so quitting never waits on the network;
    ``wake()`` syncs now (after the agent changed something the server should know)."""

    def __init__(self, mail: MailSyncService) -> None:
        super().__init__()
        self._mail = mail

    def start(self, app: App[object]) -> None:
        if self._mail.configured:
            app.run_worker(self._run, thread=True, group="mail-sync", exit_on_error=False)

    def _run(self) -> None:
        async def main() -> None:
            stop, wake = self._begin()
            await self._mail.run_forever(stop, wake)

        asyncio.run(main())
