"""The sender thread inside the console: stops on request (even before it got going), and a
sender that keeps failing is started again with its error kept for the status bar."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from agentconsole.services.context import Services
from agentconsole.tui import background_outbox
from agentconsole.tui.app import AgentConsoleApp
from agentconsole.tui.background_outbox import BackgroundOutbox
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.main import MainScreen
from tests.tui.pilot import settle, wait_for


class FailingSender:
    def __init__(self) -> None:
        self.calls = 0

    async def run_forever(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        self.calls += 1
        raise RuntimeError("smtp_host is not set for account shop\nsecond line")


class PoliteSender:
    def __init__(self) -> None:
        self.woken = threading.Event()

    async def run_forever(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        assert wake is not None
        while not stop.is_set():
            if wake.is_set():
                self.woken.set()
                wake.clear()
            await asyncio.sleep(0.01)


def until(check, seconds: float = 5) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_failing_sender_is_restarted_and_its_error_kept(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(background_outbox, "RESTART_SECONDS", 0.05)
    sender = FailingSender()
    runner = BackgroundOutbox(sender)  # type: ignore[arg-type]
    thread = threading.Thread(target=runner._run)
    thread.start()
    until(lambda: sender.calls >= 3)
    assert runner.problem == "RuntimeError: smtp_host is not set for account shop second line"
    runner.stop()
    thread.join(5)
    assert not thread.is_alive()


def test_wake_reaches_the_sender_and_stop_ends_it() -> None:
    sender = PoliteSender()
    runner = BackgroundOutbox(sender)  # type: ignore[arg-type]
    thread = threading.Thread(target=runner._run)
    thread.start()
    until(lambda: runner._wake is not None)
    runner.wake()
    assert sender.woken.wait(5)
    runner.stop()
    thread.join(5)
    assert not thread.is_alive() and runner.problem == ""


def test_stop_before_the_thread_started_is_not_lost() -> None:
    sender = FailingSender()
    runner = BackgroundOutbox(sender)  # type: ignore[arg-type]
    runner.stop()
    runner._run()  # returns at once
    assert sender.calls == 0


async def test_status_bar_says_when_waiting_replies_have_no_sender(
    app: AgentConsoleApp, services: Services, home: Path
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("enter", "r")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
        await pilot.press(*"Hello", "f2")
        await wait_for(pilot, lambda: app.screen is screen and services.outbox.entries())
        await settle(pilot)
        screen.sender.problem = "ConnectionRefusedError: [Errno 111] refused"
        screen._tick()
        await pilot.pause()
        shown = str(screen.status.render())
        assert "outbox 1 waiting · ⚠ sender stopped: ConnectionRefusedError: [Errno 111]" in shown
