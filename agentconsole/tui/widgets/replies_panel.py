"""The canned-replies pane: templates filtered as you type, previewed for this conversation."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentconsole.services.records import TemplateRecord
from agentconsole.tui import keymap
from agentconsole.tui.text import safe, safe_line


class TemplateList(OptionList):
    BINDINGS = keymap.bindings("replies")


class RepliesPanel(Vertical):
    """Filter input, matching templates, and a preview of the highlighted one."""

    class Filter(Message):
        """The agent typed in the filter box."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Use(Message):
        """The agent chose a template for a reply."""

        def __init__(self, template: TemplateRecord) -> None:
            super().__init__()
            self.template = template

    class Preview(Message):
        """A template is highlighted; the screen fills it in for the current conversation."""

        def __init__(self, template: TemplateRecord) -> None:
            super().__init__()
            self.template = template

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.templates: list[TemplateRecord] = []
        self.filter = Input(placeholder="Filter canned replies…", id="replies-filter")
        self.filter.cursor_blink = False
        self.options = TemplateList(id="replies-list")
        self.preview = Static(Text(""), id="replies-preview")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.filter
        yield self.options
        yield self.preview

    def show(self, templates: list[TemplateRecord]) -> None:
        self.templates = templates
        self.options.clear_options()
        self.options.add_options(
            [
                Option(
                    Text.assemble(
                        (f"{t.language} ", "dim"), safe_line(t.title), (f"  {t.key}", "dim")
                    ),
                    id=str(t.id),
                )
                for t in templates
            ]
        )
        if templates:
            self.options.highlighted = 0
        else:
            self.preview.update(Text("No canned reply matches.", style="dim"))

    def show_preview(self, text: str, missing: tuple[str, ...]) -> None:
        out = safe(text)
        if missing:
            out.append("\nMissing: " + ", ".join(missing), style="bold yellow")
        self.preview.update(out)

    def _template(self, option_id: str | None) -> TemplateRecord | None:
        return next((t for t in self.templates if str(t.id) == option_id), None)

    @on(Input.Changed, "#replies-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Filter(event.value))

    @on(Input.Submitted, "#replies-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.templates:
            self.options.focus()

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key == "down" and self.filter.has_focus and self.templates:
            self.options.focus()

    @on(OptionList.OptionHighlighted, "#replies-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        template = self._template(event.option.id)
        if template:
            self.post_message(self.Preview(template))

    @on(OptionList.OptionSelected, "#replies-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        template = self._template(event.option.id)
        if template:
            self.post_message(self.Use(template))
