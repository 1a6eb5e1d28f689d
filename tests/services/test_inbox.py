"""The inbox service: queue order, paging, search, threads."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.services.query import QueryError


def test_pages_cover_the_view_exactly_once_in_queue_order(services: Services) -> None:
    view = InboxView()
    total = services.inbox.count(view)
    rows = []
    for offset in range(0, total, 37):
        rows.extend(services.inbox.page(view, offset, 37))
    assert len(rows) == total == len({r.id for r in rows})
    assert all(r.status in ("open", "pending") for r in rows)
    waiting = [r.waiting_since for r in rows if r.waiting_since is not None]
    assert waiting == sorted(waiting)
    first_idle = next(i for i, r in enumerate(rows) if r.waiting_since is None)
    assert all(r.waiting_since is None for r in rows[first_idle:])


def test_all_view_includes_closed_and_snoozed(services: Services) -> None:
    everything = services.inbox.count(InboxView(statuses=()))
    with services.store.session() as session:
        assert everything == session.execute(text("SELECT count(*) FROM conversation")).scalar()
    assert everything > services.inbox.count(InboxView())


def test_search_matches_message_text_and_customers(services: Services) -> None:
    found = services.inbox.page(InboxView(statuses=(), search="teapot"), 0, 500)
    assert found
    for summary in found:
        detail = services.inbox.conversation(summary.id)
        assert detail is not None
        haystack = " ".join(
            [
                *(f"{e.text} {e.subject} {e.author} {e.address}" for e in detail.entries),
                summary.subject,
                summary.customer_name,
            ]
        )
        assert "teapot" in haystack.lower()
    some = found[0]
    by_name = services.inbox.page(
        InboxView(statuses=(), search=some.customer_name.split()[0]), 0, 500
    )
    assert some.id in {r.id for r in by_name}
    with pytest.raises(QueryError, match="unclosed quote at 1"):  # never an FTS syntax error
        services.inbox.count(InboxView(search='"NEAR( OR'))


def test_thread_is_oldest_first_and_marks_direction(services: Services) -> None:
    row = services.inbox.page(InboxView(), 0, 1)[0]
    detail = services.inbox.conversation(row.id)
    assert detail is not None
    times = [e.at for e in detail.entries]
    assert times == sorted(times) and len(times) >= 1
    assert {e.direction for e in detail.entries} <= {"inbound", "outbound"}
    assert detail.entries[-1].direction == "inbound"  # the customer is waiting


def test_logged_contacts_appear_in_their_conversation(services: Services) -> None:
    with services.store.session() as session:
        conv_id = session.execute(
            text("SELECT id FROM conversation WHERE channel IN ('phone', 'chat', 'social') LIMIT 1")
        ).scalar_one()
    detail = services.inbox.conversation(conv_id)
    assert detail is not None and any(e.kind == "contact" for e in detail.entries)
