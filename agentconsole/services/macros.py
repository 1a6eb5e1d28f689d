"""Macros from config: tags + status or snooze + assignee + priority + note (+ a canned reply to
start) on one key, on one conversation or every marked one.

Why a preview first: a macro changes many things at once, perhaps on fifty conversations; the
agent sees each step in words (the exact snooze time, whom it assigns) before it runs. All its
steps share one batch in the event log, so one undo takes the whole macro back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from agentconsole.clock import Clock
from agentconsole.config_triage import Macro
from agentconsole.services.snooze_time import SnoozeTimeError, parse_snooze
from agentconsole.services.triage import (
    TriageError,
    TriageResult,
    TriageService,
    new_batch,
    plural,
)


@dataclass(frozen=True)
class MacroPlan:
    """What a macro will do to these conversations, in words, and the wake time it computed."""

    macro: Macro
    conversation_ids: tuple[int, ...]
    steps: tuple[str, ...]
    wake: datetime | None
    template: str | None
    """The canned reply to start afterwards (one conversation only)."""


class MacroService:
    def __init__(self, macros: Sequence[Macro], triage: TriageService, clock: Clock, zone: str):
        self._macros = list(macros)
        self._triage = triage
        self._clock = clock
        self._zone = ZoneInfo(zone)

    def macros(self) -> list[Macro]:
        return list(self._macros)

    def find(self, name: str) -> Macro:
        for macro in self._macros:
            if macro.name.lower() == name.strip().lower():
                return macro
        known = ", ".join(m.name for m in self._macros) or "none configured"
        raise TriageError(f"no macro {name!r} (known: {known})")

    def plan(self, macro: Macro, conversation_ids: Sequence[int]) -> MacroPlan:
        """The preview. ``TriageError`` when a step cannot work (an unreadable snooze …)."""
        ids = tuple(dict.fromkeys(conversation_ids))
        if not ids:
            raise TriageError("no conversation given")
        steps: list[str] = []
        wake = None
        if macro.tags:
            steps.append(
                "tags " + " ".join(t if t.startswith("-") else f"+{t}" for t in macro.tags)
            )
        if macro.status:
            steps.append(f"status → {macro.status}")
        if macro.snooze:
            try:
                wake = parse_snooze(macro.snooze, self._clock.now(), self._zone)
            except SnoozeTimeError as exc:
                raise TriageError(f"macro {macro.name!r}: snooze: {exc}") from None
            at = wake.astimezone(self._zone)
            tail = " — or when the customer replies" if macro.snooze_until_reply else ""
            steps.append(f"snooze until {at:%a %d %b %H:%M}{tail}")
        if macro.assign:
            steps.append(f"assign → {macro.assign}")
        if macro.priority:
            steps.append(f"priority → {macro.priority}")
        if macro.note:
            steps.append(f"internal note: {macro.note}")
        template = None
        if macro.template:
            if len(ids) == 1:
                template = macro.template
                steps.append(f"then a reply starts with the canned reply {macro.template!r}")
            else:
                steps.append("(its canned reply is left out: one conversation at a time)")
        return MacroPlan(macro, ids, tuple(steps), wake, template)

    def run(self, plan: MacroPlan) -> TriageResult:
        """Every step on every conversation, under one batch (one undo)."""
        macro, ids = plan.macro, list(plan.conversation_ids)
        batch = new_batch()
        changed: set[int] = set()
        t = self._triage
        if macro.assign:  # first: it checks the name before anything is written
            changed |= set(t.assign(ids, macro.assign, batch=batch).changed)
        if macro.tags:
            add = [x for x in macro.tags if not x.startswith("-")]
            remove = [x[1:] for x in macro.tags if x.startswith("-")]
            changed |= set(t.tag(ids, add=add, remove=remove, batch=batch).changed)
        if macro.status:
            changed |= set(t.set_status(ids, macro.status, batch=batch).changed)
        if macro.snooze:
            result = t.snooze(
                ids,
                plan.wake,
                until_reply=macro.snooze_until_reply,
                choice=macro.snooze,
                batch=batch,
            )
            changed |= set(result.changed)
        if macro.priority:
            changed |= set(t.set_priority(ids, macro.priority, batch=batch).changed)
        if macro.note:
            for cid in ids:
                changed |= set(t.add_note(cid, macro.note, batch=batch).changed)
        done = [c for c in ids if c in changed]
        return TriageResult(
            "macro",
            tuple(done),
            tuple(c for c in ids if c not in changed),
            f"{macro.name}: {plural(len(done), 'conversation')}",
            batch,
        )
