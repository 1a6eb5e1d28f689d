"""Opening the store: engine, SQLite pragmas, sessions, backups and upgrade on open.

Why: several processes (consoles of several agents, ``agentconsole sync``) share one file, so
every connection gets WAL, foreign keys and a busy timeout. An older store is copied to a
backup beside it before it is migrated, so an upgrade can never cost the owner their data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

BUSY_TIMEOUT_MS = 5000
SCHEMA_HEAD = "0002"
"""The newest migration in ``migrations/versions`` (a test keeps the two in step). Knowing it
without loading Alembic keeps opening an up-to-date store fast: Alembic is imported only when
there is something to migrate."""


class StoreError(Exception):
    """A store problem a user can act on; ``str()`` is one line."""


def migrations_dir() -> Path:
    """The Alembic scripts: ``migrations/`` in a checkout, ``_migrations`` in a wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "migrations", package / "_migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise StoreError("agentconsole is installed without its migrations")


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine whose every connection has the house pragmas."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


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


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision, read without Alembic (None for a new or foreign file)."""
    with engine.connect() as conn:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if not exists:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


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


def upgrade(path: Path) -> Path | None:
    """Bring the store at ``path`` to the newest schema. Returns the backup made, if any."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    engine = make_engine(path)
    try:
        current = current_revision(engine)
        if current == SCHEMA_HEAD:
            return None
        from alembic import command
        from alembic.script import ScriptDirectory

        head = head_revision()
        script = ScriptDirectory.from_config(alembic_config())
        if current is not None and current != head and not _known(script, current):
            raise StoreError(
                f"{path}: written by a newer agentconsole (schema {current}); upgrade agentconsole"
            )
        if current == head:
            return None
        made = backup(path, f"pre-{head}") if existed and current is not None else None
        if existed and current is None and _has_tables(engine):
            raise StoreError(f"{path}: not an agentconsole store (no schema version)")
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return made
    finally:
        engine.dispose()


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
        ).all()
    return bool(rows)


class Store:
    """One open store file. Hand out short sessions; never share a session across threads."""

    def __init__(self, path: Path, *, auto_upgrade: bool = True) -> None:
        self.path = path
        self.backup_made: Path | None = None
        if auto_upgrade:
            self.backup_made = upgrade(path)
        elif not path.exists():
            raise StoreError(f"{path}: no store here (run `agentconsole db upgrade`)")
        self.engine = make_engine(path)
        self._probe: sqlite3.Connection | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
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
        self.engine.dispose()
