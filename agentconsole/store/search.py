"""FTS5 over message text: turning what an agent types into a safe MATCH expression.

Why: the agent's text must never be parsed as FTS5 syntax (a stray quote or ``NEAR`` would be
an error, or a different query), so every word becomes a quoted token; the last one is a prefix
so results appear while typing. Ordering by rowid is ordering by arrival time.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(typed: str) -> str | None:
    """``'broken tea'`` → ``'"broken" "tea"*'``; ``None`` when nothing searchable was typed."""
    words = _WORD.findall(typed)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)
