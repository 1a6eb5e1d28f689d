"""The one protocol every store adapter follows, and the one error type it raises.

Why: ``commerce/sync.py``, ``agentconsole doctor`` and the order lookups drive any shop the
same way; adding a platform is writing one module, not touching the store or the console.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Literal, Protocol

from agentconsole.commerce.records import RemoteCustomer, RemoteOrder, StoreInfo

StoreErrorKind = Literal[
    "auth", "scope", "version", "tls", "unreachable", "throttled", "protocol", "not_found"
]


class StoreError(Exception):
    """One failure, classified; ``str()`` is one line for the shop owner naming the store and
    what to do (wrong token, missing scope, unknown API version, TLS error, host unreachable)."""

    def __init__(self, kind: StoreErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: StoreErrorKind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


class StoreAdapter(Protocol):
    """A connection to one shop. Async; ``close()`` when done. Never writes to the store."""

    platform: str

    async def check(self) -> StoreInfo:
        """Prove the credentials and API version work (``doctor``); StoreError otherwise."""
        ...

    def orders_updated_since(self, since: datetime | None) -> AsyncIterator[RemoteOrder]:
        """Every order updated at or after ``since`` (all when None), oldest update first,
        paging and throttling handled inside."""
        ...

    def customers_updated_since(self, since: datetime | None) -> AsyncIterator[RemoteCustomer]: ...

    async def order_by_number(self, number: str) -> RemoteOrder | None:
        """The order customers call ``number`` (``#1001``, ``1001``, a confirmation number)."""
        ...

    async def customer_by_email(self, email: str) -> RemoteCustomer | None:
        """Exact e-mail match only (searches are fuzzy on some platforms)."""
        ...

    async def orders_by_email(self, email: str) -> list[RemoteOrder]:
        """Orders placed with this e-mail, guests' included; exact matches only."""
        ...

    async def close(self) -> None: ...
