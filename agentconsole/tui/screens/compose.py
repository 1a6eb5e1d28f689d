"""The composer: To, Cc, Subject and the text of a reply, a forward or a new message.

Why the draft is saved as the agent types: a quit, a crash or a dropped SSH link must lose
nothing. Every change restarts a short timer; when typing pauses, a thread worker writes the
draft. Closing without sending saves at once, and opening the same reply again restores it.

Why header fields keep their stored value until touched: the fields show untrusted text with
control characters made visible (a pasted line break becomes ``␊``); a field the agent did not
edit is sent as stored, so the outbox's header check sees — and refuses — what is really there.

Canned replies go in at the cursor, several into one message: from the picker (its key, or
``::`` typed in the text), or from a template's own key. The head says which language they come
in, and why; the language key switches it for this conversation.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from agentconsole.display import when
from agentconsole.services.context import Services
from agentconsole.services.drafts import STATUSES_AFTER
from agentconsole.services.outbox import ReplyError
from agentconsole.services.records import (
    DraftRecord,
    LanguageChoice,
    QueuedReply,
    TemplateRecord,
)
from agentconsole.tui import keymap
from agentconsole.tui.confirm import SecondPress
from agentconsole.tui.external_editor import EditorFailed, edit_text
from agentconsole.tui.screens.template_picker import TemplatePicker
from agentconsole.tui.template_insert import (
    ReplyBody,
    ReplyContext,
    TemplateInsert,
    bind_template_keys,
    next_language,
)
from agentconsole.tui.text import editable, editable_line, safe_line
from agentconsole.tui.widgets.key_hints import KeyHints

KIND_TITLES = {
    "reply": "Reply",
    "reply_all": "Reply all",
    "forward": "Forward",
    "new": "New message",
}
FIELDS = (("to", "To"), ("cc", "Cc"), ("subject", "Subject"))
AUTOSAVE_SECONDS = 0.7
"""The draft is written once typing pauses this long."""


class ComposeScreen(Screen[QueuedReply | None]):
    """Dismisses with the queued reply once the outbox took it, or ``None`` when closed."""

    BINDINGS = keymap.bindings("compose")

    def __init__(
        self,
        services: Services,
        draft: DraftRecord,
        *,
        editor_first: bool = False,
        note: str = "",
        order_id: int | None = None,
        insert: TemplateRecord | None = None,
    ) -> None:
        """``order_id``: the order canned replies are filled with (default: the one the
        conversation is about); ``insert``: a canned reply put on top of the text once open."""
        super().__init__()
        self.services = services
        self.draft = draft
        """The draft as opened (stored header values are sent from here while untouched)."""
        self.editor_first = editor_first
        self.note = note
        self.status_after = (
            draft.status_after if draft.status_after in STATUSES_AFTER else "pending"
        )
        self.zone = ZoneInfo(services.settings.agent.timezone)
        self._shown = {name: editable_line(getattr(draft, name)) for name, _ in FIELDS}
        self._latest = replace(draft, body=editable(draft.body), status_after=self.status_after)
        """The draft as last seen on screen (kept current, so quitting can save it); the body
        as shown and sent, control characters made visible."""
        self._saved = self._fields(replace(self._latest, status_after=draft.status_after))
        """What the store holds: the draft is dirty when the screen differs from it."""
        self._save_lock = threading.Lock()
        self._finished = False
        """Sent, discarded or closed: nothing more may be saved (or a sent draft would return)."""
        self._sending = False
        self._autosave: Timer | None = None
        self._confirm = SecondPress()
        self.error = ""
        """The last reason the outbox refused this message (shown until the next change)."""
        self.order_id = order_id
        self._insert_first = insert
        self.language: LanguageChoice | None = None
        """The reply language (None: no conversation, so no canned replies)."""
        self.canned: TemplateInsert | None = None

    # -- layout ------------------------------------------------------------------------

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(self._head(), id="compose-head")
        with Vertical(id="compose-fields"):
            for name, label in FIELDS:
                with Horizontal(classes="compose-field"):
                    yield Label(label, classes="compose-label")
                    field = Input(self._shown[name], id=f"compose-{name}")
                    field.cursor_blink = False
                    yield field
        yield Static(id="compose-status")
        area = ReplyBody(
            self._latest.body, id="compose-body", soft_wrap=True, show_line_numbers=False
        )
        area.cursor_blink = False
        yield area
        yield KeyHints()

    def on_mount(self) -> None:
        self._start_canned()
        self._show_status()
        if self.draft.kind == "forward" or not self.draft.to.strip():
            self.query_one("#compose-to", Input).focus()
        elif self.draft.kind == "new" and not self.draft.subject.strip():
            self.query_one("#compose-subject", Input).focus()
        else:
            self.body.focus()
            self.body.move_cursor((0, 0))
        if self.editor_first:
            self.call_after_refresh(self.action_editor)
        if self._insert_first is not None:
            template, self._insert_first = self._insert_first, None
            self.body.focus()
            self.body.move_cursor((0, 0))  # on top of the signature and the quote
            self.call_after_refresh(self.insert_template, template)

    @property
    def body(self) -> TextArea:
        return self.query_one("#compose-body", TextArea)

    def _head(self) -> Text:
        d = self.draft
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(KIND_TITLES.get(d.kind, d.kind), "bold")
        if d.account or d.from_addr:
            out.append(" · sent from ")
            out.append_text(safe_line(d.account, "bold"))
            if d.from_addr:
                out.append(" <")
                out.append_text(safe_line(d.from_addr))
                out.append(">")
        else:
            out.append(" · no mail account to send from", "bold red")
        if self.language is not None:
            out.append(f" · reply in {self.language.language} ({self.language.source})")
        if self.note:
            out.append(f"  · {self.note}", "italic")
        elif d.restored and d.updated_at is not None:
            at = when(d.updated_at, self.services.clock.now(), self.zone)
            out.append(f"  · Draft restored from {at}", "italic")
        return out

    def _show_status(self) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        if self.error:
            out.append("Not sent: ", "bold red")
            out.append_text(safe_line(self.error, "red"))
        else:
            out.append("After sending:", "dim")
            for status in STATUSES_AFTER:
                chosen = status == self.status_after
                out.append("  ")
                out.append(f"{'◉' if chosen else '○'} {status}", "bold" if chosen else "dim")
            key = keymap.key_for("compose.status_after", self.services.settings.keys)
            out.append(f"   ({key} changes)", "dim")
        self.query_one("#compose-status", Static).update(out)

    # -- the draft ---------------------------------------------------------------------

    @staticmethod
    def _fields(draft: DraftRecord) -> tuple[str, ...]:
        return (draft.to, draft.cc, draft.subject, draft.body, draft.status_after)

    def _field(self, name: str) -> str:
        value = self.query_one(f"#compose-{name}", Input).value
        return getattr(self.draft, name) if value == self._shown[name] else value

    def current(self) -> DraftRecord:
        """The draft as it stands on screen."""
        return replace(
            self.draft,
            to=self._field("to"),
            cc=self._field("cc"),
            subject=self._field("subject"),
            body=self.body.text,
            status_after=self.status_after,
        )

    @property
    def dirty(self) -> bool:
        """Changed since opened or last saved."""
        return self._fields(self._latest) != self._saved

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        self._latest = self.current()
        if self.error:
            self.error = ""
            self._show_status()
        if self._finished or not self.dirty:
            return
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_SECONDS, self._autosave_now)

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def _autosave_now(self) -> None:
        self._autosave = None
        if not self._finished and self.dirty:
            self.save_draft(self._latest)

    @work(thread=True, group="draft-save", exit_on_error=False)
    def save_draft(self, draft: DraftRecord) -> None:
        """Write the draft; never after it was sent or thrown away."""
        with self._save_lock:
            if self._finished:
                return
            self.services.drafts.save(self.services.agent, draft)
            # What the store holds now; ``_latest`` stays what the screen shows (the agent may
            # have typed on while this thread wrote).
            self._saved = self._fields(draft)

    def keep(self) -> bool:
        """Save now if anything changed and stop saving; True when a draft is left in the store."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        with self._save_lock:
            if self._finished:
                return False
            self._finished = True
            changed = self.dirty
            if changed:
                self.services.drafts.save(self.services.agent, self._latest)
            return changed or self.draft.restored

    def on_unmount(self) -> None:
        self.keep()  # the console is quitting with the composer open

    # -- actions -----------------------------------------------------------------------

    def action_cancel(self) -> None:
        kept = self.keep()
        self.dismiss(None)
        if kept:
            self.app.notify("Draft kept.")

    def action_discard(self) -> None:
        if not self._confirm.armed("discard"):
            key = keymap.key_for("compose.discard", self.services.settings.keys)
            self.notify(f"Press {key} again to throw this draft away.", severity="warning")
            return
        if self._autosave is not None:
            self._autosave.stop()
        with self._save_lock:
            self._finished = True
            self.services.drafts.discard(self.services.agent, self.draft.key)
        self.dismiss(None)
        self.app.notify("Draft discarded.")

    def action_cycle_status(self) -> None:
        index = STATUSES_AFTER.index(self.status_after)
        self.status_after = STATUSES_AFTER[(index + 1) % len(STATUSES_AFTER)]
        self._show_status()
        self._changed()

    def action_send(self) -> None:
        if self._sending or self._finished:
            return
        self._sending = True
        self.send(self.current())

    @work(thread=True, group="send", exit_on_error=False)
    def send(self, draft: DraftRecord) -> None:
        """Queue the message (it waits out the undo window in the outbox)."""
        try:
            with self._save_lock:
                queued = self.services.outbox.queue(self.services.agent, draft)
                self._finished = True
        except ReplyError as exc:
            self.app.call_from_thread(self._refused, str(exc))
        except Exception as exc:  # noqa: BLE001 — shown; the composer and its draft stay
            self.app.call_from_thread(self._refused, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self._queued, queued)

    def _refused(self, reason: str) -> None:
        self._sending = False
        self.error = reason
        self._show_status()
        self.notify(reason, title="Not sent", severity="error", markup=False)

    def _queued(self, queued: QueuedReply) -> None:
        if self._autosave is not None:
            self._autosave.stop()
        self.dismiss(queued)

    # -- $EDITOR -----------------------------------------------------------------------

    def action_editor(self) -> None:
        """Hand the terminal to ``$VISUAL`` / ``$EDITOR`` (else ``vi``) on the text, read it back."""
        try:
            text = edit_text(self.app, self.body.text)
        except EditorFailed as exc:
            self._editor_failed(str(exc))
            return
        self.body.load_text(editable(text))
        self.body.focus()
        self._changed()

    def _editor_failed(self, reason: str) -> None:
        self.notify(reason, title="Editor", severity="error", markup=False)

    # -- canned replies ----------------------------------------------------------------

    def _start_canned(self) -> None:
        """Canned replies are filled for a conversation; a new message has none."""
        conversation_id = self.draft.conversation_id
        body = self.body
        assert isinstance(body, ReplyBody)
        body.canned = conversation_id is not None
        bind_template_keys(self, self.services, "template_key")
        if conversation_id is None:
            return
        replies = self.services.replies
        if self.order_id is None:
            self.order_id = replies.relevant_order(conversation_id)
        self.language = replies.language(conversation_id)
        self.canned = TemplateInsert(
            self, self.services, ReplyContext(conversation_id, self.order_id), lambda: self.body
        )
        self.query_one("#compose-head", Static).update(self._head())

    def _canned_ready(self) -> TemplateInsert | None:
        if self.canned is None:
            self.notify("Canned replies need a conversation.", severity="warning")
        return self.canned

    def _language_changed(self, choice: LanguageChoice) -> None:
        self.language = choice
        self.query_one("#compose-head", Static).update(self._head())

    def insert_template(self, template: TemplateRecord) -> None:
        """Put ``template`` in at the cursor, in the reply language (asking its questions)."""
        canned = self._canned_ready()
        if canned is None or self.language is None:
            return
        canned.run(template, self.language.language)

    def action_pick_template(self) -> None:
        conversation_id = self.draft.conversation_id
        if self._canned_ready() is None or conversation_id is None:
            return

        def chosen(template: TemplateRecord | None) -> None:
            # The picker may have switched the language for this conversation.
            self._language_changed(self.services.replies.language(conversation_id))
            if template is None:
                self.body.focus()
                return
            self.insert_template(template)

        self.app.push_screen(TemplatePicker(self.services, conversation_id, self.order_id), chosen)

    @on(ReplyBody.Trigger)
    def _typed_trigger(self) -> None:
        self.action_pick_template()

    def action_switch_language(self) -> None:
        conversation_id = self.draft.conversation_id
        if self._canned_ready() is None or conversation_id is None or self.language is None:
            return
        language = next_language(self.language)
        if language is None:
            self.notify("The knowledge base has no other language.", severity="warning")
            return
        self._language_changed(self.services.replies.set_language(conversation_id, language))

    def action_template_key(self, key: str) -> None:
        """A template's own key: that template, straight in at the cursor."""
        translations = self.services.knowledge.translations(key)
        if not translations:
            self.notify(f"The template {key} is gone.", severity="warning", markup=False)
            return
        self.insert_template(translations[0])
