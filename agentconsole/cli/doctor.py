"""``agentconsole doctor``: every mailbox and shop tried for real, one line each."""

from __future__ import annotations

import asyncio

import typer

from agentconsole.cli.about import PROG
from agentconsole.cli.context import cli_settings, open_services
from agentconsole.cli.errors import CliError
from agentconsole.cli.output import clean, print_json


def doctor(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON records."),
) -> None:
    """Check every configured mail account (IMAP, SMTP) and store (API) and say what is wrong."""
    settings = cli_settings(ctx)
    if not settings.accounts and not settings.stores:
        raise CliError(
            f"nothing to check: no [[accounts]] or [[stores]] in the config (`{PROG} config path`)",
            code=2,
        )
    with open_services(ctx, create=True) as services:
        checks = asyncio.run(services.doctor.run())
    if as_json:
        print_json(checks)
    else:
        for check in checks:
            mark = "✓" if check.ok else "✗"
            typer.echo(f"{mark} {check.kind:<5} {check.name}: {clean(check.detail)}")
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
