"""Who is looking at which conversation, and who is replying: a board shared by every console
on one store (``presence.db`` beside ``store.db``).

Why a file of its own: consoles write a heartbeat every few seconds and whenever the agent
moves; in the store those writes would make every other console re-read its panes (they watch
the store's change counter). This is ephemeral coordination, not the shop's data: no migration,
no backup; a row older than ``STALE_SECONDS`` is a console that went away without saying so.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from agentconsole.store.pragmas import connect

STALE_SECONDS = 15.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS presence (
    console TEXT PRIMARY KEY,
    agent_handle TEXT NOT NULL,
    agent_name TEXT NOT NULL,
    conversation_id INTEGER,
    activity TEXT NOT NULL,
    since TEXT NOT NULL,
    seen_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Presence:
    """One other console's agent on one conversation."""

    agent_handle: str
    agent_name: str
    conversation_id: int
    activity: str  # viewing | replying
    since: datetime


class PresenceBoard:
    """Beats and looks, each a short transaction (safe from several threads)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = connect(self._path)
            conn.execute(_SCHEMA)
            self._conn = conn
        return self._conn

    def beat(
        self,
        console: str,
        handle: str,
        name: str,
        conversation_id: int | None,
        activity: str,
        now: datetime,
    ) -> None:
        """This console's agent is on ``conversation_id`` (None: on none), doing ``activity``;
        ``since`` moves only when the conversation or the activity changes."""
        stamp = now.isoformat()
        with self._lock:
            db = self._db()
            db.execute(
                "INSERT INTO presence VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (console) DO "
                "UPDATE SET agent_handle = excluded.agent_handle, agent_name = excluded.agent_name,"
                " since = CASE WHEN conversation_id IS excluded.conversation_id AND activity = "
                "excluded.activity THEN since ELSE excluded.since END, "
                "conversation_id = excluded.conversation_id, activity = excluded.activity, "
                "seen_at = excluded.seen_at",
                (console, handle, name, conversation_id, activity, stamp, stamp),
            )

    def leave(self, console: str) -> None:
        with self._lock:
            self._db().execute("DELETE FROM presence WHERE console = ?", (console,))

    def others(self, console: str, now: datetime) -> list[Presence]:
        """Everybody else on a conversation, freshest first (stale consoles left out)."""
        fresh = (now - timedelta(seconds=STALE_SECONDS)).isoformat()
        with self._lock:
            rows = (
                self._db()
                .execute(
                    "SELECT agent_handle, agent_name, conversation_id, activity, since "
                    "FROM presence WHERE console != ? AND conversation_id IS NOT NULL "
                    "AND seen_at >= ? ORDER BY activity = 'replying' DESC, since",
                    (console, fresh),
                )
                .fetchall()
            )
        return [Presence(r[0], r[1], int(r[2]), r[3], datetime.fromisoformat(r[4])) for r in rows]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
