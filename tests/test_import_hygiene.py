"""Importing the CLI or the services loads no Textual: scripts and `--help` stay fast, and the
layer rule (only `tui` imports Textual, and `cli` only to open the console) holds at runtime."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import agentconsole.cli, agentconsole.services.context
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(loaded) or "none")
"""


def test_cli_and_services_do_not_import_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "none"


def test_help_does_not_import_textual() -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from agentconsole.cli import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        "print('textual' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
