"""A small asyncio IMAP client for the sync engine: framing, commands, IDLE, timeouts.

Why not aioimaplib (the design card's client): version 2.0.3 fails the sync's needs in ways
measured against Dovecot 2.3 on this project's 2-core reference machine
(``../shared/reference/imap-smtp.md`` §5, §8.1):

- a RecursionError on any response over ~900 lines, so one ``UID FETCH 1:* (FLAGS)`` of a
  20,000-message folder hangs until the timeout; with batches it is 5-10x slower than stdlib
  ``imaplib`` (headers of 20k: 2.7 s at 250/batch; bodies: 3.9 s at 100/batch), against 0.17 s
  and 1.3 s for a plain ``asyncio`` streams reader;
- VANISHED responses are dropped (QRESYNC deletions would be lost), commands are left hanging
  when the connection drops, and there is no STARTTLS (the config offers ``starttls``).

The issue allows replacing the FETCH parser with ``imapclient``'s maintained one rather than
writing a parser; this module keeps only the *framing* (lines and ``{n}`` literals, which is
what that parser consumes) and command bookkeeping. Every FETCH / LIST / STATUS / SEARCH body
is parsed by ``imapclient.response_parser``.

Measured here (2-core box, Dovecot 2.3.19 on loopback, 4.6 KB messages): reading is in
256 KB chunks framed with ``bytes.find`` (a few µs a message; line-by-line ``readuntil`` with a
timeout per line cost ~60 µs), and a bulk body FETCH comes back as one block of bytes
(``command_raw``) that the parsing worker splits: 20,000 bodies (93 MB) arrive in ~1 s. The
same bodies cost aioimaplib 3.9 s before any parsing. A 20,000-message initial sync takes
4.0-4.5 s end to end on this (noisy) box, bound by the CPU that SQLite writes, MIME parsing
and full-text indexing share, not by this client (``bench/sync.py``).

Robustness rules kept here, so the engine above can rely on them:
- every read has an inactivity timeout (a stalled server raises ``ImapTimeout``, never hangs);
- a dropped connection fails the running command at once (``ImapDisconnected``);
- command arguments are quoted or sent as literals by this module; CR, LF and NUL never reach
  the wire from a caller's string;
- ``NO [AUTHENTICATIONFAILED]`` raises ``ImapAuthError`` so the engine stops instead of looping.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from imapclient import imap_utf7
from imapclient.response_parser import parse_fetch_response, parse_response

TlsMode = Literal["implicit", "starttls", "none"]

READ_LIMIT = 64 * 1024 * 1024
"""Longest response line (outside literals) accepted from a server."""
MAX_LITERAL = 1024 * 1024 * 1024
READ_CHUNK = 256 * 1024
_LITERAL_TAIL = re.compile(rb"\{(\d+)\+?\}$")
_TAGGED = re.compile(rb"^(A\d+) (OK|NO|BAD) ?(.*)$", re.S)
_CODE = re.compile(rb"^\[([^\]]*)\]")


class ImapError(Exception):
    """An IMAP problem; ``str()`` is one line a user can read."""


class ImapAuthError(ImapError):
    """Wrong user name or password: retrying will not help."""


class ImapDisconnected(ImapError):
    """The connection is gone."""


class ImapTimeout(ImapDisconnected):
    """The server went quiet for longer than the watchdog allows."""


class ImapNo(ImapError):
    """A command answered NO or BAD."""


Line = bytes | list[bytes | tuple[bytes, bytes]]
"""One response: a line, or — when it carries literals — ``(text up to {n}, literal)`` pairs
followed by the text after the last literal (the shape ``imapclient``'s parser reads)."""


@dataclass
class Untagged:
    """An untagged response: ``* 12 EXISTS`` → name b'EXISTS', number 12, data b''."""

    name: bytes
    number: int | None
    parts: list[bytes | tuple[bytes, bytes]]

    @property
    def text(self) -> bytes:
        first = self.parts[0]
        return first if isinstance(first, bytes) else first[0]


@dataclass
class Response:
    status: str
    text: str
    code: str | None
    untagged: list[Untagged] = field(default_factory=list)

    def named(self, name: bytes) -> list[Untagged]:
        return [u for u in self.untagged if u.name == name]


def quote(value: str | bytes) -> bytes:
    """An IMAP string argument: quoted when safe, a literal marker never (see ``_send``)."""
    raw = value.encode() if isinstance(value, str) else value
    if any(c in raw for c in (b"\r", b"\n", b"\0")):
        raise ValueError("CR, LF and NUL are not allowed in IMAP arguments")
    return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def mailbox_name(name: str) -> bytes:
    """A mailbox name as IMAP wants it: modified UTF-7, quoted."""
    return quote(imap_utf7.encode(name))


def decode_mailbox(raw: bytes | str) -> str:
    return imap_utf7.decode(raw if isinstance(raw, bytes) else raw.encode())


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def internal_date(value: datetime) -> bytes:
    """An aware datetime as IMAP's date-time (English month names whatever the locale)."""
    return (
        f"{value.day:02d}-{_MONTHS[value.month - 1]}-{value.year} {value.strftime('%H:%M:%S %z')}"
    ).encode()


def uid_set(uids: Iterable[int]) -> bytes:
    """``[1, 2, 3, 7, 9, 10]`` → ``1:3,7,9:10`` (compact, so commands stay short)."""
    ordered = sorted(set(uids))
    if not ordered:
        raise ValueError("empty UID set")
    runs: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        runs.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = uid
    runs.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(runs).encode()


class ImapClient:
    """One connection. Not thread-safe; one command at a time (the sync runs them in order)."""

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.capabilities: set[str] = set()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._framer = _Framer()
        self._tag = 0
        self.host = ""

    # -- connection ----------------------------------------------------------------------

    async def connect(
        self,
        host: str,
        port: int,
        tls: TlsMode,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self._framer = _Framer()
        context = ssl_context or ssl.create_default_context()
        try:
            async with asyncio.timeout(self.timeout):
                self._reader, self._writer = await asyncio.open_connection(
                    host,
                    port,
                    ssl=context if tls == "implicit" else None,
                    server_hostname=host if tls == "implicit" else None,
                    limit=READ_LIMIT,
                )
        except ssl.SSLCertVerificationError as exc:
            raise ImapError(
                f"TLS certificate of {host} not accepted: {exc.verify_message}"
            ) from None
        except ssl.SSLError as exc:
            raise ImapError(f"TLS with {host}:{port} failed: {exc.reason or exc}") from None
        except TimeoutError:
            raise ImapDisconnected(f"{host}:{port} did not answer in {self.timeout:g} s") from None
        except OSError as exc:
            raise ImapDisconnected(f"cannot reach {host}:{port}: {exc.strerror or exc}") from None
        greeting = await self._read_response_line()
        text = _first_text(greeting)
        if text.startswith(b"* BYE"):
            raise ImapDisconnected(
                f"{host} refused the connection: {text[6:].decode(errors='replace')}"
            )
        if not text.startswith(b"* OK") and not text.startswith(b"* PREAUTH"):
            raise ImapError(f"{host} is not an IMAP server (greeting {text[:40]!r})")
        self._note_capabilities(text)
        if tls == "starttls":
            await self._starttls(context)
        if not self.capabilities:
            await self.capability()

    async def _starttls(self, context: ssl.SSLContext) -> None:
        if not self.capabilities:
            await self.capability()
        if "STARTTLS" not in self.capabilities:
            raise ImapError(f"{self.host} does not offer STARTTLS; refusing to log in without TLS")
        await self.command(b"STARTTLS")
        assert self._writer is not None
        try:
            async with asyncio.timeout(self.timeout):
                await self._writer.start_tls(context, server_hostname=self.host)
        except ssl.SSLCertVerificationError as exc:
            raise ImapError(
                f"TLS certificate of {self.host} not accepted: {exc.verify_message}"
            ) from None
        self.capabilities = set()
        await self.capability()

    async def login(self, user: str, password: str) -> None:
        try:
            response = await self.command(b"LOGIN", self._astring(user), self._astring(password))
        except ImapNo as exc:
            raise ImapAuthError(f"authentication failed ({exc})") from None
        self._note_capabilities(response.text.encode())
        if response.code and response.code.startswith("CAPABILITY"):
            self.capabilities = set(response.code.split()[1:])
        else:
            await self.capability()

    async def logout(self) -> None:
        if self._writer is None:
            return
        try:
            async with asyncio.timeout(2):
                await self.command(b"LOGOUT")
        except (ImapError, TimeoutError):
            pass
        self.close()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer = None
        self._reader = None

    @property
    def connected(self) -> bool:
        return self._writer is not None and not self._writer.is_closing()

    # -- commands ------------------------------------------------------------------------

    async def capability(self) -> set[str]:
        response = await self.command(b"CAPABILITY")
        for item in response.named(b"CAPABILITY"):
            self.capabilities = set(item.text.decode().split()[2:])
        return self.capabilities

    async def enable(self, *extensions: str) -> set[str]:
        response = await self.command(b"ENABLE", *(e.encode() for e in extensions))
        enabled: set[str] = set()
        for item in response.named(b"ENABLED"):
            enabled.update(item.text.decode().split()[2:])
        return enabled

    async def list_mailboxes(self) -> list[tuple[set[str], str]]:
        """``(flags, name)`` for every mailbox (with SPECIAL-USE flags where offered)."""
        response = await self.command(b"LIST", b'""', b'"*"')
        found: list[tuple[set[str], str]] = []
        for item in response.named(b"LIST"):
            parsed = parse_response([_after_name(item)])
            flags, _delim, name = parsed[0], parsed[1], parsed[2]
            found.append(
                (
                    {f.decode() if isinstance(f, bytes) else str(f) for f in flags},  # type: ignore[union-attr]
                    decode_mailbox(name if isinstance(name, bytes) else str(name).encode()),
                )
            )
        return found

    async def select(self, mailbox: str, params: bytes | None = None) -> Response:
        parts = [mailbox_name(mailbox)]
        if params:
            parts.append(params)
        return await self.command(b"SELECT", *parts)

    async def uid_fetch(
        self, uids: bytes, items: bytes, modifiers: bytes | None = None
    ) -> tuple[dict[int, dict[bytes, Any]], list[int], Response]:
        """``UID FETCH``: parsed items by UID, UIDs reported VANISHED, and the response."""
        parts = [b"FETCH", uids, items]
        if modifiers:
            parts.append(modifiers)
        response = await self.command(b"UID", *parts)
        return self.fetched(response), vanished(response), response

    async def uid_sizes(self, uids: bytes) -> dict[int, int]:
        """``UID FETCH uids (UID RFC822.SIZE)``: each message's size by UID.

        Read as one block and matched with one pattern: 20,000 plain ``* n FETCH (UID u
        RFC822.SIZE s)`` lines take ~15 ms this way and ~0.3 s through the general parser,
        which the first sync of a big folder waited for before fetching anything. Any other
        response in the block (mail arriving meanwhile, another item order) sends the whole
        block through ``imapclient``'s parser instead.
        """
        block, _ = await self.command_raw(b"UID", b"FETCH", uids, b"(UID RFC822.SIZE)")
        sizes = _plain_sizes(block)
        if sizes is not None:
            return sizes
        parsed = parse_fetch_response(
            fetch_lines_of(split_responses(block)), normalise_times=False, uid_is_key=True
        )
        return {
            uid: int(data.get(b"RFC822.SIZE") or 0)
            for uid, data in parsed.items()
            if isinstance(uid, int)
        }

    @staticmethod
    def fetched(response: Response) -> dict[int, dict[bytes, Any]]:
        lines = fetch_lines(response)
        if not lines:
            return {}
        parsed = parse_fetch_response(lines, normalise_times=False, uid_is_key=True)
        return {uid: data for uid, data in parsed.items() if isinstance(uid, int)}

    async def uid_search(self, criteria: bytes) -> list[int]:
        response = await self.command(b"UID", b"SEARCH", criteria)
        uids: list[int] = []
        for item in response.named(b"SEARCH"):
            uids.extend(int(x) for x in item.text.split()[2:] if x.isdigit())
        return uids

    async def append(
        self, mailbox: str, raw: bytes, flags: Sequence[str] = (), date: datetime | None = None
    ) -> int | None:
        """``APPEND`` the exact bytes; the new message's UID when the server says (UIDPLUS)."""
        parts: list[bytes | tuple[bytes, bytes]] = [mailbox_name(mailbox)]
        if flags:
            parts.append(b"(" + b" ".join(f.encode() for f in flags) + b")")
        if date is not None:
            parts.append(b'"' + internal_date(date) + b'"')
        parts.append((b"{%d}" % len(raw), raw))
        response = await self.command(b"APPEND", *parts)
        if response.code and response.code.upper().startswith("APPENDUID"):
            fields = response.code.split()
            if len(fields) == 3 and fields[2].isdigit():
                return int(fields[2])
        return None

    async def uid_store(self, uids: bytes, action: bytes, flags: Sequence[str]) -> Response:
        flag_list = b"(" + b" ".join(f.encode() for f in flags) + b")"
        return await self.command(b"UID", b"STORE", uids, action, flag_list)

    async def noop(self) -> Response:
        return await self.command(b"NOOP")

    # -- IDLE ----------------------------------------------------------------------------

    async def idle(
        self, max_seconds: float, keepalive: float, wake: asyncio.Event | None = None
    ) -> list[Untagged]:
        """IDLE until the server reports a change, ``wake`` is set or ``max_seconds`` pass.

        ``keepalive``: silence longer than this (the server's "still here" interval plus a
        margin) means a dead connection, raised as ``ImapTimeout``. A pending read is never
        cancelled (that could split a response): DONE is sent and the read completes.
        """
        tag = self._next_tag()
        await self._write(tag + b" IDLE\r\n")
        first = await self._read_response_line()
        if not (isinstance(first, bytes) and first.startswith(b"+")):
            raise ImapError(f"IDLE refused: {_line_text(first)}")
        pushed: list[Untagged] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_seconds
        done_sent = False
        read: asyncio.Task[Line] | None = None
        waker = asyncio.ensure_future(wake.wait()) if wake is not None else None
        try:
            while True:
                if read is None:
                    read = asyncio.ensure_future(self._read_response_line(quiet_limit=keepalive))
                waiting: set[asyncio.Future[Any]] = {read}
                if waker is not None and not done_sent:
                    waiting.add(waker)
                timeout = None if done_sent else max(deadline - loop.time(), 0)
                finished, _ = await asyncio.wait(
                    waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                )
                if read in finished:
                    line = read.result()  # raises ImapTimeout after `keepalive` of silence
                    read = None
                    text = _first_text(line)
                    if text.startswith(tag + b" "):
                        return pushed
                    item = _untagged(line)
                    if item and item.name in (b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED"):
                        pushed.append(item)
                    elif item and item.name == b"BYE":
                        self.close()
                        raise ImapDisconnected(f"{self.host} closed the connection")
                if not done_sent and (pushed or not finished or (waker and waker.done())):
                    await self._write(b"DONE\r\n")
                    done_sent = True
        finally:
            if waker is not None:
                waker.cancel()
            if read is not None and not read.done():
                read.cancel()

    # -- plumbing ------------------------------------------------------------------------

    def _astring(self, value: str) -> bytes | tuple[bytes, bytes]:
        raw = value.encode()
        if raw.isascii() and not any(c in raw for c in (b"\r", b"\n", b"\0")):
            return quote(raw)
        if b"\0" in raw:
            raise ValueError("NUL is not allowed in IMAP arguments")
        return (b"{%d}" % len(raw), raw)  # a literal: any byte but NUL is fine

    def _next_tag(self) -> bytes:
        self._tag += 1
        return b"A%d" % self._tag

    async def command(self, *parts: bytes | tuple[bytes, bytes]) -> Response:
        """Send one command; collect untagged responses until its tagged reply."""
        tag = self._next_tag()
        chunks: list[bytes] = [tag]
        for part in parts:
            if isinstance(part, tuple):
                marker, literal = part
                await self._write(b" ".join(chunks) + b" " + marker + b"\r\n")
                cont = await self._read_response_line()
                if not (isinstance(cont, bytes) and cont.startswith(b"+")):
                    raise ImapNo(_line_text(cont))
                chunks = [literal]
            else:
                chunks.append(part)
        await self._write(b" ".join(chunks) + b"\r\n")
        return await self._collect(tag, check=True)

    async def _collect(self, tag: bytes, check: bool = False) -> Response:
        untagged: list[Untagged] = []
        while True:
            line = await self._read_response_line()
            reply = self._tagged(tag, line, check)
            if reply is not None:
                reply.untagged = untagged
                return reply
            item = _untagged(line)
            if item is not None:
                if item.name == b"BYE":
                    self.close()
                    raise ImapDisconnected(f"{self.host} closed the connection: {_line_text(line)}")
                untagged.append(item)

    @staticmethod
    def _tagged(tag: bytes, line: Line, check: bool) -> Response | None:
        """The command's final reply, or None when ``line`` is not it."""
        text = _first_text(line)
        if not text.startswith(tag + b" "):
            return None
        match = _TAGGED.match(text.rstrip(b"\r\n"))
        if not match:
            raise ImapError(f"unreadable reply: {text[:80]!r}")
        status = match.group(2).decode()
        rest = match.group(3)
        code_match = _CODE.match(rest)
        code = code_match.group(1).decode(errors="replace") if code_match else None
        response = Response(status, rest.decode(errors="replace"), code)
        if check and status != "OK":
            if code and code.startswith("AUTHENTICATIONFAILED"):
                raise ImapAuthError(f"authentication failed ({response.text})")
            raise ImapNo(response.text or status)
        return response

    async def _write(self, data: bytes) -> None:
        if self._writer is None:
            raise ImapDisconnected(f"not connected to {self.host}")
        try:
            self._writer.write(data)
            async with asyncio.timeout(self.timeout):
                await self._writer.drain()
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ImapDisconnected(f"connection to {self.host} lost: {exc}") from None

    async def _read_response_line(self, quiet_limit: float | None = None) -> Line:
        """One whole response: a line, with any literals it announces read in."""
        start, end = await self._next_response(quiet_limit)
        return split_response(self._framer.take(start, end))

    async def _next_response(self, quiet_limit: float | None = None) -> tuple[int, int]:
        """Where the next whole response lies in the framer's buffer (reading until it is in).

        Reading is in big chunks and framing is ``bytes.find`` over the buffer, so a bulk FETCH
        costs a few microseconds per message here; the watchdog covers every chunk read.
        """
        if self._reader is None:
            raise ImapDisconnected(f"not connected to {self.host}")
        limit = self.timeout if quiet_limit is None else quiet_limit
        framer = self._framer
        while True:
            try:
                found = framer.next()
            except ValueError as exc:
                self.close()
                raise ImapError(f"{self.host}: {exc}") from None
            if found is not None:
                return found
            await self._fill(limit)

    async def _fill(self, limit: float) -> None:
        reader = self._reader
        if reader is None:
            raise ImapDisconnected(f"not connected to {self.host}")
        try:
            async with asyncio.timeout(max(limit, 1.0)):
                data = await reader.read(READ_CHUNK)
        except TimeoutError:
            self.close()
            raise ImapTimeout(f"{self.host} stopped answering (no data for {limit:g} s)") from None
        except (ConnectionError, OSError) as exc:
            self.close()
            raise ImapDisconnected(f"connection to {self.host} lost: {exc}") from None
        if not data:
            self.close()
            raise ImapDisconnected(f"connection to {self.host} lost in the middle of a response")
        self._framer.feed(data)

    async def command_raw(self, *parts: bytes) -> tuple[bytes, Response]:
        """Send one command; its untagged responses as one block of raw bytes (for a worker
        process to split with ``split_responses``), and the tagged reply.

        For bulk FETCHes: the bytes are framed here (to find the end) but not copied per
        message or parsed. A ``* BYE`` inside is left to the reader of the block: the
        connection drops right after it, which fails this call anyway.
        """
        tag = self._next_tag()
        await self._write(tag + b" " + b" ".join(parts) + b"\r\n")
        framer = self._framer
        begin: int | None = None
        framer.hold = True  # `begin` must stay valid while the block arrives
        try:
            while True:
                start, end = await self._next_response()
                if begin is None:
                    begin = start
                if framer.startswith(tag + b" ", start):
                    block = framer.take(begin, start)
                    reply = self._tagged(tag, split_response(framer.take(start, end)), True)
                    assert reply is not None
                    return block, reply
        finally:
            framer.hold = False

    def _note_capabilities(self, text: bytes) -> None:
        match = re.search(rb"\[CAPABILITY ([^\]]*)\]", text)
        if match:
            self.capabilities = set(match.group(1).decode().split())


class _Framer:
    """The receive buffer, cut into whole responses (a line and the literals it announces)."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.start = 0  # where the next response begins
        self.pos = 0  # how far it is known to be complete
        self.hold = False  # True while a caller keeps offsets into the buffer across reads

    def feed(self, data: bytes) -> None:
        if not self.hold and self.start > READ_CHUNK and self.start * 2 > len(self.buf):
            del self.buf[: self.start]  # drop what was handed out, now and then
            self.pos -= self.start
            self.start = 0
        self.buf += data

    def next(self) -> tuple[int, int] | None:
        """``(start, end)`` of the next whole response, consumed; None while incomplete."""
        buf = self.buf
        pos = self.pos
        while True:
            nl = buf.find(b"\r\n", pos)
            if nl < 0:
                if len(buf) - pos > READ_LIMIT:
                    raise ValueError(f"a response line longer than {READ_LIMIT} bytes")
                self.pos = pos
                return None
            if nl > pos and buf[nl - 1] == 0x7D:  # "}": a literal follows
                match = _LITERAL_TAIL.search(buf, max(pos, nl - 24), nl)
                if match is not None:
                    size = int(match.group(1))
                    if size > MAX_LITERAL:
                        raise ValueError(f"a literal of {size} bytes (over {MAX_LITERAL})")
                    if len(buf) < nl + 2 + size:
                        self.pos = pos  # the literal is still arriving
                        return None
                    pos = nl + 2 + size
                    continue
            start, self.start = self.start, nl + 2
            self.pos = self.start
            return start, self.start

    def take(self, start: int, end: int) -> bytes:
        return bytes(self.buf[start:end])

    def startswith(self, prefix: bytes, at: int) -> bool:
        return self.buf.startswith(prefix, at)


def split_response(data: bytes) -> Line:
    """One whole response (as framed, CRLF at the end) → a line, or ``(text, literal)`` pieces
    followed by the text after the last literal (the shape ``imapclient`` reads)."""
    end = len(data) - 2 if data.endswith(b"\r\n") else len(data)
    pieces: list[bytes | tuple[bytes, bytes]] = []
    pos = 0
    while True:
        nl = data.find(b"\r\n", pos, end)
        match = _LITERAL_TAIL.search(data, max(pos, nl - 24), nl) if nl >= 0 else None
        if match is None:  # the text after the last literal (framing allows no other CRLF)
            if not pieces:
                return data[pos:end]
            pieces.append(data[pos:end])
            return pieces
        size = int(match.group(1))
        pieces.append((data[pos : match.start()] + b"{%d}" % size, data[nl + 2 : nl + 2 + size]))
        pos = nl + 2 + size


def split_responses(block: bytes) -> list[Line]:
    """A block from ``command_raw`` → its responses, each as ``split_response`` gives it."""
    framer = _Framer()
    framer.buf = bytearray(block)
    out: list[Line] = []
    while (found := framer.next()) is not None:
        out.append(split_response(block[found[0] : found[1]]))
    return out


def fetch_lines_of(lines: list[Line]) -> list[Any]:
    """The FETCH responses among ``lines``, in the shape ``parse_fetch_response`` reads."""
    out: list[Any] = []
    for line in lines:
        item = _untagged(line)
        if item is not None and item.name == b"FETCH":
            out.extend(_fetch_lines(item))
    return out


def _first_text(line: Line) -> bytes:
    if isinstance(line, bytes):
        return line
    first = line[0]
    return first if isinstance(first, bytes) else first[0]


def _line_text(line: Line) -> str:
    return _first_text(line).decode(errors="replace")[:200]


def _untagged(line: Line) -> Untagged | None:
    """Name and number of an untagged response; keeps its pieces for the parsers."""
    parts: list[bytes | tuple[bytes, bytes]] = [line] if isinstance(line, bytes) else list(line)
    text = _first_text(line)
    if not text.startswith(b"* "):
        return None
    words = text[2:].split(b" ", 2)
    if words[0].isdigit() and len(words) > 1:
        return Untagged(words[1].upper(), int(words[0]), parts)
    return Untagged(words[0].upper(), None, parts)


def _after_name(item: Untagged) -> bytes:
    """``* LIST (\\Sent) "/" Sent`` → ``(\\Sent) "/" Sent`` for ``parse_response``."""
    text = item.text
    return text.split(b" ", 2)[2]


def _fetch_lines(item: Untagged) -> list[Any]:
    """An untagged FETCH in the shape ``parse_fetch_response`` reads (``* `` and FETCH gone)."""
    out: list[Any] = list(item.parts)
    first = out[0]
    out[0] = _strip_fetch(first) if isinstance(first, bytes) else (_strip_fetch(first[0]), first[1])
    return out


def fetch_lines(response: Response) -> list[Any]:
    """Every untagged FETCH of a response, in the shape ``parse_fetch_response`` reads."""
    lines: list[Any] = []
    for item in response.named(b"FETCH"):
        lines.extend(_fetch_lines(item))
    return lines


def _strip_fetch(text: bytes) -> bytes:
    number, _fetch, rest = text[2:].split(b" ", 2)
    return number + b" " + rest


_SIZE_LINE = re.compile(rb"\* \d+ FETCH \(UID (\d+) RFC822\.SIZE (\d+)\)\r\n")


def _plain_sizes(block: bytes) -> dict[int, int] | None:
    """Sizes by UID when ``block`` is nothing but plain size lines; None otherwise."""
    sizes: dict[int, int] = {}
    end = 0
    for match in _SIZE_LINE.finditer(block):
        if match.start() != end:
            return None  # something between two plain lines
        sizes[int(match.group(1))] = int(match.group(2))
        end = match.end()
    return sizes if end == len(block) else None


_VANISHED = re.compile(rb"^\* VANISHED (?:\(EARLIER\) )?([0-9:,]+)")


def vanished(response: Response) -> list[int]:
    """UIDs in ``* VANISHED [(EARLIER)] set`` responses (QRESYNC deletions)."""
    out: list[int] = []
    for item in response.named(b"VANISHED"):
        match = _VANISHED.match(item.text)
        if match:
            out.extend(expand_set(match.group(1)))
    return out


def expand_set(value: bytes) -> list[int]:
    out: list[int] = []
    for run in value.split(b","):
        if b":" in run:
            a, b = (int(x) for x in run.split(b":"))
            out.extend(range(min(a, b), max(a, b) + 1))
        elif run:
            out.append(int(run))
    return out


def response_code_number(response: Response, name: str) -> int | None:
    """``* OK [UIDVALIDITY 3857529045]`` → 3857529045 (from untagged OK responses)."""
    for item in response.named(b"OK"):
        match = re.search(rb"\[" + name.encode() + rb" (\d+)\]", item.text)
        if match:
            return int(match.group(1))
    return None


def has_code(response: Response, name: str) -> bool:
    return any(b"[" + name.encode() in item.text for item in response.named(b"OK"))
