"""The inbox pane: one line per conversation, paged from SQLite.

Why a Line-API ScrollView and not a DataTable: the widget holds only a few pages of records
(``PAGE`` rows each, least recently used dropped), asks the service for the page a line needs,
and repaints only the lines that change when the cursor moves. Cost is the same for 150 or
150,000 conversations.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from agentconsole.clock import Clock
from agentconsole.display import CHANNEL_LETTERS, duration
from agentconsole.services.inbox import InboxService, InboxView
from agentconsole.services.records import ConversationSummary
from agentconsole.services.sla import state as sla_state
from agentconsole.tui import keymap
from agentconsole.tui.text import safe_line

PAGE = 100
PAGES_KEPT = 8
_WAIT_W = 9
_STATUS_W = 11
"""Cells for the status: the longest is a wake time, "⏰Wed 23:00"."""


class InboxList(ScrollView, can_focus=True):
    """A cursor over the conversations of one ``InboxView``."""

    BINDINGS = keymap.bindings("inbox")
    COMPONENT_CLASSES = {
        "inbox-list--cursor",
        "inbox-list--waiting",
        "inbox-list--overdue",
        "inbox-list--muted",
        "inbox-list--customer",
        "inbox-list--marked",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to a conversation (or to none, when the view is empty)."""

        def __init__(self, summary: ConversationSummary | None) -> None:
            super().__init__()
            self.summary = summary

    class MarksChanged(Message):
        """The number of marked conversations changed."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class Selected(Message):
        """Enter was pressed on a conversation."""

        def __init__(self, summary: ConversationSummary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(
        self, inbox: InboxService, clock: Clock, zone: ZoneInfo, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._inbox = inbox
        self._clock = clock
        self._zone = zone
        self._view = InboxView()
        self._count = 0
        self._pages: OrderedDict[int, list[ConversationSummary]] = OrderedDict()
        self._now: datetime = clock.now()
        self.marked: dict[int, None] = {}
        """Conversations marked for a bulk action (ids, in the order they were marked)."""
        self.visual_from: int | None = None
        """While a visual range is open: the row it started at (moving marks the range)."""
        self.others: dict[int, str] = {}
        """Conversation → a marker for other agents on it (viewing / replying)."""

    @property
    def view(self) -> InboxView:
        return self._view

    @property
    def count(self) -> int:
        return self._count

    @property
    def current(self) -> ConversationSummary | None:
        return self.row(self.cursor)

    def load(self, view: InboxView | None = None, *, keep: int | None = None) -> None:
        """(Re)load the view from the store; keep the cursor on conversation ``keep`` if given."""
        if view is not None:
            self._view = view
        self._pages.clear()
        self._now = self._clock.now()
        self._count = self._inbox.count(self._view)
        self.virtual_size = Size(self.size.width, self._count)
        target = 0
        if keep is not None:
            target = self._index_of(keep, near=self.cursor)
        self.cursor = min(target, max(self._count - 1, 0))
        self.refresh()
        # The new size applies at the next layout: a scroll now would be clamped to the old
        # one, leaving the cursor's row off screen.
        self.call_after_refresh(self._show_cursor)

    def _show_cursor(self) -> None:
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if height and not top <= self.cursor < top + height:
            self.scroll_to(y=max(self.cursor - height // 2, 0), animate=False, immediate=True)
            self.refresh()

    def _index_of(self, conversation_id: int, near: int) -> int:
        """The conversation's row in the view; ``near`` (kept in range) when it left the view."""
        found = self._inbox.position(self._view, conversation_id)
        return found if found is not None else min(near, max(self._count - 1, 0))

    def _page(self, number: int) -> list[ConversationSummary]:
        rows = self._pages.get(number)
        if rows is None:
            rows = self._inbox.page(self._view, number * PAGE, PAGE)
            self._pages[number] = rows
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return rows

    def row(self, index: int) -> ConversationSummary | None:
        if not 0 <= index < self._count:
            return None
        rows = self._page(index // PAGE)
        offset = index % PAGE
        return rows[offset] if offset < len(rows) else None

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        row = self.row(index)
        base = self.rich_style
        if row is None:
            return Strip.blank(width, base)
        line = self._line(row, width)
        style = base
        if row.id in self.marked:
            style = base + self.get_component_rich_style("inbox-list--marked")
        if index == self.cursor:
            style = style + self.get_component_rich_style("inbox-list--cursor")
        segments = [
            Segment(s.text, style + s.style if s.style else style)
            for s in line.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, style).crop(0, width)

    def _line(self, row: ConversationSummary, width: int) -> Text:
        now = self._now
        line = Text(no_wrap=True, overflow="ellipsis")
        if row.due_at is not None and row.status != "closed":
            # The response clock: time left, or how long overdue (business hours counted).
            clock = sla_state(row.due_at, now)
            style = {"overdue": "inbox-list--overdue", "soon": "inbox-list--waiting"}.get(
                clock, "inbox-list--muted"
            )
            left = row.due_at - now
            text = duration(left) if clock != "overdue" else f"-{duration(-left)}"
            line.append(f"{text:>{_WAIT_W - 1}} ", self.get_component_rich_style(style))
        elif row.waiting_since is not None:
            waited = now - row.waiting_since
            line.append(
                f"{duration(waited):>{_WAIT_W - 1}} ",
                self.get_component_rich_style("inbox-list--waiting"),
            )
        else:
            line.append(" " * _WAIT_W)
        line.append(
            CHANNEL_LETTERS.get(row.channel, "?"),
            self.get_component_rich_style("inbox-list--muted"),
        )
        line.append(
            "★" if row.flagged else " ", self.get_component_rich_style("inbox-list--waiting")
        )
        other = self.others.get(row.id)
        line.append(other or " ", self.get_component_rich_style("inbox-list--waiting"))
        status_w = _STATUS_W if width >= 48 else 0
        name_w = max(min(16, width // 4), 10)
        name = safe_line(row.customer_name)
        name.truncate(name_w, overflow="ellipsis", pad=True)
        name.stylize(self.get_component_rich_style("inbox-list--customer"))
        line.append_text(name)
        line.append(" ")
        subject_w = max(width - _WAIT_W - 3 - name_w - 1 - (status_w + 1 if status_w else 0), 4)
        subject = safe_line(row.subject)
        subject.truncate(subject_w, overflow="ellipsis", pad=True)
        line.append_text(subject)
        if status_w:
            status = "" if row.status == "open" else row.status
            if row.status == "snoozed":  # the exact wake time, in the agent's zone
                wake = row.snoozed_until.astimezone(self._zone) if row.snoozed_until else None
                status = (
                    f"⏰{wake:%a} {wake.hour}:{wake.minute:02d}" if wake is not None else "⏰reply"
                )
            # Padded by cells: ⏰ takes two, so "⏰Wed 23:00" needs all eleven.
            shown = Text(f" {status}", self.get_component_rich_style("inbox-list--muted"))
            shown.truncate(status_w + 1, pad=True)
            line.append_text(shown)
        return line

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self._count)

    # -- cursor ------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if new < top or new >= top + height:
            self.scroll_to(y=max(new - height // 2, 0), animate=False, immediate=True)
            self.refresh()
        else:
            # ScrollView.refresh_lines takes content rows (it subtracts the scroll itself).
            if 0 <= old - top < height:
                self.refresh_lines(old)
            self.refresh_lines(new)
        self.post_message(self.Highlighted(self.row(new)))

    def _move(self, delta: int) -> None:
        if self._count:
            self.cursor = min(max(self.cursor + delta, 0), self._count - 1)
            if self.visual_from is not None:
                self._mark_range(self.visual_from, self.cursor)

    # -- marks (bulk actions) ------------------------------------------------------------

    def targets(self) -> list[int]:
        """What an action applies to: the marked conversations, else the highlighted one."""
        if self.marked:
            return list(self.marked)
        row = self.current
        return [row.id] if row is not None else []

    def _mark_range(self, start: int, end: int) -> None:
        low, high = sorted((start, end))
        for index in range(low, high + 1):
            row = self.row(index)
            if row is not None:
                self.marked.setdefault(row.id, None)
        self.refresh()

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted conversation, then move on (space, space, space…)."""
        row = self.current
        if row is None:
            return
        if row.id in self.marked:
            del self.marked[row.id]
        else:
            self.marked[row.id] = None
        self.refresh_lines(self.cursor)
        self._move(1)
        self.post_message(self.MarksChanged(len(self.marked)))

    def action_visual(self) -> None:
        """Start marking a range (moving extends it); pressed again, stop."""
        if self.visual_from is None:
            self.visual_from = self.cursor
            self._mark_range(self.cursor, self.cursor)
        else:
            self.visual_from = None
        self.post_message(self.MarksChanged(len(self.marked)))

    def clear_marks(self) -> bool:
        """Drop every mark; False when there were none."""
        had = bool(self.marked) or self.visual_from is not None
        self.marked.clear()
        self.visual_from = None
        self.refresh()
        self.post_message(self.MarksChanged(0))
        return had

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(max(self.scrollable_content_region.height - 1, 1))

    def action_page_up(self) -> None:
        self._move(-max(self.scrollable_content_region.height - 1, 1))

    def action_first(self) -> None:
        self._move(-self._count)

    def action_last(self) -> None:
        self._move(self._count)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int):
            self._move(self.scroll_offset.y + offset - self.cursor)
