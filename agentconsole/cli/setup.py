"""Setting up: ``init`` (a starter config), ``db upgrade``, ``config check`` and ``config path``.

None of these needs the services; only ``db upgrade`` loads the store (SQLAlchemy, Alembic).
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from agentconsole.cli.context import cli_settings, cli_state, naming
from agentconsole.cli.errors import CliError
from agentconsole.config import STARTER_CONFIG_NOTE, load_settings, locate_config

db_app = typer.Typer(no_args_is_help=True, help="Look after the store file.")
config_app = typer.Typer(no_args_is_help=True, help="Inspect the config file.")


def _local_zone() -> str:
    """The machine's IANA zone if it can be told cheaply, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with suppress(OSError):
        candidates.append(str(Path("/etc/localtime").resolve()).partition("zoneinfo/")[2])
    for name in candidates:
        if name == "UTC" or "/" in name:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return "UTC"


def starter_config(home: Path | None = None) -> str:
    """A short, valid, commented config for ``agentconsole init``."""
    home_line = (
        f"home = {json.dumps(str(home))}"
        if home
        else '# home = "~/.local/share/agentconsole"   # default: the XDG data directory'
    )
    return f"""{STARTER_CONFIG_NOTE}
[agent]
# Your name as customers see it in replies.
name = "Agent"
# IANA time zone in which times are shown, e.g. "Europe/Berlin".
timezone = "{_local_zone()}"

[store]
# Directory holding store.db, attachments and outgoing mail.
{home_line}

# A shop mailbox: IMAP to read, SMTP to send. The password never lives in this file:
# name a command that prints it (password_command) or a variable holding it (password_env).
# [[accounts]]
# name = "shop"
# email = "hello@example.com"
# imap_host = "imap.example.com"
# password_command = "pass show shop/mail"
"""


def init(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing config file."),
) -> None:
    """Write a starter config file where agentconsole will look for it, and print its path."""
    state = cli_state(ctx)
    source = locate_config(state.config)
    if source.path.exists() and not force:
        raise CliError(f"{source.path}: already exists (use --force to overwrite)")
    home = state.home.expanduser().absolute() if state.home else None
    source.path.parent.mkdir(parents=True, exist_ok=True)
    source.path.write_text(starter_config(home), encoding="utf-8")
    typer.echo(f"wrote {source.path}")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create the store, or migrate it to this version's schema (backing it up first)."""
    path = cli_settings(ctx).store_path
    from agentconsole.store.migrate import current_revision, head_revision, upgrade

    with naming(path):
        before = current_revision(path)
        made = upgrade(path)
    head = head_revision()
    if before is None:
        how = "created"
    elif before == head:
        how = "up to date"
    else:
        how = f"upgraded from {before}"
    typer.echo(f"store:  {path}")
    typer.echo(f"schema: {head} ({how})")
    typer.echo(f"backup: {made if made else 'none'}")


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Validate the config file: print "ok: PATH", or one line per problem (exit 2)."""
    source = locate_config(cli_state(ctx).config)
    load_settings(cli_state(ctx).config)
    note = "" if source.exists else " (no file; defaults apply)"
    typer.echo(f"ok: {source.path}{note}")


@config_app.command("path")
def config_path(ctx: typer.Context) -> None:
    """Print which config file is used and why."""
    source = locate_config(cli_state(ctx).config)
    state = "exists" if source.exists else "does not exist"
    typer.echo(str(source.path))
    typer.echo(f"chosen by {source.reason}; the file {state}")
