"""``?``: every action and its current key, straight from the action table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from agentconsole.tui import keymap


def help_table(overrides: dict[str, str], macros: list[tuple[str, str]] | None = None) -> Table:
    """Every action with its key; then the macros bound to keys (``macros``: key, name —
    names from the config, shown literally)."""
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("action")
    table.add_column("id", style="dim", no_wrap=True)
    for scope, title in keymap.SCOPES.items():
        actions = [a for a in keymap.ACTIONS if a.scope == scope]
        if not actions:
            continue
        table.add_row(Text(title, style="bold underline"), "", "")
        for action in actions:
            keys = overrides.get(action.id, action.keys)
            table.add_row(keymap.key_label(keys), action.description, action.id)
    if macros:
        table.add_row(Text("Macros (from the config)", style="bold underline"), "", "")
        for key, name in macros:
            table.add_row(keymap.key_label(key), Text(f"Macro: {name}"), "")
    table.add_row(Text("Command palette", style="bold underline"), "", "")
    table.add_row("ctrl+p", "Search every action", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False),
        Binding("k,up", "scroll('up')", "Up", show=False),
    ]

    def __init__(
        self, overrides: dict[str, str], macros: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__()
        self.table = help_table(overrides, macros)

    def compose(self):  # type: ignore[no-untyped-def]
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys — Esc to close"
            yield Static(self.table)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_down() if direction == "down" else box.scroll_up()
