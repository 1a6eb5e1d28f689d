"""`agentconsole search`: the console's search from a script — same rows in the same order,
lines or JSON, and a query it cannot read as the problem with a caret under it (exit 2)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentconsole.cli import app
from agentconsole.clock import SystemClock
from agentconsole.services.inbox import InboxService, InboxView
from agentconsole.store.db import Store

runner = CliRunner()
JSON_KEYS = {
    "id",
    "subject",
    "status",
    "channel",
    "customer",
    "email",
    "assignee",
    "tags",
    "last_message_at",
    "waiting_since",
}


@pytest.fixture
def home(demo_store_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    copy.mkdir()
    shutil.copy(demo_store_file, copy / "store.db")
    return copy


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[agent]\nname = "Mara Lind"\nhandle = "mara"\ntimezone = "Europe/Berlin"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "120")


def run(home: Path, config: Path, *args: str) -> Any:
    return runner.invoke(app, ["--config", str(config), "--home", str(home), "search", *args])


def console_ids(home: Path, query: str, limit: int = 1000) -> list[int]:
    """What the console lists for the same search over every status."""
    store = Store(home / "store.db")
    try:
        inbox = InboxService(store, SystemClock(), "Europe/Berlin")
        view = InboxView(statuses=(), search=query, me="mara")
        return [row.id for row in inbox.page(view, 0, limit)]
    finally:
        store.close()


def agents(home: Path) -> int:
    con = sqlite3.connect(home / "store.db")
    try:
        return int(con.execute("SELECT count(*) FROM agent").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize(
    "query",
    ["teapot", "tag:returns OR tag:urgent", "status:open,pending -assignee:none", "assignee:me"],
)
def test_json_is_the_consoles_result(home: Path, config: Path, query: str) -> None:
    result = run(home, config, query, "--json", "--limit", "1000")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows, f"the demo has conversations for {query!r}"
    assert [r["id"] for r in rows] == console_ids(home, query)
    for row in rows:
        assert set(row) == JSON_KEYS
        assert isinstance(row["tags"], list)
        assert datetime.fromisoformat(row["last_message_at"]).tzinfo is not None
        if row["waiting_since"] is not None:
            datetime.fromisoformat(row["waiting_since"])


def test_assignee_me_is_the_configured_agent_and_nothing_is_written(
    home: Path, config: Path
) -> None:
    before = agents(home)
    rows = json.loads(run(home, config, "assignee:me", "--json", "--limit", "1000").stdout)
    assert rows and {r["assignee"] for r in rows} == {"Mara Lind"}
    assert agents(home) == before


def test_every_status_is_searched_and_the_limit_holds(home: Path, config: Path) -> None:
    closed = json.loads(run(home, config, "status:closed", "--json").stdout)
    assert closed and {r["status"] for r in closed} == {"closed"}
    three = json.loads(run(home, config, "status:closed", "--json", "--limit", "3").stdout)
    assert [r["id"] for r in three] == [r["id"] for r in closed[:3]]


def test_lines(home: Path, config: Path) -> None:
    ids = console_ids(home, "teapot")
    result = run(home, config, "teapot")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "status", "customer", "subject", "last", "activity"]
    rows = lines[1 : 1 + len(ids)]
    assert [int(line.split()[0]) for line in rows] == ids  # one line each, in queue order
    statuses = {"open", "pending", "snoozed", "closed"}
    assert all(line.split()[1] in statuses for line in rows)
    assert lines[-1].startswith(f"{len(ids)} of {len(ids)} · ")
    assert "\x1b" not in result.stdout


def test_hostile_text_is_printed_literally(home: Path, config: Path) -> None:
    result = run(home, config, "from:evil.example")
    assert result.exit_code == 0, result.output
    assert "Eve [bold red]Hacker[/]" in result.stdout
    assert "\x1b" not in result.stdout


def test_nothing_found(home: Path, config: Path) -> None:
    result = run(home, config, "zzzqqq")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "0 of 0 · “zzzqqq”"
    assert json.loads(run(home, config, "zzzqqq", "--json").stdout) == []


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        ("status:open form:anna", "unknown field 'form:' at 13 (did you mean from:?)", 12),
        ("teapot (refund OR lid", "unclosed parenthesis at 8", 7),
        ("before:3x", "before: cannot read '3x' at 8", 7),
        ("status:opne", "status: expects open, pending, snoozed or closed at 1", 0),
        ("tea OR", "OR needs a term after it at 5", 4),
    ],
)
def test_a_bad_query_is_one_line_and_a_caret(
    home: Path, config: Path, query: str, message: str, column: int
) -> None:
    for args in ((query,), (query, "--json")):
        result = run(home, config, *args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        first, shown, caret = result.stderr.splitlines()
        assert first == f"search: {message}"
        assert shown == f"  {query}"
        assert caret == "  " + " " * column + "^"
        assert shown[2 + column] == query[column]


def test_the_caret_counts_wide_characters(home: Path, config: Path) -> None:
    result = run(home, config, "日本 form:x")
    assert result.exit_code == 2
    _, shown, caret = result.stderr.splitlines()
    assert caret == "  " + " " * 5 + "^"  # two double-width characters and a space


def _unindexed_messages(home: Path, count: int, last_body: str) -> int:
    """``count`` messages in one new conversation, written behind the index's back (as by a
    writer that quit before its indexer caught up); the last one's body is ``last_body``."""
    store = Store(home / "store.db")
    try:
        with store.write() as w:
            customer = w.scalar("SELECT min(id) FROM customer")
            conversation = w.execute(
                "INSERT INTO conversation (subject, status, channel, customer_id, "
                "last_message_at, created_at) VALUES ('Backlog', 'open', 'email', :c, :t, :t)",
                {"c": customer, "t": "2026-11-23 10:00:00.000000"},
            )
            for n in range(count):
                w.execute(
                    "INSERT INTO message (message_id, conversation_id, customer_id, direction, "
                    "channel, from_addr, from_name, to_addrs, cc_addrs, subject, "
                    '"references", sent_at, received_at, body_text, is_automated, seen, size) '
                    "VALUES (:mid, :c, :cu, 'inbound', 'email', 'x@example.com', 'X', '', '', "
                    "'Backlog', '', :t, :t, :b, 0, 0, 0)",
                    {
                        "mid": f"backlog-{n}@example.com",
                        "c": conversation,
                        "cu": customer,
                        "t": "2026-11-23 10:00:00.000000",
                        "b": last_body if n == count - 1 else f"filler {n}",
                    },
                )
        assert store.search.pending() > count  # the demo's own messages too: a fresh index
        return int(conversation)
    finally:
        store.close()


def test_messages_the_index_lacks_are_searched_too(home: Path, config: Path) -> None:
    """A one-shot search catches the full-text index up first, however far behind it is
    (an upgrade rebuilds it; a sync killed mid-way leaves it behind)."""
    conversation = _unindexed_messages(home, 500, "the zebrawood tray arrived")
    rows = json.loads(run(home, config, "zebrawood", "--json").stdout)
    assert [r["id"] for r in rows] == [conversation]
