"""Helpers for the outbox tests: a shop account on Dovecot (IMAP, Sent) and aiosmtpd (SMTP)."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest

from agentconsole.clock import FixedClock
from agentconsole.config import AccountConfig, OutgoingSection, Settings, StoreSection
from agentconsole.services.context import Services
from tests.mail.sync_helpers import NOW, SHOP, msg
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser
from tests.servers.smtp import SmtpServer


def shop_account(
    dovecot: Dovecot, user: ImapUser, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> AccountConfig:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", user.password)
    return AccountConfig(
        name="shop",
        email=SHOP,
        username=user.name,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_tls="none",
        password_env="TEST_IMAP_PASSWORD",
        **smtp.config_fields(),  # type: ignore[arg-type]
    )


def shop_settings(home: Path, account: AccountConfig) -> Settings:
    return Settings(
        store=StoreSection(home=home),
        accounts=[account],
        outgoing=OutgoingSection(transport="smtp", undo_seconds=0),
    )


def customer_conversation(services: Services, dovecot: Dovecot, user: ImapUser) -> int:
    """A customer's mail delivered to INBOX and synced; the conversation's id."""
    dovecot.deliver(user.name, msg(1, subject="Where is my tea?"))
    outcomes = asyncio.run(services.mail.run_once())
    assert not outcomes[0].error, outcomes[0].error
    with services.store.read() as db:
        return int(db.scalar("SELECT id FROM conversation ORDER BY id DESC LIMIT 1"))


def queue_reply(services: Services, conversation_id: int, text: str = "It ships today.") -> int:
    draft = services.drafts.start(services.agent, "reply", conversation_id=conversation_id)
    draft = dataclasses.replace(draft, body=f"{text}\n{draft.body}")
    return services.outbox.queue(services.agent, draft).outbox_id


def open_services(settings: Settings) -> Services:
    return Services.open(settings, FixedClock(NOW))


def sent_folder(dovecot: Dovecot, user: ImapUser) -> list[bytes]:
    """The raw messages in the user's Sent folder."""
    import imaplib

    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    try:
        client.login(user.name, user.password)
        client.select("Sent")
        _, data = client.uid("SEARCH", "ALL")
        uids = data[0].split()
        out = []
        for uid in uids:
            _, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            out.append(fetched[0][1])  # type: ignore[index]
        return out
    finally:
        client.logout()
