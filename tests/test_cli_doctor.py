"""`agentconsole doctor` against real servers: every check connects, failures are one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentconsole.cli import app
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser
from tests.servers.smtp import SmtpServer

runner = CliRunner()


def _config(tmp_path: Path, dovecot: Dovecot, user: ImapUser, smtp: SmtpServer) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\nhome = "{tmp_path / "home"}"\n\n'
        f'[[accounts]]\nname = "shop"\nemail = "support@shop.example"\nusername = "{user.name}"\n'
        f'imap_host = "127.0.0.1"\nimap_port = {dovecot.port}\nimap_tls = "none"\n'
        f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp.port}\nsmtp_tls = "starttls"\n'
        f'tls_ca_file = "{smtp.cert_path}"\npassword_env = "DOCTOR_PW"\n'
    )
    return config


def test_doctor_passes_a_working_account(
    dovecot: Dovecot,
    imap_user: ImapUser,
    smtp_factory: Callable[..., SmtpServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp = smtp_factory(starttls=True, auth={imap_user.name: imap_user.password})
    config = _config(tmp_path, dovecot, imap_user, smtp)
    monkeypatch.setenv("DOCTOR_PW", imap_user.password)
    result = runner.invoke(app, ["--config", str(config), "doctor"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("✓ imap  shop: logged in to 127.0.0.1")
    assert lines[1].startswith("✓ smtp  shop: logged in to 127.0.0.1")
    checks = json.loads(runner.invoke(app, ["--config", str(config), "doctor", "--json"]).stdout)
    assert [c["ok"] for c in checks] == [True, True]


def test_doctor_explains_each_failure_in_one_line(
    dovecot: Dovecot,
    imap_user: ImapUser,
    smtp_factory: Callable[..., SmtpServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp = smtp_factory(starttls=True, hide={"STARTTLS"})
    config = _config(tmp_path, dovecot, imap_user, smtp)
    monkeypatch.setenv("DOCTOR_PW", "wrong-password")
    result = runner.invoke(app, ["--config", str(config), "doctor"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "✗ imap  shop: authentication failed for account shop",
        lines[1],
    ]
    assert lines[1].startswith("✗ smtp  shop: ") and "does not offer STARTTLS" in lines[1]
    assert "wrong-password" not in result.output
