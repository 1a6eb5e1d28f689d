"""``doctor``: try every configured mailbox and shop, and say in one line what is wrong.

Why: setting up is where helpdesk integrations lose people. Each check really connects (IMAP
login, SMTP login, one authenticated store API call) and turns the failure into the sentence a
shop owner can act on: wrong password or token, missing scope, unknown API version, TLS error,
host unreachable.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from agentconsole.config import AccountConfig, Settings, StoreConfig
from agentconsole.store.db import Store


@dataclass(frozen=True)
class Check:
    kind: str  # imap | smtp | store
    name: str
    ok: bool
    detail: str


class DoctorService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings

    async def run(self) -> list[Check]:
        """Every check, side by side; in config order."""
        jobs = []
        for account in self._settings.accounts:
            jobs.append(self._imap(account))
            if self._settings.outgoing.transport == "smtp":
                jobs.append(self._smtp(account))
        jobs.extend(self._shop(config) for config in self._settings.stores)
        return list(await asyncio.gather(*jobs))

    async def _imap(self, account: AccountConfig) -> Check:
        from agentconsole.mail.imap import ImapError
        from agentconsole.mail.sync import AccountSync, SyncAuthError

        sync = AccountSync(self._store, self._settings, account)
        try:
            client = await sync.connect()
        except (ImapError, SyncAuthError, OSError) as exc:
            return Check("imap", account.name, False, str(exc))
        caps = " ".join(c for c in ("QRESYNC", "CONDSTORE", "IDLE") if c in client.capabilities)
        await sync.close()
        return Check("imap", account.name, True, f"logged in to {account.imap_host} ({caps})")

    async def _smtp(self, account: AccountConfig) -> Check:
        from agentconsole.mail.smtp import SmtpError, SmtpSession

        session = SmtpSession(account, timeout=15)
        try:
            await session.connect()
        except SmtpError as exc:
            return Check("smtp", account.name, False, str(exc))
        finally:
            await session.close()
        return Check("smtp", account.name, True, f"logged in to {session.host}:{session.port}")

    async def _shop(self, config: StoreConfig) -> Check:
        from agentconsole.commerce.base import StoreError
        from agentconsole.commerce.sync import open_adapter

        adapter = open_adapter(config)
        try:
            info = await adapter.check()
        except StoreError as exc:
            return Check("store", config.name, False, str(exc))
        finally:
            await adapter.close()
        version = f", API {info.api_version}" if info.api_version else ""
        return Check("store", config.name, True, f"{info.name} ({info.currency}{version})")
