"""The sync under faults, against a real Dovecot: SIGKILL at random moments, then malformed mail.

1. ``agentconsole sync --once`` runs as a real process and is killed with SIGKILL (no cleanup,
   no rollback handler, like a power cut or the OOM killer) after a random delay, again and
   again, until a run completes. After every kill the store must be consistent (the sync
   position never runs ahead of the stored mail), and at the end every message is there
   exactly once.
2. Mail that real senders produce (broken MIME, unknown charsets, no or reused Message-IDs,
   huge attachments, raw 8-bit headers) comes through the real server in one sync: all of it
   stored, nothing merged, no error.
"""

from __future__ import annotations

import base64
import contextlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from tests.mail.sync_helpers import NOW, SHOP, msg, rows, run_once
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser
from tests.servers.mailgen import make_message

PASSWORD_ENV = "AC_TEST_FAULTS_PASSWORD"
SEEDED = 600
PHOTO_EVERY = 10
PHOTO_BYTES = 512 * 1024
KILL_SEED = 0x5EED_F417
KILL_ROUNDS = 8
KILL_DELAY_S = (0.1, 1.5)
RUN_TIMEOUT_S = 60


# --- the sync as a separate process ----------------------------------------------------------


def write_config(path: Path, dovecot: Dovecot, user: ImapUser) -> Path:
    path.write_text(
        "[[accounts]]\n"
        'name = "shop"\n'
        f'email = "{SHOP}"\n'
        f'username = "{user.name}"\n'
        'imap_host = "127.0.0.1"\n'
        f"imap_port = {dovecot.port}\n"
        'imap_tls = "none"\n'
        f'password_env = "{PASSWORD_ENV}"\n',
        encoding="utf-8",
    )
    return path


def start_sync(config: Path, home: Path, password: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "AGENTCONSOLE_CONFIG"}
    env[PASSWORD_ENV] = password
    return subprocess.Popen(
        [sys.executable, "-m", "agentconsole", "--config", str(config), "--home", str(home)]
        + ["sync", "--once"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=RUN_TIMEOUT_S)


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Raw sqlite3, not ``Store``: opening a ``Store`` could migrate or repair what we inspect."""
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def with_photo(i: int) -> bytes:
    """Message ``i`` with a photo attached (customers send pictures of damaged parcels)."""
    head, body = make_message(i).split(b"\r\n\r\n", 1)
    keep = [
        line
        for line in head.split(b"\r\n")
        if not line.lower().startswith((b"content-type:", b"content-transfer-encoding:"))
    ]
    boundary = f"PHOTO-{i}".encode()
    photo = base64.encodebytes(random.Random(i).randbytes(PHOTO_BYTES)).replace(b"\n", b"\r\n")
    return b"".join(
        [
            b"\r\n".join(keep),
            b'\r\nContent-Type: multipart/mixed; boundary="%s"\r\n\r\n' % boundary,
            b"--%s\r\nContent-Type: text/plain; charset=utf-8\r\n" % boundary,
            b"Content-Transfer-Encoding: 8bit\r\n\r\n",
            body,
            b"--%s\r\nContent-Type: image/jpeg; name=photo-%d.jpg\r\n" % (boundary, i),
            b'Content-Disposition: attachment; filename="photo-%d.jpg"\r\n' % i,
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            photo,
            b"--%s--\r\n" % boundary,
        ]
    )


def seeded_mail() -> list[bytes]:
    """~45 MB: 600 messages, every 10th with a photo (so the sync stores several batches)."""
    return [with_photo(i) if i % PHOTO_EVERY == 0 else make_message(i) for i in range(SEEDED)]


def seeded_ids(raws: list[bytes]) -> set[str]:
    found = set()
    for raw in raws:
        match = re.search(rb"^Message-ID: <([^>]+)>", raw, re.M)
        assert match
        found.add(match.group(1).decode())
    return found


def assert_consistent(db: Path, photo_ids: set[str]) -> int:
    """What must hold after any kill; returns how many messages are stored.

    All seeded mail is in INBOX with UIDs 1..N, so the stored UIDs must be exactly
    1..uidnext-1: the sync position moves in the same transaction as the mail it covers.
    Every saved attachment's file is complete on disk. Killed before the new store was moved
    into place, there is no store yet: nothing half-made is left behind.
    """
    if not db.exists():
        return 0
    assert query(db, "PRAGMA quick_check") == [("ok",)]
    (messages,) = query(db, "SELECT count(*) FROM message")[0]
    (distinct_ids,) = query(db, "SELECT count(DISTINCT message_id) FROM message")[0]
    assert distinct_ids == messages
    inbox = query(db, "SELECT id, uidvalidity, uidnext FROM mailbox WHERE name = 'INBOX'")
    uids = {u for (u,) in query(db, "SELECT uid FROM message_location")}
    (locations,) = query(db, "SELECT count(*) FROM message_location")[0]
    assert locations == len(uids) == messages
    uidnext = (inbox[0][2] or 1) if inbox else 1
    assert uids == set(range(1, uidnext)), f"stored uids don't match uidnext {uidnext}"
    assert not query(
        db,
        "SELECT c.id FROM conversation c WHERE NOT EXISTS "
        "(SELECT 1 FROM message m WHERE m.conversation_id = c.id)",
    ), "a conversation without messages"
    assert not query(
        db,
        "SELECT m.id FROM message m WHERE NOT EXISTS "
        "(SELECT 1 FROM message_location l WHERE l.message_id = m.id)",
    ), "a message without a location"
    stored_ids = {m for (m,) in query(db, "SELECT message_id FROM message")}
    with_attachment = query(
        db, "SELECT m.message_id FROM attachment a JOIN message m ON m.id = a.message_id"
    )
    assert sorted(m for (m,) in with_attachment) == sorted(stored_ids & photo_ids)
    for path, size in query(db, "SELECT stored_path, size FROM attachment"):
        assert size == PHOTO_BYTES
        assert path is not None and (db.parent / path).stat().st_size == PHOTO_BYTES
    return int(messages)


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    dovecot: Dovecot, imap_user: ImapUser, tmp_path: Path
) -> None:
    mail = seeded_mail()
    all_ids, photo_ids = seeded_ids(mail), seeded_ids(mail[::PHOTO_EVERY])
    assert dovecot.seed_maildir(imap_user.name, mail) == SEEDED
    config = write_config(tmp_path / "config.toml", dovecot, imap_user)
    home = tmp_path / "home"
    db = home / "store.db"
    rng = random.Random(KILL_SEED)
    log: list[tuple[float, int]] = []  # (seconds until the kill, messages stored after it)
    summary: bytes | None = None
    for round_no in range(KILL_ROUNDS):
        proc = start_sync(config, home, imap_user.password)
        if round_no == 1 and not any(0 < n < SEEDED for _, n in log):
            # Besides the random moments: one kill that surely falls between two batches.
            delay = _kill_after_first_batch(proc, db)
        else:
            delay = rng.uniform(*KILL_DELAY_S)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(delay)
        if proc.poll() is not None:  # this run finished before its kill
            out, err = proc.communicate()
            assert proc.returncode == 0, (log, err.decode())
            summary = out
            break
        kill(proc)
        try:
            log.append((round(delay, 3), assert_consistent(db, photo_ids)))
        except AssertionError as exc:
            raise AssertionError(f"after a kill at {delay:.3f} s (earlier: {log}): {exc}") from exc
    if summary is None:  # every round was killed: now let one run finish
        proc = start_sync(config, home, imap_user.password)
        out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
        assert proc.returncode == 0, (log, err.decode())
        summary = out
    assert log, "no run was killed"
    assert re.fullmatch(rb"shop: \d+ new in 2 folders \(\d+\.\d s\)\n", summary), summary

    assert assert_consistent(db, photo_ids) == SEEDED, log
    assert query(db, "SELECT count(*) FROM message") == [(SEEDED,)]
    assert query(db, "SELECT count(DISTINCT uid) FROM message_location") == [(SEEDED,)]
    assert query(db, "SELECT message_id FROM message GROUP BY message_id HAVING count(*) > 1") == []
    assert {m for (m,) in query(db, "SELECT message_id FROM message")} == all_ids
    assert query(db, "SELECT count(*) FROM attachment") == [(len(photo_ids),)]
    assert query(db, "SELECT sync_state FROM mail_account") == [("synced",)]
    # A further run finds nothing to do.
    again = subprocess.run(
        [sys.executable, "-m", "agentconsole", "--config", str(config), "--home", str(home)]
        + ["sync", "--once"],
        capture_output=True,
        env={**os.environ, PASSWORD_ENV: imap_user.password},
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert again.returncode == 0 and again.stdout.startswith(b"shop: 0 new"), again


def _kill_after_first_batch(proc: subprocess.Popen[bytes], db: Path) -> float:
    """Wait until some, not all, messages are committed (then the next batch is in flight)."""
    started = time.monotonic()
    deadline = started + RUN_TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            (count,) = query(db, "SELECT count(*) FROM message")[0]
        except sqlite3.Error:
            count = 0
        if count:
            break
        time.sleep(0.002)
    return time.monotonic() - started


def test_killed_while_creating_the_store_then_rerun_syncs(
    dovecot: Dovecot, imap_user: ImapUser, tmp_path: Path
) -> None:
    for i in range(3):
        dovecot.deliver(imap_user.name, msg(i))
    config = write_config(tmp_path / "config.toml", dovecot, imap_user)
    for attempt in range(5):
        home = tmp_path / f"home{attempt}"
        db = home / "store.db"
        proc = start_sync(config, home, imap_user.password)
        caught = _kill_while_schema_is_half_built(proc, db)
        if caught:
            break
        proc.communicate(timeout=RUN_TIMEOUT_S)
    else:
        pytest.skip("never caught the process while it created the schema")
    rerun = subprocess.run(
        [sys.executable, "-m", "agentconsole", "--config", str(config), "--home", str(home)]
        + ["sync", "--once"],
        capture_output=True,
        text=True,
        env={**os.environ, PASSWORD_ENV: imap_user.password},
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert query(db, "SELECT count(*) FROM message") == [(3,)]
    assert not list(db.parent.glob(f"{db.name}.creating-*"))  # the half-made one is cleaned up


def _kill_while_schema_is_half_built(proc: subprocess.Popen[bytes], db: Path) -> bool:
    """Kill the process while some tables exist and the schema version is not written yet —
    wherever the store is being built (beside its final name, since the store is created
    atomically)."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        for candidate in [db, *db.parent.glob(f"{db.name}.creating-*")]:
            try:
                if not candidate.exists():
                    continue
                tables = {n for (n,) in query(candidate, "SELECT name FROM sqlite_master")}
                versioned = "alembic_version" in tables and query(
                    candidate, "SELECT 1 FROM alembic_version"
                )
            except sqlite3.Error:
                continue
            if len(tables - {"alembic_version"}) >= 3 and not versioned:
                kill(proc)
                return True
        time.sleep(0.001)
    return False


# --- malformed mail through the real server --------------------------------------------------


def _date(minutes: int) -> str:
    return format_datetime(NOW - timedelta(days=1) + timedelta(minutes=minutes))


def crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


BROKEN_MIME = crlf(
    f"""From: Broken Mime <broken@example.com>
To: {SHOP}
Subject: Broken MIME
Date: {_date(1)}
Message-ID: <broken-mime@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="NEVER-CLOSED"

This is the preamble.
--NEVER-CLOSED
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

SGVsbG8sIG15IG9yZGVyIGlzIGxhdGU=!!not base64 at all%%
--NEVER-CLOSED
Content-Type: multipart/alternative; boundary="INNER"

--INNER
Content-Type: text/html; charset=utf-8

<p>Where <b>is it?
--NEVER-CLOSED
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfs
"""
)

MULTIPART_WITHOUT_BOUNDARY = crlf(
    f"""From: No Boundary <noboundary@example.com>
To: {SHOP}
Subject: Multipart without a boundary
Date: {_date(2)}
Message-ID: <no-boundary@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed

Just text, although the header promises parts.
"""
)

UNKNOWN_CHARSET = crlf(
    f"""From: Charset Chaos <charset@example.com>
To: {SHOP}
Subject: =?x-klingon?Q?Gr=FC=DFe?= and =?utf-8?B?bm90IGJhc2U2NA!!?=
Date: {_date(3)}
Message-ID: <unknown-charset@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-klingon-8"
Content-Transfer-Encoding: 8bit

"""
) + "Grüße aus Köln, déjà vu.\r\n".encode("latin-1")


def no_message_id(minutes: int, sender: str, subject: str, body: str) -> bytes:
    return crlf(
        f"""From: {sender}
To: {SHOP}
Subject: {subject}
Date: {_date(minutes)}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""
    )


def same_id(minutes: int, sender: str, subject: str, body: str) -> bytes:
    return crlf(
        f"""From: {sender}
To: {SHOP}
Subject: {subject}
Date: {_date(minutes)}
Message-ID: <constant@broken-mailer.example>
Content-Type: text/plain; charset=utf-8

{body}
"""
    )


RAW_8BIT_HEADERS = (
    b"From: J\xfcrgen M\xfcller <juergen@example.com>\r\n"  # latin-1 bytes, undeclared
    + f"To: {SHOP}\r\n".encode()
    + "Subject: Grüße aus Köln – Bestellung #4711\r\n".encode()  # raw UTF-8 (RFC 6532 style)
    + f"Date: {_date(8)}\r\nMessage-ID: <raw-8bit@example.com>\r\n".encode()
    + b"Content-Type: text/plain\r\n\r\n"
    + "Wo bleibt mein Päckchen?\r\n".encode()
)

BIG_ATTACHMENT_BYTES = 25 * 1024 * 1024


def big_attachment() -> bytes:
    payload = random.Random(25).randbytes(BIG_ATTACHMENT_BYTES)
    encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    head = crlf(
        f"""From: Big Sender <big@example.com>
To: {SHOP}
Subject: Photos of the damaged parcel
Date: {_date(9)}
Message-ID: <big-attachment@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BIG"

--BIG
Content-Type: text/plain; charset=utf-8

See the attached video.
--BIG
Content-Type: video/mp4; name="parcel.mp4"
Content-Disposition: attachment; filename="parcel.mp4"
Content-Transfer-Encoding: base64

"""
    )
    return head + encoded + b"--BIG--\r\n"


def test_malformed_mail_is_all_stored_in_one_sync(setup) -> None:  # type: ignore[no-untyped-def]
    dovecot, user, settings = setup
    mails = [
        BROKEN_MIME,
        MULTIPART_WITHOUT_BOUNDARY,
        UNKNOWN_CHARSET,
        no_message_id(4, "Form <form@example.com>", "Contact form", "I want to return a mug."),
        no_message_id(5, "Form <form@example.com>", "Contact form", "Do you ship to Norway?"),
        same_id(6, "Alice <alice@example.com>", "Refund", "Please refund order 1."),
        same_id(7, "Bob <bob@example.com>", "Exchange", "Please exchange order 2."),
        RAW_8BIT_HEADERS,
        big_attachment(),
        msg(10, sender="Normal Person <normal@example.com>", message_id="<normal@example.com>"),
    ]
    uids = [dovecot.deliver(user.name, raw) for raw in mails]

    report = run_once(settings)
    assert report.error is None, report.error
    assert report.state == "synced"
    assert report.new == len(mails)
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == len(mails)
    assert rows(settings, "SELECT count(*) AS n FROM message_location")[0].n == len(mails)
    # Damaged mail is read anyway and listed as such, by UID.
    inbox = next(f for f in report.folders if f.name == "INBOX")
    damaged = {int(d.split(":", 1)[0].removeprefix("uid ")) for d in inbox.defects}
    assert {uids[0], uids[1], uids[2], uids[3], uids[4], uids[7]} <= damaged, inbox.defects

    def one(sql: str, **params: object) -> Any:
        found = rows(settings, sql, **params)
        assert len(found) == 1, (sql, params, found)
        return found[0]

    broken = one("SELECT id, body_text, from_addr FROM message WHERE message_id = 'broken-mime@example.com'")  # fmt: skip
    assert broken.from_addr == "broken@example.com"
    assert "Hello, my order is late" in broken.body_text  # base64 with junk after it
    assert "Where is it?" in broken.body_text  # HTML of a part that never closes
    pdf = one("SELECT filename, content_type FROM attachment WHERE message_id = :m", m=broken.id)
    assert (pdf.filename, pdf.content_type) == ("invoice.pdf", "application/pdf")
    flat = one("SELECT body_text FROM message WHERE message_id = 'no-boundary@example.com'")
    assert flat.body_text.strip() == "Just text, although the header promises parts."

    chaos = one("SELECT subject, body_text FROM message WHERE message_id = 'unknown-charset@example.com'")  # fmt: skip
    assert "Grüße aus Köln, déjà vu." in chaos.body_text  # fell back to windows-1252
    assert chaos.subject.startswith("Grüße")  # unknown charset in an encoded word, too

    # Two different messages without a Message-ID: both kept, each with its own stand-in id.
    forms = rows(settings, "SELECT message_id, body_text FROM message WHERE subject = 'Contact form' ORDER BY sent_at")  # fmt: skip
    assert [f.body_text.strip() for f in forms] == ["I want to return a mug.", "Do you ship to Norway?"]  # fmt: skip
    assert all(f.message_id.startswith("hash:") for f in forms)
    assert forms[0].message_id != forms[1].message_id

    # One Message-ID reused by two different messages: both kept, never merged.
    reused = rows(settings, "SELECT message_id, from_addr, conversation_id FROM message WHERE message_id LIKE 'constant@broken-mailer.example%' ORDER BY sent_at")  # fmt: skip
    assert [r.from_addr for r in reused] == ["alice@example.com", "bob@example.com"]
    assert reused[0].message_id == "constant@broken-mailer.example"
    assert reused[1].message_id.startswith("constant@broken-mailer.example#")
    assert reused[0].conversation_id != reused[1].conversation_id

    raw8 = one("SELECT subject, from_name, from_addr, body_text FROM message WHERE message_id = 'raw-8bit@example.com'")  # fmt: skip
    assert raw8.subject == "Grüße aus Köln – Bestellung #4711"
    assert raw8.from_name == "Jürgen Müller"
    assert raw8.from_addr == "juergen@example.com"
    assert "Päckchen" in raw8.body_text

    big = one("SELECT id, size, body_text FROM message WHERE message_id = 'big-attachment@example.com'")  # fmt: skip
    assert big.size > BIG_ATTACHMENT_BYTES
    assert "See the attached video." in big.body_text
    attachment = one("SELECT filename, content_type, size, stored_path FROM attachment WHERE message_id = :m", m=big.id)  # fmt: skip
    assert (attachment.filename, attachment.content_type) == ("parcel.mp4", "video/mp4")
    assert attachment.size == BIG_ATTACHMENT_BYTES
    # Over attachments_max_mb (10): listed, fetched from the server when opened, not saved.
    assert attachment.stored_path is None
    assert not list((settings.home / "attachments").rglob("*parcel*"))

    one("SELECT id FROM message WHERE message_id = 'normal@example.com'")
    assert not rows(
        settings,
        "SELECT c.id FROM conversation c WHERE NOT EXISTS "
        "(SELECT 1 FROM message m WHERE m.conversation_id = c.id)",
    )
    # And nothing happens on a second sync.
    again = run_once(settings)
    assert again.error is None and again.new == 0
    assert rows(settings, "SELECT count(*) AS n FROM message")[0].n == len(mails)


def test_reused_message_id_same_sender_and_subject_keeps_both(setup) -> None:  # type: ignore[no-untyped-def]
    """A shop plugin / contact form that sends every message with one constant Message-ID,
    the same From and the same Subject: the bodies differ, so these are different messages."""
    dovecot, user, settings = setup
    first = same_id(1, "Form <form@example.com>", "Contact form", "Order 1 never arrived.")
    second = same_id(2, "Form <form@example.com>", "Contact form", "Please cancel order 2.")
    dovecot.deliver(user.name, first)
    dovecot.deliver(user.name, second)
    report = run_once(settings)
    assert report.error is None, report.error
    bodies = rows(settings, "SELECT body_text FROM message ORDER BY sent_at")
    assert [b.body_text.strip() for b in bodies] == [
        "Order 1 never arrived.",
        "Please cancel order 2.",
    ]
    assert report.new == 2
