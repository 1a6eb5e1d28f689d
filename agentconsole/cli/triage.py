"""Triage verbs for scripts: ``close``, ``reopen``, ``pending``, ``snooze``, ``assign``, ``tag``,
``priority``, ``note``, ``merge``, ``link-order``, ``log-contact``, ``macro``, ``undo``.

Each acts through the same service the console's keys use (the same rules, the same event log,
the same undo), takes several conversation ids at once, and prints one line — or ``--json`` for
scripts, e.g. ``agentconsole search 'tag:shipped status:pending' --ids | xargs agentconsole
close``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from agentconsole.cli.context import open_services
from agentconsole.cli.errors import CliError
from agentconsole.cli.output import print_json

if TYPE_CHECKING:
    from agentconsole.services.context import Services
    from agentconsole.services.triage import TriageResult

IDS = typer.Argument(..., metavar="ID...", help="Conversation ids (several at once).")
JSON = typer.Option(False, "--json", help="Print the result as JSON.")


def _run(ctx: typer.Context, as_json: bool, action: Callable[[Services], TriageResult]) -> None:
    from agentconsole.services.triage import TriageError

    with open_services(ctx) as services:
        try:
            result = action(services)
        except TriageError as exc:
            raise CliError(str(exc)) from None
    _print(result, as_json)


def _print(result: TriageResult, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "action": result.action,
                "changed": list(result.changed),
                "unchanged": list(result.unchanged),
                "message": result.message,
            }
        )
    else:
        typer.echo(result.message)


def close(ctx: typer.Context, ids: list[int] = IDS, as_json: bool = JSON) -> None:
    """Close conversations (a customer reply opens them again)."""
    _run(ctx, as_json, lambda s: s.triage.set_status(ids, "closed"))


def reopen(ctx: typer.Context, ids: list[int] = IDS, as_json: bool = JSON) -> None:
    """Open conversations again (ends a snooze)."""
    _run(ctx, as_json, lambda s: s.triage.set_status(ids, "open"))


def pending(ctx: typer.Context, ids: list[int] = IDS, as_json: bool = JSON) -> None:
    """Mark conversations as waiting on the customer."""
    _run(ctx, as_json, lambda s: s.triage.set_status(ids, "pending"))


def snooze(
    ctx: typer.Context,
    ids: list[int] = IDS,
    until: str | None = typer.Option(
        None,
        "--until",
        metavar="WHEN",
        help="3h, 2d, 1w, tomorrow, tomorrow 14:30, fri 10:00, 2026-12-24 9:00 (your time zone).",
    ),
    until_reply: bool = typer.Option(
        False, "--until-reply", help="No time: wake when the customer replies."
    ),
    regardless: bool = typer.Option(
        False, "--regardless", help="A customer reply does not end the snooze (needs --until)."
    ),
    as_json: bool = JSON,
) -> None:
    """Snooze conversations until a time, until the customer replies, or both (default with
    --until: whichever comes first)."""
    from agentconsole.services.snooze_time import SnoozeTimeError, parse_snooze

    if until is None and not until_reply:
        raise CliError("snooze: say --until WHEN, --until-reply, or both")
    if regardless and until is None:
        raise CliError("snooze: --regardless needs --until (else it would never wake)")

    def act(s: Services) -> TriageResult:
        when = None
        if until is not None:
            try:
                when = parse_snooze(until, s.clock.now(), ZoneInfo(s.settings.agent.timezone))
            except SnoozeTimeError as exc:
                raise CliError(f"snooze: {exc}") from None
        return s.triage.snooze(ids, when, until_reply=not regardless, choice=until or "")

    _run(ctx, as_json, act)


def assign(
    ctx: typer.Context,
    ids: list[int] = IDS,
    to: str = typer.Option(..., "--to", metavar="WHO", help="A handle, me, or nobody."),
    as_json: bool = JSON,
) -> None:
    """Assign conversations to an agent (or to nobody)."""
    _run(ctx, as_json, lambda s: s.triage.assign(ids, to))


def tag(
    ctx: typer.Context,
    ids: list[int] = IDS,
    add: list[str] = typer.Option([], "--add", "-a", metavar="TAG", help="Tag to add."),
    remove: list[str] = typer.Option([], "--remove", "-r", metavar="TAG", help="Tag to remove."),
    as_json: bool = JSON,
) -> None:
    """Add or remove tags (several --add / --remove at once)."""
    _run(ctx, as_json, lambda s: s.triage.tag(ids, add=add, remove=remove))


def priority(
    ctx: typer.Context,
    ids: list[int] = IDS,
    level: str = typer.Option(..., "--set", metavar="LEVEL", help="low, normal, high, urgent."),
    as_json: bool = JSON,
) -> None:
    """Set the priority of conversations."""
    _run(ctx, as_json, lambda s: s.triage.set_priority(ids, level))


def note(
    ctx: typer.Context,
    conversation_id: int = typer.Argument(..., metavar="ID"),
    text: str = typer.Argument(..., metavar="TEXT", help="The note; - reads standard input."),
    as_json: bool = JSON,
) -> None:
    """Add an internal note (the team sees it, the customer never does)."""
    body = sys.stdin.read() if text == "-" else text
    _run(ctx, as_json, lambda s: s.triage.add_note(conversation_id, body))


def merge(
    ctx: typer.Context,
    source: int = typer.Argument(..., metavar="ID", help="The conversation to merge away."),
    into: int = typer.Option(..., "--into", metavar="ID", help="The one it joins."),
    as_json: bool = JSON,
) -> None:
    """Merge one conversation into another (undo puts it back)."""
    _run(ctx, as_json, lambda s: s.triage.merge(source, into))


def link_order(
    ctx: typer.Context,
    conversation_id: int = typer.Argument(..., metavar="ID"),
    order: str = typer.Argument(..., metavar="ORDER", help="The number customers quote: #1001."),
    as_json: bool = JSON,
) -> None:
    """Link a conversation to the order it is about (canned replies then speak of it)."""
    _run(ctx, as_json, lambda s: s.triage.link_order(conversation_id, order))


def log_contact(
    ctx: typer.Context,
    customer: str = typer.Option(
        ..., "--customer", metavar="WHO", help="Customer id, e-mail or phone number."
    ),
    channel: str = typer.Option(..., "--channel", help="phone, chat, social or email."),
    summary: str = typer.Option(..., "--summary", metavar="TEXT", help="What it was about."),
    direction: str = typer.Option(
        "inbound", "--direction", help="inbound (they reached us) or outbound (we did)."
    ),
    at: str | None = typer.Option(
        None, "--at", metavar="TIME", help="When (ISO 8601, your zone). Default: now."
    ),
    minutes: int | None = typer.Option(None, "--minutes", help="How long (a call)."),
    conversation_id: int | None = typer.Option(
        None, "--conversation", metavar="ID", help="Add to this conversation (default: a new one)."
    ),
    needs_answer: bool = typer.Option(
        False, "--needs-answer", help="Inbound and still to be answered: opens it, clock runs."
    ),
    as_json: bool = JSON,
) -> None:
    """Log a phone call, chat or social message as a conversation entry."""
    from agentconsole.services.contact_log import ContactEntry

    def act(s: Services) -> TriageResult:
        zone = ZoneInfo(s.settings.agent.timezone)
        when = s.clock.now()
        if at is not None:
            try:
                parsed = datetime.fromisoformat(at)
            except ValueError:
                raise CliError(f"log-contact: --at: not an ISO 8601 time: {at!r}") from None
            when = (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(UTC)
        entry = ContactEntry(
            customer=customer,
            channel=channel,
            direction=direction,
            summary=summary,
            at=when,
            duration_s=minutes * 60 if minutes is not None else None,
            conversation_id=conversation_id,
            needs_answer=needs_answer,
        )
        return s.triage.log_contact(entry)

    _run(ctx, as_json, act)


def macro(
    ctx: typer.Context,
    name: str = typer.Argument(
        ..., metavar="NAME", help="A macro from the config's \\[\\[macros]]."
    ),
    ids: list[int] = IDS,
    preview: bool = typer.Option(False, "--preview", help="Only say what it would do."),
    as_json: bool = JSON,
) -> None:
    """Run a macro (several triage actions, undone with one `undo`) on conversations."""
    from agentconsole.services.triage import TriageError

    with open_services(ctx) as services:
        try:
            plan = services.macros.plan(services.macros.find(name), ids)
            if preview:
                if as_json:
                    print_json({"macro": plan.macro.name, "steps": list(plan.steps)})
                else:
                    typer.echo("\n".join(f"• {step}" for step in plan.steps))
                return
            result = services.macros.run(plan)
        except TriageError as exc:
            raise CliError(str(exc)) from None
    _print(result, as_json)


def undo(ctx: typer.Context, as_json: bool = JSON) -> None:
    """Undo your last triage action (from the console or the command line)."""
    _run(ctx, as_json, lambda s: s.triage.undo())


COMMANDS: dict[str, Callable[..., None]] = {
    "close": close,
    "reopen": reopen,
    "pending": pending,
    "snooze": snooze,
    "assign": assign,
    "tag": tag,
    "priority": priority,
    "note": note,
    "merge": merge,
    "link-order": link_order,
    "log-contact": log_contact,
    "macro": macro,
    "undo": undo,
}
