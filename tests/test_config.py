"""Config: the example documents every option, `init` writes a loadable starter, problems are
one line naming the file and key (exit 2, no traceback), and secrets resolve only on demand."""

from __future__ import annotations

import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from agentconsole.cli import app
from agentconsole.cli.setup import starter_config
from agentconsole.config import (
    ConfigError,
    SecretSource,
    Settings,
    load_settings,
    parse_settings,
    xdg_config_path,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"

runner = CliRunner()


# --- config.example.toml ---------------------------------------------------------------------


def test_example_loads() -> None:
    settings = parse_settings(EXAMPLE)
    assert settings.accounts and settings.stores
    for account in settings.accounts:
        assert account.password_command or account.password_env


def _model_of(annotation: object) -> type[BaseModel] | None:
    """``AccountConfig`` for ``list[AccountConfig]``, ``StoreSection`` for ``StoreSection``."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _documented_keys(text: str) -> set[tuple[str, str]]:
    """(table, key) for every ``key =`` line, commented out or not, under its table header."""
    found: set[tuple[str, str]] = set()
    table = ""
    for raw in text.splitlines():
        line = raw.strip().lstrip("#").strip()
        header = re.fullmatch(r"\[\[?([A-Za-z_]+)\]\]?", line)
        if header:
            table = header.group(1)
            found.add(("", table))
            continue
        key = re.match(r'^"?([A-Za-z_.]+)"?\s*=', line)
        if key:
            found.add((table, key.group(1)))
    return found


def test_example_mentions_every_field_of_every_settings_model() -> None:
    documented = _documented_keys(EXAMPLE.read_text(encoding="utf-8"))
    missing = []
    for section, field in Settings.model_fields.items():
        if ("", section) not in documented:
            missing.append(f"[{section}]")
        model = _model_of(field.annotation)
        if model is None:
            continue
        for name in model.model_fields:
            if (section, name) not in documented:
                missing.append(f"{section}.{name}")
    assert not missing, f"config.example.toml does not document: {missing}"


def test_example_never_holds_a_plain_password() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert not re.search(r"^\s*#?\s*(password|token|secret)\s*=", text, re.MULTILINE)


# --- init --------------------------------------------------------------------------------------


def test_starter_config_is_valid(tmp_path: Path) -> None:
    for home in (None, tmp_path / "shop data"):
        path = tmp_path / "starter.toml"
        path.write_text(starter_config(home), encoding="utf-8")
        settings = parse_settings(path)
        assert settings.store.home == home
        assert settings.accounts == []


def test_init_writes_the_xdg_config_and_refuses_to_overwrite() -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    path = xdg_config_path()
    assert str(path) in result.stdout
    assert load_settings() == parse_settings(path)

    path.write_text('[agent]\nname = "Kept"\n', encoding="utf-8")
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 1
    assert again.stderr.strip().count("\n") == 0
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert parse_settings(path).agent.name == "Kept"

    forced = runner.invoke(app, ["init", "--force"])
    assert forced.exit_code == 0
    assert parse_settings(path).agent.name == "Agent"


def test_init_follows_the_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    named = tmp_path / "named" / "config.toml"
    assert runner.invoke(app, ["--config", str(named), "init"]).exit_code == 0
    assert named.exists()

    env_path = tmp_path / "env" / "config.toml"
    monkeypatch.setenv("AGENTCONSOLE_CONFIG", str(env_path))
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert env_path.exists()
    assert not xdg_config_path().exists()


def test_init_records_home(tmp_path: Path) -> None:
    home = tmp_path / "shop"
    assert runner.invoke(app, ["--home", str(home), "init"]).exit_code == 0
    assert load_settings().home == home


# --- config check / path ---------------------------------------------------------------------


def test_config_check_ok(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--config", str(EXAMPLE), "config", "check"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ok: {EXAMPLE}"

    missing_xdg = runner.invoke(app, ["config", "check"])
    assert missing_xdg.exit_code == 0
    assert missing_xdg.stdout.startswith(f"ok: {xdg_config_path()}")
    assert "defaults" in missing_xdg.stdout


def test_config_path_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["config", "path"])
    assert result.stdout.splitlines()[0] == str(xdg_config_path())
    assert "XDG" in result.stdout and "does not exist" in result.stdout

    monkeypatch.setenv("AGENTCONSOLE_CONFIG", str(EXAMPLE))
    result = runner.invoke(app, ["config", "path"])
    assert result.stdout.splitlines()[0] == str(EXAMPLE)
    assert "$AGENTCONSOLE_CONFIG" in result.stdout and "exists" in result.stdout

    named = tmp_path / "x.toml"
    result = runner.invoke(app, ["--config", str(named), "config", "path"])
    assert result.stdout.splitlines()[0] == str(named)
    assert "--config" in result.stdout


# --- problems: one line, file and key, exit 2, no traceback ----------------------------------

ACCOUNT = '[[accounts]]\nname = "shop"\nemail = "a@b.example"\nimap_host = "imap.b.example"\n'

BROKEN = {
    "invalid-toml": ("[agent\nname = 1\n", ["invalid TOML"]),
    "unknown-key": ('[agent]\nnmae = "Mara"\n', ["agent.nmae", "unknown key"]),
    "wrong-type": (
        ACCOUNT + 'password_env = "PW"\nimap_port = "lots"\n',
        ["accounts[0].imap_port", ":6:"],
    ),
    "bad-timezone": ('[agent]\ntimezone = "Mars/Olympus"\n', ["agent.timezone", "Mars/Olympus"]),
    "no-password-source": (ACCOUNT, ["accounts[0]", "password_command or password_env"]),
    "tls-none-remote": (
        ACCOUNT + 'password_env = "PW"\nimap_tls = "none"\n',
        ["accounts[0]", "imap_tls", "loopback"],
    ),
}


def _assert_one_line(stderr: str, path: Path, needles: list[str]) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("agentconsole: ")
    assert str(path) in lines[0]
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("command", [["config", "check"], ["inbox"], ["db", "upgrade"]])
def test_broken_config_is_one_line(tmp_path: Path, case: str, command: list[str]) -> None:
    text, needles = BROKEN[case]
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["--config", str(path), *command])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    _assert_one_line(result.stderr, path, needles)
    assert not (tmp_path / "store.db").exists()


def test_broken_xdg_config_is_reported_too() -> None:
    path = xdg_config_path()
    path.parent.mkdir(parents=True)
    path.write_text("[ui]\ntheme = 3\n", encoding="utf-8")
    result = runner.invoke(app, ["inbox"])
    assert result.exit_code == 2
    _assert_one_line(result.stderr, path, ["ui.theme"])


def test_missing_explicit_config_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nope.toml"
    result = runner.invoke(app, ["--config", str(path), "config", "check"])
    assert result.exit_code == 2
    _assert_one_line(result.stderr, path, ["not found", "--config"])

    monkeypatch.setenv("AGENTCONSOLE_CONFIG", str(path))
    result = runner.invoke(app, ["inbox"])
    assert result.exit_code == 2
    _assert_one_line(result.stderr, path, ["not found", "$AGENTCONSOLE_CONFIG"])


@pytest.mark.parametrize("case", [*sorted(BROKEN), "missing"])
def test_real_process_prints_no_traceback(tmp_path: Path, case: str) -> None:
    """Through ``main()`` in a real process, as a user runs it."""
    path = tmp_path / "config.toml"
    needles = ["not found"]
    if case != "missing":
        text, needles = BROKEN[case]
        path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "agentconsole", "--config", str(path), "inbox", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    _assert_one_line(done.stderr, path, needles)


# --- secrets -----------------------------------------------------------------------------------


def test_secret_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AC_TEST_PW", "env-secret")
    assert SecretSource(password_env="AC_TEST_PW").resolve("accounts.shop") == "env-secret"


def test_secret_from_command() -> None:
    source = SecretSource(password_command="echo 'cmd secret'")
    assert source.resolve("accounts.shop") == "cmd secret"


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        (SecretSource(), "no password_command or password_env"),
        (SecretSource(password_env="AC_TEST_UNSET_PW"), "AC_TEST_UNSET_PW is not set"),
        (SecretSource(password_command="false"), "exited 1"),
        (SecretSource(password_command="/nonexistent/pw-helper"), "failed to run"),
    ],
)
def test_secret_failures_are_one_line(
    source: SecretSource, needle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AC_TEST_UNSET_PW", raising=False)
    with pytest.raises(ConfigError) as caught:
        source.resolve("accounts.shop")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("accounts.shop: ")
    assert needle in message


def test_both_secret_sources_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(ACCOUNT + 'password_env = "PW"\npassword_command = "echo x"\n')
    with pytest.raises(ConfigError) as caught:
        parse_settings(path)
    assert caught.value.problems == [
        f"{path}: accounts[0]: set password_command or password_env, not both"
    ]
