"""One bundle of services over one open store, shared by the console and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

from agentconsole.clock import Clock, SystemClock
from agentconsole.config import Settings
from agentconsole.services.agents import AgentRecord, ensure_agent
from agentconsole.services.customers import CustomerService
from agentconsole.services.inbox import InboxService
from agentconsole.services.orders import OrderService
from agentconsole.services.replies import ReplyService
from agentconsole.store.db import Store


@dataclass
class Services:
    """Everything a front end needs; build it with ``Services.open``."""

    store: Store
    settings: Settings
    clock: Clock
    agent: AgentRecord
    inbox: InboxService = field(init=False)
    customers: CustomerService = field(init=False)
    orders: OrderService = field(init=False)
    replies: ReplyService = field(init=False)

    def __post_init__(self) -> None:
        self.inbox = InboxService(self.store, self.clock)
        self.customers = CustomerService(self.store, self.clock, self.settings.agent.timezone)
        self.orders = OrderService(self.store)
        self.replies = ReplyService(self.store, self.clock, self.settings)

    @classmethod
    def open(cls, settings: Settings, clock: Clock | None = None) -> Services:
        """Open (and if needed upgrade) the store the settings point at."""
        store = Store(settings.store_path)
        return cls(store, settings, clock or SystemClock(), ensure_agent(store, settings.agent))

    def shop_name(self) -> str:
        """The shop's name for the status line (the first store, else the first account)."""
        with self.store.session() as session:
            row = session.execute(
                text("SELECT name FROM shop_store UNION ALL SELECT email FROM mail_account LIMIT 1")
            ).first()
        return row[0] if row else "no shop configured"

    def close(self) -> None:
        self.store.close()
