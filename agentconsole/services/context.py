"""One bundle of services over one open store, shared by the console and the CLI."""

from __future__ import annotations

import threading

from agentconsole.clock import Clock, SystemClock
from agentconsole.config import Settings
from agentconsole.services.agents import AgentRecord, ensure_agent
from agentconsole.services.customers import CustomerService
from agentconsole.services.doctor import DoctorService
from agentconsole.services.drafts import DraftService
from agentconsole.services.inbox import InboxService
from agentconsole.services.knowledge import KnowledgeService
from agentconsole.services.macros import MacroService
from agentconsole.services.mail_sync import MailSyncService
from agentconsole.services.orders import OrderService
from agentconsole.services.outbox import OutboxService
from agentconsole.services.presence import PresenceService
from agentconsole.services.replies import ReplyService
from agentconsole.services.shops import ShopSyncService
from agentconsole.services.sla import SlaService
from agentconsole.services.triage import TriageService
from agentconsole.services.views import ViewService
from agentconsole.store.db import Store


class Services:
    """Everything a front end needs over one open store; build it with ``Services.open``."""

    def __init__(self, store: Store, settings: Settings, clock: Clock) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.inbox = InboxService(store, clock, settings.agent.timezone)
        self.customers = CustomerService(store, clock, settings.agent.timezone)
        self.orders = OrderService(store)
        self.knowledge = KnowledgeService(store, clock, settings)
        self.replies = ReplyService(
            store, clock, settings, self.knowledge, self.customers, self.orders, self.inbox
        )
        self.drafts = DraftService(store, clock, settings)
        self.outbox = OutboxService(store, clock, settings, self.drafts)
        self.mail = MailSyncService(store, settings, clock)
        self.doctor = DoctorService(store, settings)
        self.shops = ShopSyncService(store, settings, clock)
        self.triage = TriageService(store, clock, settings, lambda: self.agent)
        self.presence = PresenceService(settings, clock, lambda: self.agent)
        self.sla = SlaService(store, settings, clock)
        self.views = ViewService(self.inbox, settings)
        self.macros = MacroService(settings.macros, self.triage, clock, settings.agent.timezone)
        self._agent: AgentRecord | None = None
        self._agent_lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings, clock: Clock | None = None) -> Services:
        """Open (and if needed upgrade) the store the settings point at."""
        return cls(Store(settings.store_path), settings, clock or SystemClock())

    @property
    def agent(self) -> AgentRecord:
        """The agent at the keyboard, registered in the store the first time they act.

        Lazy so that read-only commands (``inbox --json``) never write to the store.
        """
        with self._agent_lock:  # the console asks from worker threads too
            if self._agent is None:
                self._agent = ensure_agent(self.store, self.settings.agent)
            return self._agent

    def housekeeping(self) -> None:
        """Time-driven upkeep any front end may run before reading: snoozes whose time has
        come end, due times follow the latest messages (both cheap when nothing changed), and
        messages the full-text index lacks are indexed in the background — after an upgrade
        that rebuilt the index, or a writer that quit before its indexer caught up; nothing
        else would wake the indexer until new mail came."""
        self.triage.wake_due()
        self.sla.refresh()
        if self.store.search.pending():
            self.store.search.notify()

    def freshen(self, *, searching: bool = False) -> None:
        """``housekeeping`` for readers (``search``, ``inbox``). ``searching``: the full-text
        index is caught up first, so a one-shot search answers from every message, however
        many are missing. A store they may not write (read-only file, a long lock elsewhere)
        still answers, from what it holds."""
        import sqlite3
        from contextlib import suppress

        if searching:
            with suppress(sqlite3.OperationalError):
                self.store.search.catch_up()
        with suppress(sqlite3.OperationalError):
            self.housekeeping()

    def shop_name(self) -> str:
        """The shop's name for the status line (the first store, else the first account)."""
        with self.store.read() as db:
            row = db.first(
                "SELECT name FROM shop_store UNION ALL SELECT email FROM mail_account LIMIT 1"
            )
        return row[0] if row else "no shop configured"

    def close(self) -> None:
        self.presence.close()
        self.store.close()
