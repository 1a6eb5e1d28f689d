"""The large demo: the hand-made shop plus generated history up to 100,000 messages, 20,000
customers and 50,000 orders, for trying and measuring the console at scale.

Why built this way: the whole store must be written in well under a minute on a small box.
So everything is generated in memory first from one seeded ``random.Random`` (rows as tuples,
never model instances), numbered (messages by arrival time across both parts, since the
full-text index and every list rely on ids growing with time), then written with
``executemany`` in one bulk transaction and indexed for search before the build counts as done.

The hand-made shop (``shop.generate``) is generated exactly as for the small demo and written
alongside, so its conversations, customers and stories are all still there; only its message
ids (and contact ids) change, to interleave with the generated history by time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from random import Random
from time import perf_counter
from typing import Any

from sqlmodel import SQLModel

from agentconsole.demo.large_base import Sizes, stamp
from agentconsole.demo.large_orders import (
    LINE_COLUMNS,
    ORDER_COLUMNS,
    REFUND_COLUMNS,
    SHIPMENT_COLUMNS,
    build_rows,
    plan_background,
)
from agentconsole.demo.large_people import build_people, settle
from agentconsole.demo.large_threads import Planner, Writer, number, standalone_contacts
from agentconsole.demo.shop import DEMO_NOW, generate
from agentconsole.demo.staff import SHOP_DOMAIN
from agentconsole.demo.world import World
from agentconsole.store import lookup_text
from agentconsole.store.db import Store
from agentconsole.store.models import Agent, MailAccount, Mailbox, ShopStore

Progress = Callable[[str], None]

CUSTOMER_COLUMNS = (
    "id",
    "name",
    "language",
    "preferred_channel",
    "preferred_hours",
    "timezone",
    "birthday",
    "notes",
    "created_at",
)
IDENTITY_COLUMNS = ("id", "customer_id", "kind", "value", "is_primary", "store_id")
CUSTOMER_TAG_COLUMNS = ("customer_id", "tag")
CONVERSATION_COLUMNS = (
    "id",
    "subject",
    "status",
    "channel",
    "customer_id",
    "account_id",
    "assignee_id",
    "snoozed_until",
    "first_response_at",
    "waiting_since",
    "last_message_at",
    "created_at",
    "removed_at",
    "language",
    "language_source",
    "language_message_id",
    "priority",
    "snooze_until_reply",
    "snooze_choice",
    "merged_into_id",
    "due_at",
    "due_basis",
)
CONVERSATION_TAG_COLUMNS = ("conversation_id", "tag")
MESSAGE_COLUMNS = (
    "id",
    "message_id",
    "conversation_id",
    "customer_id",
    "agent_id",
    "direction",
    "channel",
    "from_addr",
    "from_name",
    "to_addrs",
    "cc_addrs",
    "subject",
    "in_reply_to",
    "references",
    "sent_at",
    "received_at",
    "body_text",
    "is_automated",
    "automated_reason",
    "seen",
    "flagged",
    "size",
    "removed_at",
    "reply_to",
)
CONTACT_COLUMNS = (
    "id",
    "customer_id",
    "conversation_id",
    "channel",
    "direction",
    "occurred_at",
    "summary",
    "duration_s",
    "agent_id",
)
EVENT_COLUMNS = ("id", "at", "agent_id", "actor", "kind", "subject_type", "subject_id", "data")
NOTE_COLUMNS = ("id", "conversation_id", "agent_id", "at", "body")
LINK_COLUMNS = ("conversation_id", "order_id", "linked_at", "agent_id")


@dataclass(frozen=True)
class LargeDemoSummary:
    """How many rows of each kind the large demo holds, and where the time went."""

    customers: int
    conversations: int
    messages: int
    orders: int
    contacts: int
    notes: int
    seconds: dict[str, float] = field(default_factory=dict)
    """generate, insert, index and total, in seconds."""


@dataclass
class Table:
    name: str
    columns: Sequence[str]
    rows: list[Sequence[Any]]


def build_large_demo(
    store: Store,
    *,
    now: datetime = DEMO_NOW,
    seed: int = 7,
    scale: float = 1.0,
    progress: Progress | None = None,
) -> LargeDemoSummary:
    """Fill an empty, migrated store with the large demo shop and index it for search.

    ``scale`` shrinks every total (0.01: 1,000 messages, 200 customers, 500 orders) for tests.
    Raises ``ValueError`` if the store already has customers or ``now`` is naive.
    """
    if now.tzinfo is None:
        raise ValueError("build_large_demo needs a timezone-aware now")
    say = progress or (lambda _text: None)
    sizes = Sizes.scaled(scale)
    started = perf_counter()
    with store.read() as db:
        if db.scalar("SELECT 1 FROM customer LIMIT 1") is not None:
            raise ValueError(
                f"{store.path}: the store already has customers; the demo needs an empty one"
            )
    say(
        f"generating {sizes.messages:,} messages, {sizes.customers:,} customers, "
        f"{sizes.orders:,} orders …"
    )
    tables = generate_large(now.astimezone(UTC).replace(microsecond=0), seed, sizes)
    generated = perf_counter()
    count = sum(len(table.rows) for table in tables)
    say(f"writing {count:,} rows … (generated in {generated - started:.1f} s)")
    with store.write(bulk=True) as w:
        # The lookup tables' triggers rebuild a row per inserted row (+6 s here); one backfill
        # after the load costs a fraction of that. One transaction: a failure keeps them.
        for name in lookup_text.TRIGGERS:
            w.execute(f"DROP TRIGGER {name}")
        for table in tables:
            columns = ", ".join(f'"{c}"' for c in table.columns)
            marks = ", ".join("?" * len(table.columns))
            w.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', table.rows)
        for sql in (*lookup_text.BACKFILL, *lookup_text.TRIGGERS.values()):
            w.execute(sql)
    inserted = perf_counter()
    by_name = {table.name: len(table.rows) for table in tables}
    say(
        f"indexing {by_name['message']:,} messages for search … (written in {inserted - generated:.1f} s)"
    )
    store.search.catch_up()
    indexed = perf_counter()
    return LargeDemoSummary(
        customers=by_name["customer"],
        conversations=by_name["conversation"],
        messages=by_name["message"],
        orders=by_name["order"],
        contacts=by_name["contact"],
        notes=by_name["conversation_note"],
        seconds={
            "generate": round(generated - started, 2),
            "insert": round(inserted - generated, 2),
            "index": round(indexed - inserted, 2),
            "total": round(indexed - started, 2),
        },
    )


def generate_large(
    now: datetime, seed: int, sizes: Sizes, stages: dict[str, float] | None = None
) -> list[Table]:
    """Every row of the large demo, in insert (foreign-key) order; ``stages`` collects how
    long each part took (seconds)."""
    clock = _Stopwatch(stages)
    world = generate(now, seed)
    clock.lap("small shop")
    # Its own stream, so the hand-made shop comes out exactly as in the small demo.
    rng = Random(seed * 1_000_003 + 17)
    assert world.shop.id is not None and world.account.id is not None
    identities: list[tuple[object, ...]] = []
    customer_tags: list[tuple[object, ...]] = []
    people = build_people(
        rng,
        now,
        max(sizes.customers - len(world.customers), 0),
        first_id=len(world.customers) + 1,
        first_store_index=7001 + len(world.customers),
        shop_id=world.shop.id,
        used_emails={i.value for i in world.identities if i.kind == "email"},
        used_phones={i.value for i in world.identities if i.kind == "phone"},
        identities=identities,
        tags=customer_tags,
        next_identity=len(world.identities) + 1,
    )
    clock.lap("customers")
    order_budget = max(sizes.orders - len(world.orders), 0)
    planner = Planner(now, rng, world.agents, people)
    threads = planner.plan(max(sizes.messages - len(world.messages), 0), order_budget)
    clock.lap("plan conversations")
    plans = planner.orders
    buyers = [p for p in people if p.buyer]
    plans += plan_background(buyers, order_budget - len(plans), now, rng)
    for plan in plans:
        plan.person.orders.append(plan)
    orders = build_rows(
        plans,
        now,
        rng,
        shop_id=world.shop.id,
        first_ids={
            "order": len(world.orders) + 1,
            "order_line": len(world.order_lines) + 1,
            "shipment": len(world.shipments) + 1,
            "refund": len(world.refunds) + 1,
        },
    )
    clock.lap("orders")
    number(threads, len(world.conversations) + 1)
    writer = Writer(now, rng, world.account.id)
    writer.seq = len(world.messages)
    rows = writer.write(threads)
    clock.lap("write conversations")
    standalone = standalone_contacts(people, world.agents, now, rng)
    customers = settle(people, now, rng)
    clock.lap("contacts")

    messages, latest_inbound = _number_messages(_message_drafts(world) + rows.messages)
    languages = {c.id: c.language for c in world.customers}
    conversations = []
    for row in _model_rows(world.conversations, CONVERSATION_COLUMNS):
        conversation = list(row)
        conversation[13] = languages[conversation[4]]
        _detected(conversation, latest_inbound)
        conversations.append(conversation)
    for conversation in rows.conversations:
        _detected(conversation, latest_inbound)
        conversations.append(conversation)
    contacts = _contact_drafts(world) + rows.contacts + standalone
    contacts.sort(key=itemgetter(0, 1))  # stable: ties keep their order
    events = sorted(rows.events, key=itemgetter(0, 3, 2))
    first_event = len(world.events) + 1
    notes = sorted(rows.notes, key=itemgetter(2, 0))
    data = {"now": now.isoformat(), "seed": seed, "size": "large", **sizes.__dict__}
    closing_event = (
        first_event + len(events),
        stamp(now),
        None,
        "demo",
        "demo.generated",
        "shop_store",
        world.shop.id,
        json.dumps(data, sort_keys=True),
    )
    clock.lap("number")
    return [
        Table("shop_store", _columns(ShopStore), _model_rows([world.shop], _columns(ShopStore))),
        Table(
            "mail_account",
            _columns(MailAccount),
            _model_rows([world.account], _columns(MailAccount)),
        ),
        Table("agent", _columns(Agent), _model_rows(world.agents, _columns(Agent))),
        Table("mailbox", _columns(Mailbox), _model_rows(world.mailboxes, _columns(Mailbox))),
        Table(
            "customer",
            CUSTOMER_COLUMNS,
            _model_rows(world.customers, CUSTOMER_COLUMNS) + customers,
        ),
        Table(
            "customer_identity",
            IDENTITY_COLUMNS,
            _model_rows(world.identities, IDENTITY_COLUMNS) + identities,
        ),
        Table(
            "customer_tag",
            CUSTOMER_TAG_COLUMNS,
            _model_rows(world.customer_tags, CUSTOMER_TAG_COLUMNS) + customer_tags,
        ),
        Table("order", ORDER_COLUMNS, _model_rows(world.orders, ORDER_COLUMNS) + orders.orders),
        Table(
            "order_line", LINE_COLUMNS, _model_rows(world.order_lines, LINE_COLUMNS) + orders.lines
        ),
        Table(
            "shipment",
            SHIPMENT_COLUMNS,
            _model_rows(world.shipments, SHIPMENT_COLUMNS) + orders.shipments,
        ),
        Table(
            "refund", REFUND_COLUMNS, _model_rows(world.refunds, REFUND_COLUMNS) + orders.refunds
        ),
        Table("conversation", CONVERSATION_COLUMNS, conversations),
        Table(
            "conversation_tag",
            CONVERSATION_TAG_COLUMNS,
            _model_rows(world.conversation_tags, CONVERSATION_TAG_COLUMNS) + rows.tags,
        ),
        Table("message", MESSAGE_COLUMNS, messages),
        Table(
            "contact",
            CONTACT_COLUMNS,
            [
                (n, c[1], c[2], c[3], c[4], c[0], c[5], c[6], c[7])
                for n, c in enumerate(contacts, start=1)
            ],
        ),
        Table(
            "event",
            EVENT_COLUMNS,
            [
                *_model_rows(world.events, EVENT_COLUMNS),
                *(
                    (n, e[0], e[1], "demo", e[2], "conversation", e[3], e[4])
                    for n, e in enumerate(events, start=first_event)
                ),
                closing_event,
            ],
        ),
        Table(
            "conversation_note",
            NOTE_COLUMNS,
            [(n, *note) for n, note in enumerate(notes, start=1)],
        ),
        Table("conversation_order", LINK_COLUMNS, sorted(rows.links, key=itemgetter(0, 1))),
    ]


class _Stopwatch:
    def __init__(self, stages: dict[str, float] | None) -> None:
        self.stages = stages
        self.last = perf_counter()

    def lap(self, stage: str) -> None:
        if self.stages is not None:
            now = perf_counter()
            self.stages[stage] = round(now - self.last, 2)
            self.last = now


def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(column.name for column in model.__table__.columns)  # type: ignore[attr-defined]


def _value(value: object) -> object:
    """A model attribute as the ORM would store it."""
    if isinstance(value, datetime):
        return stamp(value.astimezone(UTC))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _model_rows(objects: Iterable[SQLModel], columns: Sequence[str]) -> list[tuple[object, ...]]:
    return [tuple(_value(getattr(o, c)) for c in columns) for o in objects]


def _message_drafts(world: World) -> list[tuple[object, ...]]:
    """The hand-made shop's messages in the generator's draft form (see ``large_threads``)."""
    drafts = []
    for seq, m in enumerate(world.messages):
        assert not (m.flagged or m.size or m.removed_at or m.reply_to), "not carried over"
        received = stamp(m.received_at)
        drafts.append(
            (received, m.conversation_id, seq, m.customer_id, m.agent_id, m.direction,
             m.channel, m.from_addr, m.from_name, m.to_addrs, m.cc_addrs, m.subject,
             stamp(m.sent_at), received, m.body_text, int(m.is_automated), m.automated_reason,
             int(m.seen))
        )  # fmt: skip
    return drafts


def _number_messages(
    drafts: list[tuple[object, ...]],
) -> tuple[list[tuple[object, ...]], dict[int, int]]:
    """Ids by arrival, Message-IDs from them, threads linked (In-Reply-To, References), and
    each conversation's latest message from the customer (what its language is read from)."""
    drafts.sort(key=itemgetter(0, 1, 2))
    rows = []
    threads: dict[object, list[str]] = {}
    latest_inbound: dict[int, int] = {}
    for new_id, d in enumerate(drafts, start=1):
        message_id = f"demo-{new_id}@{SHOP_DOMAIN}"  # normalised, as the sync stores ids
        earlier = threads.setdefault(d[1], [])
        in_reply_to = earlier[-1] if earlier else None
        references = " ".join(earlier[-10:])
        earlier.append(message_id)
        if d[5] == "inbound" and not d[15]:
            latest_inbound[d[1]] = new_id  # type: ignore[index]
        rows.append(
            (new_id, message_id, d[1], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11],
             in_reply_to, references, d[12], d[13], d[14], d[15], d[16], d[17], 0, 0, None, "")
        )  # fmt: skip
    return rows, latest_inbound


def _detected(conversation: list[object], latest_inbound: dict[int, int]) -> None:
    """The language as if detected from the customer's latest message (the customer's own)."""
    message = latest_inbound.get(conversation[0])  # type: ignore[call-overload]
    if message is not None:
        conversation[14] = "detected"
        conversation[15] = message


def _contact_drafts(world: World) -> list[tuple[object, ...]]:
    return [
        (stamp(c.occurred_at), c.customer_id, c.conversation_id, c.channel, c.direction,
         c.summary, c.duration_s, c.agent_id)
        for c in world.contacts
    ]  # fmt: skip
