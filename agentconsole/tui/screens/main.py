"""The main screen: inbox, conversation, customer 360, canned replies and orders.

Moving through the inbox repaints at once; the panes beside it are filled by thread workers
that read the store, so a slow disk never stalls the cursor; each read is numbered and only the
newest one asked for is shown, so a stale read can never overwrite a newer one. Another
process's writes are noticed by the store's change counter.

The canned-replies pane lists templates in the conversation's reply language (detected from
the customer's latest message unless the agent chose one), the ones matching that message on
top; its keys use a template (the composer fills it in), or edit its file here or in $EDITOR.
"""

from __future__ import annotations

import gc
import math
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from textual import on, work
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import get_current_worker

from agentconsole.display import when
from agentconsole.services.agents import AgentRecord
from agentconsole.services.context import Services
from agentconsole.services.drafts import DraftError
from agentconsole.services.kb_files import file_name, skeleton
from agentconsole.services.knowledge import KnowledgeError
from agentconsole.services.outbox import ReplyError
from agentconsole.services.presence import Presence
from agentconsole.services.query import QueryError
from agentconsole.services.query import parse as parse_query
from agentconsole.services.records import (
    ConversationDetail,
    ConversationSummary,
    CustomerProfile,
    DraftRecord,
    LanguageChoice,
    OrderBrief,
    OrderDetail,
    OutboxEntry,
    QueuedReply,
    TemplateRecord,
)
from agentconsole.services.template_terms import TemplateProblem
from agentconsole.services.views import ViewRecord
from agentconsole.tui import keymap
from agentconsole.tui.background_outbox import BackgroundOutbox
from agentconsole.tui.background_shops import BackgroundShops
from agentconsole.tui.background_sync import BackgroundSync
from agentconsole.tui.confirm import SecondPress
from agentconsole.tui.external_editor import EditorFailed, edit_file
from agentconsole.tui.outbox_text import describe, shown_in_thread
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.outbox import OutboxScreen
from agentconsole.tui.screens.template_editor import TemplateEditorScreen
from agentconsole.tui.text import safe_line
from agentconsole.tui.triage_keys import TriageKeys
from agentconsole.tui.widgets.conversation_view import ConversationView
from agentconsole.tui.widgets.customer_panel import CustomerPanel
from agentconsole.tui.widgets.inbox_list import InboxList
from agentconsole.tui.widgets.key_hints import KeyHints
from agentconsole.tui.widgets.order_panel import OrderPanel
from agentconsole.tui.widgets.replies_panel import RepliesPanel
from agentconsole.tui.widgets.status_bar import StatusBar
from agentconsole.tui.widgets.views_list import ViewsList
from agentconsole.untrusted import one_line

PANES = ("inbox", "thread", "customer", "replies", "orders")
"""The panes Tab walks through (the views sidebar is reached with its own key)."""
_TITLES = {
    "views": "Views",
    "inbox": "1 Inbox",
    "thread": "2 Conversation",
    "customer": "3 Customer",
    "replies": "4 Canned replies",
    "orders": "5 Orders",
}
_TITLE_FRAME = 6
"""Border cells around a pane title: the corners, a rule and a space on each side."""
STORE_POLL_SECONDS = 0.5
"""Other consoles' and the sync's writes show within a second (a PRAGMA, no read, when none)."""
PRESENCE_SECONDS = 1.0
"""Who else is on which conversation is re-read this often."""
HOUSEKEEPING_SECONDS = 15.0
"""Snoozes wake (and due times turn overdue) on time even when nothing is written."""
HEARTBEAT_SECONDS = 5.0
"""This console says where it is at least this often (and at once when that changes)."""
TICK_SECONDS = 1.0
"""Undo countdowns in the conversation pane are redrawn this often."""
WARM_UP_SECONDS = 1.0
"""The agent's record is looked up (first time: registered) this long after start, off the UI
thread, so the first reply opens at once instead of waiting for the ORM to load."""
GC_FREEZE_SECONDS = 1.5
"""Start-up objects are frozen for the garbage collector once the console has settled."""
GC_YOUNG_OBJECTS = 10_000
"""Allocations between young garbage collections once the console has settled (see
``_freeze_startup_objects``)."""
CONTEXT_DELAY_SECONDS = 0.08
"""Side panes load once the cursor rests this long: holding j never queues a load per row."""


@dataclass(frozen=True)
class Context:
    """Everything the side panes show for one highlighted conversation."""

    detail: ConversationDetail | None
    profile: CustomerProfile | None
    orders: list[OrderBrief]
    first_order: OrderDetail | None
    templates: list[TemplateRecord]
    outgoing: list[OutboxEntry] = field(default_factory=list)
    suggested: list[TemplateRecord] = field(default_factory=list)
    """Templates matching the customer's latest message (none while the filter is used)."""
    language: LanguageChoice | None = None
    """The language to reply in, and why."""
    typed: str = ""
    """The replies filter the templates were chosen with."""


class MainScreen(TriageKeys, Screen[None]):
    BINDINGS = keymap.bindings("main")

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.zone = ZoneInfo(services.settings.agent.timezone)
        self.active_pane = "thread"
        self.summary: ConversationSummary | None = None
        self.inbox = InboxList(services.inbox, services.clock, self.zone, id="inbox")
        self.views = ViewsList(id="views")
        first = services.views.views()[0]
        self._view: ViewRecord = first
        """The view the inbox shows (the search box narrows it further)."""
        self._by_due = False
        self.search_box = Input(placeholder="Search: words, customer, email…", id="search")
        self.search_box.cursor_blink = False
        self.thread = ConversationView(keys=services.settings.keys, id="thread")
        self.customer = CustomerPanel(id="customer")
        self.replies = RepliesPanel(id="replies")
        self.orders = OrderPanel(id="orders")
        self.status = StatusBar(id="status")
        self.sync = BackgroundSync(services.mail)
        self.sender = BackgroundOutbox(services.outbox)
        self.shop_sync = BackgroundShops(services.shops)
        self._shop_problem = ""
        self._quoted: dict[int, int] = {}
        """Conversation → the order it quotes that was fetched from a store (shown first)."""
        self._quotes_asked: dict[int, set[str]] = {}
        """Conversation → the quoted numbers the stores were last asked about (not again)."""
        self._quotes_running: set[int] = set()
        self._loose_order: int | None = None
        """An order looked up while no conversation is selected (an empty view)."""
        self._sender_problem = ""
        self._confirm = SecondPress()
        self._agent_lock = threading.Lock()
        self._problems_seen: int | None = None
        self._data_version = -1
        self._template_filter = ""
        self._language: LanguageChoice | None = None
        """The reply language of the conversation the side panes show."""
        self._shown_id: int | None = None
        """The conversation the side panes show (the cursor may have moved on already)."""
        self._contexts_asked = 0
        self._templates_asked = 0
        self._previews_asked = 0
        """Side-pane reads run side by side; only the latest one asked for is shown (no
        worker is cancelled: a thread cannot be stopped anyway, and waiters need no retry)."""
        self._wanted_template: int | None = None
        """A template just saved: highlighted once the list holds it."""
        self._replying_to: int | None = None
        """The conversation this agent's composer is open on (others see "replying")."""
        self._beaten: tuple[int | None, str, float] = (None, "", 0.0)
        """The last heartbeat: conversation, activity, monotonic time."""
        self._others: dict[int, list[Presence]] = {}
        self._context_timer: Timer | None = None
        self.context_due = False
        """True while a context load waits for the cursor to rest (tests wait on it)."""

    # -- layout ------------------------------------------------------------------------

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.status
        with Horizontal(id="panes"):
            with Vertical(id="views-pane", classes="pane"):
                yield self.views
            with Vertical(id="inbox-pane", classes="pane"):
                yield self.inbox
                yield self.search_box
            with Vertical(id="thread-pane", classes="pane detail-pane"):
                yield self.thread
            with Vertical(id="side"):
                with Vertical(id="customer-pane", classes="pane detail-pane"):
                    yield self.customer
                with Vertical(id="replies-pane", classes="pane detail-pane"):
                    yield self.replies
                with Vertical(id="orders-pane", classes="pane detail-pane"):
                    yield self.orders
        yield KeyHints()

    def on_mount(self) -> None:
        for pane in ("views", *PANES):
            self.query_one(f"#{pane}-pane").border_title = _TITLES[pane]
        self.search_box.display = False
        self._mark_active("thread")
        self.inbox.load(self._view.inbox_view(self._me()))
        # The sidebar's counts and the first housekeeping wait for the first frame: in worker
        # threads, they would compete with it for the interpreter.
        self.started = False
        """Whether the first frame is out and the start-up work behind it began."""
        self.call_after_refresh(self._after_first_frame)
        self._data_version = self.services.store.change_counter()
        self._update_status()
        self.inbox.focus()
        self.set_interval(STORE_POLL_SECONDS, self._poll_store, name="store-watch")
        self.set_interval(PRESENCE_SECONDS, self._presence_tick, name="presence")
        self.set_interval(HOUSEKEEPING_SECONDS, self.housekeeping, name="housekeeping")
        self.set_interval(TICK_SECONDS, self._tick, name="outbox-tick")
        self.sync.start(self.app)
        self.sender.start(self.app)
        self.shop_sync.start(self.app)
        self.set_timer(WARM_UP_SECONDS, self.warm_up)
        self.set_timer(GC_FREEZE_SECONDS, self._freeze_startup_objects)
        self.bind_macros()

    def _after_first_frame(self) -> None:
        self.started = True
        self.count_views()
        self.housekeeping()

    def on_unmount(self) -> None:
        self.services.presence.leave()
        self.sync.stop()
        self.sender.stop()
        self.shop_sync.stop()

    def _pane_widget(self, pane: str) -> Widget:
        return {
            "views": self.views,
            "inbox": self.inbox,
            "thread": self.thread,
            "customer": self.customer,
            "replies": self.replies.filter,
            "orders": self.orders.options if self.orders.orders else self.orders.lookup,
        }[pane]

    def _pane_of(self, widget: Widget | None) -> str | None:
        node = widget
        while node is not None:
            node_id = node.id or ""
            if node_id.endswith("-pane") and node_id[:-5] in (*PANES, "views"):
                return node_id[:-5]
            node = node.parent  # type: ignore[assignment]
        return None

    def _mark_active(self, pane: str) -> None:
        """In a narrow terminal only one detail pane is shown: the active one. The views
        sidebar shows while it has the focus (always in a very wide terminal)."""
        self.query_one("#views-pane").set_class(pane == "views", "-active")
        if pane in ("inbox", "views"):
            return
        self.active_pane = pane
        for name in PANES[1:]:
            self.query_one(f"#{name}-pane").set_class(name == pane, "-active")
        self.query_one("#side").set_class(pane != "thread", "-active")

    def on_descendant_focus(self, event: object) -> None:
        pane = self._pane_of(getattr(event, "widget", None))
        if pane:
            self._mark_active(pane)
            for name in ("views", *PANES):
                self.query_one(f"#{name}-pane").set_class(name == pane, "-focused")

    # -- store → panes -----------------------------------------------------------------

    def _update_status(self) -> None:
        now = self.services.clock.now()
        counts = self.services.outbox.counts()
        self.status.show(
            shop=self.services.shop_name(),
            agent=self.services.settings.agent.name,
            view=self.inbox.view.title,
            count=self.inbox.count,
            freshness=f"store read {when(now, now, self.zone)}",
            accounts=self.services.mail.states(),
            now=now,
            zone=self.zone,
            outbox=counts,
            sender_problem=self.sender.problem,
            shop_problem=self.shop_sync.problem,
        )
        self._sender_problem = self.sender.problem
        self._shop_problem = self.shop_sync.problem
        self._tell_new_problems(counts)
        self.query_one(
            "#inbox-pane"
        ).border_title = f"1 Inbox · {self.inbox.view.title} ({self.inbox.count})"

    def _poll_store(self) -> None:
        version = self.services.store.change_counter()
        if version != self._data_version:
            self._data_version = version
            self.reload()
            self.housekeeping()

    @work(thread=True, group="housekeeping", exclusive=True, exit_on_error=False)
    def housekeeping(self) -> None:
        """Wake snoozes whose time came and bring due times up to date (a write only when
        something changed; the store watch then shows it)."""
        self.services.housekeeping()

    def _tell_new_problems(self, counts: dict[str, int]) -> None:
        """A reply that failed (or may not have arrived) since the last look: say so, with the
        server's own words (the status bar keeps counting it until the agent decides)."""
        problems = counts.get("failed", 0) + counts.get("unknown", 0)
        seen, self._problems_seen = self._problems_seen, problems
        if seen is None or problems <= seen:
            return
        newest = self.services.outbox.entries(states=("failed", "unknown"))
        if newest:
            entry = newest[0]
            now = self.services.clock.now()
            sentence, _ = describe(entry, now, self.zone, self.services.settings.keys)
            key = keymap.key_for("main.outbox", self.services.settings.keys)
            self.notify(
                f"Reply to {one_line(entry.to)}: {one_line(sentence)}",
                title=f"Outbox — {key} to open",
                severity="error",
                timeout=15,
                markup=False,
            )

    def agent(self) -> AgentRecord:
        """The agent at the keyboard (one thread at a time registers them)."""
        with self._agent_lock:
            return self.services.agent

    def _freeze_startup_objects(self) -> None:
        """Everything loaded at start lives until quit: out of the collector's sight, full
        collections drop from ~120 ms pauses (view switches, searches) to a few ms. Frozen
        as it is, without a collection first (that alone paused the console ~100 ms on the
        large demo); what little start-up garbage there is stays.

        Young collections then run every ``GC_YOUNG_OBJECTS`` allocations instead of 700:
        a view switch allocates thousands of short-lived objects (rows, strips, styles), and
        at 700 it ran about 12 collections, a full one every few switches (30-60 ms, the
        slowest switches); at 10,000, none in a run of 44 switches (p95 60 → 39 ms)."""
        gc.freeze()
        gc.set_threshold(GC_YOUNG_OBJECTS, *gc.get_threshold()[1:])

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        self.agent()

    def _tick(self) -> None:
        if self.thread.ticking:
            self.thread.show_outgoing(self.services.clock.now(), self.zone)
        if (self.sender.problem, self.shop_sync.problem) != (
            self._sender_problem,
            self._shop_problem,
        ):
            self._update_status()

    # -- other agents on this store -------------------------------------------------------

    def _presence_tick(self) -> None:
        if self._replying_to is not None:
            self.presence_round(self._replying_to, "replying")
        else:
            self.presence_round(self._shown_id, "viewing")

    @work(thread=True, group="presence", exclusive=True, exit_on_error=False)
    def presence_round(self, conversation_id: int | None, activity: str) -> None:
        """Say where this agent is (when that changed, or it is time), read where others are."""
        beaten_id, beaten_activity, at = self._beaten
        now = time.monotonic()
        if (conversation_id, activity) != (beaten_id, beaten_activity) or (
            now - at >= HEARTBEAT_SECONDS
        ):
            self.services.presence.beat(conversation_id, activity)
            self._beaten = (conversation_id, activity, now)
        others = self.services.presence.others()
        self.app.call_from_thread(self._show_others, others)

    def _show_others(self, others: dict[int, list[Presence]]) -> None:
        """Mark conversations others are on (✎ replying, ◉ viewing); name them over the thread."""
        if others != self._others:
            self._others = others
            self.inbox.others = {
                cid: "✎" if any(p.activity == "replying" for p in ps) else "◉"
                for cid, ps in others.items()
            }
            self.inbox.refresh()
        here = others.get(self._shown_id or -1, [])
        pane = self.query_one("#thread-pane")
        pane.border_subtitle = " · ".join(
            f"{one_line(p.agent_name)} "
            + (
                f"is replying (since {p.since.astimezone(self.zone):%H:%M})"
                if p.activity == "replying"
                else "is viewing"
            )
            for p in here
        )
        pane.set_class(any(p.activity == "replying" for p in here), "-others-replying")

    def _set_replying(self, conversation_id: int | None) -> None:
        self._replying_to = conversation_id
        self._presence_tick()

    def reload(self) -> None:
        """Re-read the inbox (keeping the cursor's conversation), the view counts and the side
        panes."""
        keep = self.summary.id if self.summary else None
        self.inbox.load(keep=keep)
        self._update_status()
        self.count_views()

    @on(InboxList.Highlighted)
    def _highlighted(self, event: InboxList.Highlighted) -> None:
        self.summary = event.summary
        if self._context_timer is not None:
            self._context_timer.stop()
        self.context_due = True
        self._context_timer = self.set_timer(CONTEXT_DELAY_SECONDS, self._load_due_context)

    def _load_due_context(self) -> None:
        self.context_due = False
        self.load_context(self.summary)

    @on(InboxList.Selected)
    def _selected(self, event: InboxList.Selected) -> None:
        self.summary = event.summary
        self.action_focus_pane("thread")
        if event.summary is not None:
            self.mark_seen(event.summary.id)

    @work(thread=True, group="seen", exit_on_error=False)
    def mark_seen(self, conversation_id: int) -> None:
        """Opening a conversation reads it: here now, on the server with the next sync."""
        if self.services.inbox.mark_seen(conversation_id):
            self.sync.wake()

    def load_context(self, summary: ConversationSummary | None) -> None:
        """Re-read the side panes for ``summary`` off the UI thread; only the newest read
        asked for is shown (an older one stops early or is dropped)."""
        self._contexts_asked += 1
        self.read_context(summary, self._contexts_asked)

    @work(thread=True, group="context", exit_on_error=False)
    def read_context(self, summary: ConversationSummary | None, asked: int) -> Context | None:
        def stale() -> bool:
            return asked != self._contexts_asked

        s = self.services
        typed = self._template_filter
        if summary is None:
            loose = self._loose_order
            first = s.orders.detail(loose) if loose is not None else None
            context = Context(None, None, [], first, s.replies.templates(typed), typed=typed)
        else:
            detail = s.inbox.conversation(summary.id)
            if stale():
                return None
            profile = s.customers.profile(summary.customer_id)
            orders = s.orders.for_customer(summary.customer_id)
            # The order the agent chose, else the one the conversation is about (quoted in
            # it, else the customer's latest): the order a canned reply will speak of.
            quoted = self._quoted.get(summary.id)
            if quoted is None:
                quoted = s.replies.relevant_order(summary.id)
            first = (
                s.orders.detail(quoted)
                if quoted is not None
                else s.orders.detail(orders[0].id)
                if orders
                else None
            )
            if stale():
                return None
            language = s.replies.language(summary.id)
            templates, suggested = self._templates_for(summary.id, typed, language.language)
            outgoing = [
                e for e in s.outbox.entries(conversation_id=summary.id) if shown_in_thread(e)
            ]
            context = Context(
                detail, profile, orders, first, templates, outgoing, suggested, language, typed
            )
        if not stale():
            self.app.call_from_thread(self._show_context, context, asked)
        return context

    def _show_context(self, context: Context, asked: int) -> None:
        if asked != self._contexts_asked:
            return  # a newer read is on its way
        now = self.services.clock.now()
        self.thread.show(context.detail, now, self.zone, context.outgoing)
        self.customer.show(context.profile, now, self.zone)
        first = context.first_order
        self.orders.show_orders(context.orders, self.zone, first.id if first else None)
        self.orders.show_detail(first, self.zone, now=now)
        self._language = context.language
        shown = context.detail.summary.id if context.detail else None
        same, self._shown_id = shown == self._shown_id, shown
        self._replies_title()
        if context.typed == self._template_filter:
            self._show_replies(context.templates, context.suggested, keep=same)
        else:  # the agent typed in the filter meanwhile
            self.load_templates()
        name = context.profile.name if context.profile else ""
        self.query_one("#orders-pane").border_title = (
            f"5 Orders ({len(context.orders)})" if name else "5 Orders"
        )
        if context.detail is not None:
            self._ask_for_quoted(context.detail.summary.id)

    def _ask_for_quoted(self, conversation_id: int) -> None:
        """Orders the conversation quotes but the store lacks: fetched off the UI thread."""
        if self.services.shops.configured and conversation_id not in self._quotes_running:
            self._quotes_running.add(conversation_id)
            self.fetch_quoted(conversation_id)

    @work(thread=True, group="quoted-orders", exit_on_error=False)
    def fetch_quoted(self, conversation_id: int) -> None:
        """Order numbers in the conversation's subjects and bodies, fetched and cached."""
        import asyncio

        found: list[int] = []
        numbers: tuple[str, ...] = ()
        try:
            numbers = tuple(self.services.shops.quoted_orders(conversation_id))
            if not set(numbers) <= self._quotes_asked.get(conversation_id, set()):
                self.app.call_from_thread(self._asking, conversation_id, numbers)
                found = asyncio.run(self.services.shops.fetch_quoted(conversation_id))
            else:
                numbers = ()  # nothing new to ask about
        finally:
            self.app.call_from_thread(self._quotes_done, conversation_id, numbers, found)

    def _current(self, conversation_id: int) -> bool:
        return self.summary is not None and self.summary.id == conversation_id

    def _asking(self, conversation_id: int, numbers: tuple[str, ...]) -> None:
        if self._current(conversation_id):
            quoted = ", ".join(f"#{n}" for n in numbers)
            self._orders_title(f"5 Orders · asking for {quoted}…")

    def _quotes_done(
        self, conversation_id: int, numbers: tuple[str, ...], found: list[int]
    ) -> None:
        self._quotes_running.discard(conversation_id)
        if not numbers:
            return
        self._quotes_asked.setdefault(conversation_id, set()).update(numbers)
        if found:
            self._quoted[conversation_id] = found[0]
        if not self._current(conversation_id):
            return
        if found:
            self.load_context(self.summary)  # the orders pane, with what was found
        else:
            quoted = ", ".join(f"#{n}" for n in numbers)
            self._orders_title(f"5 Orders ({len(self.orders.orders)}) · {quoted} not in the stores")

    def _orders_title(self, title: str) -> None:
        """The orders pane's title; it may quote store or customer text (never markup)."""
        self.query_one("#orders-pane").border_title = safe_line(title)

    # -- canned replies --------------------------------------------------------------

    def _templates_for(
        self, conversation_id: int | None, typed: str, language: str | None
    ) -> tuple[list[TemplateRecord], list[TemplateRecord]]:
        """The templates matching the filter (reply language first) and, while the filter is
        empty, the ones suggested by the customer's latest message. Runs in a worker."""
        s = self.services
        templates = s.replies.templates(typed, language)
        if conversation_id is None or typed.strip():
            return templates, []
        return templates, s.replies.suggestions(conversation_id)

    def _replies_title(self) -> None:
        """The title names the language templates are ordered by and why ("… · de
        (detected)"); where the pane is too narrow for the why, the language alone."""
        pane = self.query_one("#replies-pane")
        title = _TITLES["replies"]
        if self._language is not None:
            title += f" · {self._language.language}"
            why = f"{title} ({self._language.source})"
            room = pane.size.width - _TITLE_FRAME
            title = why if room <= 0 or len(why) <= room else title
        pane.border_title = safe_line(title)

    def on_resize(self) -> None:
        self.call_after_refresh(self._replies_title)  # once the panes have their new widths

    def load_templates(self, select: int | None = None) -> None:
        """Re-read the replies pane for the shown conversation and the current filter;
        highlight template ``select`` (just saved) once listed."""
        if select is not None:
            self._wanted_template = select
        self._templates_asked += 1
        language = self._language.language if self._language else None
        self.fetch_templates(self._templates_asked, self._shown_id, self._template_filter, language)

    @work(thread=True, group="templates", exit_on_error=False)
    def fetch_templates(
        self, asked: int, conversation_id: int | None, typed: str, language: str | None
    ) -> None:
        templates, suggested = self._templates_for(conversation_id, typed, language)
        self.app.call_from_thread(
            self._show_templates, asked, conversation_id, typed, templates, suggested
        )

    def _show_templates(
        self,
        asked: int,
        conversation_id: int | None,
        typed: str,
        templates: list[TemplateRecord],
        suggested: list[TemplateRecord],
    ) -> None:
        if asked != self._templates_asked:
            return  # a newer read is on its way
        if (conversation_id, typed) == (self._shown_id, self._template_filter):
            self._show_replies(templates, suggested, keep=True)

    def _show_replies(
        self, templates: list[TemplateRecord], suggested: list[TemplateRecord], *, keep: bool
    ) -> None:
        """The list, its cursor on the template just saved, else (``keep``) where it was."""
        current = self.replies.current
        select = self._wanted_template
        if select is None and keep and current is not None:
            select = current.id
        self.replies.show(templates, suggested, select=select)
        if any(t.id == self._wanted_template for t in self.replies.templates):
            self._wanted_template = None

    @on(RepliesPanel.Filter)
    def _filter_replies(self, event: RepliesPanel.Filter) -> None:
        self._template_filter = event.text
        self.load_templates()

    def _shown_order(self) -> int | None:
        """The order in the orders pane: the one a canned reply is filled with."""
        order = self.orders.detail
        return order.id if order is not None else None

    @on(RepliesPanel.Preview)
    def _preview(self, event: RepliesPanel.Preview) -> None:
        self._previews_asked += 1
        self.fill_preview(self._previews_asked, event.template, self._shown_id, self._shown_order())

    def _refresh_preview(self) -> None:
        """Another order shown: the preview is filled with that one now."""
        template = self.replies.current
        if template is not None:
            self.post_message(RepliesPanel.Preview(template))

    @work(thread=True, group="preview", exit_on_error=False)
    def fill_preview(
        self,
        asked: int,
        template: TemplateRecord,
        conversation_id: int | None,
        order_id: int | None,
    ) -> None:
        """The highlighted template filled in for this conversation and order."""
        text, missing, problems = template.body, (), list(template.problems)
        if conversation_id is not None:
            try:
                filled = self.services.replies.fill(template, conversation_id, order_id=order_id)
            except (TemplateProblem, KnowledgeError) as exc:
                problems.append(str(exc))
            else:
                text = filled.text
                missing = tuple(m for m in filled.missing if not m.startswith("ask."))
        asks = tuple(p.question or p.name for p in template.prompts)
        self.app.call_from_thread(
            self._show_preview, asked, template.id, text, missing, asks, tuple(problems)
        )

    def _show_preview(
        self,
        asked: int,
        template_id: int,
        text: str,
        missing: tuple[str, ...],
        asks: tuple[str, ...],
        problems: tuple[str, ...],
    ) -> None:
        current = self.replies.current
        if asked == self._previews_asked and current is not None and current.id == template_id:
            self.replies.show_preview(text, missing, asks, problems)

    @on(RepliesPanel.Use)
    def _use(self, event: RepliesPanel.Use) -> None:
        """The composer opens on the reply and inserts the template itself (asking what the
        template asks, refusing missing values) at the top of the text."""
        shown = self.summary is not None and self.summary.id == self._shown_id
        self._start("reply", insert=event.template, order_id=self._shown_order() if shown else None)

    @on(RepliesPanel.Edit)
    def _edit_template(self, event: RepliesPanel.Edit) -> None:
        if event.here:
            self.read_template_file(event.template)
        else:
            self._edit_in_editor(event.template)

    @on(RepliesPanel.New)
    def _new_template(self) -> None:
        language = self._language.language if self._language else None
        text = skeleton("new-template", language or self.services.settings.shop.language)
        self._open_template_editor(text, None)

    def _edit_in_editor(self, template: TemplateRecord) -> None:
        """The console steps aside for ``$EDITOR`` on the template's file, then re-indexes."""
        path = self.services.knowledge.path_of(template)
        try:
            before = path.read_bytes()
        except OSError as exc:
            self.notify(
                f"{one_line(str(path))}: {exc.strerror or exc}",
                title="Template",
                severity="error",
                markup=False,
            )
            return
        try:
            edit_file(self.app, path)
        except EditorFailed as exc:
            self.notify(str(exc), title="Editor", severity="error", markup=False)
            if exc.status is None:  # it never ran: nothing to look at
                return
        self.reindex(template, path, before)

    @work(thread=True, group="kb-reindex", exit_on_error=False)
    def reindex(self, template: TemplateRecord, path: Path, before: bytes) -> None:
        """After ``$EDITOR``: the file indexed again, and the agent told what came of it."""
        k = self.services.knowledge
        try:
            unchanged = path.read_bytes() == before
        except OSError:
            unchanged = False
        if unchanged:
            self.app.call_from_thread(
                self.notify,
                f"No change to {template.key} ({template.language}).",
                markup=False,
            )
            return
        found = k.refresh()
        rel = template.path or file_name(template.key, template.language)
        record = next((t for t in k.all() if t.path == rel), None)
        problems = [p for name, p in found.problems if name == rel]
        problems += [p for p in (record.problems if record else ()) if p not in problems]
        if problems:
            message = "\n".join(f"{one_line(rel)}: {one_line(p)}" for p in problems)
            self.app.call_from_thread(
                self.notify, message, title="Template", severity="error", markup=False
            )
        elif record is None:
            self.app.call_from_thread(self.notify, f"{one_line(rel)} is gone.", markup=False)
        else:
            self.app.call_from_thread(
                self.notify, f"Saved {record.key} ({record.language})", markup=False
            )
        self.app.call_from_thread(self.load_templates, record.id if record else None)

    @work(thread=True, group="kb-read", exit_on_error=False)
    def read_template_file(self, template: TemplateRecord) -> None:
        path = self.services.knowledge.path_of(template)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.app.call_from_thread(
                self.notify,
                f"{one_line(str(path))}: {exc.strerror or exc}",
                title="Template",
                severity="error",
                markup=False,
            )
            return
        self.app.call_from_thread(self._open_template_editor, text, path)

    def _open_template_editor(self, text: str, path: Path | None) -> None:
        def done(record: TemplateRecord | None) -> None:
            if record is not None:
                self.notify(f"Saved {record.key} ({record.language})", markup=False)
                self.load_templates(select=record.id)

        self.app.push_screen(TemplateEditorScreen(self.services, text, path), done)

    @on(OrderPanel.Chosen)
    def _order_chosen(self, event: OrderPanel.Chosen) -> None:
        shown = self.orders.detail
        if shown is not None and shown.id == event.order_id:
            return  # the pane highlighting what it shows: no choice of the agent's to keep
        order = self.services.orders.detail(event.order_id)
        if order is not None and self.summary is not None:
            self._quoted[self.summary.id] = order.id  # still shown after a reload
        self.orders.show_detail(order, self.zone, now=self.services.clock.now())
        self._refresh_preview()

    @on(OrderPanel.Lookup)
    def _order_lookup(self, event: OrderPanel.Lookup) -> None:
        order = self.services.orders.find(event.number)
        if order is None and self.services.shops.configured:
            self.query_one("#orders-pane").border_title = "5 Orders · asking the store…"
            self.fetch_order(event.number)
            return
        self._show_order(order, event.number)

    def _show_order(self, order: OrderDetail | None, typed: str) -> None:
        if order is not None and self.summary is not None:
            # Kept for this conversation, so a reload (another process wrote) shows it again.
            self._quoted[self.summary.id] = order.id
        elif order is not None:
            self._loose_order = order.id  # no conversation selected: kept across reloads too
        self.orders.show_detail(order, self.zone, typed=typed, now=self.services.clock.now())
        self._refresh_preview()
        self._orders_title(f"5 Orders · {order.name}" if order else "5 Orders · not found")

    @work(thread=True, exclusive=True, group="order-fetch", exit_on_error=False)
    def fetch_order(self, typed: str) -> None:
        """An order not synced yet: fetched from the stores and cached, off the UI thread."""
        import asyncio

        found = asyncio.run(self.services.shops.fetch_order(typed))
        order = self.services.orders.detail(found) if found is not None else None
        self.app.call_from_thread(self._show_order, order, typed)

    @on(OrderPanel.Insert)
    def _insert_order(self, event: OrderPanel.Insert) -> None:
        """The shown order's summary or tracking link on top of the reply being written."""
        order = self.orders.detail
        if order is None:
            self.notify("No order shown.", severity="warning")
            return
        text = order.summary() if event.what == "summary" else order.tracking_link()
        if not text:
            self.notify(
                f"{one_line(order.name)} has no shipment to track yet.",
                severity="warning",
                markup=False,
            )
            return
        self._start("reply", prefix=text)

    # -- search ------------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_box.display = True
        self.search_box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """Search within the current view as the agent types; a query that cannot be read
        keeps the last results and says why, pointing at the word."""
        try:
            parse_query(event.value)
        except QueryError as exc:
            self.search_box.border_subtitle = one_line(str(exc))
            self.search_box.add_class("-error")
            return
        self.search_box.border_subtitle = ""
        self.search_box.remove_class("-error")
        self._search_in_background(self._view, event.value)

    @work(thread=True, group="search", exclusive=True, exit_on_error=False)
    def _search_in_background(self, view: ViewRecord, typed: str) -> None:
        """Evaluate what was typed off the UI thread (the inbox service keeps the result), then
        show it: a keystroke never waits for a search (20-60 ms on the large demo), and of a
        burst of keystrokes only the latest search is shown."""
        inbox_view = replace(view.inbox_view(self._me(), typed), by_due=self._by_due)
        with suppress(QueryError):  # _load_view says what is wrong with it
            self.services.inbox.count(inbox_view)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_search, view, typed)

    def _show_search(self, view: ViewRecord, typed: str) -> None:
        if view is self._view and typed == self.search_box.value:  # not superseded meanwhile
            self._load_view(view, typed)

    # -- views -----------------------------------------------------------------------------

    def _me(self) -> str:
        return self.services.settings.agent.handle

    def _load_view(self, view: ViewRecord, typed: str = "") -> None:
        self._view = view
        try:
            inbox_view = replace(view.inbox_view(self._me(), typed), by_due=self._by_due)
            self.inbox.load(inbox_view, keep=self._keep())
        except QueryError as exc:  # a saved view's query from config
            self.notify(f"View {view.name}: {exc}", severity="error", markup=False)
            return
        self._update_status()
        self.views.show(self.views.views, self.views.counts, view.name)

    def _keep(self) -> int | None:
        return self.summary.id if self.summary else None

    def show_view(self, name: str) -> None:
        """Show a view by name (the palette's "View: …" entries)."""
        view = self.services.views.view(name)
        if view is not None:
            self.search_box.value = ""
            self.search_box.display = False
            self._load_view(view)
            self.action_focus_pane("inbox")

    @on(ViewsList.Chosen)
    def _view_chosen(self, event: ViewsList.Chosen) -> None:
        self.show_view(event.view.name)

    @work(thread=True, group="view-counts", exclusive=True, exit_on_error=False)
    def count_views(self) -> None:
        """Every view's count, off the UI thread (a dozen counts over the whole store)."""
        views = self.services.views.views()
        counts = self.services.views.counts(self._me())
        self.app.call_from_thread(self.views.show, views, counts, self._view.name)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.inbox.focus()
        if not self.search_box.value:
            self.search_box.display = False

    def on_key(self, event: object) -> None:
        if getattr(event, "key", "") == "escape" and self.search_box.has_focus:
            self.search_box.value = ""
            self.search_box.display = False
            self.inbox.focus()

    def action_toggle_sort(self) -> None:
        """Soonest due first (the SLA clock), or back to longest waiting first."""
        self._by_due = not self._by_due
        self._load_view(self._view, self.search_box.value)
        self.notify("Soonest due first." if self._by_due else "Longest waiting first.", timeout=2)

    def action_toggle_all(self) -> None:
        """Between the Inbox view and All (keeping what was typed in search)."""
        name = "All" if self._view.name != "All" else "Inbox"
        view = self.services.views.view(name)
        assert view is not None
        self._load_view(view, self.search_box.value)

    def action_refresh_store(self) -> None:
        self.reload()
        self.notify("Reloaded from the store.")

    # -- panes -------------------------------------------------------------------------

    def action_focus_pane(self, pane: str) -> None:
        self._mark_active(pane)
        self._pane_widget(pane).focus()

    def _step_pane(self, step: int) -> None:
        current = self._pane_of(self.focused) or "inbox"
        index = (PANES.index(current) + step) % len(PANES)
        self.action_focus_pane(PANES[index])

    def action_next_pane(self) -> None:
        self._step_pane(1)

    def action_previous_pane(self) -> None:
        self._step_pane(-1)

    def action_lookup_order(self) -> None:
        self._mark_active("orders")
        self.orders.lookup.value = ""
        self.orders.lookup.focus()

    def action_quit(self) -> None:
        counts = self.services.outbox.counts()
        waiting = counts.get("queued", 0) + counts.get("sending", 0)
        if waiting and not self._confirm.armed("quit"):
            key = keymap.key_for("app.quit", self.services.settings.keys)
            replies = "1 reply has" if waiting == 1 else f"{waiting} replies have"
            it = "it leaves" if waiting == 1 else "they leave"
            self.notify(
                f"{replies} not left yet: {it} the next time the console or "
                f"`agentconsole sync` runs. Press {key} again to quit.",
                severity="warning",
            )
            return
        self.sync.stop()
        self.sender.stop()
        self.shop_sync.stop()
        self.app.exit()

    # -- replying ----------------------------------------------------------------------

    def action_reply(self) -> None:
        self._start("reply")

    def action_reply_all(self) -> None:
        self._start("reply_all")

    def action_forward(self) -> None:
        self._start("forward")

    def action_new_message(self) -> None:
        self._start("new")

    def action_reply_in_editor(self) -> None:
        self._start("reply", editor=True)

    def _start(
        self,
        kind: str,
        *,
        prefix: str = "",
        editor: bool = False,
        insert: TemplateRecord | None = None,
        order_id: int | None = None,
    ) -> None:
        if self.summary is None:
            self.notify("Select a conversation first.", severity="warning")
            return
        other = self.services.presence.replying(self.summary.id) if kind != "new" else None
        if other is not None and not self._confirm.armed(f"reply-{self.summary.id}"):
            key = keymap.key_for(
                {"reply": "main.reply", "reply_all": "main.reply_all"}.get(kind, "main.forward"),
                self.services.settings.keys,
            )
            since = other.since.astimezone(self.zone)
            self.notify(
                f"{one_line(other.agent_name)} is replying to this conversation (since "
                f"{since:%H:%M}). Press {key} again to reply anyway.",
                title="Someone is on it",
                severity="warning",
                markup=False,
            )
            return
        self.start_draft(kind, self.summary, prefix, editor, insert, order_id)

    @work(thread=True, group="draft-start", exit_on_error=False)
    def start_draft(
        self,
        kind: str,
        summary: ConversationSummary,
        prefix: str,
        editor: bool,
        insert: TemplateRecord | None = None,
        order_id: int | None = None,
    ) -> None:
        """The saved draft for this reply, or a fresh one; then the composer (which inserts
        ``insert``, filled for ``order_id``)."""
        s = self.services
        agent = self.agent()
        try:
            if kind == "new":  # a new conversation with the customer
                draft = s.drafts.start(agent, kind, customer_id=summary.customer_id)
            else:
                draft = s.drafts.start(agent, kind, conversation_id=summary.id)
        except DraftError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Cannot write", severity="error", markup=False
            )
            return
        if prefix:  # a canned reply or an order goes on top, above the signature and quote
            body = f"{prefix.rstrip()}\n\n{draft.body.lstrip(chr(10))}"
            # Saved at once: closing the composer untouched must not lose what was inserted.
            draft = s.drafts.save(agent, replace(draft, body=body))
        self.app.call_from_thread(
            self.open_composer, draft, editor_first=editor, insert=insert, order_id=order_id
        )

    def open_composer(
        self,
        draft: DraftRecord,
        *,
        editor_first: bool = False,
        note: str = "",
        insert: TemplateRecord | None = None,
        order_id: int | None = None,
    ) -> None:
        def done(queued: QueuedReply | None) -> None:
            self._set_replying(None)
            if queued is not None:
                self._queued(draft, queued)

        if draft.kind != "new":
            self._set_replying(draft.conversation_id)

        screen = ComposeScreen(
            self.services,
            draft,
            editor_first=editor_first,
            note=note,
            order_id=order_id,
            insert=insert,
        )
        self.app.push_screen(screen, done)

    def _queued(self, draft: DraftRecord, queued: QueuedReply) -> None:
        self.sender.wake()
        entry = self.services.outbox.entry(queued.outbox_id)
        what = {"forward": "Forward", "new": "Message"}.get(draft.kind, "Reply")
        seconds = math.ceil((queued.send_after - self.services.clock.now()).total_seconds())
        key = keymap.key_for("main.take_back", self.services.settings.keys)
        to = one_line(entry.to)
        if seconds > 0:
            message = f"{what} to {to} leaves in {seconds} s — press {key} to take it back"
        else:
            message = f"{what} to {to} is on its way."
        self.notify(message, markup=False)
        self.reload()

    def action_take_back(self) -> None:
        self.take_back()

    @work(thread=True, group="take-back", exit_on_error=False)
    def take_back(self) -> None:
        """The agent's newest reply still waiting to leave becomes a draft again."""
        s = self.services
        agent = self.agent()
        mine = [e for e in s.outbox.entries(states=("queued",)) if e.author == agent.handle]
        if not mine:
            self.app.call_from_thread(self.notify, "No reply of yours is waiting to leave.")
            return
        try:
            draft = s.outbox.undo(agent, mine[0].id)
        except ReplyError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._taken_back, draft)

    def _taken_back(self, draft: DraftRecord) -> None:
        self.notify("Taken back: the reply was not sent.")
        self.reload()
        self.open_composer(draft, note="Taken back: not sent")

    def action_toggle_flag(self) -> None:
        if self.summary is None:
            self.notify("Select a conversation first.", severity="warning")
            return
        self.toggle_flag(self.summary.id, not self.summary.flagged)

    @work(thread=True, group="flag", exit_on_error=False)
    def toggle_flag(self, conversation_id: int, flagged: bool) -> None:
        """★ here now, \\Flagged on the server with the next sync (other clients see it)."""
        self.services.inbox.set_flagged(conversation_id, flagged)
        self.sync.wake()
        self.app.call_from_thread(self.reload)

    def action_outbox(self) -> None:
        def done(draft: DraftRecord | None) -> None:
            if draft is not None:
                self._taken_back(draft)

        self.app.push_screen(OutboxScreen(self.services, self.sender.wake), done)
