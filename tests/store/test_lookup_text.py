"""The trigram lookup tables (migration 0011, ``store/lookup_text.py``): kept exact by their
triggers through every change, backfilled on upgrade, and queried by ``containing``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from agentconsole.store import lookup_text
from agentconsole.store.db import Store
from agentconsole.store.engine import make_engine
from agentconsole.store.lookup_text import containing, containing_any
from agentconsole.store.migrate import alembic_config, current_revision, upgrade
from agentconsole.store.pragmas import connect

NOW = "2026-11-23 10:00:00.000000"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "store.db"
    Store(path).close()
    conn = connect(path)
    yield conn
    conn.close()


def _customer(conn: sqlite3.Connection, name: str, *identities: str) -> int:
    cid = conn.execute(
        "INSERT INTO customer (name, language, notes, created_at) VALUES (?, 'en', '', ?)",
        (name, NOW),
    ).lastrowid
    assert cid is not None
    for value in identities:
        _identity(conn, cid, value)
    return cid


def _identity(conn: sqlite3.Connection, customer_id: int, value: str) -> int:
    iid = conn.execute(
        "INSERT INTO customer_identity (customer_id, kind, value, is_primary) "
        "VALUES (?, 'email', ?, 0)",
        (customer_id, value),
    ).lastrowid
    assert iid is not None
    return iid


def _conversation(conn: sqlite3.Connection, subject: str, customer_id: int) -> int:
    vid = conn.execute(
        "INSERT INTO conversation (subject, status, channel, customer_id, last_message_at, "
        "created_at) VALUES (?, 'open', 'email', ?, ?, ?)",
        (subject, customer_id, NOW, NOW),
    ).lastrowid
    assert vid is not None
    return vid


def _contact(
    conn: sqlite3.Connection, customer_id: int, conversation_id: int | None, summary: str
) -> int:
    kid = conn.execute(
        "INSERT INTO contact (customer_id, conversation_id, channel, direction, occurred_at, "
        "summary) VALUES (?, ?, 'phone', 'inbound', ?, ?)",
        (customer_id, conversation_id, NOW, summary),
    ).lastrowid
    assert kid is not None
    return kid


def _lines(text: str) -> tuple[str, list[str]]:
    first, *rest = text.split("\n")
    return first, sorted(rest)


def _stored(conn: sqlite3.Connection, table: str) -> dict[int, tuple[str, list[str]]]:
    lookup_text.flush(conn)  # what every writer does before it commits
    return {rowid: _lines(text) for rowid, text in conn.execute(f"SELECT rowid, text FROM {table}")}


def _expected(conn: sqlite3.Connection) -> dict[str, dict[int, tuple[str, list[str]]]]:
    """Both tables as they should be, computed here from the rows (not with the SQL under test)."""
    customers: dict[int, tuple[str, list[str]]] = {
        cid: (name, []) for cid, name in conn.execute("SELECT id, name FROM customer")
    }
    for cid, value in conn.execute("SELECT customer_id, value FROM customer_identity"):
        customers[cid][1].append(value)
    conversations: dict[int, tuple[str, list[str]]] = {
        vid: (subject, []) for vid, subject in conn.execute("SELECT id, subject FROM conversation")
    }
    for vid, summary in conn.execute("SELECT conversation_id, summary FROM contact"):
        if vid is not None and summary:
            conversations[vid][1].append(summary)
    for rows in (customers, conversations):
        for lines in rows.values():
            lines[1].sort()
    return {"customer_text": customers, "conversation_text": conversations}


def _assert_exact(conn: sqlite3.Connection) -> None:
    for table, rows in _expected(conn).items():
        assert _stored(conn, table) == rows, table


def test_customer_text_follows_names_and_identities(db: sqlite3.Connection) -> None:
    anna = _customer(db, "Anna Schmidt", "anna@example.com", "+4930111")
    ben = _customer(db, "Ben", "ben@example.org")
    nobody = _customer(db, "Nobody")
    _assert_exact(db)
    assert _stored(db, "customer_text")[anna] == ("Anna Schmidt", ["+4930111", "anna@example.com"])
    assert _stored(db, "customer_text")[nobody] == ("Nobody", [])

    db.execute("UPDATE customer SET name = 'Anna Schmidt-Weber' WHERE id = ?", (anna,))
    _assert_exact(db)
    db.execute("UPDATE customer SET language = 'de' WHERE id = ?", (anna,))  # not text
    _assert_exact(db)
    phone = db.execute("SELECT id FROM customer_identity WHERE value = '+4930111'").fetchone()[0]
    db.execute("UPDATE customer_identity SET value = '+4930222' WHERE id = ?", (phone,))
    _assert_exact(db)
    # An identity moves to another customer: both rows change.
    db.execute("UPDATE customer_identity SET customer_id = ? WHERE id = ?", (ben, phone))
    _assert_exact(db)
    assert _stored(db, "customer_text")[anna] == ("Anna Schmidt-Weber", ["anna@example.com"])
    assert _stored(db, "customer_text")[ben] == ("Ben", ["+4930222", "ben@example.org"])
    # … and moves and changes at once.
    db.execute(
        "UPDATE customer_identity SET customer_id = ?, value = '+4930333' WHERE id = ?",
        (nobody, phone),
    )
    _assert_exact(db)
    db.execute("DELETE FROM customer_identity WHERE value = 'anna@example.com'")
    _assert_exact(db)
    assert _stored(db, "customer_text")[anna] == ("Anna Schmidt-Weber", [])
    # A customer goes (a merge): its identities first, then the row.
    db.execute("UPDATE customer_identity SET customer_id = ? WHERE customer_id = ?", (ben, nobody))
    db.execute("DELETE FROM customer WHERE id = ?", (nobody,))
    _assert_exact(db)
    assert nobody not in _stored(db, "customer_text")
    db.execute("DELETE FROM customer_identity")
    db.execute("DELETE FROM customer")
    assert _stored(db, "customer_text") == {}


def test_new_rows_are_found_by_id_even_where_an_id_comes_back(db: sqlite3.Connection) -> None:
    """Inserting a customer or a conversation notes nothing (the bulk of a first sync fires no
    trigger): ``flush`` finds them above the highest indexed id — also when SQLite hands out
    the id of a row deleted since."""
    anna = _customer(db, "Anna")
    ben = _customer(db, "Ben")
    talk = _conversation(db, "Where is my order?", anna)
    assert db.execute("SELECT count(*) FROM lookup_dirty").fetchone() == (0,)
    _assert_exact(db)
    db.execute("DELETE FROM customer WHERE id = ?", (ben,))
    _assert_exact(db)
    carla = _customer(db, "Carla")
    assert carla == ben  # the id came back
    _assert_exact(db)
    assert _stored(db, "customer_text")[carla] == ("Carla", [])
    db.execute("DELETE FROM conversation WHERE id = ?", (talk,))
    again = _conversation(db, "Refund please", anna)
    assert again == talk
    _assert_exact(db)
    assert _stored(db, "conversation_text")[again] == ("Refund please", [])


def test_conversation_text_follows_subjects_and_contacts(db: sqlite3.Connection) -> None:
    anna = _customer(db, "Anna")
    one = _conversation(db, "Where is my order?", anna)
    two = _conversation(db, "Refund", anna)
    _assert_exact(db)
    call = _contact(db, anna, one, "Called about the late parcel")
    _contact(db, anna, one, "")  # no summary: no line
    loose = _contact(db, anna, None, "Asked about opening hours")  # no conversation
    _assert_exact(db)
    assert _stored(db, "conversation_text")[one] == (
        "Where is my order?",
        ["Called about the late parcel"],
    )

    db.execute("UPDATE contact SET summary = 'Parcel found' WHERE id = ?", (call,))
    _assert_exact(db)
    db.execute("UPDATE contact SET conversation_id = ? WHERE id = ?", (two, call))  # moves
    _assert_exact(db)
    assert _stored(db, "conversation_text")[one] == ("Where is my order?", [])
    assert _stored(db, "conversation_text")[two] == ("Refund", ["Parcel found"])
    db.execute("UPDATE contact SET conversation_id = NULL WHERE id = ?", (call,))  # detached
    _assert_exact(db)
    db.execute("UPDATE contact SET conversation_id = ? WHERE id = ?", (one, loose))  # attached
    _assert_exact(db)
    db.execute("UPDATE contact SET summary = '' WHERE id = ?", (loose,))
    _assert_exact(db)
    db.execute("UPDATE contact SET summary = 'Opening hours' WHERE id = ?", (loose,))
    _assert_exact(db)
    db.execute("UPDATE conversation SET subject = 'Where is order #1001?' WHERE id = ?", (one,))
    db.execute("UPDATE conversation SET status = 'closed' WHERE id = ?", (one,))  # not text
    _assert_exact(db)
    db.execute("DELETE FROM contact WHERE id = ?", (loose,))
    _assert_exact(db)
    db.execute("DELETE FROM contact WHERE conversation_id = ?", (one,))
    db.execute("DELETE FROM conversation WHERE id = ?", (one,))
    _assert_exact(db)
    assert set(_stored(db, "conversation_text")) == {two}


def test_upgrade_indexes_what_the_store_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    engine = make_engine(path)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0010")
    engine.dispose()
    conn = connect(path)
    anna = _customer(conn, "Anna", "anna@example.com", "+4930111")
    _customer(conn, "Ben")
    one = _conversation(conn, "Where is my order?", anna)
    _conversation(conn, "Refund", anna)
    _contact(conn, anna, one, "Called about the parcel")
    _contact(conn, anna, one, "Called again")
    _contact(conn, anna, None, "Opening hours")
    conn.close()

    upgrade(path)
    assert current_revision(path) == "0011"
    conn = connect(path)
    _assert_exact(conn)
    assert len(_stored(conn, "customer_text")) == 2
    assert _stored(conn, "conversation_text")[one] == (
        "Where is my order?",
        ["Called about the parcel", "Called again"],
    )
    conn.close()

    engine = make_engine(path)
    with engine.begin() as sa_conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = sa_conn
        command.downgrade(cfg, "0010")
    engine.dispose()
    conn = connect(path)
    left = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master")
        if name.startswith(("customer_text", "conversation_text", "lookup_dirty"))
        or name in lookup_text.TRIGGERS
    ]
    assert left == []
    conn.close()


def test_the_application_copy_is_what_the_migration_made(db: sqlite3.Connection) -> None:
    """``lookup_text`` repeats migration 0011's SQL for bulk loaders; the two must agree."""
    made = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    for name, sql in lookup_text.TRIGGERS.items():
        assert made[name] == sql
    assert db.execute("SELECT sql FROM sqlite_master WHERE name = 'lookup_dirty'").fetchone() == (
        lookup_text.DIRTY,
    )
    for name, sql in lookup_text.TABLES.items():
        assert db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone() == (
            sql,
        )


def test_a_bulk_load_without_triggers_then_a_backfill_is_exact(db: sqlite3.Connection) -> None:
    db.execute("BEGIN")
    for name in lookup_text.TRIGGERS:
        db.execute(f"DROP TRIGGER {name}")
    anna = _customer(db, "Anna", "anna@example.com")
    one = _conversation(db, "Where is my order?", anna)
    _contact(db, anna, one, "Called")
    assert db.execute("SELECT count(*) FROM customer_text").fetchone() == (0,)  # not yet
    for sql in (*lookup_text.BACKFILL, *lookup_text.TRIGGERS.values()):
        db.execute(sql)
    db.execute("COMMIT")
    _assert_exact(db)
    _identity(db, anna, "anna@example.org")  # the triggers are back
    _assert_exact(db)


def test_every_writer_leaves_the_tables_exact(tmp_path: Path) -> None:
    """The triggers only note what changed; ``Store.write`` and ``Store.session`` rebuild it
    before they commit, so no reader ever sees a stale row (nor anything left to rebuild)."""
    from datetime import UTC, datetime

    from agentconsole.store.models import Customer

    store = Store(tmp_path / "store.db")
    with store.write() as w:
        w.execute(
            "INSERT INTO customer (name, language, notes, created_at) "
            "VALUES ('Anna', 'en', '', :t)",
            {"t": NOW},
        )
        anna = w.scalar("SELECT max(id) FROM customer")
        w.execute(
            "INSERT INTO customer_identity (customer_id, kind, value, is_primary) "
            "VALUES (:c, 'email', 'anna@example.com', 1)",
            {"c": anna},
        )
    with store.session() as session:
        session.add(
            Customer(name="Ben Berg", language="de", created_at=datetime(2026, 11, 23, tzinfo=UTC))
        )
    with store.read() as db:
        assert db.scalar("SELECT count(*) FROM lookup_dirty") == 0
        texts = dict(db.all("SELECT rowid, text FROM customer_text"))
    assert texts[anna] == "Anna\nanna@example.com"
    assert "Ben Berg" in texts.values()
    with store.write() as w:
        w.execute("UPDATE customer SET name = 'Anna Nowak' WHERE id = :c", {"c": anna})
    with store.read() as db:
        assert db.scalar("SELECT text FROM customer_text WHERE rowid = :c", {"c": anna}) == (
            "Anna Nowak\nanna@example.com"
        )
    store.close()


# The helper.


def _find(db: sqlite3.Connection, table: Any, *terms: str) -> set[int]:
    params: dict[str, Any] = {}

    def param(value: Any) -> str:
        name = f"t{len(params)}"
        params[name] = value
        return f":{name}"

    lookup_text.flush(db)
    return {row[0] for row in db.execute(containing(table, list(terms), param), params)}


@pytest.fixture
def people(db: sqlite3.Connection) -> dict[str, int]:
    return {
        "maria": _customer(db, "María García", "maria.garcia@telefonica.example", "+34911"),
        "anna": _customer(db, "ANNA SCHMIDT", "anna@example.com"),
        "odd": _customer(db, 'Odd "Quote" Person', 'x:(a-b)^c*"d"', "50%_off\\now"),
        "bob": _customer(db, "Bob", "bob@example.org"),
    }


def test_terms_are_found_in_any_case(db: sqlite3.Connection, people: dict[str, int]) -> None:
    t = "customer_text"
    assert _find(db, t, "anna") == _find(db, t, "Anna") == {people["anna"]}
    assert _find(db, t, "SCHMIDT") == {people["anna"]}
    assert _find(db, t, "Telefonica") == {people["maria"]}
    # Beyond ASCII the trigram index folds case too; accents stay (as with LIKE).
    assert _find(db, t, "MARÍA") == _find(db, t, "maría") == {people["maria"]}
    assert _find(db, t, "GARCÍA") == {people["maria"]}
    assert _find(db, t, "garcia") == {people["maria"]}  # in the address, not the name
    assert _find(db, t, "García Gar") == set()
    assert _find(db, t, "example") == {people["maria"], people["anna"], people["bob"]}


def test_short_terms_are_scanned(db: sqlite3.Connection, people: dict[str, int]) -> None:
    t = "customer_text"
    assert _find(db, t, "bo") == {people["bob"]}
    assert _find(db, t, "BO") == {people["bob"]}
    assert _find(db, t, "+3") == {people["maria"]}
    assert _find(db, t, "%") == {people["odd"]}  # literal, not a wildcard
    assert _find(db, t, "_") == {people["odd"]}
    assert _find(db, t, "\\") == {people["odd"]}
    assert _find(db, t, "%_") == {people["odd"]}
    assert _find(db, t, "í") == {people["maria"]}
    assert _find(db, t, "Í") == set()  # LIKE folds ASCII only: "Í" is not "í"
    assert _find(db, t) == set(people.values())  # no terms: everyone


def test_fts5_syntax_in_a_term_is_literal(db: sqlite3.Connection, people: dict[str, int]) -> None:
    t = "customer_text"
    odd = {people["odd"]}
    for term in ('"Quote"', 'x:(a-b)^c*"d"', "x:(", "a-b", ")^c", 'c*"d', '"d"', "50%_off\\n"):
        assert _find(db, t, term) == odd, term
    for term in ("AND", "OR x", "NOT", "NEAR(a b)", "^c", "a*", "(a", '"'):
        _find(db, t, term)  # no syntax error, whatever it finds
    assert _find(db, t, "x:(a-c") == set()


def test_every_term_is_required(db: sqlite3.Connection, people: dict[str, int]) -> None:
    t = "customer_text"
    assert _find(db, t, "anna", "example.com") == {people["anna"]}
    assert _find(db, t, "anna", "example.org") == set()
    assert _find(db, t, "maría", "+34") == {people["maria"]}  # a long and a short term
    assert _find(db, t, "maría", "+35") == set()
    assert _find(db, t, "b", "@") == {people["bob"]}  # only short ones
    assert _find(db, t, "b", "z") == set()
    # Each term in its own line: a name and an address of the same customer.
    assert _find(db, t, "ANNA SCHMIDT", "anna@") == {people["anna"]}
    # A term never spans two lines.
    assert _find(db, t, "Bob bob") == set()


def test_conversations_and_alternatives(db: sqlite3.Connection) -> None:
    anna = _customer(db, "Anna")
    late = _conversation(db, "Wo ist meine Bestellung?", anna)
    tea = _conversation(db, "Tea strainer", anna)
    _contact(db, anna, tea, "Rückruf: Teesieb kommt morgen")
    assert _find(db, "conversation_text", "bestellung") == {late}
    assert _find(db, "conversation_text", "RÜCKRUF") == {tea}
    assert _find(db, "conversation_text", "tea", "morgen") == {tea}
    params: dict[str, Any] = {}

    def param(value: Any) -> str:
        params[f"a{len(params)}"] = value
        return f":a{len(params) - 1}"

    sql = containing_any("conversation_text", [["bestellung"], ["tee", "z"], ["ti"]], param)
    assert {r[0] for r in db.execute(sql, params)} == {late}
    sql = containing_any("conversation_text", [["bestellung"], ["tee", "k"]], param)
    assert {r[0] for r in db.execute(sql, params)} == {late, tea}


def test_only_the_lookup_tables_are_accepted() -> None:
    with pytest.raises(ValueError, match="not a lookup table"):
        containing("customer; DROP TABLE customer", ["x"], lambda _v: ":x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        containing_any("customer_text", [], lambda _v: ":x")
