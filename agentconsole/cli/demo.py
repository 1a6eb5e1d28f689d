"""``agentconsole demo``: build the demo shop's store once, then open the console on it."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from agentconsole.cli.about import PROG, package_version
from agentconsole.cli.context import cli_state, open_console
from agentconsole.cli.errors import CliError
from agentconsole.config import (
    AgentSection,
    OutgoingSection,
    Settings,
    ShopSection,
    StoreSection,
    default_demo_home,
    load_settings,
)

if TYPE_CHECKING:
    from agentconsole.demo import DemoSummary

DEMO_MARKER = "demo.json"
"""Written beside a demo store once it is complete; only such a store is reused or rebuilt."""


def _parse_now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(f"--now: not an ISO 8601 time: {value!r}") from None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)


def _demo_settings(base: Settings, home: Path) -> Settings:
    """The demo agent and an offline transport; the user's theme and keys still apply."""
    from agentconsole.demo import RETURNS_URL

    return Settings(
        store=StoreSection(home=home),
        agent=AgentSection(
            name="Mara Lind",
            handle="mara",
            email="mara@lindenhof.example",
            timezone="Europe/Berlin",
        ),
        ui=base.ui,
        outgoing=OutgoingSection(transport="maildir"),
        shop=ShopSection(return_policy_url=RETURNS_URL),
        keys=dict(base.keys),
    )


def _write_demo_knowledge(settings: Settings) -> None:
    """The demo's templates as files in its knowledge folder, indexed at once. Only when the
    folder is new: a template the user deleted or changed there stays as they left it."""
    from agentconsole.demo import write_knowledge
    from agentconsole.services.context import Services

    folder = settings.knowledge_folder
    if folder.exists():
        return
    write_knowledge(folder)
    services = Services.open(settings)
    try:
        services.knowledge.refresh()
    finally:
        services.close()


def _build_demo_store(home: Path, now: datetime) -> DemoSummary:
    """Build into a scratch file and move it into place: a half-built demo is never reused."""
    from agentconsole.demo import build_demo
    from agentconsole.store.db import Store
    from agentconsole.store.migrate import remove_store_files
    from agentconsole.store.search_index import SearchIndex

    home.mkdir(parents=True, exist_ok=True)
    target = home / "store.db"
    scratch = home / "store.db.building"
    remove_store_files(scratch)
    store = Store(scratch)
    try:
        summary = build_demo(store, now=now)
    except BaseException:
        store.close()
        remove_store_files(scratch)
        raise
    store.close()
    if Path(f"{scratch}-wal").exists():  # fold the WAL in before the file moves
        con = sqlite3.connect(scratch)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    # The marker first: a crash before the move leaves no store.db (or the old demo), which
    # the next run rebuilds (or reuses) — never a demo store that later counts as foreign.
    (home / DEMO_MARKER).write_text(
        json.dumps({"built_at": now.isoformat(), "agentconsole": package_version()}) + "\n",
        encoding="utf-8",
    )
    remove_store_files(target)
    os.replace(scratch, target)
    remove_store_files(scratch)
    index = SearchIndex(target)  # searchable from the first keystroke
    try:
        index.catch_up()
    finally:
        index.close()
    return summary


def demo(
    ctx: typer.Context,
    home: Path | None = typer.Option(
        None,
        "--home",
        metavar="DIR",
        help="Where the demo store lives (default: the demo dir under the XDG data dir).",
    ),
    rebuild: bool = typer.Option(False, "--rebuild", help="Throw the demo away and build anew."),
    no_open: bool = typer.Option(
        False, "--no-open", help="Only build (or find) the demo store and print where it is."
    ),
    now: str | None = typer.Option(None, "--now", hidden=True, help="Build time (ISO 8601)."),
) -> None:
    """Try agentconsole on a made-up shop: build the demo store, then open the console on it.

    The demo is built once and reused; replies are filed in DIR/Maildir, nothing is sent.
    Point other commands at it with --home, e.g. agentconsole --home DIR inbox --json.
    """
    base = load_settings(cli_state(ctx).config)
    home = (home or cli_state(ctx).home or default_demo_home()).expanduser().absolute()
    settings = _demo_settings(base, home)
    path = settings.store_path
    is_demo = (home / DEMO_MARKER).exists()
    if path.exists() and not is_demo:
        raise CliError(
            f"{path}: holds a store that `{PROG} demo` did not build; choose another --home"
        )
    summary = None
    if rebuild or not path.exists():
        summary = _build_demo_store(home, _parse_now(now))
    _write_demo_knowledge(settings)
    if no_open:
        if summary is None:
            typer.echo(f"demo store ready: {path}")
        else:
            typer.echo(
                f"demo store built: {path} ({summary.customers} customers, "
                f"{summary.conversations} conversations, {summary.orders} orders)"
            )
        typer.echo(f"open it with: {PROG} demo --home {home}")
        return
    open_console(settings)
