"""The canned-replies pane: templates filtered as you type, previewed for this conversation.

Why suggestions sit on top: most replies answer what the customer just asked, so the few
templates that match their latest message are one key press away; "All" follows, without
repeating them. Keys on the list use, edit or add a template; the screen does the work.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, on
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentconsole.services.records import TemplateRecord
from agentconsole.tui import keymap
from agentconsole.tui.text import safe, safe_line

SUGGESTED = "Suggested"
ALL = "All"


class TemplateList(OptionList):
    """The template list; its keys ask the panel for something done to the highlighted one."""

    BINDINGS = keymap.bindings("replies")

    class Asked(Message):
        """A key asked to ``edit``, ``edit_here`` or add a ``new`` template."""

        def __init__(self, what: str) -> None:
            super().__init__()
            self.what = what

    def action_edit_template(self) -> None:
        self.post_message(self.Asked("edit"))

    def action_edit_template_here(self) -> None:
        self.post_message(self.Asked("edit_here"))

    def action_new_template(self) -> None:
        self.post_message(self.Asked("new"))


def _heading(label: str) -> Option:
    return Option(Text(label, style="dim italic"), disabled=True)


def _option(template: TemplateRecord) -> Option:
    prompt = Text.assemble(
        (f"{template.language} ", "dim"),
        safe_line(template.title),
        (f"  {template.key}", "dim"),
    )
    if template.problems:
        prompt.append("  ⚠", "bold yellow")
    return Option(prompt, id=str(template.id))


class RepliesPanel(Vertical):
    """Filter input, suggested and matching templates, and a preview of the highlighted one."""

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

    class Edit(Message):
        """The agent wants to change a template's file: in ``$EDITOR`` or, ``here``, inside."""

        def __init__(self, template: TemplateRecord, *, here: bool) -> None:
            super().__init__()
            self.template = template
            self.here = here

    class New(Message):
        """The agent wants a new template."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.templates: list[TemplateRecord] = []
        """Every template listed, in list order (the suggested ones first)."""
        self.suggested: list[TemplateRecord] = []
        self.filter = Input(placeholder="Filter canned replies…", id="replies-filter")
        self.filter.cursor_blink = False
        self.options = TemplateList(id="replies-list")
        self.preview = Static(Text(""), id="replies-preview")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.filter
        yield self.options
        yield self.preview

    def show(
        self,
        templates: Sequence[TemplateRecord],
        suggested: Sequence[TemplateRecord] = (),
        *,
        select: int | None = None,
    ) -> None:
        """List ``suggested`` under a heading, then the other ``templates`` under "All";
        the template with id ``select`` is highlighted if listed, else the first."""
        chosen = {t.id for t in suggested}
        rest = [t for t in templates if t.id not in chosen]
        self.suggested = list(suggested)
        self.templates = [*suggested, *rest]
        options: list[Option] = []
        if suggested:
            options += [_heading(SUGGESTED), *map(_option, suggested)]
            if rest:
                options.append(_heading(ALL))
        options += map(_option, rest)
        self.options.clear_options()
        self.options.add_options(options)
        if not self.templates:
            self.preview.update(Text("No canned reply matches.", style="dim"))
            return
        first = 1 if suggested else 0
        index = first
        if select is not None and any(t.id == select for t in self.templates):
            index = self.options.get_option_index(str(select))
        self.options.highlighted = index

    @property
    def current(self) -> TemplateRecord | None:
        """The highlighted template."""
        option = self.options.highlighted_option
        return self._template(option.id) if option is not None else None

    def show_preview(
        self,
        text: str,
        missing: Sequence[str] = (),
        asks: Sequence[str] = (),
        problems: Sequence[str] = (),
    ) -> None:
        """The filled-in text; what is wrong with the template, what had no value and what
        the composer will ask when it is used."""
        out = Text()
        for problem in problems:
            out.append_text(safe(problem, "bold red"))
            out.append("\n")
        out.append_text(safe(text))
        if missing:
            out.append("\nMissing: " + ", ".join(missing), style="bold yellow")
        if asks:
            out.append("\nAsks when used: ", style="dim")
            out.append_text(safe(", ".join(asks), "dim"))
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

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.filter.has_focus and self.templates:
            event.stop()  # else the list, focused now, would move its cursor too
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

    @on(TemplateList.Asked)
    def _asked(self, event: TemplateList.Asked) -> None:
        event.stop()
        if event.what == "new":
            self.post_message(self.New())
            return
        template = self.current
        if template is None:
            self.notify("No canned reply highlighted.", severity="warning")
            return
        self.post_message(self.Edit(template, here=event.what == "edit_here"))
