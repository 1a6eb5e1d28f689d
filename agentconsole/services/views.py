"""The views in the sidebar: built-in queues and the shop's saved searches, with counts.

Why every view is statuses plus a query in the search language: one code path lists, counts
and searches (``Overdue`` is ``is:overdue``, a saved view is whatever the owner wrote in
config), so a view and the same words typed in search always agree — and ``agentconsole
search`` too.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentconsole.config import Settings
from agentconsole.services.inbox import InboxService, InboxView

BUILT_IN: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Inbox", ("open", "pending"), ""),
    ("Mine", ("open", "pending", "snoozed"), "assignee:me"),
    ("Unassigned", ("open", "pending"), "assignee:none"),
    ("Open", ("open",), ""),
    ("Pending", ("pending",), ""),
    ("Snoozed", ("snoozed",), ""),
    ("Overdue", ("open", "pending", "snoozed"), "is:overdue"),
    ("Closed", ("closed",), ""),
    ("All", (), ""),
)
"""(name, statuses, query). "Inbox" is what needs the team: open, or waiting on the customer.
A view with statuses leaves out conversations whose mail was expunged on the server; "All"
and saved views keep them, as history."""


@dataclass(frozen=True)
class ViewRecord:
    name: str
    statuses: tuple[str, ...]
    query: str
    saved: bool = False
    """From the config's ``[[views]]``."""

    def inbox_view(self, me: int | str | None, typed: str = "") -> InboxView:
        """The inbox view, narrowed by what the agent typed in search (if anything)."""
        query = self.query
        if typed.strip():
            query = f"({query}) ({typed})" if query else typed
        name = f"{self.name} · “{typed.strip()}”" if typed.strip() else self.name
        return InboxView(statuses=self.statuses, search=query, me=me, name=name)


class ViewService:
    def __init__(self, inbox: InboxService, settings: Settings) -> None:
        self._inbox = inbox
        self._settings = settings

    def views(self) -> list[ViewRecord]:
        built = [ViewRecord(name, statuses, query) for name, statuses, query in BUILT_IN]
        return built + [ViewRecord(v.name, (), v.query, saved=True) for v in self._settings.views]

    def view(self, name: str) -> ViewRecord | None:
        for view in self.views():
            if view.name.lower() == name.lower():
                return view
        return None

    def counts(self, me: int | str | None) -> dict[str, int | None]:
        """Each view's count (None for a saved view whose query cannot be read)."""
        from agentconsole.services.query import QueryError

        out: dict[str, int | None] = {}
        for view in self.views():
            try:
                out[view.name] = self._inbox.count(view.inbox_view(me))
            except QueryError:
                out[view.name] = None
        return out
