"""A macro's preview: what it will do, step by step, to how many conversations; Enter runs it,
Esc changes nothing."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from agentconsole.services.macros import MacroPlan
from agentconsole.services.triage import plural
from agentconsole.tui.text import safe_line
from agentconsole.tui.widgets.key_hints import KeyHints


class MacroPreview(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter", "run", "Run", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, plan: MacroPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self):  # type: ignore[no-untyped-def]
        with Vertical(id="ask-box"):
            head = Text("Macro: ", style="bold")
            head.append_text(safe_line(self.plan.macro.name, "bold"))
            head.append(f" · {plural(len(self.plan.conversation_ids), 'conversation')}")
            yield Static(head, id="ask-title")
            body = Text()
            for step in self.plan.steps:
                body.append("• ")
                body.append_text(safe_line(step))
                body.append("\n")
            yield Static(body, id="ask-preview")
            yield Static(Text("Enter: run · Esc: cancel (one U undoes it all)", style="dim"))
        yield KeyHints()

    def action_run(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
