"""The outbox: every reply not sent yet, newest first, and what the agent can do about each.

Retry, take back, cancel, and for a reply whose delivery is in doubt (the connection dropped
after the server was handed the message) send again or mark sent — all through the outbox
service. The list follows the store's change counter, so the sender's progress shows by itself.
Dismisses with the draft of a reply taken back (the main screen opens it in the composer).
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.screen import Screen
from textual.widgets import DataTable, Static

from agentconsole.display import when
from agentconsole.services.context import Services
from agentconsole.services.outbox import OPEN_STATES, ReplyError
from agentconsole.services.records import DraftRecord, OutboxEntry
from agentconsole.tui import keymap
from agentconsole.tui.confirm import SecondPress
from agentconsole.tui.outbox_text import describe, server_words
from agentconsole.tui.text import safe, safe_line
from agentconsole.tui.widgets.key_hints import KeyHints

TICK_SECONDS = 1.0
COLUMNS = ("State", "To", "Subject", "Tries", "Next try", "Last error")
_TONE_STYLES = {
    "waiting": "",
    "sending": "cyan",
    "problem": "bold red",
    "doubt": "bold yellow",
    "done": "dim",
}


class OutboxScreen(Screen[DraftRecord | None]):
    BINDINGS = keymap.bindings("outbox")

    def __init__(self, services: Services, wake: Callable[[], None]) -> None:
        super().__init__()
        self.services = services
        self.wake = wake
        self.zone = ZoneInfo(services.settings.agent.timezone)
        self.entries: list[OutboxEntry] = []
        self._version = -1
        self._confirm = SecondPress()
        self.table: DataTable[Text] = DataTable(
            id="outbox-table", cursor_type="row", zebra_stripes=True
        )

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="outbox-head")
        yield self.table
        yield Static(id="outbox-detail")
        yield KeyHints()

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.load()
        self.table.focus()
        self.set_interval(TICK_SECONDS, self._tick, name="outbox-tick")

    # -- store → table -----------------------------------------------------------------

    def load(self) -> None:
        """Re-read the open entries, keeping the cursor on the same reply."""
        self._version = self.services.store.change_counter()
        keep = self.selected.id if self.selected else None
        self.entries = self.services.outbox.entries(states=OPEN_STATES)
        self._draw(keep)

    def _tick(self) -> None:
        if self.services.store.change_counter() != self._version:
            self.load()
        elif any(e.state == "queued" for e in self.entries):
            self._draw(self.selected.id if self.selected else None)  # countdowns

    def _draw(self, keep: int | None) -> None:
        now = self.services.clock.now()
        keys = self.services.settings.keys
        self.table.clear()
        row = 0
        for i, entry in enumerate(self.entries):
            sentence, tone = describe(entry, now, self.zone, keys)
            state = entry.state if entry.state != "unknown" else "in doubt"
            next_try = (
                when(entry.send_after, now, self.zone) if entry.state in ("queued", "retry") else ""
            )
            self.table.add_row(
                Text(state, style=_TONE_STYLES.get(tone, "")),
                safe_line(entry.to),
                safe_line(entry.subject),
                Text(str(entry.attempts)),
                Text(next_try),
                safe_line(server_words(entry)),
                key=str(entry.id),
            )
            if entry.id == keep:
                row = i
        if self.entries:
            self.table.move_cursor(row=row, animate=False)
        head = Text(" Outbox", style="bold")
        head.append(
            f" · {len(self.entries)} not sent yet" if self.entries else " · nothing waiting",
            "dim",
        )
        self.query_one("#outbox-head", Static).update(head)
        self._show_detail()

    @property
    def selected(self) -> OutboxEntry | None:
        row = self.table.cursor_row
        return self.entries[row] if self.entries and 0 <= row < len(self.entries) else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        entry = self.selected
        detail = self.query_one("#outbox-detail", Static)
        if entry is None:
            detail.update(Text("Replies that have not left yet are listed here.", style="dim"))
            return
        now = self.services.clock.now()
        sentence, tone = describe(entry, now, self.zone, self.services.settings.keys)
        out = Text()
        out.append_text(safe_line(sentence, _TONE_STYLES.get(tone, "")))
        out.append("\n")
        for label, value in (
            ("To", entry.to),
            ("Cc", entry.cc),
            ("Subject", entry.subject),
            ("From", entry.account),
        ):
            if value:
                out.append(f"{label:<9}", "dim")
                out.append_text(safe_line(value))
                out.append("\n")
        out.append(f"{'Queued':<9}", "dim")
        out.append(f"{when(entry.created_at, now, self.zone)} by ")
        out.append_text(safe_line(entry.author or "—"))
        out.append(f" · {entry.attempts} attempt{'s' if entry.attempts != 1 else ''}\n")
        words = server_words(entry)
        if words:
            out.append(f"{'Server':<9}", "dim")
            out.append_text(safe(words))
            out.append("\n")
        for refused in entry.refused:
            out.append(f"{'Refused':<9}", "dim")
            out.append_text(safe_line(refused))
            out.append("\n")
        if entry.state == "unknown":
            out.append(
                "The connection ended after the server was handed the message: it may have "
                "arrived. Check the customer's reply or your Sent folder, then "
                f"{keymap.key_for('outbox.mark_sent', self.services.settings.keys)} marks it "
                f"sent or {keymap.key_for('outbox.resend', self.services.settings.keys)} "
                "sends it again (it may arrive twice).\n",
                "yellow",
            )
        out.append("\n")
        out.append_text(safe(entry.body.rstrip()))
        detail.update(out)

    # -- actions -----------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    def _key(self, action_id: str) -> str:
        return keymap.key_for(action_id, self.services.settings.keys)

    def action_retry(self) -> None:
        if self.selected:
            self.act("retry", self.selected.id)

    def action_take_back(self) -> None:
        if self.selected:
            self.act("undo", self.selected.id)

    def action_cancel_reply(self) -> None:
        entry = self.selected
        if entry is None:
            return
        if not self._confirm.armed(f"cancel:{entry.id}"):
            self.notify(
                f"Press {self._key('outbox.cancel')} again to give up on this reply "
                "(it will not be sent).",
                severity="warning",
            )
            return
        self.act("cancel", entry.id)

    def action_resend(self) -> None:
        entry = self.selected
        if entry is None:
            return
        if entry.state == "unknown" and not self._confirm.armed(f"resend:{entry.id}"):
            self.notify(
                "It may have arrived already: sending again may deliver it twice. "
                f"Press {self._key('outbox.resend')} again to send it anyway.",
                severity="warning",
            )
            return
        self.act("resend", entry.id)

    def action_mark_sent(self) -> None:
        if self.selected:
            self.act("mark_sent", self.selected.id)

    @work(thread=True, group="outbox-action", exit_on_error=False)
    def act(self, verb: str, outbox_id: int) -> None:
        """Run one outbox verb; the store's answer (or refusal) is shown."""
        outbox = self.services.outbox
        agent = self.services.agent
        try:
            if verb == "undo":
                draft = outbox.undo(agent, outbox_id)
                self.app.call_from_thread(self._taken_back, draft)
                return
            {
                "retry": outbox.retry,
                "resend": outbox.resend,
                "mark_sent": outbox.mark_sent,
                "cancel": outbox.cancel,
            }[verb](agent, outbox_id)
        except ReplyError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 — shown to the agent, the list stays
            self.app.call_from_thread(self._refused, f"{type(exc).__name__}: {exc}")
            return
        if verb in ("retry", "resend"):
            self.wake()
        done = {
            "retry": "Trying again now.",
            "resend": "Sending it again.",
            "mark_sent": "Marked as sent.",
            "cancel": "Cancelled: it will not be sent.",
        }[verb]
        self.app.call_from_thread(self._done, done)

    def _taken_back(self, draft: DraftRecord) -> None:
        self.dismiss(draft)

    def _refused(self, reason: str) -> None:
        self.notify(reason, severity="error", markup=False)

    def _done(self, message: str) -> None:
        self.notify(message)
        self.load()
