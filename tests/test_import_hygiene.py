"""Importing the CLI or the services loads no Textual: scripts and `--help` stay fast, and the
layer rule (only `tui` imports Textual, and `cli` only to open the console) holds at runtime."""

from __future__ import annotations

import shutil
import subprocess
import sys

from agentconsole.demo import write_knowledge

PROBE = """
import sys
import agentconsole.cli, agentconsole.services.context
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(loaded) or "none")
"""


def printed(code: str) -> str:
    """What ``code`` prints in a fresh interpreter (nothing imported before it)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def test_cli_and_services_do_not_import_textual() -> None:
    assert printed(PROBE) == "none"


def test_help_does_not_import_textual() -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from agentconsole.cli import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        "print('textual' in sys.modules)\n"
    )
    assert printed(probe) == "False"


def test_reading_the_store_loads_no_orm(demo_store_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Everything the console shows first is read with ``sqlite3``: SQLAlchemy and SQLModel
    (about a second of imports) load only on the first write, keeping start-up fast. The
    knowledge index and the detected language are written with raw ``sqlite3`` too."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_store_file, home / "store.db")
    write_knowledge(home / "knowledge")
    probe = f"""
import sys
from pathlib import Path
from agentconsole.config import Settings, StoreSection
from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
services = Services.open(Settings(store=StoreSection(home=Path({str(home)!r}))))
view = InboxView()
first = services.inbox.page(view, 0, 50)[0]
services.inbox.conversation(first.id)
services.customers.profile(first.customer_id)
services.orders.for_customer(first.customer_id)
template = services.replies.templates("")[0]
services.replies.language(first.id)
services.replies.suggestions(first.id)
services.replies.fill(template, first.id)
services.shop_name()
services.close()
print(sorted(m for m in ("sqlalchemy", "sqlmodel", "alembic") if m in sys.modules) or "none")
"""
    assert printed(probe) == "none"


def test_opening_the_console_loads_no_template_engine() -> None:
    """Jinja2 and Babel (~30 ms) load with the first template rendered, in a worker after the
    inbox is on screen, not with the console's modules."""
    probe = (
        "import sys\n"
        "import agentconsole.cli.root, agentconsole.tui.app, agentconsole.services.context\n"
        "print(sorted(m for m in ('jinja2', 'babel') if m in sys.modules))\n"
    )
    assert printed(probe) == "[]"
