"""The conversation pane: the thread, oldest to newest, inbound and outbound told apart.

Replies on their way out (the outbox) follow the stored thread, each with its state in words;
the undo countdown is redrawn by itself (``show_outgoing``) without touching the thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentconsole.display import CHANNEL_ICONS, duration, file_size, when
from agentconsole.services.records import ConversationDetail, OutboxEntry, ThreadEntry
from agentconsole.tui import keymap
from agentconsole.tui.outbox_text import describe
from agentconsole.tui.text import safe, safe_line


class ConversationView(VerticalScroll, can_focus=True):
    BINDINGS = keymap.bindings("thread")
    COMPONENT_CLASSES = {
        "conversation-view--inbound",
        "conversation-view--outbound",
        "conversation-view--note",
        "conversation-view--meta",
        "conversation-view--automated",
        "conversation-view--waiting",
        "conversation-view--sending",
        "conversation-view--problem",
        "conversation-view--doubt",
        "conversation-view--done",
    }

    def __init__(self, *, keys: Mapping[str, str] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.detail: ConversationDetail | None = None
        self.outgoing: list[OutboxEntry] = []
        """This conversation's replies in the outbox (not sent yet, or partly refused)."""
        self._keys = dict(keys or {})
        self._body = Static(Text("No conversation selected."), id="thread-body")
        self._outgoing = Static(Text(""), id="thread-outgoing")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body
        yield self._outgoing

    def show(
        self,
        detail: ConversationDetail | None,
        now: datetime,
        zone: ZoneInfo,
        outgoing: Sequence[OutboxEntry] = (),
    ) -> None:
        self.detail = detail
        self.outgoing = list(outgoing) if detail is not None else []
        self.show_outgoing(now, zone)
        if detail is None:
            self._body.update(Text("No conversation selected."))
            return
        out = Text()
        s = detail.summary
        out.append_text(safe_line(s.subject, "bold"))
        out.append("\n")
        meta = f"{CHANNEL_ICONS.get(s.channel, '')} {s.channel} · {s.status}"
        if s.waiting_since:
            meta += f" · waiting {duration(now - s.waiting_since)}"
        if s.assignee:
            meta += f" · {s.assignee}"
        out.append(meta, self.get_component_rich_style("conversation-view--meta"))
        if s.tags:
            out.append(" · ", self.get_component_rich_style("conversation-view--meta"))
            out.append_text(safe_line(" ".join(f"#{t}" for t in s.tags), "italic"))
        out.append("\n")
        for entry in detail.entries:
            out.append("\n")
            out.append_text(self._entry(entry, now, zone))
        self._body.update(out)
        self.scroll_end(animate=False)

    def _entry(self, entry: ThreadEntry, now: datetime, zone: ZoneInfo) -> Text:
        if entry.kind == "note":
            return self._note(entry, now, zone)
        inbound = entry.direction == "inbound"
        head_style = self.get_component_rich_style(
            "conversation-view--inbound" if inbound else "conversation-view--outbound"
        )
        arrow = "▶ IN " if inbound else "◀ OUT"
        text = Text()
        text.append(f"{arrow} ", head_style)
        text.append_text(safe_line(entry.author or entry.address or "—", head_style))
        if entry.address and entry.author:
            text.append(" <", head_style)
            text.append_text(safe_line(entry.address, head_style))
            text.append(">", head_style)
        meta = f"  {CHANNEL_ICONS.get(entry.channel, '')} {when(entry.at, now, zone)}"
        text.append(meta, self.get_component_rich_style("conversation-view--meta"))
        if entry.automated:
            text.append("  auto", self.get_component_rich_style("conversation-view--automated"))
        if entry.removed_on_server:
            text.append(
                "  deleted on server", self.get_component_rich_style("conversation-view--meta")
            )
        text.append("\n")
        if entry.kind == "contact":
            text.append_text(safe_line(entry.subject, "italic"))
            text.append("\n")
        bar = "│ " if inbound else "┃ "
        for line in (entry.text.rstrip() or "(empty)").splitlines() or [""]:
            text.append(bar, head_style)
            text.append_text(safe(line))
            text.append("\n")
        meta = self.get_component_rich_style("conversation-view--meta")
        for attachment in entry.attachments:
            text.append(bar, head_style)
            text.append("📎 ", meta)
            text.append_text(safe_line(attachment.filename))
            text.append(f"  {file_size(attachment.size)}", meta)
            if attachment.path is None:
                text.append("  (on the server)", meta)
            text.append("\n")
        return text

    def _note(self, entry: ThreadEntry, now: datetime, zone: ZoneInfo) -> Text:
        """An internal note: set apart, so nobody mistakes it for what the customer saw."""
        style = self.get_component_rich_style("conversation-view--note")
        text = Text()
        text.append("✎ NOTE ", style)
        text.append_text(safe_line(entry.author or "—", style))
        meta = f"  only the team sees this · {when(entry.at, now, zone)}"
        text.append(meta, self.get_component_rich_style("conversation-view--meta"))
        text.append("\n")
        for line in entry.text.rstrip().splitlines() or [""]:
            text.append("▒ ", style)
            text.append_text(safe(line))
            text.append("\n")
        return text

    @property
    def ticking(self) -> bool:
        """A reply waits to leave: its countdown needs redrawing every second."""
        return any(e.state == "queued" for e in self.outgoing)

    def show_outgoing(self, now: datetime, zone: ZoneInfo) -> None:
        """(Re)draw the replies on their way out, e.g. each second of an undo countdown."""
        self._outgoing.display = bool(self.outgoing)
        out = Text()
        for entry in reversed(self.outgoing):  # oldest first, like the thread
            out.append("\n")
            out.append_text(self._outgoing_entry(entry, now, zone))
        self._outgoing.update(out)

    def _outgoing_entry(self, entry: OutboxEntry, now: datetime, zone: ZoneInfo) -> Text:
        head_style = self.get_component_rich_style("conversation-view--outbound")
        meta = self.get_component_rich_style("conversation-view--meta")
        sentence, tone = describe(entry, now, zone, self._keys)
        tone_style = self.get_component_rich_style(f"conversation-view--{tone}")
        text = Text()
        text.append("◀ OUT ", head_style)
        text.append_text(safe_line(entry.author or "—", head_style))
        text.append(" → ", head_style)
        text.append_text(safe_line(entry.to, head_style))
        if entry.cc:
            text.append("  cc ", meta)
            text.append_text(safe_line(entry.cc, meta))
        text.append("\n")
        bar = "┆ "
        blank = False
        for line in (entry.body.rstrip() or "(empty)").splitlines() or [""]:
            if blank and not line.strip():
                continue  # runs of empty lines shown as one
            blank = not line.strip()
            text.append(bar, head_style)
            text.append_text(safe(line))
            text.append("\n")
        text.append(bar, head_style)
        text.append("⏳ " if tone in ("waiting", "sending") else "⚠ " if tone != "done" else "✓ ")
        text.append_text(safe_line(sentence, tone_style))
        text.append("\n")
        for refused in entry.refused:
            text.append(bar, head_style)
            text.append(
                "✗ not delivered to ", self.get_component_rich_style("conversation-view--problem")
            )
            text.append_text(
                safe_line(refused, self.get_component_rich_style("conversation-view--problem"))
            )
            text.append("\n")
        return text
