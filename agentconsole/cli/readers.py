"""The readers: ``inbox``, ``show``, ``customer`` and ``order`` — the store, read from scripts.

Each is a thin wrapper over a service call. ``--json`` prints exactly the records the services
hand out (stdout holds only the JSON); otherwise ``printers`` lays them out for a person.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import typer

from agentconsole.cli.context import open_services
from agentconsole.cli.errors import CliError
from agentconsole.cli.output import clean, print_json
from agentconsole.cli.printers import print_conversation, print_inbox, print_order, print_profile


def inbox(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON records instead of a table."),
    all_: bool = typer.Option(False, "--all", help="Every status, not just open and pending."),
    search: str = typer.Option("", "--search", metavar="TEXT", help="Only matching ones."),
    limit: int = typer.Option(50, "--limit", min=1, metavar="N", help="At most N rows."),
) -> None:
    """List conversations, the customer who has waited longest first."""
    with open_services(ctx) as services:
        from agentconsole.services.inbox import ACTIVE_STATUSES, InboxView

        view = InboxView(statuses=() if all_ else ACTIVE_STATUSES, search=search)
        services.freshen(searching=bool(search.strip()))  # woken snoozes back in the queue
        rows = services.inbox.page(view, 0, limit)
        if as_json:
            print_json(rows)
            return
        total = services.inbox.count(view)
        now = services.clock.now()
    print_inbox(rows, total, view.title, now)


def show(
    ctx: typer.Context,
    conversation_id: int = typer.Argument(..., metavar="CONVERSATION_ID"),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Print one conversation, oldest message first, each marked inbound or outbound."""
    with open_services(ctx) as services:
        detail = services.inbox.conversation(conversation_id)
        now = services.clock.now()
        zone = ZoneInfo(services.settings.agent.timezone)
    if detail is None:
        raise CliError(f"no conversation {conversation_id}")
    if as_json:
        print_json(detail)
    else:
        print_conversation(detail, zone, now)


def customer(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL"),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Print a customer's 360 profile: contacts, preferences, orders, value, birthday."""
    with open_services(ctx) as services:
        found = services.customers.find_by_email(email)
        profile = services.customers.profile(found) if found is not None else None
        zone = ZoneInfo(services.settings.agent.timezone)
    if profile is None:
        raise CliError(f"no customer with email {clean(email)!r}")
    if as_json:
        print_json(profile)
    else:
        print_profile(profile, zone)


def order(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help='Order number: "#1001" or 1001.'),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Print an order: status, lines, totals, shipments with tracking links, refunds."""
    with open_services(ctx) as services:
        detail = services.orders.find(number)
        if detail is None and services.shops.configured:
            # Not synced yet (or older than the first import): ask the stores, and cache it.
            import asyncio

            found = asyncio.run(services.shops.fetch_order(number))
            detail = services.orders.detail(found) if found is not None else None
        zone = ZoneInfo(services.settings.agent.timezone)
    if detail is None:
        raise CliError(f"no order {clean(number)!r}")
    if as_json:
        print_json(detail)
    else:
        print_order(detail, zone)
