"""The customer 360 pane: who they are, how they like to be served, what they bought."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentconsole.display import day, duration
from agentconsole.services.records import CustomerProfile
from agentconsole.tui import keymap
from agentconsole.tui.text import safe, safe_line

_LABEL_W = 10


class CustomerPanel(VerticalScroll, can_focus=True):
    BINDINGS = keymap.bindings("customer")
    COMPONENT_CLASSES = {
        "customer-panel--label",
        "customer-panel--name",
        "customer-panel--birthday",
        "customer-panel--muted",
        "customer-panel--warning",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.profile: CustomerProfile | None = None
        self._body = Static(Text("No customer."), id="customer-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def _row(self, out: Text, label: str, value: Text | str) -> None:
        out.append(f"{label:<{_LABEL_W}}", self.get_component_rich_style("customer-panel--label"))
        out.append_text(value if isinstance(value, Text) else Text(value))
        out.append("\n")

    def show(self, profile: CustomerProfile | None, now: datetime, zone: ZoneInfo) -> None:
        self.profile = profile
        if profile is None:
            self._body.update(Text("No customer."))
            return
        muted = self.get_component_rich_style("customer-panel--muted")
        out = Text()
        out.append_text(
            safe_line(profile.name, self.get_component_rich_style("customer-panel--name"))
        )
        out.append(f"  {profile.language}", muted)
        out.append("\n")
        for email in profile.emails:
            self._row(out, "Email", safe_line(email))
        for phone in profile.phones:
            self._row(out, "Phone", safe_line(phone))
        warning = self.get_component_rich_style("customer-panel--warning")
        for other in profile.maybe_same_as:  # suggested only: merging is the agent's call
            out.append("⚠ Maybe the same person as ", warning)
            out.append_text(safe_line(other, warning))
            out.append("\n")
        if profile.birthday is not None:
            value = Text(profile.birthday.strftime("%d %b"))
            if profile.birthday_soon:
                days = profile.days_to_birthday
                soon = "today!" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
                value = Text(f"🎂 {profile.birthday.strftime('%d %b')} — {soon}")
                value.stylize(self.get_component_rich_style("customer-panel--birthday"))
            self._row(out, "Birthday", value)
        if profile.preferred_channel:
            pref = Text(profile.preferred_channel)
            if profile.preferred_hours:
                pref.append(f" · {profile.preferred_hours}")
            if not (
                profile.preferred_channel_stated
                and (profile.preferred_hours_stated or not profile.preferred_hours)
            ):
                pref.append(" (usually)", muted)
            self._row(out, "Prefers", pref)
        if profile.contacts_by_channel:
            self._row(
                out,
                "Contacts",
                " · ".join(f"{c.channel} {c.count}" for c in profile.contacts_by_channel),
            )
        if profile.last_contact:
            last = profile.last_contact
            value = Text(
                f"{last.channel} {'in' if last.direction == 'inbound' else 'out'}, {duration(now - last.at)} ago"
            )
            if last.summary:
                value.append(": ")
                value.append_text(safe_line(last.summary, "italic"))
            self._row(out, "Last", value)
        ltv = " + ".join(str(m) for m in profile.lifetime_value) or "—"
        avg = " + ".join(str(m) for m in profile.average_order) or "—"
        self._row(out, "Orders", f"{profile.order_count} · LTV {ltv} · avg {avg}")
        if profile.shop_data_as_of is not None:
            self._row(out, "Shop data", f"as of {duration(now - profile.shop_data_as_of)} ago")
        if profile.first_order_at is not None:
            self._row(out, "First", day(profile.first_order_at, zone))
        if profile.last_order:
            o = profile.last_order
            self._row(
                out,
                "Latest",
                safe_line(
                    f"{o.name} · {day(o.created_at, zone)} · {o.total} · {o.fulfillment_status}"
                ),
            )
        if profile.interests:
            self._row(out, "Interests", safe_line(", ".join(profile.interests)))
        if profile.tags:
            self._row(out, "Tags", safe_line(", ".join(profile.tags)))
        if profile.store_tags:
            self._row(out, "Shop tags", safe_line(", ".join(profile.store_tags)))
        if profile.notes:
            self._row(out, "Notes", safe(profile.notes))
        for note in profile.store_notes:
            self._row(out, "Shop note", safe(note))
        self._body.update(out)
