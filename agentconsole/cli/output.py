"""How the CLI writes: untrusted store text printed literally, and records as JSON.

Customer text is untrusted: it never reaches Rich as markup, Rich never highlights inside it,
and control characters are made visible — the same stand-ins the console shows.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from agentconsole.services.records import to_jsonable
from agentconsole.untrusted import neutralise

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean(text: str | None) -> str:
    """Untrusted text made harmless for a terminal; newlines and tabs survive.

    CRLF line ends become plain newlines; control characters (ESC and a lone CR included) and
    bidi controls become visible stand-ins (``␛``, ``\ufffd``) — see ``agentconsole.untrusted``.
    """
    return neutralise(text) if text else ""


def literal(text: str | None, style: str = "") -> Text:
    """Untrusted text as a Rich ``Text``: shown as written, never parsed as markup."""
    return Text(clean(text), style=style)


def literal_line(text: str | None, style: str = "") -> Text:
    """One line of untrusted text (newlines folded) for table cells and headers."""
    return Text(" ".join(clean(text).split()), style=style)


def literal_cell(text: str | None) -> Text:
    """A table cell of untrusted text: one line, cut with "…" when the column is narrow."""
    return Text(" ".join(clean(text).split()), no_wrap=True, overflow="ellipsis")


def label(name: str) -> Text:
    """The dim, padded left column of the customer and order views."""
    return Text(f"{name:<18}", style="dim")


def new_console() -> Console:
    """A console for human output."""
    # highlight=False: Rich must not colour numbers or URLs inside customer text either.
    return Console(highlight=False, emoji=False, soft_wrap=False)


def print_json(value: Any) -> None:
    """Records → JSON on stdout. Terminal-hostile characters are kept, but only as escapes."""
    dumped = json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped) + "\n")
