"""The ``agentconsole`` command: open the console, build the demo, read the store from scripts.

Why this shape: each command is a thin wrapper over a service call, so the CLI and the console
can never disagree. ``--json`` prints exactly the records the services hand out (stdout holds
only the JSON); the human output prints every piece of store text literally — customer text is
untrusted, so it never reaches Rich as markup and control characters are made visible. Every
problem a user can fix ends as one ``agentconsole: …`` line on stderr with exit code 2 (config)
or 1 (anything else), never a traceback. Textual is imported only by the code that opens the
console, and the store (SQLAlchemy, Alembic) only by the commands that read or write it, so
``--help``, ``init`` and ``config`` answer at once.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from agentconsole.clock import Clock
from agentconsole.config import (
    STARTER_CONFIG_NOTE,
    AgentSection,
    ConfigError,
    OutgoingSection,
    Settings,
    StoreSection,
    default_demo_home,
    load_settings,
    locate_config,
)
from agentconsole.services.records import (
    ConversationDetail,
    CustomerProfile,
    OrderDetail,
    ThreadEntry,
    to_jsonable,
)
from agentconsole.untrusted import neutralise

if TYPE_CHECKING:
    from agentconsole.demo import DemoSummary
    from agentconsole.services.context import Services

# The store and services (SQLAlchemy, Alembic) are imported inside the commands that use them:
# they take most of a second to load, and `--help`, `init` and `config` need none of it.

PROG = "agentconsole"
DEMO_MARKER = "demo.json"
"""Written beside a demo store once it is complete; only such a store is reused or rebuilt."""

# ---------------------------------------------------------------------------------------------
# Untrusted text: printed literally, never as markup, with nothing a terminal would act on.

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean(text: str | None) -> str:
    """Untrusted text made harmless for a terminal; newlines and tabs survive.

    Control characters (ESC included) and bidi controls become visible stand-ins (``␛``,
    ``\ufffd``) — the same ones the console shows (``agentconsole.untrusted``).
    """
    return neutralise(text.replace("\r\n", "\n")) if text else ""


def literal(text: str | None, style: str = "") -> Text:
    """Untrusted text as a Rich ``Text``: shown as written, never parsed as markup."""
    return Text(clean(text), style=style)


def _line(text: str | None, style: str = "") -> Text:
    """One line of untrusted text (newlines folded) for table cells and headers."""
    return Text(" ".join(clean(text).split()), style=style)


def _cell(text: str | None) -> Text:
    """A table cell of untrusted text: one line, cut with "…" when the column is narrow."""
    return Text(" ".join(clean(text).split()), no_wrap=True, overflow="ellipsis")


def _console() -> Console:
    # highlight=False: Rich must not colour numbers or URLs inside customer text either.
    return Console(highlight=False, emoji=False, soft_wrap=False)


def _print_json(value: Any) -> None:
    """Records → JSON on stdout. Terminal-hostile characters are kept, but only as escapes."""
    dumped = json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped) + "\n")


# ---------------------------------------------------------------------------------------------
# Errors: one line on stderr, exit 2 for config problems, 1 for everything else.


class CliError(Exception):
    """A problem this CLI reports itself (unknown order, existing file …); one line."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class _NotLoaded(Exception):
    """Stands in for an exception class whose module was never imported."""


def _loaded(module: str, name: str) -> type[BaseException]:
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else _NotLoaded


def explain(exc: BaseException) -> tuple[list[str], int] | None:
    """The lines and exit code for a problem the user can act on; ``None`` for a bug."""
    if isinstance(exc, ConfigError):
        return [p for p in exc.problems if p] or ["invalid configuration"], 2
    if isinstance(exc, CliError):
        return [str(exc)], exc.code
    # An exception from the store can only exist once its module is loaded: look the classes
    # up there instead of importing SQLAlchemy just to rule them out.
    store_error = _loaded("agentconsole.store.db", "StoreError")
    reply_error = _loaded("agentconsole.services.replies", "ReplyError")
    if isinstance(exc, (store_error, reply_error)):
        return [str(exc)], 1
    if isinstance(exc, _loaded("sqlalchemy.exc", "DBAPIError")):
        return [f"store: {exc.orig}"], 1  # type: ignore[attr-defined]
    if isinstance(exc, sqlite3.Error):
        return [f"store: {exc}"], 1
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return [f"{where}{exc.strerror or exc}"], 1
    return None


def _fail(lines: list[str], code: int) -> typer.Exit:
    for line in lines:
        typer.echo(f"{PROG}: {' '.join(line.split())}", err=True)
    return typer.Exit(code)


class _Group(TyperGroup):
    """The root command: every subcommand runs inside this ``invoke``, so errors meet here."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            found = explain(exc)
            if found is None:
                raise
            raise _fail(*found) from None


# ---------------------------------------------------------------------------------------------
# The command tree.

app = typer.Typer(
    name=PROG,
    cls=_Group,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(no_args_is_help=True, help="Look after the store file.")
config_app = typer.Typer(no_args_is_help=True, help="Inspect the config file.")
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")


@dataclass(frozen=True)
class _State:
    config: Path | None
    home: Path | None


def _state(ctx: typer.Context) -> _State:
    state = ctx.find_object(_State)
    return state if state is not None else _State(None, None)


def _with_home(settings: Settings, home: Path | None) -> Settings:
    if home is None:
        return settings
    return settings.model_copy(update={"store": settings.store.model_copy(update={"home": home})})


def _settings(ctx: typer.Context) -> Settings:
    """The config (``--config`` → ``$AGENTCONSOLE_CONFIG`` → XDG), with ``--home`` applied."""
    state = _state(ctx)
    return _with_home(load_settings(state.config), state.home)


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Database errors while opening the store at ``path`` name the file."""
    try:
        yield
    except Exception as exc:
        if isinstance(exc, _loaded("sqlalchemy.exc", "DBAPIError")):
            raise CliError(f"{path}: {exc.orig}") from None  # type: ignore[attr-defined]
        if isinstance(exc, sqlite3.Error):
            raise CliError(f"{path}: {exc}") from None
        raise


@contextmanager
def _services(ctx: typer.Context, clock: Clock | None = None) -> Iterator[Services]:
    """Services over an existing store (readers never create a store by typo)."""
    settings = _settings(ctx)
    if not settings.store_path.exists():
        raise CliError(
            f"{settings.store_path}: no store here "
            f"(run `{PROG} db upgrade` to create one, or `{PROG} demo` to try the demo shop)"
        )
    from agentconsole.services.context import Services

    with _naming(settings.store_path):
        services = Services.open(settings, clock)
    try:
        yield services
    finally:
        services.close()


def _open_console(settings: Settings, clock: Clock | None = None) -> None:
    # Imported here, not at the top: only opening the console may load Textual.
    from agentconsole.services.context import Services
    from agentconsole.tui.app import run_console

    with _naming(settings.store_path):
        services = Services.open(settings, clock)
    try:
        run_console(services)
    finally:
        services.close()


def _version() -> str:
    try:
        return version(PROG)
    except PackageNotFoundError:
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {_version()}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None,
        "--config",
        metavar="PATH",
        help="Config file to use (default: $AGENTCONSOLE_CONFIG, then the XDG config dir).",
    ),
    home: Path | None = typer.Option(
        None,
        "--home",
        metavar="DIR",
        help="Store directory to use instead of the configured one (e.g. the demo's).",
    ),
    _version_flag: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_show_version,
        help="Print the version and exit.",
    ),
) -> None:
    """A keyboard-driven customer-service console for small shops.

    Run without a command to open the console on your store.
    """
    ctx.obj = _State(config=config.expanduser() if config else None, home=home)
    if ctx.invoked_subcommand is None:
        _open_console(_settings(ctx))


# ---------------------------------------------------------------------------------------------
# demo


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
        keys=dict(base.keys),
    )


def _remove_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _build_demo_store(home: Path, now: datetime) -> DemoSummary:
    """Build into a scratch file and move it into place: a half-built demo is never reused."""
    from agentconsole.demo import build_demo
    from agentconsole.store.db import Store

    home.mkdir(parents=True, exist_ok=True)
    target = home / "store.db"
    scratch = home / "store.db.building"
    _remove_store(scratch)
    store = Store(scratch)
    try:
        summary = build_demo(store, now=now)
    except BaseException:
        store.close()
        _remove_store(scratch)
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
        json.dumps({"built_at": now.isoformat(), "agentconsole": _version()}) + "\n",
        encoding="utf-8",
    )
    _remove_store(target)
    os.replace(scratch, target)
    _remove_store(scratch)
    return summary


@app.command()
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
    base = load_settings(_state(ctx).config)
    home = (home or _state(ctx).home or default_demo_home()).expanduser().absolute()
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
    _open_console(settings)


# ---------------------------------------------------------------------------------------------
# init


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


@app.command()
def init(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing config file."),
) -> None:
    """Write a starter config file where agentconsole will look for it, and print its path."""
    state = _state(ctx)
    source = locate_config(state.config)
    if source.path.exists() and not force:
        raise CliError(f"{source.path}: already exists (use --force to overwrite)")
    home = state.home.expanduser().absolute() if state.home else None
    source.path.parent.mkdir(parents=True, exist_ok=True)
    source.path.write_text(starter_config(home), encoding="utf-8")
    typer.echo(f"wrote {source.path}")


# ---------------------------------------------------------------------------------------------
# db, config


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create the store, or migrate it to this version's schema (backing it up first)."""
    path = _settings(ctx).store_path
    from agentconsole.store.db import current_revision, head_revision, make_engine, upgrade

    before: str | None = None
    existed = path.exists() and path.stat().st_size > 0
    with _naming(path):
        if existed:
            engine = make_engine(path)
            try:
                before = current_revision(engine)
            finally:
                engine.dispose()
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
    source = locate_config(_state(ctx).config)
    load_settings(_state(ctx).config)
    note = "" if source.exists else " (no file; defaults apply)"
    typer.echo(f"ok: {source.path}{note}")


@config_app.command("path")
def config_path(ctx: typer.Context) -> None:
    """Print which config file is used and why."""
    source = locate_config(_state(ctx).config)
    state = "exists" if source.exists else "does not exist"
    typer.echo(str(source.path))
    typer.echo(f"chosen by {source.reason}; the file {state}")


# ---------------------------------------------------------------------------------------------
# Readers


def _duration(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else "—"


@app.command()
def inbox(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON records instead of a table."),
    all_: bool = typer.Option(False, "--all", help="Every status, not just open and pending."),
    search: str = typer.Option("", "--search", metavar="TEXT", help="Only matching ones."),
    limit: int = typer.Option(50, "--limit", min=1, metavar="N", help="At most N rows."),
) -> None:
    """List conversations, the customer who has waited longest first."""
    with _services(ctx) as services:
        from agentconsole.services.inbox import ACTIVE_STATUSES, InboxView

        view = InboxView(statuses=() if all_ else ACTIVE_STATUSES, search=search)
        rows = services.inbox.page(view, 0, limit)
        if as_json:
            _print_json(rows)
            return
        total = services.inbox.count(view)
        now = services.clock.now()
    # Customer and subject give way on a narrow terminal (cut with "…", one row per line);
    # id, status, waiting and channel are short and always shown whole.
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("customer", max_width=28)
    table.add_column("subject")
    for name in ("status", "waiting", "channel"):
        table.add_column(name, no_wrap=True)
    for row in rows:
        table.add_row(
            str(row.id),
            _cell(row.customer_name),
            _cell(row.subject),
            row.status,
            _duration(now - row.waiting_since) if row.waiting_since else "—",
            row.channel,
        )
    console = _console()
    if rows:
        console.print(table)
    console.print(
        Text(f"{len(rows)} of {total} · ", style="dim") + _line(view.title, "dim"), soft_wrap=True
    )


def _entry(entry: ThreadEntry, zone: ZoneInfo) -> Text:
    inbound = entry.direction == "inbound"
    head = Text("◀ IN  " if inbound else "▶ OUT ", style="bold cyan" if inbound else "bold green")
    head.append(f"{_local(entry.at, zone)} · {entry.channel}")
    if entry.kind == "contact":
        head.append(" (logged contact)")
    if entry.automated:
        head.append(" · automated", style="dim")
    head.append(" · ")
    head.append_text(_line(entry.author))
    if entry.address:
        head.append(" <")
        head.append_text(_line(entry.address))
        head.append(">")
    out = Text("\n").join([head, Text("Subject: ") + _line(entry.subject)])
    body = literal(entry.text.strip("\n"))
    return out + Text("\n\n") + body if body.plain else out


def _print_conversation(detail: ConversationDetail, zone: ZoneInfo, now: datetime) -> None:
    s = detail.summary
    console = _console()
    console.print(Text(f"#{s.id}  ", style="bold") + _line(s.subject, "bold"), soft_wrap=True)
    who = _line(s.customer_name)
    if s.customer_email:
        who += Text(" <") + _line(s.customer_email) + Text(">")
    facts = [s.status, s.channel]
    if s.waiting_since:
        facts.append(f"waiting {_duration(now - s.waiting_since)}")
    facts_text = Text(" · ".join(["", *facts]))
    if s.assignee:
        facts_text += Text(" · assigned to ") + _line(s.assignee)
    if s.tags:
        facts_text += Text(" · tags: ") + _line(", ".join(s.tags))
    console.print(who + facts_text, soft_wrap=True)
    for entry in detail.entries:
        console.print()
        console.print(_entry(entry, zone), soft_wrap=True)


@app.command()
def show(
    ctx: typer.Context,
    conversation_id: int = typer.Argument(..., metavar="CONVERSATION_ID"),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Print one conversation, oldest message first, each marked inbound or outbound."""
    with _services(ctx) as services:
        detail = services.inbox.conversation(conversation_id)
        now = services.clock.now()
        zone = ZoneInfo(services.settings.agent.timezone)
    if detail is None:
        raise CliError(f"no conversation {conversation_id}")
    if as_json:
        _print_json(detail)
    else:
        _print_conversation(detail, zone, now)


def _print_profile(p: CustomerProfile, zone: ZoneInfo) -> None:
    console = _console()
    console.print(_line(p.name, "bold"), soft_wrap=True)

    def fact(label: str, value: Text | str) -> None:
        console.print(Text(f"{label:<18}", style="dim") + value, soft_wrap=True)

    fact("email", _line(", ".join(p.emails)) if p.emails else "—")
    if p.phones:
        fact("phone", _line(", ".join(p.phones)))
    fact("language", _line(p.language))
    if p.preferred_channel:
        how = "stated" if p.preferred_channel_stated else "usually"
        fact("prefers", _line(p.preferred_channel) + Text(f" ({how})"))
    if p.preferred_hours:
        how = "stated" if p.preferred_hours_stated else "usually"
        fact("reachable", _line(p.preferred_hours) + Text(f" ({how})"))
    fact("orders", str(p.order_count))
    if p.lifetime_value:
        fact("lifetime value", ", ".join(str(m) for m in p.lifetime_value))
        fact("average order", ", ".join(str(m) for m in p.average_order))
    if p.last_order:
        o = p.last_order
        fact(
            "last order",
            _line(o.name)
            + Text(f" · {_local(o.created_at, zone)} · {o.total} · ")
            + _line(f"{o.financial_status}/{o.fulfillment_status}"),
        )
    if p.birthday:
        soon = f" (in {p.days_to_birthday} days)" if p.birthday_soon else ""
        fact("birthday", p.birthday.strftime("%d %B") + soon)
    if p.contacts_by_channel:
        fact("contacts", ", ".join(f"{c.channel} {c.count}" for c in p.contacts_by_channel))
    if p.last_contact:
        c = p.last_contact
        fact(
            "last contact",
            Text(f"{_local(c.at, zone)} · {c.channel} {c.direction} · ") + _line(c.summary),
        )
    if p.tags:
        fact("tags", _line(", ".join(p.tags)))
    if p.notes.strip():
        console.print()
        console.print(Text("notes", style="dim"))
        console.print(literal(p.notes.strip("\n")), soft_wrap=True)


@app.command()
def customer(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL"),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Print a customer's 360 profile: contacts, preferences, orders, value, birthday."""
    with _services(ctx) as services:
        found = services.customers.find_by_email(email)
        profile = services.customers.profile(found) if found is not None else None
        zone = ZoneInfo(services.settings.agent.timezone)
    if profile is None:
        raise CliError(f"no customer with email {clean(email)!r}")
    if as_json:
        _print_json(profile)
    else:
        _print_profile(profile, zone)


def _print_order(o: OrderDetail, zone: ZoneInfo) -> None:
    console = _console()
    head = (
        _line(o.name, "bold")
        + Text(" · ")
        + _line(o.store)
        + Text(f" · {_local(o.created_at, zone)}")
    )
    console.print(head, soft_wrap=True)
    status = Text("status            ", style="dim") + _line(
        f"{o.financial_status}, {o.fulfillment_status}"
    )
    if o.cancelled_at:
        status += Text(f" · cancelled {_local(o.cancelled_at, zone)}", style="bold red")
    console.print(status, soft_wrap=True)
    if o.customer_name or o.email:
        who = _line(o.customer_name or "")
        if o.email:
            who += Text(" <") + _line(o.email) + Text(">")
        console.print(Text("customer          ", style="dim") + who, soft_wrap=True)
    console.print()
    lines = Table(box=None, pad_edge=False, header_style="bold")
    lines.add_column("item", overflow="fold")
    lines.add_column("sku", overflow="fold")
    lines.add_column("qty", justify="right", no_wrap=True)
    lines.add_column("price", justify="right", no_wrap=True)
    lines.add_column("total", justify="right", no_wrap=True)
    for ln in o.lines:
        item = _line(ln.title)
        if ln.variant:
            item += Text(" – ") + _line(ln.variant)
        lines.add_row(item, _line(ln.sku), str(ln.quantity), str(ln.unit_price), str(ln.total))
    console.print(lines)
    console.print()
    totals = [("subtotal", o.subtotal), ("shipping", o.shipping), ("tax", o.tax)]
    if o.discount.amount:
        totals.append(("discount", o.discount))
    totals.append(("total", o.total))
    if o.refunded.amount:
        totals.append(("refunded", o.refunded))
    for label, money in totals:
        console.print(Text(f"{label:<18}", style="dim") + Text(str(money)), soft_wrap=True)
    for s in o.shipments:
        console.print()
        text = Text("shipment          ", style="dim") + _line(
            f"{s.carrier} {s.tracking_number} · {s.status}"
        )
        text += Text(f" · shipped {_local(s.shipped_at, zone)}")
        if s.delivered_at:
            text += Text(f" · delivered {_local(s.delivered_at, zone)}")
        console.print(text, soft_wrap=True)
        if s.tracking_url:
            console.print(
                Text("tracking          ", style="dim") + _line(s.tracking_url), soft_wrap=True
            )
    for r in o.refunds:
        console.print(
            Text("refund            ", style="dim")
            + Text(f"{r.amount} · {_local(r.created_at, zone)} · ")
            + _line(r.reason),
            soft_wrap=True,
        )
    if o.status_url:
        console.print(Text("status page       ", style="dim") + _line(o.status_url), soft_wrap=True)
    if o.note.strip():
        console.print()
        console.print(Text("note", style="dim"))
        console.print(literal(o.note.strip("\n")), soft_wrap=True)


@app.command()
def order(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help='Order number: "#1001" or 1001.'),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Print an order: status, lines, totals, shipments with tracking links, refunds."""
    with _services(ctx) as services:
        detail = services.orders.find(number)
        zone = ZoneInfo(services.settings.agent.timezone)
    if detail is None:
        raise CliError(f"no order {clean(number)!r}")
    if as_json:
        _print_json(detail)
    else:
        _print_order(detail, zone)


# ---------------------------------------------------------------------------------------------


def main() -> None:
    """Console-script entry point: known problems are one line, bugs one line unless debugging."""
    command = typer.main.get_command(app)
    try:
        command.main(prog_name=PROG)
    except Exception as exc:
        found = explain(exc)
        if found is not None:
            raise SystemExit(_fail(*found).exit_code) from None
        if os.environ.get("AGENTCONSOLE_DEBUG"):
            raise
        typer.echo(
            f"{PROG}: internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
            "(set AGENTCONSOLE_DEBUG=1 for details)",
            err=True,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
