"""One open store file: fast reads over ``sqlite3``, ORM sessions for writes, upgrade on open.

Why the split: reads (everything the console needs to show the inbox) use the standard library
and start instantly; SQLAlchemy/SQLModel are loaded on the first write. Both sides use the same
pragmas (:mod:`agentconsole.store.pragmas`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from agentconsole.store import lookup_text
from agentconsole.store.checkpoint import Checkpointer
from agentconsole.store.migrate import SCHEMA_HEAD, StoreError, upgrade
from agentconsole.store.reader import ReadConnections, Reader, Writer
from agentconsole.store.search_index import SearchIndex

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

__all__ = ["SCHEMA_HEAD", "Reader", "Store", "StoreError", "Writer"]


class Store:
    """One open store file. Hand out short sessions; never share a session across threads."""

    def __init__(self, path: Path, *, auto_upgrade: bool = True) -> None:
        self.path = path
        self.backup_made: Path | None = None
        if auto_upgrade:
            self.backup_made = upgrade(path)
        elif not path.exists():
            raise StoreError(f"{path}: no store here (run `agentconsole db upgrade`)")
        self._engine: Engine | None = None
        self._checkpointer = Checkpointer(path)
        self.search = SearchIndex(path)
        """The full-text index (its own file); reads see it as the ``search`` schema."""
        self._readers = ReadConnections(path, {"search": self.search.path})
        self._probe: sqlite3.Connection | None = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, created (and SQLAlchemy imported) on first use."""
        if self._engine is None:
            from agentconsole.store.engine import make_engine

            self._engine = make_engine(self.path)
        return self._engine

    def read(self) -> AbstractContextManager[Reader]:
        """A read-only snapshot of the store for a few queries."""
        return self._readers.read()

    def write(self, bulk: bool = False, durable: bool = False) -> AbstractContextManager[Writer]:
        """A raw write transaction (``BEGIN IMMEDIATE``) for writers like the mail sync.

        ``bulk`` (many big transactions in a row): the WAL is checkpointed in a background
        thread after the commit instead of inside it. ``durable``: fsynced at commit.
        """
        if not bulk:
            return self._readers.write(durable=durable)
        return self._bulk_write()

    @contextmanager
    def _bulk_write(self) -> Iterator[Writer]:
        with self._readers.write(bulk=True) as writer:
            yield writer
        self._checkpointer.request()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on error."""
        from sqlalchemy import text
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.flush()
                # The search lookup tables follow what was written (as every writer does).

                def run(sql: str, params: dict[str, object]) -> list[object]:
                    result = session.execute(text(sql), params)
                    return list(result.all()) if result.returns_rows else []

                lookup_text.flush_with(run)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def change_counter(self) -> int:
        """Cheap check for commits by *other* connections (``PRAGMA data_version``).

        The console polls this to notice what another console or the sync process wrote.
        """
        if self._probe is None:
            self._probe = sqlite3.connect(self.path, check_same_thread=False)
        return int(self._probe.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None
        self.search.close()
        self._checkpointer.close()
        self._readers.close()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
