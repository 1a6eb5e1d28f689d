"""The order pane: the customer's orders, or any order looked up by number, in full.

Why the age line: the pane shows what the store holds, which may be minutes (or, offline,
hours) behind the shop; "as of 12m ago" says how far. Store text is untrusted: it goes through
``tui.text`` like customer mail does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentconsole.display import day, duration
from agentconsole.services.records import OrderBrief, OrderDetail
from agentconsole.tui import keymap
from agentconsole.tui.text import safe, safe_line

STALE_AFTER = timedelta(minutes=10)
"""Store data older than this (a few missed polls: offline?) has its age shown in warning
colours."""


class OrderList(OptionList):
    BINDINGS = keymap.bindings("orders")

    def action_insert_summary(self) -> None:
        self.post_message(OrderPanel.Insert("summary"))

    def action_insert_tracking(self) -> None:
        self.post_message(OrderPanel.Insert("tracking"))


class OrderPanel(Vertical):
    class Lookup(Message):
        """The agent typed an order number."""

        def __init__(self, number: str) -> None:
            super().__init__()
            self.number = number

    class Chosen(Message):
        """An order in the customer's list was highlighted."""

        def __init__(self, order_id: int) -> None:
            super().__init__()
            self.order_id = order_id

    class Insert(Message):
        """The agent wants the shown order's ``summary`` or ``tracking`` link in the reply."""

        def __init__(self, what: str) -> None:
            super().__init__()
            self.what = what

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.orders: list[OrderBrief] = []
        self.detail: OrderDetail | None = None
        self.lookup = Input(placeholder="Order number, e.g. #1001", id="order-lookup")
        self.lookup.cursor_blink = False
        self.options = OrderList(id="order-list")
        self.body = Static(Text(""), id="order-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.lookup
        yield self.options
        with VerticalScroll(id="order-detail"):
            yield self.body

    def show_orders(
        self, orders: list[OrderBrief], zone: ZoneInfo, highlight: int | None = None
    ) -> None:
        """The customer's orders; the first is highlighted (and shown), or the one with id
        ``highlight`` — or none when that order is not among them (a guest's, say)."""
        self.orders = orders
        self.options.clear_options()
        self.options.add_options(
            [
                Option(
                    Text.assemble(
                        safe_line(o.name, "bold"),
                        f" {o.created_at.astimezone(zone):%d %b %y} ",
                        str(o.total),
                        (" ↩" if "refund" in o.financial_status else "", "yellow"),
                    ),
                    id=str(o.id),
                )
                for o in orders
            ]
        )
        if not orders:
            self.body.update(Text("No orders for this customer.", style="dim"))
        elif highlight is None:
            self.options.highlighted = 0
        else:
            ids = [o.id for o in orders]
            self.options.highlighted = ids.index(highlight) if highlight in ids else None

    def show_detail(
        self,
        order: OrderDetail | None,
        zone: ZoneInfo,
        typed: str = "",
        now: datetime | None = None,
    ) -> None:
        self.detail = order
        if order is None:
            self.body.update(
                safe_line(f"No order {typed} in the store.", "bold yellow") if typed else Text("")
            )
            return
        self.body.update(order_text(order, zone, now))

    @on(Input.Submitted, "#order-lookup")
    def _lookup(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Lookup(event.value.strip()))

    def on_key(self, event: object) -> None:
        if getattr(event, "key", "") == "down" and self.lookup.has_focus:
            self.options.focus()  # to the list, where the order keys (insert …) work

    @on(OptionList.OptionHighlighted, "#order-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(int(event.option.id)))

    @on(OptionList.OptionSelected, "#order-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(int(event.option.id)))


def order_text(order: OrderDetail, zone: ZoneInfo, now: datetime | None = None) -> Text:
    """One order in full: status, lines, totals, address, shipments, refunds, returns, links."""
    out = Text()
    out.append_text(safe_line(order.name, "bold"))
    out.append(f"  {day(order.created_at, zone)}", "dim")
    if order.customer_name:
        out.append("  ")
        out.append_text(safe_line(order.customer_name))
    out.append("\n")
    if order.synced_at is not None and now is not None:
        age = now - order.synced_at
        out.append_text(safe_line(order.store, "dim"))
        out.append(f" · as of {duration(age)} ago\n", "bold yellow" if age > STALE_AFTER else "dim")
    out.append_text(safe_line(f"{order.financial_status} · {order.fulfillment_status}"))
    if order.state not in ("", "open"):
        out.append_text(safe_line(f" · {order.state}", "bold"))
    words = {order.financial_status, order.fulfillment_status, order.state}
    if order.platform_status and order.platform_status not in words:
        out.append_text(safe_line(f" ({order.platform_status})", "dim"))
    if order.cancelled_at:
        out.append(f" · cancelled {day(order.cancelled_at, zone)}", "bold red")
    out.append("\n")
    for line in order.lines:
        out.append(f"{line.quantity}× ")
        out.append_text(safe_line(line.title))
        if line.variant:
            out.append_text(safe_line(f" ({line.variant})", "dim"))
        out.append(f"  {line.total}\n")
    out.append(f"Subtotal {order.subtotal} · shipping {order.shipping}")
    if order.discount.amount:
        out.append(f" · discount -{order.discount}")
    out.append(f"\nTotal {order.total}", "bold")
    if order.refunded.amount:
        out.append(f" · refunded {order.refunded}", "bold yellow")
    out.append("\n")
    if order.shipping_address.strip():
        out.append("Ship to\n", "dim")
        for address_line in order.shipping_address.strip().splitlines():
            out.append("  ")
            out.append_text(safe_line(address_line))
            out.append("\n")
    for s in order.shipments:
        out.append_text(safe_line(f"📦 {s.carrier} {s.tracking_number} · {s.status}"))
        when = s.delivered_at or s.shipped_at
        out.append(f" {day(when, zone)}\n", "dim")
        if s.tracking_url:
            out.append("  ")
            out.append_text(safe_line(s.tracking_url, "underline"))
            out.append("\n")
    for r in order.refunds:
        out.append(f"↩ Refund {r.amount} {day(r.created_at, zone)} ", "yellow")
        out.append_text(safe_line(r.reason, "italic"))
        out.append("\n")
    for ret in order.returns:
        out.append("⤺ Return ", "yellow")
        if ret.name:
            out.append_text(safe_line(ret.name, "bold"))
            out.append(" · ")
        out.append_text(safe_line(ret.status))
        if ret.created_at is not None:
            out.append(f" {day(ret.created_at, zone)}", "dim")
        out.append("\n")
    if order.note:
        out.append("Note: ")
        out.append_text(safe(order.note))
        out.append("\n")
    if order.admin_url:
        out.append("Admin ", "dim")
        out.append_text(safe_line(order.admin_url, "underline"))
        out.append("\n")
    out.rstrip()
    return out
