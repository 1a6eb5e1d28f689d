"""The footer: the keys that work where the focus is, in one line.

Why not Textual's ``Footer``: it mounts a widget per key and mounts them all again on every
focus change — on the 2-core box ~100 ms of the main thread right after start (the first key
pressed waited for it) and again on every Tab between panes. This is one widget that redraws
one line; a click on a key presses it, as there.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyHints(Widget):
    """Shown keys (``Binding.show``) of the focused widget and its ancestors, one per action,
    and the command palette's key on the right."""

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyHints > .key-hints--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyHints > .key-hints--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyHints > .key-hints--disabled {
        color: $footer-foreground 50%;
    }
    """
    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description", "key-hints--disabled"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []
        """Where each key sits on the line (start, end, key), for clicks."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key")
        description_style = self.get_component_rich_style("key-hints--description")
        disabled_style = self.get_component_rich_style("key-hints--disabled")
        line = Text(no_wrap=True, overflow="crop")
        spans: list[tuple[int, int, str]] = []
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = (binding, enabled)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            start = line.cell_len
            key = f" {self.app.get_key_display(binding)} "
            line.append(key, key_style if enabled else disabled_style)
            line.append(f"{binding.description} ", description_style if enabled else disabled_style)
            spans.append((start, line.cell_len, binding.key))
        if palette is not None:
            binding, enabled = palette
            right = Text.assemble(
                ("▏", disabled_style),
                (f"{self.app.get_key_display(binding)} ", key_style if enabled else disabled_style),
                (binding.description, description_style if enabled else disabled_style),
                " ",
            )
            room = self.size.width - right.cell_len
            line.truncate(max(room, 0))
            line.pad_right(max(room - line.cell_len, 0))
            spans = [s for s in spans if s[1] <= room]
            spans.append((room, room + right.cell_len, binding.key))
            line.append_text(right)
        self._spans = spans
        return line

    async def _on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
