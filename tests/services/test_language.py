"""Language detection, offline, on the demo shop's customers (six languages)."""

from __future__ import annotations

from collections import Counter

import pytest

from agentconsole.services.context import Services
from agentconsole.services.language import customer_words, detect


def test_every_demo_language_is_recognised(services: Services) -> None:
    with services.store.read() as db:
        rows = db.all(
            "SELECT cu.language, m.subject, m.body_text FROM message m"
            " JOIN customer cu ON cu.id = m.customer_id"
            " WHERE m.direction = 'inbound' AND m.is_automated = 0 AND m.channel = 'email'"
        )
    seen: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for row in rows:
        seen[row.language] += 1
        found = detect(f"{row.body_text}\n{row.subject}")
        right[row.language] += found is not None and found[0] == row.language
    assert set(seen) == {"en", "de", "fr", "it", "es", "pl"}
    for language, count in seen.items():
        assert right[language] / count >= 0.95, (language, right[language], count)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wo ist meine Bestellung?", "de"),
        ("Où est ma commande ?", "fr"),
        ("Gdzie jest moje zamówienie?", "pl"),
        ("Dov'è il mio ordine?", "it"),
        ("¿Dónde está mi pedido?", "es"),
        ("Where is my order?", "en"),
    ],
)
def test_short_questions(text: str, language: str) -> None:
    found = detect(text)
    assert found is not None and found[0] == language


def test_quotes_links_and_numbers_do_not_count() -> None:
    text = (
        "Hallo, wo ist meine Bestellung #1234? https://shop.example/track/123\n\n"
        "On Mon, 3 Mar 2026, Lindenhof wrote:\n> Thanks for your order, we will ship it soon.\n"
        "> Best wishes, the team\n"
    )
    assert customer_words(text) == "Hallo, wo ist meine Bestellung ?"
    assert detect(text) == ("de", pytest.approx(1.0, abs=0.05))


def test_too_little_text_says_nothing() -> None:
    assert detect("ok") is None
    assert detect("#1234 https://x.example 55") is None
