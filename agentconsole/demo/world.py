"""In-memory staging of every demo row, so the whole shop is built first and inserted once.

Why: the generator must be deterministic and fast. Rows get explicit primary keys from simple
per-table counters, so modules can link rows (order → customer) without flushing to SQLite,
and messages can be numbered by arrival time at the very end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from random import Random

from agentconsole.store.models import (
    Agent,
    Contact,
    Conversation,
    ConversationTag,
    Customer,
    CustomerIdentity,
    CustomerTag,
    Event,
    MailAccount,
    Mailbox,
    Message,
    Order,
    OrderLine,
    Refund,
    Shipment,
    ShopStore,
)


@dataclass
class World:
    """The rows of the demo shop, in the order they will be inserted."""

    now: datetime
    rng: Random
    shop: ShopStore
    account: MailAccount
    mailboxes: list[Mailbox] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    identities: list[CustomerIdentity] = field(default_factory=list)
    customer_tags: list[CustomerTag] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    order_lines: list[OrderLine] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    conversation_tags: list[ConversationTag] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        """The next primary key for ``table`` (1, 2, 3 …)."""
        value = self._counters.get(table, 0) + 1
        self._counters[table] = value
        return value
