"""Writing a reply: a text area prefilled from a canned reply, sent with F2."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from agentconsole.services.records import ConversationSummary
from agentconsole.tui import keymap
from agentconsole.tui.text import safe_line


class ComposeScreen(Screen[str | None]):
    """Dismisses with the text to send, or ``None`` when cancelled."""

    BINDINGS = keymap.bindings("compose")

    def __init__(self, summary: ConversationSummary, text: str) -> None:
        super().__init__()
        self._summary = summary
        self._text = text

    def compose(self):  # type: ignore[no-untyped-def]
        head = Text("Reply to ", style="bold")
        head.append_text(safe_line(self._summary.customer_name, "bold"))
        if self._summary.customer_email:
            head.append(" <")
            head.append_text(safe_line(self._summary.customer_email))
            head.append(">")
        head.append("\n")
        head.append_text(safe_line(f"Re: {self._summary.subject}", "dim"))
        yield Static(head, id="compose-head")
        area = TextArea(self._text, id="compose-body", soft_wrap=True, show_line_numbers=False)
        area.cursor_blink = False
        yield area
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_send(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip():
            self.notify("The reply is empty.", severity="warning")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
