"""Filling reply templates: ``{{ customer.first_name }}``, with ``{{ x | fallback }}``.

Why not Jinja: templates are written by shop staff and may one day come from shared knowledge
bases; a template must never run code or reach attributes it was not given. Only names in the
context dictionary can be filled in; everything else is reported as missing.
"""

from __future__ import annotations

import re

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\|\s*([^}]*?))?\s*\}\}")


def variables(body: str) -> list[str]:
    return [m.group(1) for m in _VARIABLE.finditer(body)]


def render(body: str, context: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """Return the filled text and the names that had neither a value nor a fallback."""
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        value = context.get(name)
        if value:
            return value
        if fallback is not None:
            return fallback.strip()
        missing.append(name)
        return f"[{name}]"

    return _VARIABLE.sub(fill, body), tuple(dict.fromkeys(missing))
