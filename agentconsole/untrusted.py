"""Neutralising untrusted text (customers, stores, config) before it reaches a terminal.

Why: a subject line is data, not instructions. Escape sequences could clear the screen, set
the clipboard (OSC 52) or forge links; bidi overrides can make text read differently from what
it is. Each is replaced by a visible stand-in, so the agent sees that something was there.
Rich markup needs no treatment here: callers build ``rich.text.Text`` (never markup) from it.
"""

from __future__ import annotations

_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F}


def _stand_in(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␛ for ESC, ␇ for BEL …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls and bidi controls


_TABLE = {
    code: _stand_in(code)
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI]
    if code not in (0x09, 0x0A)
}


def neutralise(text: str) -> str:
    """Keep newlines and tabs; make every other control character visible and inert.

    CRLF line ends (as mail arrives) become plain newlines first; a lone CR, which could make
    a line overwrite itself, stays visible as ``␍``.
    """
    return text.replace("\r\n", "\n").translate(_TABLE)


def one_line(text: str) -> str:
    """For single-line places (list rows, titles): whitespace runs become one space."""
    return " ".join(neutralise(text).split())
