"""Untrusted text is made inert: escapes, other controls and bidi overrides become visible."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from agentconsole.tui.text import safe, safe_line
from agentconsole.untrusted import neutralise, one_line


def test_escapes_and_bidi_are_replaced() -> None:
    shown = neutralise("a\x1b[2Jb\x1b]52;c;aGVsbG8=\x07c\u202eevil\u202c\r\n\tend\x9b")
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\x9b" not in shown and "\r" not in shown
    assert "␛[2J" in shown and "\n\tend" in shown


def test_markup_stays_literal_when_rendered() -> None:
    console = Console(record=True, width=80, color_system=None)
    console.print(safe("[bold red]x[/] [link=https://evil.example]click[/link]"))
    assert "[bold red]x[/] [link=https://evil.example]click[/link]" in console.export_text()


def test_one_line_folds_newlines() -> None:
    assert one_line("a\n\nb\tc") == "a b c"
    assert safe_line("x\ny").plain == "x y"


@given(st.text())
def test_no_control_character_survives(value: str) -> None:
    shown = neutralise(value)
    for char in shown:
        code = ord(char)
        assert char in "\n\t" or not (code < 0x20 or 0x7F <= code < 0xA0)
        assert code not in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)
