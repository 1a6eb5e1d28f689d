"""The SMTP adapter against a real aiosmtpd server: exact bytes, TLS rules, and every failure
classified the way the outbox needs it (transient / permanent / unknown / auth / config).

Why: the outbox decides between "retry", "show the agent" and "may have been sent" from the
``kind`` alone, and files in Sent the very bytes it sent; a wrong class either loses mail or
sends it twice. Reference: /work/shared/reference/imap-smtp.md section 6.
"""

from __future__ import annotations

import email.policy
import time
from collections.abc import Awaitable, Callable
from email.message import EmailMessage

import pytest

from agentconsole.config import AccountConfig
from agentconsole.mail.smtp import SendReport, SmtpError, SmtpSession, smtp_host, smtp_port
from tests.servers.dovecot import free_port
from tests.servers.fixtures import SMTP_PASSWORD, SMTP_USER
from tests.servers.smtp import SmtpServer

SHOP = "support@shop.example"
ALICE = "alice@example.com"
BOB = "bob@example.org"
PASSWORD_ENV = "TEST_SMTP_PASSWORD"

Factory = Callable[..., SmtpServer]


def account(
    server: SmtpServer, monkeypatch: pytest.MonkeyPatch, **overrides: object
) -> AccountConfig:
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    fields: dict[str, object] = {
        "name": "shop",
        "email": SHOP,
        "username": SMTP_USER,
        "imap_host": "127.0.0.1",
        "imap_tls": "none",
        "password_env": PASSWORD_ENV,
        **server.config_fields(),
    }
    fields.update(overrides)
    return AccountConfig(**fields)  # type: ignore[arg-type]


def make_raw(subject: str = "Your order #1001", body: str | None = None) -> bytes:
    """A reply as the outbox freezes it: policy SMTP (CRLF), 8-bit UTF-8 body, dotted lines."""
    msg = EmailMessage()
    msg["From"] = f"Shop <{SHOP}>"
    msg["To"] = ALICE
    msg["Subject"] = subject
    msg["Message-ID"] = "<reply-1@shop.example>"
    text = body or (
        "Grüße aus dem Laden — your parcel is on its way.\n"
        ".a line that starts with a dot\n"
        "..and one with two\n"
        ".\n"
        "The end.\n"
    )
    msg.set_content(text, cte="8bit")
    return msg.as_bytes(policy=email.policy.SMTP)


class Started:
    """A ``data_started`` callback that counts and can look at the server when it runs."""

    def __init__(self, check: Callable[[], None] | None = None) -> None:
        self.calls = 0
        self.check = check

    async def __call__(self) -> None:
        self.calls += 1
        if self.check is not None:
            self.check()


async def send(
    session: SmtpSession,
    recipients: list[str] | None = None,
    raw: bytes | None = None,
    started: Callable[[], Awaitable[None]] | None = None,
) -> SendReport:
    return await session.send(SHOP, recipients or [ALICE], raw or make_raw(), started or Started())


async def expect_error(
    session: SmtpSession,
    kind: str,
    recipients: list[str] | None = None,
    started: Started | None = None,
) -> SmtpError:
    with pytest.raises(SmtpError) as info:
        await send(session, recipients, started=started)
    error = info.value
    assert error.kind == kind, str(error)
    assert "\n" not in str(error)
    return error


# -- defaults ----------------------------------------------------------------------------------


def test_host_and_port_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "x")
    base = {"name": "a", "email": SHOP, "imap_host": "mail.shop.example"}
    base["password_env"] = PASSWORD_ENV
    implicit = AccountConfig(**base)  # type: ignore[arg-type]
    starttls = AccountConfig(**base, smtp_tls="starttls", smtp_host="smtp.shop.example")  # type: ignore[arg-type]
    plain = AccountConfig(**{**base, "imap_host": "localhost"}, smtp_tls="none")  # type: ignore[arg-type]
    custom = AccountConfig(**base, smtp_port=2525)  # type: ignore[arg-type]
    assert (smtp_host(implicit), smtp_port(implicit)) == ("mail.shop.example", 465)
    assert (smtp_host(starttls), smtp_port(starttls)) == ("smtp.shop.example", 587)
    assert smtp_port(plain) == 25
    assert smtp_port(custom) == 2525


# -- sending exact bytes -----------------------------------------------------------------------


async def test_plaintext_loopback_sends_the_exact_bytes(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    raw = make_raw()
    assert b"\r\n.a line" in raw and not raw.isascii()
    started = Started(check=lambda: assert_nothing_received(server))
    async with SmtpSession(account(server, monkeypatch), local_hostname="agent.test") as session:
        report = await session.send(SHOP, [ALICE], raw, started)
    assert started.calls == 1
    assert report.accepted == (ALICE,)
    assert report.refused == {}
    assert report.reply.startswith("250 2.0.0 Ok: queued")
    [message] = server.received
    # aiosmtpd hands over the DATA section with only the dot transparency undone and the final
    # ".\r\n" removed; CRLF line endings stay as sent. So the bytes must match exactly.
    assert message.data == raw
    assert message.mail_from == SHOP
    assert message.rcpt_tos == (ALICE,)
    assert "BODY=8BITMIME" in message.mail_options
    assert f"SIZE={len(raw)}" in message.mail_options
    assert message.login is None  # plaintext server without AUTH: no login offered, none sent
    assert not message.tls


def assert_nothing_received(server: SmtpServer) -> None:
    assert server.received == [], "data_started must run before DATA is sent"


async def test_seven_bit_message_gets_no_8bitmime(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    raw = make_raw(body="Plain ASCII only.\n")
    async with SmtpSession(account(server, monkeypatch)) as session:
        await send(session, raw=raw)
    [message] = server.received
    assert message.data == raw
    assert "BODY=8BITMIME" not in message.mail_options


@pytest.mark.parametrize("require", [False, True])
async def test_starttls_with_trusted_certificate(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch, require: bool
) -> None:
    server = smtp_factory(starttls=True, require_starttls=require, auth={SMTP_USER: SMTP_PASSWORD})
    raw = make_raw()
    async with SmtpSession(account(server, monkeypatch)) as session:
        assert session.connected
        report = await send(session, raw=raw)
    assert not session.connected
    assert report.accepted == (ALICE,)
    [message] = server.received
    assert message.data == raw
    assert message.tls
    assert message.login == SMTP_USER


async def test_smtp_server_fixture_is_starttls_with_auth(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    acct = account(smtp_server, monkeypatch)
    assert acct.smtp_tls == "starttls"
    async with SmtpSession(acct) as session:
        await send(session)
    assert smtp_server.wait_for(1)[0].login == "shop"


async def test_implicit_tls(smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    server = smtp_factory(implicit_tls=True, auth={SMTP_USER: SMTP_PASSWORD})
    raw = make_raw()
    async with SmtpSession(account(server, monkeypatch)) as session:
        await send(session, raw=raw)
    [message] = server.received
    assert (message.data, message.tls, message.login) == (raw, True, SMTP_USER)


async def test_login_name_defaults_to_email(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory(implicit_tls=True, auth={SHOP: SMTP_PASSWORD})
    async with SmtpSession(account(server, monkeypatch, username=None)) as session:
        await send(session)
    assert server.received[0].login == SHOP


async def test_non_ascii_address_uses_smtputf8(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory(smtputf8=True)
    async with SmtpSession(account(server, monkeypatch)) as session:
        await send(session, ["jürgen@bäckerei.example"])
    [message] = server.received
    assert message.rcpt_tos == ("jürgen@bäckerei.example",)
    assert "SMTPUTF8" in message.mail_options


async def test_non_ascii_address_without_smtputf8_is_permanent(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory(smtputf8=False)
    started = Started()
    async with SmtpSession(account(server, monkeypatch)) as session:
        error = await expect_error(session, "permanent", ["jürgen@bäckerei.example"], started)
        assert "cannot take the non-ASCII address jürgen@bäckerei.example" in str(error)
        assert started.calls == 0
        await send(session)  # the session is still usable
    assert len(server.received) == 1


# -- TLS and login problems are config / auth errors -------------------------------------------


@pytest.mark.parametrize("hide", [False, True], ids=["not-offered", "stripped"])
async def test_starttls_required_but_not_offered(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch, hide: bool
) -> None:
    auth = {SMTP_USER: SMTP_PASSWORD}
    if hide:  # a middlebox removing STARTTLS from the EHLO reply
        server = smtp_factory(starttls=True, hide={"STARTTLS"}, auth=auth)
    else:
        server = smtp_factory(auth=auth)
    acct = account(server, monkeypatch, smtp_tls="starttls", tls_ca_file=None)
    session = SmtpSession(acct)
    with pytest.raises(SmtpError) as info:
        await session.send(SHOP, [ALICE], make_raw(), Started())
    assert info.value.kind == "config"
    assert str(info.value) == (
        f"127.0.0.1:{server.port} does not offer STARTTLS; refusing to send without TLS"
    )
    assert not session.connected
    assert server.received == []


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit"])
async def test_untrusted_certificate_is_a_config_error(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch, implicit: bool
) -> None:
    server = smtp_factory(starttls=not implicit, implicit_tls=implicit)
    session = SmtpSession(account(server, monkeypatch, tls_ca_file=None))
    with pytest.raises(SmtpError) as info:
        await session.connect()
    assert info.value.kind == "config"
    assert str(info.value).startswith("TLS certificate of 127.0.0.1 not accepted: ")
    assert "self-signed" in str(info.value)
    assert not session.connected


async def test_tls_verify_off_accepts_any_certificate(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory(implicit_tls=True)
    acct = account(server, monkeypatch, tls_ca_file=None, tls_verify=False)
    async with SmtpSession(acct) as session:
        await send(session)
    assert server.received[0].tls


async def test_implicit_tls_against_plaintext_port_is_a_config_error(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    session = SmtpSession(account(server, monkeypatch, smtp_tls="implicit"), timeout=5)
    with pytest.raises(SmtpError) as info:
        await session.connect()
    assert info.value.kind == "config", str(info.value)
    assert "TLS with 127.0.0.1" in str(info.value)


async def test_server_demanding_starttls_from_a_plaintext_account_is_a_config_error(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory(starttls=True, require_starttls=True)
    acct = account(server, monkeypatch, smtp_tls="none", tls_ca_file=None)
    async with SmtpSession(acct) as session:
        error = await expect_error(session, "config")
    assert error.code == 530
    assert "requires TLS (530 Must issue a STARTTLS command first); set smtp_tls" in str(error)


async def test_wrong_password_is_an_auth_error_naming_the_account(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    acct = account(smtp_server, monkeypatch)
    monkeypatch.setenv(PASSWORD_ENV, "wrong-secret")
    started = Started()
    session = SmtpSession(acct)
    error = await expect_error(session, "auth", started=started)
    assert str(error).startswith("authentication failed for account shop as shop (535 ")
    assert "wrong-secret" not in str(error) and "wrong-secret" not in repr(error)
    assert error.code == 535
    assert started.calls == 0
    assert not session.connected
    assert smtp_server.received == []


async def test_missing_password_is_a_config_error(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    acct = account(smtp_server, monkeypatch)
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(SmtpError) as info:
        await SmtpSession(acct).connect()
    assert info.value.kind == "config"
    assert str(info.value) == f"account shop: environment variable {PASSWORD_ENV} is not set"


async def test_server_down_is_transient(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv(PASSWORD_ENV, "x")
    acct = AccountConfig(
        name="shop",
        email=SHOP,
        imap_host="127.0.0.1",
        imap_tls="none",
        smtp_port=port,
        smtp_tls="none",
        password_env=PASSWORD_ENV,
    )
    session = SmtpSession(acct)
    started = Started()
    error = await expect_error(session, "transient", started=started)
    assert str(error) == f"cannot reach 127.0.0.1:{port}: connection refused"
    assert started.calls == 0
    await session.close()  # never raises


# -- replies during the transaction --------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "code", "text"),
    [
        ("mail", 421, "4.7.0 too many connections, try later"),
        ("mail", 451, "4.7.1 greylisted, try again in 5 minutes"),
        ("rcpt", 421, "4.3.2 shutting down"),
        ("rcpt", 451, "4.3.0 temporary lookup failure"),
        ("data", 421, "4.4.2 timeout exceeded"),
        ("data", 451, "4.3.0 queue file write error"),
    ],
)
async def test_4xx_is_transient(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch, stage: str, code: int, text: str
) -> None:
    server = smtp_factory()
    server.fail(stage, code, text)  # type: ignore[arg-type]
    started = Started()
    session = SmtpSession(account(server, monkeypatch))
    await session.connect()
    error = await expect_error(session, "transient", started=started)
    assert error.code == code
    assert f"{code} {text}" in str(error)
    assert started.calls == (1 if stage == "data" else 0)
    assert server.received == []
    if code == 421:  # the server closes the connection after 421
        assert not session.connected
    else:  # reset and reusable: the retry goes over the same connection
        assert session.connected
    await send(session)
    await session.close()
    assert len(server.received) == 1
    assert server.connections == (2 if code == 421 else 1)


@pytest.mark.parametrize(
    ("stage", "code", "text"),
    [
        ("mail", 550, "5.7.1 sender address rejected: not owned by user"),
        ("mail", 553, "5.1.8 sender domain does not exist"),
        ("data", 550, "5.7.1 rejected: spam"),
        ("data", 554, "5.7.1 message content rejected"),
        ("data", 552, "5.3.4 message size exceeds fixed limit"),
    ],
)
async def test_5xx_is_permanent_with_the_servers_words(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch, stage: str, code: int, text: str
) -> None:
    server = smtp_factory()
    server.fail(stage, code, text)  # type: ignore[arg-type]
    started = Started()
    async with SmtpSession(account(server, monkeypatch)) as session:
        error = await expect_error(session, "permanent", started=started)
        assert error.code == code
        assert str(error).endswith(f"{code} {text}")
        assert started.calls == (1 if stage == "data" else 0)
        assert session.connected
        await send(session)
    assert len(server.received) == 1
    assert server.connections == 1


async def test_partial_refusal_reports_refused_and_delivers_to_the_rest(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    server.refuse("nobody@example.com", 550, "5.1.1 <nobody@example.com>: no such user")
    started = Started()
    async with SmtpSession(account(server, monkeypatch)) as session:
        report = await send(session, [ALICE, "nobody@example.com", BOB], started=started)
    assert started.calls == 1
    assert report.accepted == (ALICE, BOB)
    assert report.refused == {"nobody@example.com": "550 5.1.1 <nobody@example.com>: no such user"}
    [message] = server.received
    assert message.rcpt_tos == (ALICE, BOB)


@pytest.mark.parametrize(
    ("codes", "kind"),
    [((550, 550), "permanent"), ((450, 451), "transient"), ((450, 550), "permanent")],
)
async def test_every_recipient_refused(
    smtp_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    codes: tuple[int, int],
    kind: str,
) -> None:
    server = smtp_factory()
    server.refuse(ALICE, codes[0], "x.1.1 mailbox unavailable")
    server.refuse(BOB, codes[1], "x.2.2 mailbox full")
    started = Started()
    async with SmtpSession(account(server, monkeypatch)) as session:
        error = await expect_error(session, kind, [ALICE, BOB], started)
        assert started.calls == 0
        assert error.code == codes[0]  # a server's code: not a network failure
        assert error.refused == {
            ALICE: f"{codes[0]} x.1.1 mailbox unavailable",
            BOB: f"{codes[1]} x.2.2 mailbox full",
        }
        assert f"{ALICE} ({codes[0]} x.1.1 mailbox unavailable)" in str(error)
        assert session.connected  # RSET; the session goes on
        server.clear_faults()
        await send(session)
    assert len(server.received) == 1


async def test_single_recipient_refused_names_it(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    server.refuse(ALICE, 550, "5.1.1 no such user")
    async with SmtpSession(account(server, monkeypatch)) as session:
        error = await expect_error(session, "permanent")
    assert str(error) == f"127.0.0.1 refused the recipient {ALICE} (550 5.1.1 no such user)"
    assert error.code == 550


# -- lost connections --------------------------------------------------------------------------


async def test_drop_after_data_handed_over_is_unknown(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    server.drop_at("data")  # the server records the message, then hangs up without a reply
    started = Started()
    session = SmtpSession(account(server, monkeypatch))
    error = await expect_error(session, "unknown", started=started)
    assert str(error) == (
        "the connection to 127.0.0.1 dropped after the message was handed over; "
        "it may have been sent"
    )
    assert started.calls == 1
    assert len(server.received) == 1  # it was in fact delivered
    assert not session.connected
    await session.close()


async def test_timeout_waiting_for_the_end_of_data_reply_is_unknown(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    server.on("data", lambda: time.sleep(1.0))  # stalls the server after recording
    started = Started()
    session = SmtpSession(account(server, monkeypatch), timeout=0.3)
    error = await expect_error(session, "unknown", started=started)
    assert "may have been sent" in str(error)
    assert started.calls == 1
    assert not session.connected


@pytest.mark.parametrize("stage", ["mail", "rcpt"])
async def test_drop_before_data_is_transient(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    server = smtp_factory()
    server.drop_at(stage)  # type: ignore[arg-type]
    started = Started()
    session = SmtpSession(account(server, monkeypatch))
    await session.connect()
    error = await expect_error(session, "transient", started=started)
    assert str(error) == (
        f"the connection to 127.0.0.1:{server.port} dropped before the message was sent"
    )
    assert started.calls == 0
    assert not session.connected
    assert server.received == []


async def test_timeout_before_data_is_transient(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    server.on("mail", lambda: time.sleep(1.0))
    started = Started()
    session = SmtpSession(account(server, monkeypatch), timeout=0.3)
    error = await expect_error(session, "transient", started=started)
    assert "did not answer within 0.3 s" in str(error)
    assert started.calls == 0
    assert not session.connected


async def test_idle_connection_closed_by_server_is_reopened_once(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    async with SmtpSession(account(server, monkeypatch)) as session:
        await send(session)
        server.drop_at("mail")  # as if the server timed the idle connection out
        started = Started()
        report = await send(session, [BOB], started=started)
        assert report.accepted == (BOB,)
        assert started.calls == 1
    assert [m.rcpt_tos for m in server.received] == [(ALICE,), (BOB,)]
    assert server.connections == 2


async def test_send_connects_when_not_connected(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    session = SmtpSession(account(server, monkeypatch))
    assert not session.connected
    await send(session)
    assert session.connected
    await session.close()
    await session.close()
    assert len(server.received) == 1


async def test_close_never_raises_when_the_server_is_gone(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    session = SmtpSession(account(server, monkeypatch), timeout=1)
    await session.connect()
    server.stop()
    await session.close()
    assert not session.connected


# -- one connection, many messages ---------------------------------------------------------------


async def test_many_messages_over_one_connection(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    raws = [make_raw(subject=f"Message {n}") for n in range(10)]
    async with SmtpSession(account(smtp_server, monkeypatch)) as session:
        for raw in raws:
            await send(session, raw=raw)
    assert [m.data for m in smtp_server.wait_for(10)] == raws
    assert smtp_server.connections == 1


async def test_failing_data_started_resets_and_propagates(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()

    async def broken() -> None:
        raise RuntimeError("store is locked")

    async with SmtpSession(account(server, monkeypatch)) as session:
        with pytest.raises(RuntimeError, match="store is locked"):
            await session.send(SHOP, [ALICE], make_raw(), broken)
        assert server.received == []
        assert session.connected
        await send(session)
    assert len(server.received) == 1
    assert server.connections == 1


# -- refusing injection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "evil@example.com>\r\nRCPT TO:<victim@example.com",
        "evil@example.com\nDATA",
        "evil@example.com SIZE=1",
        "<evil@example.com>",
        "evil@example.com\x00",
        "evil@example.com\x85",
        "Evil <evil@example.com>",
        "no-at-sign",
        "",
    ],
)
@pytest.mark.parametrize("role", ["sender", "recipient"])
async def test_injection_is_refused_before_any_traffic(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch, address: str, role: str
) -> None:
    server = smtp_factory()
    session = SmtpSession(account(server, monkeypatch))
    started = Started()
    sender, recipients = (address, [ALICE]) if role == "sender" else (SHOP, [ALICE, address])
    with pytest.raises(SmtpError) as info:
        await session.send(sender, recipients, make_raw(), started)
    assert info.value.kind == "permanent"
    assert str(info.value).startswith(f"invalid address {address!r}")
    assert "\n" not in str(info.value) and "\r" not in str(info.value)
    assert started.calls == 0
    assert server.connections == 0


# -- the fixture server itself ---------------------------------------------------------------------


async def test_server_callback_runs_after_recording_before_the_reply(
    smtp_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_factory()
    seen: list[int] = []
    server.on("data", lambda: seen.append(len(server.received)))
    async with SmtpSession(account(server, monkeypatch)) as session:
        await send(session)
    assert seen == [1]
