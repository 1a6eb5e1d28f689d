"""Untrusted text → ``rich.text.Text``: never parsed as markup, control characters neutralised.

Every widget that shows customer, store or config text goes through ``safe`` or ``safe_line``.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from agentconsole.untrusted import neutralise, one_line


def safe(text: str | None, style: str | Style = "") -> Text:
    """Multi-line untrusted text, literally."""
    return Text(neutralise(text or ""), style=style)


def safe_line(text: str | None, style: str | Style = "") -> Text:
    """One line of untrusted text, literally (newlines folded)."""
    return Text(one_line(text or ""), style=style, no_wrap=True, overflow="ellipsis")


def editable(text: str | None) -> str:
    """Untrusted text for a TextArea: newlines and tabs kept, other controls made visible."""
    return neutralise(text or "")


def editable_line(text: str | None) -> str:
    """Untrusted text for an Input: every control character visible (newline as ␊)."""
    return neutralise(text or "").replace("\n", "\u240a").replace("\t", "\u2409")
