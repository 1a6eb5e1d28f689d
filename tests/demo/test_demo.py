"""The demo shop: sizes, determinism, and that every field agrees with the data beneath it."""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlmodel import SQLModel, select

from agentconsole.demo import DEMO_NOW, DemoSummary, build_demo
from agentconsole.demo.hostile import HOSTILE_BODY, HOSTILE_NAME, HOSTILE_SUBJECT
from agentconsole.store.db import Store
from agentconsole.store.models import (
    Contact,
    Conversation,
    Customer,
    CustomerIdentity,
    Event,
    Message,
    Order,
    OrderLine,
    Refund,
    ReplyTemplate,
    Shipment,
)

T = TypeVar("T", bound=SQLModel)
LANGUAGES = {"en", "de", "fr", "it", "es", "pl"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    store = Store(tmp_path_factory.mktemp("demo") / "store.db")
    summary = build_demo(store)
    yield store, summary
    store.close()


def rows(store: Store, model: type[T]) -> list[T]:
    with store.session() as session:
        return list(session.exec(select(model)).all())


def test_counts_are_in_range(demo: tuple[Store, DemoSummary]) -> None:
    store, summary = demo
    assert 55 <= summary.customers <= 70
    assert 140 <= summary.conversations <= 160
    assert 270 <= summary.orders <= 330
    assert 20 <= summary.templates <= 30
    assert 100 <= summary.contacts <= 140
    assert summary.messages >= 250
    assert summary.customers == len(rows(store, Customer))
    assert summary.messages == len(rows(store, Message))
    assert summary.contacts == len(rows(store, Contact))


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        store = Store(tmp_path / name)
        build_demo(store)
        store.close()
        connection = sqlite3.connect(tmp_path / name)
        dumps.append(list(connection.iterdump()))
        connection.close()
    assert dumps[0] == dumps[1]


def test_other_seed_and_now_still_consistent(tmp_path: Path) -> None:
    now = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)  # a Sunday night, the summer-time switch
    store = Store(tmp_path / "store.db")
    summary = build_demo(store, now=now, seed=12345)
    assert summary.conversations >= 140
    latest = [m.received_at for m in rows(store, Message)] + [
        c.occurred_at for c in rows(store, Contact)
    ]
    assert max(latest) <= now
    _assert_waiting_consistent(store)


def test_refuses_a_store_with_customers(demo: tuple[Store, DemoSummary]) -> None:
    store, summary = demo
    with pytest.raises(ValueError):
        build_demo(store)
    assert len(rows(store, Customer)) == summary.customers


def test_refuses_naive_now(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        build_demo(Store(tmp_path / "store.db"), now=datetime(2026, 1, 1))


def test_message_ids_grow_with_arrival(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    messages = sorted(rows(store, Message), key=lambda m: m.id)
    arrivals = [m.received_at for m in messages]
    assert arrivals == sorted(arrivals)
    assert len({m.message_id for m in messages}) == len(messages)
    assert all(re.fullmatch(r"<demo-\d+@lindenhof\.example>", m.message_id) for m in messages)


def test_threads_are_linked_and_addressed(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    by_conversation: dict[int, list[Message]] = defaultdict(list)
    for message in sorted(rows(store, Message), key=lambda m: m.id):
        by_conversation[message.conversation_id].append(message)
    for thread in by_conversation.values():
        first, *replies = thread
        assert first.in_reply_to is None
        for previous, reply in zip(thread, replies, strict=False):
            assert reply.in_reply_to == previous.message_id
            assert previous.message_id in reply.references.split()
            assert reply.subject.startswith(("Re: ", "Undelivered")) or reply.is_automated
        for message in thread:
            assert message.channel == "email"
            if message.direction == "outbound":
                assert message.from_addr == "hello@lindenhof.example"
                assert message.agent_id is not None
            elif not message.from_addr.startswith("mailer-daemon@"):
                assert message.customer_id is not None
    automated = [m for m in rows(store, Message) if m.is_automated]
    assert 2 <= len(automated) <= 3


def test_order_totals_add_up(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in rows(store, OrderLine):
        assert line.total == line.unit_price * line.quantity
        lines[line.order_id].append(line)
    refunds: dict[int, int] = defaultdict(int)
    for refund in rows(store, Refund):
        refunds[refund.order_id] += refund.amount
        assert refund.reason
    orders = sorted(rows(store, Order), key=lambda o: o.created_at)
    for number, order in enumerate(orders, start=1001):
        assert order.name == f"#{number}" and order.number == number
        assert order.external_id.startswith("gid://demo/Order/")
        assert order.currency == "EUR"
        assert order.subtotal == sum(line.total for line in lines[order.id])
        assert order.total == order.subtotal + order.shipping + order.tax - order.discount
        assert 0 <= refunds[order.id] <= order.total
        assert order.financial_status in {"paid", "pending", "refunded", "partially_refunded"}
        assert order.fulfillment_status in {"unfulfilled", "partial", "fulfilled"}
        assert order.status_url and order.status_url.startswith("https://demo.lindenhof.example/")
        assert DEMO_NOW - timedelta(days=731) <= order.created_at <= DEMO_NOW
    statuses = {(o.financial_status, o.fulfillment_status) for o in orders}
    assert {s for s, _ in statuses} == {"paid", "pending", "refunded", "partially_refunded"}
    assert {f for _, f in statuses} == {"unfulfilled", "partial", "fulfilled"}


def test_shipments_have_real_tracking_links(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    shipments = rows(store, Shipment)
    orders = {o.id: o for o in rows(store, Order)}
    assert {s.carrier for s in shipments} == {
        "DHL",
        "DPD",
        "La Poste",
        "Poste Italiane",
        "Correos",
        "InPost",
        "UPS",
    }
    for shipment in shipments:
        assert shipment.tracking_url and shipment.tracking_number in shipment.tracking_url
        assert shipment.tracking_url.startswith("https://")
        assert shipment.status in {"in_transit", "delivered"}
        assert (shipment.status == "delivered") == (shipment.delivered_at is not None)
        assert orders[shipment.order_id].fulfillment_status in {"fulfilled", "partial"}
    shipped = {s.order_id for s in shipments}
    for order in orders.values():
        assert (order.fulfillment_status != "unfulfilled") == (order.id in shipped)


def test_customers_identities_and_orders(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    customers = rows(store, Customer)
    identities: dict[int, list[CustomerIdentity]] = defaultdict(list)
    for identity in rows(store, CustomerIdentity):
        identities[identity.customer_id].append(identity)
    for customer in customers:
        kinds = {i.kind: i for i in identities[customer.id]}
        email = kinds["email"]
        assert email.is_primary and email.value == email.value.lower()
        assert kinds["store"].store_id == 1 and kinds["store"].value.startswith("1:")
        if "phone" in kinds:
            assert re.fullmatch(r"\+[1-9]\d{7,14}", kinds["phone"].value)
    phones = sum("phone" in {i.kind for i in identities[c.id]} for c in customers)
    assert len(customers) // 4 <= phones <= len(customers) // 2
    assert {c.language for c in customers} == LANGUAGES
    names = " ".join(c.name for c in customers)
    for native in ("Zoë", "Jürgen", "Łukasz", "Françoise", "Núñez"):
        assert native in names
    per_customer: dict[int, int] = defaultdict(int)
    for order in rows(store, Order):
        per_customer[order.customer_id] += 1
    assert max(per_customer.values()) >= 15
    assert sum(1 for c in customers if per_customer[c.id] == 0) >= 3
    assert {c.preferred_channel for c in customers} >= {"phone", "chat", "email"}


def test_birthdays_this_week(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    today = DEMO_NOW.date()
    upcoming = []
    for customer in rows(store, Customer):
        if customer.birthday is None:
            continue
        days = (customer.birthday.replace(year=today.year) - today).days
        if 1 <= days <= 7:
            upcoming.append(days)
    assert len(upcoming) >= 4
    assert 1 in upcoming and 3 in upcoming


def _assert_waiting_consistent(store: Store) -> None:
    messages: dict[int, list[Message]] = defaultdict(list)
    for message in sorted(rows(store, Message), key=lambda m: m.id):
        messages[message.conversation_id].append(message)
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for contact in sorted(rows(store, Contact), key=lambda c: c.occurred_at):
        if contact.conversation_id is not None:
            contacts[contact.conversation_id].append(contact)
    for conversation in rows(store, Conversation):
        thread = messages[conversation.id]
        if conversation.channel == "email":
            assert thread and not contacts[conversation.id]
            waiting = None
            first_in = first_out = None
            for message in thread:
                if message.direction == "outbound":
                    waiting = None
                    if first_in is not None and first_out is None:
                        first_out = message.received_at
                elif not message.is_automated:
                    first_in = first_in or message.received_at
                    waiting = waiting or message.received_at
            assert conversation.first_response_at == first_out
            assert conversation.created_at == thread[0].received_at
            assert conversation.last_message_at == thread[-1].received_at
            assert conversation.account_id is not None
        else:
            assert not thread and contacts[conversation.id]
            waiting = None
            for contact in contacts[conversation.id]:
                waiting = None if contact.agent_id else waiting or contact.occurred_at
            assert conversation.last_message_at == contacts[conversation.id][-1].occurred_at
        if conversation.status == "closed":
            waiting = None
        assert conversation.waiting_since == waiting, conversation.id


def test_conversation_fields_agree_with_threads(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    _assert_waiting_consistent(store)


def test_queue_shape(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    conversations = rows(store, Conversation)
    share: dict[str, int] = defaultdict(int)
    for conversation in conversations:
        share[conversation.status] += 1
        if conversation.status == "snoozed":
            assert conversation.snoozed_until is not None
            assert conversation.snoozed_until > DEMO_NOW
    total = len(conversations)
    assert 0.5 <= share["open"] / total <= 0.7
    assert 0.1 <= share["pending"] / total <= 0.2
    assert 0.05 <= share["snoozed"] / total <= 0.15
    assert 0.1 <= share["closed"] / total <= 0.2
    waits = [DEMO_NOW - c.waiting_since for c in conversations if c.waiting_since]
    assert min(waits) < timedelta(minutes=30)
    assert max(waits) > timedelta(days=3)
    channels = {c.channel for c in conversations}
    assert channels == {"email", "phone", "chat", "social"}
    assert 10 <= sum(c.channel != "email" for c in conversations) <= 20
    assert any(c.assignee_id for c in conversations)
    assert any(c.assignee_id is None for c in conversations)


def test_contacts_follow_habits(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    customers = {c.id: c for c in rows(store, Customer)}
    contacts = rows(store, Contact)
    early_caller = next(c for c in customers.values() if c.preferred_hours == "08:00-09:00")
    calls = [k for k in contacts if k.customer_id == early_caller.id and k.channel == "phone"]
    assert len(calls) >= 8
    # 08:00–09:00 in Germany is 07:00–08:00 UTC in winter, 06:00–07:00 in summer.
    assert all(6 <= k.occurred_at.hour < 8 for k in calls)
    for contact in contacts:
        assert contact.summary and contact.occurred_at <= DEMO_NOW
        assert (contact.duration_s is not None) <= (contact.channel == "phone")
    assert {k.channel for k in contacts} == {"phone", "chat", "social"}


def test_templates(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    templates = rows(store, ReplyTemplate)
    keys = {t.key for t in templates}
    assert {
        "where-is-my-order",
        "return-label",
        "broken-item-replacement",
        "invoice-copy",
        "size-guide",
        "discount-code",
        "address-change",
        "thanks",
        "birthday-greeting",
    } <= keys
    assert keys == {t.key for t in templates if t.language == "en"}
    assert {t.language for t in templates if t.key == "where-is-my-order"} == LANGUAGES
    bodies = "\n".join(t.body for t in templates)
    for variable in (
        "{{ customer.first_name }}",
        "{{ agent.name }}",
        "{{ order.name }}",
        "{{ order.tracking_url }}",
        "{{ order.carrier }}",
        "{{ order.tracking_number }}",
        "{{ shop.name }}",
        "{{ customer.first_name | there }}",
    ):
        assert variable in bodies


def test_hostile_fixture_is_present(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    eve = next(c for c in rows(store, Customer) if c.name == HOSTILE_NAME)
    conversation = next(c for c in rows(store, Conversation) if c.customer_id == eve.id)
    assert conversation.subject == HOSTILE_SUBJECT
    assert conversation.status == "open" and conversation.waiting_since is not None
    bodies = [m.body_text for m in rows(store, Message) if m.conversation_id == conversation.id]
    assert bodies == [HOSTILE_BODY]
    for needle in (
        "[bold red]x[/]",
        "[link=https://evil.example]click[/link]",
        "\x1b[2J",
        "\x1b]52;c;aGVsbG8=\x07",
        "\u202eevil\u202c",
    ):
        assert needle in HOSTILE_BODY


def test_nothing_happens_after_now(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    times = [m.received_at for m in rows(store, Message)]
    times += [e.at for e in rows(store, Event)]
    times += [o.updated_at for o in rows(store, Order)]
    times += [c.created_at for c in rows(store, Customer)]
    assert max(times) <= DEMO_NOW
    assert all(e.actor == "demo" for e in rows(store, Event))
