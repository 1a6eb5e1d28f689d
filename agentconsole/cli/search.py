"""``search``: the inbox search language from a script — the console's search, every status.

The rows are the console's own (``InboxService.page`` over the "All" view with the query as its
search), in queue order. A query that cannot be read is three lines on stderr — the problem,
the query, a caret under the place — and exit code 2, like any other usage error.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from agentconsole.cli.context import open_services
from agentconsole.cli.output import clean, literal_cell, literal_line, new_console, print_json

if TYPE_CHECKING:
    from agentconsole.services.query import QueryError
    from agentconsole.services.records import ConversationSummary


def search(
    ctx: typer.Context,
    query: str = typer.Argument(
        ...,
        metavar="QUERY",
        help="What to find, e.g. 'from:anna tag:vip -status:closed \"where is\"' "
        "(see the README's Searching section).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON objects instead of lines."),
    limit: int = typer.Option(50, "--limit", min=1, metavar="N", help="At most N rows."),
) -> None:
    """Find conversations with the search language: fields, words, AND/OR/NOT.

    Every status is searched (status:open,pending is the queue); longest waiting first.
    """
    with open_services(ctx) as services:
        from agentconsole.services.inbox import InboxView
        from agentconsole.services.query import QueryError

        # The handle, not the id: a reader must not register the agent in the store.
        view = InboxView(statuses=(), search=query, me=services.settings.agent.handle)
        # Snoozes due wake, due times are current (is:overdue), every message is indexed.
        services.freshen(searching=True)
        try:
            rows = services.inbox.page(view, 0, limit)
            total = None if as_json else services.inbox.count(view)
        except QueryError as exc:
            _explain(query, exc)
            raise typer.Exit(2) from None
        zone = ZoneInfo(services.settings.agent.timezone)
    if as_json:
        print_json([_record(row) for row in rows])
    else:
        _print_lines(rows, total or 0, query, zone)


def _explain(query: str, exc: QueryError) -> None:
    """``search: <problem>``, the query, and a caret under the offending token (stderr)."""
    shown = clean("".join(" " if ch.isspace() else ch for ch in query))
    before = shown[: max(exc.offset, 0)]
    typer.echo(f"search: {exc.message}", err=True)
    typer.echo(f"  {shown}", err=True)
    typer.echo(f"  {' ' * cell_len(before)}^", err=True)


def _record(row: ConversationSummary) -> dict[str, Any]:
    return {
        "id": row.id,
        "subject": row.subject,
        "status": row.status,
        "channel": row.channel,
        "customer": row.customer_name,
        "email": row.customer_email,
        "assignee": row.assignee,
        "tags": list(row.tags),
        "last_message_at": row.last_message_at.isoformat(),
        "waiting_since": row.waiting_since.isoformat() if row.waiting_since else None,
    }


def _local(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _print_lines(rows: list[ConversationSummary], total: int, query: str, zone: ZoneInfo) -> None:
    """One line per conversation: id, status, customer, subject, last activity (agent's zone)."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("customer", max_width=28)
    table.add_column("subject")
    table.add_column("last activity", no_wrap=True)
    for row in rows:
        table.add_row(
            str(row.id),
            literal_cell(row.status),
            literal_cell(row.customer_name),
            literal_cell(row.subject),
            _local(row.last_message_at, zone),
        )
    console = new_console()
    if rows:
        console.print(table)
    console.print(
        Text(f"{len(rows)} of {total} · ", style="dim") + literal_line(f"“{query}”", "dim"),
        soft_wrap=True,
    )
