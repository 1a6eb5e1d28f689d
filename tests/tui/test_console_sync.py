"""The console with a real mail account: the background sync fills the inbox, mail delivered
while it runs shows up, the status bar tells the account's state, opening marks it read."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agentconsole.clock import SystemClock
from agentconsole.config import AccountConfig, AgentSection, Settings, StoreSection
from agentconsole.mail import sync as sync_module
from agentconsole.services.context import Services
from agentconsole.tui.app import make_console
from agentconsole.tui.screens.main import MainScreen
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser
from tests.servers.mailgen import make_message
from tests.tui.pilot import settle

SHOP = "support@shop.example"


def mail(i: int, sender: str, subject: str) -> bytes:
    return make_message(
        i,
        sender=sender,
        to=SHOP,
        subject=subject,
        date=datetime.now(UTC) - timedelta(minutes=30 - i),
    )


async def wait_for(pilot, check, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        assert loop.time() < deadline, "the console did not get there in time"
        await pilot.pause(0.05)


async def test_console_syncs_mail_live(
    dovecot: Dovecot, imap_user: ImapUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_user.password)
    # Take the big-sync path (a parsing worker process) even for this small mailbox: under a
    # full-screen app starting that worker once failed and silently stopped the sync.
    monkeypatch.setattr(sync_module, "PARSE_POOL_MIN", 1)
    settings = Settings(
        store=StoreSection(home=tmp_path / "home"),
        agent=AgentSection(name="Mara", handle="mara"),
        accounts=[
            AccountConfig(
                name="shop",
                email=SHOP,
                username=imap_user.name,
                imap_host="127.0.0.1",
                imap_port=dovecot.port,
                imap_tls="none",
                password_env="TEST_IMAP_PASSWORD",
            )
        ],
    )
    dovecot.deliver(imap_user.name, mail(1, "Ana Ruiz <ana@example.com>", "Where is my parcel?"))
    services = Services.open(settings, SystemClock())
    app = make_console(services)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await wait_for(pilot, lambda: screen.inbox.count == 1)
            await settle(pilot)
            assert "shop ✓" in str(screen.status.render())
            assert "Where is my parcel?" in str(screen.inbox.render_line(0))

            # New mail while the console runs: pushed by IDLE, shown without a key press.
            await asyncio.to_thread(
                dovecot.deliver,
                imap_user.name,
                mail(2, "Ben Ode <ben@example.com>", "Invoice for order 1001"),
            )
            await wait_for(pilot, lambda: screen.inbox.count == 2)

            # Opening a conversation marks it read, on the server too.
            await pilot.press("enter")
            await wait_for(
                pilot,
                lambda: any("\\Seen" in f for f in dovecot.fetch_flags(imap_user.name).values()),
            )
            await pilot.press("q")
    finally:
        services.close()
