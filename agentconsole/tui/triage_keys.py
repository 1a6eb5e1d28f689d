"""The main screen's triage keys: close, reopen, pending, snooze, assign, tags, priority, notes,
merge, order links, logged contacts and undo — on the highlighted conversation or on every
marked one.

Why a mixin beside the main screen: the screen already lays out and feeds five panes; these
keys only ask a question (``AskScreen``), call the triage service in a worker thread (a write
may wait for another process's lock; the UI must not) and reload. Each result is one line,
with the key that undoes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import work

from agentconsole.display import duration
from agentconsole.services.contact_log import ContactEntry
from agentconsole.services.knowledge import KnowledgeError
from agentconsole.services.macros import MacroPlan
from agentconsole.services.snooze_time import PRESETS, SnoozeTimeError, parse_snooze
from agentconsole.services.triage import TriageError, TriageResult
from agentconsole.store.vocabulary import PRIORITIES
from agentconsole.tui import keymap
from agentconsole.tui.screens.ask import Answer, AskScreen
from agentconsole.tui.screens.macro_preview import MacroPreview
from agentconsole.untrusted import one_line

if TYPE_CHECKING:
    from agentconsole.services.context import Services
    from agentconsole.tui.widgets.inbox_list import InboxList

_CONTACT_KINDS = (
    ("phone in", "Phone call from the customer"),
    ("phone out", "Phone call to the customer"),
    ("chat in", "Chat from the customer"),
    ("chat out", "Chat to the customer"),
    ("social in", "Social message from the customer"),
    ("social out", "Social message to the customer"),
)


def not_saved(exc: Exception) -> str:
    """One line for a write the store refused (a lock held past the busy timeout …)."""
    if "locked" in str(exc) or "busy" in str(exc):
        return (
            "Not saved: the store stayed busy (another console or the sync was writing). "
            "Nothing changed; try again."
        )
    return f"Not saved: {type(exc).__name__}: {' '.join(str(exc).split())}"


class TriageKeys:
    """Mixed into ``MainScreen`` (which provides these attributes)."""

    services: Services
    inbox: InboxList
    zone: ZoneInfo

    if TYPE_CHECKING:  # provided by Screen / MainScreen

        def notify(self, message: str, **kwargs: object) -> None: ...
        def reload(self) -> None: ...
        def _start(self, kind: str, **kwargs: object) -> None: ...
        @property
        def app(self): ...  # type: ignore[no-untyped-def]

    # -- running an action ------------------------------------------------------------------

    def _targets(self) -> list[int]:
        ids = self.inbox.targets()
        if not ids:
            self.notify("Select a conversation first.", severity="warning")
        return ids

    def _one(self) -> int | None:
        row = self.inbox.current
        if row is None:
            self.notify("Select a conversation first.", severity="warning")
            return None
        return row.id

    @work(thread=True, group="triage", exit_on_error=False)
    def triage(self, act: Callable[[], TriageResult], clear_marks: bool = True) -> None:
        """Run one triage call off the UI thread, then say what it did and reload."""
        try:
            result: TriageResult | str = act()
        except TriageError as exc:
            result = str(exc)
        except Exception as exc:  # noqa: BLE001 - a write that failed must not vanish
            result = not_saved(exc)
        self.app.call_from_thread(self._triaged, result, clear_marks)

    def _triaged(self, result: TriageResult | str, clear_marks: bool) -> None:
        if isinstance(result, str):
            self.notify(one_line(result), severity="warning", markup=False)
            return
        if clear_marks:
            self.inbox.clear_marks()
        undo = keymap.key_for("main.undo", self.services.settings.keys)
        tail = f" · {undo}: undo" if result.changed and result.action != "triage.undo" else ""
        self.notify(one_line(result.message) + tail, markup=False, timeout=4)
        self.reload()

    def _ask(
        self, screen: AskScreen, then: Callable[[Answer], Callable[[], TriageResult] | None]
    ) -> None:
        def done(answer: Answer | None) -> None:
            if answer is not None:
                act = then(answer)
                if act is not None:
                    self.triage(act)

        self.app.push_screen(screen, done)

    # -- statuses -------------------------------------------------------------------------

    def action_close(self) -> None:
        ids = self._targets()
        if ids:
            self.triage(lambda: self.services.triage.set_status(ids, "closed"))

    def action_reopen(self) -> None:
        ids = self._targets()
        if ids:
            self.triage(lambda: self.services.triage.set_status(ids, "open"))

    def action_pending(self) -> None:
        ids = self._targets()
        if ids:
            self.triage(lambda: self.services.triage.set_status(ids, "pending"))

    def _wake(self, text: str) -> datetime | None:
        """The wake time for a typed snooze (None: only until the customer replies)."""
        if text.strip().lower() in ("reply", "until reply", "r"):
            return None
        try:
            return parse_snooze(text, self.services.clock.now(), self.zone)
        except SnoozeTimeError as exc:
            raise ValueError(str(exc)) from None

    def _snooze_preview(self, text: str, until_reply: bool) -> str:
        wake = self._wake(text)
        now = self.services.clock.now()
        if wake is None:
            return "until the customer replies"
        at = wake.astimezone(self.zone)
        line = f"wakes {at:%a %d %b %H:%M} (in {duration(wake - now)})"
        return line + (" — or when the customer replies" if until_reply else ", whatever they say")

    def action_snooze(self) -> None:
        ids = self._targets()
        if not ids:
            return
        now = self.services.clock.now()
        choices = [("reply", "until the customer replies")]
        for preset in PRESETS:
            at = parse_snooze(preset, now, self.zone).astimezone(self.zone)
            choices.append((preset, f"{preset:<14} {at:%a %d %b %H:%M}"))

        def act(answer: Answer) -> Callable[[], TriageResult]:
            wake = self._wake(answer.text)
            reply = answer.toggle or wake is None
            return lambda: self.services.triage.snooze(
                ids, wake, until_reply=reply, choice=answer.text
            )

        title = f"Snooze {len(ids)} conversations until…" if len(ids) > 1 else "Snooze until…"
        self._ask(
            AskScreen(
                title,
                placeholder="3h, 2d, tomorrow 9:00, fri 14:00, 2026-12-24, reply",
                choices=choices,
                check=self._snooze_preview,
                toggle=("a customer reply ends the snooze", True),
            ),
            act,
        )

    def action_resnooze(self) -> None:
        """Snooze again exactly as last chosen (this conversation's, else the agent's last)."""
        ids = self._targets()
        if not ids:
            return
        last = self.services.triage.snooze_choice(ids[0])
        if last is None:
            key = keymap.key_for("main.snooze", self.services.settings.keys)
            self.notify(f"No earlier snooze to repeat: {key} to choose one.", severity="warning")
            return
        text, until_reply = last
        try:
            wake = self._wake(text)
        except ValueError as exc:
            self.notify(f"Last snooze “{text}”: {exc}", severity="warning", markup=False)
            return
        self.triage(
            lambda: self.services.triage.snooze(ids, wake, until_reply=until_reply, choice=text)
        )

    # -- people, tags, priority, notes -------------------------------------------------------

    def action_assign(self) -> None:
        ids = self._targets()
        if not ids:
            return
        people = [(h, f"{n} ({h})") for h, n in self.services.settings.team_handles()]
        people.append(("nobody", "Nobody (unassign)"))
        self._ask(
            AskScreen("Assign to…", placeholder="a name or handle", choices=people),
            lambda a: lambda: self.services.triage.assign(ids, a.text),
        )

    def action_tag(self) -> None:
        ids = self._targets()
        if not ids:
            return
        current = self.inbox.current
        value = " ".join(current.tags) if current is not None and len(ids) == 1 else ""

        def words(text: str) -> tuple[list[str], list[str]]:
            add = [w.lstrip("+") for w in text.split() if not w.startswith("-")]
            remove = [w[1:] for w in text.split() if w.startswith("-") and len(w) > 1]
            return add, remove

        def preview(text: str, _: bool) -> str:
            add, remove = words(text)
            if not add and not remove:
                raise ValueError("type tags: vip +wholesale -new")
            return " ".join([*(f"+{a}" for a in add), *(f"-{r}" for r in remove)])

        def act(answer: Answer) -> Callable[[], TriageResult] | None:
            add, remove = words(answer.text)
            if len(ids) == 1 and current is not None:
                # The field held the tags as this console last read them: apply the agent's
                # edit (words typed, words deleted), not that copy — a colleague may have
                # changed the tags since, and their change must stand.
                shown = set(current.tags)
                remove += [t for t in current.tags if t not in add]
                add = [t for t in add if t not in shown]
                if not add and not remove:
                    return None  # nothing edited
            return lambda: self.services.triage.tag(ids, add=add, remove=remove)

        self._ask(
            AskScreen(
                "Tags (-tag removes)", value=value, placeholder="vip wholesale", check=preview
            ),
            act,
        )

    def action_priority(self) -> None:
        ids = self._targets()
        if ids:
            self._ask(
                AskScreen("Priority", choices=[(p, p) for p in reversed(PRIORITIES)]),
                lambda a: lambda: self.services.triage.set_priority(ids, a.text),
            )

    def action_note(self) -> None:
        cid = self._one()
        if cid is not None:
            self._ask(
                AskScreen("Internal note (only the team sees it)", multiline=True),
                lambda a: (
                    (lambda: self.services.triage.add_note(cid, a.text)) if a.text.strip() else None
                ),
            )

    # -- merge, orders, contacts, undo -------------------------------------------------------

    def action_merge(self) -> None:
        cid = self._one()
        if cid is None:
            return
        others = self.services.triage.merge_candidates(cid)
        labels = {str(o.id): o for o in others}

        def preview(text: str, _: bool) -> str:
            target = labels.get(text.strip().lstrip("#"))
            if target is None and not text.strip().lstrip("#").isdigit():
                raise ValueError("the number of the conversation to merge into")
            if target is None:
                return f"merge into conversation {text.strip().lstrip('#')}"
            return f"merge into #{target.id} “{one_line(target.subject)}” ({target.status})"

        self._ask(
            AskScreen(
                f"Merge conversation {cid} into…",
                placeholder="conversation number",
                choices=[
                    (str(o.id), f"#{o.id} {one_line(o.subject)} · {o.status}") for o in others
                ],
                check=preview,
            ),
            lambda a: lambda: self.services.triage.merge(cid, int(a.text.strip().lstrip("#"))),
        )

    def action_link_order(self) -> None:
        row = self.inbox.current
        if row is None:
            self.notify("Select a conversation first.", severity="warning")
            return
        orders = self.services.orders.for_customer(row.customer_id)
        self._ask(
            AskScreen(
                "Link to order…",
                placeholder="#1001",
                choices=[(o.name, f"{o.name} · {o.financial_status}") for o in orders],
            ),
            lambda a: lambda: self.services.triage.link_order(row.id, a.text),
        )

    def action_log_contact(self) -> None:
        row = self.inbox.current
        if row is None:
            self.notify("Select a conversation first.", severity="warning")
            return

        def summary(kind: Answer) -> None:
            channel, _, direction = kind.text.partition(" ")
            if channel not in {c.split()[0] for c, _ in _CONTACT_KINDS}:
                self.notify(f"Unknown kind of contact {kind.text!r}", severity="warning")
                return

            def act(answer: Answer) -> Callable[[], TriageResult] | None:
                if not answer.text.strip():
                    return None
                entry = ContactEntry(
                    customer=str(row.customer_id),
                    channel=channel,
                    direction="outbound" if direction == "out" else "inbound",
                    summary=answer.text,
                    at=self.services.clock.now(),
                    conversation_id=row.id,
                    needs_answer=answer.toggle,
                )
                return lambda: self.services.triage.log_contact(entry)

            self._ask(
                AskScreen(
                    f"{dict(_CONTACT_KINDS)[kind.text]}: what was it about?",
                    multiline=True,
                    toggle=("the customer still waits for an answer", False),
                ),
                act,
            )

        def picked(answer: Answer | None) -> None:
            if answer is not None:
                summary(answer)

        self.app.push_screen(
            AskScreen(
                f"Log a contact with {one_line(row.customer_name)}",
                choices=list(_CONTACT_KINDS),
            ),
            picked,
        )

    # -- macros ---------------------------------------------------------------------------

    def bind_macros(self) -> None:
        """Each macro with a ``key`` gets it (unless a built-in action has that key); the
        help screen lists them (``macro_keys``)."""
        self.macro_keys: list[tuple[str, str]] = []
        taken = {
            k
            for a in keymap.ACTIONS
            if a.scope in ("app", "main", "inbox")
            for k in self.services.settings.keys.get(a.id, a.keys).split(",")
        }
        for index, macro in enumerate(self.services.macros.macros()):
            if not macro.key:
                continue
            if macro.key in taken:
                self.notify(
                    f"Macro {macro.name!r}: key {macro.key} is taken (palette: ctrl+p)",
                    severity="warning",
                    markup=False,
                )
                continue
            taken.add(macro.key)
            self.macro_keys.append((macro.key, macro.name))
            self._bindings.bind(macro.key, f"macro({index})", macro.name, show=False)  # type: ignore[attr-defined]

    def action_macro(self, index: int) -> None:
        """Preview the macro on the marked conversations (or the highlighted one), then run."""
        ids = self._targets()
        macros = self.services.macros.macros()
        if not ids or not 0 <= index < len(macros):
            return
        try:
            plan = self.services.macros.plan(macros[index], ids)
        except TriageError as exc:
            self.notify(one_line(str(exc)), severity="warning", markup=False)
            return

        def confirmed(run: bool | None) -> None:
            if run:
                self.run_macro(plan)

        self.app.push_screen(MacroPreview(plan), confirmed)

    @work(thread=True, group="triage", exit_on_error=False)
    def run_macro(self, plan: MacroPlan) -> None:
        try:
            result: TriageResult | str = self.services.macros.run(plan)
        except TriageError as exc:
            result = str(exc)
        except Exception as exc:  # noqa: BLE001 - a write that failed must not vanish
            result = not_saved(exc)
        self.app.call_from_thread(self._triaged, result, True)
        if plan.template and not isinstance(result, str):
            self.app.call_from_thread(self.reply_with, plan.conversation_ids[0], plan.template)

    def reply_with(self, conversation_id: int, template: str) -> None:
        """Open a reply with a canned reply in the conversation's language (macros)."""
        s = self.services
        try:
            language = s.replies.language(conversation_id).language
            record = s.knowledge.find(template, language)
        except KnowledgeError as exc:
            self.notify(one_line(str(exc)), severity="warning", markup=False)
            return
        self._start("reply", insert=record)

    def action_undo_triage(self) -> None:
        self.triage(self.services.triage.undo, clear_marks=False)
