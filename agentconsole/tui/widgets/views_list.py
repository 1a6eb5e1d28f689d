"""The views sidebar: Inbox, Mine, Unassigned, Open, Pending, Snoozed, Overdue, Closed, All and
the shop's saved searches, each with its count; Enter shows it in the inbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from agentconsole.services.views import ViewRecord
from agentconsole.tui import keymap
from agentconsole.tui.text import safe_line


class ViewsList(OptionList):
    BINDINGS = keymap.bindings("views")

    class Chosen(Message):
        def __init__(self, view: ViewRecord) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views: list[ViewRecord] = []
        self.counts: dict[str, int | None] = {}
        self.current = ""

    def show(
        self, views: Sequence[ViewRecord], counts: Mapping[str, int | None], current: str
    ) -> None:
        """Redraw the list (keeping the highlight where it was)."""
        highlighted = self.highlighted
        self.views = list(views)
        self.counts = dict(counts)
        self.current = current
        width = max(self.scrollable_content_region.width, 16)
        options: list[Option] = []
        for view in self.views:
            count = counts.get(view.name)
            shown = (
                "?"
                if count is None and view.name in counts
                else ""
                if count is None
                else str(count)
            )
            line = Text(no_wrap=True, overflow="ellipsis")
            name = safe_line(view.name, "bold" if view.name == current else "")
            if view.name == "Overdue" and count:
                name.stylize("bold red")
            name.truncate(max(width - len(shown) - 3, 4), overflow="ellipsis", pad=True)
            line.append("▸" if view.name == current else " ")
            line.append_text(name)
            line.append(f" {shown}", style="dim")
            options.append(Option(line, id=view.name))
        self.clear_options()
        self.add_options(options)
        if highlighted is not None and highlighted < len(options):
            self.highlighted = highlighted
        elif options:
            names = [v.name for v in self.views]
            self.highlighted = names.index(current) if current in names else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self.views[event.option_index]
        self.post_message(self.Chosen(view))
