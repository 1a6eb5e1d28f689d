"""The search index file: exact catch-up, rebuilt when damaged or foreign, never in the
store writer's way."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from agentconsole.store import search_index
from agentconsole.store.db import Store
from agentconsole.store.search import fts_query
from agentconsole.store.search_index import SEARCH_VERSION, search_path

NOW = "2026-11-23 10:00:00.000000"


def _add(store: Store, bodies: list[str], prefix: str = "m") -> list[int]:
    """Messages written the way the mail sync writes them (raw, in one transaction)."""
    ids = []
    with store.write() as w:
        customer = w.execute(
            "INSERT INTO customer (name, language, notes, created_at) "
            "VALUES ('Anna', 'en', '', :t)",
            {"t": NOW},
        )
        conversation = w.execute(
            "INSERT INTO conversation (subject, status, channel, customer_id, last_message_at, "
            "created_at) VALUES ('Hi', 'open', 'email', :c, :t, :t)",
            {"c": customer, "t": NOW},
        )
        start = w.scalar("SELECT count(*) FROM message")
        for n, body in enumerate(bodies, start):
            ids.append(
                w.execute(
                    "INSERT INTO message (message_id, conversation_id, customer_id, direction, "
                    "channel, from_addr, from_name, to_addrs, cc_addrs, subject, "
                    '"references", sent_at, received_at, body_text, is_automated, seen, size) '
                    "VALUES (:mid, :c, :cu, 'inbound', 'email', 'anna@example.com', 'Anna', '', "
                    "'', 'Teapot', '', :t, :t, :b, 0, 0, 0)",
                    {
                        "mid": f"{prefix}{n}@x",
                        "c": conversation,
                        "cu": customer,
                        "t": NOW,
                        "b": body,
                    },
                )
            )
    return ids


def _found(store: Store, typed: str) -> list[int]:
    with store.read() as db:
        return sorted(
            db.scalars(
                "SELECT rowid FROM search.message_fts WHERE message_fts MATCH :q",
                {"q": fts_query(typed)},
            )
        )


def test_index_lives_beside_the_store_and_rowid_is_message_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    assert store.search.path == tmp_path / "store.search.db" == search_path(store.path)
    [first] = _add(store, ["Die Teekanne kam wieder zerbrochen an"])
    assert _found(store, "zerbro") == []  # not indexed yet
    assert store.search.pending() == 1
    assert store.search.catch_up() == 1
    assert _found(store, "zerbro") == [first]
    assert _found(store, "teekanne zerbrochen") == [first]
    assert store.search.catch_up() == 0  # nothing twice
    store.close()


def test_catch_up_goes_in_chunks_and_resumes_without_gaps_or_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "CHUNK", 3)
    store = Store(tmp_path / "store.db")
    ids = _add(store, [f"parcel number {n}" for n in range(8)])
    assert store.search.index_a_few(limit=3) == 3
    assert store.search.pending() == 5
    stop = threading.Event()
    stop.set()
    assert store.search.catch_up(stop) == 0  # asked to stop: nothing more this time
    assert store.search.catch_up() == 5
    assert _found(store, "parcel") == ids
    store.close()


def test_the_store_can_be_written_while_the_index_is_busy(tmp_path: Path) -> None:
    """The index's write lock is its own: a long indexing transaction never holds up a
    console or the mail writer."""
    store = Store(tmp_path / "store.db")
    _add(store, ["first"])
    blocker = sqlite3.connect(store.search.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # as an indexer in the middle of a chunk
    try:
        started = time.monotonic()
        [second] = _add(store, ["second"])
        assert time.monotonic() - started < 2  # the busy timeout is 5 s
        started = time.monotonic()
        assert store.search.index_a_few() == 0  # a search never waits for another indexer
        assert time.monotonic() - started < 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    store.search.catch_up()
    assert _found(store, "second") == [second]
    store.close()


def test_a_damaged_index_file_is_rebuilt(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    [mid] = _add(store, ["the wool scarf"])
    store.search.catch_up()
    store.close()
    for side in tmp_path.glob("store.search.db*"):
        side.unlink()
    (tmp_path / "store.search.db").write_bytes(b"this is not a database" * 100)
    store = Store(tmp_path / "store.db")
    assert store.search.catch_up() == 1
    assert _found(store, "scarf") == [mid]
    store.close()


def test_an_index_of_another_version_is_rebuilt(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    [mid] = _add(store, ["the ceramic mug"])
    store.search.catch_up()
    store.close()
    conn = sqlite3.connect(tmp_path / "store.search.db")
    conn.execute(f"PRAGMA user_version = {SEARCH_VERSION + 1}")
    conn.commit()
    conn.close()
    store = Store(tmp_path / "store.db")
    assert store.search.pending() == 1
    store.search.catch_up()
    assert _found(store, "mug") == [mid]
    store.close()


def test_an_index_of_another_store_starts_over(tmp_path: Path) -> None:
    """A restored backup (other messages under the same ids) must not be searched through
    the old index."""
    one = tmp_path / "one"
    two = tmp_path / "two"
    store = Store(one / "store.db")
    _add(store, ["linen shirt"], prefix="a")
    store.search.catch_up()
    store.close()
    other = Store(two / "store.db")
    [mid] = _add(other, ["walnut lamp"], prefix="b")
    other.close()
    for name in ("store.db", "store.db-wal", "store.db-shm"):
        if (two / name).exists():
            shutil.copy(two / name, one / name)
    store = Store(one / "store.db")
    store.search.catch_up()
    assert _found(store, "linen") == []
    assert _found(store, "walnut") == [mid]
    store.close()


def test_background_indexing_keeps_up_with_a_writer(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    ids: list[int] = []
    for n in range(5):
        ids += _add(store, [f"refund {n}"] * 10, prefix=f"b{n}-")
        store.search.notify()
    store.search.wait()
    assert _found(store, "refund") == ids
    store.close()  # stops the thread
    assert not any(t.name == "search-index" for t in threading.enumerate())


def test_message_text_is_fixed_and_messages_are_never_deleted(tmp_path: Path) -> None:
    """What an index outside the store relies on, enforced by the store itself."""
    store = Store(tmp_path / "store.db")
    [mid] = _add(store, ["text"])
    with pytest.raises(sqlite3.IntegrityError, match="fixed"), store.write() as w:
        w.execute("UPDATE message SET body_text = 'other' WHERE id = :id", {"id": mid})
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"), store.write() as w:
        w.execute("DELETE FROM message WHERE id = :id", {"id": mid})
    with store.write() as w:  # everything else about a message may change
        w.execute(
            "UPDATE message SET seen = 1, removed_at = :t WHERE id = :id", {"t": NOW, "id": mid}
        )
    store.close()
