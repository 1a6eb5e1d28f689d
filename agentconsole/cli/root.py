"""The root command: the Typer app, its global options, the command tree and ``main``.

Run without a command, the root opens the console. The command modules define plain functions
(and ``setup`` the ``db`` and ``config`` groups); they are put on ``app`` here, in one place, in
the order ``--help`` lists them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from agentconsole.cli import (
    demo,
    doctor,
    knowledge,
    readers,
    replying,
    search,
    setup,
    sync,
    triage,
)
from agentconsole.cli.about import PROG, package_version
from agentconsole.cli.context import State, cli_settings, open_console
from agentconsole.cli.errors import ErrorGroup, explain, fail

app = typer.Typer(
    name=PROG,
    cls=ErrorGroup,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
for command in (
    demo.demo,
    setup.init,
    readers.inbox,
    search.search,
    readers.show,
    readers.customer,
    readers.order,
    replying.reply,
    replying.outbox,
    sync.sync,
    doctor.doctor,
    sync.attachment,
):
    app.command()(command)
for name, verb in triage.COMMANDS.items():
    app.command(name)(verb)
app.add_typer(knowledge.kb_app, name="kb")
app.add_typer(setup.db_app, name="db")
app.add_typer(setup.config_app, name="config")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {package_version()}")
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
    agent: str | None = typer.Option(
        None,
        "--agent",
        metavar="HANDLE",
        envvar="AGENTCONSOLE_AGENT",
        help="Act as this agent: yours, or a \\[\\[team]] member's handle (default: \\[agent]).",
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
    ctx.obj = State(config=config.expanduser() if config else None, home=home, agent=agent)
    if ctx.invoked_subcommand is None:
        open_console(cli_settings(ctx))


def main() -> None:
    """Console-script entry point: known problems are one line, bugs one line unless debugging."""
    command = typer.main.get_command(app)
    try:
        command.main(prog_name=PROG)
    except BrokenPipeError:
        # The reader went away (`agentconsole inbox | head`): not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
    except Exception as exc:
        found = explain(exc)
        if found is not None:
            raise SystemExit(fail(*found).exit_code) from None
        if os.environ.get("AGENTCONSOLE_DEBUG"):
            raise
        typer.echo(
            f"{PROG}: internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
            "(set AGENTCONSOLE_DEBUG=1 for details)",
            err=True,
        )
        raise SystemExit(1) from None
