"""Canned replies: filtering, language order, filling."""

from __future__ import annotations

from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView


def test_filter_matches_every_word_and_prefers_the_customers_language(services: Services) -> None:
    everything = services.replies.templates()
    assert len(everything) >= 20
    found = services.replies.templates("order where", language="de")
    assert found and found[0].language == "de"
    for t in found:
        hay = f"{t.key} {t.title} {' '.join(t.tags)} {t.body}".lower()
        assert "order" in hay and "where" in hay
    assert services.replies.templates("zzzz-nothing") == []


def test_fill_uses_the_conversations_customer_and_order(services: Services) -> None:
    conv = services.inbox.page(InboxView(), 0, 1)[0]
    template = services.replies.templates("where-is-my-order", language="en")[0]
    filled = services.replies.fill(template, conv.id)
    assert "{{" not in filled.text
    assert "Mara Lind" in filled.text
