"""Putting a canned reply into the text being written, the one way every entry point uses
(the picker, ``::``, a template's own key, the replies pane).

The way: the template in the reply language → its questions, if it has any → filled for this
conversation and order → inserted at the cursor. Why a template with a missing value is not
inserted at all: a blank where the tracking link should be reads as a promise kept; the agent
is told which value is missing and the draft stays as it was. A broken or unsafe template is
refused the same way, with the renderer's one-line reason.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, TextArea

from agentconsole.services.context import Services
from agentconsole.services.knowledge import KnowledgeError
from agentconsole.services.records import LanguageChoice, TemplateRecord
from agentconsole.services.template_terms import TemplateProblem
from agentconsole.tui import keymap
from agentconsole.tui.screens.template_prompts import TemplatePrompts
from agentconsole.tui.text import editable, safe_line
from agentconsole.untrusted import one_line

SOURCES = {
    "detected": "detected from the customer's message",
    "agent": "chosen by you for this conversation",
    "customer": "the customer's language",
    "shop": "the shop's language",
}
"""Why a reply is in the language it is in, for the picker's language line."""

TRIGGER = ":"
"""Typed twice in the text, it opens the picker (as in Zammad)."""


# -- language ---------------------------------------------------------------------------


def language_line(choice: LanguageChoice) -> Text:
    """``de (detected from the customer's message)``."""
    out = safe_line(choice.language, "bold")
    out.append(f" ({SOURCES.get(choice.source, choice.source)})")
    return out


def next_language(choice: LanguageChoice) -> str | None:
    """The language after the current one among those the knowledge base has."""
    others = [lang for lang in choice.available if lang != choice.language]
    if not others:
        return None
    if choice.language not in choice.available:
        return others[0]
    index = choice.available.index(choice.language)
    return choice.available[(index + 1) % len(choice.available)]


# -- templates --------------------------------------------------------------------------


def per_template(records: Iterable[TemplateRecord]) -> list[list[TemplateRecord]]:
    """Translations grouped by template id, in the order the first of each came."""
    groups: dict[str, list[TemplateRecord]] = {}
    for record in records:
        groups.setdefault(record.key, []).append(record)
    return list(groups.values())


def values_missing(missing: Iterable[str], asked: Iterable[str] = ()) -> list[str]:
    """The missing values, less the answers the agent will be asked for (``asked``: prompt
    names) before the template goes in."""
    questions = {f"ask.{name}" for name in asked}
    return [name for name in missing if name not in questions]


def names(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def not_inserted_missing(title: str, missing: list[str]) -> str:
    return (
        f"Not inserted: “{one_line(title)}” needs {one_line(names(missing))}"
        " — this conversation has none"
    )


@dataclass(frozen=True)
class ReplyContext:
    """What a canned reply is filled for: the conversation, and the order in view."""

    conversation_id: int
    order_id: int | None


class TemplateInsert:
    """Runs the way from a chosen template to text in ``body``, on behalf of ``screen``."""

    def __init__(
        self,
        screen: Screen[Any],
        services: Services,
        context: ReplyContext,
        body: Callable[[], TextArea],
    ) -> None:
        self.screen = screen
        self.services = services
        self.context = context
        self._body = body

    def run(self, template: TemplateRecord, language: str) -> None:
        """Insert ``template`` (its translation for ``language``), asking its questions first."""
        replies = self.services.replies
        if not self.services.knowledge.translations(template.key):
            self._refuse(f"Not inserted: the template {template.key} is gone")
            return
        chosen = replies.in_language(template, language)
        prompts = replies.prompts(chosen, self.context.order_id)
        if not prompts:
            self.finish(chosen, {})
            return

        def answered(answers: dict[str, str] | None) -> None:
            if answers is None:  # Esc: nothing goes in
                self._body().focus()
                return
            self.finish(chosen, answers)

        self.screen.app.push_screen(TemplatePrompts(chosen.title, prompts), answered)

    def finish(self, template: TemplateRecord, answers: Mapping[str, str]) -> bool:
        """Fill and insert; False (and the agent told why) when it cannot go in."""
        body = self._body()
        try:
            filled = self.services.replies.fill(
                template,
                self.context.conversation_id,
                order_id=self.context.order_id,
                answers=answers,
            )
        except TemplateProblem as exc:
            self._refuse(f"Not inserted: the template is broken: {one_line(str(exc))}")
            return False
        except KnowledgeError as exc:
            self._refuse(f"Not inserted: {one_line(str(exc))}")
            return False
        if filled.missing:
            self._refuse(not_inserted_missing(filled.title or template.title, list(filled.missing)))
            return False
        insert_at_cursor(body, editable(filled.text))
        body.focus()
        return True

    def _refuse(self, message: str) -> None:
        self.screen.notify(message, title="Canned reply", severity="error", markup=False)
        self._body().focus()


def insert_at_cursor(body: TextArea, text: str) -> None:
    """One line goes in like typed text; a paragraph gets a blank line from the words before
    and after the cursor, which stay as they were. The cursor ends after the insertion."""
    text = text.strip("\n")
    if not text:
        return
    top, bottom = sorted(body.selection)
    before = body.document.get_line(top[0])[: top[1]]
    after = body.document.get_line(bottom[0])[bottom[1] :]
    paragraph = "\n" in text
    if paragraph and before.strip():
        text = "\n\n" + text
    tail = paragraph and bool(after.strip())
    result = body.replace(text + ("\n\n" if tail else ""), top, bottom)
    end = result.end_location
    if tail:
        end = (end[0] - 2, len(body.document.get_line(end[0] - 2)))
    body.move_cursor(end)


# -- the body and ``::`` ---------------------------------------------------------------


class ReplyBody(TextArea):
    """The composer's text; typing ``::`` asks for the picker.

    Why on the key and not on the text: only the agent typing counts. Undo, redo, a paste or
    a template that contains ``::`` change the text without a key press, and must not open it.
    """

    class Trigger(Message):
        """The agent typed ``::``; both characters are already gone from the text."""

    canned = True
    """Whether ``::`` opens the picker (a draft without a conversation has no canned replies)."""

    def on_key(self, event: events.Key) -> None:
        if not self.canned or self.read_only or event.character != TRIGGER:
            return
        start, end = self.selection
        row, column = end
        if start != end or column == 0:
            return
        if self.document.get_line(row)[column - 1] != TRIGGER:
            return
        event.stop()
        event.prevent_default()  # the second ":" never goes in
        self.delete((row, column - 1), (row, column), maintain_selection_offset=False)
        self.post_message(self.Trigger())


# -- a template's own key --------------------------------------------------------------

_FUNCTION_KEY = re.compile(r"f\d{1,2}")
_warned: weakref.WeakKeyDictionary[App[Any], set[str]] = weakref.WeakKeyDictionary()
"""Refused template keys already told about, per console run."""


def composer_keys(overrides: Mapping[str, str]) -> dict[str, str]:
    """Keys the composer already uses, and for what: its actions (with the agent's
    overrides), the app's, and the text fields' editing keys."""
    taken: dict[str, str] = {}
    for cls, what in ((TextArea, "text editing"), (Input, "text editing"), (App, "the console")):
        for klass in reversed(cls.__mro__):
            for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", ())):
                for key in binding.key.split(","):
                    taken[key.strip()] = what
    taken[App.COMMAND_PALETTE_BINDING] = "the command palette"
    for action in keymap.ACTIONS:
        if action.scope in ("compose", "app"):
            for key in overrides.get(action.id, action.keys).split(","):
                taken[key.strip()] = action.description
    return taken


def typing_key(key: str) -> bool:
    """Keys that type a character or move in text (no modifier, or only shift)."""
    *modifiers, name = key.split("+")
    return not (set(modifiers) - {"shift"}) and not _FUNCTION_KEY.fullmatch(name)


def template_keys(
    templates: Iterable[TemplateRecord], overrides: Mapping[str, str]
) -> tuple[dict[str, TemplateRecord], list[str]]:
    """Which key inserts which template, and why the others got none."""
    taken = composer_keys(overrides)
    bound: dict[str, TemplateRecord] = {}
    refused: list[str] = []
    for template in templates:
        key = template.hotkey
        owner = bound.setdefault(key, template) if key else template
        if owner.key != template.key:
            refused.append(f"{key} is already the key of {owner.key}, not also {template.key}")
    for key in list(bound):
        why = taken.get(key) or ("typing" if typing_key(key) else "")
        if why:
            refused.append(f"{key} of {bound.pop(key).key} is taken ({why})")
    return bound, list(dict.fromkeys(refused))


def bind_template_keys(screen: Screen[Any], services: Services, action: str) -> int:
    """Bind each template's key on ``screen`` to ``action('<template id>')``; keys the
    composer needs are skipped, with one warning per console run. Returns how many bound.

    Textual 8 has no public call to add a binding to a live screen (textual#1410); the
    screen's own ``BindingsMap.bind`` is the narrow way in, and the bindings have priority so
    the key works while the text has the focus.
    """
    bound, refused = template_keys(services.knowledge.all(), services.settings.keys)
    for key, template in sorted(bound.items()):
        screen._bindings.bind(key, f"{action}({template.key!r})", show=False, priority=True)
    if bound:
        screen.refresh_bindings()
    warned = _warned.setdefault(screen.app, set())
    fresh = [r for r in refused if r not in warned]
    if fresh:
        warned.update(fresh)
        screen.notify(
            "Template keys not bound: " + "; ".join(one_line(r) for r in fresh),
            title="Canned replies",
            severity="warning",
            markup=False,
        )
    return len(bound)
