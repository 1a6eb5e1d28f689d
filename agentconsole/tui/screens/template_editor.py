"""Editing a knowledge-base file inside the console: front matter and template text, whole.

Why the whole file rather than a form: it is what the shop keeps in git and edits elsewhere,
so what the agent sees here is exactly what is saved. F2 hands the text to the knowledge
service, which checks it (front matter fields, Jinja syntax, known variables) before writing
anything; a refusal is shown on screen and the text stays, so nothing typed is lost.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.screen import Screen
from textual.widgets import Static, TextArea

from agentconsole.services.context import Services
from agentconsole.services.knowledge import KnowledgeError
from agentconsole.services.records import TemplateRecord
from agentconsole.services.template_terms import VARIABLES
from agentconsole.tui import keymap
from agentconsole.tui.confirm import SecondPress
from agentconsole.tui.external_editor import EditorFailed, edit_text
from agentconsole.tui.text import editable, safe_line
from agentconsole.tui.widgets.key_hints import KeyHints
from agentconsole.untrusted import neutralise

FIELDS_HINT = (
    "Front matter between --- lines (id, title, language, category, tags, key, ask), "
    "then the reply text (Jinja2)."
)


def variables_help() -> Text:
    """The names a template may use, grouped: the help line under the header."""
    out = Text(style="dim")
    out.append("Variables  ", "bold")
    for group, names in VARIABLES.items():
        out.append(f"{group}.", "bold")
        out.append("{" + ", ".join(names) + "}  ")
    out.append("ask.", "bold")
    out.append("<name> (declared under ask:)  ")
    out.append("today", "bold")
    return out


class TemplateEditorScreen(Screen[TemplateRecord | None]):
    """Dismisses with the saved template, or ``None`` when closed without saving."""

    BINDINGS = keymap.bindings("kbedit")

    def __init__(self, services: Services, text: str, path: Path | None = None) -> None:
        super().__init__()
        self.services = services
        self.path = path
        """The file being edited; ``None`` for a new one (named after its id and language)."""
        self.original = editable(text)
        self.altered = neutralise(text) != text.replace("\r\n", "\n")
        """The file holds control characters: they are shown (and would be saved) visibly."""
        self.error = ""
        """Why the last save was refused (shown until the text changes)."""
        self._saving = False
        self._confirm = SecondPress()

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(self._head(), id="kbedit-head")
        yield Static(variables_help(), id="kbedit-help")
        yield Static(id="kbedit-status")
        area = TextArea(self.original, id="kbedit-body", soft_wrap=True, show_line_numbers=True)
        area.cursor_blink = False
        yield area
        yield KeyHints()

    def on_mount(self) -> None:
        self._show_status()
        self.body.focus()
        self.body.move_cursor((0, 0))

    @property
    def body(self) -> TextArea:
        return self.query_one("#kbedit-body", TextArea)

    @property
    def dirty(self) -> bool:
        return self.body.text != self.original

    def _head(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        if self.path is None:
            out.append("New template", "bold")
            out.append(" · new file, saved as <id>.<language>.md in ")
            out.append_text(safe_line(str(self.services.knowledge.folder)))
            return out
        out.append("Edit template", "bold")
        out.append(" · ")
        try:
            shown = self.path.relative_to(self.services.knowledge.folder).as_posix()
            out.append_text(safe_line(shown, "bold"))
            out.append(" in ")
            out.append_text(safe_line(str(self.services.knowledge.folder)))
        except ValueError:
            out.append_text(safe_line(str(self.path), "bold"))
        return out

    def _show_status(self) -> None:
        out = Text()
        if self.error:
            out.append("Not saved: ", "bold red")
            out.append_text(safe_line(self.error, "red"))
            out.no_wrap = False
        elif self.altered:
            key = keymap.key_for("kbedit.editor", self.services.settings.keys)
            out.append(
                "This file holds control characters: shown as ␛, ␍ … and saved that way. "
                f"{key} edits it in $EDITOR instead.",
                "bold yellow",
            )
        else:
            out.append(FIELDS_HINT, "dim")
        self.query_one("#kbedit-status", Static).update(out)

    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self.error:
            self.error = ""
            self._show_status()

    # -- actions -----------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        self.save_file(self.body.text)

    @work(thread=True, exclusive=True, group="kb-save", exit_on_error=False)
    def save_file(self, text: str) -> None:
        """Checked and written by the knowledge service (nothing written when refused)."""
        try:
            record = self.services.knowledge.save_text(text, self.path)
        except KnowledgeError as exc:
            self.app.call_from_thread(self._refused, str(exc))
        except OSError as exc:
            self.app.call_from_thread(self._refused, f"cannot write: {exc.strerror or exc}")
        else:
            self.app.call_from_thread(self.dismiss, record)

    def _refused(self, reason: str) -> None:
        self._saving = False
        self.error = reason
        self._show_status()

    def action_cancel(self) -> None:
        if self.dirty and not self._confirm.armed("cancel"):
            key = keymap.key_for("kbedit.cancel", self.services.settings.keys)
            self.notify(
                f"The changes are not saved. Press {key} again to close without saving.",
                severity="warning",
            )
            return
        self.dismiss(None)

    def action_editor(self) -> None:
        """The text through ``$EDITOR`` and back (saved only with F2, checked as always)."""
        name = self.path.name if self.path is not None else "new-template.md"
        try:
            text = edit_text(self.app, self.body.text, name)
        except EditorFailed as exc:
            self.notify(str(exc), title="Editor", severity="error", markup=False)
            return
        self.body.load_text(editable(text))
        self.body.focus()
        self._changed()
