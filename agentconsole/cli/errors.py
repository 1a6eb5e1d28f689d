"""Errors: every problem a user can fix ends as one line on stderr, never a traceback.

Exit code 2 for config problems, 1 for everything else. ``ErrorGroup`` is the root command's
class: every subcommand runs inside its ``invoke``, so the errors of all commands meet there.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from agentconsole.cli.about import PROG
from agentconsole.config import ConfigError


class CliError(Exception):
    """A problem this CLI reports itself (unknown order, existing file …); one line."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class _NotLoaded(Exception):
    """Stands in for an exception class whose module was never imported."""


def loaded(module: str, name: str) -> type[BaseException]:
    """The exception class ``module.name`` if that module is loaded, else one nothing raises."""
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
    store_error = loaded("agentconsole.store.migrate", "StoreError")
    reply_error = loaded("agentconsole.services.outbox", "ReplyError")
    draft_error = loaded("agentconsole.services.drafts", "DraftError")
    if isinstance(exc, (store_error, reply_error, draft_error)):
        return [str(exc)], 1
    knowledge_error = loaded("agentconsole.services.knowledge", "KnowledgeError")
    template_problem = loaded("agentconsole.services.template_render", "TemplateProblem")
    if isinstance(exc, knowledge_error):
        return [str(exc)], 1
    if isinstance(exc, template_problem):
        return [f"the template cannot be used: {exc}"], 1
    if isinstance(exc, loaded("sqlalchemy.exc", "DBAPIError")):
        return [f"store: {exc.orig}"], 1  # type: ignore[attr-defined]
    if isinstance(exc, sqlite3.Error):
        return [f"store: {exc}"], 1
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return [f"{where}{exc.strerror or exc}"], 1
    return None


def fail(lines: list[str], code: int) -> typer.Exit:
    """Print ``lines`` as ``agentconsole: …`` on stderr; the ``Exit`` to raise with ``code``."""
    for line in lines:
        typer.echo(f"{PROG}: {' '.join(line.split())}", err=True)
    return typer.Exit(code)


class ErrorGroup(TyperGroup):
    """The root command: every subcommand runs inside this ``invoke``, so errors meet here."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            found = explain(exc)
            if found is None:
                raise
            raise fail(*found) from None
