"""Email conversations: which customer writes about what, when, and the thread that follows.

Why this shape: the inbox is only convincing if every field agrees with the thread beneath it.
So each conversation is planned first (scenario, status, how far the thread got, the exact
time of every message, the orders it needs), the orders are built, and only then are the
messages written out and the conversation's fields derived from them, the same way the mail
sync would derive them. Threads are timed backwards from their last message, so waiting times
can be chosen to span minutes to days and agents only ever write in office hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from agentconsole.demo.catalogue import BED_SIZES, RETURNABLE_SKUS, TEAPOT_SKU
from agentconsole.demo.hostile import HOSTILE_BODY, HOSTILE_SUBJECT
from agentconsole.demo.orders import PlannedOrder, RefundRequest
from agentconsole.demo.people import ADDRESSES, Person, ascii_fold
from agentconsole.demo.scripts import LanguageScript, format_money, script_for
from agentconsole.demo.staff import SHOP_DOMAIN, SHOP_EMAIL, SHOP_NAME, SHOP_URL, agents_for
from agentconsole.demo.timing import (
    agent_time_before,
    customer_time_before,
    hours,
    log_hours,
    stratified_log_ages,
)
from agentconsole.demo.world import World
from agentconsole.store.models import Agent, Conversation, ConversationTag, Message

# How many email conversations of each kind (the teapot and the hostile one come on top).
EMAIL_MIX: dict[str, int] = {
    "wismo": 34,
    "returns": 22,
    "sizing": 14,
    "invoice": 14,
    "promo": 18,
    "address": 12,
    "thanks": 14,
}
# Statuses of those conversations; with the teapot, hostile and phone/chat ones the whole
# inbox is about 60% open, 15% pending, 10% snoozed and 15% closed.
EMAIL_STATUSES: dict[str, int] = {"open": 82, "pending": 19, "snoozed": 12, "closed": 15}
TEAPOT_STATUSES: dict[str, tuple[str, int]] = {
    # status → (status, how many beats of the six-beat teapot saga happened)
    "open-a": ("open", 3),
    "open-b": ("open", 3),
    "pending": ("pending", 4),
    "snoozed": ("snoozed", 2),
    "closed-a": ("closed", 6),
    "closed-b": ("closed", 6),
}

SCENARIO_TAGS: dict[str, tuple[str, ...]] = {
    "wismo": ("shipping",),
    "returns": ("returns",),
    "sizing": ("sizing", "pre-sale"),
    "teapot": ("damaged", "replacement"),
    "invoice": ("invoice",),
    "promo": ("promo",),
    "address": ("shipping", "address-change"),
    "thanks": ("feedback",),
    "hostile": ("shipping",),
}
ORDER_SCENARIOS = frozenset({"wismo", "returns", "teapot", "invoice", "address", "thanks"})

# Hours a customer takes to write the next message in a thread, by scenario.
CUSTOMER_GAPS: dict[str, tuple[float, float]] = {
    "wismo": (12, 72),
    "returns": (36, 140),
    "teapot": (80, 150),
    "sizing": (1, 30),
    "invoice": (1, 48),
    "promo": (0.2, 8),
    "address": (1, 20),
    "thanks": (1, 24),
}
MAX_THREADS_PER_PERSON = 6
HOSTILE_QUEUE_POSITION = 5  # 0 = waiting longest
PROMO_CODES = ("WINTER15", "BLACKWEEK20", "NEWSLETTER10", "WELCOME10")
BOUNCE_FROM = f"mailer-daemon@mx.{SHOP_DOMAIN}"
COMPANIES: dict[str, tuple[str, ...]] = {
    "en": ("Harbour Lane Interiors Ltd", "The Linen Room Ltd"),
    "de": ("Weiß & Partner GbR", "Ferienwohnungen Seeblick GmbH"),
    "fr": ("Atelier Lefèvre SARL", "Maison d'hôtes Les Tilleuls SAS"),
    "it": ("Trattoria Bianchi S.r.l.", "Studio Conti S.n.c."),
    "es": ("Casa Núñez S.L.", "Ortega Interiorismo S.L."),
    "pl": ("Kawiarnia Zofia sp. z o.o.", "Pracownia Wójcik s.c."),
}


@dataclass
class Beat:
    """One message to be written: when, who, and which text."""

    at: datetime
    inbound: bool
    kind: str  # script | nudge | thanks | auto-reply | bounce | hostile
    index: int = 0


@dataclass
class Thread:
    """A planned email conversation."""

    conversation: Conversation
    person: Person
    scenario: str
    agent: Agent
    beats: list[Beat]
    orders: dict[str, PlannedOrder] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)


@dataclass
class _Job:
    scenario: str
    status: str
    person: Person | None = None
    count: int = 1
    nudge: bool = False
    final_thanks: bool = False
    waiting: bool = False


def _weight(person: Person, scenario: str) -> float:
    channel = person.spec.preferred_channel
    weight = 3.0 if channel == "email" else 0.6 if channel in ("phone", "chat") else 2.0
    if scenario == "invoice" and person.spec.company:
        weight *= 4
    return weight


def _shape(job: _Job, beats: int, rng: Random) -> None:
    """How far the thread got, given the conversation's status."""
    if job.status == "open":
        job.waiting = rng.random() < 0.87
        if job.waiting:
            odd = [n for n in (1, 3, 5) if n < beats] or [1]
            job.count = rng.choices(odd, (50, 35, 15)[: len(odd)])[0]
            job.nudge = rng.random() < 0.22
        else:
            job.count = 2
    elif job.status in ("pending", "snoozed"):
        job.count = 2 if beats == 2 or rng.random() < 0.7 else 4
    else:
        job.count = beats if rng.random() < 0.7 else 2
        job.final_thanks = rng.random() < 0.3


def plan_threads(world: World, people: list[Person]) -> tuple[list[Thread], list[PlannedOrder]]:
    """Plan every email conversation and the orders they refer to."""
    rng = world.rng
    jobs = [_Job(s, "") for s, n in EMAIL_MIX.items() for _ in range(n)]
    statuses = [s for s, n in EMAIL_STATUSES.items() for _ in range(n)]
    rng.shuffle(statuses)
    for job, status in zip(jobs, statuses, strict=True):
        job.status = status
    teapot_people = [p for p in people if p.has("teapot")]
    for person, (status, count) in zip(teapot_people, TEAPOT_STATUSES.values(), strict=True):
        jobs.append(_Job("teapot", status, person=person, count=count, waiting=status == "open"))
    rng.shuffle(jobs)
    hostile = next(p for p in people if p.has("hostile"))
    jobs.append(_Job("hostile", "open", person=hostile, count=1, waiting=True))

    load: dict[int, int] = {}
    regular = [p for p in people if not p.has("hostile")]
    for job in jobs:
        if job.scenario not in ("teapot", "hostile"):
            _shape(job, len(script_for("en").scenarios[job.scenario].beats), rng)
            pool = [
                p
                for p in regular
                if load.get(p.id, 0) < MAX_THREADS_PER_PERSON
                and not (job.scenario in ORDER_SCENARIOS and p.has("no-orders"))
            ]
            job.person = rng.choices(pool, [_weight(p, job.scenario) for p in pool])[0]
        assert job.person is not None
        load[job.person.id] = load.get(job.person.id, 0) + 1

    waiting_jobs = [job for job in jobs if job.waiting]
    ages = stratified_log_ages(rng, len(waiting_jobs), 5 / 60, 150)
    age_of = {id(job): age for job, age in zip(waiting_jobs, ages, strict=True)}
    threads: list[Thread] = []
    orders: list[PlannedOrder] = []
    for job in jobs:
        thread = _plan_one(world, job, age_of.get(id(job)))
        threads.append(thread)
        orders.extend(thread.orders.values())
    _add_automated(world, threads)
    _place_hostile(threads)
    return threads, orders


def _waiting_start(thread: Thread) -> datetime | None:
    """When the customer's unanswered run of messages began, if the thread ends with one."""
    start = None
    for beat in thread.beats:
        if not beat.inbound:
            start = None
        elif beat.kind not in ("auto-reply", "bounce") and start is None:
            start = beat.at
    return start if thread.conversation.status != "closed" else None


def _place_hostile(threads: list[Thread]) -> None:
    """Eve waits sixth-longest: on the first screen of the queue, and so of every snapshot."""
    hostile = next(t for t in threads if t.scenario == "hostile")
    starts = sorted(
        start for t in threads if t is not hostile and (start := _waiting_start(t)) is not None
    )
    before, after = starts[HOSTILE_QUEUE_POSITION - 1], starts[HOSTILE_QUEUE_POSITION]
    hostile.beats[0].at = (before + (after - before) / 2).replace(microsecond=0)


def _plan_one(world: World, job: _Job, waiting_age: timedelta | None) -> Thread:
    rng, now = world.rng, world.now
    person = job.person
    assert person is not None
    kinds: list[tuple[bool, str, int]] = [(i % 2 == 0, "script", i) for i in range(job.count)]
    if job.scenario == "hostile":
        kinds = [(True, "hostile", 0)]
    if job.nudge:
        kinds.append((True, "nudge", 0))
    if job.final_thanks and not kinds[-1][0]:
        kinds.append((True, "thanks", 0))
    if waiting_age is not None:
        end = now - waiting_age
    elif job.status == "closed":
        end = now - log_hours(rng, 30, 540 * 24)
    else:
        end = now - log_hours(rng, 0.5, 120)
    times: list[datetime] = []
    at = end
    for position in range(len(kinds) - 1, -1, -1):
        inbound, kind, index = kinds[position]
        if position < len(kinds) - 1 or not inbound:
            at = customer_time_before(at, rng) if inbound else agent_time_before(at, rng)
        times.append(at.replace(microsecond=0))
        if position > 0:
            at = at - _gap(job.scenario, kinds[position], rng)
    times.reverse()
    beats = [
        Beat(at=t, inbound=inbound, kind=kind, index=index)
        for t, (inbound, kind, index) in zip(times, kinds, strict=True)
    ]
    agent = rng.choice(agents_for(person.language, world.agents))
    conversation = Conversation(
        id=world.next_id("conversation"),
        subject="",
        status=job.status,
        channel="email",
        customer_id=person.id,
        account_id=world.account.id,
        last_message_at=times[-1],
        created_at=times[0],
    )
    thread = Thread(conversation, person, job.scenario, agent, beats)
    _plan_orders(world, thread, job)
    return thread


def _gap(scenario: str, kind: tuple[bool, str, int], rng: Random) -> timedelta:
    """Time between a message and the one before it."""
    inbound, name, _ = kind
    if name == "nudge":
        return hours(rng, 20, 70)
    if name == "thanks":
        return log_hours(rng, 0.3, 20)
    if not inbound:
        return log_hours(rng, 0.4, 26)
    low, high = CUSTOMER_GAPS.get(scenario, (1, 24))
    return log_hours(rng, low, high)


def _script_times(thread: Thread) -> list[datetime]:
    return [beat.at for beat in thread.beats if beat.kind == "script"]


def _plan_orders(world: World, thread: Thread, job: _Job) -> None:
    rng, now = world.rng, world.now
    scenario, person = thread.scenario, thread.person
    if scenario not in ORDER_SCENARIOS:
        return
    t = _script_times(thread)
    start = t[0]
    closed = job.status == "closed"
    if scenario == "wismo":
        created = start - hours(rng, 4 * 24, 9 * 24)
        shipped = created + hours(rng, 16, 40)
        delivered = None
        if closed:
            delivered = min(thread.beats[-1].at + hours(rng, 3, 30), now - timedelta(minutes=10))
        thread.orders["order"] = PlannedOrder(person, created, shipped, delivered)
    elif scenario in ("returns", "thanks"):
        delivered = start - hours(rng, 2, 140 if scenario == "returns" else 60)
        shipped = delivered - hours(rng, 24, 96)
        created = shipped - hours(rng, 16, 40)
        sku = rng.choice(RETURNABLE_SKUS)
        order = PlannedOrder(person, created, shipped, delivered, include_sku=sku)
        if scenario == "returns" and len(t) >= 4:
            reason = rng.choice(("Returned: wrong size", "Returned: colour not as expected"))
            order.refunds.append(RefundRequest(t[3] - hours(rng, 0.2, 1), reason, sku=sku))
        thread.orders["order"] = order
    elif scenario == "teapot":
        delivered = start - hours(rng, 1, 10)
        shipped = delivered - hours(rng, 24, 72)
        created = shipped - hours(rng, 16, 40)
        original = PlannedOrder(person, created, shipped, delivered, include_sku=TEAPOT_SKU)
        thread.orders["order"] = original
        if len(t) >= 2:
            made = t[1] - hours(rng, 0.1, 0.4)
            sent = made + hours(rng, 15, 30)
            arrived = t[2] - hours(rng, 1, 8) if len(t) >= 3 else None
            thread.orders["replacement"] = PlannedOrder(
                person, made, sent, arrived, include_sku=TEAPOT_SKU, replacement_of=original
            )
        if len(t) >= 4:
            original.refunds.append(
                RefundRequest(t[3] - hours(rng, 0.1, 0.6), "Arrived broken twice", TEAPOT_SKU)
            )
    elif scenario == "invoice":
        created = start - hours(rng, 24, 40 * 24)
        shipped = created + hours(rng, 16, 40)
        delivered = shipped + hours(rng, 24, 96)
        thread.orders["order"] = PlannedOrder(person, created, shipped, delivered)
    elif scenario == "address":
        # Held for the new address, then shipped once the agent has changed it.
        order = PlannedOrder(person, start - hours(rng, 0.5, 20))
        if len(t) >= 2:
            order.shipped_at = t[1] + hours(rng, 2, 20)
            order.delivered_at = order.shipped_at + hours(rng, 24, 96)
        thread.orders["order"] = order


def _add_automated(world: World, threads: list[Thread]) -> None:
    """Two out-of-office replies and one bounce, arriving just after an agent's message."""
    rng = world.rng
    candidates = [
        th
        for th in threads
        if th.conversation.status in ("pending", "snoozed")
        and th.scenario not in ("teapot", "hostile")
        and not th.beats[-1].inbound
    ]
    rng.shuffle(candidates)
    chosen: list[Thread] = []
    languages: set[str] = set()
    for thread in candidates:
        if thread.person.language not in languages:
            chosen.append(thread)
            languages.add(thread.person.language)
        if len(chosen) == 3:
            break
    for n, thread in enumerate(chosen):
        last = thread.beats[-1].at
        kind = "bounce" if n == 2 else "auto-reply"
        thread.beats.append(Beat(at=last + hours(rng, 0.01, 0.06), inbound=True, kind=kind))


def _context(world: World, thread: Thread, script: LanguageScript) -> dict[str, str]:
    rng = world.rng
    person, language = thread.person, thread.person.language
    bed, fitted, duvet = rng.choice(BED_SIZES)
    company = person.spec.company or rng.choice(COMPANIES[language])
    context = {
        "first": person.first,
        "full": person.name,
        "agent": thread.agent.name,
        "shop": SHOP_NAME,
        "returns_url": f"{SHOP_URL}/returns",
        "bed": bed,
        "fitted": fitted,
        "duvet": duvet,
        "company": company,
        "vat_id": _vat_id(language, rng),
        "po": str(rng.randint(1000, 99999)),
        "code": rng.choice(PROMO_CODES),
        "new_code": f"SORRY15-{ascii_fold(person.first).upper()[:6]}{rng.randint(10, 99)}",
        "address": rng.choice(ADDRESSES[language]),
        "product": "",
        "variant": "",
        "amount": "",
        "replacement": "",
    }
    order = thread.orders.get("order")
    if order is None:
        return context
    start = _script_times(thread)[0]
    context.update(
        order=order.name,
        status_url=(order.order.status_url or "") if order.order else "",
        days=str(max((start - order.created_at).days, 1)),
    )
    if order.shipment is not None:
        context.update(
            carrier=order.shipment.carrier,
            tracking=order.shipment.tracking_number,
            tracking_url=order.shipment.tracking_url or "",
        )
    if order.include_sku:
        line = order.line_for(order.include_sku)
        context.update(
            product=script.products.get(order.include_sku, line.title),
            variant=line.variant,
            amount=format_money(line.total, language),
        )
    replacement = thread.orders.get("replacement")
    if replacement is not None:
        context["replacement"] = replacement.name
    return context


def _vat_id(language: str, rng: Random) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(11))
    return {
        "en": f"GB{digits[:9]}",
        "de": f"DE{digits[:9]}",
        "fr": f"FR{digits}",
        "it": f"IT{digits}",
        "es": f"ESB{digits[:8]}",
        "pl": f"PL{digits[:10]}",
    }[language]


class _StrictContext(dict[str, str]):
    """Placeholders for the scripts; a typo in a script fails loudly instead of printing."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"demo script uses unknown placeholder {{{key}}}")


def write_messages(world: World, threads: list[Thread]) -> None:
    """Write every planned thread out as messages and derive its conversation fields."""
    for thread in threads:
        _write_thread(world, thread)


def _write_thread(world: World, thread: Thread) -> None:
    rng = world.rng
    person = thread.person
    script = script_for(person.language)
    context = _StrictContext(_context(world, thread, script))
    if thread.scenario == "hostile":
        subject = HOSTILE_SUBJECT
    else:
        scenario = script.scenarios[thread.scenario]
        subject = rng.choice(scenario.subjects).format_map(context)
    conversation = thread.conversation
    conversation.subject = subject
    first_inbound = True
    for beat in thread.beats:
        reply = bool(thread.messages)
        message_subject = f"Re: {subject}" if reply else subject
        if beat.kind == "hostile":
            body = HOSTILE_BODY
        elif beat.kind == "auto-reply":
            message_subject = script.auto_reply_subject.format(subject=f"Re: {subject}")
            body = script.auto_reply_body.format_map(context)
        elif beat.kind == "bounce":
            _write_bounce(thread, beat, message_subject)
            continue
        elif beat.kind == "nudge":
            body = f"{rng.choice(script.nudges)}\n\n{person.first}"
        elif beat.kind == "thanks":
            body = f"{rng.choice(script.thanks)}\n\n{person.first}"
        elif beat.inbound:
            text = rng.choice(script.scenarios[thread.scenario].beats[beat.index])
            greeting = rng.choice(script.customer_greetings) if first_inbound else ""
            if not first_inbound and rng.random() < 0.4:
                greeting = rng.choice(script.customer_greetings)
            body = _customer_body(greeting, text, rng.choice(script.customer_signoffs), context)
        else:
            text = rng.choice(script.scenarios[thread.scenario].beats[beat.index])
            body = "\n\n".join(
                (
                    script.agent_greeting.format_map(context),
                    text.format_map(context),
                    script.agent_signoff.format_map(context),
                )
            )
        if beat.inbound:
            first_inbound = False
        thread.messages.append(_message(world, thread, beat, message_subject, body))
    _derive(world, thread)


def _customer_body(greeting: str, text: str, signoff: str, context: dict[str, str]) -> str:
    filled = text.format_map(context)
    if not greeting:
        filled = filled[:1].upper() + filled[1:]
    parts = [greeting, filled] if greeting else [filled]
    return "\n\n".join([*parts, signoff.format_map(context)])


def _message(world: World, thread: Thread, beat: Beat, subject: str, body: str) -> Message:
    rng = world.rng
    person = thread.person
    if beat.inbound:
        return Message(
            message_id="",
            conversation_id=thread.conversation.id or 0,
            customer_id=person.id,
            direction="inbound",
            channel="email",
            from_addr=person.email,
            from_name=person.name,
            to_addrs=SHOP_EMAIL,
            subject=subject,
            sent_at=beat.at - timedelta(seconds=rng.randint(3, 90)),
            received_at=beat.at,
            body_text=body,
            is_automated=beat.kind == "auto-reply",
        )
    return Message(
        message_id="",
        conversation_id=thread.conversation.id or 0,
        agent_id=thread.agent.id,
        direction="outbound",
        channel="email",
        from_addr=SHOP_EMAIL,
        from_name=SHOP_NAME,
        to_addrs=person.email,
        subject=subject,
        sent_at=beat.at,
        received_at=beat.at,
        body_text=body,
        seen=True,
    )


def _write_bounce(thread: Thread, beat: Beat, subject: str) -> None:
    address = thread.person.email
    body = (
        f"This is the mail system at host mx.{SHOP_DOMAIN}.\n\n"
        "I'm sorry to have to inform you that your message could not be delivered to one or "
        "more recipients. It's attached below.\n\n"
        f"<{address}>: host mx.{address.split('@')[1]} said: 552 5.2.2 <{address}>: "
        "Mailbox full (in reply to RCPT TO command)\n\n"
        f"Subject: {subject}"
    )
    thread.messages.append(
        Message(
            message_id="",
            conversation_id=thread.conversation.id or 0,
            direction="inbound",
            channel="email",
            from_addr=BOUNCE_FROM,
            from_name="Mail Delivery System",
            to_addrs=SHOP_EMAIL,
            subject="Undelivered Mail Returned to Sender",
            sent_at=beat.at,
            received_at=beat.at,
            body_text=body,
            is_automated=True,
            seen=True,
        )
    )


def _derive(world: World, thread: Thread) -> None:
    """Conversation fields from the thread, as the mail sync would compute them."""
    rng, now = world.rng, world.now
    conversation, messages = thread.conversation, thread.messages
    waiting: datetime | None = None
    first_in: datetime | None = None
    first_response: datetime | None = None
    for message in messages:
        if message.direction == "outbound":
            waiting = None
            if first_in is not None and first_response is None:
                first_response = message.received_at
        elif not message.is_automated:
            first_in = first_in or message.received_at
            if waiting is None:
                waiting = message.received_at
    if conversation.status == "closed":
        waiting = None
    for message in messages:
        if message.direction == "inbound":
            unread = waiting is not None and message.received_at >= waiting
            message.seen = message.is_automated or not unread
    conversation.waiting_since = waiting
    conversation.first_response_at = first_response
    conversation.created_at = messages[0].received_at
    conversation.last_message_at = messages[-1].received_at
    if conversation.status == "snoozed":
        day = now + timedelta(days=rng.randint(1, 5))
        conversation.snoozed_until = day.replace(hour=7, minute=0, second=0, microsecond=0)
    answered = first_response is not None
    share = {"open": 0.45, "pending": 1.0, "snoozed": 1.0, "closed": 0.8}[conversation.status]
    if answered and rng.random() < share or not answered and rng.random() < 0.2:
        conversation.assignee_id = thread.agent.id
    tags = set(SCENARIO_TAGS[thread.scenario])
    if "vip" in thread.person.spec.tags:
        tags.add("vip")
    if any(beat.kind == "nudge" for beat in thread.beats):
        tags.add("urgent")
    if thread.scenario == "wismo" and sum(m.direction == "inbound" for m in messages) >= 2:
        tags.add("carrier-delay")
    world.conversations.append(conversation)
    assert conversation.id is not None
    world.conversation_tags.extend(
        ConversationTag(conversation_id=conversation.id, tag=tag) for tag in sorted(tags)
    )
    world.messages.extend(messages)
