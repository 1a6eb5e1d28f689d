"""The store file: migrations, pragmas, upgrade-with-backup, FTS queries, the append-only log."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, StatementError

from agentconsole.store.db import Store
from agentconsole.store.engine import make_engine
from agentconsole.store.migrate import (
    HAND_WRITTEN_INDEXES,
    HAND_WRITTEN_TABLES,
    SCHEMA_HEAD,
    StoreError,
    alembic_config,
    current_revision,
    head_revision,
)
from agentconsole.store.models import Conversation, Customer, Event, Message, metadata
from agentconsole.store.search import fts_query

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _add_message(store: Store, body: str, message_id: str = "<a@x>") -> int:
    with store.session() as session:
        customer = Customer(name="Anna", created_at=NOW)
        session.add(customer)
        session.flush()
        conv = Conversation(
            subject="Hi", customer_id=customer.id, last_message_at=NOW, created_at=NOW
        )
        session.add(conv)
        session.flush()
        msg = Message(
            message_id=message_id,
            conversation_id=conv.id,
            direction="inbound",
            subject="Teapot",
            body_text=body,
            sent_at=NOW,
            received_at=NOW,
        )
        session.add(msg)
        session.flush()
        assert msg.id is not None
        return msg.id


def test_schema_head_constant_matches_the_migrations() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_migrations_create_everything_from_an_empty_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    with store.engine.connect() as conn:
        tables = {
            r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert set(metadata.tables) <= tables
        assert "message_fts" not in tables  # the index has its own file (search_index.py)
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    assert current_revision(store.path) == head_revision()
    store.close()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_models_and_migrations_agree(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parents: (
                    not (
                        (kind == "index" and name in HAND_WRITTEN_INDEXES)
                        or (kind == "table" and str(name).startswith(HAND_WRITTEN_TABLES))
                    )
                ),
            },
        )
        assert compare_metadata(context, metadata) == []
    store.close()


def test_downgrade_to_nothing_and_back(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store(path).close()
    engine = make_engine(path)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    with engine.connect() as conn:
        left = {
            r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
    # sqlite_sequence (AUTOINCREMENT's counters) is SQLite's own and cannot be dropped.
    assert left <= {"alembic_version", "sqlite_sequence"}
    engine.dispose()
    Store(path).close()


def test_older_store_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    engine = make_engine(path)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO customer (name, language, notes, created_at) VALUES ('Old', 'en', '', '2025-01-01 00:00:00')"
        )
    engine.dispose()

    store = Store(path)
    assert store.backup_made is not None and store.backup_made.exists()
    assert store.backup_made.parent == path.parent
    backup = sqlite3.connect(store.backup_made)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT name FROM customer").fetchall() == [("Old",)]
    backup.close()
    assert current_revision(store.path) == head_revision()
    with store.session() as session:
        assert session.execute(text("SELECT name FROM customer")).scalars().all() == ["Old"]
    store.close()
    # Opening an up-to-date store makes no further backup.
    again = Store(path)
    assert again.backup_made is None
    again.close()


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an agentconsole store"):
        Store(path)


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer agentconsole"):
        Store(path)


def test_fts_query_never_passes_syntax_through() -> None:
    assert fts_query('"NEAR( OR -x') == '"NEAR" "OR" "x"*'
    assert fts_query("  ") is None
    assert fts_query("Łódź café") == '"Łódź" "café"*'


def test_event_log_is_append_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    with store.session() as session:
        session.add(
            Event(at=NOW, actor="mara", kind="x", subject_type="conversation", subject_id=1)
        )
    with pytest.raises(DatabaseError, match="append-only"), store.session() as session:
        session.execute(text("UPDATE event SET kind = 'y'"))
    with pytest.raises(DatabaseError, match="append-only"), store.session() as session:
        session.execute(text("DELETE FROM event"))
    store.close()


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    with pytest.raises(StatementError, match="naive datetime"), store.session() as session:
        session.add(Customer(name="x", created_at=datetime(2026, 1, 1)))  # noqa: DTZ001
        session.flush()
    store.close()


def test_timestamps_come_back_aware_utc(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.db")
    with store.session() as session:
        customer = Customer(name="x", created_at=NOW)
        session.add(customer)
    with store.session() as session:
        again = session.get(Customer, customer.id)
        assert again is not None and again.created_at == NOW and again.created_at.tzinfo is not None
    store.close()


def test_change_counter_sees_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = Store(path)
    before = store.change_counter()
    assert store.change_counter() == before
    other = Store(path)
    _add_message(other, "hello")
    other.close()
    assert store.change_counter() != before
    store.close()


def test_templates_move_to_jinja_fallbacks_in_0007(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    engine = make_engine(path)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO reply_template (key, language, title, body, tags) VALUES ('hi', 'en',"
            " 'Hi', 'Hi {{ customer.first_name | there }}, {{ order.name }} {{ x | default(\"y\") }}',"
            " '')"
        )
    engine.dispose()
    store = Store(path)
    with store.read() as db:
        row = db.one("SELECT body, path, asks FROM reply_template")
    store.close()
    assert (
        row.body
        == 'Hi {{ customer.first_name | default("there") }}, {{ order.name }} {{ x | default("y") }}'
    )
    assert (row.path, row.asks) == ("", "[]")
