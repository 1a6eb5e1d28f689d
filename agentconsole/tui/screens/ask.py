"""One question before a triage action: a snooze time, an assignee, tags, a note, a target.

Why one small modal for all of them: the agent types (or picks from a short list), sees at once
what the answer will do — the exact wake time of a snooze, the conversation a merge joins —
and confirms with Enter; Esc changes nothing. A ``check`` function turns the text into that
preview line or into an error, so a wrong answer is explained before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from agentconsole.tui.text import safe_line
from agentconsole.tui.widgets.key_hints import KeyHints


@dataclass(frozen=True)
class Answer:
    text: str
    toggle: bool = False
    """The state of the question's switch (e.g. "a customer reply ends the snooze")."""


Check = Callable[[str, bool], str]
"""``(text, toggle) → preview line``; raises ``ValueError`` with the problem."""


class AskScreen(ModalScreen[Answer | None]):
    """Dismisses with the ``Answer``, or ``None`` on Esc."""

    BINDINGS = [
        Binding("escape", "close", "Cancel", priority=True),
        Binding("ctrl+t", "toggle", "Switch", priority=True, show=False),
        Binding("f2", "done", "Done", priority=True, show=False),
    ]

    def __init__(
        self,
        title: str,
        *,
        placeholder: str = "",
        value: str = "",
        choices: Sequence[tuple[str, str]] = (),
        check: Check | None = None,
        toggle: tuple[str, bool] | None = None,
        multiline: bool = False,
    ) -> None:
        """``choices``: (value, label) pairs offered under the field, filtered as one types;
        ``toggle``: (label, initial) of a switch flipped with ctrl+t."""
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.initial = value
        self.choices = tuple(choices)
        self.check = check
        self.toggle_label, self.toggle_on = toggle if toggle else ("", False)
        self.has_toggle = toggle is not None
        self.multiline = multiline

    def compose(self):  # type: ignore[no-untyped-def]
        with Vertical(id="ask-box"):
            yield Static(safe_line(self.title_text, "bold"), id="ask-title")
            if self.multiline:
                area = TextArea(self.initial, id="ask-text", soft_wrap=True)
                area.cursor_blink = False
                yield area
            else:
                field = Input(value=self.initial, placeholder=self.placeholder, id="ask-field")
                field.cursor_blink = False
                yield field
            if self.choices:
                yield OptionList(id="ask-choices")
            if self.has_toggle:
                yield Static(id="ask-toggle")
            yield Static(id="ask-preview")
            keys = "F2: done" if self.multiline else "Enter: done"
            hint = f"{keys} · Esc: cancel" + (" · ctrl+t: switch" if self.has_toggle else "")
            yield Static(Text(hint, style="dim"), id="ask-hint")
        yield KeyHints()

    def on_mount(self) -> None:
        self._fill_choices(self.initial)
        self._show_toggle()
        self._preview()
        (self.query_one("#ask-text") if self.multiline else self.query_one("#ask-field")).focus()

    # -- what the answer will do ------------------------------------------------------------

    def _text(self) -> str:
        if self.multiline:
            return self.query_one("#ask-text", TextArea).text
        return self.query_one("#ask-field", Input).value

    def _preview(self) -> str | None:
        """Show what the typed answer does (or what is wrong); the error, if any."""
        preview = self.query_one("#ask-preview", Static)
        if self.check is None:
            preview.update("")
            return None
        try:
            line = self.check(self._choice_or_text(), self.toggle_on)
        except ValueError as exc:
            preview.update(Text(str(exc), style="bold red"))
            return str(exc)
        preview.update(Text(line, style="green"))
        return None

    def _show_toggle(self) -> None:
        if self.has_toggle:
            mark = "[x]" if self.toggle_on else "[ ]"
            self.query_one("#ask-toggle", Static).update(Text(f"{mark} {self.toggle_label}"))

    def _fill_choices(self, typed: str) -> None:
        if not self.choices:
            return
        words = typed.lower().split()

        def fits(value: str, label: str) -> bool:
            """Every typed word starts a word of the choice ("tom" → "tomorrow 9:00")."""
            have = f"{value} {label}".lower().split()
            return all(any(h.startswith(w) for h in have) for w in words)

        shown = [(value, label) for value, label in self.choices if fits(value, label)]
        options = self.query_one("#ask-choices", OptionList)
        options.clear_options()
        options.add_options([Option(safe_line(label), id=value) for value, label in shown])
        options.highlighted = 0 if shown else None

    def _choice_or_text(self) -> str:
        """The text when it names a choice exactly (or nothing in the list fits), else the
        highlighted choice: "tom" + Enter picks "tomorrow 9:00"."""
        typed = self._text().strip()
        if not self.choices or typed.lower() in {v.lower() for v, _ in self.choices}:
            return typed
        options = self.query_one("#ask-choices", OptionList)
        if options.highlighted is not None and options.option_count:
            return options.get_option_at_index(options.highlighted).id or typed
        return typed

    # -- keys ---------------------------------------------------------------------------

    @on(Input.Changed, "#ask-field")
    def _typed(self, event: Input.Changed) -> None:
        self._fill_choices(event.value)
        self._preview()

    @on(TextArea.Changed, "#ask-text")
    def _typed_area(self) -> None:
        self._preview()

    def on_key(self, event: object) -> None:
        """Up/down move through the choices while the field keeps the focus."""
        key = getattr(event, "key", "")
        if self.choices and key in ("down", "up") and not self.multiline:
            options = self.query_one("#ask-choices", OptionList)
            if key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            self._preview()
            getattr(event, "stop", lambda: None)()

    @on(Input.Submitted, "#ask-field")
    def _submitted(self) -> None:
        self.action_done()

    @on(OptionList.OptionSelected, "#ask-choices")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#ask-choices", OptionList).highlighted = event.option_index
        self.action_done()

    def action_toggle(self) -> None:
        if self.has_toggle:
            self.toggle_on = not self.toggle_on
            self._show_toggle()
            self._preview()

    def action_done(self) -> None:
        problem = self._preview()
        if problem is not None:
            self.notify(problem, severity="warning", markup=False)
            return
        text = self._choice_or_text()
        if not text and self.check is None:
            self.dismiss(None)
            return
        self.dismiss(Answer(text, self.toggle_on))

    def action_close(self) -> None:
        self.dismiss(None)
