"""The SQLAlchemy engine for writes and migrations, with the house SQLite pragmas; every
transaction takes the write lock when it begins (``BEGIN IMMEDIATE``).

Why a module of its own: SQLAlchemy and SQLModel take about a second to import, so only the
paths that write (or migrate) load this; reading goes through :mod:`agentconsole.store.reader`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from agentconsole.store.pragmas import BUSY_TIMEOUT_MS, apply_pragmas


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    apply_pragmas(dbapi_conn)
    # The driver's own BEGIN is deferred: a transaction that reads, then writes, fails at once
    # with "database is locked" when another process wrote in between (the busy timeout cannot
    # help). Transactions here exist to write, so take the write lock up front (see _on_begin).
    dbapi_conn.isolation_level = None


def _on_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    """An engine whose every connection has the house pragmas."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine
