"""`agentconsole sync --once` end to end: a real config file, a real Dovecot, a real process.

What a shop owner (or cron) sees: one summary line per account and exit 0; ``--json`` records;
every failure (wrong password, server down, no account configured) is exit 1 or 2 with exactly
one line on stderr and never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentconsole.cli import app
from tests.servers.dovecot import Dovecot, free_port
from tests.servers.fixtures import ImapUser
from tests.servers.mailgen import make_message

SHOP = "support@shop.example"
PASSWORD_ENV = "AC_TEST_SYNC_PASSWORD"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SUMMARY = re.compile(r"shop: (\d+) new in (\d+) folders(, [^()]*)? \(\d+\.\d s\)")
PROCESS_TIMEOUT_S = 60

runner = CliRunner()


# --- helpers -----------------------------------------------------------------------------------


def write_config(
    path: Path,
    *,
    port: int,
    username: str = "nobody",
    secret: str | None = None,
) -> Path:
    """One ``[[accounts]]`` table as a shop owner writes it; the password comes from the
    environment (``PASSWORD_ENV``), or from ``printf`` when ``secret`` is given."""
    source = (
        f'password_command = "printf %s {secret}"'
        if secret is not None
        else f'password_env = "{PASSWORD_ENV}"'
    )
    path.write_text(
        "[agent]\n"
        'name = "Test Agent"\n'
        "\n"
        "[[accounts]]\n"
        'name = "shop"\n'
        f'email = "{SHOP}"\n'
        f'username = "{username}"\n'
        'imap_host = "127.0.0.1"\n'
        f"imap_port = {port}\n"
        'imap_tls = "none"\n'
        f"{source}\n",
        encoding="utf-8",
    )
    return path


def cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m agentconsole ARGS`` in a real process (the test's isolated XDG dirs)."""
    env = {k: v for k, v in os.environ.items() if k not in ("AGENTCONSOLE_CONFIG", PASSWORD_ENV)}
    env.update(COLUMNS="120", TZ="UTC")
    if password is not None:
        env[PASSWORD_ENV] = password
    return subprocess.run(
        [sys.executable, "-m", "agentconsole", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=PROCESS_TIMEOUT_S,
        check=False,
    )


def assert_one_line_error(stderr: str, *needles: str) -> None:
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), repr(stderr)
    assert stderr.startswith("agentconsole: "), repr(stderr)
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, repr(stderr)


def query(home: Path, sql: str) -> list[tuple[Any, ...]]:
    import sqlite3

    con = sqlite3.connect(home / "store.db")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def msg(i: int, **kw: Any) -> bytes:
    kw.setdefault("to", f"Shop <{SHOP}>")
    kw.setdefault("date", NOW - timedelta(days=2) + timedelta(minutes=i))
    return make_message(i, **kw)


def deliver_shop_mail(dovecot: Dovecot, user: ImapUser) -> None:
    """Three customers write to INBOX; the shop's answer to the first one sits in Sent."""
    ann = "Ann Customer <ann@example.com>"
    dovecot.deliver(user.name, msg(1, sender=ann, subject="Where is my order #1001?", message_id="<q1@example.com>"))  # fmt: skip
    dovecot.deliver(user.name, msg(2, sender="Bob Buyer <bob@example.com>", subject="Invoice please"))  # fmt: skip
    dovecot.deliver(user.name, msg(3, sender="Cy Client <cy@example.com>", subject="Broken lamp"))
    dovecot.deliver(
        user.name,
        msg(
            4,
            sender=f"Shop <{SHOP}>",
            to=ann,
            subject="Re: Where is my order #1001?",
            in_reply_to="<q1@example.com>",
        ),
        mailbox="Sent",
    )


@pytest.fixture
def shop(dovecot: Dovecot, imap_user: ImapUser, tmp_path: Path) -> tuple[Path, Path, ImapUser]:
    """(config file, store home, user): a configured account whose mailbox has shop mail."""
    deliver_shop_mail(dovecot, imap_user)
    config = write_config(tmp_path / "config.toml", port=dovecot.port, username=imap_user.name)
    return config, tmp_path / "home", imap_user


# --- success -----------------------------------------------------------------------------------


def test_sync_once_prints_one_summary_line_and_fills_the_store(shop) -> None:  # type: ignore[no-untyped-def]
    config, home, user = shop
    done = cli(
        "--config", str(config), "--home", str(home), "sync", "--once", password=user.password
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # not a terminal: no progress bar, no warnings
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    match = SUMMARY.fullmatch(lines[0])
    assert match, lines[0]
    assert (match.group(1), match.group(2), match.group(3)) == ("4", "2", None)

    # The store, read back through the CLI like a script would.
    listed = cli("--home", str(home), "inbox", "--all", "--json", "--limit", "100")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    by_name = {r["customer_name"]: r for r in rows}
    assert set(by_name) == {"Ann Customer", "Bob Buyer", "Cy Client"}
    assert by_name["Ann Customer"]["subject"] == "Where is my order #1001?"
    assert by_name["Ann Customer"]["status"] == "pending"  # we answered her (the Sent copy)
    assert by_name["Bob Buyer"]["status"] == "open"
    assert {r["customer_email"] for r in rows} == {
        "ann@example.com",
        "bob@example.com",
        "cy@example.com",
    }
    assert query(home, "SELECT count(*) FROM message") == [(4,)]
    assert query(home, "SELECT sync_state FROM mail_account") == [("synced",)]

    # A second run finds nothing new and says so on the same single line.
    again = cli("--config", str(config), "--home", str(home), "sync", "--once", password=user.password)  # fmt: skip
    assert again.returncode == 0, again.stderr
    match = SUMMARY.fullmatch(again.stdout.rstrip("\n"))
    assert match and match.group(1) == "0", again.stdout
    assert query(home, "SELECT count(*) FROM message") == [(4,)]


def test_sync_once_json_records(dovecot: Dovecot, imap_user: ImapUser, tmp_path: Path) -> None:
    # This account takes its password from a password_command instead of the environment.
    deliver_shop_mail(dovecot, imap_user)
    config = write_config(
        tmp_path / "config.toml",
        port=dovecot.port,
        username=imap_user.name,
        secret=imap_user.password,
    )
    home = tmp_path / "home"
    done = cli("--config", str(config), "--home", str(home), "sync", "--once", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    records = json.loads(done.stdout)  # stdout holds only the JSON
    assert isinstance(records, list) and len(records) == 1
    (record,) = records
    assert record["account"] == "shop"
    assert record["state"] == "synced"
    assert record["error"] is None
    assert isinstance(record["seconds"], int | float) and record["seconds"] >= 0
    folders = {f["name"]: f for f in record["folders"]}
    assert set(folders) == {"INBOX", "Sent"}
    assert folders["INBOX"]["new"] == 3 and folders["Sent"]["new"] == 1
    for folder in folders.values():
        assert {"linked", "flags_changed", "removed", "uidvalidity_reset", "defects"} <= set(folder)
        assert folder["removed"] == 0 and folder["uidvalidity_reset"] is False
        assert folder.get("missing", False) is False
        assert folder["defects"] == []
    assert imap_user.password not in done.stdout

    again = json.loads(cli("--config", str(config), "--home", str(home), "sync", "--once", "--json").stdout)  # fmt: skip
    assert [f["new"] for f in again[0]["folders"]] == [0, 0]


# --- failures ----------------------------------------------------------------------------------


def test_wrong_password_is_exit_1_and_one_line(shop) -> None:  # type: ignore[no-untyped-def]
    config, home, _user = shop
    done = cli(
        "--config", str(config), "--home", str(home), "sync", "--once", password="not-the-password"
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert_one_line_error(done.stderr, "authentication failed for account shop")
    assert "not-the-password" not in done.stderr
    assert query(home, "SELECT sync_state FROM mail_account") == [("auth_failed",)]
    assert query(home, "SELECT count(*) FROM message") == [(0,)]


def test_missing_password_variable_is_one_line(shop) -> None:  # type: ignore[no-untyped-def]
    config, home, _user = shop
    done = cli("--config", str(config), "--home", str(home), "sync", "--once")  # no env var set
    assert done.returncode == 1
    assert_one_line_error(done.stderr, PASSWORD_ENV, "not set")


def test_server_down_is_offline_exit_1_one_line(tmp_path: Path) -> None:
    port = free_port()  # handed out and released: nothing listens there
    config = write_config(tmp_path / "config.toml", port=port)
    home = tmp_path / "home"
    done = cli(
        "--config", str(config), "--home", str(home), "sync", "--once", "--json", password="x"
    )
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "shop", "cannot reach 127.0.0.1")
    (record,) = json.loads(done.stdout)
    assert record["state"] == "offline"
    assert "cannot reach 127.0.0.1" in record["error"]
    assert record["folders"] == []
    assert query(home, "SELECT sync_state FROM mail_account") == [("offline",)]

    plain = cli("--config", str(config), "--home", str(home), "sync", "--once", password="x")
    assert plain.returncode == 1
    assert plain.stdout == ""
    assert_one_line_error(plain.stderr, "shop", "cannot reach 127.0.0.1")


@pytest.mark.parametrize("config_file", ["empty", "agent-only", "none"])
def test_no_accounts_is_exit_2_one_line(tmp_path: Path, config_file: str) -> None:
    home = tmp_path / "home"
    args = ["--home", str(home), "sync", "--once"]
    if config_file != "none":  # "none": no --config and nothing in the (isolated) XDG dir
        config = tmp_path / "config.toml"
        config.write_text("" if config_file == "empty" else '[agent]\nname = "A"\n')
        args = ["--config", str(config), *args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert_one_line_error(result.stderr, "nothing to sync", "[[accounts]]")
    assert not home.exists()  # nothing to sync: no store created either


def test_no_accounts_in_a_real_process(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    done = cli("--config", str(config), "--home", str(tmp_path / "home"), "sync", "--once")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "nothing to sync")


def test_sync_help() -> None:
    result = runner.invoke(app, ["sync", "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout
    assert "--once" in result.stdout and "--json" in result.stdout
    assert result.stderr == ""
