"""The inbox service: queue order, paging, search, threads."""

from __future__ import annotations

import threading

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


@pytest.mark.parametrize("by_due", [False, True])
def test_a_search_lists_in_the_same_order_as_its_view(services: Services, by_due: bool) -> None:
    """A search's matches are evaluated once and kept; its pages come out in the order the
    view's own SQL gives (``status:open`` as a search vs. the Open view, unsearched)."""
    plain = InboxView(statuses=("open",), by_due=by_due)
    searched = InboxView(statuses=(), search="status:open", by_due=by_due)
    total = services.inbox.count(plain)
    assert total == services.inbox.count(searched) > 40
    for size in (7, 100):
        ids = [
            [r.id for o in range(0, total, size) for r in services.inbox.page(v, o, size)]
            for v in (plain, searched)
        ]
        assert ids[0] == ids[1]
        assert len(ids[0]) == total
    assert services.inbox.page(searched, total, 10) == []


def test_a_kept_search_follows_every_write(services: Services) -> None:
    view = InboxView(statuses=(), search="tag:brand-new")
    assert services.inbox.count(view) == 0
    first = services.inbox.page(InboxView(), 0, 1)[0]
    services.triage.tag([first.id], add=["brand-new"])
    assert services.inbox.count(view) == 1
    assert [r.id for r in services.inbox.page(view, 0, 10)] == [first.id]
    assert "brand-new" in services.inbox.page(view, 0, 10)[0].tags


def test_a_kept_search_follows_the_index_catching_up(services: Services) -> None:
    """A message the index had not reached when the search ran turns up once the background
    indexer reaches it, though nothing else in the store changed."""
    import sqlite3

    from agentconsole.store.search_index import search_path
    from tests.services.store_helpers import customer_writes

    services.store.search.catch_up()
    view = InboxView(statuses=(), search="news")
    before = services.inbox.count(view)
    target = next(
        r.id
        for r in services.inbox.page(InboxView(statuses=()), 0, 500)
        if r.id not in {m.id for m in services.inbox.page(view, 0, 500)}
    )
    customer_writes(services, target)
    blocker = sqlite3.connect(search_path(services.store.path), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process indexing: the search cannot wait
    try:
        assert services.inbox.count(view) == before
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    services.store.search.catch_up()
    assert services.inbox.count(view) == before + 1
    assert target in {r.id for r in services.inbox.page(view, 0, 500)}


@pytest.mark.parametrize("search", ["", "tea OR order", "status:open OR status:closed"])
@pytest.mark.parametrize("by_due", [False, True])
def test_position_is_the_row_a_conversation_stands_on(
    services: Services, search: str, by_due: bool
) -> None:
    """Exact at any depth (the cursor keeps its conversation when the view changes), None for
    a conversation the view does not hold."""
    services.store.search.catch_up()
    view = InboxView(statuses=(), search=search, by_due=by_due)
    rows = services.inbox.page(view, 0, 10_000)
    assert len(rows) == services.inbox.count(view) > 20
    for index in sorted({0, 1, 2, len(rows) // 3, len(rows) // 2, len(rows) - 1}):
        assert services.inbox.position(view, rows[index].id) == index
    closed = next(r for r in rows if r.status == "closed")
    assert services.inbox.position(InboxView(by_due=by_due), closed.id) is None
    assert services.inbox.position(view, 10**9) is None
    first = [r.id for r in rows[:20]]  # the longest waiting: times close, ties broken by id
    assert [services.inbox.position(view, i) for i in first] == list(range(20))


def test_housekeeping_sets_the_indexer_on_messages_the_index_lacks(services: Services) -> None:
    """A copied (or upgraded) store whose full-text index is behind: the console's
    housekeeping hands the backlog to the background indexer; it does not index on the
    caller's thread."""
    assert services.store.search.pending() > 0
    services.housekeeping()
    assert any(t.name == "search-index" for t in threading.enumerate())
    services.store.search.wait()
    assert services.store.search.pending() == 0
    services.housekeeping()  # nothing missing: nothing to do
    assert services.store.search.pending() == 0
