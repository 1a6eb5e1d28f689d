"""The IMAP sync against a real Dovecot: identity, threading, changes both ways, resets, faults."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from datetime import timedelta
from pathlib import Path

import pytest

from agentconsole.clock import FixedClock
from agentconsole.config import AccountConfig
from agentconsole.mail import sync as sync_module
from agentconsole.mail.sync import AccountSync
from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.store.db import Store
from tests.mail.sync_helpers import (
    NOW,
    SHOP,
    account,
    msg,
    rows,
    run_once,
    settings_for,
)
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser


def test_first_sync_threads_mail_under_customers(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    ann = "Ann Customer <ann@example.com>"
    dovecot.deliver(
        user.name,
        msg(1, sender=ann, subject="Where is my order #1001?", message_id="<q1@example.com>"),
    )
    dovecot.deliver(
        user.name,
        msg(
            2,
            sender="Bob <bob@example.com>",
            subject="Invoice please",
            message_id="<b1@example.com>",
        ),
    )
    # Our answer, filed in Sent; then Ann writes again in the same thread.
    dovecot.deliver(
        user.name,
        msg(
            3,
            sender=f"Shop <{SHOP}>",
            to=ann,
            subject="Re: Where is my order #1001?",
            message_id="<a1@shop.example>",
            in_reply_to="<q1@example.com>",
        ),
        mailbox="Sent",
    )
    dovecot.deliver(
        user.name,
        msg(
            4,
            sender=ann,
            subject="Re: Where is my order #1001?",
            message_id="<q2@example.com>",
            in_reply_to="<a1@shop.example>",
            date=NOW - timedelta(hours=1),
        ),
    )
    report = run_once(settings)
    assert report.error is None, report.error
    assert report.new == 4
    assert {f.name for f in report.folders} == {"INBOX", "Sent"}

    convs = rows(
        settings,
        "SELECT c.id, c.status, c.waiting_since, c.first_response_at, "
        "(SELECT count(*) FROM message m WHERE m.conversation_id = c.id) AS n, "
        "cu.name FROM conversation c JOIN customer cu ON cu.id = c.customer_id "
        "ORDER BY c.id",
    )
    assert [(c.name, c.n) for c in convs] == [("Ann Customer", 3), ("Bob", 1)]
    ann_conv = convs[0]
    assert ann_conv.status == "open"  # Ann wrote after our reply: waiting again
    assert ann_conv.waiting_since.startswith(str((NOW - timedelta(hours=1)).date()))
    assert ann_conv.first_response_at is not None
    directions = rows(
        settings,
        "SELECT direction FROM message WHERE conversation_id = :c ORDER BY sent_at",
        c=ann_conv.id,
    )
    assert [d.direction for d in directions] == ["inbound", "outbound", "inbound"]
    identities = rows(settings, "SELECT value FROM customer_identity ORDER BY value")
    assert [i.value for i in identities] == ["ann@example.com", "bob@example.com"]


def test_resync_without_changes_adds_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    for i in range(5):
        dovecot.deliver(user.name, msg(i))
    assert run_once(settings).new == 5
    again = run_once(settings)
    assert again.new == 0 and again.error is None
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == 5
    assert rows(settings, "SELECT count(*) AS n FROM message_location")[0].n == 5


def test_new_mail_then_customer_reply_reopens(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.deliver(
        user.name, msg(1, sender="Cy <cy@example.com>", message_id="<c1@x>", subject="Broken lamp")
    )
    dovecot.deliver(
        user.name,
        msg(
            2,
            sender=f"Shop <{SHOP}>",
            to="cy@example.com",
            message_id="<r1@shop.example>",
            in_reply_to="<c1@x>",
            subject="Re: Broken lamp",
        ),
        mailbox="Sent",
    )
    run_once(settings)
    assert rows(settings, "SELECT status FROM conversation")[0].status == "pending"
    dovecot.deliver(
        user.name,
        msg(
            3,
            sender="Cy <cy@example.com>",
            message_id="<c2@x>",
            in_reply_to="<r1@shop.example>",
            subject="Re: Broken lamp",
            date=NOW - timedelta(minutes=5),
        ),
    )
    assert run_once(settings).new == 1
    conv = rows(settings, "SELECT status, waiting_since FROM conversation")
    assert len(conv) == 1 and conv[0].status == "open" and conv[0].waiting_since


def test_flags_both_ways(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    for i in range(3):
        dovecot.deliver(user.name, msg(i, message_id=f"<f{i}@x>"))
    run_once(settings)
    dovecot.flags_add(user.name, "INBOX", 1, "\\Seen")
    report = run_once(settings)
    assert sum(f.flags_changed for f in report.folders) == 1
    seen = rows(settings, "SELECT message_id, seen FROM message ORDER BY message_id")
    assert [(r.message_id, r.seen) for r in seen] == [("f0@x", 1), ("f1@x", 0), ("f2@x", 0)]

    # The agent opens the second customer's conversation: \Seen goes to the server.
    store = Store(settings.store_path)
    services = Services(store, settings, FixedClock(NOW))
    conv = rows(settings, "SELECT conversation_id FROM message WHERE message_id = 'f1@x'")[0]
    assert services.inbox.mark_seen(conv.conversation_id) == 1
    store.close()
    run_once(settings)
    assert "\\Seen" in dovecot.fetch_flags(user.name, "INBOX")[2]
    assert rows(settings, "SELECT count(*) AS n FROM pending_op")[0].n == 0


def test_flagged_both_ways(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.deliver(user.name, msg(0, message_id="<g0@x>"))
    dovecot.deliver(user.name, msg(1, message_id="<g1@x>", sender="Bo <bo@example.com>"))
    run_once(settings)
    # Flagged in another mail client: the conversation shows it here.
    dovecot.flags_add(user.name, "INBOX", 1, "\\Flagged")
    run_once(settings)
    store = Store(settings.store_path)
    services = Services(store, settings, FixedClock(NOW))
    first = rows(settings, "SELECT conversation_id FROM message WHERE message_id = 'g0@x'")[0]
    second = rows(settings, "SELECT conversation_id FROM message WHERE message_id = 'g1@x'")[0]
    summary = services.inbox.summary(first.conversation_id)
    assert summary is not None and summary.flagged
    # The agent unflags that one and flags the other: the server follows.
    services.inbox.set_flagged(first.conversation_id, False)
    assert services.inbox.set_flagged(second.conversation_id, True)
    store.close()
    run_once(settings)
    flags = dovecot.fetch_flags(user.name, "INBOX")
    assert "\\Flagged" not in flags[1] and "\\Flagged" in flags[2]
    assert rows(settings, "SELECT count(*) AS n FROM pending_op")[0].n == 0
    assert [r.flagged for r in rows(settings, "SELECT flagged FROM message ORDER BY id")] == [0, 1]


@pytest.mark.parametrize("mode", ["qresync", "condstore", "plain"])
def test_expunged_mail_leaves_the_inbox_but_history_stays(setup, mode: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    _force_mode(monkeypatch, mode)
    dovecot.deliver(
        user.name,
        msg(1, sender="Di <di@example.com>", message_id="<d1@x>", subject="Size question"),
    )
    dovecot.deliver(
        user.name, msg(2, sender="Ed <ed@example.com>", message_id="<e1@x>", subject="Gift wrap")
    )
    run_once(settings)
    dovecot.flags_add(user.name, "INBOX", 2, "\\Flagged")
    dovecot.expunge(user.name, "INBOX", 1)
    report = run_once(settings)
    assert sum(f.removed for f in report.folders) == 1
    assert sum(f.flags_changed for f in report.folders) == 1
    store = Store(settings.store_path)
    services = Services(store, settings, FixedClock(NOW))
    queue = services.inbox.page(InboxView(), 0, 50)
    history = services.inbox.page(InboxView(statuses=()), 0, 50)
    store.close()
    assert [c.customer_name for c in queue] == ["Ed"]
    assert {c.customer_name for c in history} == {"Di", "Ed"}
    kept = rows(settings, "SELECT removed_at FROM message WHERE message_id = 'd1@x'")
    assert kept and kept[0].removed_at is not None


def test_uidvalidity_reset_relinks_without_refetching(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    for i in range(4):
        dovecot.deliver(user.name, msg(i, message_id=f"<u{i}@x>"))
    run_once(settings)
    dovecot.set_uidvalidity(user.name, "INBOX", 777)
    dovecot.deliver(user.name, msg(9, message_id="<u9@x>"))
    fetched_bodies: list[bytes] = []
    real_ingest = sync_module.ingest

    def counting(w, ctx, mailbox_id, uidvalidity, items):  # type: ignore[no-untyped-def]
        items = list(items)
        fetched_bodies.extend(i.raw for i in items)
        return real_ingest(w, ctx, mailbox_id, uidvalidity, items)

    monkeypatch.setattr(sync_module, "ingest", counting)
    report = run_once(settings)
    inbox = next(f for f in report.folders if f.name == "INBOX")
    assert inbox.uidvalidity_reset and inbox.linked == 4 and inbox.new == 1
    assert len(fetched_bodies) == 1  # only the really new message was downloaded
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == 5
    locations = rows(
        settings,
        "SELECT DISTINCT l.uidvalidity FROM message_location l "
        "JOIN mailbox b ON b.id = l.mailbox_id WHERE b.name = 'INBOX'",
    )
    assert [r.uidvalidity for r in locations] == [777]
    assert rows(settings, "SELECT uidvalidity_resets FROM mailbox WHERE name = 'INBOX'")[0][0] == 1


def test_wrong_password_is_one_clear_line_and_no_retry(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "not-the-password")
    report = run_once(settings)
    assert report.state == "auth_failed"
    assert report.error == "authentication failed for account shop"
    state = rows(settings, "SELECT sync_state FROM mail_account")[0]
    assert state.sync_state == "auth_failed"


def test_server_down_is_offline_not_a_crash(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.servers.dovecot import free_port

    monkeypatch.setenv("PW", "x")
    acct = AccountConfig(
        name="shop",
        email=SHOP,
        imap_host="127.0.0.1",
        imap_port=free_port(),
        imap_tls="none",
        password_env="PW",
    )
    report = run_once(settings_for(tmp_path, acct), acct)
    assert report.state == "offline"
    assert "cannot reach 127.0.0.1" in (report.error or "")


def test_tls_verified_with_ca_refused_without(
    dovecot_tls: Dovecot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    user = ImapUser(*dovecot_tls.new_user())
    dovecot_tls.deliver(user.name, msg(1))
    base = {"imap_port": dovecot_tls.tls_port, "imap_tls": "implicit"}
    trusted = account(dovecot_tls, user, monkeypatch, **base, tls_ca_file=dovecot_tls.cert_path)
    assert run_once(settings_for(tmp_path / "a", trusted)).new == 1
    untrusted = account(dovecot_tls, user, monkeypatch, **base)
    report = run_once(settings_for(tmp_path / "b", untrusted))
    assert report.state == "error"
    assert "TLS certificate of 127.0.0.1 not accepted" in (report.error or "")
    unverified = account(dovecot_tls, user, monkeypatch, **base, tls_verify=False)
    assert run_once(settings_for(tmp_path / "c", unverified)).new == 1


def test_interrupted_sync_resumes_without_loss_or_duplicates(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.seed_maildir(user.name, (msg(i) for i in range(60)))
    monkeypatch.setattr(sync_module, "BATCH_MESSAGES", 10)
    calls = {"n": 0}
    real_ingest = sync_module.ingest

    def dying(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process is killed mid-sync
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(sync_module, "ingest", dying)
    with pytest.raises(KeyboardInterrupt):
        run_once(settings)
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == 20
    monkeypatch.setattr(sync_module, "ingest", real_ingest)
    assert run_once(settings).new == 40
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == 60
    assert rows(settings, "SELECT count(DISTINCT uid) AS n FROM message_location")[0].n == 60


def test_connection_cut_mid_fetch_then_recovers(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.seed_maildir(user.name, (msg(i) for i in range(30)))
    monkeypatch.setattr(sync_module, "BATCH_MESSAGES", 10)
    real_ingest = sync_module.ingest
    calls = {"n": 0}

    def cut(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            dovecot.kill_connections(user.name)
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(sync_module, "ingest", cut)
    report = run_once(settings)
    assert report.state == "offline", report
    monkeypatch.setattr(sync_module, "ingest", real_ingest)
    assert run_once(settings).error is None
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == 30


def test_a_connection_lost_before_the_first_fetch_leaves_no_parsing_worker(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.seed_maildir(user.name, (msg(i) for i in range(30)))
    monkeypatch.setattr(sync_module, "PARSE_POOL_MIN", 1)
    real_pool = sync_module._parse_pool

    def pool_then_cut():  # type: ignore[no-untyped-def]
        pool = real_pool()  # started after SELECT, before the sizes are fetched
        dovecot.kill_connections(user.name)
        return pool

    monkeypatch.setattr(sync_module, "_parse_pool", pool_then_cut)
    assert run_once(settings).state == "offline"
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
    monkeypatch.setattr(sync_module, "_parse_pool", real_pool)
    assert run_once(settings).new == 30


def test_live_sync_stores_a_new_message_within_two_seconds(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.deliver(user.name, msg(1))
    store = Store(settings.store_path)
    services = Services(store, settings, FixedClock(NOW))

    async def scenario() -> float:
        stop = asyncio.Event()
        task = asyncio.create_task(services.mail.run_forever(stop))
        try:
            await _until(lambda: _count(store) == 1, 10)
            await asyncio.sleep(0.3)  # in IDLE now
            started = asyncio.get_running_loop().time()
            await asyncio.to_thread(dovecot.deliver, user.name, msg(2))
            await _until(lambda: _count(store) == 2, 5)
            return asyncio.get_running_loop().time() - started
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)

    elapsed = asyncio.run(scenario())
    states = services.mail.states()
    store.close()
    assert elapsed < 2.0
    assert states[0].state == "synced"


def _count(store: Store) -> int:
    with store.read() as db:
        return int(db.scalar("SELECT count(*) FROM message"))


async def _until(check, seconds: float) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


def _force_mode(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """Pretend the server lacks QRESYNC (and CONDSTORE) to exercise the fallback paths."""
    if mode == "qresync":
        return
    real_connect = AccountSync.connect

    async def connect(self):  # type: ignore[no-untyped-def]
        client = await real_connect(self)
        self.qresync = False
        self.condstore = mode == "condstore"
        return client

    monkeypatch.setattr(AccountSync, "connect", connect)


def test_a_configured_folder_missing_on_the_server_is_reported(
    dovecot: Dovecot, imap_user: ImapUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acct = account(dovecot, imap_user, monkeypatch, folders=["INBOX", "Orders"])
    report = run_once(settings_for(tmp_path, acct), acct)
    assert report.error is None
    assert [(f.name, f.missing) for f in report.folders] == [
        ("INBOX", False),
        ("Sent", False),
        ("Orders", True),
    ]


def test_attachments_are_listed_and_saved_under_the_limit(setup) -> None:  # type: ignore[no-untyped-def]
    from email.message import EmailMessage

    dovecot, user, settings = setup
    message = EmailMessage()
    message["From"] = "Fay <fay@example.com>"
    message["To"] = SHOP
    message["Subject"] = "Photos of the damage"
    message["Message-ID"] = "<att1@example.com>"
    message.set_content("See the photos.")
    message.add_attachment(b"\x89PNG small", maintype="image", subtype="png", filename="crack.png")
    message.add_attachment(
        b"x" * (11 * 1024 * 1024),
        maintype="application",
        subtype="octet-stream",
        filename="../../video.bin",
    )
    dovecot.deliver(user.name, message.as_bytes())
    assert run_once(settings).new == 1
    store = Store(settings.store_path)
    services = Services(store, settings, FixedClock(NOW))
    conv = services.inbox.page(InboxView(), 0, 1)[0]
    entry = services.inbox.conversation(conv.id).entries[0]  # type: ignore[union-attr]
    small, big = entry.attachments
    assert (small.filename, small.size) == ("crack.png", 10)
    assert small.path and (settings.home / small.path).read_bytes() == b"\x89PNG small"
    assert big.filename == "video.bin" and big.size == 11 * 1024 * 1024
    assert big.path is None  # over attachments_max_mb: left on the server …
    fetched = asyncio.run(services.mail.attachment_file(big.id))  # … until it is asked for
    assert fetched.read_bytes() == b"x" * (11 * 1024 * 1024)
    assert fetched.is_relative_to(settings.home) and ".." not in fetched.name
    again = services.inbox.conversation(conv.id).entries[0].attachments[1]  # type: ignore[union-attr]
    store.close()
    assert again.path is not None


def test_live_sync_reconnects_after_the_connection_drops(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.deliver(user.name, msg(1))
    store = Store(settings.store_path)
    services = Services(store, settings, FixedClock(NOW))

    async def scenario() -> list[str]:
        stop = asyncio.Event()
        task = asyncio.create_task(services.mail.run_forever(stop))
        seen_states: list[str] = []
        try:
            await _until(lambda: _count(store) == 1, 10)
            await asyncio.sleep(0.3)
            assert await asyncio.to_thread(dovecot.kill_connections, user.name)
            await _until(lambda: services.mail.states()[0].state == "offline", 5)
            seen_states.append("offline")
            await asyncio.to_thread(dovecot.deliver, user.name, msg(2))
            await _until(lambda: _count(store) == 2, 10)  # after the backoff, reconnected
            await _until(lambda: services.mail.states()[0].state == "synced", 5)
            seen_states.append("synced")
            return seen_states
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)

    assert asyncio.run(scenario()) == ["offline", "synced"]
    store.close()


def test_starttls_upgrades_and_is_required(
    dovecot: Dovecot, dovecot_tls: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = ImapUser(*dovecot_tls.new_user())
    dovecot_tls.deliver(user.name, msg(1))
    secured = account(
        dovecot_tls, user, monkeypatch, imap_tls="starttls", tls_ca_file=dovecot_tls.cert_path
    )
    assert run_once(settings_for(tmp_path / "a", secured)).new == 1
    # A server that does not offer STARTTLS: refused, never a silent plaintext login.
    plain_user = ImapUser(*dovecot.new_user())
    stripped = account(dovecot, plain_user, monkeypatch, imap_tls="starttls")
    report = run_once(settings_for(tmp_path / "b", stripped))
    assert report.state == "error"
    assert report.error == "127.0.0.1 does not offer STARTTLS; refusing to log in without TLS"


def test_big_syncs_parse_in_a_worker_process_with_the_same_result(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.seed_maildir(user.name, (msg(i) for i in range(40)))
    monkeypatch.setattr(sync_module, "PARSE_POOL_MIN", 1)
    monkeypatch.setattr(sync_module, "BATCH_MESSAGES", 15)
    parsed_here: list[int] = []
    real_parse = sync_module.ingest.__globals__["parse_message"]

    def counting(raw: bytes):  # type: ignore[no-untyped-def]
        parsed_here.append(1)
        return real_parse(raw)

    monkeypatch.setitem(sync_module.ingest.__globals__, "parse_message", counting)

    def started(pool) -> bool:  # type: ignore[no-untyped-def]
        pool.started.result(timeout=30)  # the first batches don't go to the store thread
        return True

    monkeypatch.setattr(sync_module._ParsePool, "ready", started)
    report = run_once(settings)
    assert report.error is None and report.new == 40
    assert parsed_here == []  # every message came parsed from the worker
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == 40


def test_stopping_the_live_sync_does_not_wait_for_a_big_first_sync(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    dovecot.seed_maildir(user.name, (msg(i) for i in range(400)))
    monkeypatch.setattr(sync_module, "BATCH_MESSAGES", 20)
    store = Store(settings.store_path)
    services = Services(store, settings, FixedClock(NOW))

    async def scenario() -> float:
        stop = asyncio.Event()
        task = asyncio.create_task(services.mail.run_forever(stop))
        await _until(lambda: _count(store) > 0, 10)
        stop.set()
        started = asyncio.get_running_loop().time()
        await asyncio.wait_for(task, 5)
        return asyncio.get_running_loop().time() - started

    took = asyncio.run(scenario())
    stored = _count(store)
    store.close()
    assert took < 1.0
    assert 0 < stored < 400  # stopped part-way; the next run continues from there
    assert run_once(settings).new == 400 - stored


def test_batches_start_small_grow_and_respect_the_byte_limit() -> None:
    uids = list(range(1, 3001))
    sizes = dict.fromkeys(uids, 1000)
    sizes[2000] = sync_module.BATCH_BYTES + 1  # a huge message travels alone
    batches = sync_module._batches(uids, sizes)
    assert [u for b in batches for u in b] == uids  # every UID once, in order
    lengths = [len(b) for b in batches]
    first = sync_module.FIRST_BATCH
    assert lengths[:4] == [first, first * 2, first * 4, sync_module.BATCH_MESSAGES]
    assert max(lengths) == sync_module.BATCH_MESSAGES
    assert [2000] in batches
    assert all(sum(sizes[u] for u in b) <= sync_module.BATCH_BYTES for b in batches if len(b) > 1)
