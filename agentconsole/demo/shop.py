"""Building the demo shop: the public entry point and the order in which the parts are made.

Why one orchestrator: the generators depend on each other (conversations ask for orders,
contacts mention orders, customers exist from their first activity), and the whole shop must
come out byte-for-byte the same for the same seed and ``now``. Everything is built in memory
from one ``random.Random(seed)``, numbered (messages by arrival time, which the full-text
index relies on), and only then written in a single transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random

from sqlmodel import select

from agentconsole.demo.contacts import build_linked, build_standalone
from agentconsole.demo.conversations import plan_threads, write_messages
from agentconsole.demo.events import build_events
from agentconsole.demo.orders import PlannedOrder, build_orders, plan_history
from agentconsole.demo.people import build_people, settle_created_at
from agentconsole.demo.staff import (
    SHOP_DOMAIN,
    make_account,
    make_agents,
    make_mailboxes,
    make_shop,
)
from agentconsole.demo.world import World
from agentconsole.store.db import Store
from agentconsole.store.models import Customer

DEMO_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo wrote."""

    customers: int
    conversations: int
    messages: int
    orders: int
    contacts: int


def build_demo(store: Store, *, now: datetime = DEMO_NOW, seed: int = 7) -> DemoSummary:
    """Fill an empty, migrated store with the demo shop, in one transaction.

    Raises ``ValueError`` if the store already has customers (the demo never mixes with real
    data) or if ``now`` is naive.
    """
    if now.tzinfo is None:
        raise ValueError("build_demo needs a timezone-aware now")
    world = generate(now.astimezone(UTC).replace(microsecond=0), seed)
    with store.session() as session:
        if session.exec(select(Customer.id).limit(1)).first() is not None:
            raise ValueError(
                f"{store.path}: the store already has customers; the demo needs an empty one"
            )
        for group in _insert_groups(world):
            session.add_all(group)
            session.flush()
    return DemoSummary(
        customers=len(world.customers),
        conversations=len(world.conversations),
        messages=len(world.messages),
        orders=len(world.orders),
        contacts=len(world.contacts),
    )


def generate(now: datetime, seed: int) -> World:
    """The whole demo shop in memory, rows numbered and linked, nothing written yet."""
    world = World(now=now, rng=Random(seed), shop=make_shop(), account=make_account())
    world.mailboxes = make_mailboxes(world.account)
    world.agents = make_agents()
    people = build_people(world)
    threads, requested = plan_threads(world, people)
    history = plan_history(world, people, len(requested))
    orders = build_orders(world, requested + history)
    by_person: dict[int, list[PlannedOrder]] = defaultdict(list)
    for planned in orders:
        by_person[planned.person.id].append(planned)
    write_messages(world, threads)
    build_linked(world, people, by_person)
    build_standalone(world, people, by_person)
    settle_created_at(people, _first_seen(world), world)
    _number(world)
    build_events(world, seed)
    return world


def _first_seen(world: World) -> dict[int, datetime]:
    seen: dict[int, datetime] = {}

    def note(customer_id: int | None, at: datetime) -> None:
        if customer_id is not None and (customer_id not in seen or at < seen[customer_id]):
            seen[customer_id] = at

    for order in world.orders:
        note(order.customer_id, order.created_at)
    for conversation in world.conversations:
        note(conversation.customer_id, conversation.created_at)
    for contact in world.contacts:
        note(contact.customer_id, contact.occurred_at)
    return seen


def _number(world: World) -> None:
    """Final ids: conversations by creation, messages by arrival, contacts by occurrence."""
    world.conversations.sort(key=lambda c: (c.created_at, c.id or 0))
    renumber: dict[int, int] = {}
    for new_id, conversation in enumerate(world.conversations, start=1):
        assert conversation.id is not None
        renumber[conversation.id] = new_id
        conversation.id = new_id
    for tag in world.conversation_tags:
        tag.conversation_id = renumber[tag.conversation_id]
    world.conversation_tags.sort(key=lambda t: (t.conversation_id, t.tag))
    for message in world.messages:
        message.conversation_id = renumber[message.conversation_id]
    for contact in world.contacts:
        if contact.conversation_id is not None:
            contact.conversation_id = renumber[contact.conversation_id]

    indexed = list(enumerate(world.messages))
    indexed.sort(key=lambda pair: (pair[1].received_at, pair[1].conversation_id, pair[0]))
    world.messages = [message for _, message in indexed]
    thread: dict[int, list[str]] = defaultdict(list)
    for new_id, message in enumerate(world.messages, start=1):
        message.id = new_id
        message.message_id = f"demo-{new_id}@{SHOP_DOMAIN}"  # normalised, as the sync stores ids
        earlier = thread[message.conversation_id]
        if earlier:
            message.in_reply_to = earlier[-1]
            message.references = " ".join(earlier[-10:])
        earlier.append(message.message_id)

    contacts = list(enumerate(world.contacts))
    contacts.sort(key=lambda pair: (pair[1].occurred_at, pair[1].customer_id, pair[0]))
    world.contacts = [contact for _, contact in contacts]
    for new_id, contact in enumerate(world.contacts, start=1):
        contact.id = new_id


def _insert_groups(world: World) -> list[list[object]]:
    """Rows in foreign-key order, one flush per group."""
    return [
        [world.shop, world.account, *world.agents],
        [*world.mailboxes, *world.customers],
        [*world.identities, *world.customer_tags, *world.orders],
        [*world.order_lines, *world.shipments, *world.refunds, *world.conversations],
        [*world.conversation_tags, *world.messages, *world.contacts, *world.events],
    ]
