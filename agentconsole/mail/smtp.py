"""Sending mail over SMTP (aiosmtplib), shaped for the durable outbox.

Why it looks like this (``../shared/reference/imap-smtp.md`` §6):

- **Frozen bytes.** The outbox serialises a message once (policy SMTP, CRLF) and files those
  same bytes in Sent, so this module never hands aiosmtplib an ``EmailMessage``
  (``send_message`` re-serialises it). It drives MAIL / RCPT / DATA itself and sends ``raw``
  as given; aiosmtplib only adds the SMTP dot-stuffing and the terminating ``.``.
- **data_started.** Once the envelope is accepted and before DATA goes out, ``send`` awaits the
  caller's ``data_started()`` so the outbox can commit that fact. From then on a lost
  connection or a read timeout means the message *may* have been delivered: kind ``unknown``,
  never an automatic resend.
- **Classification by RFC 5321 reply class.** Every failure is one ``SmtpError`` whose ``kind``
  says what the outbox should do: ``transient`` (4xx, 421, network trouble before DATA: retry
  later), ``permanent`` (5xx: show the agent), ``unknown`` (see above), ``auth`` (530/535:
  ask for credentials), ``config`` (TLS not offered or not trusted, no password: fix the
  settings). ``str()`` is one line with the server's own words; never the password.
- **TLS is never optional once asked for.** ``smtp_tls = "starttls"`` refuses to talk in
  plaintext when the server (or a middlebox stripping the advertisement) offers no STARTTLS;
  aiosmtplib's default ``start_tls=None`` would silently carry on without it.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import ssl
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal, NoReturn, Self, TypeVar

import aiosmtplib
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPDataError,
    SMTPException,
    SMTPRecipientRefused,
    SMTPResponseException,
    SMTPSenderRefused,
    SMTPServerDisconnected,
    SMTPTimeoutError,
)

from agentconsole.config import AccountConfig, ConfigError
from agentconsole.mail.tls import ssl_context_for

_E = TypeVar("_E", bound=BaseException)

__all__ = ["SendReport", "SmtpError", "SmtpErrorKind", "SmtpSession", "smtp_host", "smtp_port"]

SmtpErrorKind = Literal["transient", "permanent", "unknown", "auth", "config"]

DEFAULT_PORTS = {"implicit": 465, "starttls": 587, "none": 25}
SLOW_UPLINK_BYTES_PER_S = 32 * 1024
"""The reply to the end of DATA may come only after the whole message went out: its wait grows
by one second per this many bytes, so a large attachment on a slow line is not taken for a
lost connection (which would make the message "unknown")."""
QUIT_TIMEOUT_S = 5.0
MAX_WORDS = 400
"""Longest server text kept in an error line."""


class SmtpError(Exception):
    """One failure, classified. str() is one clear line for the agent, with the server's own words.

    ``code`` is the SMTP reply code when the server gave one, None for network, TLS and
    configuration problems. ``refused`` lists every refused recipient (``address -> "550 5.1.1 ..."``) when the error is
    that no recipient was accepted.
    """

    def __init__(
        self,
        kind: SmtpErrorKind,
        message: str,
        code: int | None = None,
        *,
        refused: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: SmtpErrorKind = kind
        self.message = message
        self.code = code
        self.refused: dict[str, str] = dict(refused or {})

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"SmtpError({self.kind!r}, {self.message!r}, code={self.code!r})"


@dataclass(frozen=True)
class SendReport:
    """The server took the message for every recipient in ``accepted``."""

    accepted: tuple[str, ...]
    refused: dict[str, str] = field(default_factory=dict)
    """Recipients the server refused while taking the message for others (partial refusal):
    ``address -> "550 5.1.1 <server's words>"``. Never resend to ``accepted``."""
    reply: str = ""
    """The server's reply to the end of DATA, e.g. ``"250 2.0.0 Ok: queued as 4F2A"``."""


def smtp_host(account: AccountConfig) -> str:
    """The SMTP server: ``smtp_host``, or the IMAP host when not set."""
    return account.smtp_host or account.imap_host


def smtp_port(account: AccountConfig) -> int:
    """``smtp_port``, or 465 for implicit TLS, 587 for STARTTLS, 25 without TLS."""
    return account.smtp_port or DEFAULT_PORTS[account.smtp_tls]


class SmtpSession:
    """One connection to an account's SMTP server, reused for many messages.

    ``send`` connects first when there is no connection, and reconnects once when a connection
    that already carried a message turns out to have been closed by the server while idle
    (nothing of the new message was sent then). Messages on one session go one at a time.
    """

    def __init__(
        self,
        account: AccountConfig,
        *,
        timeout: float = 30.0,
        local_hostname: str | None = None,
    ) -> None:
        """``timeout`` bounds each wait for the server (connect, TLS handshake, every reply);
        ``local_hostname`` is the EHLO name (default: this machine's FQDN)."""
        self.account = account
        self.host = smtp_host(account)
        self.port = smtp_port(account)
        self.timeout = timeout
        self.local_hostname = local_hostname
        self._client: aiosmtplib.SMTP | None = None
        self._password: str | None = None
        self._used = False
        self._lock = asyncio.Lock()

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while the connection is open as far as this side knows."""
        return self._client is not None and self._client.is_connected

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        """Connect, TLS (implicit or required STARTTLS), EHLO, AUTH when offered.

        Raises ``SmtpError``; afterwards ``connected`` is False. No-op when connected.
        """
        if self.connected:
            return
        self._drop()
        mode = self.account.smtp_tls
        context = self._tls_context() if mode != "none" else None
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            local_hostname=self.local_hostname,
            timeout=self.timeout,
            use_tls=mode == "implicit",
            start_tls=False,  # STARTTLS is done below, and only ever on purpose
            tls_context=context,
        )
        self._client = client
        self._used = False
        try:
            await client.connect()
            if mode == "starttls":
                await _greet(client)
                if not client.supports_extension("starttls"):
                    raise SmtpError(
                        "config",
                        f"{self.host}:{self.port} does not offer STARTTLS; "
                        "refusing to send without TLS",
                    )
                await client.starttls()
            await _greet(client)  # after STARTTLS everything learnt before is void (RFC 3207)
            if client.supports_extension("auth"):
                await self._login(client)
        except (SmtpError, asyncio.CancelledError):
            self._drop()
            raise
        except Exception as exc:
            self._drop()
            self._raise_connect_error(exc)

    async def close(self) -> None:
        """Say QUIT and close; never raises."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            if client.is_connected:
                await client.quit(timeout=min(self.timeout, QUIT_TIMEOUT_S))
        except Exception:
            pass  # closing anyway; the server may already be gone
        finally:
            client.close()

    def _drop(self) -> None:
        """Forget the connection without a word to the server (it is broken or unusable)."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _tls_context(self) -> ssl.SSLContext:
        try:
            return ssl_context_for(self.account)
        except (OSError, ssl.SSLError) as exc:
            raise SmtpError(
                "config",
                f"cannot load tls_ca_file {self.account.tls_ca_file} of account "
                f"{self.account.name}: {getattr(exc, 'strerror', None) or exc}",
            ) from None

    async def _login(self, client: aiosmtplib.SMTP) -> None:
        username = self.account.username or self.account.email
        if self._password is None:
            try:
                self._password = await asyncio.to_thread(
                    self.account.resolve, f"account {self.account.name}"
                )
            except ConfigError as exc:
                raise SmtpError("config", "; ".join(exc.problems)) from None
        try:
            await client.login(username, self._password)
        except SMTPAuthenticationError as exc:
            words = _words(exc.code, exc.message)
            if 400 <= exc.code < 500:  # 454 4.7.0 temporary authentication failure
                raise SmtpError(
                    "transient",
                    f"{self.host} could not check the login of account {self.account.name} "
                    f"now ({words})",
                    exc.code,
                ) from None
            if exc.code == 538:  # encryption required for this mechanism
                raise SmtpError(
                    "config",
                    f"{self.host} wants TLS before login for account {self.account.name} "
                    f"({words}); set smtp_tls",
                    exc.code,
                ) from None
            self._password = None  # a fixed password is fetched again on the next attempt
            raise SmtpError(
                "auth",
                f"authentication failed for account {self.account.name} as {username} ({words})",
                exc.code,
            ) from None
        except SMTPResponseException:
            raise
        except SMTPException as exc:
            if not client.is_connected:
                raise
            offered = " ".join(client.server_auth_methods).upper() or "none"
            raise SmtpError(
                "config",
                f"{self.host} offers no login method this client supports "
                f"(offered: {offered}; {exc.message})",
            ) from None

    def _raise_connect_error(self, exc: BaseException) -> NoReturn:
        """Turn an error raised while connecting into a classified SmtpError."""
        where = f"{self.host}:{self.port}"
        cert_error = _find_cause(exc, ssl.SSLCertVerificationError)
        if cert_error is not None:
            reason = cert_error.verify_message or cert_error.reason or str(cert_error)
            raise SmtpError(
                "config", f"TLS certificate of {self.host} not accepted: {reason}"
            ) from None
        tls_error = _find_cause(exc, ssl.SSLError)
        if tls_error is not None:
            raise SmtpError(
                "config",
                f"TLS with {where} failed: {tls_error.reason or tls_error} "
                f"(check smtp_tls and smtp_port of account {self.account.name})",
            ) from None
        if isinstance(exc, aiosmtplib.SMTPConnectTimeoutError):
            raise SmtpError(
                "transient", f"cannot reach {where}: no answer within {self.timeout:g} s"
            ) from None
        if isinstance(exc, SMTPResponseException) and exc.code > 0:
            # The greeting (421 too busy, 554 no service), EHLO or STARTTLS refused.
            kind = _kind_for(exc.code, otherwise="transient")
            raise SmtpError(
                kind, f"{where} refused the session: {_words(exc.code, exc.message)}", exc.code
            ) from None
        if isinstance(exc, aiosmtplib.SMTPConnectError):
            cause = exc.__cause__
            reason = _os_reason(cause) if isinstance(cause, OSError) else exc.message
            raise SmtpError("transient", f"cannot reach {where}: {reason}") from None
        if isinstance(exc, SMTPTimeoutError):
            raise SmtpError(
                "transient", f"{where} did not answer within {self.timeout:g} s"
            ) from None
        if isinstance(exc, SMTPServerDisconnected | ConnectionError):
            raise SmtpError(
                "transient", f"the connection to {where} dropped while setting up"
            ) from None
        if isinstance(exc, OSError):
            raise SmtpError("transient", f"cannot reach {where}: {_os_reason(exc)}") from None
        if isinstance(exc, ValueError):
            raise SmtpError("config", f"cannot connect to {where}: {exc}") from None
        if isinstance(exc, SMTPException):
            raise SmtpError("transient", f"{where}: {_clean(exc.message)}") from None
        raise exc

    # -- sending -------------------------------------------------------------------------------

    async def send(
        self,
        sender: str,
        recipients: Sequence[str],
        raw: bytes,
        data_started: Callable[[], Awaitable[None]],
    ) -> SendReport:
        """Send ``raw`` (CRLF, exactly these bytes) from ``sender`` to ``recipients``.

        ``data_started`` is awaited after MAIL FROM and every RCPT TO were answered (at least
        one accepted) and before DATA: from then on a lost connection raises kind "unknown".
        Returns who got it; raises ``SmtpError`` otherwise (see the module docstring). If
        ``data_started`` itself raises, the transaction is reset and that error propagates.
        """
        if isinstance(recipients, str):
            raise TypeError("recipients must be a sequence of addresses, not one string")
        _check_address(sender)
        for recipient in recipients:
            _check_address(recipient)
        if not recipients:
            raise SmtpError("permanent", "no recipients given")
        async with self._lock:
            if not self.connected:
                await self.connect()
            try:
                return await self._transaction(sender, recipients, raw, data_started)
            except _StaleConnection:
                # The server closed a connection we had kept open; nothing was sent.
                await self.connect()
                try:
                    return await self._transaction(sender, recipients, raw, data_started)
                except _StaleConnection as stale:
                    raise stale.error from None

    async def _transaction(
        self,
        sender: str,
        recipients: Sequence[str],
        raw: bytes,
        data_started: Callable[[], Awaitable[None]],
    ) -> SendReport:
        client = self._client
        assert client is not None
        try:
            accepted, refused = await self._envelope(client, sender, recipients, raw)
        except BaseException as exc:
            raise await self._failure(exc, handed_over=False) from None
        try:
            await data_started()
        except BaseException:
            await self._reset()
            raise
        if not client.is_connected:  # lost before DATA went out: nothing was sent
            raise await self._failure(SMTPServerDisconnected("lost"), handed_over=False)
        try:
            response = await client.data(raw, timeout=self._data_timeout(len(raw)))
        except SMTPDataError as exc:
            error = self._refusal(exc.code, f"{self.host} did not take the message", exc.message)
            raise await self._failure(error, handed_over=True) from None
        except BaseException as exc:
            raise await self._failure(exc, handed_over=True) from None
        self._used = True
        return SendReport(
            accepted=accepted, refused=refused, reply=_words(response.code, response.message)
        )

    async def _envelope(
        self, client: aiosmtplib.SMTP, sender: str, recipients: Sequence[str], raw: bytes
    ) -> tuple[tuple[str, ...], dict[str, str]]:
        """MAIL FROM and RCPT TO; returns (accepted, refused) with at least one accepted."""
        options, encoding = self._mail_options(client, sender, recipients, raw)
        try:
            await client.mail(sender, options=options, encoding=encoding)
        except SMTPSenderRefused as exc:
            raise self._refusal(
                exc.code, f"{self.host} refused sender {sender}", exc.message
            ) from None
        except (SMTPServerDisconnected, ConnectionError) as exc:
            error = self._lost(handed_over=False)
            if self._used:
                raise _StaleConnection(error) from exc
            raise error from None
        accepted: list[str] = []
        refused: dict[str, str] = {}
        for recipient in recipients:
            try:
                await client.rcpt(recipient, encoding=encoding)
            except SMTPRecipientRefused as exc:
                refused[recipient] = _words(exc.code, exc.message)
                if exc.code == 421:  # the server is closing the connection
                    raise self._refusal(
                        exc.code, f"{self.host} refused recipient {recipient}", exc.message
                    ) from None
            else:
                accepted.append(recipient)
        if not accepted:
            raise _all_refused(self.host, refused)
        return tuple(accepted), refused

    async def _failure(self, exc: BaseException, *, handed_over: bool) -> BaseException:
        """Classify a failed transaction; leave the connection reset for reuse, or dropped."""
        if isinstance(exc, SmtpError | _StaleConnection):
            kind = exc.error.kind if isinstance(exc, _StaleConnection) else exc.kind
            if kind != "unknown" and self.connected:
                await self._reset()
            return exc
        if isinstance(exc, SMTPServerDisconnected | SMTPTimeoutError | ConnectionError):
            return self._lost(handed_over=handed_over, timed_out=isinstance(exc, TimeoutError))
        if isinstance(exc, ValueError):  # aiosmtplib's own address guard; ours comes first
            await self._reset()
            return SmtpError("permanent", f"invalid address: {exc}")
        if isinstance(exc, SMTPResponseException):
            # A reply that makes no sense here (malformed, over-long): the state is unknown.
            self._drop()
            kind_: SmtpErrorKind = "unknown" if handed_over else "transient"
            return SmtpError(
                kind_, f"{self.host} answered unexpectedly: {_words(exc.code, exc.message)}"
            )
        # Cancelled (or a bug) mid-transaction: the connection's state is not known.
        self._drop()
        return exc

    def _mail_options(
        self, client: aiosmtplib.SMTP, sender: str, recipients: Sequence[str], raw: bytes
    ) -> tuple[list[str], str]:
        """MAIL FROM parameters and the encoding of the addresses on the command line."""
        options: list[str] = []
        if client.supports_extension("size"):
            options.append(f"SIZE={len(raw)}")
        eight_bit = not raw.isascii()
        if eight_bit and client.supports_extension("8bitmime"):
            options.append("BODY=8BITMIME")
        non_ascii = [a for a in (sender, *recipients) if not a.isascii()]
        if non_ascii:
            if not client.supports_extension("smtputf8"):
                raise SmtpError(
                    "permanent",
                    f"{self.host} does not support SMTPUTF8, so it cannot take the non-ASCII "
                    f"address {non_ascii[0]}",
                )
            options.append("SMTPUTF8")
            return options, "utf-8"
        head = raw.split(b"\r\n\r\n", 1)[0]
        if not head.isascii() and client.supports_extension("smtputf8"):
            options.append("SMTPUTF8")  # UTF-8 header fields (RFC 6532) travel under SMTPUTF8
        return options, "ascii"

    def _data_timeout(self, size: int) -> float:
        return self.timeout + size / SLOW_UPLINK_BYTES_PER_S

    def _refusal(self, code: int, what: str, message: str) -> SmtpError:
        """A 4xx/5xx reply to MAIL, RCPT or DATA; 421 also means the server hung up."""
        if code == 421:
            self._drop()
        words = _words(code, message)
        if code == 530 and "TLS" in message.upper():  # RFC 3207: "Must issue STARTTLS first"
            return SmtpError(
                "config", f"{what}: {self.host} requires TLS ({words}); set smtp_tls", code
            )
        if code in (530, 535):
            return SmtpError(
                "auth",
                f"{what}: authentication required for account {self.account.name} ({words})",
                code,
            )
        return SmtpError(_kind_for(code, otherwise="transient"), f"{what}: {words}", code)

    def _lost(self, *, handed_over: bool, timed_out: bool = False) -> SmtpError:
        self._drop()
        if handed_over:
            return SmtpError(
                "unknown",
                f"the connection to {self.host} dropped after the message was handed over; "
                "it may have been sent",
            )
        how = f"did not answer within {self.timeout:g} s" if timed_out else "dropped"
        return SmtpError(
            "transient",
            f"the connection to {self.host}:{self.port} {how} before the message was sent",
        )

    async def _reset(self) -> None:
        """RSET after a failed transaction so the connection can carry the next message."""
        client = self._client
        if client is None or not client.is_connected:
            self._drop()
            return
        try:
            await client.rset(timeout=min(self.timeout, QUIT_TIMEOUT_S))
        except Exception:
            self._drop()


class _StaleConnection(Exception):
    """MAIL FROM found a kept-open connection closed: reconnect and try once more."""

    def __init__(self, error: SmtpError) -> None:
        super().__init__(str(error))
        self.error = error


async def _greet(client: aiosmtplib.SMTP) -> None:
    """EHLO, falling back to HELO for a server that knows no ESMTP."""
    try:
        await client.ehlo()
    except aiosmtplib.SMTPHeloError:
        if not client.is_connected:
            raise
        await client.helo()


def _all_refused(host: str, refused: dict[str, str]) -> SmtpError:
    codes = [int(words[:3]) if words[:3].isdigit() else 0 for words in refused.values()]
    kind: SmtpErrorKind = "transient" if all(400 <= c < 500 for c in codes) else "permanent"
    listed = "; ".join(f"{address} ({words})" for address, words in refused.items())
    if len(refused) == 1:
        message = f"{host} refused the recipient {listed}"
    else:
        message = f"{host} refused every recipient: {listed}"
    return SmtpError(kind, message, codes[0] or None, refused=refused)


def _kind_for(code: int, *, otherwise: SmtpErrorKind) -> SmtpErrorKind:
    """RFC 5321 §4.2.1: 4yz transient, 5yz permanent; anything else is left to the caller."""
    if 400 <= code < 500:
        return "transient"
    if 500 <= code < 600:
        return "permanent"
    return otherwise


def _check_address(address: str) -> None:
    """Refuse what could inject commands or parameters before any traffic (RFC 5321 paths)."""
    problem = None
    if not isinstance(address, str) or not address:
        problem = "it is empty"
    elif any(ch in ' <>"' or not ch.isprintable() for ch in address):
        problem = "it contains a space, quote, angle bracket or control character"
    elif not all(address.rpartition("@")):
        problem = "it is not of the form name@domain"
    elif email.utils.parseaddr(address)[1] != address:
        problem = "it is not a plain mailbox"
    if problem is not None:
        raise SmtpError("permanent", f"invalid address {address!r}: {problem}")


def _words(code: int, message: str) -> str:
    """The server's reply as one clean line: ``"550 5.1.1 <text>"``."""
    text = _clean(message)
    return f"{code} {text}" if text else str(code)


def _clean(text: str) -> str:
    """Untrusted server text on one line: no control characters, bounded length."""
    kept = []
    for ch in text:
        if ch in "\r\n\t":
            kept.append(" ")
        elif ch.isprintable():
            kept.append(ch)
        else:
            kept.append("\ufffd")
    line = " ".join("".join(kept).split())
    return line if len(line) <= MAX_WORDS else line[: MAX_WORDS - 1] + "…"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return f"host name not found ({exc.strerror or exc})"
    return exc.strerror or str(exc)


def _find_cause(exc: BaseException, kind: type[_E]) -> _E | None:
    """The first exception of ``kind`` in ``exc``'s chain of causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
