"""The Sent folder, for the outbox: file a copy of what was sent, and look a Message-ID up.

Filing first searches the folder for the Message-ID, so a crash between the APPEND and its
commit never files a second copy. The same search settles a send whose outcome was lost
(the connection dropped after the message was handed over): providers that file their own
copy (Gmail, Microsoft 365) have it in Sent if it went out.
"""

from __future__ import annotations

from datetime import datetime

from agentconsole.config import AccountConfig, Settings
from agentconsole.mail.imap import ImapClient, ImapError, quote
from agentconsole.store.db import Store


class SentFolderError(Exception):
    """The Sent folder can't be reached or used; ``str()`` is one line."""


class SentFolder:
    """One IMAP connection to an account's Sent folder (found by SPECIAL-USE)."""

    def __init__(self, store: Store, settings: Settings, account: AccountConfig) -> None:
        self._store = store
        self._settings = settings
        self._account = account
        self._client: ImapClient | None = None
        self._name: str | None = None

    async def __aenter__(self) -> SentFolder:
        from agentconsole.mail.sync import AccountSync, SyncAuthError

        sync = AccountSync(self._store, self._settings, self._account)
        try:
            self._client = await sync.connect()
            listed = await self._client.list_mailboxes()
        except (ImapError, SyncAuthError, OSError) as exc:
            await self.close()
            raise SentFolderError(f"Sent folder of account {self._account.name}: {exc}") from None
        self._name = next((n for flags, n in listed if "\\Sent" in flags), None)
        if self._name is None:
            self._name = next((n for _, n in listed if n.lower() in ("sent", "sent items")), None)
        if self._name is None:
            await self.close()
            raise SentFolderError(
                f"account {self._account.name} has no Sent folder (no \\Sent SPECIAL-USE)"
            )
        try:
            await self._client.select(self._name)
        except ImapError as exc:
            await self.close()
            raise SentFolderError(f"cannot open {self._name}: {exc}") from None
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.logout()
            self._client = None

    async def holds(self, message_id: str) -> bool:
        """Whether a message with this Message-ID (without ``<>``) is in the folder."""
        assert self._client is not None
        try:
            found = await self._client.uid_search(b"HEADER Message-ID " + quote(f"<{message_id}>"))
        except ImapError as exc:
            raise SentFolderError(f"searching {self._name}: {exc}") from None
        return bool(found)

    async def file(self, message_id: str, raw: bytes, date: datetime) -> bool:
        """APPEND the exact bytes sent, ``\\Seen``, dated when sent — unless already there.
        True when this call appended it."""
        if await self.holds(message_id):
            return False
        assert self._client is not None and self._name is not None
        try:
            await self._client.append(self._name, raw, ("\\Seen",), date)
        except ImapError as exc:
            raise SentFolderError(f"filing in {self._name}: {exc}") from None
        return True
