"""Bulk writes leave the WAL checkpoint to a background thread, and only bulk writes do."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from agentconsole.store.db import Store


def _fill(store: Store, bulk: bool, rows: int = 300) -> None:
    with store.write(bulk=bulk) as w:
        w.executemany(
            "INSERT INTO customer (name, language, notes, created_at) "
            "VALUES ('Anna', 'en', :notes, '2026-11-23 10:00:00.000000')",
            [{"notes": f"{n}" * 20_000} for n in range(rows)],
        )


def test_a_bulk_commit_is_checkpointed_by_the_background_thread(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    before = store.path.stat().st_size
    _fill(store, bulk=True)
    deadline = time.monotonic() + 10
    while store.path.stat().st_size <= before + 1_000_000 and time.monotonic() < deadline:
        time.sleep(0.05)  # the pages reach the database file only through a checkpoint
    assert store.path.stat().st_size > before + 1_000_000
    with store.write() as w:  # the connection is back to SQLite's automatic checkpoints
        assert w.scalar("PRAGMA wal_autocheckpoint") == 1000
    store.close()
    assert not any(t.name == "checkpoint" for t in threading.enumerate())
