"""The status line: replies not sent yet (``outbox 2 waiting · 1 failed``, first, when there
are any), shop, agent, the queue, how fresh the store is and each mail account's sync.

Why the accounts are here: the console shows what the store holds, so the agent must see at a
glance whether that is current — synced, syncing, offline since when, or a wrong password.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from agentconsole.display import when
from agentconsole.services.mail_sync import AccountState
from agentconsole.tui.outbox_text import counts_line
from agentconsole.tui.text import safe_line

_LOOK = {
    "new": ("…", "dim"),
    "syncing": ("⟳", "cyan"),
    "synced": ("✓", "green"),
    "offline": ("⚠", "yellow"),
    "error": ("⚠", "yellow"),
    "auth_failed": ("✗", "bold red"),
}
_TONES = {"waiting": "", "sending": "cyan", "problem": "bold red", "doubt": "bold yellow"}


def account_label(state: AccountState, now: datetime, zone: ZoneInfo) -> Text:
    """``shop ✓ 12:03`` · ``shop ⟳ INBOX 120/400`` · ``shop ⚠ offline since 11:58``."""
    icon, style = _LOOK.get(state.state, ("?", "dim"))
    out = Text()
    out.append_text(safe_line(state.name))
    out.append(f" {icon} ", style)
    if state.state == "synced":
        out.append(when(state.last_synced_at, now, zone) if state.last_synced_at else "synced")
    elif state.state == "syncing":
        out.append_text(safe_line(state.detail or "syncing"))
    elif state.state in ("offline", "error"):
        since = when(state.since, now, zone) if state.since else ""
        out.append(f"{state.state} since {since}".strip(), style)
    elif state.state == "auth_failed":
        out.append("authentication failed", style)
    else:
        out.append("not synced yet", "dim")
    return out


class StatusBar(Static):
    def show(
        self,
        *,
        shop: str,
        agent: str,
        view: str,
        count: int,
        freshness: str,
        accounts: Sequence[AccountState] = (),
        now: datetime | None = None,
        zone: ZoneInfo | None = None,
        outbox: Mapping[str, int] | None = None,
        sender_problem: str = "",
        shop_problem: str = "",
    ) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(" agentconsole ", "bold reverse")
        out.append(" ")
        # Replies not sent yet come first: they matter more than the rest when space is short.
        parts = counts_line(outbox or {})
        if parts:
            out.append("outbox ", "bold")
            for i, (words, tone) in enumerate(parts):
                if i:
                    out.append(" · ")
                out.append(words, _TONES.get(tone, ""))
            if sender_problem and any(t in ("waiting", "sending") for _, t in parts):
                out.append(" · ⚠ sender stopped: ", "bold yellow")
                out.append_text(safe_line(sender_problem, "yellow"))
            out.append(" · ")
        out.append_text(safe_line(shop, "bold"))
        out.append(" · ")
        out.append_text(safe_line(agent))
        out.append(f" · {view}: {count}")
        if accounts and now is not None and zone is not None:
            for state in accounts:
                out.append(" · ")
                out.append_text(account_label(state, now, zone))
        else:
            out.append(f" · {freshness}", "dim")
        if shop_problem:
            out.append(" · stores ⚠ sync stopped: ", "bold yellow")
            out.append_text(safe_line(shop_problem, "yellow"))
        self.update(out, layout=False)  # one line, always: no layout pass
