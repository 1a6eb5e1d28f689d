"""Mail sync as the front ends see it: run it once or keep it live, and read each account's state.

Why a service: the console and ``agentconsole sync`` must run the very same engine, and the
console must never talk to a server itself. The engine (``mail.sync``) writes what it learns
and its state into the store; the status bar reads the state back from there, so a sync
running in another process shows up the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.services._sql import as_utc
from agentconsole.store.db import Store

Progress = Callable[[str, str, int, int], None]


class MailError(Exception):
    """A mail server problem the user can act on; ``str()`` is one line."""


@dataclass(frozen=True)
class FolderOutcome:
    name: str
    new: int
    linked: int
    flags_changed: int
    removed: int
    uidvalidity_reset: bool
    missing: bool
    defects: tuple[str, ...]


@dataclass(frozen=True)
class SyncOutcome:
    """One account's ``sync --once``: what changed, or the one line that went wrong."""

    account: str
    state: str
    error: str | None
    seconds: float
    folders: tuple[FolderOutcome, ...]

    @property
    def new(self) -> int:
        return sum(f.new for f in self.folders)


@dataclass(frozen=True)
class AccountState:
    """What the status bar shows per account."""

    name: str
    state: str
    detail: str
    since: datetime | None
    last_synced_at: datetime | None


class MailSyncService:
    def __init__(self, store: Store, settings: Settings, clock: Clock) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock

    @property
    def configured(self) -> bool:
        return bool(self._settings.accounts)

    def prepare(self) -> None:
        """Call before a full-screen front end takes over the terminal (see the engine)."""
        if self.configured:
            from agentconsole.mail.sync import prepare_worker_processes

            prepare_worker_processes()

    async def run_once(self, progress: Progress | None = None) -> list[SyncOutcome]:
        """Sync every account once, side by side. ``progress(account, folder, done, total)``."""
        from agentconsole.mail.sync import AccountSync

        syncs = [
            AccountSync(self._store, self._settings, account, clock=self._clock, progress=progress)
            for account in self._settings.accounts
        ]
        reports = await asyncio.gather(*(s.run_once() for s in syncs))
        await asyncio.to_thread(self._store.search.wait)  # searchable when this returns
        return [
            SyncOutcome(
                account=r.account,
                state=r.state,
                error=r.error,
                seconds=round(r.seconds, 3),
                folders=tuple(
                    FolderOutcome(
                        f.name,
                        f.new,
                        f.linked,
                        f.flags_changed,
                        f.removed,
                        f.uidvalidity_reset,
                        f.missing,
                        tuple(f.defects),
                    )
                    for f in r.folders
                ),
            )
            for r in reports
        ]

    async def run_forever(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        """Keep every account live until ``stop`` is set (IDLE, polling, reconnecting)."""
        from agentconsole.mail.sync import AccountSync

        syncs = [
            AccountSync(self._store, self._settings, account, clock=self._clock)
            for account in self._settings.accounts
        ]
        wake = wake or asyncio.Event()
        watcher = asyncio.ensure_future(self._watch_local_changes(stop, wake))
        try:
            await asyncio.gather(*(s.run_forever(stop, wake) for s in syncs))
        finally:
            watcher.cancel()

    async def _watch_local_changes(self, stop: asyncio.Event, wake: asyncio.Event) -> None:
        """Wake the engines when a console queued flag changes (checked every second)."""
        while not stop.is_set():
            await asyncio.sleep(1)
            with self._store.read() as db:
                if db.scalar("SELECT count(*) FROM pending_op"):
                    wake.set()

    async def attachment_file(self, attachment_id: int) -> Path:
        """The attachment's bytes on disk: saved while syncing, or downloaded now."""
        from agentconsole.mail.sync import fetch_attachment

        with self._store.read() as db:
            row = db.first(
                "SELECT t.stored_path, a.name AS account FROM attachment t "
                "JOIN message m ON m.id = t.message_id "
                "LEFT JOIN conversation c ON c.id = m.conversation_id "
                "LEFT JOIN mail_account a ON a.id = c.account_id WHERE t.id = :id",
                {"id": attachment_id},
            )
        if row is None:
            raise LookupError(f"no attachment {attachment_id}")
        if row.stored_path and (self._settings.home / row.stored_path).exists():
            return self._settings.home / row.stored_path
        account = next((a for a in self._settings.accounts if a.name == row.account), None)
        if account is None:
            raise LookupError(
                f"attachment {attachment_id} is on account {row.account or '(none)'}, "
                "which is not configured"
            )
        from agentconsole.mail.imap import ImapError
        from agentconsole.mail.sync import SyncAuthError

        try:
            return await fetch_attachment(self._store, self._settings, account, attachment_id)
        except (ImapError, SyncAuthError) as exc:
            raise MailError(str(exc)) from None

    def states(self) -> list[AccountState]:
        """Each configured account's sync state, as the engine last wrote it."""
        names = [a.name for a in self._settings.accounts]
        if not names:
            return []
        with self._store.read() as db:
            rows = {
                r.name: r
                for r in db.all(
                    "SELECT name, sync_state, sync_detail, sync_changed_at, last_synced_at "
                    "FROM mail_account"
                )
            }
        out = []
        for name in names:
            row = rows.get(name)
            out.append(
                AccountState(
                    name=name,
                    state=row.sync_state if row else "new",
                    detail=row.sync_detail if row else "",
                    since=as_utc(row.sync_changed_at) if row else None,
                    last_synced_at=as_utc(row.last_synced_at) if row else None,
                )
            )
        return out
