"""What a command gets from the global options: the settings, the services, the console.

The store and services (SQLAlchemy, Alembic) are imported inside these helpers, not at the top:
they take most of a second to load, and ``--help``, ``init`` and ``config`` need none of it.
Textual is imported only by ``open_console``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from agentconsole.cli.about import PROG
from agentconsole.cli.errors import CliError, loaded
from agentconsole.clock import Clock
from agentconsole.config import Settings, load_settings

if TYPE_CHECKING:
    from agentconsole.services.context import Services


@dataclass(frozen=True)
class State:
    """The global options, as the root callback leaves them on the context."""

    config: Path | None
    home: Path | None
    agent: str | None = None


def cli_state(ctx: typer.Context) -> State:
    """The global options of this invocation (none given: both ``None``)."""
    state = ctx.find_object(State)
    return state if state is not None else State(None, None)


def _with_home(settings: Settings, home: Path | None) -> Settings:
    if home is None:
        return settings
    settings = settings.model_copy(
        update={"store": settings.store.model_copy(update={"home": home})}
    )
    from agentconsole.cli.demo import DEMO_MARKER

    if (home / DEMO_MARKER).exists():
        # The demo shop is offline: its replies go to its own Maildir, whatever the config says.
        outgoing = settings.outgoing.model_copy(update={"transport": "maildir", "maildir": None})
        settings = settings.model_copy(update={"outgoing": outgoing})
        if not settings.shop.return_policy_url:
            from agentconsole.demo import RETURNS_URL

            shop = settings.shop.model_copy(update={"return_policy_url": RETURNS_URL})
            settings = settings.model_copy(update={"shop": shop})
    return settings


def cli_settings(ctx: typer.Context) -> Settings:
    """The config (``--config`` → ``$AGENTCONSOLE_CONFIG`` → XDG), with ``--home`` applied."""
    state = cli_state(ctx)
    settings = _with_home(load_settings(state.config), state.home)
    return settings.as_agent(state.agent) if state.agent else settings


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """Database errors while opening the store at ``path`` name the file."""
    try:
        yield
    except Exception as exc:
        if isinstance(exc, loaded("sqlalchemy.exc", "DBAPIError")):
            raise CliError(f"{path}: {exc.orig}") from None  # type: ignore[attr-defined]
        if isinstance(exc, sqlite3.Error):
            raise CliError(f"{path}: {exc}") from None
        raise


@contextmanager
def open_services(
    ctx: typer.Context, clock: Clock | None = None, *, create: bool = False
) -> Iterator[Services]:
    """Services over an existing store (readers never create a store by typo); ``create`` for
    commands that fill a new store, such as the first ``sync``."""
    settings = cli_settings(ctx)
    if not create and not settings.store_path.exists():
        raise CliError(
            f"{settings.store_path}: no store here "
            f"(run `{PROG} db upgrade` to create one, or `{PROG} demo` to try the demo shop)"
        )
    from agentconsole.services.context import Services

    with naming(settings.store_path):
        services = Services.open(settings, clock)
    try:
        yield services
    finally:
        services.close()


def open_console(settings: Settings, clock: Clock | None = None) -> None:
    """Open the Textual console on the store ``settings`` name, until the agent quits."""
    # Imported here, not at the top: only opening the console may load Textual.
    from agentconsole.services.context import Services
    from agentconsole.tui.app import run_console

    with naming(settings.store_path):
        services = Services.open(settings, clock)
    try:
        run_console(services)
    finally:
        services.close()
