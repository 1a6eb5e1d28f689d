"""Killing the sending process at any moment loses and doubles nothing.

A real ``agentconsole outbox --send`` process is killed (SIGKILL) before connecting, after
MAIL FROM, after the message was handed over (DATA), before and after the Sent APPEND, and at
random moments; a fresh process then carries on. Every reply reaches the SMTP server exactly
once and is filed in Sent exactly once. The one case no client can settle alone — killed
after DATA, before the server's 250 — is left to the agent ("may have been sent"), who checks
and marks it sent: it is never resent automatically.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentconsole.services.context import Services
from tests.mail.outbox_helpers import (
    customer_conversation,
    open_services,
    queue_reply,
    sent_folder,
    shop_account,
    shop_settings,
)
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser
from tests.servers.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]


class Shop:
    """A store with queued replies, and a way to run the sender as its own process."""

    def __init__(self, tmp_path: Path, services: Services, smtp: SmtpServer, password: str):
        self.services = services
        self.smtp = smtp
        self.home = tmp_path / "home"
        account = services.settings.accounts[0]
        self.config = tmp_path / "config.toml"
        self.config.write_text(
            '[outgoing]\ntransport = "smtp"\nundo_seconds = 0\n\n'
            f'[[accounts]]\nname = "shop"\nemail = "{account.email}"\n'
            f'username = "{account.username}"\nimap_host = "127.0.0.1"\n'
            f'imap_port = {account.imap_port}\nimap_tls = "none"\n'
            f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp.port}\nsmtp_tls = "starttls"\n'
            f'tls_ca_file = "{smtp.cert_path}"\npassword_env = "TEST_IMAP_PASSWORD"\n'
        )
        self.env = {
            **os.environ,
            "AGENTCONSOLE_CONFIG": str(self.config),
            "TEST_IMAP_PASSWORD": password,
            "PYTHONPATH": str(ROOT),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, failpoint: str | None = None) -> subprocess.Popen[bytes]:
        env = dict(self.env)
        if failpoint:
            env["AGENTCONSOLE_FAILPOINT"] = failpoint
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agentconsole", "--home", str(self.home), "outbox", "--send"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return self.proc

    def run(self, failpoint: str | None = None) -> int:
        proc = self.start(failpoint)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, -signal.SIGKILL), err.decode()
        return proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)

    def states(self) -> list[str]:
        with self.services.store.read() as db:
            return db.scalars("SELECT state || '/' || filing FROM outbox ORDER BY id")

    def settle_doubts(self) -> None:
        """What the agent does with a reply in doubt: look, then mark it sent or send it."""
        delivered = {m.data for m in self.smtp.received}
        for entry in self.services.outbox.entries(states=("unknown",)):
            with self.services.store.read() as db:
                raw = bytes(db.scalar("SELECT raw FROM outbox WHERE id = :i", {"i": entry.id}))
            if raw in delivered:
                self.services.outbox.mark_sent(self.services.agent, entry.id)
            else:
                self.services.outbox.resend(self.services.agent, entry.id)


@pytest.fixture
def shop(
    dovecot: Dovecot,
    imap_user: ImapUser,
    smtp_factory: Callable[..., SmtpServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Shop]:
    smtp = smtp_factory(starttls=True, auth={imap_user.name: imap_user.password})
    settings = shop_settings(tmp_path / "home", shop_account(dovecot, imap_user, smtp, monkeypatch))
    services = open_services(settings)
    shop = Shop(tmp_path, services, smtp, imap_user.password)
    try:
        yield shop
    finally:
        shop.kill()
        services.close()


def _exactly_once(shop: Shop, dovecot: Dovecot, user: ImapUser, replies: int) -> None:
    received = [m.data for m in shop.smtp.received]
    assert len(received) == replies and len(set(received)) == replies
    filed = sent_folder(dovecot, user)
    assert sorted(filed) == sorted(received)
    assert shop.states() == ["sent/done"] * replies


@pytest.mark.parametrize(
    "failpoint", ["outbox.claimed", "outbox.accepted", "outbox.before_append", "outbox.filed"]
)
def test_killed_at_a_step_then_restarted(
    shop: Shop, dovecot: Dovecot, imap_user: ImapUser, failpoint: str
) -> None:
    conv = customer_conversation(shop.services, dovecot, imap_user)
    queue_reply(shop.services, conv)
    assert shop.run(failpoint) == -signal.SIGKILL
    assert shop.run() == 0
    shop.settle_doubts()  # "accepted": the 250 came but was not recorded — in doubt
    assert shop.run() == 0
    _exactly_once(shop, dovecot, imap_user, 1)


@pytest.mark.parametrize("stage", ["mail", "data"])
def test_killed_by_the_server_mid_transaction(
    shop: Shop, dovecot: Dovecot, imap_user: ImapUser, stage: str
) -> None:
    conv = customer_conversation(shop.services, dovecot, imap_user)
    queue_reply(shop.services, conv)
    shop.smtp.on(stage, shop.kill)  # after MAIL FROM / after the message was handed over
    shop.run()
    shop.smtp.clear_faults()
    assert shop.run() == 0
    if stage == "data":
        assert shop.states() == ["unknown/todo"]  # never resent by itself
        assert len(shop.smtp.received) == 1
        shop.settle_doubts()
        assert shop.run() == 0
    _exactly_once(shop, dovecot, imap_user, 1)


def test_random_kills_lose_and_double_nothing(
    shop: Shop, dovecot: Dovecot, imap_user: ImapUser
) -> None:
    conv = customer_conversation(shop.services, dovecot, imap_user)
    replies = 12
    for i in range(replies):
        queue_reply(shop.services, conv, f"reply number {i}")
    rng = random.Random(4)  # noqa: S311 - test randomness
    for _ in range(8):
        proc = shop.start()
        time.sleep(rng.uniform(0.2, 1.2))
        shop.kill()
        proc.wait(10)
        shop.settle_doubts()
    for _ in range(3):
        assert shop.run() == 0
        shop.settle_doubts()
    _exactly_once(shop, dovecot, imap_user, replies)
