"""``agentconsole demo``: build the demo shop's store once, then open the console on it."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from time import perf_counter
from typing import Any

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
from agentconsole.config_triage import Macro, SavedView, SlaSection, TeamMember

DEMO_MARKER = "demo.json"
"""Written beside a demo store once it is complete; only such a store is reused or rebuilt."""


class DemoSize(StrEnum):
    small = "small"
    large = "large"


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
        team=[
            TeamMember(handle="tomasz", name="Tomasz Nowak", email="tomasz@lindenhof.example"),
            TeamMember(handle="chloe", name="Chloé Martin", email="chloe@lindenhof.example"),
        ],
        sla=SlaSection(
            hours={day: ["08:30-12:30", "13:30-17:30"] for day in ("mon", "tue", "wed", "thu")}
            | {"fri": ["08:30-15:00"]},
            holidays=[date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)],
        ),
        views=[
            SavedView(name="VIP waiting", query="tag:vip status:open"),
            SavedView(name="Returns", query="tag:returns (status:open OR status:pending)"),
        ],
        macros=[
            Macro(
                name="Tracking sent — wait for the customer",
                key="M",
                template="where-is-my-order",
                tags=["shipping"],
                status="pending",
                assign="me",
            ),
            Macro(
                name="Chase supplier in 2 days",
                snooze="2d",
                tags=["supplier"],
                note="Asked the supplier",
            ),
        ],
    )


def _write_demo_knowledge(settings: Settings) -> None:
    """The demo's templates as files in its knowledge folder, indexed at once. Only when the
    folder is new: a template the user deleted or changed there stays as they left it."""
    folder = settings.knowledge_folder
    if folder.exists():
        return
    from agentconsole.demo import write_knowledge
    from agentconsole.services.context import Services

    write_knowledge(folder)
    services = Services.open(settings)
    try:
        services.knowledge.refresh()
    finally:
        services.close()


def _fold_wal(path: Path) -> None:
    """Checkpoint a closed database's WAL into it, so the file can move on its own."""
    if Path(f"{path}-wal").exists():
        con = sqlite3.connect(path)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()


def _build_demo_store(
    home: Path, now: datetime, size: str, scale: float, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Build into a scratch file and move it into place: a half-built demo is never reused.

    The store is indexed for search before it moves (the index file moves with it), so every
    search is complete from the first keystroke. Returns the counts and the seconds taken.
    """
    from agentconsole.demo import build_demo
    from agentconsole.demo.large import build_large_demo
    from agentconsole.store.db import Store
    from agentconsole.store.migrate import remove_store_files
    from agentconsole.store.search_index import search_path

    home.mkdir(parents=True, exist_ok=True)
    target = home / "store.db"
    scratch = home / "store.db.building"
    remove_store_files(scratch)
    started = perf_counter()
    store = Store(scratch)
    opened = perf_counter()
    try:
        if size == "large":
            large = build_large_demo(store, now=now, scale=scale, progress=progress)
            counts = {
                "customers": large.customers,
                "conversations": large.conversations,
                "messages": large.messages,
                "orders": large.orders,
                "contacts": large.contacts,
            }
            seconds = dict(large.seconds)
        else:
            small = build_demo(store, now=now)
            built = perf_counter()
            store.search.catch_up()
            counts = {
                "customers": small.customers,
                "conversations": small.conversations,
                "messages": small.messages,
                "orders": small.orders,
                "contacts": small.contacts,
            }
            seconds = {"build": built - opened, "index": perf_counter() - built}
    except BaseException:
        store.close()
        remove_store_files(scratch)
        raise
    store.close()
    for path in (scratch, search_path(scratch)):  # fold the WALs in before the files move
        _fold_wal(path)
    # The marker first: a crash before the move leaves no store.db (or the old demo), which
    # the next run rebuilds (or reuses) — never a demo store that later counts as foreign.
    marker: dict[str, Any] = {
        "built_at": now.isoformat(),
        "agentconsole": package_version(),
        "size": size,
    }
    if size == "large" and scale != 1:
        marker["scale"] = scale
    (home / DEMO_MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
    remove_store_files(target)
    os.replace(scratch, target)
    os.replace(search_path(scratch), search_path(target))
    remove_store_files(scratch)
    seconds.pop("total", None)
    seconds = {"open": opened - started, **seconds, "total": perf_counter() - started}
    return {"counts": counts, "seconds": {k: round(v, 2) for k, v in seconds.items()}}


def _marker_size(home: Path) -> str | None:
    """The size the demo in ``home`` was built at (None: no demo there)."""
    marker = home / DEMO_MARKER
    if not marker.exists():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "small"
    size = data.get("size") if isinstance(data, dict) else None
    return size if size in ("small", "large") else "small"


def _store_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            name: int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for name, table in (
                ("customers", "customer"),
                ("conversations", "conversation"),
                ("messages", "message"),
                ("orders", "order"),
                ("contacts", "contact"),
            )
        }
    finally:
        con.close()


def _store_bytes(path: Path) -> int:
    from agentconsole.store.search_index import search_path

    return sum(p.stat().st_size for p in (path, search_path(path)) if p.exists())


def demo(
    ctx: typer.Context,
    home: Path | None = typer.Option(
        None,
        "--home",
        metavar="DIR",
        help="Where the demo store lives (default: the demo dir under the XDG data dir; "
        "demo-large for --size large).",
    ),
    size: DemoSize | None = typer.Option(
        None,
        "--size",
        help="small: 60 customers, hand-made; large: 100,000 messages, 20,000 customers and "
        "50,000 orders, to try the console at scale (built in under a minute).",
        show_default="small",
    ),
    rebuild: bool = typer.Option(False, "--rebuild", help="Throw the demo away and build anew."),
    no_open: bool = typer.Option(
        False, "--no-open", help="Only build (or find) the demo store and print where it is."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Only build (or find) the demo store; print counts and timings."
    ),
    now: str | None = typer.Option(None, "--now", hidden=True, help="Build time (ISO 8601)."),
    scale: float = typer.Option(
        1.0, "--scale", hidden=True, min=0.0, max=1.0, help="Shrink the large demo (tests)."
    ),
) -> None:
    """Try agentconsole on a made-up shop: build the demo store, then open the console on it.

    The demo is built once and reused; replies are filed in DIR/Maildir, nothing is sent.
    Point other commands at it with --home, e.g. agentconsole --home DIR inbox --json.
    """
    base = load_settings(cli_state(ctx).config)
    chosen = cli_state(ctx).home if home is None else home
    if chosen is None:
        chosen = default_demo_home()
        if size is DemoSize.large:
            chosen = chosen.with_name(f"{chosen.name}-large")
    home = chosen.expanduser().absolute()
    settings = _demo_settings(base, home)
    if cli_state(ctx).agent:  # `agentconsole --agent tomasz demo`: a second agent's console
        settings = settings.as_agent(str(cli_state(ctx).agent))
    path = settings.store_path
    built_size = _marker_size(home)
    if path.exists() and built_size is None:
        raise CliError(
            f"{path}: holds a store that `{PROG} demo` did not build; choose another --home"
        )
    wanted = size.value if size is not None else built_size or "small"
    result = None
    if rebuild or not path.exists() or wanted != built_size:
        progress = _progress if sys.stderr.isatty() and not as_json else _quiet
        result = _build_demo_store(home, _parse_now(now), wanted, scale, progress)
    _write_demo_knowledge(settings)
    if as_json:
        from agentconsole.cli.output import print_json

        counts = result["counts"] if result else _store_counts(path)
        print_json(
            {
                "store": str(path),
                "home": str(home),
                "size": wanted,
                "built": result is not None,
                "counts": counts,
                "seconds": result["seconds"] if result else None,
                "store_bytes": _store_bytes(path),
            }
        )
        return
    if no_open:
        if result is None:
            typer.echo(f"demo store ready: {path}")
        else:
            counts = result["counts"]
            typer.echo(
                f"demo store built: {path} ({counts['customers']:,} customers, "
                f"{counts['conversations']:,} conversations, {counts['messages']:,} messages, "
                f"{counts['orders']:,} orders in {result['seconds']['total']:.1f} s)"
            )
        typer.echo(f"open it with: {PROG} demo --home {home}")
        return
    open_console(settings)


def _progress(text: str) -> None:
    typer.echo(text, err=True)


def _quiet(_text: str) -> None:
    pass
