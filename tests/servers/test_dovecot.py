"""The Dovecot fixture behaves like a real IMAP server, checked with the stdlib client.

Why: sync and benchmark tests build on these server-side moves (deliver, flag, expunge,
UIDVALIDITY change, kicked connections); each must be visible to an ordinary IMAP client.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import os
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest

from tests.servers.dovecot import Dovecot, DovecotError, _check_version, dovecot_available
from tests.servers.fixtures import SKIP_REASON, ImapUser
from tests.servers.mailgen import make_message


@contextmanager
def _session(server: Dovecot, user: ImapUser) -> Iterator[imaplib.IMAP4]:
    """A logged-in imaplib client, logged out (if still connected) afterwards."""
    client = imaplib.IMAP4(server.host, server.port, timeout=10)
    client.login(user.name, user.password)
    try:
        yield client
    finally:
        with suppress(imaplib.IMAP4.abort, OSError):
            client.logout()


def _select(client: imaplib.IMAP4, mailbox: str = "INBOX") -> int:
    """SELECT and return EXISTS."""
    typ, data = client.select(mailbox)
    assert typ == "OK", data
    return int(data[0])


def _uidvalidity(client: imaplib.IMAP4) -> int:
    _, data = client.response("UIDVALIDITY")
    return int(data[0])


def _flags(client: imaplib.IMAP4, uid: int) -> set[str]:
    typ, data = client.uid("FETCH", str(uid), "(FLAGS)")
    assert typ == "OK", data
    match = re.search(rb"FLAGS \(([^)]*)\)", data[0])
    assert match, data
    return set(match.group(1).decode().split())


def test_login_works(dovecot: Dovecot, imap_user: ImapUser) -> None:
    with _session(dovecot, imap_user) as client:
        assert client.state == "AUTH"
        assert _select(client) == 0


def test_wrong_password_fails(dovecot: Dovecot, imap_user: ImapUser) -> None:
    client = imaplib.IMAP4(dovecot.host, dovecot.port, timeout=10)
    try:
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            client.login(imap_user.name, imap_user.password + "x")
    finally:
        client.shutdown()


def test_capabilities_cover_the_sync_paths(dovecot: Dovecot, imap_user: ImapUser) -> None:
    with _session(dovecot, imap_user) as client:
        _, data = client.capability()
        caps = set(data[0].decode().upper().split())
    assert {"QRESYNC", "CONDSTORE", "IDLE", "SPECIAL-USE", "UIDPLUS", "MOVE", "ENABLE"} <= caps


def test_sent_is_listed_and_subscribed_with_special_use(
    dovecot: Dovecot, imap_user: ImapUser
) -> None:
    with _session(dovecot, imap_user) as client:
        _, listed = client.list()
        _, subscribed = client.lsub()
    sent = [line.decode() for line in listed if line.decode().endswith(" Sent")]
    assert len(sent) == 1 and "\\Sent" in sent[0]
    assert any(line.decode().endswith(" Sent") for line in subscribed)


def test_deliver_is_visible(dovecot: Dovecot, imap_user: ImapUser) -> None:
    raw = make_message(1, message_id="<deliver-1@test>")
    uid = dovecot.deliver(imap_user.name, raw)
    assert uid == 1
    with _session(dovecot, imap_user) as client:
        assert _select(client) == 1
        _, data = client.uid("FETCH", str(uid), "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    assert b"<deliver-1@test>" in data[0][1]
    assert dovecot.status(imap_user.name)["messages"] == 1


def test_deliver_to_sent(dovecot: Dovecot, imap_user: ImapUser) -> None:
    dovecot.deliver(imap_user.name, make_message(2), mailbox="Sent")
    with _session(dovecot, imap_user) as client:
        assert _select(client, "Sent") == 1


def test_flags_from_another_client_are_visible(dovecot: Dovecot, imap_user: ImapUser) -> None:
    uid = dovecot.deliver(imap_user.name, make_message(3))
    with _session(dovecot, imap_user) as client:
        _select(client)
        assert "\\Flagged" not in _flags(client, uid)
        dovecot.flags_add(imap_user.name, "INBOX", uid, "\\Flagged \\Seen")
        client.noop()
        assert {"\\Flagged", "\\Seen"} <= _flags(client, uid)
        dovecot.flags_remove(imap_user.name, "INBOX", uid, "\\Seen")
        client.noop()
        assert "\\Seen" not in _flags(client, uid)
    assert dovecot.fetch_flags(imap_user.name) == {uid: {"\\Flagged"}}


def test_expunge(dovecot: Dovecot, imap_user: ImapUser) -> None:
    first = dovecot.deliver(imap_user.name, make_message(4))
    second = dovecot.deliver(imap_user.name, make_message(5))
    before = dovecot.status(imap_user.name)
    dovecot.expunge(imap_user.name, "INBOX", first)
    after = dovecot.status(imap_user.name)
    assert after["messages"] == 1 and after["highestmodseq"] > before["highestmodseq"]
    with _session(dovecot, imap_user) as client:
        assert _select(client) == 1
        _, data = client.uid("SEARCH", "ALL")
    assert data[0].split() == [str(second).encode()]


def test_set_uidvalidity_changes_select(dovecot: Dovecot, imap_user: ImapUser) -> None:
    dovecot.deliver(imap_user.name, make_message(6))
    with _session(dovecot, imap_user) as client:
        _select(client)
        original = _uidvalidity(client)
        client.close()
        dovecot.set_uidvalidity(imap_user.name, "INBOX", original + 12345)
        _select(client)
        assert _uidvalidity(client) == original + 12345
    assert dovecot.status(imap_user.name)["uidvalidity"] == original + 12345


def test_status_fields(dovecot: Dovecot, imap_user: ImapUser) -> None:
    status = dovecot.status(imap_user.name)
    assert set(status) == {"uidvalidity", "uidnext", "highestmodseq", "messages"}
    assert status["uidnext"] == 1 and status["messages"] == 0
    assert dovecot.fetch_flags(imap_user.name) == {}


def test_idle_sees_new_mail(dovecot: Dovecot, imap_user: ImapUser) -> None:
    """doveadm save wakes an IDLE session (imaplib has no idle(): speak it by hand)."""
    with _session(dovecot, imap_user) as client:
        _select(client)
        tag = client._new_tag()  # type: ignore[attr-defined]
        client.send(tag + b" IDLE\r\n")
        assert client.readline().startswith(b"+")
        dovecot.deliver(imap_user.name, make_message(7))
        assert client.readline().strip() == b"* 1 EXISTS"
        client.send(b"DONE\r\n")
        while not (line := client.readline()).startswith(tag):
            pass
        assert b" OK " in line


def test_kill_connections_drops_the_session(dovecot: Dovecot, imap_user: ImapUser) -> None:
    assert dovecot.kill_connections(imap_user.name) is False  # nobody connected yet
    with _session(dovecot, imap_user) as client:
        _select(client)
        assert dovecot.kill_connections(imap_user.name) is True
        with pytest.raises(imaplib.IMAP4.abort):
            client.noop()
            client.noop()  # in case the BYE raced with the first command


def test_seed_maildir_bulk(dovecot: Dovecot, imap_user: ImapUser) -> None:
    count = dovecot.seed_maildir(imap_user.name, (make_message(i) for i in range(2000)))
    assert count == 2000
    with _session(dovecot, imap_user) as client:
        assert _select(client) == 2000
        _, data = client.fetch("1,1000,2000", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    # Dovecot assigns UIDs in file-name order, which is seeding order.
    ids = [part[1] for part in data if isinstance(part, tuple)]
    expected = [b"<msg-0000000.", b"<msg-0000999.", b"<msg-0001999."]
    assert all(want in got for want, got in zip(expected, ids, strict=True)), ids


def test_tls_listener(dovecot_tls: Dovecot) -> None:
    name, password = dovecot_tls.new_user()
    assert dovecot_tls.cert_path is not None and dovecot_tls.tls_port is not None
    context = ssl.create_default_context(cafile=str(dovecot_tls.cert_path))
    client = imaplib.IMAP4_SSL(
        dovecot_tls.host, dovecot_tls.tls_port, ssl_context=context, timeout=10
    )
    client.login(name, password)
    assert _select(client) == 0
    client.logout()
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(
            dovecot_tls.host,
            dovecot_tls.tls_port,
            ssl_context=ssl.create_default_context(),
            timeout=10,
        )


def test_user_names_are_unique_and_validated(dovecot: Dovecot) -> None:
    name, _ = dovecot.new_user()
    with pytest.raises(ValueError):
        dovecot.add_user(name, "again")
    with pytest.raises(ValueError):
        dovecot.add_user("../escape", "pw")
    with pytest.raises(ValueError):
        dovecot.add_user("colon", "a:b")


def test_doveadm_errors_are_clear(dovecot: Dovecot, imap_user: ImapUser) -> None:
    with pytest.raises(DovecotError, match="doveadm .*failed"):
        dovecot.status(imap_user.name, "NoSuchFolder")


@pytest.mark.skipif(not dovecot_available(), reason=SKIP_REASON)
def test_stop_removes_everything() -> None:
    """Own instance: stop must free the PID and the root so the next start cannot collide."""
    server = Dovecot()
    with server:
        pid, root = server.pid, server.root
        assert pid is not None and root.is_dir()
    assert server.pid is None and not root.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_version_guard() -> None:
    _check_version("2.3.19.1")
    with pytest.raises(NotImplementedError, match="2.4"):
        _check_version("2.4.1")


def test_make_message_is_deterministic_and_realistic() -> None:
    assert make_message(42) == make_message(42) != make_message(43)
    raw = make_message(9, subject="Commande reçue", in_reply_to="<parent@x>")
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == "Commande reçue"
    assert parsed["References"] == "<parent@x>"
    assert 2000 <= len(parsed.get_content()) <= 7000
    assert b"\n" not in raw.replace(b"\r\n", b"")
