"""The questions a canned reply asks before it goes in (``{{ ask.item }}``: which item?).

Why one modal for all of a template's questions: the agent answers them in one go, Enter moving
on to the next; Esc cancels the whole insertion, so a half-answered template never reaches the
draft. Choices (the order's items) are picked from a list, so the item title is spelled exactly
as the shop has it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentconsole.services.records import Prompt
from agentconsole.tui import keymap
from agentconsole.tui.text import safe_line
from agentconsole.tui.widgets.key_hints import KeyHints

_PROMPT_ACTIONS = ("picker.choose", "picker.close")


class TemplatePrompts(ModalScreen[dict[str, str] | None]):
    """Dismisses with ``{prompt name: answer}``, or ``None`` when the agent pressed Esc."""

    BINDINGS = [b for b in keymap.bindings("picker") if b.id in _PROMPT_ACTIONS]

    def __init__(self, title: str, prompts: Sequence[Prompt]) -> None:
        super().__init__()
        self.title_text = title
        self.prompts = tuple(prompts)
        self.answers: dict[str, str] = {}

    def compose(self):  # type: ignore[no-untyped-def]
        with Vertical(id="prompts-box"):
            head = Text("Before it goes in: ", style="bold")
            head.append_text(safe_line(self.title_text, "bold"))
            yield Static(head, id="prompts-title")
            for index, prompt in enumerate(self.prompts):
                yield Static(safe_line(prompt.question), classes="prompt-question")
                if prompt.choices:
                    yield OptionList(
                        *[Option(safe_line(c), id=str(n)) for n, c in enumerate(prompt.choices)],
                        id=f"prompt-{index}",
                        classes="prompt-answer prompt-choices",
                    )
                else:
                    field = Input(
                        placeholder="Type the answer", id=f"prompt-{index}", classes="prompt-answer"
                    )
                    field.cursor_blink = False
                    yield field
            yield Static(
                Text("Enter: next · Esc: cancel (nothing is inserted)", style="dim"),
                id="prompts-hint",
            )
        yield KeyHints()

    def on_mount(self) -> None:
        for widget in self.query(OptionList):
            widget.highlighted = 0
        self._widget(0).focus()

    def _widget(self, index: int) -> Widget:
        return self.query_one(f"#prompt-{index}")

    def _current(self) -> int:
        focused = self.focused
        for index in range(len(self.prompts)):
            if self._widget(index) is focused:
                return index
        return 0

    def _answer(self, index: int) -> str:
        widget = self._widget(index)
        if isinstance(widget, OptionList):
            chosen = widget.highlighted
            return self.prompts[index].choices[chosen] if chosen is not None else ""
        assert isinstance(widget, Input)
        return widget.value.strip()

    def action_choose(self) -> None:
        """Take the focused question's answer; move on, or finish after the last one."""
        index = self._current()
        answer = self._answer(index)
        if not answer:
            self.notify("Answer the question first (Esc cancels).", severity="warning")
            return
        self.answers[self.prompts[index].name] = answer
        missing = [n for n, p in enumerate(self.prompts) if p.name not in self.answers]
        if not missing:
            self.dismiss(dict(self.answers))
            return
        later = [n for n in missing if n > index]
        self._widget((later or missing)[0]).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        """A click on a choice answers like Enter does."""
        event.stop()
        event.option_list.focus()
        event.option_list.highlighted = event.option_index
        self.action_choose()
