"""Human output of the readers: the inbox table, a conversation, a customer, an order.

Every piece of store text goes through ``output.literal*``: printed as written, never as markup.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text

from agentconsole.cli.output import label, literal, literal_cell, literal_line, new_console
from agentconsole.display import duration, file_size
from agentconsole.services.records import (
    ConversationDetail,
    ConversationSummary,
    CustomerProfile,
    OrderDetail,
    ThreadEntry,
)


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else "—"


def print_inbox(rows: list[ConversationSummary], total: int, title: str, now: datetime) -> None:
    """A page of the inbox as a table, then "N of TOTAL · view title"."""
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
            literal_cell(row.customer_name),
            literal_cell(row.subject),
            literal_cell(row.status),
            duration(now - row.waiting_since) if row.waiting_since else "—",
            literal_cell(row.channel),
        )
    console = new_console()
    if rows:
        console.print(table)
    console.print(
        Text(f"{len(rows)} of {total} · ", style="dim") + literal_line(title, "dim"),
        soft_wrap=True,
    )


def _entry(entry: ThreadEntry, zone: ZoneInfo) -> Text:
    inbound = entry.direction == "inbound"
    if entry.kind == "note":
        head = Text("✎ NOTE ", style="bold yellow")
        head.append(f"{_local(entry.at, zone)} · only the team sees this · ")
        head.append_text(literal_line(entry.author))
        return Text("\n").join([head, Text(""), literal(entry.text.rstrip())])
    head = Text("◀ IN  " if inbound else "▶ OUT ", style="bold cyan" if inbound else "bold green")
    head.append(f"{_local(entry.at, zone)} · ")
    head.append_text(literal_line(entry.channel))
    if entry.kind == "contact":
        head.append(" (logged contact)")
    if entry.automated:
        head.append(" · automated", style="dim")
    head.append(" · ")
    head.append_text(literal_line(entry.author))
    if entry.address:
        head.append(" <")
        head.append_text(literal_line(entry.address))
        head.append(">")
    if entry.removed_on_server:
        head.append(" · deleted on server", style="dim")
    lines = [head, Text("Subject: ") + literal_line(entry.subject)]
    for attachment in entry.attachments:
        where = attachment.path or "on the server"
        lines.append(
            Text(f"Attachment {attachment.id}: ")
            + literal_line(attachment.filename)
            + Text(f" ({file_size(attachment.size)}, ")
            + literal_line(where)
            + Text(")")
        )
    out = Text("\n").join(lines)
    body = literal(entry.text.strip("\n"))
    return out + Text("\n\n") + body if body.plain else out


def print_conversation(detail: ConversationDetail, zone: ZoneInfo, now: datetime) -> None:
    """A conversation's header and facts, then every entry, oldest first."""
    s = detail.summary
    console = new_console()
    console.print(
        Text(f"#{s.id}  ", style="bold") + literal_line(s.subject, "bold"), soft_wrap=True
    )
    who = literal_line(s.customer_name)
    if s.customer_email:
        who += Text(" <") + literal_line(s.customer_email) + Text(">")
    facts = [s.status, s.channel]
    if s.waiting_since:
        facts.append(f"waiting {duration(now - s.waiting_since)}")
    facts_text = Text(" · ") + literal_line(" · ".join(facts))
    if s.assignee:
        facts_text += Text(" · assigned to ") + literal_line(s.assignee)
    if s.tags:
        facts_text += Text(" · tags: ") + literal_line(", ".join(s.tags))
    console.print(who + facts_text, soft_wrap=True)
    for entry in detail.entries:
        console.print()
        console.print(_entry(entry, zone), soft_wrap=True)


def print_profile(p: CustomerProfile, zone: ZoneInfo) -> None:
    """A customer's 360 profile, one labelled fact per line, then the notes."""
    console = new_console()
    console.print(literal_line(p.name, "bold"), soft_wrap=True)

    def fact(name: str, value: Text | str) -> None:
        shown = value if isinstance(value, Text) else literal_line(value)
        console.print(label(name) + shown, soft_wrap=True)

    fact("email", literal_line(", ".join(p.emails)) if p.emails else "—")
    if p.phones:
        fact("phone", literal_line(", ".join(p.phones)))
    fact("language", literal_line(p.language))
    if p.preferred_channel:
        how = "stated" if p.preferred_channel_stated else "usually"
        fact("prefers", literal_line(p.preferred_channel) + Text(f" ({how})"))
    if p.preferred_hours:
        how = "stated" if p.preferred_hours_stated else "usually"
        fact("reachable", literal_line(p.preferred_hours) + Text(f" ({how})"))
    fact("orders", str(p.order_count))
    if p.lifetime_value:
        fact("lifetime value", ", ".join(str(m) for m in p.lifetime_value))
        fact("average order", ", ".join(str(m) for m in p.average_order))
    if p.last_order:
        o = p.last_order
        fact(
            "last order",
            literal_line(o.name)
            + Text(f" · {_local(o.created_at, zone)} · ")
            + literal_line(f"{o.total} · {o.financial_status}/{o.fulfillment_status}"),
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
            Text(f"{_local(c.at, zone)} · ")
            + literal_line(f"{c.channel} {c.direction} · {c.summary}"),
        )
    if p.tags:
        fact("tags", literal_line(", ".join(p.tags)))
    if p.notes.strip():
        console.print()
        console.print(Text("notes", style="dim"))
        console.print(literal(p.notes.strip("\n")), soft_wrap=True)


def print_order(o: OrderDetail, zone: ZoneInfo) -> None:
    """An order: status, customer, lines, totals, shipments, refunds, note."""
    console = new_console()
    head = (
        literal_line(o.name, "bold")
        + Text(" · ")
        + literal_line(o.store)
        + Text(f" · {_local(o.created_at, zone)}")
    )
    console.print(head, soft_wrap=True)
    status = label("status") + literal_line(f"{o.financial_status}, {o.fulfillment_status}")
    if o.cancelled_at:
        status += Text(f" · cancelled {_local(o.cancelled_at, zone)}", style="bold red")
    console.print(status, soft_wrap=True)
    if o.customer_name or o.email:
        who = literal_line(o.customer_name or "")
        if o.email:
            who += Text(" <") + literal_line(o.email) + Text(">")
        console.print(label("customer") + who, soft_wrap=True)
    console.print()
    lines = Table(box=None, pad_edge=False, header_style="bold")
    lines.add_column("item", overflow="fold")
    lines.add_column("sku", overflow="fold")
    lines.add_column("qty", justify="right", no_wrap=True)
    lines.add_column("price", justify="right", no_wrap=True)
    lines.add_column("total", justify="right", no_wrap=True)
    for ln in o.lines:
        item = literal_line(ln.title)
        if ln.variant:
            item += Text(" – ") + literal_line(ln.variant)
        lines.add_row(
            item,
            literal_line(ln.sku),
            str(ln.quantity),
            literal_cell(str(ln.unit_price)),
            literal_cell(str(ln.total)),
        )
    console.print(lines)
    console.print()
    totals = [("subtotal", o.subtotal), ("shipping", o.shipping), ("tax", o.tax)]
    if o.discount.amount:
        totals.append(("discount", o.discount))
    totals.append(("total", o.total))
    if o.refunded.amount:
        totals.append(("refunded", o.refunded))
    for name, money in totals:
        console.print(label(name) + literal_line(str(money)), soft_wrap=True)
    for s in o.shipments:
        console.print()
        text = label("shipment") + literal_line(f"{s.carrier} {s.tracking_number} · {s.status}")
        text += Text(f" · shipped {_local(s.shipped_at, zone)}")
        if s.delivered_at:
            text += Text(f" · delivered {_local(s.delivered_at, zone)}")
        console.print(text, soft_wrap=True)
        if s.tracking_url:
            console.print(label("tracking") + literal_line(s.tracking_url), soft_wrap=True)
    for r in o.refunds:
        console.print(
            label("refund")
            + literal_line(f"{r.amount} · {_local(r.created_at, zone)} · {r.reason}"),
            soft_wrap=True,
        )
    if o.status_url:
        console.print(label("status page") + literal_line(o.status_url), soft_wrap=True)
    if o.note.strip():
        console.print()
        console.print(Text("note", style="dim"))
        console.print(literal(o.note.strip("\n")), soft_wrap=True)
