"""The status line: which shop and agent, how many conversations, how fresh the store is."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from agentconsole.tui.text import safe_line


class StatusBar(Static):
    def show(self, *, shop: str, agent: str, view: str, count: int, freshness: str) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(" agentconsole ", "bold reverse")
        out.append(" ")
        out.append_text(safe_line(shop, "bold"))
        out.append(" · ")
        out.append_text(safe_line(agent))
        out.append(f" · {view}: {count}")
        out.append(f" · {freshness}", "dim")
        self.update(out)
