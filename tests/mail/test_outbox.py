"""The outbox over real servers: aiosmtpd for SMTP, Dovecot for the Sent folder.

Each reply leaves once with the bytes frozen at queue time, is filed in Sent once, and every
SMTP outcome lands in the state the agent sees: sent, retry (4xx, offline), failed (5xx, the
server's words), unknown (cut off after the message was handed over — never resent by itself).
"""

from __future__ import annotations

import asyncio
import email
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentconsole.clock import FixedClock
from agentconsole.services.context import Services
from tests.mail.outbox_helpers import (
    customer_conversation,
    open_services,
    queue_reply,
    sent_folder,
    shop_account,
    shop_settings,
)
from tests.mail.sync_helpers import SHOP
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser
from tests.servers.smtp import SmtpServer


@pytest.fixture
def shop(
    dovecot: Dovecot,
    imap_user: ImapUser,
    smtp_factory: Callable[..., SmtpServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Services, SmtpServer, int]]:
    smtp = smtp_factory(starttls=True, auth={imap_user.name: imap_user.password})
    settings = shop_settings(tmp_path / "home", shop_account(dovecot, imap_user, smtp, monkeypatch))
    services = open_services(settings)
    try:
        yield services, smtp, customer_conversation(services, dovecot, imap_user)
    finally:
        services.close()


def _run(services: Services) -> int:
    return asyncio.run(services.outbox.run_due())


def _advance(services: Services, **delta: float) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.advance(**delta)


def test_reply_is_sent_once_filed_once_and_threaded(
    shop: tuple[Services, SmtpServer, int], dovecot: Dovecot, imap_user: ImapUser
) -> None:
    services, smtp, conv = shop
    outbox_id = queue_reply(services, conv)
    assert _run(services) == 1
    received = smtp.wait_for(1)
    assert len(received) == 1
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "sent" and entry.filing == "done" and entry.attempts == 1
    with services.store.read() as db:
        raw = bytes(db.scalar("SELECT raw FROM outbox WHERE id = :id", {"id": outbox_id}))
    got = received[0]
    assert got.mail_from == SHOP and tuple(got.rcpt_tos) == (entry.to,)
    assert got.data == raw  # the frozen bytes, exactly
    parsed = email.message_from_bytes(raw)
    assert parsed["From"].endswith(f"<{SHOP}>")
    assert parsed["In-Reply-To"] and parsed["In-Reply-To"] in parsed["References"]
    filed = sent_folder(dovecot, imap_user)
    assert filed == [raw]
    assert (
        _run(services) == 0
        and len(smtp.received) == 1
        and len(sent_folder(dovecot, imap_user)) == 1
    )
    # The next sync links the Sent copy to the stored reply and pushes \Answered.
    assert not asyncio.run(services.mail.run_once())[0].error
    with services.store.read() as db:
        copies = db.scalar(
            "SELECT count(*) FROM message WHERE message_id = :m", {"m": entry.message_id}
        )
        located = db.scalar(
            "SELECT count(*) FROM message_location l JOIN message m ON m.id = l.message_id "
            "WHERE m.message_id = :m",
            {"m": entry.message_id},
        )
        status = db.scalar("SELECT status FROM conversation WHERE id = :c", {"c": conv})
    assert copies == 1 and located == 1 and status == "pending"
    assert "\\Answered" in dovecot.fetch_flags(imap_user.name, "INBOX")[1]


def test_temporary_failures_are_retried_with_the_same_message(
    shop: tuple[Services, SmtpServer, int],
) -> None:
    services, smtp, conv = shop
    smtp.fail("rcpt", 451, "4.7.1 greylisted, try again later")
    outbox_id = queue_reply(services, conv)
    assert _run(services) == 0
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "retry" and entry.last_code == 451
    assert "greylisted" in (entry.last_error or "")
    assert (entry.send_after - services.clock.now()).total_seconds() == pytest.approx(30)
    assert _run(services) == 0  # not before its time
    _advance(services, seconds=31)
    assert _run(services) == 1
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "sent" and entry.attempts == 2
    assert len(smtp.received) == 1


def test_421_is_temporary(shop: tuple[Services, SmtpServer, int]) -> None:
    services, smtp, conv = shop
    smtp.fail("mail", 421, "4.3.2 service shutting down")
    outbox_id = queue_reply(services, conv)
    _run(services)
    assert services.outbox.entry(outbox_id).state == "retry"


@pytest.mark.parametrize("code", [550, 554])
def test_permanent_failures_are_shown_with_the_servers_words(
    shop: tuple[Services, SmtpServer, int], code: int
) -> None:
    services, smtp, conv = shop
    smtp.fail("data", code, "5.7.1 message rejected as spam")
    outbox_id = queue_reply(services, conv)
    assert _run(services) == 0
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "failed" and entry.last_code == code
    assert f"{code} 5.7.1 message rejected as spam" in (entry.last_error or "")
    _advance(services, hours=2)
    assert _run(services) == 0  # never retried by itself
    services.outbox.retry(services.agent, outbox_id)  # the agent's decision, same row
    assert _run(services) == 1
    assert services.outbox.entry(outbox_id).state == "sent"
    assert len(smtp.received) == 1


def test_a_partly_refused_reply_is_sent_and_the_refusal_shown(
    shop: tuple[Services, SmtpServer, int],
) -> None:
    import dataclasses

    services, smtp, conv = shop
    smtp.refuse("gone@partner.example", 550, "5.1.1 user unknown")
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    draft = dataclasses.replace(draft, cc="gone@partner.example", body="Hello\n")
    outbox_id = services.outbox.queue(services.agent, draft).outbox_id
    assert _run(services) == 1
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "sent"
    assert entry.refused == ("gone@partner.example: 550 5.1.1 user unknown",)
    assert tuple(smtp.received[0].rcpt_tos) == (entry.to,)


def test_offline_replies_queue_and_leave_when_the_server_is_back(
    shop: tuple[Services, SmtpServer, int],
) -> None:
    services, smtp, conv = shop
    port = smtp.port
    smtp.stop()
    first, second = queue_reply(services, conv, "one"), queue_reply(services, conv, "two")
    assert _run(services) == 0
    for outbox_id in (first, second):
        entry = services.outbox.entry(outbox_id)
        assert entry.state == "retry" and "cannot reach" in (entry.last_error or "")
    assert services.outbox.entry(second).attempts == 0  # the batch waited with the first
    smtp.port = port
    smtp.start()
    account = services.settings.accounts[0].model_copy(update={"smtp_port": smtp.port})
    settings = services.settings.model_copy(update={"accounts": [account]})
    again = Services(services.store, settings, services.clock)
    _advance(services, seconds=31)
    assert asyncio.run(again.outbox.run_due()) == 2
    assert len(smtp.received) == 2


def test_starttls_not_offered_is_refused_and_nothing_sent(
    dovecot: Dovecot,
    imap_user: ImapUser,
    smtp_factory: Callable[..., SmtpServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp = smtp_factory(starttls=True, hide={"STARTTLS"})
    settings = shop_settings(tmp_path / "home", shop_account(dovecot, imap_user, smtp, monkeypatch))
    services = open_services(settings)
    try:
        conv = customer_conversation(services, dovecot, imap_user)
        outbox_id = queue_reply(services, conv)
        assert _run(services) == 0
        entry = services.outbox.entry(outbox_id)
        assert entry.state == "retry"
        assert "does not offer STARTTLS" in (entry.last_error or "")
        assert smtp.received == []
    finally:
        services.close()


def test_cut_off_after_data_is_never_resent_by_itself(
    shop: tuple[Services, SmtpServer, int], dovecot: Dovecot, imap_user: ImapUser
) -> None:
    services, smtp, conv = shop
    smtp.drop_at("data")  # the server keeps the message but the 250 never comes
    outbox_id = queue_reply(services, conv)
    assert _run(services) == 0
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "unknown"
    assert (entry.last_error or "").startswith("not in Sent")  # looked up, not found
    _advance(services, hours=3)
    assert _run(services) == 0
    assert len(smtp.received) == 1  # delivered once, and only once
    services.outbox.mark_sent(services.agent, outbox_id)  # the agent checked
    _run(services)
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "sent" and entry.filing == "done"
    assert len(sent_folder(dovecot, imap_user)) == 1 and len(smtp.received) == 1


def test_a_doubtful_reply_found_in_sent_counts_as_sent(
    shop: tuple[Services, SmtpServer, int], dovecot: Dovecot, imap_user: ImapUser
) -> None:
    services, smtp, conv = shop
    smtp.drop_at("data")
    # A provider that files its own copy (as Gmail does): the copy is in Sent.
    smtp.on("data", lambda: dovecot.deliver(imap_user.name, smtp.received[-1].data, "Sent"))
    outbox_id = queue_reply(services, conv)
    _run(services)
    entry = services.outbox.entry(outbox_id)
    assert entry.state == "sent" and entry.filing == "done"
    assert len(sent_folder(dovecot, imap_user)) == 1


def test_one_connection_carries_many_replies(shop: tuple[Services, SmtpServer, int]) -> None:
    services, smtp, conv = shop
    for i in range(20):
        queue_reply(services, conv, f"reply {i}")
    assert _run(services) == 20
    assert len(smtp.received) == 20 and smtp.connections == 1


def test_two_senders_never_send_the_same_reply(shop: tuple[Services, SmtpServer, int]) -> None:
    import threading

    services, smtp, conv = shop
    for i in range(30):
        queue_reply(services, conv, f"reply {i}")
    others = [Services.open(services.settings, services.clock) for _ in range(2)]
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda s=s: counts.append(asyncio.run(s.outbox.run_due())))
        for s in others
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for s in others:
        s.close()
    assert sum(counts) == 30
    received = [m.data for m in smtp.received]
    assert len(received) == 30 and len(set(received)) == 30
