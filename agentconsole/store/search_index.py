"""The full-text index over messages: an FTS5 table in its own file beside the store.

Why its own file (``store.search.db`` beside ``store.db``): indexing costs as much as storing the mail itself (about
150 µs for a 5 KB message, measured on the 2-core box). Inside the store it ran in every
write transaction, under the store's single write lock: a 20,000-message first sync spent
half its time there, and every console waited for it to write anything. In its own file it
has its own lock, so an indexer thread (SQLite releases the GIL) keeps up *beside* the mail
writer. It is derived data: missing, damaged, from another store or from an older version of
this module, it is rebuilt from the store, so it is versioned by ``PRAGMA user_version``
instead of the store's migrations.

How it stays exact: the table is contentless (rowid = ``message.id``; the text stays in the
store). ``indexed_upto`` — the highest message id indexed — lives in the same file and moves in
the same transaction as the rows it covers, so a killed indexer neither skips nor repeats a
message. Message ids only grow (messages are never deleted, only marked removed), so "every
message above ``indexed_upto``" is exactly what is missing. The id's Message-ID is kept too:
if the store was swapped under the index (a restored backup), they disagree and the index
starts over.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from pathlib import Path

from agentconsole.store.pragmas import BUSY_TIMEOUT_MS, connect

SEARCH_VERSION = 2
"""2: no per-row column sizes (nothing ranks by BM25; results come in arrival order) and the
merge settings below."""
CHUNK = 2000
"""Messages per indexing transaction: big enough to amortise FTS5's segment writes, small
enough that a reader's search never waits long for the index lock."""

_log = logging.getLogger(__name__)

_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5("
    "subject, body_text, from_name, from_addr, content='', columnsize=0, "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TABLE IF NOT EXISTS index_state ("
    "id INTEGER PRIMARY KEY CHECK (id = 1), indexed_upto INTEGER NOT NULL, "
    "upto_message_id TEXT)",
    "INSERT OR IGNORE INTO index_state (id, indexed_upto) VALUES (1, 0)",
)
_TUNING = (
    # Merge segments 8 at a time instead of 4: a first sync indexes ~40 small transactions,
    # and FTS5 spent a fifth of its time re-merging them (20,000 messages: 1.59 → 1.28 s).
    "INSERT INTO message_fts(message_fts, rank) VALUES ('automerge', 8)",
    # Keep up to 16 MB of new terms in memory per transaction instead of 1 MB, so a big
    # catch-up writes one segment, not one per megabyte (2,000-message chunks: −20 %).
    "INSERT INTO message_fts(message_fts, rank) VALUES ('hashsize', 16777216)",
)
"""Settings stored in the index itself (FTS5's config table), measured with 20,000 bench
messages on the 2-core box; they change speed and segment layout, never results."""


def search_path(store_path: Path) -> Path:
    """Where the index of the store at ``store_path`` lives: ``store.db`` → ``store.search.db``."""
    return store_path.with_name(f"{store_path.name.removesuffix('.db')}.search.db")


class SearchIndex:
    """The index of one store: created on open, caught up on demand or in the background."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.path = search_path(store_path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []
        self._background: _Indexer | None = None
        self.ensure()

    # -- schema --------------------------------------------------------------------------

    def ensure(self) -> None:
        """Create the index file, or start it over if it is damaged or of another version."""
        try:
            self._create()
        except sqlite3.DatabaseError as exc:
            _log.warning("search index %s unusable (%s); rebuilding it", self.path, exc)
            self.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._create()

    def _create(self) -> None:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) == SEARCH_VERSION:
                conn.execute("SELECT indexed_upto FROM index_state").fetchone()
                return
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                if int(conn.execute("PRAGMA user_version").fetchone()[0]) != SEARCH_VERSION:
                    conn.execute("DROP TABLE IF EXISTS message_fts")
                    conn.execute("DROP TABLE IF EXISTS index_state")
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    for statement in _TUNING:
                        with contextlib.suppress(sqlite3.OperationalError):  # an SQLite
                            conn.execute(statement)  # without the option: its defaults
                    conn.execute(f"PRAGMA user_version = {SEARCH_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    # -- indexing ------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection: the index as ``main``, the store attached as ``store``."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            conn.execute("ATTACH DATABASE ? AS store", (str(self.store_path),))
            self._local.conn = conn
            with self._lock:
                self._open.append(conn)
        return conn

    def pending(self) -> int:
        """How many messages are not indexed yet."""
        conn = self._connection()
        upto = conn.execute("SELECT indexed_upto FROM index_state").fetchone()[0]
        return int(
            conn.execute("SELECT count(*) FROM store.message WHERE id > ?", (upto,)).fetchone()[0]
        )

    def indexed_upto(self) -> tuple[int, str | None]:
        """How far the index has come (changes whenever its contents do): a cheap version for
        results computed from it."""
        row = (
            self._connection()
            .execute("SELECT indexed_upto, upto_message_id FROM index_state")
            .fetchone()
        )
        return (int(row[0]), row[1]) if row else (0, None)

    def catch_up(self, stop: threading.Event | None = None) -> int:
        """Index every message not indexed yet; returns how many. ``stop`` ends it between
        chunks (what is indexed stays; the rest comes next time)."""
        done = 0
        while stop is None or not stop.is_set():
            added = self._index_chunk(CHUNK)
            if added is None:
                break
            done += added
        return done

    def index_a_few(self, limit: int = 200) -> int:
        """For a search about to run on the UI thread: index up to ``limit`` stragglers, and
        never wait — if another process is indexing right now, search what is indexed."""
        conn = self._connection()
        conn.execute("PRAGMA busy_timeout=0")
        try:
            return self._index_chunk(limit) or 0
        except sqlite3.OperationalError:  # locked by another indexer
            return 0
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def _index_chunk(self, size: int) -> int | None:
        """One transaction: the next ``size`` message ids, or None when nothing is left."""
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            # Write first, so the transaction holds the index's lock (and only that one: the
            # store is merely read) before it reads where to continue.
            conn.execute("UPDATE index_state SET indexed_upto = indexed_upto WHERE id = 1")
            upto, upto_mid = conn.execute(
                "SELECT indexed_upto, upto_message_id FROM index_state"
            ).fetchone()
            top = conn.execute("SELECT max(id) FROM store.message").fetchone()[0] or 0
            if upto and (upto > top or self._message_id(conn, upto) != upto_mid):
                _log.warning("search index %s belongs to another store; rebuilding", self.path)
                conn.execute("INSERT INTO message_fts(message_fts) VALUES ('delete-all')")
                upto = 0
            if top <= upto:
                conn.execute("COMMIT")
                return None
            end = min(top, upto + size)
            conn.execute(
                "INSERT INTO message_fts (rowid, subject, body_text, from_name, from_addr) "
                "SELECT id, subject, body_text, from_name, from_addr FROM store.message "
                "WHERE id > ? AND id <= ?",
                (upto, end),
            )
            added = conn.execute("SELECT changes()").fetchone()[0]
            conn.execute(
                "UPDATE index_state SET indexed_upto = ?, upto_message_id = ? WHERE id = 1",
                (end, self._message_id(conn, end)),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return int(added)

    @staticmethod
    def _message_id(conn: sqlite3.Connection, message_row: int) -> str | None:
        row = conn.execute(
            "SELECT message_id FROM store.message WHERE id <= ? ORDER BY id DESC LIMIT 1",
            (message_row,),
        ).fetchone()
        return row[0] if row else None

    def rebuild(self) -> int:
        """Start the index over from the store; returns how many messages it now holds."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT INTO message_fts(message_fts) VALUES ('delete-all')")
            conn.execute("UPDATE index_state SET indexed_upto = 0, upto_message_id = NULL")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return self.catch_up()

    # -- in the background ---------------------------------------------------------------

    def notify(self) -> None:
        """New messages were committed: index them soon, in a thread, beside the writer."""
        with self._lock:
            if self._background is None:
                self._background = _Indexer(self)
            self._background.wanted.set()

    def wait(self) -> None:
        """Block until what was notified so far is indexed (``sync --once`` ends with this)."""
        background = self._background
        if background is not None:
            background.wait()

    def close(self) -> None:
        """Stop the background indexer (between chunks) and close every connection."""
        background, self._background = self._background, None
        if background is not None:
            background.stop()
        with self._lock:
            for conn in self._open:
                conn.close()
            self._open.clear()
        self._local = threading.local()


class _Indexer:
    """The background thread behind ``SearchIndex.notify``."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.wanted = threading.Event()
        self.halt = threading.Event()
        self.idle = threading.Condition()
        self.busy = False
        self.thread = threading.Thread(target=self._run, name="search-index", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.halt.is_set():
            self.wanted.wait()
            if self.halt.is_set():
                break
            with self.idle:
                self.busy = True
                self.wanted.clear()
            try:
                self.index.catch_up(self.halt)
            except Exception as exc:  # noqa: BLE001 - searching catches up later; the writer
                _log.warning("search indexing failed: %s", exc)  # and `wait` must go on
            finally:
                with self.idle:
                    self.busy = False
                    self.idle.notify_all()

    def wait(self) -> None:
        with self.idle:
            self.idle.wait_for(lambda: not self.busy and not self.wanted.is_set())

    def stop(self) -> None:
        self.halt.set()
        self.wanted.set()
        self.thread.join(timeout=30)
