"""Property: whatever mail arrives, one sync stores all of it and never fails.

Hypothesis writes mailboxes of 1-6 messages: any Unicode in subjects and bodies (control
characters, NUL, bidi marks, emoji included), charset declarations that are right, wrong or
made up, 8bit / quoted-printable / base64 bodies, raw 8-bit or RFC 2047 subjects, odd or
missing From addresses, missing Message-IDs and replies to earlier messages. Each mailbox goes
to a fresh user on the real Dovecot and into a fresh store; then:

- the sync reports no error;
- every delivered message (by UID) has its location and its own message row (the Date
  headers differ, so no two generated messages are the same message);
- a Message-ID we wrote is stored exactly as written;
- a reply (In-Reply-To an earlier generated message) lands in its parent's conversation;
- stored text never contains NUL, and every conversation has a message.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentconsole.config import Settings, StoreSection
from tests.mail.sync_helpers import NOW, SHOP, account, rows, run_once
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser

DECLARED = ("utf-8", "iso-8859-1", "latin-1", "windows-1252", "x-bogus-charset", "utf8")
ACTUAL = ("utf-8", "latin-1", "cp1252")
SPICE = list("üéßàÆø€“”–…\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\r\n\t\u200f\u202e\ufeff😀中文ש")

chars = st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(SPICE))
texts = st.text(chars, max_size=60)


@dataclass(frozen=True)
class Spec:
    """One generated message, before it is rendered to bytes."""

    sender: str  # the whole From header value ("" = no From header)
    subject: str
    body: str
    declared: str
    actual: str
    transfer: str
    subject_style: str
    message_id: str | None
    reply_to: str | None


@st.composite
def senders(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "named-raw", "named-encoded", "shop", "odd"]))
    if kind == "shop":
        return f"Shop <{SHOP}>"
    if kind == "odd":
        return draw(st.sampled_from(["", "not an address", "undisclosed-recipients:;", "<>", "@"]))
    address = draw(st.emails())
    if kind == "plain":
        return address
    name = draw(texts.map(lambda t: "".join(c for c in t if c not in '"\\\r\n\x00')))
    if kind == "named-raw":
        return f'"{name}" <{address}>'
    return f"{Header(name, 'utf-8').encode()} <{address}>"


@st.composite
def mailboxes(draw: st.DrawFn) -> list[Spec]:
    count = draw(st.integers(1, 6))
    specs: list[Spec] = []
    for i in range(count):
        with_id = draw(st.booleans())
        parents = [s.message_id for s in specs if s.message_id]
        reply_to = draw(st.none() | st.sampled_from(parents)) if parents else None
        specs.append(
            Spec(
                sender=draw(senders()),
                subject=draw(texts),
                body=draw(st.text(chars, max_size=400)),
                declared=draw(st.sampled_from(DECLARED)),
                actual=draw(st.sampled_from(ACTUAL)),
                transfer=draw(st.sampled_from(["8bit", "quoted-printable", "base64"])),
                subject_style=draw(st.sampled_from(["raw", "encoded"])),
                message_id=f"gen{i}.{draw(st.integers(0, 10**9))}@example.com" if with_id else None,
                reply_to=reply_to,
            )
        )
    return specs


def render(spec: Spec, index: int, count: int) -> bytes:
    """RFC 5322-ish bytes, as broken as the spec says. Subject goes last: a raw header can't
    hide the structural headers, whatever bytes it holds."""
    body = spec.body.encode(spec.actual, errors="replace")
    if spec.transfer == "base64":
        body = base64.encodebytes(body)
    elif spec.transfer == "quoted-printable":
        body = binascii.b2a_qp(body)
    body = body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    if spec.subject_style == "encoded":
        payload = base64.b64encode(spec.subject.encode(spec.actual, errors="replace")).decode()
        subject = f"=?{spec.declared}?B?{payload}?=".encode()
    else:  # raw 8-bit bytes; a line break would end the header, so it becomes a space
        one_line = spec.subject.replace("\r", " ").replace("\n", " ")
        subject = one_line.encode(spec.actual, errors="replace")
    date = NOW - timedelta(hours=count - index)  # distinct per message
    headers = [f"From: {spec.sender}".encode()] if spec.sender else []
    headers += [
        f"To: Shop <{SHOP}>".encode(),
        f"Date: {format_datetime(date)}".encode(),
    ]
    if spec.message_id:
        headers.append(f"Message-ID: <{spec.message_id}>".encode())
    if spec.reply_to:
        headers.append(f"In-Reply-To: <{spec.reply_to}>".encode())
        headers.append(f"References: <{spec.reply_to}>".encode())
    headers += [
        b"MIME-Version: 1.0",
        f'Content-Type: text/plain; charset="{spec.declared}"'.encode(),
        f"Content-Transfer-Encoding: {spec.transfer}".encode(),
        b"Subject: " + subject,
    ]
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(specs=mailboxes())
def test_any_mail_is_stored_and_never_breaks_the_sync(
    specs: list[Spec], dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = ImapUser(*dovecot.new_user("prop"))
    uids = [dovecot.deliver(user.name, render(s, i, len(specs))) for i, s in enumerate(specs)]
    home = Path(tempfile.mkdtemp(prefix="store-", dir=tmp_path))
    acct = account(dovecot, user, monkeypatch)
    settings_ = Settings(store=StoreSection(home=home), accounts=[acct])

    report = run_once(settings_)
    assert report.error is None, report.error
    assert report.state == "synced"
    assert report.new == len(specs)
    assert rows(settings_, "SELECT count(*) AS n FROM message_location")[0].n == len(specs)
    assert rows(settings_, "SELECT count(*) AS n FROM message")[0].n == len(specs)

    stored = {
        r.uid: r
        for r in rows(
            settings_,
            "SELECT l.uid, m.id, m.message_id, m.conversation_id FROM message_location l "
            "JOIN message m ON m.id = l.message_id",
        )
    }
    assert sorted(stored) == sorted(uids)
    assert len({r.id for r in stored.values()}) == len(specs)  # one row each, none merged
    uid_of = {s.message_id: uid for s, uid in zip(specs, uids, strict=True) if s.message_id}
    for spec, uid in zip(specs, uids, strict=True):
        if spec.message_id:
            assert stored[uid].message_id == spec.message_id, spec
        if spec.reply_to:
            parent = stored[uid_of[spec.reply_to]]
            assert stored[uid].conversation_id == parent.conversation_id, spec

    assert not rows(
        settings_,
        "SELECT id FROM message WHERE instr(subject, char(0)) OR instr(body_text, char(0)) "
        "OR instr(from_name, char(0))",
    )
    assert not rows(
        settings_,
        "SELECT c.id FROM conversation c WHERE NOT EXISTS "
        "(SELECT 1 FROM message m WHERE m.conversation_id = c.id)",
    )
