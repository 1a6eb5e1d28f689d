"""The large demo, built at 1/50 of its size: exact totals, determinism, consistency of every
derived field, the hand-made shop kept intact, a complete search index, and the CLI option."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentconsole.cli import app
from agentconsole.demo import DEMO_NOW, build_demo
from agentconsole.demo.large import LargeDemoSummary, build_large_demo
from agentconsole.demo.large_base import Sizes
from agentconsole.demo.people import LANGUAGES
from agentconsole.store.db import Store
from agentconsole.store.models.conversations import CHANNELS, STATUSES
from agentconsole.store.search_index import search_path

SCALE = 0.02
SIZES = Sizes.scaled(SCALE)
NOW_TEXT = DEMO_NOW.replace(tzinfo=None).isoformat(" ", "microseconds")

runner = CliRunner()


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, LargeDemoSummary]]:
    path = tmp_path_factory.mktemp("large") / "store.db"
    store = Store(path)
    summary = build_large_demo(store, scale=SCALE)
    store.close()
    yield path, summary


@pytest.fixture(scope="module")
def db(large: tuple[Path, LargeDemoSummary]) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(large[0])
    con.row_factory = sqlite3.Row
    yield con
    con.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("small") / "store.db"
    store = Store(path)
    build_demo(store)
    store.close()
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    yield con
    con.close()


def rows(con: sqlite3.Connection, sql: str) -> list[Any]:
    return con.execute(sql).fetchall()


def count(con: sqlite3.Connection, table: str) -> int:
    return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_totals_are_exact(db: sqlite3.Connection, large: tuple[Path, LargeDemoSummary]) -> None:
    _, summary = large
    assert (SIZES.messages, SIZES.customers, SIZES.orders) == (2000, 400, 1000)
    assert count(db, "message") == summary.messages == SIZES.messages
    assert count(db, "customer") == summary.customers == SIZES.customers
    assert count(db, "order") == summary.orders == SIZES.orders
    assert count(db, "conversation") == summary.conversations
    assert count(db, "contact") == summary.contacts > 0
    assert count(db, "conversation_note") == summary.notes > 0
    assert count(db, "conversation_order") > 0
    assert set(summary.seconds) == {"generate", "insert", "index", "total"}


def test_full_sizes() -> None:
    assert Sizes.scaled(1) == Sizes(100_000, 20_000, 50_000)
    with pytest.raises(ValueError):
        Sizes.scaled(2)


def _data(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (the data, not the schema text: Alembic's batch mode writes a
    table's foreign keys in no fixed order)."""
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    finally:
        con.close()


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    data = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        store = Store(tmp_path / f"{name}.db")
        build_large_demo(store, scale=0.005, seed=seed)
        store.close()
        data.append(_data(tmp_path / f"{name}.db"))
    assert data[0] == data[1]
    assert data[0]["message"] != data[2]["message"]
    assert data[0]["customer"] != data[2]["customer"]


def test_refuses_a_store_with_customers_or_a_naive_now(
    large: tuple[Path, LargeDemoSummary], tmp_path: Path
) -> None:
    store = Store(large[0])
    try:
        with pytest.raises(ValueError, match="already has customers"):
            build_large_demo(store, scale=SCALE)
    finally:
        store.close()
    store = Store(tmp_path / "store.db")
    try:
        with pytest.raises(ValueError, match="timezone-aware"):
            build_large_demo(store, now=datetime(2026, 1, 1), scale=SCALE)  # noqa: DTZ001
    finally:
        store.close()


def test_foreign_keys_hold(db: sqlite3.Connection) -> None:
    assert rows(db, "PRAGMA foreign_key_check") == []
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    orphans = rows(
        db,
        "SELECT m.id FROM message m LEFT JOIN conversation c ON c.id = m.conversation_id "
        "WHERE c.id IS NULL",
    )
    assert orphans == []


def test_the_hand_made_shop_is_all_there(db: sqlite3.Connection, small: sqlite3.Connection) -> None:
    """Same customers, orders and conversations; the same messages (renumbered by time)."""
    for table, columns in (
        ("customer", "*"),
        ("customer_identity", "*"),
        ("order", "*"),
        ("order_line", "*"),
        ("shipment", "*"),
        ("refund", "*"),
        ("conversation_tag", "*"),
        ("event", "*"),
        (
            "conversation",
            "id, subject, status, channel, customer_id, assignee_id, snoozed_until, "
            "first_response_at, waiting_since, last_message_at, created_at, priority",
        ),
    ):
        mine = [tuple(r) for r in rows(small, f'SELECT {columns} FROM "{table}" ORDER BY 1')]
        theirs = [
            tuple(r)
            for r in rows(db, f'SELECT {columns} FROM "{table}" ORDER BY 1 LIMIT {len(mine)}')
        ]
        assert theirs == mine, table
    fields = "conversation_id, direction, subject, body_text, received_at, seen"
    small_messages = [tuple(r) for r in rows(small, f"SELECT {fields} FROM message ORDER BY id")]
    last_small = max(r[0] for r in small_messages)
    large_messages = [
        tuple(r)
        for r in rows(
            db, f"SELECT {fields} FROM message WHERE conversation_id <= {last_small} ORDER BY id"
        )
    ]
    assert large_messages == small_messages


def test_message_ids_follow_arrival_and_threads_are_linked(
    db: sqlite3.Connection, small: sqlite3.Connection
) -> None:
    messages = rows(
        db,
        "SELECT id, message_id, conversation_id, received_at, sent_at, in_reply_to, "
        '"references", direction FROM message ORDER BY id',
    )
    assert [m["received_at"] for m in messages] == sorted(m["received_at"] for m in messages)
    assert [m["id"] for m in messages] == list(range(1, len(messages) + 1))
    assert all(m["message_id"] == f"demo-{m['id']}@lindenhof.example" for m in messages)
    threads: dict[int, list[Any]] = defaultdict(list)
    for m in messages:
        thread = threads[m["conversation_id"]]
        if thread:
            assert m["in_reply_to"] == thread[-1]["message_id"]
            assert m["references"].split()[-1] == thread[-1]["message_id"]
        else:
            assert m["in_reply_to"] is None and m["references"] == ""
        assert m["sent_at"] <= m["received_at"]
        thread.append(m)
    hand_made = count(small, "conversation")
    generated = [t for cid, t in threads.items() if cid > hand_made]
    assert generated
    assert {len(t) for t in generated} <= set(range(1, 9))  # 1–8 messages
    assert max(len(t) for t in generated) >= 6
    for thread in generated:
        people = [m["direction"] for m in thread]
        assert people[0] == "inbound"


def test_fields_agree_with_the_threads(db: sqlite3.Connection) -> None:
    """waiting_since, first_response_at, created_at and last_message_at as the mail sync
    derives them; calls and chats from their contacts."""
    messages: dict[int, list[Any]] = defaultdict(list)
    for m in rows(db, "SELECT * FROM message ORDER BY id"):
        messages[m["conversation_id"]].append(m)
    contacts: dict[int, list[Any]] = defaultdict(list)
    for c in rows(db, "SELECT * FROM contact WHERE conversation_id IS NOT NULL ORDER BY id"):
        contacts[c["conversation_id"]].append(c)
    for conv in rows(db, "SELECT * FROM conversation"):
        thread = messages[conv["id"]]
        if conv["channel"] == "email":
            assert thread and not contacts[conv["id"]]
            waiting = first_in = first_out = None
            for m in thread:
                if m["direction"] == "outbound":
                    waiting = None
                    if first_in is not None and first_out is None:
                        first_out = m["received_at"]
                elif not m["is_automated"]:
                    first_in = first_in or m["received_at"]
                    waiting = waiting or m["received_at"]
            assert conv["first_response_at"] == first_out, conv["id"]
            assert conv["created_at"] == thread[0]["received_at"]
            assert conv["last_message_at"] == thread[-1]["received_at"]
            assert conv["account_id"] is not None
        else:
            assert not thread and contacts[conv["id"]], conv["id"]
            waiting = None
            for c in contacts[conv["id"]]:
                waiting = None if c["agent_id"] else waiting or c["occurred_at"]
            assert conv["created_at"] == contacts[conv["id"]][0]["occurred_at"]
            assert conv["last_message_at"] == contacts[conv["id"]][-1]["occurred_at"]
        if conv["status"] == "closed":
            waiting = None
        assert conv["waiting_since"] == waiting, conv["id"]


def test_statuses_channels_priorities_and_snoozes(
    db: sqlite3.Connection, small: sqlite3.Connection
) -> None:
    hand_made = count(small, "conversation")
    convs = rows(db, f"SELECT * FROM conversation WHERE id > {hand_made}")
    statuses = defaultdict(int)
    for conv in convs:
        statuses[conv["status"]] += 1
        assert conv["status"] in STATUSES
        assert conv["channel"] in CHANNELS
        assert 0 <= conv["priority"] <= 3
        assert conv["due_at"] is None and conv["due_basis"] is None
        assert conv["merged_into_id"] is None
        if conv["status"] == "snoozed":
            assert conv["snoozed_until"] is not None and conv["snoozed_until"] > NOW_TEXT
            assert conv["snooze_until_reply"] in (0, 1)
        else:
            assert conv["snoozed_until"] is None
    assert statuses["closed"] > len(convs) * 0.8  # most are history
    assert all(statuses[s] > 0 for s in STATUSES)
    channels = {r[0] for r in rows(db, "SELECT DISTINCT channel FROM conversation")}
    assert channels == set(CHANNELS)
    assert {r[0] for r in rows(db, "SELECT DISTINCT priority FROM conversation")} >= {0, 1, 2}
    assert count(db, "conversation_tag") > len(convs)
    assigned = rows(db, "SELECT count(*) FROM conversation WHERE assignee_id IS NOT NULL")[0][0]
    assert 0 < assigned < len(convs)


def test_languages_are_the_customers(db: sqlite3.Connection) -> None:
    wrong = rows(
        db,
        "SELECT c.id FROM conversation c JOIN customer cu ON cu.id = c.customer_id "
        "WHERE c.language IS NULL OR c.language != cu.language",
    )
    assert wrong == []
    assert {r[0] for r in rows(db, "SELECT DISTINCT language FROM customer")} == set(LANGUAGES)
    latest = rows(
        db,
        "SELECT c.id, c.language_message_id, (SELECT max(id) FROM message m WHERE "
        "m.conversation_id = c.id AND m.direction = 'inbound' AND m.is_automated = 0) AS latest "
        "FROM conversation c",
    )
    assert all(r["language_message_id"] == r["latest"] for r in latest)


def test_customers_and_their_identities(db: sqlite3.Connection) -> None:
    emails = rows(db, "SELECT value FROM customer_identity WHERE kind = 'email'")
    assert len(emails) == count(db, "customer")
    assert all(re.fullmatch(r"[a-z0-9._\-]+@[a-z0-9.\-]+\.example", r[0]) for r in emails)
    phones = [r[0] for r in rows(db, "SELECT value FROM customer_identity WHERE kind = 'phone'")]
    assert 0.15 * count(db, "customer") < len(phones) < 0.5 * count(db, "customer")
    assert all(re.fullmatch(r"\+\d{11,13}", p) for p in phones)
    uk = [p for p in phones if p.startswith("+44")]
    assert all(re.fullmatch(r"\+44(7700900|1[1-6]14960|1[1-6]\d4960|2079460)\d{3}", p) for p in uk)
    # A customer exists before anything they did.
    late = rows(
        db,
        "SELECT cu.id FROM customer cu WHERE cu.created_at > min("
        " coalesce((SELECT min(created_at) FROM \"order\" o WHERE o.customer_id = cu.id), 'z'),"
        " coalesce((SELECT min(created_at) FROM conversation c WHERE c.customer_id = cu.id), 'z'),"
        " coalesce((SELECT min(occurred_at) FROM contact k WHERE k.customer_id = cu.id), 'z'))",
    )
    assert late == []


def test_orders_add_up(db: sqlite3.Connection) -> None:
    for order in rows(db, 'SELECT * FROM "order"'):
        lines = rows(db, f"SELECT * FROM order_line WHERE order_id = {order['id']}")
        assert lines
        assert sum(line["total"] for line in lines) == order["subtotal"]
        assert all(line["total"] == line["unit_price"] * line["quantity"] for line in lines)
        assert (
            order["subtotal"] + order["shipping"] + order["tax"] - order["discount"]
            == order["total"]
        )
        refunded = sum(
            r[0] for r in rows(db, f"SELECT amount FROM refund WHERE order_id = {order['id']}")
        )
        assert refunded <= order["total"]
        if refunded == 0:
            assert order["financial_status"] in ("paid", "pending")
    names = [r[0] for r in rows(db, 'SELECT name FROM "order" ORDER BY created_at, id')]
    generated = [n for n in names if int(n[1:]) >= 10_001]
    assert generated == sorted(generated, key=lambda n: int(n[1:]))


def test_links_notes_and_contacts(db: sqlite3.Connection) -> None:
    foreign = rows(
        db,
        "SELECT l.conversation_id FROM conversation_order l "
        "JOIN conversation c ON c.id = l.conversation_id "
        'JOIN "order" o ON o.id = l.order_id WHERE o.customer_id != c.customer_id '
        "OR l.linked_at < c.created_at",
    )
    assert foreign == []
    misplaced = rows(
        db,
        "SELECT n.id FROM conversation_note n JOIN conversation c ON c.id = n.conversation_id "
        f"WHERE n.at < c.created_at OR n.at > '{NOW_TEXT}' OR n.body = ''",
    )
    assert misplaced == []
    standalone = rows(db, "SELECT channel, count(*) FROM contact WHERE conversation_id IS NULL "
                      "GROUP BY channel")  # fmt: skip
    assert {r[0] for r in standalone} == {"phone", "chat", "social"}
    unfilled = rows(db, "SELECT id FROM contact WHERE summary LIKE '%{%'")
    assert unfilled == []


def test_nothing_happens_after_now(db: sqlite3.Connection, small: sqlite3.Connection) -> None:
    for table, column in (
        ("message", "received_at"),
        ("message", "sent_at"),
        ("contact", "occurred_at"),
        ("order", "created_at"),
        ("order", "updated_at"),
        ("shipment", "shipped_at"),
        ("shipment", "delivered_at"),
        ("refund", "created_at"),
        ("customer", "created_at"),
        ("conversation", "last_message_at"),
        ("conversation_order", "linked_at"),
        ("event", "at"),
    ):
        latest = rows(db, f'SELECT max({column}) FROM "{table}"')[0][0]
        assert latest <= NOW_TEXT, (table, column)
    hand_made = count(small, "conversation")
    earliest = rows(
        db, f"SELECT min(received_at) FROM message WHERE conversation_id > {hand_made}"
    )[0][0]
    assert earliest >= "2025-05"  # about 18 months before DEMO_NOW (2026-11-23)


def test_texts_are_filled_and_in_the_customers_language(db: sqlite3.Connection) -> None:
    unfilled = rows(
        db,
        "SELECT id FROM message WHERE body_text GLOB '*{[a-z]*}*' OR subject GLOB '*{[a-z]*}*'",
    )
    assert unfilled == []
    # German customers are answered in German, Polish ones in Polish.
    for language, greeting in (("de", "Hallo "), ("pl", "Dzień dobry,"), ("fr", "Bonjour ")):
        bodies = rows(
            db,
            "SELECT m.body_text FROM message m JOIN customer cu ON cu.id = m.customer_id "
            f"WHERE m.direction = 'inbound' AND cu.language = '{language}' LIMIT 50",
        )
        replies = rows(
            db,
            "SELECT m.body_text FROM message m JOIN conversation c ON c.id = m.conversation_id "
            f"WHERE m.direction = 'outbound' AND c.language = '{language}' LIMIT 50",
        )
        assert bodies and replies
        assert all(r[0].startswith(greeting) for r in replies), language


def test_the_search_index_is_complete(large: tuple[Path, LargeDemoSummary]) -> None:
    path, summary = large
    index = sqlite3.connect(search_path(path))
    try:
        upto = index.execute("SELECT indexed_upto FROM index_state").fetchone()[0]
        assert upto == summary.messages
        store = sqlite3.connect(path)
        name = store.execute(
            "SELECT from_name FROM message WHERE direction = 'inbound' ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
        expected = store.execute(
            "SELECT count(*) FROM message WHERE from_name = ?", (name,)
        ).fetchone()[0]
        store.close()
        found = index.execute(
            "SELECT count(*) FROM message_fts WHERE message_fts MATCH ?",
            (" ".join(f'from_name:"{w}"' for w in name.split()),),
        ).fetchone()[0]
        assert found >= expected > 0
    finally:
        index.close()


# --- the CLI -------------------------------------------------------------------------------------


def _json(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_builds_a_large_demo_in_its_own_home_and_reuses_it(tmp_path: Path) -> None:
    args = ["demo", "--size", "large", "--scale", "0.01", "--now", "2026-11-23T10:00:00Z"]
    built = _json([*args, "--json"])
    home = Path(built["home"])
    assert home.name == "demo-large"  # beside the small demo's home, not replacing it
    assert built["built"] is True and built["size"] == "large"
    assert built["counts"]["messages"] == 1000 and built["counts"]["customers"] == 200
    assert built["counts"]["orders"] == 500
    assert set(built["seconds"]) >= {"generate", "insert", "index", "open", "total"}
    assert built["store_bytes"] > 0
    marker = json.loads((home / "demo.json").read_text(encoding="utf-8"))
    assert marker["size"] == "large"
    assert not list(home.glob("store.db.building*"))
    index = sqlite3.connect(search_path(home / "store.db"))
    assert index.execute("SELECT indexed_upto FROM index_state").fetchone()[0] == 1000
    index.close()

    again = _json([*args, "--json"])
    assert again["built"] is False and again["counts"] == built["counts"]
    result = runner.invoke(app, ["demo", "--home", str(home), "--no-open"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"demo store ready: {home / 'store.db'}")


def test_cli_size_small_rebuilds_a_large_home(tmp_path: Path) -> None:
    home = tmp_path / "d"
    base = ["demo", "--home", str(home), "--now", "2026-11-23T10:00:00Z", "--json"]
    assert _json([*base, "--size", "large", "--scale", "0.004"])["size"] == "large"
    small = _json([*base, "--size", "small"])
    assert small["built"] is True and small["size"] == "small"
    assert small["counts"]["messages"] < 400
    assert json.loads((home / "demo.json").read_text(encoding="utf-8"))["size"] == "small"


def test_cli_help_names_the_sizes() -> None:
    result = runner.invoke(app, ["demo", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--size" in result.stdout and "large" in result.stdout
    assert "--scale" not in result.stdout


def test_built_at_is_recorded(tmp_path: Path) -> None:
    home = tmp_path / "d"
    _json(["demo", "--home", str(home), "--size", "large", "--scale", "0.004", "--json",
           "--now", "2026-11-23T10:00:00Z"])  # fmt: skip
    marker = json.loads((home / "demo.json").read_text(encoding="utf-8"))
    assert datetime.fromisoformat(marker["built_at"]) == datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert marker["scale"] == 0.004
