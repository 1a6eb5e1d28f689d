"""The triage verbs from a shell: several ids at once, --json results, one-line errors, and the
same event log and undo as the console."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentconsole.cli import app

runner = CliRunner()


@pytest.fixture
def home(demo_store_file: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_store_file, home / "store.db")
    config = tmp_path / "config.toml"
    config.write_text(
        '[agent]\nname = "Mara Lind"\nhandle = "mara"\ntimezone = "Europe/Berlin"\n\n'
        '[[team]]\nhandle = "jonas"\nname = "Jonas Berg"\n',
        encoding="utf-8",
    )
    return home


def run(home: Path, *args: str, agent: str | None = None) -> Any:
    who = ["--agent", agent] if agent else []
    return runner.invoke(
        app, ["--config", str(home.parent / "config.toml"), "--home", str(home), *who, *args]
    )


def run_json(home: Path, *args: str, agent: str | None = None) -> Any:
    result = run(home, *args, "--json", agent=agent)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def query(home: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(home / "store.db")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def open_ids(home: Path, n: int) -> list[str]:
    rows = query(home, f"SELECT id FROM conversation WHERE status = 'open' ORDER BY id LIMIT {n}")
    return [str(r[0]) for r in rows]


def status(home: Path, cid: str) -> str:
    return str(query(home, f"SELECT status FROM conversation WHERE id = {cid}")[0][0])


def test_close_several_and_undo(home: Path) -> None:
    ids = open_ids(home, 3)
    out = run_json(home, "close", *ids)
    assert out["action"] == "conversation.status" and out["changed"] == [int(i) for i in ids]
    assert all(status(home, i) == "closed" for i in ids)
    result = run(home, "undo")
    assert result.exit_code == 0 and "undone" in result.stdout
    assert all(status(home, i) == "open" for i in ids)


def test_snooze_forms_and_their_errors(home: Path) -> None:
    a, b = open_ids(home, 2)
    out = run_json(home, "snooze", a, "--until", "tomorrow 9:00")
    assert out["changed"] == [int(a)]
    row = query(
        home,
        f"SELECT status, snoozed_until, snooze_until_reply, snooze_choice FROM conversation "
        f"WHERE id = {a}",
    )[0]
    assert row[0] == "snoozed" and row[2] == 1 and row[3] == "tomorrow 9:00"
    assert row[1].endswith(":00:00.000000")  # 9:00 Berlin, stored in UTC
    run_json(home, "snooze", b, "--until", "3d", "--regardless")
    assert query(home, f"SELECT snooze_until_reply FROM conversation WHERE id = {b}")[0][0] == 0
    bad = run(home, "snooze", a, "--until", "someday")
    assert bad.exit_code == 1 and "cannot read" in bad.output and "Traceback" not in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    assert run(home, "snooze", a).exit_code == 1
    assert "needs --until" in run(home, "snooze", a, "--until-reply", "--regardless").output


def test_assign_tag_priority_note_as_another_agent(home: Path) -> None:
    cid = open_ids(home, 1)[0]
    assert run_json(home, "assign", cid, "--to", "jonas")["changed"] == [int(cid)]
    run_json(home, "tag", cid, "--add", "vip", "--add", "wholesale")
    run_json(home, "priority", cid, "--set", "high")
    note = run_json(home, "note", cid, "Asked the warehouse", agent="jonas")
    assert note["action"] == "conversation.note"
    rows = query(
        home,
        "SELECT a.handle, n.body FROM conversation_note n JOIN agent a ON a.id = n.agent_id "
        f"WHERE n.conversation_id = {cid}",
    )
    assert rows == [("jonas", "Asked the warehouse")]
    tags = {
        r[0] for r in query(home, f"SELECT tag FROM conversation_tag WHERE conversation_id = {cid}")
    }
    assert {"vip", "wholesale"} <= tags
    assert query(home, f"SELECT priority FROM conversation WHERE id = {cid}")[0][0] == 2
    # Jonas's undo is his own: it takes back his note, not Mara's tags.
    assert run(home, "undo", agent="jonas").exit_code == 0
    assert query(home, f"SELECT count(*) FROM conversation_note WHERE conversation_id = {cid}") == [
        (0,)
    ]
    assert {"vip", "wholesale"} <= {
        r[0] for r in query(home, f"SELECT tag FROM conversation_tag WHERE conversation_id = {cid}")
    }


def test_unknown_agent_and_conversation_are_one_line(home: Path) -> None:
    result = run(home, "close", "1", agent="zoe")
    assert result.exit_code != 0 and "unknown agent 'zoe'" in result.output
    result = run(home, "close", "987654")
    assert result.exit_code == 1 and result.output.strip().endswith("no conversation 987654")


def test_log_contact_and_merge(home: Path) -> None:
    out = run_json(
        home,
        "log-contact",
        "--customer",
        "+49 30 5550001",
        "--channel",
        "phone",
        "--summary",
        "Asked for a call back about a damaged parcel",
        "--needs-answer",
        "--minutes",
        "4",
    )
    new = out["changed"][0]
    assert query(home, f"SELECT status, channel FROM conversation WHERE id = {new}") == [
        ("open", "phone")
    ]
    assert query(home, f"SELECT duration_s FROM contact WHERE conversation_id = {new}") == [(240,)]
    target = open_ids(home, 1)[0]
    merged = run_json(home, "merge", str(new), "--into", target)
    assert merged["action"] == "conversation.merge"
    assert query(home, f"SELECT merged_into_id FROM conversation WHERE id = {new}") == [
        (int(target),)
    ]
    assert run(home, "close", str(new)).exit_code == 1  # merged: act on the one it joined


def test_link_order(home: Path) -> None:
    cid = open_ids(home, 1)[0]
    name = query(home, 'SELECT name FROM "order" LIMIT 1')[0][0]
    assert "linked to order" in run(home, "link-order", cid, name).stdout
    assert run(home, "link-order", cid, "#999999").exit_code == 1


def test_a_macro_previews_runs_on_several_and_undoes_in_one(home: Path) -> None:
    config = home.parent / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[[macros]]\nname = "Chase supplier"\ntags = ["supplier", "-vip"]\n'
        'snooze = "2d"\nsnooze_until_reply = false\nassign = "jonas"\nnote = "Asked the supplier"\n',
        encoding="utf-8",
    )
    a, b = open_ids(home, 2)
    preview = run(home, "macro", "chase supplier", a, b, "--preview")
    assert preview.exit_code == 0, preview.output
    assert "tags +supplier -vip" in preview.stdout and "snooze until" in preview.stdout
    assert status(home, a) == "open"  # a preview changes nothing
    out = run_json(home, "macro", "Chase supplier", a, b)
    assert out["changed"] == [int(a), int(b)]
    for cid in (a, b):
        row = query(
            home,
            "SELECT c.status, c.snooze_until_reply, g.handle FROM conversation c "
            f"JOIN agent g ON g.id = c.assignee_id WHERE c.id = {cid}",
        )
        assert row == [("snoozed", 0, "jonas")]
    assert query(home, f"SELECT count(*) FROM conversation_note WHERE conversation_id = {a}") == [
        (1,)
    ]
    assert run(home, "undo").exit_code == 0  # the whole macro, in one
    assert status(home, a) == "open" and status(home, b) == "open"
    assert query(home, f"SELECT count(*) FROM conversation_note WHERE conversation_id = {a}") == [
        (0,)
    ]
    bad = run(home, "macro", "nope", a)
    assert bad.exit_code == 1 and "no macro 'nope'" in bad.output
