"""``agentconsole sync``: bring every configured mailbox into the store, once or continuously.

On a terminal ``--once`` draws a progress bar on stderr; otherwise (cron, scripts) it prints
one summary line per account, or ``--json``. Any account that could not sync makes the exit
code 1, with that account's one-line reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import sys
from pathlib import Path

import typer

from agentconsole.cli.about import PROG
from agentconsole.cli.context import cli_settings, open_services
from agentconsole.cli.errors import CliError
from agentconsole.cli.output import clean, print_json
from agentconsole.services.mail_sync import MailError


def sync(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="Sync everything once, then exit."),
    as_json: bool = typer.Option(False, "--json", help="With --once: print JSON records."),
) -> None:
    """Sync the configured mail accounts into the store and send the outbox (IDLE keeps it
    live without --once)."""
    settings = cli_settings(ctx)
    if not settings.accounts and not settings.stores:
        raise CliError(
            "nothing to sync: add an [[accounts]] or [[stores]] table to the config "
            f"(see `{PROG} config path`)",
            code=2,
        )
    with open_services(ctx, create=True) as services:
        if not once:
            _run_forever(services)
            return
        progress, finish = _progress_reporter(enabled=not as_json and sys.stderr.isatty())
        try:
            outcomes = asyncio.run(services.mail.run_once(progress))
        finally:
            finish()
        sent = asyncio.run(services.outbox.run_due())  # replies queued while offline
        shops = asyncio.run(services.shops.run_once())
    if as_json:
        print_json([*outcomes, *shops])  # accounts ("account"), then shops ("store")
    else:
        for outcome in outcomes:
            if outcome.error:
                continue
            changed = sum(f.flags_changed for f in outcome.folders)
            removed = sum(f.removed for f in outcome.folders)
            defects = sum(len(f.defects) for f in outcome.folders)
            extra = "".join(
                (
                    f", {changed} flag changes" if changed else "",
                    f", {removed} removed on the server" if removed else "",
                    f", {defects} with mail defects (read anyway)" if defects else "",
                )
            )
            synced = [f for f in outcome.folders if not f.missing]
            typer.echo(
                f"{outcome.account}: {outcome.new} new in {len(synced)} folders"
                f"{extra} ({outcome.seconds:.1f} s)"
            )
            for folder in outcome.folders:
                if folder.missing:
                    typer.echo(
                        f"{PROG}: {outcome.account}: folder {clean(folder.name)!r} is not on "
                        "the server (check `folders` in the config)",
                        err=True,
                    )
    if sent and not as_json:
        typer.echo(f"{sent} repl{'y' if sent == 1 else 'ies'} sent from the outbox")
    for shop in shops:
        if shop.error:
            typer.echo(f"{PROG}: {clean(shop.error)}", err=True)
        elif not as_json:
            typer.echo(
                f"store {shop.store}: {shop.orders} orders, {shop.customers} customers updated "
                f"({shop.seconds:.1f} s)"
            )
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        error = clean(outcome.error)
        named = f"account {outcome.account}" in error
        typer.echo(f"{PROG}: {error if named else f'{outcome.account}: {error}'}", err=True)
    if failed or any(shop.error for shop in shops):
        raise typer.Exit(1)


def _run_forever(services) -> None:  # type: ignore[no-untyped-def]
    """Stay connected until Ctrl-C / SIGTERM; state changes are written to the store."""
    typer.echo(
        f"syncing {', '.join([a.name for a in services.settings.accounts] + [s.name for s in services.settings.stores])} "
        "(IDLE on INBOX, sending the outbox, polling stores; Ctrl-C stops)",
        err=True,
    )

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        await asyncio.gather(
            services.mail.run_forever(stop),
            services.outbox.run_forever(stop),
            services.shops.run_forever(stop),
        )
        for state in services.mail.states():
            if state.state == "auth_failed":
                typer.echo(f"{PROG}: {state.name}: {clean(state.detail)}", err=True)

    asyncio.run(main())


def _progress_reporter(enabled: bool):  # type: ignore[no-untyped-def]
    """A Rich progress bar per account and folder, on stderr; a no-op when not on a terminal."""
    if not enabled:
        return None, lambda: None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[tuple[str, str], int] = {}
    bar.start()

    def report(account: str, folder: str, done: int, total: int) -> None:
        key = (account, folder)
        if key not in tasks:
            tasks[key] = bar.add_task(f"{clean(account)} {clean(folder)}", total=total)
        bar.update(tasks[key], completed=done, total=total)

    return report, bar.stop


def attachment(
    ctx: typer.Context,
    attachment_id: int = typer.Argument(..., metavar="ATTACHMENT_ID"),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="PATH", help="Copy it here instead of printing its path."
    ),
) -> None:
    """Print where an attachment is saved, downloading it from the server if it was too big
    to save while syncing (ids are shown by `agentconsole show`)."""
    with open_services(ctx) as services:
        try:
            path = asyncio.run(services.mail.attachment_file(attachment_id))
        except (LookupError, MailError) as exc:
            raise CliError(str(exc)) from None
    if output is not None:
        shutil.copyfile(path, output)
        path = output
    typer.echo(str(path))
