"""The CLI over a real demo store: every command has help, readers print JSON and literal text,
the demo is built once and reused, `db upgrade` creates and migrates, problems are one line."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from agentconsole.cli import app
from agentconsole.cli.output import clean
from agentconsole.demo.hostile import HOSTILE_BODY, HOSTILE_EMAIL, HOSTILE_NAME, HOSTILE_SUBJECT

BUILD_NOW = "2026-11-23T10:00:00+00:00"
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]

runner = CliRunner()


# --- fixtures ----------------------------------------------------------------------------------


def _isolated_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AGENTCONSOLE_CONFIG"}
    env.update(XDG_CONFIG_HOME=str(root / "cfg"), XDG_DATA_HOME=str(root / "data"), TZ="UTC")
    return env


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop, built once per session by the real command in a real process."""
    root = tmp_path_factory.mktemp("demo-cli")
    home = root / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "agentconsole", "demo", "--home", str(home), "--no-open"]
        + ["--now", BUILD_NOW],
        capture_output=True,
        text=True,
        env=_isolated_env(root),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert str(home / "store.db") in done.stdout
    assert done.stderr == ""
    return home


@pytest.fixture
def home(demo_build: Path, tmp_path: Path) -> Path:
    """A private copy of the demo (readers record the agent, so each test gets its own)."""
    copy = tmp_path / "demo"
    shutil.copytree(demo_build, copy)
    return copy


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour: any ESC on stdout would then come from store text."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "120")


def run(home: Path, *args: str) -> Any:
    return runner.invoke(app, ["--home", str(home), *args])


def run_json(home: Path, *args: str) -> Any:
    result = run(home, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def query(home: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(home / "store.db")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert not [c for c in BIDI if c in text]


# --- help and version --------------------------------------------------------------------------


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


COMMAND_PATHS = _command_paths()


def test_the_tree_has_every_command() -> None:
    names = {" ".join(p) for p in COMMAND_PATHS}
    assert {
        "",
        "demo",
        "init",
        "db",
        "db upgrade",
        "config",
        "config check",
        "config path",
        "inbox",
        "show",
        "customer",
        "order",
        "reply",
        "outbox",
        "doctor",
        "kb",
        "kb list",
        "kb show",
        "kb new",
        "kb import",
        "kb export",
        "kb render",
    } <= names


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "(root)")
def test_every_command_has_help(path: list[str]) -> None:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    assert (command.help or "").strip(), f"{path} has no docstring"
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert "Usage" in result.stdout


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "(root)")
def test_config_names_in_help_are_shown_literally(path: list[str]) -> None:
    """Help is Rich markup: an unescaped ``[[team]]`` or ``[agent]`` in a help text would
    vanish as a markup tag."""
    import re

    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    names = {
        token.replace("\\", "")
        for param in command.params
        for token in re.findall(r"(?:\\?\[)+[a-z_]+\]+", getattr(param, "help", None) or "")
    }
    if not names:
        return
    shown = runner.invoke(app, [*path, "--help"], terminal_width=200).stdout
    for token in names:
        assert token in shown, (token, shown)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("agentconsole ")


# --- inbox -------------------------------------------------------------------------------------


def test_inbox_json_is_in_queue_order(home: Path) -> None:
    rows = run_json(home, "inbox", "--all", "--limit", "100000")
    (total,) = query(home, "SELECT count(*) FROM conversation")[0]
    assert len(rows) == total > 0
    waiting = [r["waiting_since"] for r in rows]
    present = [w for w in waiting if w is not None]
    assert present, "the demo has customers waiting"
    assert waiting[: len(present)] == present, "nulls come last"
    assert present == sorted(present, key=datetime.fromisoformat)
    assert {"id", "subject", "status", "channel", "customer_name", "waiting_since"} <= set(rows[0])


def test_inbox_default_view_limit_and_search(home: Path) -> None:
    active = run_json(home, "inbox", "--limit", "100000")
    assert active and {r["status"] for r in active} <= {"open", "pending"}
    assert len(run_json(home, "inbox", "--limit", "3")) == 3

    hostile = run_json(home, "inbox", "--all", "--search", "evil.example")
    assert [r["customer_email"] for r in hostile] == [HOSTILE_EMAIL] * len(hostile)
    assert hostile


def test_inbox_human_table(home: Path) -> None:
    rows = run_json(home, "inbox", "--limit", "5")
    result = run(home, "inbox", "--limit", "5")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert header == ["id", "customer", "subject", "status", "waiting", "channel"]
    for row in rows:
        assert any(line.lstrip().startswith(str(row["id"])) for line in result.stdout.splitlines())
    assert "5 of " in result.stdout
    assert_terminal_safe(result.stdout)


def test_inbox_limit_must_be_positive(home: Path) -> None:
    assert run(home, "inbox", "--limit", "0").exit_code == 2


# --- show --------------------------------------------------------------------------------------


def _two_way_conversation(home: Path) -> int:
    rows = query(
        home,
        "SELECT conversation_id FROM message GROUP BY conversation_id"
        " HAVING count(DISTINCT direction) = 2 ORDER BY conversation_id LIMIT 1",
    )
    assert rows, "the demo has a conversation with a reply"
    return int(rows[0][0])


def test_show_json_thread_oldest_first(home: Path) -> None:
    cid = _two_way_conversation(home)
    detail = run_json(home, "show", str(cid))
    assert detail["summary"]["id"] == cid
    ats = [e["at"] for e in detail["entries"]]
    assert ats == sorted(ats)
    assert {e["direction"] for e in detail["entries"]} == {"inbound", "outbound"}


def test_show_human_marks_directions(home: Path) -> None:
    cid = _two_way_conversation(home)
    detail = run_json(home, "show", str(cid))
    result = run(home, "show", str(cid))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"#{cid}  ")
    marks = [line[:5].strip() for line in out.splitlines() if line.startswith(("◀ IN", "▶ OUT"))]
    expected = ["◀ IN" if e["direction"] == "inbound" else "▶ OUT" for e in detail["entries"]]
    assert marks == expected
    assert_terminal_safe(out)


def test_show_unknown_conversation(home: Path) -> None:
    result = run(home, "show", "999999")
    assert result.exit_code == 1
    assert result.stderr == "agentconsole: no conversation 999999\n"
    assert result.stdout == ""


# --- customer ----------------------------------------------------------------------------------


def test_customer_json_and_human(home: Path) -> None:
    (email,) = query(
        home,
        'SELECT ci.value FROM customer_identity ci JOIN "order" o ON o.customer_id = ci.customer_id'
        " WHERE ci.kind = 'email' ORDER BY ci.id LIMIT 1",
    )[0]
    profile = run_json(home, "customer", email)
    assert email in profile["emails"]
    assert profile["order_count"] >= 1
    assert "birthday_soon" in profile

    result = run(home, "customer", email.upper())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == profile["name"]
    assert email in result.stdout
    assert "orders" in result.stdout
    assert_terminal_safe(result.stdout)


def test_unknown_customer_is_one_line(home: Path) -> None:
    result = run(home, "customer", "nobody@nowhere.example")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "no customer" in result.stderr and "nobody@nowhere.example" in result.stderr


# --- order -------------------------------------------------------------------------------------


def test_order_by_either_spelling(home: Path) -> None:
    with_hash = run_json(home, "order", "#1001")
    bare = run_json(home, "order", "1001")
    assert with_hash == bare
    assert with_hash["name"] == "#1001"
    assert with_hash["lines"] and with_hash["total"]["currency"]

    human = run(home, "order", "#1001")
    assert human.exit_code == 0, human.output
    assert human.stdout.startswith("#1001 · ")
    for line in with_hash["lines"]:
        assert line["sku"] in human.stdout
    assert with_hash["total"]["display"] in human.stdout


def test_order_shows_tracking_links_and_refunds(home: Path) -> None:
    (tracked,) = query(
        home,
        'SELECT o.name FROM "order" o JOIN shipment s ON s.order_id = o.id'
        " WHERE s.tracking_url IS NOT NULL ORDER BY o.id LIMIT 1",
    )[0]
    detail = run_json(home, "order", tracked)
    url = next(s["tracking_url"] for s in detail["shipments"] if s["tracking_url"])
    human = run(home, "order", tracked)
    assert url in human.stdout
    assert "shipment" in human.stdout

    refunded = query(
        home,
        'SELECT o.name FROM "order" o JOIN refund r ON r.order_id = o.id ORDER BY o.id LIMIT 1',
    )
    if refunded:
        detail = run_json(home, "order", refunded[0][0])
        assert detail["refunds"] and detail["refunded"]["amount"] > 0
        human = run(home, "order", refunded[0][0])
        assert "refund" in human.stdout
        assert detail["refunded"]["display"] in human.stdout


def test_unknown_order_is_one_line(home: Path) -> None:
    result = run(home, "order", "#99999")
    assert result.exit_code == 1
    assert result.stderr == "agentconsole: no order '#99999'\n"
    assert result.stdout == ""


# --- hostile text ------------------------------------------------------------------------------


def _hostile_conversation(home: Path) -> int:
    rows = run_json(home, "inbox", "--all", "--limit", "100000")
    found = [r["id"] for r in rows if r["subject"] == HOSTILE_SUBJECT]
    assert found, "the demo carries the hostile conversation"
    return int(found[0])


def test_show_prints_hostile_text_literally(home: Path) -> None:
    cid = _hostile_conversation(home)
    result = run(home, "show", str(cid))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert_terminal_safe(out)
    assert "Order [link=https://evil.example]#1234[/link]" in out
    assert HOSTILE_NAME in out
    assert "my parcel [bold red]x[/] never arrived." in out
    assert "Proof is here: [link=https://evil.example]click[/link]" in out
    assert clean(HOSTILE_SUBJECT) in out
    for line in clean(HOSTILE_BODY).splitlines():
        assert line in out


def test_hostile_text_stays_inert_everywhere(home: Path) -> None:
    cid = _hostile_conversation(home)
    for args in (
        ["inbox", "--all", "--limit", "100000"],
        ["customer", HOSTILE_EMAIL],
        ["show", str(cid), "--json"],
        ["customer", HOSTILE_EMAIL, "--json"],
        ["inbox", "--all", "--json"],
    ):
        result = run(home, *args)
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.stdout)
    human = run(home, "customer", HOSTILE_EMAIL).stdout
    assert human.splitlines()[0] == HOSTILE_NAME


def test_json_keeps_hostile_text_exactly(home: Path) -> None:
    cid = _hostile_conversation(home)
    detail = run_json(home, "show", str(cid))
    assert detail["summary"]["subject"] == HOSTILE_SUBJECT
    assert detail["summary"]["customer_name"] == HOSTILE_NAME
    assert any(e["text"] == HOSTILE_BODY for e in detail["entries"])


def test_clean_makes_controls_visible() -> None:
    assert clean("a\x1b[2Jb") == "a\u241b[2Jb"
    assert clean("x\u202eevil\u202c") == "x\ufffdevil\ufffd"
    assert clean("one\r\ntwo\tthree") == "one\ntwo\tthree"
    assert clean("[bold]") == "[bold]"
    assert clean(None) == ""


# --- secrets never reach output --------------------------------------------------------------


def test_json_output_never_contains_a_password(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_secret, command_secret = "pw-from-env-8c1f", "pw-from-command-77ad"
    monkeypatch.setenv("AC_TEST_SHOP_PASSWORD", env_secret)
    config = tmp_path / "config.toml"
    config.write_text(
        "[[accounts]]\n"
        'name = "shop"\nemail = "hello@lindenhof.example"\nimap_host = "imap.example"\n'
        'password_env = "AC_TEST_SHOP_PASSWORD"\n'
        "[[stores]]\n"
        'name = "lindenhof"\nplatform = "shopify"\nurl = "https://lindenhof.example"\n'
        f'password_command = "echo {command_secret}"\n',
        encoding="utf-8",
    )
    cid = _two_way_conversation(home)
    for args in (
        ["inbox", "--all", "--json"],
        ["show", str(cid), "--json"],
        ["customer", HOSTILE_EMAIL, "--json"],
        ["order", "1001", "--json"],
        ["config", "check"],
        ["config", "path"],
        ["db", "upgrade"],
    ):
        result = runner.invoke(app, ["--config", str(config), "--home", str(home), *args])
        assert result.exit_code == 0, result.output
        assert env_secret not in result.output
        assert command_secret not in result.output


# --- store problems ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["inbox"], ["show", "1"], ["customer", "a@b.c"], ["order", "1"]]
)
def test_readers_need_an_existing_store(tmp_path: Path, command: list[str]) -> None:
    where = tmp_path / "typo"
    result = run(where, *command)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "no store here" in result.stderr and "db upgrade" in result.stderr
    assert not where.exists()


def test_a_file_that_is_not_a_store_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "store.db").write_bytes(b"this is not sqlite" * 100)
    for command in (["inbox"], ["db", "upgrade"]):
        result = run(tmp_path, *command)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("agentconsole: ")
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.output


# --- db upgrade --------------------------------------------------------------------------------


def test_db_upgrade_creates_then_keeps(tmp_path: Path) -> None:
    home = tmp_path / "new"
    first = run(home, "db", "upgrade")
    assert first.exit_code == 0, first.output
    assert (home / "store.db").exists()
    assert f"store:  {home / 'store.db'}" in first.stdout
    assert "(created)" in first.stdout
    assert "backup: none" in first.stdout

    second = run(home, "db", "upgrade")
    assert second.exit_code == 0
    assert "(up to date)" in second.stdout
    assert "backup: none" in second.stdout
    assert not list(home.glob("*.bak"))

    assert run(home, "inbox").exit_code == 0


def test_db_upgrade_refuses_a_store_from_a_newer_version(tmp_path: Path) -> None:
    home = tmp_path / "old"
    assert run(home, "db", "upgrade").exit_code == 0
    con = sqlite3.connect(home / "store.db")
    con.execute("UPDATE alembic_version SET version_num = 'base_for_test'")
    con.commit()
    con.close()
    result = run(home, "db", "upgrade")
    assert result.exit_code == 1
    assert "newer agentconsole" in result.stderr
    assert result.stderr.count("\n") == 1


def test_db_upgrade_uses_configured_home(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    home = tmp_path / "configured"
    config.write_text(f"[store]\nhome = {json.dumps(str(home))}\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (home / "store.db").exists()


# --- demo --------------------------------------------------------------------------------------


def test_demo_is_reused(home: Path) -> None:
    before = (home / "store.db").stat().st_mtime_ns
    result = runner.invoke(app, ["demo", "--home", str(home), "--no-open"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"demo store ready: {home / 'store.db'}")
    assert (home / "store.db").stat().st_mtime_ns == before


def test_demo_global_home_works_too(home: Path) -> None:
    result = runner.invoke(app, ["--home", str(home), "demo", "--no-open"])
    assert result.exit_code == 0, result.output
    assert str(home / "store.db") in result.stdout


def test_demo_never_takes_over_a_real_store(tmp_path: Path) -> None:
    real = tmp_path / "real"
    assert run(real, "db", "upgrade").exit_code == 0
    for extra in ([], ["--rebuild"]):
        result = runner.invoke(app, ["demo", "--home", str(real), "--no-open", *extra])
        assert result.exit_code == 1
        assert "did not build" in result.stderr
        assert result.stderr.count("\n") == 1


def test_demo_rejects_a_bad_now(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "--home", str(tmp_path / "d"), "--no-open", "--now", "soon"]
    )
    assert result.exit_code == 1
    assert "--now" in result.stderr


def test_demo_store_is_offline_and_complete(demo_build: Path) -> None:
    assert (demo_build / "demo.json").exists()
    assert not list(demo_build.glob("store.db.building*"))
    (customers,) = query(demo_build, "SELECT count(*) FROM customer")[0]
    assert customers > 0


# --- reply and outbox --------------------------------------------------------------------------


def _open_conversation(home: Path) -> int:
    return int(query(home, "SELECT id FROM conversation WHERE status = 'open' ORDER BY id")[0][0])


def test_reply_without_send_keeps_a_draft(home: Path, tmp_path: Path) -> None:
    conv = _open_conversation(home)
    text = tmp_path / "reply.txt"
    text.write_text("Your parcel left today.\n", encoding="utf-8")
    result = run(home, "reply", str(conv), "--message-file", str(text))
    assert result.exit_code == 0, result.output
    assert "draft saved" in result.stdout
    body = query(home, f"SELECT body FROM draft WHERE conversation_id = {conv}")[0][0]
    assert body.startswith("Your parcel left today.\n") and " wrote:" in body
    assert query(home, "SELECT count(*) FROM outbox WHERE state != 'sent'") == [(0,)]


def test_reply_send_goes_out_through_the_demo_maildir(home: Path, tmp_path: Path) -> None:
    conv = _open_conversation(home)
    text = tmp_path / "reply.txt"
    text.write_text("Your parcel left today.\n", encoding="utf-8")
    before = query(home, "SELECT count(*) FROM outbox")[0][0]
    sent = run_json(home, "reply", str(conv), "--message-file", str(text), "--send")
    assert sent["state"] == "sent" and sent["conversation_id"] == conv
    assert query(home, "SELECT count(*) FROM outbox")[0][0] == before + 1
    assert len(list((home / "Maildir" / "new").iterdir())) >= 1
    status = query(home, f"SELECT status, waiting_since FROM conversation WHERE id = {conv}")
    assert status == [("pending", None)]
    listed = run_json(home, "outbox", "--all")
    assert listed[0]["id"] == sent["id"] and listed[0]["state"] == "sent"
    assert run(home, "outbox").stdout.strip() == "the outbox is empty"


def test_outbox_lists_a_failed_reply_and_retries_it(home: Path, tmp_path: Path) -> None:
    conv = _open_conversation(home)
    text = tmp_path / "reply.txt"
    text.write_text("Hello\n", encoding="utf-8")
    sent = run_json(home, "reply", str(conv), "--message-file", str(text), "--send")
    con = sqlite3.connect(home / "store.db")
    with con:
        con.execute(
            "UPDATE outbox SET state = 'failed', last_code = 550, "
            "last_error = '550 5.1.1 mailbox unavailable' WHERE id = ?",
            (sent["id"],),
        )
    con.close()
    table = run(home, "outbox")
    assert "failed" in table.stdout and "550 5.1.1 mailbox unavailable" in table.stdout
    retried = run(home, "outbox", "--retry", str(sent["id"]), "--json")
    assert retried.exit_code == 0, retried.output
    assert query(home, f"SELECT state FROM outbox WHERE id = {sent['id']}") == [("sent",)]


def test_reply_problems_are_one_line(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run(home, "reply", "1", "--message-file", str(empty), "--send")
    assert result.exit_code == 1 and "the reply is empty" in result.output
    text = tmp_path / "reply.txt"
    text.write_text("Hi\n", encoding="utf-8")
    result = run(home, "reply", "999999", "--message-file", str(text))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "agentconsole: conversation 999999 does not exist"
    ]
    result = run(home, "outbox", "--cancel", "424242")
    assert result.exit_code == 1 and "no outbox entry 424242" in result.output
