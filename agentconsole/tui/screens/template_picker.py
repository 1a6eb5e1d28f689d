"""The canned-reply picker: find a template by typing a few letters, see it filled for this
conversation, and insert it with Enter.

Why it previews the filled text, not the template: the agent must see what the customer will
read, and whether it can go in at all (a value this conversation lacks, a broken template)
before choosing it. Why the language is shown and switched here: the customer reads the reply,
so the translation follows the customer's language, and a wrong guess is one key away from fixed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentconsole.services.context import Services
from agentconsole.services.records import LanguageChoice, TemplateRecord
from agentconsole.services.template_terms import TemplateProblem
from agentconsole.tui import keymap
from agentconsole.tui.template_insert import (
    language_line,
    next_language,
    per_template,
    values_missing,
)
from agentconsole.tui.text import safe, safe_line
from agentconsole.tui.widgets.key_hints import KeyHints


def searchable(template: TemplateRecord) -> str:
    """What the fuzzy filter looks at: id, title, tags and category."""
    return f"{template.key} {template.title} {' '.join(template.tags)} {template.category}"


def score(matcher: Matcher, template: TemplateRecord) -> float:
    """How well the typed letters match; the id counts twice, its words split at ``-`` so
    ``wimo`` finds ``where-is-my-order`` first (the matcher favours word starts)."""
    found = matcher.match(searchable(template))
    return found and found + matcher.match(template.key.replace("-", " "))


def row(template: TemplateRecord) -> Text:
    """One list row: language, title, id, key and ⚠ when the file has problems."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f"{template.language}  ", "dim")
    out.append_text(safe_line(template.title))
    out.append("  ")
    out.append_text(safe_line(template.key, "dim"))
    if template.hotkey:
        out.append("  ")
        out.append_text(safe_line(keymap.key_label(template.hotkey), "bold"))
    if template.problems:
        out.append("  ⚠", "bold yellow")
    return out


class TemplatePicker(ModalScreen[TemplateRecord | None]):
    """Dismisses with the chosen template (in the reply language), or ``None``."""

    BINDINGS = [
        *keymap.bindings("picker"),
        # The filter keeps the focus; the arrows move through the list meanwhile.
        Binding("down", "cursor(1)", show=False, priority=True),
        Binding("up", "cursor(-1)", show=False, priority=True),
    ]

    def __init__(self, services: Services, conversation_id: int, order_id: int | None) -> None:
        super().__init__()
        self.services = services
        self.conversation_id = conversation_id
        self.order_id = order_id
        self.choice: LanguageChoice = services.replies.language(conversation_id)
        self.candidates: list[TemplateRecord] = []
        """One entry per template, in the reply language where it exists."""
        self.shown: list[TemplateRecord] = []
        """The candidates the filter lets through, best match first."""

    def compose(self):  # type: ignore[no-untyped-def]
        with Vertical(id="picker-box"):
            yield Static(Text("Canned reply", style="bold"), id="picker-title")
            field = Input(placeholder="Type to filter: id, title, tags…", id="picker-filter")
            field.cursor_blink = False
            yield field
            yield OptionList(id="picker-list")
            yield Static(id="picker-language")
            with VerticalScroll(id="picker-preview-box"):
                yield Static(id="picker-preview")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#picker-list", OptionList).can_focus = False
        self._load()
        self.query_one("#picker-filter", Input).focus()

    # -- the list ----------------------------------------------------------------------

    def _load(self, keep: str | None = None) -> None:
        knowledge = self.services.knowledge
        language = self.choice.language
        candidates = [
            knowledge.pick(translations, language)
            for translations in per_template(knowledge.templates("", language))
        ]
        # Before anything is typed, the templates that fit what the customer wrote come first.
        suggested = [t.key for t in self.services.replies.suggestions(self.conversation_id)]
        rank = {key: n for n, key in enumerate(suggested)}
        self.candidates = sorted(candidates, key=lambda t: rank.get(t.key, len(rank)))
        self._show_language()
        self._filter(self.query_one("#picker-filter", Input).value, keep)

    def _filter(self, typed: str, keep: str | None = None) -> None:
        if typed.strip():
            matcher = Matcher(typed.strip())
            scored = [(score(matcher, t), n, t) for n, t in enumerate(self.candidates)]
            self.shown = [t for score, _, t in sorted(scored, key=lambda s: (-s[0], s[1])) if score]
        else:
            self.shown = list(self.candidates)
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        options.add_options([Option(row(t), id=str(t.id)) for t in self.shown])
        if not self.shown:
            self._preview(None)
            return
        keys = [t.key for t in self.shown]
        options.highlighted = keys.index(keep) if keep in keys else 0

    @property
    def highlighted(self) -> TemplateRecord | None:
        index = self.query_one("#picker-list", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(Input.Changed, "#picker-filter")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    @on(OptionList.OptionHighlighted, "#picker-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._preview(self.highlighted)

    @on(OptionList.OptionSelected, "#picker-list")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    # -- the preview and the language ----------------------------------------------------

    def _show_language(self) -> None:
        key = keymap.key_for("picker.language", self.services.settings.keys)
        out = Text("Language: ", style="dim")
        out.append_text(language_line(self.choice))
        out.append(f" · {key} to switch", "dim")
        self.query_one("#picker-language", Static).update(out)

    def _preview(self, template: TemplateRecord | None) -> None:
        preview = self.query_one("#picker-preview", Static)
        if template is None:
            preview.update(Text("No canned reply matches.", style="dim"))
            return
        replies = self.services.replies
        out = Text()
        for problem in template.problems:
            out.append("⚠ ", "bold yellow")
            out.append_text(safe_line(problem, "yellow"))
            out.append("\n")
        try:
            filled = replies.fill(template, self.conversation_id, order_id=self.order_id)
        except TemplateProblem as exc:
            out.append("Cannot be inserted, the template is broken: ", "bold red")
            out.append_text(safe_line(str(exc), "red"))
            preview.update(out)
            return
        prompts = replies.prompts(template, self.order_id)
        missing = values_missing(filled.missing, (p.name for p in prompts))
        if missing:
            out.append("Missing: ", "bold yellow")
            out.append_text(safe_line(", ".join(missing), "bold yellow"))
            out.append("\n")
        if prompts:
            out.append("asks: ", "italic")
            out.append_text(safe_line(" · ".join(p.question for p in prompts), "italic"))
            out.append("\n")
        if out.plain:
            out.append("\n")
        out.append_text(safe(filled.text))
        preview.update(out)
        self.query_one("#picker-preview-box", VerticalScroll).scroll_home(animate=False)

    # -- actions -----------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_choose(self) -> None:
        template = self.highlighted
        if template is None:
            self.notify("No canned reply matches.", severity="warning")
            return
        self.dismiss(template)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_switch_language(self) -> None:
        """The next language the knowledge base has; kept for this conversation."""
        language = next_language(self.choice)
        if language is None:
            self.notify("The knowledge base has no other language.", severity="warning")
            return
        current = self.highlighted
        self.choice = self.services.replies.set_language(self.conversation_id, language)
        self._load(keep=current.key if current else None)
