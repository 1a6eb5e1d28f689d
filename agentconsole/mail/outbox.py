"""The durable send queue: replies leave once, in order, over one connection per account.

A sender claims each due reply in its own transaction, so any number of processes (consoles,
``agentconsole sync``, ``agentconsole outbox --send``) can run one without sending anything
twice. Every step is written before the next network step (``outbox_states.py``): a process
killed anywhere leaves a row that the next sender resumes — retried if nothing reached the
server, put before the agent if the message may have gone out. After the SMTP server's 250 the
same bytes are filed in the account's Sent folder (``sent_copy.py``); a failed filing is
retried on its own, never the sending.

The demo and offline shops use the ``maildir`` transport: the same queue, delivered to a
local Maildir.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from agentconsole.clock import Clock, SystemClock
from agentconsole.config import AccountConfig, Settings
from agentconsole.mail import maildir
from agentconsole.mail.compose import AddressError, parse_addresses
from agentconsole.mail.outbox_states import (
    OFFLINE_RETRY,
    abandoned,
    claim,
    mark_data_started,
    record_failed,
    record_filed,
    record_retry,
    record_sent,
    record_unknown,
    recover,
)
from agentconsole.mail.sent_copy import SentFolder, SentFolderError
from agentconsole.mail.smtp import SmtpError, SmtpSession
from agentconsole.mail.waiting import first_of
from agentconsole.processes import alive
from agentconsole.store.db import Store
from agentconsole.store.reader import stored_time

POLL_S = 1.0
"""How often a waiting sender looks for replies queued by other processes."""
FILING_RETRY = timedelta(minutes=1)
FAILPOINT_ENV = "AGENTCONSOLE_FAILPOINT"


def failpoint(name: str) -> None:
    """Kill this process at a named step when ``$AGENTCONSOLE_FAILPOINT`` names it.

    For the crash tests: they prove that a sender killed between two steps loses and doubles
    nothing. Unset (always, outside those tests) it costs one dictionary lookup.
    """
    if os.environ.get(FAILPOINT_ENV) == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


class Sender:
    """Sends due replies and files their copies; one instance per running loop."""

    def __init__(self, store: Store, settings: Settings, clock: Clock | None = None) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock or SystemClock()
        self._sessions: dict[str, SmtpSession] = {}
        self._filing_after: dict[str, datetime] = {}

    # -- loops ---------------------------------------------------------------------------

    async def run_due(self) -> int:
        """Send everything due now, then file copies and settle doubtful sends. Sent count."""
        try:
            self._recover()
            sent = await self._send_due()
            await self._file_and_verify()
            return sent
        finally:
            await self._close_sessions()

    async def run_forever(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        """Keep sending as replies come due, until ``stop``; ``wake`` re-plans at once."""
        wake = wake or asyncio.Event()
        try:
            while not stop.is_set():
                try:
                    self._recover()
                    await self._send_due()
                    await self._file_and_verify()
                except Exception:  # noqa: BLE001 - the loop outlives one bad round; rows say why
                    await asyncio.sleep(POLL_S)
                delay = self._until_next_due()
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await first_of(stop, wake)
                # Idle connections are closed between bursts; servers drop them anyway.
                if delay >= POLL_S:
                    await self._close_sessions()
        finally:
            await self._close_sessions()

    def _until_next_due(self) -> float:
        with self._store.read() as db:
            due = db.scalar("SELECT min(send_after) FROM outbox WHERE state IN ('queued', 'retry')")
        if due is None:
            return POLL_S
        wait = (_utc(due) - self._clock.now()).total_seconds()
        return max(0.0, min(wait, POLL_S))

    # -- sending -------------------------------------------------------------------------

    def _recover(self) -> None:
        now = self._clock.now()
        with self._store.write(durable=True) as w:
            for row in abandoned(w, now, alive):
                recover(w, row, now)

    async def _send_due(self) -> int:
        now = self._clock.now()
        with self._store.read() as db:
            rows = db.all(
                "SELECT o.id, o.account_id, a.name AS account FROM outbox o "
                "LEFT JOIN mail_account a ON a.id = o.account_id "
                "WHERE o.state IN ('queued', 'retry') AND o.send_after <= :now ORDER BY o.id",
                {"now": stored_time(now)},
            )
        by_account: dict[str | None, list[int]] = defaultdict(list)
        for row in rows:
            by_account[row.account].append(row.id)
        counts = await asyncio.gather(
            *(self._send_account(name, ids) for name, ids in by_account.items())
        )
        sent = sum(counts)
        if sent:
            self._store.search.notify()
        return sent

    async def _send_account(self, name: str | None, ids: list[int]) -> int:
        if self._settings.outgoing.transport == "maildir":
            return self._deliver_locally(ids)
        account = next((a for a in self._settings.accounts if a.name == name), None)
        if account is None:
            now = self._clock.now()
            with self._store.write(durable=True) as w:
                for outbox_id in ids:
                    if claim(w, outbox_id, now):
                        record_failed(
                            w,
                            outbox_id,
                            now,
                            f"account {name or '(none)'} is not in the config; "
                            "add it back or cancel this reply",
                            None,
                        )
            return 0
        sent = 0
        for n, outbox_id in enumerate(ids):
            outcome, error = await self._send_one(account, outbox_id)
            if outcome == "sent":
                sent += 1
            elif outcome == "offline":
                self._postpone(ids[n + 1 :], error)
                break
        return sent

    def _postpone(self, ids: list[int], error: str) -> None:
        """The account can't send now (server unreachable, login refused): the rest of the
        batch waits as long as the reply that found out, without counting an attempt."""
        after = stored_time(self._clock.now() + OFFLINE_RETRY)
        with self._store.write() as w:
            for outbox_id in ids:
                w.execute(
                    "UPDATE outbox SET state = 'retry', send_after = :after, last_error = :err "
                    "WHERE id = :id AND state IN ('queued', 'retry')",
                    {"after": after, "err": error[:500], "id": outbox_id},
                )

    async def _send_one(self, account: AccountConfig, outbox_id: int) -> tuple[str, str]:
        """One reply through the account's SMTP session: (outcome, error line); outcome is
        sent | retry | failed | unknown | offline | skipped (someone else took it)."""
        now = self._clock.now()
        with self._store.write(durable=True) as w:
            if not claim(w, outbox_id, now):
                return "skipped", ""
            row = w.one(
                "SELECT rfc_message_id, from_addr, to_addrs, cc_addrs, raw FROM outbox "
                "WHERE id = :id",
                {"id": outbox_id},
            )
        failpoint("outbox.claimed")
        try:
            recipients = parse_addresses(f"{row.to_addrs}, {row.cc_addrs}", "To")
        except AddressError as exc:
            with self._store.write(durable=True) as w:
                record_failed(w, outbox_id, self._clock.now(), str(exc), None)
            return "failed", str(exc)
        session = self._session(account)

        async def data_started() -> None:
            with self._store.write(durable=True) as w:
                mark_data_started(w, outbox_id)

        try:
            report = await session.send(row.from_addr, recipients, bytes(row.raw), data_started)
        except SmtpError as exc:
            return self._after_error(outbox_id, exc), str(exc)
        failpoint("outbox.accepted")
        with self._store.write(durable=True) as w:
            record_sent(w, outbox_id, self._clock.now(), reply=report.reply, refused=report.refused)
        return "sent", ""

    def _after_error(self, outbox_id: int, exc: SmtpError) -> str:
        now = self._clock.now()
        with self._store.write(durable=True) as w:
            if exc.kind == "unknown":
                record_unknown(w, outbox_id, now, str(exc))
                return "unknown"
            if exc.kind == "permanent":
                record_failed(w, outbox_id, now, str(exc), exc.code)
                return "failed"
            offline = exc.kind == "transient" and exc.code is None
            state = record_retry(w, outbox_id, now, str(exc), exc.code, offline=offline)
        if offline or exc.kind in ("auth", "config"):
            return "offline"  # the account can't send now: the rest of its batch waits too
        return state

    def _session(self, account: AccountConfig) -> SmtpSession:
        session = self._sessions.get(account.name)
        if session is None:
            session = self._sessions[account.name] = SmtpSession(account)
        return session

    async def _close_sessions(self) -> None:
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            await session.close()

    def _deliver_locally(self, ids: list[int]) -> int:
        sent = 0
        for outbox_id in ids:
            now = self._clock.now()
            with self._store.write(durable=True) as w:
                if not claim(w, outbox_id, now):
                    continue
                row = w.one(
                    "SELECT rfc_message_id, raw FROM outbox WHERE id = :id", {"id": outbox_id}
                )
            try:
                target = maildir.deliver(self._settings.maildir, row.rfc_message_id, row.raw)
            except OSError as exc:
                with self._store.write(durable=True) as w:
                    record_retry(
                        w, outbox_id, now, f"cannot write to the Maildir: {exc}", None, offline=True
                    )
                continue
            with self._store.write(durable=True) as w:
                record_sent(w, outbox_id, self._clock.now(), reply=f"delivered to {target.parent}")
            sent += 1
        return sent

    # -- Sent folder ---------------------------------------------------------------------

    async def _file_and_verify(self) -> None:
        """File copies of sent replies; look doubtful ones up in Sent (where servers file)."""
        if self._settings.outgoing.transport != "smtp":
            return
        with self._store.read() as db:
            rows = db.all(
                "SELECT o.id, o.state, o.rfc_message_id, o.created_at, a.name AS account "
                "FROM outbox o JOIN mail_account a ON a.id = o.account_id "
                "WHERE (o.state = 'sent' AND o.filing = 'todo') "
                "OR (o.state = 'unknown' AND o.last_error NOT LIKE 'not in Sent:%') "
                "ORDER BY o.id"
            )
        by_account: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            by_account[row.account].append(row)
        for name, items in by_account.items():
            account = next((a for a in self._settings.accounts if a.name == name), None)
            if account is None:
                continue
            await self._file_account(account, items)

    async def _file_account(self, account: AccountConfig, items: list[Any]) -> None:
        key = account.name
        now = self._clock.now()
        if self._filing_after.get(key, now) > now:
            return
        try:
            async with SentFolder(self._store, self._settings, account) as sent:
                for item in items:
                    if item.state == "unknown":
                        await self._verify(sent, item)
                        continue
                    failpoint("outbox.before_append")
                    await sent.file(item.rfc_message_id, self._raw(item.id), _utc(item.created_at))
                    failpoint("outbox.filed")
                    with self._store.write(durable=True) as w:
                        record_filed(w, item.id, self._clock.now())
        except SentFolderError:
            self._filing_after[key] = now + FILING_RETRY

    async def _verify(self, sent: SentFolder, item: Any) -> None:
        found = await sent.holds(item.rfc_message_id)
        now = self._clock.now()
        with self._store.write(durable=True) as w:
            if found:
                record_sent(w, item.id, now, reply="found in the Sent folder")
                record_filed(w, item.id, now)
            else:
                w.execute(
                    "UPDATE outbox SET last_error = :e WHERE id = :id",
                    {
                        "e": "not in Sent: the connection dropped after the message was handed "
                        "over, so it may have been sent — check with the customer, then mark it "
                        "sent or send it again",
                        "id": item.id,
                    },
                )

    def _raw(self, outbox_id: int) -> bytes:
        with self._store.read() as db:
            return bytes(db.scalar("SELECT raw FROM outbox WHERE id = :id", {"id": outbox_id}))


def _utc(value: Any) -> datetime:
    from agentconsole.clock import utc

    return utc(datetime.fromisoformat(value)) if isinstance(value, str) else utc(value)
