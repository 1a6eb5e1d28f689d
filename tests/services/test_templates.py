"""Template filling is sandboxed: only given names are filled; fallbacks; missing reported."""

from __future__ import annotations

from agentconsole.services.templates import render, variables


def test_fills_known_names_and_fallbacks() -> None:
    body = "Hi {{ customer.first_name | there }}, {{order.name}} ships with {{ order.carrier }}."
    text, missing = render(body, {"order.name": "#1001"})
    assert text == "Hi there, #1001 ships with [order.carrier]."
    assert missing == ("order.carrier",)
    assert variables(body) == ["customer.first_name", "order.name", "order.carrier"]


def test_no_code_runs_and_no_attribute_walks() -> None:
    body = "{{ customer.__class__ }} {{ ''.join }} {% for x in y %} {{ 7*7 }}"
    text, missing = render(body, {"customer.name": "Anna"})
    assert "49" not in text and "Anna" not in text
    assert missing == ("customer.__class__",)
