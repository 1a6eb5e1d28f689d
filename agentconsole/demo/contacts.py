"""Phone calls, chats and social messages: logged contacts, and the conversations made of them.

Why: customers differ in how they reach a shop, and the console should show it. Customers with
a habit (the man who always calls before work, the evening chatter) get their contacts at
their own local hours; others call or chat now and then. About fifteen conversations are
phone, chat or social only, so the inbox has to merge contacts in among the email threads.
Summaries are in English: they are the agent's notes, not the customer's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random

from agentconsole.demo.orders import PlannedOrder
from agentconsole.demo.people import Person
from agentconsole.demo.staff import agents_for
from agentconsole.demo.timing import hours, local_to_utc, log_hours
from agentconsole.demo.world import World
from agentconsole.store.models import Agent, Contact, Conversation, ConversationTag

HISTORY_DAYS = 300
OCCASIONAL_PEOPLE = 36

SUMMARIES: dict[str, tuple[str, ...]] = {
    "phone": (
        "Asked when {order} will arrive; {carrier} shows it out for delivery tomorrow.",
        "Wanted to add a second set of napkins to {order} before dispatch; added, sent a "
        "payment link for the difference.",
        "Asked whether the stoneware teapot is dishwasher safe. Advised hand washing.",
        "Asked for the invoice for {order} to be re-sent to the accounts address; sent.",
        "Reported {order} left with a neighbour; gave the neighbour's name from {carrier}.",
        "Asked about the difference between the stone-washed and the waffle towels.",
        "Placed a phone order for a linen tablecloth 140×240 cm; sent a payment link.",
        "Checked that the duvet cover fits a 155×220 cm duvet. It does.",
        "Unhappy about the delay on {order}; offered free shipping on the next order.",
        "Asked whether there is a shop to visit. Online only, pop-up market in December.",
        "Asked if the napkins come in sets of six. Only sets of four; suggested two sets.",
        "Wanted to know if the wool throw is moth-proofed. Untreated; suggested cedar blocks.",
        "Asked about the Christmas delivery cut-off: 18 December within Germany.",
        "Asked if the aprons can be embroidered with a name. Not at the moment.",
        "Asked about paying by invoice; explained bank transfer and PayPal.",
    ),
    "chat": (
        "Asked if the napkins are pre-washed (they are) and how to iron linen.",
        "Wanted the tracking link for {order}; sent it in the chat.",
        "Asked about gift wrapping for Christmas orders; explained the option at checkout.",
        "Asked if the ceramic mugs are microwave safe. They are.",
        "Asked when the Moss teapot is back in stock; early December.",
        "Wanted to change the napkin colour in {order} before dispatch; changed to Sage.",
        "Asked for care instructions for the wool throw; linked the care guide.",
        "Asked whether discount codes work on sale items; they don't.",
        "Asked whether the candles are pure beeswax. They are, with cotton wicks.",
        "Asked if the olive wood board can go in the dishwasher. Hand wash, oil now and then.",
        "Asked how big the seagrass bread basket is (32 × 22 cm).",
    ),
    "social": (
        "Instagram DM: asked which colour the napkins in our latest post are (Sage).",
        "Instagram DM: shared a photo of their table laid with our linen; thanked them.",
        "Facebook message: asked about the last order date for delivery before Christmas.",
        "Instagram comment asking about a restock of the bread baskets; answered publicly.",
        "Instagram DM: asked whether the teapot comes in blue. Only Speckled white and Moss.",
    ),
}
CALLBACKS: tuple[str, ...] = (
    "Called back about {order}: confirmed it leaves the warehouse tomorrow.",
    "Returned the call; no answer, left a voicemail.",
    "Called back with the washing instructions that were asked for.",
)


@dataclass(frozen=True)
class Step:
    inbound: bool
    answered: bool
    summary: str
    seconds: tuple[int, int] | None = None


@dataclass(frozen=True)
class LinkedScript:
    """A conversation that happened entirely on the phone, in a chat or on social media."""

    channel: str
    status: str
    subject: str
    who: str  # a role/habit the customer should have: phone | chat | social | any
    steps: tuple[Step, ...]
    tags: tuple[str, ...]


def answered(summary: str, seconds: tuple[int, int] | None = None) -> Step:
    """The customer reached an agent (a call taken, a chat or message answered)."""
    return Step(inbound=True, answered=True, summary=summary, seconds=seconds)


def unanswered(summary: str) -> Step:
    """A missed call, a voicemail, a message left after hours: somebody is waiting."""
    return Step(inbound=True, answered=False, summary=summary)


def called_back(summary: str, seconds: tuple[int, int]) -> Step:
    return Step(inbound=False, answered=True, summary=summary, seconds=seconds)


LINKED: tuple[LinkedScript, ...] = (
    LinkedScript(
        channel="phone",
        status="closed",
        subject="Phone: delivery date for {order}",
        who="phone",
        steps=(
            answered(
                "Asked when {order} will arrive. {carrier} shows it out for delivery today; "
                "reassured.",
                (120, 300),
            ),
        ),
        tags=("shipping",),
    ),
    LinkedScript(
        channel="phone",
        status="closed",
        subject="Phone: trade prices for aprons",
        who="phone",
        steps=(
            answered(
                "Asked about trade prices for 40 linen aprons for a restaurant. Sent the "
                "wholesale price list by email.",
                (420, 900),
            ),
        ),
        tags=("wholesale",),
    ),
    LinkedScript(
        channel="phone",
        status="open",
        subject="Voicemail: please call back",
        who="phone",
        steps=(
            unanswered(
                "Voicemail (0:48): asks for a call back about a tea towel missing from {order}."
            ),
        ),
        tags=("shipping", "callback"),
    ),
    LinkedScript(
        channel="phone",
        status="pending",
        subject="Phone: pulled thread in tablecloth",
        who="phone",
        steps=(
            answered(
                "Tablecloth from {order} has a pulled thread. Asked for a photo so we can send "
                "a replacement.",
                (180, 420),
            ),
            called_back("Called back: no photo yet, left a voicemail as a reminder.", (30, 70)),
        ),
        tags=("damaged",),
    ),
    LinkedScript(
        channel="phone",
        status="snoozed",
        subject="Phone: Christmas gifts to three addresses",
        who="phone",
        steps=(
            answered(
                "Wants napkin sets sent as gifts to three addresses; will confirm the addresses "
                "by the weekend.",
                (300, 600),
            ),
        ),
        tags=("gift",),
    ),
    LinkedScript(
        channel="phone",
        status="open",
        subject="Missed calls",
        who="any",
        steps=(
            unanswered("Missed call, no voicemail."),
            unanswered("Missed call again from the same number, no voicemail."),
        ),
        tags=("callback",),
    ),
    LinkedScript(
        channel="chat",
        status="closed",
        subject="Chat: is the linen pre-washed?",
        who="chat",
        steps=(
            answered(
                "Asked if the napkins are pre-washed and how to iron them. Linked the care guide."
            ),
        ),
        tags=("pre-sale",),
    ),
    LinkedScript(
        channel="chat",
        status="closed",
        subject="Chat: gift wrapping",
        who="chat",
        steps=(
            answered("Asked whether we gift wrap; explained the €4 linen wrap option at checkout."),
        ),
        tags=("gift",),
    ),
    LinkedScript(
        channel="chat",
        status="open",
        subject="Chat: change mug colour before dispatch",
        who="chat",
        steps=(
            unanswered(
                "Chat message left after hours: wants the mugs in {order} changed from Sand to "
                "Moss."
            ),
        ),
        tags=("order-change",),
    ),
    LinkedScript(
        channel="chat",
        status="pending",
        subject="Chat: restock of the Moss teapot",
        who="chat",
        steps=(
            answered(
                "Asked when the Moss teapot is back. Early December; asked whether to reserve one."
            ),
        ),
        tags=("stock",),
    ),
    LinkedScript(
        channel="chat",
        status="open",
        subject="Chat: waffle towel sizes",
        who="chat",
        steps=(
            answered(
                "Asked whether the 100×150 cm waffle towel works as a beach towel. Answered; "
                "customer is thinking it over."
            ),
        ),
        tags=("sizing",),
    ),
    LinkedScript(
        channel="social",
        status="open",
        subject="Instagram DM: napkin colours",
        who="social",
        steps=(
            unanswered(
                "Instagram DM: do the Terracotta napkins go with the Charcoal table runner?"
            ),
        ),
        tags=("pre-sale",),
    ),
    LinkedScript(
        channel="social",
        status="closed",
        subject="Facebook: delivery to Switzerland?",
        who="any",
        steps=(
            answered(
                "Facebook message: asked if we ship to Switzerland; explained customs fees and "
                "delivery time."
            ),
        ),
        tags=("shipping",),
    ),
    LinkedScript(
        channel="social",
        status="snoozed",
        subject="Instagram: photo of a broken teapot",
        who="social",
        steps=(
            answered(
                "Posted a photo of a broken teapot under our latest post; moved to DM, "
                "replacement being arranged."
            ),
        ),
        tags=("damaged",),
    ),
    LinkedScript(
        channel="social",
        status="closed",
        subject="Instagram DM: blog feature",
        who="any",
        steps=(
            answered(
                "Instagram DM: asked about featuring our linen on their interiors blog; "
                "forwarded to Mara."
            ),
        ),
        tags=(),
    ),
)


def _latest_order(orders: list[PlannedOrder], before: datetime) -> PlannedOrder | None:
    earlier = [o for o in orders if o.created_at < before and o.replacement_of is None]
    return earlier[-1] if earlier else None


def _fill(summary: str, order: PlannedOrder | None) -> str:
    carrier = order.shipment.carrier if order and order.shipment else "the carrier"
    return summary.format(order=order.name if order else "their last order", carrier=carrier)


def _agent(person: Person, agents: list[Agent], rng: Random) -> Agent:
    return rng.choice(agents_for(person.language, agents))


def _pick_person(
    script: LinkedScript,
    people: list[Person],
    used: dict[int, int],
    rng: Random,
) -> Person:
    def fits(p: Person) -> bool:
        habit = p.spec.habit
        if p.has("hostile") or used.get(p.id, 0) >= 2:
            return False
        if script.who == "any":
            return habit is None and (script.channel != "phone" or p.phone is not None)
        return habit is not None and habit.channel == script.who

    pool = [p for p in people if fits(p)]
    person = rng.choice(pool)
    used[person.id] = used.get(person.id, 0) + 1
    return person


def build_linked(
    world: World,
    people: list[Person],
    orders: dict[int, list[PlannedOrder]],
) -> None:
    """The phone, chat and social conversations, with their contacts."""
    rng, now = world.rng, world.now
    used: dict[int, int] = {}
    for script in LINKED:
        person = _pick_person(script, people, used, rng)
        agent = _agent(person, world.agents, rng)
        if script.status == "open" and not script.steps[-1].answered:
            end = now - log_hours(rng, 0.15, 60)
        elif script.status == "closed":
            end = now - log_hours(rng, 24, 200 * 24)
        else:
            end = now - log_hours(rng, 2, 96)
        times = [end]
        for _ in script.steps[1:]:
            times.append(times[-1] - hours(rng, 2, 30))
        times = sorted(_habit_time(person, t, rng) for t in times)
        order = _latest_order(orders.get(person.id, []), times[0])
        conversation = Conversation(
            id=world.next_id("conversation"),
            subject=_fill(script.subject, order),
            status=script.status,
            channel=script.channel,
            customer_id=person.id,
            last_message_at=times[-1],
            created_at=times[0],
        )
        first_response = None
        waiting = None
        for step, at in zip(script.steps, times, strict=True):
            world.contacts.append(
                Contact(
                    customer_id=person.id,
                    conversation_id=conversation.id,
                    channel=script.channel,
                    direction="inbound" if step.inbound else "outbound",
                    occurred_at=at,
                    summary=_fill(step.summary, order),
                    duration_s=rng.randint(*step.seconds) if step.seconds else None,
                    agent_id=agent.id if step.answered else None,
                )
            )
            if step.answered:
                first_response = first_response or at
                waiting = None
            elif waiting is None:
                waiting = at
        conversation.first_response_at = first_response
        conversation.waiting_since = None if script.status == "closed" else waiting
        if script.status == "snoozed":
            day = now + timedelta(days=rng.randint(1, 4))
            conversation.snoozed_until = day.replace(hour=7, minute=0, second=0, microsecond=0)
        if first_response is not None and script.status != "open":
            conversation.assignee_id = agent.id
        world.conversations.append(conversation)
        assert conversation.id is not None
        world.conversation_tags.extend(
            ConversationTag(conversation_id=conversation.id, tag=tag)
            for tag in sorted(set(script.tags))
        )


def _habit_time(person: Person, at: datetime, rng: Random) -> datetime:
    """Move ``at`` (earlier, same or previous day) into the customer's habitual hours."""
    habit = person.spec.habit
    if habit is None:
        return at.replace(microsecond=0)
    day = at.date()
    for _ in range(8):
        candidate = _at_local(person, day, habit.start_hour, habit.end_hour, rng)
        good_day = not habit.weekdays_only or day.weekday() < 5
        if good_day and candidate <= at:
            return candidate
        day -= timedelta(days=1)
    return at.replace(microsecond=0)


def _at_local(person: Person, day: date, start: int, end: int, rng: Random) -> datetime:
    minute_of_window = rng.randrange((end - start) * 60)
    hour, minute = divmod(minute_of_window, 60)
    utc = local_to_utc(day, start + hour, minute, person.language)
    return utc + timedelta(seconds=rng.randrange(60))


def _draw(
    decks: dict[tuple[int, str], list[str]],
    person: Person,
    channel: str,
    has_order: bool,
    rng: Random,
) -> str:
    """A summary this customer hasn't had yet (until the deck runs out), so habits vary."""
    deck = decks.setdefault((person.id, channel), [])
    for _ in range(2):
        for index, summary in enumerate(deck):
            if has_order or "{" not in summary:
                return deck.pop(index)
        deck[:] = SUMMARIES[channel]
        rng.shuffle(deck)
    raise AssertionError(f"no {channel} summary fits")


def build_standalone(
    world: World,
    people: list[Person],
    orders: dict[int, list[PlannedOrder]],
) -> None:
    """Contacts outside any conversation: habits for some customers, occasional for others."""
    rng, now = world.rng, world.now
    plans: list[tuple[Person, str, int, int, bool]] = []
    for person in people:
        habit = person.spec.habit
        if habit is not None:
            plans.extend(
                (person, habit.channel, habit.start_hour, habit.end_hour, habit.weekdays_only)
                for _ in range(habit.count)
            )
    occasional = [p for p in people if p.spec.habit is None and not p.has("hostile")]
    rng.shuffle(occasional)
    for person in occasional[:OCCASIONAL_PEOPLE]:
        for _ in range(rng.choice((1, 1, 2))):
            if person.phone is not None and rng.random() < 0.65:
                plans.append((person, "phone", 9, 18, True))
            else:
                plans.append((person, rng.choice(("chat", "chat", "social")), 8, 22, False))
    decks: dict[tuple[int, str], list[str]] = {}
    for person, channel, start, end, weekdays_only in plans:
        day = (now - timedelta(days=rng.randint(1, HISTORY_DAYS))).date()
        while weekdays_only and day.weekday() >= 5:
            day -= timedelta(days=1)
        at = _at_local(person, day, start, end, rng)
        order = _latest_order(orders.get(person.id, []), at)
        outbound = channel == "phone" and rng.random() < 0.15
        if outbound:
            summary = rng.choice(CALLBACKS if order else CALLBACKS[1:])
        else:
            summary = _draw(decks, person, channel, order is not None, rng)
        world.contacts.append(
            Contact(
                customer_id=person.id,
                channel=channel,
                direction="outbound" if outbound else "inbound",
                occurred_at=at,
                summary=_fill(summary, order),
                duration_s=rng.randint(60, 840) if channel == "phone" else None,
                agent_id=_agent(person, world.agents, rng).id,
            )
        )
