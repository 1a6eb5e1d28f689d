"""The SQLite settings every connection gets, reader or writer.

Several processes (consoles of several agents, ``agentconsole sync``) share one file, so every
connection uses WAL, enforces foreign keys and waits for a busy writer instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
WAL_SIZE_LIMIT_BYTES = 32 * 1024 * 1024
AUTOCHECKPOINT_PAGES = 1000
"""SQLite's default: the commit that takes the WAL past this many pages checkpoints it."""


def apply_pragmas(conn: sqlite3.Connection) -> None:
    cursor = conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
    # A bulk sync's log grows between background checkpoints; cut it back when it restarts.
    cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}")
    cursor.close()


def connect(path: Path) -> sqlite3.Connection:
    """A connection with these settings, in autocommit mode (callers write BEGIN/COMMIT),
    usable from the thread pool that opened it."""
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    apply_pragmas(conn)
    return conn
