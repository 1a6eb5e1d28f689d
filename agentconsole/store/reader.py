"""Access to the store over the standard library's ``sqlite3``: reads, and bulk writes.

Why: the console must be interactive within a second of starting, and the read path is all it
needs for that. Services already read with plain SQL and ``:named`` parameters, so they run
here unchanged without loading SQLAlchemy. Each thread gets its own connection (the console
reads from worker threads too); each ``read()`` block is one snapshot of the store.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from agentconsole.store import lookup_text
from agentconsole.store.pragmas import AUTOCHECKPOINT_PAGES, connect


@lru_cache(maxsize=256)
def _row_type(fields: tuple[str, ...]) -> type:
    return namedtuple("Row", fields, rename=True)  # type: ignore[misc]  # noqa: PYI024


def _row_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Any:
    """Rows readable by name (``row.subject``) and by position (``row[0]``)."""
    return _row_type(tuple(column[0] for column in cursor.description))._make(row)


class Reader:
    """One read snapshot: run queries, get rows with named fields."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        return self._conn.execute(sql, params or {}).fetchall()

    def first(self, sql: str, params: Mapping[str, Any] | None = None) -> Any | None:
        return self._conn.execute(sql, params or {}).fetchone()

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self.first(sql, params)
        if row is None:
            raise LookupError("expected one row, found none")
        return row

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self.first(sql, params)
        return row[0] if row is not None else None

    def scalars(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        return [row[0] for row in self.all(sql, params)]


def stored_time(value: datetime | None) -> str | None:
    """An aware datetime in the store's text form (what SQLAlchemy's DateTime writes: naive UTC
    ``YYYY-MM-DD HH:MM:SS.ffffff``), so raw writes sort and compare like ORM ones."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store; use timezone-aware UTC")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


class Writer(Reader):
    """One write transaction over ``sqlite3`` (``BEGIN IMMEDIATE``), for bulk writers such as
    the mail sync that would spend more time in ORM objects than in SQLite."""

    def execute(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> int:
        """Run one statement; the new row's id for an INSERT."""
        cursor = self._conn.execute(sql, params or {})
        return (
            int(cursor.lastrowid or 0) if sql.lstrip()[:6].upper() == "INSERT" else cursor.rowcount
        )

    def executemany(self, sql: str, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)


class ReadConnections:
    """A connection per thread, closed together."""

    def __init__(self, path: Path, attach: dict[str, Path] | None = None) -> None:
        self._path = path
        self._attach = dict(attach or {})
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []

    def _connection(self, writer: bool = False) -> sqlite3.Connection:
        slot = "writer" if writer else "conn"
        conn: sqlite3.Connection | None = getattr(self._local, slot, None)
        if conn is None:
            conn = connect(self._path)
            if not writer:
                for name, other in self._attach.items():
                    conn.execute(f"ATTACH DATABASE ? AS {name}", (str(other),))
                conn.execute("PRAGMA query_only=ON")
            conn.row_factory = _row_factory
            setattr(self._local, slot, conn)
            with self._lock:
                self._open.append(conn)
        return conn

    @contextmanager
    def write(self, bulk: bool = False, durable: bool = False) -> Iterator[Writer]:
        """A write transaction: committed when the block ends, rolled back on error.

        ``bulk``: the commit leaves the WAL checkpoint to the caller (see ``checkpoint.py``).
        ``durable``: the commit is fsynced (``synchronous=FULL``) — for outbox steps that must
        survive a power cut, not just a killed process.
        """
        conn = self._connection(writer=True)
        if bulk:
            conn.execute("PRAGMA wal_autocheckpoint=0")
        if durable:
            conn.execute("PRAGMA synchronous=FULL")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Writer(conn)
                lookup_text.flush(conn)  # the search lookup tables follow what was written
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            if bulk:
                conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
            if durable:
                conn.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def read(self) -> Iterator[Reader]:
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            yield Reader(conn)
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._open:
                conn.close()
            self._open.clear()
        self._local = threading.local()
