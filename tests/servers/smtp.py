"""A real SMTP server for tests: aiosmtpd in its own thread, with faults injected at run time.

Why a real server: the sending adapter must be judged by what arrives on the other side of a
socket (exact bytes, STARTTLS, AUTH, replies after a dropped connection), not by mocks of
aiosmtplib. Recipe and SMTP reply classes: /work/shared/reference/imap-smtp.md section 6.

Usage (pytest fixtures ``smtp_server`` / ``smtp_factory`` in ``tests/servers/fixtures.py``)::

    with SmtpServer(auth={"shop": "smtp-secret"}, starttls=True) as server:
        server.fail("rcpt", 450, "4.2.1 mailbox busy")
        server.refuse("nobody@example.com", 550, "5.1.1 no such user")
        ...  # send with the client under test
        [message] = server.wait_for(1)
        assert message.data == raw

What ``Received.data`` holds: aiosmtpd's ``envelope.original_content``, i.e. the DATA section as
it came over the wire with only the SMTP transparency undone (a leading ``..`` back to ``.``)
and the terminating ``.\\r\\n`` removed. Line endings are kept as sent (CRLF), so a client that
sends a CRLF message ending in CRLF is checked byte for byte.

Faults are set from the test thread while the server thread serves; all shared state sits
behind one lock. Each fault is consumed by the next command of its stage:

- ``fail(stage, code, text, times=1)``: reply ``code text`` instead of accepting. At "data"
  this is the reply to the end of DATA, and the message is not recorded. A 421 reply is
  followed by closing the connection, as a real server does.
- ``refuse(address, code, text)``: refuse that recipient every time (until ``clear_faults()``).
- ``on(stage, callback)``: run ``callback()`` in the server thread every time the stage is
  reached: after MAIL FROM / RCPT TO were accepted but before the reply, and at "data" after
  the message was recorded but before the 250 (e.g. ``os.kill(pid, SIGKILL)`` a client that
  has just handed the message over).
- ``drop_at(stage, times=1)``: close the connection instead of replying (at "data": after the
  message was recorded, so it is delivered but the client never hears so).
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers.certs import Cert, make_cert

HOST = "127.0.0.1"
SERVER_NAME = "smtp.test"
"""The name the server gives in its greeting and EHLO reply."""

Stage = Literal["mail", "rcpt", "data"]
STAGES: tuple[Stage, ...] = ("mail", "rcpt", "data")

_HANG_UP_WAIT_S = 30.0


class SmtpServerError(RuntimeError):
    """The fixture could not be set up (openssl failed, bad option combination)."""


class Received(NamedTuple):
    """One message the server accepted, exactly as it arrived."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    mail_options: tuple[str, ...] = ()
    """MAIL FROM parameters as sent, upper-cased by aiosmtpd, e.g. ``("BODY=8BITMIME",)``."""
    login: str | None = None
    """The AUTH user of the session, or None when the client did not authenticate."""
    tls: bool = False
    """Whether the message came over TLS (STARTTLS or implicit)."""


@dataclass
class _Fail:
    code: int
    text: str
    remaining: int


class _Faults:
    """What the server should do wrong next; guarded by the owner's lock."""

    def __init__(self) -> None:
        self.fails: dict[Stage, list[_Fail]] = {stage: [] for stage in STAGES}
        self.drops: dict[Stage, int] = dict.fromkeys(STAGES, 0)
        self.callbacks: dict[Stage, list[Callable[[], object]]] = {s: [] for s in STAGES}
        self.refused: dict[str, tuple[int, str]] = {}


class _Plan(NamedTuple):
    """The faults taken for one command (consumed under the lock, acted on outside it)."""

    fail: str | None
    drop: bool
    callbacks: tuple[Callable[[], object], ...]


async def _hang_up(server: SMTP) -> None:
    """Close the connection without (another) reply and end this command's handling.

    Closing the transport makes aiosmtpd cancel the task that runs this hook, so the wait below
    ends in CancelledError and nothing more is written.
    """
    if server.transport is not None:
        server.transport.close()
    await asyncio.sleep(_HANG_UP_WAIT_S)
    raise ConnectionResetError("connection closed by the test server")


async def _reply_and_hang_up(server: SMTP, status: str) -> None:
    await server.push(status)
    await _hang_up(server)


class _Handler:
    """aiosmtpd hooks: record what arrives, apply the owner's faults."""

    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_EHLO(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        session.host_name = hostname  # the 5-argument hook must do what aiosmtpd otherwise does
        if not getattr(server, "_agentconsole_counted", False):
            server._agentconsole_counted = True  # type: ignore[attr-defined]
            self.owner._count_connection()
        hidden = self.owner.hide
        if not hidden:
            return responses
        kept = [r for r in responses if r[4:].split(" ")[0].upper() not in hidden]
        # The last line of a multi-line reply has a space after the code, the others a dash.
        return [f"250-{r[4:]}" for r in kept[:-1]] + [f"250 {kept[-1][4:]}"]

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.owner.auth is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        plan = self.owner._plan("mail")
        if plan.drop:
            await _hang_up(server)
        if plan.fail is not None:
            return await self._refuse(server, plan.fail)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        _run(plan.callbacks)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        plan = self.owner._plan("rcpt", address)
        if plan.drop:
            await _hang_up(server)
        if plan.fail is not None:
            return await self._refuse(server, plan.fail)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        _run(plan.callbacks)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        plan = self.owner._plan("data")
        if plan.fail is not None:
            return await self._refuse(server, plan.fail)
        assert envelope.mail_from is not None and envelope.original_content is not None
        login = session.auth_data if isinstance(session.auth_data, str) else None
        transport = server.transport
        tls = transport is not None and transport.get_extra_info("sslcontext") is not None
        number = self.owner._record(
            Received(
                envelope.mail_from,
                tuple(envelope.rcpt_tos),
                envelope.original_content,
                tuple(envelope.mail_options),
                login,
                tls,
            )
        )
        _run(plan.callbacks)
        if plan.drop:
            await _hang_up(server)
        return f"250 2.0.0 Ok: queued as T{number}"

    async def _refuse(self, server: SMTP, status: str) -> str:
        if status.startswith("421"):
            await _reply_and_hang_up(server, status)
        return status


def _run(callbacks: Iterable[Callable[[], object]]) -> None:
    for callback in callbacks:
        callback()


class _Controller(Controller):
    """Binds port 0 and learns the real port before aiosmtpd's start-up probe connects."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class SmtpServer:
    """One aiosmtpd server on a free 127.0.0.1 port; a context manager, or start()/stop().

    Options:
    - ``auth``: users -> passwords. AUTH PLAIN and LOGIN are offered (after STARTTLS when
      ``starttls`` is on, at once on plaintext or implicit TLS) and MAIL FROM without a login
      is refused with 530. None: no AUTH offered, anyone may send.
    - ``starttls``: offer STARTTLS with a self-signed cert (``cert_path``; trust it with an
      account's ``tls_ca_file``). ``require_starttls``: refuse mail commands before it.
    - ``implicit_tls``: the whole listener is TLS (like port 465).
    - ``smtputf8``: advertise SMTPUTF8. ``hide``: EHLO keywords to strip from the reply
      (e.g. ``{"STARTTLS"}`` to play a downgrading middlebox, ``{"8BITMIME"}``).
    - ``cert``: reuse a certificate (the fixtures make one per session); otherwise one is
      made in a temporary directory when TLS is needed.
    """

    def __init__(
        self,
        *,
        auth: dict[str, str] | None = None,
        starttls: bool = False,
        require_starttls: bool = False,
        implicit_tls: bool = False,
        smtputf8: bool = True,
        hide: Iterable[str] = (),
        cert: Cert | None = None,
    ) -> None:
        if require_starttls and not starttls:
            raise SmtpServerError("require_starttls needs starttls=True")
        if starttls and implicit_tls:
            raise SmtpServerError("choose starttls or implicit_tls, not both")
        self.host = HOST
        self.port = 0
        self.auth = dict(auth) if auth is not None else None
        self.starttls = starttls
        self.require_starttls = require_starttls
        self.implicit_tls = implicit_tls
        self.smtputf8 = smtputf8
        self.hide = frozenset(word.upper() for word in hide)
        self._cert = cert
        self._own_cert_dir: Path | None = None
        self._controller: _Controller | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._received: list[Received] = []
        self._connections = 0
        self._faults = _Faults()

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def tls(self) -> bool:
        return self.starttls or self.implicit_tls

    @property
    def cert_path(self) -> Path:
        """The server's certificate (PEM): what a client must trust. Only with TLS on."""
        if self._cert is None:
            raise SmtpServerError("this server has no TLS certificate (starttls/implicit_tls)")
        return self._cert.cert_path

    def start(self) -> Self:
        """Listen and serve in a thread; returns once the server has greeted a probe."""
        if self._controller is not None:
            raise SmtpServerError("already started")
        try:
            context = self._server_context() if self.tls else None
            kwargs: dict[str, Any] = {
                "server_hostname": SERVER_NAME,
                "enable_SMTPUTF8": self.smtputf8,
                "ready_timeout": 10.0,
            }
            if self.starttls:
                kwargs["tls_context"] = context
                kwargs["require_starttls"] = self.require_starttls
            if self.implicit_tls:
                kwargs["ssl_context"] = context
            if self.auth is not None:
                kwargs["authenticator"] = self._authenticate
                # aiosmtpd advertises AUTH only after STARTTLS unless told otherwise; implicit
                # TLS is invisible to that check, plaintext has no TLS at all.
                kwargs["auth_require_tls"] = self.starttls
            self._controller = _Controller(_Handler(self), hostname=HOST, port=0, **kwargs)
            self._controller.start()
            self.port = self._controller.port
            return self
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop serving, close every connection and free the port (idempotent)."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop(no_assert=True)
        if self._own_cert_dir is not None:
            shutil.rmtree(self._own_cert_dir, ignore_errors=True)
            self._own_cert_dir = None
            self._cert = None

    def _server_context(self) -> ssl.SSLContext:
        if self._cert is None:
            self._own_cert_dir = Path(tempfile.mkdtemp(prefix="smtp-cert-"))
            self._cert = make_cert(self._own_cert_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self._cert.cert_path, self._cert.key_path)
        return context

    def config_fields(self) -> dict[str, object]:
        """The SMTP fields of an ``AccountConfig`` pointing here (add name, email, password)."""
        mode = "implicit" if self.implicit_tls else "starttls" if self.starttls else "none"
        fields: dict[str, object] = {"smtp_host": self.host, "smtp_port": self.port}
        fields["smtp_tls"] = mode
        if self.tls:
            fields["tls_ca_file"] = self.cert_path
        return fields

    # -- what arrived --------------------------------------------------------------------------

    @property
    def received(self) -> list[Received]:
        """A copy of the messages accepted so far, oldest first."""
        with self._lock:
            return list(self._received)

    @property
    def connections(self) -> int:
        """Client sessions so far (connections that sent EHLO; the start-up probe never does)."""
        with self._lock:
            return self._connections

    def wait_for(self, n: int, timeout: float = 5.0) -> list[Received]:
        """Block until at least ``n`` messages were accepted; returns them. TimeoutError else."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._received) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"SMTP test server received {len(self._received)} of {n} messages "
                        f"within {timeout:g} s"
                    )
                self._changed.wait(left)
            return list(self._received)

    # -- faults --------------------------------------------------------------------------------

    def fail(self, stage: Stage, code: int, text: str, times: int = 1) -> None:
        """Answer the next ``times`` commands of ``stage`` with ``code text``."""
        _check_stage(stage)
        with self._lock:
            self._faults.fails[stage].append(_Fail(code, text, times))

    def refuse(self, address: str, code: int, text: str) -> None:
        """Refuse RCPT TO this address (case-insensitive) with ``code text``, every time."""
        with self._lock:
            self._faults.refused[address.lower()] = (code, text)

    def on(self, stage: Stage, callback: Callable[[], object]) -> None:
        """Run ``callback()`` in the server thread each time ``stage`` is reached (see module)."""
        _check_stage(stage)
        with self._lock:
            self._faults.callbacks[stage].append(callback)

    def drop_at(self, stage: Stage, times: int = 1) -> None:
        """Close the connection instead of replying, the next ``times`` times ``stage`` comes."""
        _check_stage(stage)
        with self._lock:
            self._faults.drops[stage] += times

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = _Faults()

    # -- called from the server thread ---------------------------------------------------------

    def _plan(self, stage: Stage, address: str | None = None) -> _Plan:
        with self._lock:
            faults = self._faults
            drop = faults.drops[stage] > 0
            if drop:
                faults.drops[stage] -= 1
            fail: str | None = None
            refused = faults.refused.get(address.lower()) if address is not None else None
            if refused is not None:
                fail = f"{refused[0]} {refused[1]}"
            elif faults.fails[stage]:
                first = faults.fails[stage][0]
                fail = f"{first.code} {first.text}"
                first.remaining -= 1
                if first.remaining <= 0:
                    faults.fails[stage].pop(0)
            return _Plan(fail, drop, tuple(faults.callbacks[stage]))

    def _record(self, message: Received) -> int:
        with self._changed:
            self._received.append(message)
            self._changed.notify_all()
            return len(self._received)

    def _count_connection(self) -> None:
        with self._lock:
            self._connections += 1

    def _authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: object,
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.auth is not None:
            login = auth_data.login.decode("utf-8", "replace")
            if self.auth.get(login) == auth_data.password.decode("utf-8", "replace"):
                return AuthResult(success=True, auth_data=login)
        return AuthResult(success=False, handled=False)


def _check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}, not {stage!r}")
