"""An asyncio loop of its own in a worker thread, woken and stopped from the UI thread.

The console's background mail sync and outbox sender both run this way: their network waits
never touch the UI's event loop, and quitting stops them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class LoopThread:
    """``wake()`` and ``stop()`` are thread-safe, and a ``stop()`` that comes before the thread
    has started is not lost."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False

    def _begin(self) -> tuple[asyncio.Event, asyncio.Event]:
        """Call first thing inside the thread's loop: the (stop, wake) events."""
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._wake = asyncio.Event()
            if self._stopping:
                self._stop.set()
            return self._stop, self._wake

    def _signal(self, event: asyncio.Event | None) -> None:
        if self._loop is not None and event is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just finished
                self._loop.call_soon_threadsafe(event.set)

    def wake(self) -> None:
        self._signal(self._wake)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._signal(self._stop)
