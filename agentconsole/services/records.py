"""Frozen records the services hand to the console and the CLI.

Why: a widget holding a live SQLModel row could lazy-load or write by accident, and ``--json``
should show exactly what the screen shows. Records are plain, immutable and JSON-ready.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True)
class Money:
    """An amount in minor units of its ISO currency (cents; yen; fils, a thousandth)."""

    amount: int
    currency: str

    def __str__(self) -> str:
        from agentconsole.commerce.money import exponent

        sign = "-" if self.amount < 0 else ""
        digits = exponent(self.currency)
        major, minor = divmod(abs(self.amount), 10**digits)
        number = f"{major:,}.{minor:0{digits}d}" if digits else f"{major:,}"
        symbol = _SYMBOLS.get(self.currency)
        return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {self.currency}"


@dataclass(frozen=True)
class ConversationSummary:
    """One line of the inbox."""

    id: int
    subject: str
    status: str
    channel: str
    customer_id: int
    customer_name: str
    customer_email: str | None
    waiting_since: datetime | None
    last_message_at: datetime
    snoozed_until: datetime | None
    assignee: str | None
    tags: tuple[str, ...]
    flagged: bool = False  # marked for attention (IMAP Flagged), here or in another client
    due_at: datetime | None = None  # the next response is due (SLA, business hours counted)
    priority: int = 1  # 0 low … 3 urgent
    snooze_until_reply: bool = True  # a customer reply ends the snooze


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment as listed in the thread; ``path`` is set when its bytes were saved."""

    id: int
    filename: str
    content_type: str
    size: int
    path: str | None


@dataclass(frozen=True)
class ThreadEntry:
    """A message or a logged contact, as shown in the conversation pane."""

    at: datetime
    kind: str  # message | contact | note
    direction: str  # inbound | outbound | internal (a note: the team's only)
    channel: str
    author: str
    address: str
    subject: str
    text: str
    automated: bool = False
    attachments: tuple[AttachmentInfo, ...] = ()
    removed_on_server: bool = False


@dataclass(frozen=True)
class ConversationDetail:
    summary: ConversationSummary
    entries: tuple[ThreadEntry, ...]
    first_response_at: datetime | None


@dataclass(frozen=True)
class ChannelCount:
    channel: str
    count: int


@dataclass(frozen=True)
class LastContact:
    channel: str
    direction: str
    at: datetime
    summary: str


@dataclass(frozen=True)
class OrderBrief:
    id: int
    name: str
    created_at: datetime
    financial_status: str
    fulfillment_status: str
    total: Money
    items: int


@dataclass(frozen=True)
class CustomerProfile:
    """The customer 360: everything needed to make a reply personal."""

    id: int
    name: str
    language: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    contacts_by_channel: tuple[ChannelCount, ...]
    last_contact: LastContact | None
    preferred_channel: str | None
    preferred_channel_stated: bool
    preferred_hours: str | None
    preferred_hours_stated: bool
    order_count: int
    lifetime_value: tuple[Money, ...]
    average_order: tuple[Money, ...]
    last_order: OrderBrief | None
    birthday: date | None
    days_to_birthday: int | None
    notes: str
    tags: tuple[str, ...]
    first_order_at: datetime | None = None
    interests: tuple[str, ...] = ()
    """What they buy most: product categories (or products), most bought first."""
    store_notes: tuple[str, ...] = ()
    """Notes the shops keep on their customer accounts."""
    store_tags: tuple[str, ...] = ()
    maybe_same_as: tuple[str, ...] = ()
    """Other customers that look like the same person, with why — never merged silently."""
    shop_data_as_of: datetime | None = None
    """When a shop last told us about this customer or their orders (None: no shop data)."""

    @property
    def birthday_soon(self) -> bool:
        """Within the coming 7 days (today included)."""
        return self.days_to_birthday is not None and self.days_to_birthday <= 7


@dataclass(frozen=True)
class OrderLineRecord:
    title: str
    variant: str
    sku: str
    quantity: int
    unit_price: Money
    total: Money


@dataclass(frozen=True)
class ShipmentRecord:
    carrier: str
    tracking_number: str
    tracking_url: str | None
    status: str
    shipped_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class RefundRecord:
    amount: Money
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class ReturnRecord:
    name: str
    status: str
    created_at: datetime | None


@dataclass(frozen=True)
class OrderDetail:
    id: int
    name: str
    store: str
    customer_id: int | None
    customer_name: str | None
    email: str | None
    created_at: datetime
    cancelled_at: datetime | None
    financial_status: str
    fulfillment_status: str
    lines: tuple[OrderLineRecord, ...]
    subtotal: Money
    shipping: Money
    tax: Money
    discount: Money
    total: Money
    refunded: Money
    shipments: tuple[ShipmentRecord, ...]
    refunds: tuple[RefundRecord, ...]
    status_url: str | None
    note: str
    state: str = "open"
    platform_status: str = ""
    shipping_address: str = ""
    admin_url: str | None = None
    returns: tuple[ReturnRecord, ...] = ()
    synced_at: datetime | None = None
    """When the store last told us about this order (None: local data, e.g. the demo)."""

    def summary(self) -> str:
        """The order in a few lines, for a reply: status, items, tracking."""
        lines = [f"Order {self.name} ({self.created_at:%d %b %Y}): {self.fulfillment_status}"]
        for line in self.lines:
            lines.append(
                f"- {line.quantity} × {line.title}" + (f" ({line.variant})" if line.variant else "")
            )
        for ship in self.shipments:
            where = ship.tracking_url or ship.tracking_number
            lines.append(f"{ship.carrier} {ship.tracking_number}: {where}".rstrip(": "))
        return "\n".join(lines)

    def tracking_link(self) -> str | None:
        """The newest shipment's tracking link (or number when the carrier gives no link)."""
        if not self.shipments:
            return None
        ship = self.shipments[-1]
        return ship.tracking_url or f"{ship.carrier} {ship.tracking_number}"


@dataclass(frozen=True)
class Prompt:
    """A value the agent is asked for before a template goes in (``{{ ask.item }}``)."""

    name: str
    question: str
    choices: tuple[str, ...] = ()
    choices_from: str = ""  # "order.items": filled with the order's item titles when asked


@dataclass(frozen=True)
class TemplateRecord:
    """One knowledge-base entry (template or article) in one language."""

    id: int
    key: str  # the template's id, shared by its translations
    language: str
    title: str
    body: str
    tags: tuple[str, ...]
    category: str = ""
    hotkey: str = ""
    prompts: tuple[Prompt, ...] = ()
    path: str = ""  # relative to the knowledge folder
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderedReply:
    """A template filled in for one conversation; ``missing`` lists values nobody had.

    With anything missing the text must not be inserted: a blank where a tracking link should
    be is worse than no canned reply.
    """

    template_key: str
    language: str
    text: str
    missing: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class LanguageChoice:
    """Which language a conversation's reply should be in, and why."""

    language: str
    source: str  # detected | agent | customer | shop
    available: tuple[str, ...] = ()  # languages the knowledge base has templates in


@dataclass(frozen=True)
class KnowledgeRefresh:
    """What reading the knowledge folder changed in the index."""

    added: int
    updated: int
    removed: int
    problems: tuple[tuple[str, str], ...]  # (file, one-line problem)


@dataclass(frozen=True)
class DraftRecord:
    """A reply being written. ``key`` names what it answers (``conversation:12:reply``);
    saving the same key again replaces it. ``restored``: it came back from an earlier session."""

    key: str
    kind: str  # reply | reply_all | forward | new
    conversation_id: int | None
    customer_id: int | None
    account: str  # the account it is sent from ("" when none is configured)
    from_addr: str
    to: str  # comma-separated addresses
    cc: str
    subject: str
    body: str
    status_after: str = "pending"  # the conversation's status once sent: pending | open | closed
    updated_at: datetime | None = None
    restored: bool = False
    seen_upto: int | None = None
    """The newest customer message when the draft began (sending stops if a newer came)."""


@dataclass(frozen=True)
class QueuedReply:
    outbox_id: int
    message_id: str
    conversation_id: int | None
    send_after: datetime  # the end of the undo window


@dataclass(frozen=True)
class OutboxEntry:
    """One reply on its way out, as the agent sees it."""

    id: int
    state: str  # queued | sending | retry | sent | failed | unknown | cancelled
    conversation_id: int | None
    account: str
    to: str
    cc: str
    subject: str
    body: str
    message_id: str
    created_at: datetime
    send_after: datetime
    undo_until: datetime | None
    attempts: int
    last_code: int | None
    last_error: str | None
    refused: tuple[str, ...]
    filing: str  # todo | done | off
    sent_at: datetime | None
    author: str


def to_jsonable(value: Any) -> Any:
    """Records → JSON-ready structures (datetimes as ISO 8601, Money as amount + currency)."""
    if isinstance(value, Money):
        return {"amount": value.amount, "currency": value.currency, "display": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, CustomerProfile):
            out["birthday_soon"] = value.birthday_soon
        return out
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
