"""Thirty thousand conversations: email threads in six languages, calls, chats, notes, links.

Why this shape: as in ``conversations.py``, a conversation is planned first (scenario, status,
how many messages, when each was written, the orders it is about), the orders are built, and
only then are the messages written and the conversation's fields derived from them the way the
mail sync derives them. The wording comes from the small demo's scripts (``scripts/``), with
generic follow-ups (``large_phrases.py``) once a scenario's script has run out, so a thread of
eight messages still reads as one conversation.

Most conversations are closed history spread over eighteen months; a few hundred are open
(waiting from minutes to days), pending or snoozed, which is the queue an agent triages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from random import Random

from agentconsole.demo.catalogue import BED_SIZES, RETURNABLE_SKUS, TEAPOT_SKU
from agentconsole.demo.contacts import CALLBACKS, SUMMARIES
from agentconsole.demo.conversations import COMPANIES, CUSTOMER_GAPS, PROMO_CODES, SCENARIO_TAGS
from agentconsole.demo.large_base import (
    HISTORY_DAYS,
    between,
    maybe_stamp,
    one,
    pick,
    span,
    stamp,
)
from agentconsole.demo.large_orders import OrderPlan
from agentconsole.demo.large_people import Person
from agentconsole.demo.large_phrases import (
    CHANNEL_LABELS,
    EXTRAS,
    NOTES,
    NOTES_WITH_ORDER,
    UNANSWERED,
)
from agentconsole.demo.people import ADDRESSES, ascii_fold
from agentconsole.demo.scripts import LanguageScript, format_money, script_for
from agentconsole.demo.staff import SHOP_EMAIL, SHOP_NAME, SHOP_URL, agents_for
from agentconsole.demo.timing import (
    agent_time_before,
    customer_time_before,
    is_summer_time,
    log_hours,
)
from agentconsole.store.models import Agent

SCENARIOS: tuple[str, ...] = (
    "wismo",
    "returns",
    "sizing",
    "teapot",
    "invoice",
    "promo",
    "address",
    "thanks",
)
_CUM_SCENARIOS = list(accumulate((24, 16, 10, 4, 10, 12, 8, 10)))
ORDERLESS: tuple[str, ...] = ("sizing", "promo")
ORDER_SCENARIOS = frozenset(SCENARIOS) - frozenset(ORDERLESS)

# Shares of all conversations: the rest is closed history.
STATUS_SHARES: tuple[tuple[str, float], ...] = (
    ("open", 0.013),
    ("pending", 0.010),
    ("snoozed", 0.007),
)
CHANNEL_SHARE = 0.07
"""Conversations on the phone, in a chat or on social media (made of contacts, not mail)."""
_CHANNELS = ("phone", "chat", "social")
_CUM_CHANNELS = list(accumulate((5, 3, 1)))
_LENGTHS = (1, 2, 3, 4, 5, 6, 7, 8)
_CUM_LENGTHS = list(accumulate((8, 30, 14, 24, 8, 8, 4, 4)))
MAX_MESSAGES = 8
NOTE_SHARE = 0.04
LINK_SHARE = 0.65
STANDALONE_SHARE = 0.12
"""Customers with calls, chats or social messages outside any conversation."""


@dataclass
class Thread:
    """A planned conversation (email, or contacts on another channel)."""

    person: Person
    scenario: str
    status: str
    channel: str
    agent: Agent
    kinds: list[tuple[bool, str, int]]
    """(inbound, kind, index): kind is script | extra | thanks | nudge | auto-reply, or for
    contacts answered | unanswered | callback."""
    times: list[datetime] = field(default_factory=list)
    orders: dict[str, OrderPlan] = field(default_factory=dict)
    id: int = 0


@dataclass
class ThreadRows:
    """What writing the threads produced, as rows (messages still unnumbered)."""

    conversations: list[list[object]] = field(default_factory=list)
    tags: list[tuple[object, ...]] = field(default_factory=list)
    messages: list[tuple[object, ...]] = field(default_factory=list)
    contacts: list[tuple[object, ...]] = field(default_factory=list)
    notes: list[tuple[object, ...]] = field(default_factory=list)
    links: list[tuple[object, ...]] = field(default_factory=list)
    events: list[tuple[object, ...]] = field(default_factory=list)


class Planner:
    """Plans conversations until the message budget is spent."""

    def __init__(
        self, now: datetime, rng: Random, agents: list[Agent], people: list[Person]
    ) -> None:
        self.now = now
        self.rng = rng
        self.by_language = {language: agents_for(language, agents) for language in EXTRAS}
        self.people = people
        self.people_cum = list(accumulate(p.weight for p in people))
        self.buyers = [p for p in people if p.buyer]
        self.buyers_cum = list(accumulate(p.weight for p in self.buyers))
        self.orders: list[OrderPlan] = []

    # -- what, who, when ------------------------------------------------------------------

    def plan(self, message_budget: int, order_budget: int) -> list[Thread]:
        rng = self.rng
        threads: list[Thread] = []
        remaining = message_budget
        forced = ["open", "pending", "snoozed"]  # every status shows up, even at 1/100 size
        while remaining > 0 and self.people:
            if rng.random() < CHANNEL_SHARE:
                threads.append(self._contact_thread(self._status()))
            status = forced.pop(0) if forced else self._status()
            scenario = self._scenario(order_budget - len(self.orders))
            count = pick(rng, _LENGTHS, _CUM_LENGTHS)
            kinds = self._kinds(scenario, status, count)
            if len(kinds) > remaining:
                status, kinds = "closed", self._kinds(scenario, "closed", remaining)
            if len(kinds) == 1 and status == "closed" and scenario != "thanks":
                scenario = "thanks" if order_budget > len(self.orders) else "sizing"
                kinds = self._kinds(scenario, status, 1)
            remaining -= len(kinds)
            threads.append(self._email_thread(scenario, status, kinds))
        return threads

    def _status(self) -> str:
        roll = self.rng.random()
        for status, share in STATUS_SHARES:
            if roll < share:
                return status
            roll -= share
        return "closed"

    def _scenario(self, orders_left: int) -> str:
        if orders_left < 2:
            return one(self.rng, ORDERLESS)
        return pick(self.rng, SCENARIOS, _CUM_SCENARIOS)

    def _person(self, scenario: str) -> Person:
        if scenario in ORDER_SCENARIOS and self.buyers:
            return pick(self.rng, self.buyers, self.buyers_cum)
        return pick(self.rng, self.people, self.people_cum)

    def _kinds(self, scenario: str, status: str, count: int) -> list[tuple[bool, str, int]]:
        """Who writes which message: customer and agent by turns, the script first."""
        rng = self.rng
        beats = len(script_for("en").scenarios[scenario].beats)
        nudge = False
        if status == "open" and count % 2 == 0:  # the customer wrote twice, still waiting
            count, nudge = count - 1, True
        elif status in ("pending", "snoozed") and count % 2 == 1:  # the agent wrote last
            count = count + 1 if count < MAX_MESSAGES else count - 1
        kinds = [
            (i % 2 == 0, "script", i) if i < beats else (i % 2 == 0, "extra", i - beats)
            for i in range(count)
        ]
        if status == "closed" and count % 2 == 1 and count > 1:
            kinds[-1] = (True, "thanks", 0)  # closed after the customer's thank-you
        if nudge:
            kinds.append((True, "nudge", 0))
        if status == "pending" and len(kinds) < MAX_MESSAGES and rng.random() < 0.05:
            kinds.append((True, "auto-reply", 0))  # out of office, right after the agent
        return kinds

    def _end(self, status: str) -> datetime:
        rng, now = self.rng, self.now
        if status == "open":
            return now - log_hours(rng, 0.03, 200)
        if status == "pending":
            return now - log_hours(rng, 0.5, 150)
        if status == "snoozed":
            return now - log_hours(rng, 1, 240)
        days = 0.3 + (HISTORY_DAYS - 40) * rng.random() ** 1.15
        return now - timedelta(days=days)

    # -- email ----------------------------------------------------------------------------

    def _email_thread(
        self, scenario: str, status: str, kinds: list[tuple[bool, str, int]]
    ) -> Thread:
        rng = self.rng
        person = self._person(scenario)
        agent = one(rng, self.by_language[person.language])
        thread = Thread(person, scenario, status, "email", agent, kinds)
        times: list[datetime] = []
        automated = kinds[-1][1] == "auto-reply"
        plain = kinds[:-1] if automated else kinds
        at = self._end(status)
        if automated:
            at -= timedelta(minutes=5)
        for position in range(len(plain) - 1, -1, -1):
            inbound, kind, _ = plain[position]
            if position < len(plain) - 1 or not inbound:
                at = customer_time_before(at, rng) if inbound else agent_time_before(at, rng)
            times.append(at.replace(microsecond=0))
            if position > 0:
                at = at - self._gap(scenario, plain[position])
        times.reverse()
        if automated:
            times.append(times[-1] + span(rng, 0.01, 0.06))
        thread.times = times
        self._plan_orders(thread)
        return thread

    def _gap(self, scenario: str, kind: tuple[bool, str, int]) -> timedelta:
        rng = self.rng
        inbound, name, _ = kind
        if name == "nudge":
            return span(rng, 20, 70)
        if name == "thanks":
            return log_hours(rng, 0.3, 20)
        if not inbound:
            return log_hours(rng, 0.4, 26)
        if name == "extra":
            return log_hours(rng, 1, 48)
        low, high = CUSTOMER_GAPS.get(scenario, (1, 24))
        return log_hours(rng, low, high)

    def _plan_orders(self, thread: Thread) -> None:
        """The orders the conversation is about, timed around it (as ``conversations.py``)."""
        scenario, person = thread.scenario, thread.person
        if scenario not in ORDER_SCENARIOS:
            return
        rng, now = self.rng, self.now
        t = [at for at, kind in zip(thread.times, thread.kinds, strict=True) if kind[1] == "script"]
        start = t[0]
        if scenario == "wismo":
            created = start - span(rng, 4 * 24, 9 * 24)
            shipped = created + span(rng, 16, 40)
            delivered = None
            if thread.status == "closed":
                delivered = min(thread.times[-1] + span(rng, 3, 30), now - timedelta(minutes=10))
            order = OrderPlan(person, created, shipped, delivered)
        elif scenario in ("returns", "thanks"):
            delivered = start - span(rng, 2, 140 if scenario == "returns" else 60)
            shipped = delivered - span(rng, 24, 96)
            created = shipped - span(rng, 16, 40)
            sku = one(rng, RETURNABLE_SKUS)
            order = OrderPlan(person, created, shipped, delivered, include_sku=sku)
            if scenario == "returns" and len(t) >= 4:
                reason = one(rng, ("Returned: wrong size", "Returned: colour not as expected"))
                order.refunds.append((t[3] - span(rng, 0.2, 1), reason, sku, None))
        elif scenario == "teapot":
            delivered = start - span(rng, 1, 10)
            shipped = delivered - span(rng, 24, 72)
            created = shipped - span(rng, 16, 40)
            order = OrderPlan(person, created, shipped, delivered, include_sku=TEAPOT_SKU)
            if len(t) >= 2:
                made = t[1] - span(rng, 0.1, 0.4)
                sent = made + span(rng, 15, 30)
                arrived = t[2] - span(rng, 1, 8) if len(t) >= 3 else None
                replacement = OrderPlan(person, made, sent, arrived, include_sku=TEAPOT_SKU)
                replacement.replacement_of = order
                thread.orders["replacement"] = replacement
            if len(t) >= 4:
                order.refunds.append(
                    (t[3] - span(rng, 0.1, 0.6), "Arrived broken twice", TEAPOT_SKU, None)
                )
        elif scenario == "invoice":
            created = start - span(rng, 24, 40 * 24)
            shipped = created + span(rng, 16, 40)
            order = OrderPlan(person, created, shipped, shipped + span(rng, 24, 96))
        else:  # address: held for the new address, shipped once the agent changed it
            order = OrderPlan(person, start - span(rng, 0.5, 20))
            if len(t) >= 2:
                order.shipped = t[1] + span(rng, 2, 20)
                order.delivered = order.shipped + span(rng, 24, 96)
        thread.orders = {"order": order, **thread.orders}
        for plan in thread.orders.values():
            plan.created = plan.created.replace(microsecond=0)
            self.orders.append(plan)

    # -- phone, chat, social ----------------------------------------------------------------

    def _contact_thread(self, status: str) -> Thread:
        rng = self.rng
        channel = pick(rng, _CHANNELS, _CUM_CHANNELS)
        candidates = [self._person("sizing") for _ in range(4)]
        if channel == "phone":
            candidates = [p for p in candidates if p.phone] or candidates
        person = candidates[0]
        agent = one(rng, self.by_language[person.language])
        if status == "open":
            steps = one(rng, ((False,), (True, False)))
        elif status == "closed":
            steps = one(rng, ((True,), (True,), (False, True), (True, True)))
        else:
            steps = (True,)
        kinds = []
        for n, answered in enumerate(steps):
            if not answered:
                kinds.append((True, "unanswered", 0))
            elif n > 0 and channel == "phone" and not steps[n - 1]:
                kinds.append((False, "callback", 0))
            else:
                kinds.append((True, "answered", 0))
        thread = Thread(person, "contact", status, channel, agent, kinds)
        at = self._end(status)
        times = []
        for inbound, kind, _ in reversed(kinds):
            if kind == "unanswered":
                at = customer_time_before(at, rng)
            else:  # someone took the call or answered the chat: office hours
                at = agent_time_before(at, rng)
            times.append(at.replace(microsecond=0))
            at -= span(rng, 2, 30) if inbound else span(rng, 0.5, 6)
        thread.times = times[::-1]
        return thread


def number(threads: list[Thread], first_id: int) -> None:
    """Conversation ids by creation time, as the small demo numbers its own."""
    ordered = sorted(enumerate(threads), key=lambda pair: (pair[1].times[0], pair[0]))
    for offset, (_, thread) in enumerate(ordered):
        thread.id = first_id + offset
    threads.sort(key=lambda t: t.id)


class _StrictContext(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"demo script uses unknown placeholder {{{key}}}")


class Writer:
    """Turns planned threads into rows."""

    def __init__(self, now: datetime, rng: Random, account_id: int) -> None:
        self.now = now
        self.rng = rng
        self.account_id = account_id
        self.rows = ThreadRows()
        self.seq = 0

    def write(self, threads: list[Thread]) -> ThreadRows:
        for thread in threads:
            if thread.channel == "email":
                self._email(thread)
            else:
                self._contacts(thread)
        return self.rows

    # -- email ----------------------------------------------------------------------------

    def _context(self, thread: Thread, script: LanguageScript) -> _StrictContext:
        rng = self.rng
        person, language = thread.person, thread.person.language
        bed, fitted, duvet = one(rng, BED_SIZES)
        digits = f"{rng.randrange(10**11):011d}"
        context = _StrictContext(
            first=person.first,
            full=person.name,
            agent=thread.agent.name,
            shop=SHOP_NAME,
            returns_url=f"{SHOP_URL}/returns",
            bed=bed,
            fitted=fitted,
            duvet=duvet,
            company=one(rng, COMPANIES[language]),
            vat_id=_vat_id(language, digits),
            po=str(between(rng, 1000, 99999)),
            code=one(rng, PROMO_CODES),
            new_code=f"SORRY15-{ascii_fold(person.first).upper()[:6]}{between(rng, 10, 99)}",
            address=one(rng, ADDRESSES[language]),
            product="",
            variant="",
            amount="",
            replacement="",
        )
        order = thread.orders.get("order")
        if order is None:
            return context
        context.update(
            order=order.name,
            status_url=order.status_url,
            days=str(max((thread.times[0] - order.created).days, 1)),
        )
        if order.carrier:
            context.update(
                carrier=order.carrier, tracking=order.tracking, tracking_url=order.tracking_url
            )
        if order.include_sku:
            line = order.line_for(order.include_sku)
            context.update(
                product=script.products.get(order.include_sku, line[1]),
                variant=line[2],
                amount=format_money(line[5], language),
            )
        replacement = thread.orders.get("replacement")
        if replacement is not None:
            context["replacement"] = replacement.name
        return context

    def _email(self, thread: Thread) -> None:
        rng, person = self.rng, thread.person
        script = script_for(person.language)
        extras = EXTRAS[person.language]
        context = self._context(thread, script)
        scenario = script.scenarios[thread.scenario]
        subject = one(rng, scenario.subjects).format_map(context)
        followups = rng.sample(range(len(extras.followups)), len(extras.followups))
        cid = thread.id
        waiting: datetime | None = None
        first_in: datetime | None = None
        first_response: datetime | None = None
        drafts: list[list[object]] = []
        said = (-1, 0, 0)  # the customer's last script beat: (index, wording, wordings)
        last = len(thread.kinds) - 1
        for position, ((inbound, kind, index), at) in enumerate(
            zip(thread.kinds, thread.times, strict=True)
        ):
            message_subject = f"Re: {subject}" if position else subject
            automated = kind == "auto-reply"
            if automated:
                message_subject = script.auto_reply_subject.format(subject=f"Re: {subject}")
                body = script.auto_reply_body.format_map(context)
            elif kind == "nudge":
                body = f"{one(rng, script.nudges)}\n\n{person.first}"
            elif kind == "thanks":
                body = f"{one(rng, script.thanks)}\n\n{person.first}"
            elif inbound:
                if kind == "script":
                    options = scenario.beats[index]
                    said = (index, int(rng.random() * len(options)), len(options))
                    text = options[said[1]]
                else:
                    text = extras.followups[followups[index // 2 % len(followups)]][0]
                greeting = ""
                if position == 0 or rng.random() < 0.4:
                    greeting = one(rng, script.customer_greetings)
                body = _customer_body(greeting, text, one(rng, script.customer_signoffs), context)
            else:
                if kind == "script":
                    options = scenario.beats[index]
                    # Wordings of a question and its answer pair up by position.
                    if said[0] == index - 1 and said[2] == len(options):
                        text = options[said[1]].format_map(context)
                    else:
                        text = one(rng, options).format_map(context)
                else:
                    text = extras.followups[followups[index // 2 % len(followups)]][1]
                if position == last and thread.status == "closed" and rng.random() < 0.5:
                    text = f"{text}\n\n{one(rng, extras.closers)}"
                body = "\n\n".join(
                    (
                        script.agent_greeting.format_map(context),
                        text,
                        script.agent_signoff.format_map(context),
                    )
                )
            received = stamp(at)
            if inbound:
                sent = stamp(at - timedelta(seconds=between(rng, 3, 90)))
                drafts.append(
                    [received, cid, self.seq, person.id, None, "inbound", "email", person.email,
                     person.name, SHOP_EMAIL, "", message_subject, sent, received, body,
                     int(automated), "auto-reply" if automated else None, 1]
                )  # fmt: skip
                if not automated:
                    first_in = first_in or at
                    waiting = waiting or at
            else:
                drafts.append(
                    [received, cid, self.seq, None, thread.agent.id, "outbound", "email",
                     SHOP_EMAIL, SHOP_NAME, person.email, "", message_subject, received, received,
                     body, 0, None, 1]
                )  # fmt: skip
                waiting = None
                if first_in is not None and first_response is None:
                    first_response = at
            self.seq += 1
        if thread.status == "closed":
            waiting = None
        if waiting is not None:  # what the customer wrote since is unread
            start = stamp(waiting)
            for draft in drafts:
                if draft[5] == "inbound" and not draft[15] and draft[0] >= start:  # type: ignore[operator]
                    draft[17] = 0
        self.rows.messages.extend(tuple(d) for d in drafts)
        tags = set(SCENARIO_TAGS[thread.scenario])
        if person.vip:
            tags.add("vip")
        nudged = any(kind[1] == "nudge" for kind in thread.kinds)
        if nudged:
            tags.add("urgent")
        if thread.scenario == "wismo" and sum(kind[0] for kind in thread.kinds) >= 2:
            tags.add("carrier-delay")
        priority = 1
        if nudged or person.vip or thread.scenario == "teapot":
            priority = 2
        if nudged and waiting is not None and self.now - waiting > timedelta(hours=48):
            priority = 3
        elif thread.scenario in ("thanks", "promo") and rng.random() < 0.6:
            priority = 0
        elif rng.random() < 0.004:
            priority = 3
        self._conversation(
            thread, subject, self.account_id, waiting, first_response, sorted(tags), priority
        )

    # -- phone, chat, social ----------------------------------------------------------------

    def _contacts(self, thread: Thread) -> None:
        rng, person = self.rng, thread.person
        order = _latest_order(person, thread.times[0])
        waiting: datetime | None = None
        first_response: datetime | None = None
        subject = ""
        for (inbound, kind, _), at in zip(thread.kinds, thread.times, strict=True):
            if kind == "unanswered":
                summary = one(rng, UNANSWERED[thread.channel])
                agent_id = None
                waiting = waiting or at
            elif kind == "callback":
                summary = one(rng, CALLBACKS if order else CALLBACKS[1:])
                agent_id = thread.agent.id
            else:
                summary = one(rng, SUMMARIES[thread.channel])
                agent_id = thread.agent.id
            if agent_id is not None:
                waiting = None
                first_response = first_response or at
            if "{" in summary and order is None:
                summary = one(rng, [s for s in SUMMARIES[thread.channel] if "{" not in s])
            summary = _fill(summary, order)
            subject = subject or _subject(thread.channel, summary)
            duration = between(rng, 60, 900) if thread.channel == "phone" and agent_id else None
            self.rows.contacts.append(
                (stamp(at), person.id, thread.id, thread.channel,
                 "inbound" if inbound else "outbound", summary, duration, agent_id)
            )  # fmt: skip
        if thread.status == "closed":
            waiting = None
        priority = 2 if waiting is not None and rng.random() < 0.3 else 1
        tags = [_contact_tag(subject)]
        self._conversation(thread, subject, None, waiting, first_response, tags, priority)

    # -- the conversation row and what hangs off it ------------------------------------------

    def _conversation(
        self,
        thread: Thread,
        subject: str,
        account_id: int | None,
        waiting: datetime | None,
        first_response: datetime | None,
        tags: list[str],
        priority: int,
    ) -> None:
        rng, now = self.rng, self.now
        status, created, last = thread.status, thread.times[0], thread.times[-1]
        answered = first_response is not None
        share = {"open": 0.45, "pending": 1.0, "snoozed": 1.0, "closed": 0.8}[status]
        assignee = (
            thread.agent.id
            if answered and rng.random() < share or not answered and rng.random() < 0.2
            else None
        )
        snoozed_until = None
        until_reply = True
        choice = None
        if status == "snoozed":
            choice, snoozed_until = _snooze(last, now, rng)
            until_reply = rng.random() < 0.7
        person = thread.person
        self.rows.conversations.append(
            [thread.id, subject, status, thread.channel, person.id, account_id, assignee,
             maybe_stamp(snoozed_until), maybe_stamp(first_response), maybe_stamp(waiting),
             stamp(last), stamp(created), None, person.language, None, None, priority,
             int(until_reply), choice, None, None, None]
        )  # fmt: skip
        self.rows.tags.extend((thread.id, tag) for tag in tags)
        person.seen(created)
        agent_id = thread.agent.id
        if answered and thread.orders and rng.random() < LINK_SHARE:
            assert first_response is not None
            linked = stamp(min(first_response - timedelta(minutes=between(rng, 1, 9)), now))
            for plan in thread.orders.values():
                self.rows.links.append((thread.id, plan.id, linked, agent_id))
        if answered and rng.random() < NOTE_SHARE:
            assert first_response is not None
            order = thread.orders.get("order")
            for _ in range(one(rng, (1, 1, 2))):
                span = max((last - first_response).total_seconds(), 60)
                at = first_response + timedelta(seconds=rng.uniform(0, span))
                if order is not None and order.carrier and rng.random() < 0.6:
                    body = one(rng, NOTES_WITH_ORDER).format(
                        order=order.name, carrier=order.carrier
                    )
                else:
                    body = one(rng, NOTES)
                self.rows.notes.append(
                    (thread.id, agent_id, stamp(min(at, now).replace(microsecond=0)), body)
                )
        self._events(thread, assignee, first_response, snoozed_until)

    def _events(
        self,
        thread: Thread,
        assignee: int | None,
        first_response: datetime | None,
        snoozed_until: datetime | None,
    ) -> None:
        rng, now = self.rng, self.now
        created, last = thread.times[0], thread.times[-1]
        events = self.rows.events
        if assignee is not None:
            at = first_response or created
            if at > created:
                at -= timedelta(minutes=between(rng, 1, 20))
            data = json.dumps({"assignee": thread.agent.handle})
            events.append((stamp(min(at, now)), assignee, "conversation.assigned", thread.id, data))
        if snoozed_until is not None:
            at = min(last + timedelta(minutes=between(rng, 1, 5)), now)
            data = json.dumps({"until": snoozed_until.isoformat()})
            events.append((stamp(at), assignee, "conversation.snoozed", thread.id, data))
        if thread.status == "closed":
            at = min(last + timedelta(minutes=between(rng, 2, 90)), now)
            data = '{"from": "open", "to": "closed"}'
            events.append((stamp(at), assignee, "conversation.status", thread.id, data))


def _vat_id(language: str, digits: str) -> str:
    return {
        "en": f"GB{digits[:9]}",
        "de": f"DE{digits[:9]}",
        "fr": f"FR{digits}",
        "it": f"IT{digits}",
        "es": f"ESB{digits[:8]}",
        "pl": f"PL{digits[:10]}",
    }[language]


def _customer_body(greeting: str, text: str, signoff: str, context: dict[str, str]) -> str:
    filled = text.format_map(context)
    if not greeting:
        filled = filled[:1].upper() + filled[1:]
    parts = [greeting, filled] if greeting else [filled]
    return "\n\n".join([*parts, signoff.format_map(context)])


def _latest_order(person: Person, before: datetime) -> OrderPlan | None:
    latest = None
    for plan in person.orders:
        if (
            plan.created < before
            and plan.replacement_of is None
            and (latest is None or plan.created > latest.created)
        ):
            latest = plan
    return latest


def _fill(summary: str, order: OrderPlan | None) -> str:
    carrier = order.carrier if order is not None and order.carrier else "the carrier"
    return summary.format(order=order.name if order else "their last order", carrier=carrier)


def _subject(channel: str, summary: str) -> str:
    """``Phone: Asked when #10042 will arrive`` — the summary's first clause."""
    head = summary.split(": ", 1)[-1] if channel == "social" else summary
    for stop in ("; ", ". "):
        head = head.split(stop, 1)[0]
    head = head.rstrip(".")
    if len(head) > 60:
        head = head[:59].rsplit(" ", 1)[0] + "…"
    return f"{CHANNEL_LABELS[channel]}: {head}"


_CONTACT_TAGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shipping", ("arrive", "deliver", "tracking", "parcel", "shipped", "cut-off", "neighbour")),
    ("invoice", ("invoice", "paying")),
    ("pre-sale", ("stock", "phone order", "shop to visit")),
)


def _contact_tag(subject: str) -> str:
    """A tag for a call or chat, from what it was about."""
    text = subject.lower()
    for tag, words in _CONTACT_TAGS:
        if any(word in text for word in words):
            return tag
    return "product-question"


def _snooze(last: datetime, now: datetime, rng: Random) -> tuple[str, datetime]:
    """A snooze as an agent would have typed it just after the last message, still ahead."""
    at = min(last + timedelta(minutes=between(rng, 1, 5)), now)
    options: list[tuple[str, datetime]] = [
        (text, (at + span).replace(microsecond=0))
        for text, span in (
            ("3h", timedelta(hours=3)),
            ("2d", timedelta(days=2)),
            ("1w", timedelta(days=7)),
        )
        if at + span > now + timedelta(minutes=20)
    ]
    day = (now + timedelta(days=between(rng, 1, 5))).date()
    nine = datetime(day.year, day.month, day.day, 8, tzinfo=now.tzinfo)  # 9:00 in Berlin
    if is_summer_time(nine):
        nine -= timedelta(hours=1)
    options.append((f"{day.isoformat()} 9:00", nine))
    return one(rng, options)


def standalone_contacts(
    people: list[Person], agents: list[Agent], now: datetime, rng: Random
) -> list[tuple[object, ...]]:
    """Calls, chats and social messages outside any conversation, as ``contacts.py`` logs."""
    by_language = {language: agents_for(language, agents) for language in EXTRAS}
    rows: list[tuple[object, ...]] = []
    for person in people:
        if rng.random() >= STANDALONE_SHARE:
            continue
        for _ in range(one(rng, (1, 1, 1, 2, 3))):
            if person.phone is not None and rng.random() < 0.6:
                channel, start, end, weekdays_only = "phone", 8, 18, True
            else:
                channel, start, end, weekdays_only = (
                    one(rng, ("chat", "chat", "social")),
                    8,
                    22,
                    False,
                )
            day = now - timedelta(days=rng.uniform(0.5, HISTORY_DAYS))
            while weekdays_only and day.weekday() >= 5:
                day -= timedelta(days=1)
            at = day.replace(
                hour=between(rng, start, end - 1),
                minute=between(rng, 0, 59),
                second=between(rng, 0, 59),
                microsecond=0,
            )
            if at > now:
                at -= timedelta(days=1)
            order = _latest_order(person, at)
            outbound = channel == "phone" and rng.random() < 0.15
            if outbound:
                summary = one(rng, CALLBACKS if order else CALLBACKS[1:])
            else:
                options = SUMMARIES[channel]
                summary = one(rng, options)
                if "{" in summary and order is None:
                    summary = one(rng, [s for s in options if "{" not in s])
            rows.append(
                (stamp(at), person.id, None, channel, "outbound" if outbound else "inbound",
                 _fill(summary, order), between(rng, 60, 840) if channel == "phone" else None,
                 one(rng, by_language[person.language]).id)
            )  # fmt: skip
            person.seen(at)
    return rows
