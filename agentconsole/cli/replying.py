"""``agentconsole reply`` and ``agentconsole outbox``: answering and the send queue from a shell.

``reply`` without ``--send`` only saves a draft (the console opens it with ``r``); with
``--send`` the reply is queued without an undo window — the command itself is the deliberate
act — and sent at once; when the server can't be reached it stays queued and the console or
``agentconsole sync`` sends it when the connection returns.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from pathlib import Path

import typer

from agentconsole.cli.about import PROG
from agentconsole.cli.context import open_services
from agentconsole.cli.errors import CliError
from agentconsole.cli.output import clean, literal_cell, literal_line, new_console, print_json

_WORDS = {
    "queued": "waiting",
    "sending": "sending",
    "retry": "will retry",
    "sent": "sent",
    "failed": "failed",
    "unknown": "may have been sent",
    "cancelled": "cancelled",
}


def reply(
    ctx: typer.Context,
    conversation_id: int = typer.Argument(..., metavar="CONVERSATION_ID"),
    message_file: Path = typer.Option(
        ...,
        "--message-file",
        "-m",
        metavar="F",
        help="The reply's text (UTF-8); - reads standard input.",
    ),
    send: bool = typer.Option(False, "--send", help="Send it now instead of saving a draft."),
    reply_all: bool = typer.Option(False, "--all", help="Reply to all: keep the Cc."),
    status: str = typer.Option(
        "pending", "--status", help="The conversation's status once sent: pending, open, closed."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Write a reply in a conversation: a draft, or with --send on its way out.

    The text goes above the signature and the quote of the customer's last message.
    """
    text = _read(message_file)
    if not text.strip():
        raise CliError(f"{message_file}: the reply is empty")
    with open_services(ctx) as services:
        agent = services.agent
        draft = services.drafts.start(
            agent, "reply_all" if reply_all else "reply", conversation_id=conversation_id
        )
        fresh = draft.body if not draft.restored else ""
        draft = dataclasses.replace(
            draft, body=text.rstrip("\n") + "\n" + fresh, status_after=status
        )
        if not send:
            saved = services.drafts.save(agent, draft)
            if as_json:
                print_json(saved)
            else:
                typer.echo(f"draft saved for conversation {conversation_id} (r in the console)")
            return
        queued = services.outbox.queue(agent, draft, undo_seconds=0)
        asyncio.run(services.outbox.run_due())
        entry = services.outbox.entry(queued.outbox_id)
    if as_json:
        print_json(entry)
    else:
        typer.echo(_line(entry.state, entry.to, entry.last_error, entry.refused))
    if entry.state in ("failed", "unknown"):
        raise typer.Exit(1)


def outbox(
    ctx: typer.Context,
    show_all: bool = typer.Option(False, "--all", help="Include sent and cancelled replies."),
    send: bool = typer.Option(False, "--send", help="Send what is due now, then list."),
    retry: int | None = typer.Option(None, "--retry", metavar="ID", help="Send again now."),
    resend: int | None = typer.Option(
        None, "--resend", metavar="ID", help="A reply that may have been sent: send it again."
    ),
    mark_sent: int | None = typer.Option(
        None, "--mark-sent", metavar="ID", help="A reply that may have been sent: it was."
    ),
    cancel: int | None = typer.Option(None, "--cancel", metavar="ID", help="Give up on it."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON records."),
) -> None:
    """Replies on their way out: waiting, retrying, failed or in doubt (--all: every one)."""
    with open_services(ctx) as services:
        agent_actions = {
            "retry": (retry, services.outbox.retry),
            "resend": (resend, services.outbox.resend),
            "mark-sent": (mark_sent, services.outbox.mark_sent),
            "cancel": (cancel, services.outbox.cancel),
        }
        chosen = [(n, i, f) for n, (i, f) in agent_actions.items() if i is not None]
        if len(chosen) > 1:
            raise CliError("give one of --retry, --resend, --mark-sent, --cancel", code=2)
        for _name, outbox_id, action in chosen:
            entry = action(services.agent, outbox_id)
            if not as_json:
                typer.echo(f"{entry.id}: {_WORDS.get(entry.state, entry.state)}", err=True)
        if send or (chosen and chosen[0][0] in ("retry", "resend")):
            asyncio.run(services.outbox.run_due())
        from agentconsole.services.outbox import OPEN_STATES

        entries = services.outbox.entries(states=None if show_all else OPEN_STATES)
    if as_json:
        print_json(entries)
        return
    if not entries:
        typer.echo("the outbox is empty" if not show_all else "nothing was ever sent")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("ID", no_wrap=True, min_width=3)
    table.add_column("STATE", no_wrap=True, min_width=10)
    table.add_column("TO", no_wrap=True, overflow="ellipsis", max_width=22)
    table.add_column("SUBJECT", no_wrap=True, overflow="ellipsis", max_width=20)
    table.add_column("NOTE", overflow="fold", min_width=16)
    for e in entries:
        note = e.last_error or ("; ".join(e.refused) if e.refused else "")
        if e.state in ("queued", "retry"):
            note = f"next {e.send_after:%Y-%m-%d %H:%M:%S} UTC" + (f" — {note}" if note else "")
        tries = f" ×{e.attempts}" if e.attempts > 1 else ""
        table.add_row(
            str(e.id),
            _WORDS.get(e.state, e.state) + tries,
            literal_cell(e.to),
            literal_cell(e.subject),
            literal_line(note),
        )
    new_console().print(table)


def _line(state: str, to: str, error: str | None, refused: tuple[str, ...]) -> str:
    to = clean(to)
    if state == "sent":
        extra = f" (not delivered to: {'; '.join(clean(r) for r in refused)})" if refused else ""
        return f"sent to {to}{extra}"
    if state in ("queued", "retry"):
        return (
            f"queued for {to}: {clean(error) or 'waiting'} — it goes out when the server is "
            f"reachable (`{PROG} sync` or the console sends it)"
        )
    return f"{_WORDS.get(state, state)}: {clean(error) or ''}".rstrip(": ")


def _read(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None
