"""The IMAP sync engine: every configured folder of one account into the store.

Per folder (reference: ``../shared/reference/imap-smtp.md`` §3):

1. SELECT with QRESYNC parameters when the server offers QRESYNC (else CONDSTORE, else plain).
2. UIDVALIDITY changed → relink known content by Message-ID (headers only, no bodies), fetch
   only what is really new, drop the stale locations.
3. New mail: ``UID FETCH <uidnext>:*`` in bounded batches (by count and bytes). Each batch is
   stored in one transaction together with the new UIDNEXT, so a killed sync resumes after the
   last stored batch and never stores a message twice.
4. Changes: QRESYNC's VANISHED/FETCH from the SELECT, or ``CHANGEDSINCE``, or a full UID+FLAGS
   scan; applied in one transaction with the new HIGHESTMODSEQ.
5. Local flag changes (``pending_op``) go to the server with ``UID STORE``.

The engine never raises for a bad message: parsing falls back, and defects are counted.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import concurrent.futures.process
import contextlib
import multiprocessing
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentconsole.clock import Clock, SystemClock
from agentconsole.config import AccountConfig, ConfigError, Settings
from agentconsole.mail.fetched import decode_batch, item_flags, item_modseq
from agentconsole.mail.imap import (
    ImapAuthError,
    ImapClient,
    ImapDisconnected,
    ImapError,
    has_code,
    response_code_number,
    uid_set,
    vanished,
)
from agentconsole.mail.ingest import (
    Fetched,
    IngestContext,
    IngestResult,
    ingest,
    refresh_conversation,
    save_attachment,
)
from agentconsole.mail.parse import normalise_message_id
from agentconsole.mail.tls import ssl_context_for
from agentconsole.mail.waiting import first_of
from agentconsole.store.db import Store
from agentconsole.store.reader import Writer, stored_time

BATCH_MESSAGES = 1000
FIRST_BATCH = 125
BATCH_BYTES = 8 * 1024 * 1024
IDLE_RESTART_S = 9 * 60
"""Re-issue IDLE well before NAT boxes and servers drop a silent connection."""
KEEPALIVE_S = 2 * 60 + 60
"""Dovecot says "Still here" every 2 minutes; silence beyond that plus a margin = dead link."""
POLL_OTHER_FOLDERS_S = 120
PARSE_POOL_MIN = 1000
"""From this many new messages on, MIME parsing moves to a worker process (the second core)."""
BACKOFF_CAP_S = 300

Progress = Callable[[str, str, int, int], None]
"""(account, folder, done, total) — called as batches are stored."""


class SyncAuthError(Exception):
    """The server refused the login: stop, and tell the user (no retry loop)."""


@dataclass
class FolderReport:
    name: str
    new: int = 0
    linked: int = 0
    flags_changed: int = 0
    removed: int = 0
    uidvalidity_reset: bool = False
    missing: bool = False
    defects: list[str] = field(default_factory=list)


@dataclass
class AccountReport:
    account: str
    state: str = "synced"
    error: str | None = None
    folders: list[FolderReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def new(self) -> int:
        return sum(f.new for f in self.folders)


def default_port(account: AccountConfig) -> int:
    return account.imap_port or (993 if account.imap_tls == "implicit" else 143)


class AccountSync:
    """Syncs one account. ``run_once`` for ``sync --once``; ``run_forever`` keeps it live."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        account: AccountConfig,
        *,
        clock: Clock | None = None,
        progress: Progress | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.store = store
        self.settings = settings
        self.account = account
        self.clock = clock or SystemClock()
        self.progress = progress
        self.timeout = timeout
        self.client: ImapClient | None = None
        self.qresync = False
        self.condstore = False
        self.missing_folders: list[str] = []
        self.account_id = self._ensure_account()
        self.stop: asyncio.Event | None = None
        """Set by ``run_forever``'s caller to quit: checked between batches and folders, so
        quitting the console mid-way through a big first sync never waits for it to finish."""

    # -- state shown in the status bar ---------------------------------------------------

    def _ensure_account(self) -> int:
        with self.store.write() as w:
            row = w.first("SELECT id FROM mail_account WHERE name = :n", {"n": self.account.name})
            if row is not None:
                w.execute(
                    "UPDATE mail_account SET email = :e WHERE id = :id",
                    {"e": self.account.email.lower(), "id": row[0]},
                )
                return int(row[0])
            return w.execute(
                "INSERT INTO mail_account (name, email, sync_state, sync_detail) "
                "VALUES (:n, :e, 'new', '')",
                {"n": self.account.name, "e": self.account.email.lower()},
            )

    def set_state(self, state: str, detail: str = "", *, synced: bool = False) -> None:
        now = stored_time(self.clock.now())
        with self.store.write() as w:
            w.execute(
                "UPDATE mail_account SET sync_detail = :d, "
                "sync_changed_at = CASE WHEN sync_state = :s THEN sync_changed_at ELSE :now END, "
                "sync_state = :s, last_synced_at = CASE WHEN :synced THEN :now "
                "ELSE last_synced_at END WHERE id = :id",
                {
                    "s": state,
                    "d": detail[:200],
                    "now": now,
                    "synced": synced,
                    "id": self.account_id,
                },
            )

    # -- connection ----------------------------------------------------------------------

    async def connect(self) -> ImapClient:
        account = self.account
        try:
            password = account.resolve(f"account {account.name}")
        except ConfigError as exc:
            raise SyncAuthError(exc.problems[0] if exc.problems else str(exc)) from None
        client = ImapClient(timeout=self.timeout)
        await client.connect(
            account.imap_host, default_port(account), account.imap_tls, ssl_context_for(account)
        )
        try:
            await client.login(account.username or account.email, password)
        except ImapAuthError:
            client.close()
            raise SyncAuthError(f"authentication failed for account {account.name}") from None
        caps = client.capabilities
        self.qresync = "QRESYNC" in caps and "ENABLE" in caps
        self.condstore = self.qresync or "CONDSTORE" in caps
        if self.qresync:
            await client.enable("QRESYNC")
        elif self.condstore and "ENABLE" in caps:
            await client.enable("CONDSTORE")
        self.client = client
        return client

    async def close(self) -> None:
        if self.client is not None:
            await self.client.logout()
            self.client = None

    # -- whole account -------------------------------------------------------------------

    async def run_once(self) -> AccountReport:
        """Connect, sync every folder once, push local flag changes, disconnect."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        report = AccountReport(self.account.name)
        self.set_state("syncing", "connecting")
        try:
            await self.connect()
            await self.sync_all(report)
            await self.push_pending()
            self.set_state("synced", _summary(report), synced=True)
        except SyncAuthError as exc:
            report.state, report.error = "auth_failed", str(exc)
            self.set_state("auth_failed", str(exc))
        except ImapDisconnected as exc:
            report.state, report.error = "offline", str(exc)
            self.set_state("offline", str(exc))
        except ImapError as exc:
            report.state, report.error = "error", str(exc)
            self.set_state("error", str(exc))
        finally:
            await self.close()
        report.seconds = loop.time() - started
        return report

    async def folders(self) -> list[tuple[str, str | None]]:
        """(name, role) of the folders to sync: the configured ones and the \\Sent folder."""
        assert self.client is not None
        listed = await self.client.list_mailboxes()
        by_name = {name: flags for flags, name in listed}
        wanted: list[tuple[str, str | None]] = []
        for name in self.account.folders:
            if name.upper() == "INBOX":
                wanted.append(("INBOX", "inbox"))
            elif name in by_name:
                wanted.append((name, None))
            elif name not in self.missing_folders:
                self.missing_folders.append(name)
        sent = next((n for f, n in listed if "\\Sent" in f), None)
        if sent and all(n != sent for n, _ in wanted):
            wanted.append((sent, "sent"))
        return wanted

    def stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    async def sync_all(self, report: AccountReport) -> None:
        for name, role in await self.folders():
            if self.stopping():
                return
            report.folders.append(await self.sync_folder(name, role))
        for name in self.missing_folders:
            report.folders.append(FolderReport(name, missing=True))

    # -- one folder ----------------------------------------------------------------------

    def _mailbox(self, name: str, role: str | None) -> Any:
        with self.store.write() as w:
            row = w.first(
                "SELECT * FROM mailbox WHERE account_id = :a AND name = :n",
                {"a": self.account_id, "n": name},
            )
            if row is None:
                w.execute(
                    "INSERT INTO mailbox (account_id, name, role, nomodseq, uidvalidity_resets) "
                    "VALUES (:a, :n, :r, 0, 0)",
                    {"a": self.account_id, "n": name, "r": role},
                )
                row = w.first(
                    "SELECT * FROM mailbox WHERE account_id = :a AND name = :n",
                    {"a": self.account_id, "n": name},
                )
            return row

    async def sync_folder(self, name: str, role: str | None = None) -> FolderReport:
        client = self.client
        assert client is not None
        report = FolderReport(name)
        box = self._mailbox(name, role)
        params = None
        if self.qresync and box.uidvalidity and box.highestmodseq and not box.nomodseq:
            params = b"(QRESYNC (%d %d))" % (box.uidvalidity, box.highestmodseq)
        elif self.condstore:
            params = b"(CONDSTORE)"
        selected = await client.select(name, params)
        uidvalidity = response_code_number(selected, "UIDVALIDITY") or 0
        server_uidnext = response_code_number(selected, "UIDNEXT")
        modseq = response_code_number(selected, "HIGHESTMODSEQ")
        nomodseq = has_code(selected, "NOMODSEQ") or modseq is None
        exists = max((u.number or 0 for u in selected.named(b"EXISTS")), default=0)

        if box.uidvalidity is not None and box.uidvalidity != uidvalidity:
            await self._relink(box, uidvalidity, report)
            box = self._mailbox(name, role)
            params = None  # everything is re-read below
        uidnext = (box.uidnext or 1) if box.uidvalidity == uidvalidity else 1
        if box.uidvalidity != uidvalidity:
            with self.store.write() as w:
                w.execute(
                    "UPDATE mailbox SET uidvalidity = :v, uidnext = 1, highestmodseq = NULL "
                    "WHERE id = :id",
                    {"v": uidvalidity, "id": box.id},
                )
            uidnext = 1

        # Changes to known messages, collected first, applied after the new mail is stored.
        changed_flags: dict[int, tuple[tuple[str, ...], int | None]] = {}
        gone: set[int] = set()
        known_before = uidnext > 1
        if known_before:
            if params and params.startswith(b"(QRESYNC"):
                gone.update(vanished(selected))
                for uid, data in ImapClient.fetched(selected).items():
                    changed_flags[uid] = (item_flags(data), item_modseq(data))
            elif self.condstore and not nomodseq and box.highestmodseq:
                if modseq != box.highestmodseq:
                    fetched, _, _ = await client.uid_fetch(
                        b"1:%d" % (uidnext - 1),
                        b"(UID FLAGS)",
                        b"(CHANGEDSINCE %d)" % box.highestmodseq,
                    )
                    for uid, data in fetched.items():
                        changed_flags[uid] = (item_flags(data), item_modseq(data))
            else:
                fetched, _, _ = await client.uid_fetch(b"1:%d" % (uidnext - 1), b"(UID FLAGS)")
                for uid, data in fetched.items():
                    changed_flags[uid] = (item_flags(data), None)
                gone.update(self._local_uids(box.id, uidvalidity) - set(fetched))

        # New mail.
        if server_uidnext is None or server_uidnext > uidnext:
            expected = server_uidnext - uidnext if server_uidnext is not None else 0
            await self._fetch_new(box.id, name, uidvalidity, uidnext, report, expected)
            if self.stopping():
                return report  # the stored batches stand; changes are picked up next time

        # Deletions without QRESYNC: compare counts, list UIDs only when they differ.
        if known_before and not (params and params.startswith(b"(QRESYNC")):
            local = self._local_uids(box.id, uidvalidity)
            if len(local - gone) != exists:
                server = set(await client.uid_search(b"ALL"))
                gone.update(local - server)

        with self.store.write() as w:
            report.flags_changed = _applyitem_flags(w, box.id, uidvalidity, changed_flags)
            report.removed = _remove(w, box.id, uidvalidity, gone, self.clock.now())
            w.execute(
                "UPDATE mailbox SET highestmodseq = :m, nomodseq = :n, last_synced_at = :t "
                "WHERE id = :id",
                {
                    "m": None if nomodseq else modseq,
                    "n": nomodseq,
                    "t": stored_time(self.clock.now()),
                    "id": box.id,
                },
            )
        return report

    def _local_uids(self, mailbox_id: int, uidvalidity: int) -> set[int]:
        with self.store.read() as db:
            return set(
                db.scalars(
                    "SELECT uid FROM message_location WHERE mailbox_id = :b AND uidvalidity = :v",
                    {"b": mailbox_id, "v": uidvalidity},
                )
            )

    async def _fetch_new(
        self,
        mailbox_id: int,
        name: str,
        uidvalidity: int,
        uidnext: int,
        report: FolderReport,
        expected: int = 0,
    ) -> None:
        """Fetch, parse and store every message from ``uidnext`` on. ``expected``: how many
        the SELECT's UIDNEXT promises at most; from ``PARSE_POOL_MIN`` on, the parsing worker
        is started before anything else, so it is ready when the first batch arrives."""
        client = self.client
        assert client is not None
        pool = _parse_pool() if expected >= PARSE_POOL_MIN else None
        try:
            sizes = await client.uid_sizes(b"%d:*" % uidnext)
            # "n:*" always names the highest message, even below n (RFC 3501): drop those.
            pending = sorted(uid for uid in sizes if uid >= uidnext)
            total = len(pending)
            self._progress(name, 0, total)
            ctx = self._ingest_context()
        except BaseException:
            if pool is not None:  # a dropped connection must not leave a worker behind
                pool.executor.shutdown(wait=False, cancel_futures=True)
            raise
        done = 0
        # Three stages overlap: this loop fetches batch n+2 while a worker process parses
        # batch n+1 and a thread stores batch n (SQLite releases the GIL). Stores still run
        # one after another, in UID order, each with its own UIDNEXT.
        storing: asyncio.Future[Any] | None = None
        parsing: tuple[bytes, list[int], asyncio.Future[Any] | None] | None = None
        if pool is None and total >= PARSE_POOL_MIN:
            pool = _parse_pool()
        loop = asyncio.get_running_loop()

        async def store(
            waiting: tuple[bytes, list[int], asyncio.Future[Any] | None],
        ) -> None:
            nonlocal storing, done, pool
            block, batch, decoded = waiting
            items: list[Fetched] | None = None
            if decoded is not None:
                try:
                    items = await decoded
                except concurrent.futures.process.BrokenProcessPool:
                    pool = None  # the worker died: decode here instead
            if items is None:
                items = decode_batch(block, batch, False)  # MIME is parsed in the store thread
            if storing is not None:
                previous, storing = storing, None
                done += self._stored(await previous, report, name, done, total)
            storing = asyncio.ensure_future(
                asyncio.to_thread(
                    self._store_batch, ctx, mailbox_id, uidvalidity, items, batch[-1] + 1
                )
            )

        try:
            for batch in _batches(pending, sizes):
                if self.stopping():
                    break  # what is stored so far is complete; the rest comes next time
                block, _ = await client.command_raw(
                    b"UID", b"FETCH", uid_set(batch), b"(UID FLAGS INTERNALDATE BODY.PEEK[])"
                )
                future = None
                # Until the worker has started (~0.1-0.2 s), the first small batches are
                # parsed in the store thread instead of waiting for it.
                if pool is not None and pool.ready():
                    try:
                        future = loop.run_in_executor(
                            pool.executor, decode_batch, block, batch, True
                        )
                    except Exception:  # noqa: BLE001 - no worker: decode in the store step
                        pool = None
                if parsing is not None:
                    previous_batch, parsing = parsing, None
                    await store(previous_batch)
                parsing = (block, batch, future)
            if parsing is not None:
                previous_batch, parsing = parsing, None
                await store(previous_batch)
        finally:
            if storing is not None:
                result = await storing
                done += self._stored(result, report, name, done, total)
            if pool is not None:
                pool.executor.shutdown(wait=False, cancel_futures=True)

    def _store_batch(
        self,
        ctx: IngestContext,
        mailbox_id: int,
        uidvalidity: int,
        items: list[Fetched],
        uidnext: int,
    ) -> tuple[IngestResult, int]:
        ctx.now = self.clock.now()
        with self.store.write(bulk=True) as w:
            result = ingest(w, ctx, mailbox_id, uidvalidity, items)
            # The sync position moves in the same transaction as the mail it covers.
            w.execute(
                "UPDATE mailbox SET uidnext = :n WHERE id = :id", {"n": uidnext, "id": mailbox_id}
            )
        if result.new:
            self.store.search.notify()  # indexed in a thread of its own, beside this writer
        return result, len(items)

    def _stored(
        self,
        outcome: tuple[IngestResult, int],
        report: FolderReport,
        name: str,
        done: int,
        total: int,
    ) -> int:
        result, count = outcome
        report.new += result.new
        report.linked += result.linked
        report.defects.extend(result.defects)
        self._progress(name, done + count, total)
        return count

    def _ingest_context(self) -> IngestContext:
        with self.store.read() as db:
            shop = frozenset(db.scalars("SELECT lower(email) FROM mail_account"))
        limit = int(self.settings.store.attachments_max_mb * 1024 * 1024)
        return IngestContext(
            account_id=self.account_id,
            shop_addresses=shop | {self.account.email.lower()},
            home=self.settings.home,
            attachments_max_bytes=limit,
            now=self.clock.now(),
        )

    async def _relink(self, box: Any, uidvalidity: int, report: FolderReport) -> None:
        """UIDVALIDITY changed: the server renumbered the folder. Match copies by Message-ID
        (headers only), so known bodies are not downloaded again and nothing is duplicated."""
        client = self.client
        assert client is not None
        report.uidvalidity_reset = True
        headers, _, _ = await client.uid_fetch(
            b"1:*", b"(UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
        )
        unknown: list[int] = []
        with self.store.write() as w:
            for uid, data in sorted(headers.items()):
                raw = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
                mid = _header_message_id(bytes(raw or b""))
                row = (
                    w.first(
                        "SELECT m.id FROM message m JOIN message_location l ON l.message_id = m.id"
                        " WHERE m.message_id = :m AND l.mailbox_id = :b",
                        {"m": mid, "b": box.id},
                    )
                    if mid
                    else None
                )
                if row is None:
                    unknown.append(uid)
                    continue
                w.execute(
                    "INSERT OR IGNORE INTO message_location (message_id, mailbox_id, uidvalidity,"
                    " uid, flags) VALUES (:m, :b, :v, :u, :f)",
                    {
                        "m": row[0],
                        "b": box.id,
                        "v": uidvalidity,
                        "u": uid,
                        "f": " ".join(sorted(item_flags(data))),
                    },
                )
                report.linked += 1
            stale = w.scalars(
                "SELECT DISTINCT message_id FROM message_location "
                "WHERE mailbox_id = :b AND uidvalidity != :v",
                {"b": box.id, "v": uidvalidity},
            )
            w.execute(
                "DELETE FROM message_location WHERE mailbox_id = :b AND uidvalidity != :v",
                {"b": box.id, "v": uidvalidity},
            )
            _mark_removed(w, stale, self.clock.now())
            # Continue after the relinked copies; unknown UIDs are fetched as new below.
            first_unknown = min(unknown) if unknown else max(headers, default=0) + 1
            w.execute(
                "UPDATE mailbox SET uidvalidity = :v, uidnext = :n, highestmodseq = NULL, "
                "uidvalidity_resets = uidvalidity_resets + 1 WHERE id = :id",
                {"v": uidvalidity, "n": first_unknown, "id": box.id},
            )

    # -- local → server ------------------------------------------------------------------

    async def push_pending(self) -> int:
        """Send queued flag changes (oldest first); a vanished message just drops its op."""
        client = self.client
        assert client is not None
        with self.store.read() as db:
            ops = db.all(
                "SELECT p.id, p.uid, p.uidvalidity, p.op, p.flags, b.name, b.uidvalidity AS cur "
                "FROM pending_op p JOIN mailbox b ON b.id = p.mailbox_id "
                "WHERE b.account_id = :a ORDER BY p.id",
                {"a": self.account_id},
            )
        pushed = 0
        selected = None
        for op in ops:
            if op.uidvalidity == op.cur:
                if selected != op.name:
                    await client.select(op.name)
                    selected = op.name
                action = b"+FLAGS.SILENT" if op.op == "+FLAGS" else b"-FLAGS.SILENT"
                await client.uid_store(b"%d" % op.uid, action, op.flags.split())
                pushed += 1
            with self.store.write() as w:
                w.execute("DELETE FROM pending_op WHERE id = :id", {"id": op.id})
        return pushed

    # -- live ----------------------------------------------------------------------------

    async def run_forever(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        """Sync, then IDLE on INBOX; re-sync on push, poll other folders, reconnect with
        backoff. Ends when ``stop`` is set, or on an authentication failure."""
        wake = wake or asyncio.Event()
        self.stop = stop
        delay = 1.0
        while not stop.is_set():
            try:
                report = AccountReport(self.account.name)
                self.set_state("syncing", "connecting")
                await self.connect()
                await self.sync_all(report)
                await self.push_pending()
                self.set_state("synced", _summary(report), synced=True)
                delay = 1.0
                await self._watch(stop, wake)
            except SyncAuthError as exc:
                self.set_state("auth_failed", str(exc))
                return
            except (ImapError, OSError) as exc:
                since = datetime.now(UTC).strftime("%H:%M")
                state = "offline" if isinstance(exc, ImapDisconnected | OSError) else "error"
                self.set_state(state, f"since {since}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a bug must not silently end the live sync
                self.set_state("error", f"internal error: {type(exc).__name__}: {exc}")
            finally:
                if self.client is not None:
                    self.client.close()
                    self.client = None
            if stop.is_set():
                break
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay * (0.8 + random.random() * 0.4)):  # noqa: S311
                    await first_of(stop, wake)
            wake.clear()
            delay = min(delay * 2, BACKOFF_CAP_S)

    async def _watch(self, stop: asyncio.Event, wake: asyncio.Event) -> None:
        client = self.client
        assert client is not None
        loop = asyncio.get_running_loop()
        next_poll = loop.time() + POLL_OTHER_FOLDERS_S
        folders = await self.folders()
        inbox = next((n for n, r in folders if r == "inbox"), folders[0][0] if folders else None)
        if inbox is None:
            await stop.wait()
            return
        while not stop.is_set():
            await client.select(inbox)
            budget = min(IDLE_RESTART_S, max(next_poll - loop.time(), 1))
            pushed = await client.idle(budget, KEEPALIVE_S, wake=_either(stop, wake))
            if stop.is_set():
                return
            wake.clear()
            report = AccountReport(self.account.name)
            if pushed:
                await asyncio.sleep(0.1)  # let a burst of deliveries land together
            report.folders.append(await self.sync_folder(inbox, "inbox"))
            if loop.time() >= next_poll:
                for name, role in folders:
                    if name != inbox:
                        report.folders.append(await self.sync_folder(name, role))
                next_poll = loop.time() + POLL_OTHER_FOLDERS_S
            await self.push_pending()
            self.set_state("synced", _summary(report), synced=True)

    def _progress(self, folder: str, done: int, total: int) -> None:
        if total:
            self.set_state("syncing", f"{folder} {done}/{total}")
        if self.progress is not None:
            self.progress(self.account.name, folder, done, total)


@dataclass
class _ParsePool:
    """One worker process for parsing (spawned: forking a threaded console is unsafe)."""

    executor: concurrent.futures.ProcessPoolExecutor
    started: concurrent.futures.Future[Any]
    """Its first call, made at once: the process starts and imports now, not when the first
    batch is there."""

    def ready(self) -> bool:
        return self.started.done()


def _parse_pool() -> _ParsePool | None:
    try:
        executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn")
        )
        return _ParsePool(executor, executor.submit(decode_batch, b"", [], True))
    except Exception:  # noqa: BLE001 - e.g. no usable stderr to hand the resource tracker
        return None  # parse in the storing thread instead


def prepare_worker_processes() -> None:
    """Start multiprocessing's resource tracker now, while stderr is still the terminal's.

    A full-screen console replaces ``sys.stderr``; starting the tracker later fails
    ("bad value(s) in fds_to_keep") and big syncs would lose their parsing worker.
    """
    from multiprocessing import resource_tracker

    with contextlib.suppress(Exception):
        resource_tracker.ensure_running()


def _either(a: asyncio.Event, b: asyncio.Event) -> asyncio.Event:
    """An event set as soon as either is (for IDLE's early wake-up)."""
    both = asyncio.Event()

    async def relay() -> None:
        await first_of(a, b)
        both.set()

    task = asyncio.ensure_future(relay())
    both.relay = task  # type: ignore[attr-defined]  # keep a reference while it runs
    return both


def _summary(report: AccountReport) -> str:
    return f"{report.new} new" if report.new else "up to date"


def _batches(uids: list[int], sizes: dict[int, int]) -> list[list[int]]:
    """Consecutive groups bounded by count and bytes (a huge message travels alone).

    The first groups are small (``FIRST_BATCH``, doubling up to ``BATCH_MESSAGES``): storing
    can only start when the first group is fetched and parsed, and after that big groups mean
    fewer transactions (and fewer, bigger search-index segments)."""
    out: list[list[int]] = []
    batch: list[int] = []
    used = 0
    limit = min(FIRST_BATCH, BATCH_MESSAGES)
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (len(batch) >= limit or used + size > BATCH_BYTES):
            out.append(batch)
            batch, used = [], 0
            limit = min(limit * 2, BATCH_MESSAGES)
        batch.append(uid)
        used += size
    if batch:
        out.append(batch)
    return out


def _header_message_id(raw: bytes) -> str | None:
    for line in raw.decode("utf-8", "replace").replace("\r\n ", " ").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "message-id":
            return normalise_message_id(value)
    return None


def _applyitem_flags(
    w: Writer,
    mailbox_id: int,
    uidvalidity: int,
    changed: dict[int, tuple[tuple[str, ...], int | None]],
) -> int:
    count = 0
    for uid, (flags, modseq) in changed.items():
        row = w.first(
            "SELECT id, message_id, flags FROM message_location "
            "WHERE mailbox_id = :b AND uidvalidity = :v AND uid = :u",
            {"b": mailbox_id, "v": uidvalidity, "u": uid},
        )
        text = " ".join(sorted(flags))
        if row is None or row.flags == text:
            continue
        w.execute(
            "UPDATE message_location SET flags = :f, modseq = coalesce(:s, modseq) WHERE id = :id",
            {"f": text, "s": modseq, "id": row.id},
        )
        w.execute(
            "UPDATE message SET seen = :seen, flagged = :flagged WHERE id = :id",
            {"seen": "\\Seen" in flags, "flagged": "\\Flagged" in flags, "id": row.message_id},
        )
        count += 1
    return count


def _remove(w: Writer, mailbox_id: int, uidvalidity: int, uids: set[int], now: datetime) -> int:
    """Expunged on the server: drop the location; content and history stay."""
    if not uids:
        return 0
    affected: list[int] = []
    for uid in uids:
        row = w.first(
            "SELECT id, message_id FROM message_location "
            "WHERE mailbox_id = :b AND uidvalidity = :v AND uid = :u",
            {"b": mailbox_id, "v": uidvalidity, "u": uid},
        )
        if row is None:
            continue
        w.execute("DELETE FROM message_location WHERE id = :id", {"id": row.id})
        affected.append(row.message_id)
    _mark_removed(w, affected, now)
    return len(affected)


def _mark_removed(w: Writer, message_ids: list[int], now: datetime) -> None:
    conversations: set[int] = set()
    for message_id in message_ids:
        left = w.scalar(
            "SELECT count(*) FROM message_location WHERE message_id = :m", {"m": message_id}
        )
        if left:
            continue
        w.execute(
            "UPDATE message SET removed_at = :t WHERE id = :m",
            {"t": stored_time(now), "m": message_id},
        )
        conversations.add(
            int(w.scalar("SELECT conversation_id FROM message WHERE id = :m", {"m": message_id}))
        )
    for conversation_id in conversations:
        refresh_conversation(w, conversation_id, now)


async def fetch_attachment(
    store: Store, settings: Settings, account: AccountConfig, attachment_id: int
) -> Path:
    """Download one attachment that was too big to save while syncing; saved and recorded."""
    with store.read() as db:
        row = db.first(
            "SELECT t.message_id, t.part_index, t.filename, l.uid, l.uidvalidity, "
            "b.name AS mailbox, b.uidvalidity AS current FROM attachment t "
            "JOIN message_location l ON l.message_id = t.message_id "
            "JOIN mailbox b ON b.id = l.mailbox_id "
            "JOIN mail_account a ON a.id = b.account_id "
            "WHERE t.id = :id AND a.name = :account AND l.uidvalidity = b.uidvalidity",
            {"id": attachment_id, "account": account.name},
        )
    if row is None or row.part_index is None:
        raise ImapError(f"attachment {attachment_id} is no longer on the server")
    engine = AccountSync(store, settings, account)
    client = await engine.connect()
    try:
        await client.select(row.mailbox)
        fetched, _, _ = await client.uid_fetch(b"%d" % row.uid, b"(UID BODY.PEEK[])")
    finally:
        await engine.close()
    raw = bytes((fetched.get(row.uid) or {}).get(b"BODY[]") or b"")
    if not raw:
        raise ImapError(f"attachment {attachment_id} is no longer on the server")
    relative = save_attachment(settings.home, row.message_id, row.part_index, row.filename, raw)
    if relative is None:
        raise ImapError(f"attachment {attachment_id} could not be saved under {settings.home}")
    with store.write() as w:
        w.execute(
            "UPDATE attachment SET stored_path = :p WHERE id = :id",
            {"p": relative, "id": attachment_id},
        )
    return settings.home / relative
