"""Bringing a store file to the newest schema, backing it up first.

Why: an upgrade must never cost the owner their data, so an older store is copied beside
itself before Alembic touches it. Opening an up-to-date store (the everyday case) reads the
schema version with ``sqlite3`` and never loads Alembic or SQLAlchemy.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from agentconsole.processes import alive

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from sqlalchemy import Engine

SCHEMA_HEAD = "0011"
HAND_WRITTEN_INDEXES = frozenset(
    {
        "ix_message_unread",
        "ix_message_flagged",
        "ix_conversation_sla_stale",
        "ix_conversation_sla_fp",
        "ix_conversation_inbox_order",
        "ix_conversation_all_order",
        "ix_message_conversation_of",
    }
)
"""Partial / expression indexes written in migrations by hand (0009, 0010): Alembic cannot compare
them with the models, so the models-vs-migrations check leaves them out."""
"""The newest migration in ``migrations/versions`` (a test keeps the two in step)."""
HAND_WRITTEN_TABLES = ("customer_text", "conversation_text", "lookup_dirty")
"""Name prefixes of the tables made by hand in migration 0011 (the FTS5 ones with their shadow
tables, ``customer_text_data`` …, and the list of rows to rebuild): no model describes them, so
the models-vs-migrations check leaves them out."""


class StoreError(Exception):
    """A store problem a user can act on; ``str()`` is one line."""


def migrations_dir() -> Path:
    """The Alembic scripts: ``migrations/`` in a checkout, ``_migrations`` in a wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "migrations", package / "_migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise StoreError("agentconsole is installed without its migrations")


def alembic_config(engine: Engine | None = None) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", str(engine.url))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not an agentconsole store ({exc})") from None
    finally:
        conn.close()


def current_revision(path: Path) -> str | None:
    """The store's schema revision (None for a new, empty or foreign file)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    if not _query(
        path, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ):
        return None
    rows = _query(path, "SELECT version_num FROM alembic_version")
    return str(rows[0][0]) if rows else None


def _has_tables(path: Path) -> bool:
    return bool(
        _query(
            path,
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND name NOT IN ('alembic_version', 'sqlite_sequence')",
        )
    )


def backup(path: Path, label: str) -> Path:
    """Copy the store with SQLite's online backup (consistent even with WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(path: Path) -> Path | None:
    """Bring the store at ``path`` to the newest schema. Returns the backup made, if any."""
    path.parent.mkdir(parents=True, exist_ok=True)
    current = current_revision(path)
    if current == SCHEMA_HEAD:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    from agentconsole.store.engine import make_engine

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current is not None and current != head and not _known(script, current):
        raise StoreError(
            f"{path}: written by a newer agentconsole (schema {current}); upgrade agentconsole"
        )
    if current == head:
        return None
    existed = path.exists() and path.stat().st_size > 0
    if existed and current is None and _has_tables(path):
        raise StoreError(f"{path}: not an agentconsole store (no schema version)")
    made = backup(path, f"pre-{head}") if existed and current is not None else None
    # A new store is built beside its final name and moved into place, so a process killed
    # half-way through creating it leaves no half-made store behind.
    target = path if current is not None else path.with_name(f"{path.name}.creating-{os.getpid()}")
    if target != path:
        _remove_abandoned_builds(path)
    engine = make_engine(target)
    try:
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()
    if target != path:
        remove_store_files(path)
        os.replace(target, path)
    return made


def _remove_abandoned_builds(path: Path) -> None:
    """Half-built stores of processes that died (or of this one) are removed."""
    for leftover in path.parent.glob(f"{path.name}.creating-*"):
        suffix = leftover.name.rsplit("-", 1)[-1]
        if not suffix.isdigit():
            continue  # a -wal / -shm file: removed with its database below
        pid = int(suffix)
        if pid != os.getpid() and alive(pid):
            continue  # another process is creating the store right now
        remove_store_files(leftover)


def remove_store_files(path: Path) -> None:
    """The store at ``path`` with its SQLite side files and its search index."""
    from agentconsole.store.search_index import search_path

    for base in (path, search_path(path)):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{base}{suffix}").unlink(missing_ok=True)
