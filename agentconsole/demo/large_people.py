"""Twenty thousand generated customers: native names, addresses, phones, habits, tags.

Why plain slotted objects instead of the models: the large demo builds hundreds of thousands of
rows, and a SQLModel instance costs more to make than the SQLite insert it feeds. Rows are
tuples in the table's column order (see ``large.py``); people keep what the other generators
need to know about them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import accumulate
from random import Random
from typing import TYPE_CHECKING

from agentconsole.demo.large_base import between, one, pick, stamp
from agentconsole.demo.large_phrases import (
    FIRST_NAMES,
    LAST_NAMES,
    POLISH_FIRST_NAMES,
    polish_surname,
)
from agentconsole.demo.people import EMAIL_DOMAINS, LANGUAGES, TIMEZONES, ascii_fold
from agentconsole.demo.timing import log_hours

if TYPE_CHECKING:
    from agentconsole.demo.large_orders import OrderPlan

# Where each language's customers are, by share of the shop's customers.
LANGUAGE_WEIGHTS: tuple[int, ...] = (26, 30, 14, 10, 10, 10)  # en de fr it es pl
assert len(LANGUAGE_WEIGHTS) == len(LANGUAGES)
_CUM_LANGUAGES = list(accumulate(LANGUAGE_WEIGHTS))

# Ofcom keeps these UK numbers free for drama and examples (1000 numbers each); they are
# enough for the large demo's British customers without dialling a real person.
UK_FICTION_PREFIXES: tuple[str, ...] = (
    "+447700900",
    "+441134960",
    "+441144960",
    "+441154960",
    "+441164960",
    "+441174960",
    "+441184960",
    "+441214960",
    "+441314960",
    "+441414960",
    "+441514960",
    "+441614960",
    "+442079460",
)
NOTES: tuple[str, ...] = (
    "Prefers deliveries to the neighbour at number 12.",
    "Asked us not to call before 10 am.",
    "Runs a holiday flat; orders towels and linen in batches.",
    "Allergic to lavender: no scented sachets in parcels.",
    "Prefers plastic-free packaging.",
)


class Person:
    """One generated customer and what the thread and order generators need to know."""

    __slots__ = (
        "id",
        "name",
        "first",
        "language",
        "email",
        "phone",
        "weight",
        "buyer",
        "vip",
        "wholesale",
        "orders",
        "first_seen",
        "row",
    )

    def __init__(self, id: int, name: str, first: str, language: str, email: str) -> None:
        self.id = id
        self.name = name
        self.first = first
        self.language = language
        self.email = email
        self.phone: str | None = None
        self.weight = 1.0
        self.buyer = True
        self.vip = False
        self.wholesale = False
        self.orders: list[OrderPlan] = []
        self.first_seen: datetime | None = None
        self.row: list[object] = []

    def seen(self, at: datetime) -> None:
        if self.first_seen is None or at < self.first_seen:
            self.first_seen = at


def _name(language: str, rng: Random) -> tuple[str, str]:
    """(first name, full name) as people in that country are called."""
    if language == "pl":
        first, female = one(rng, POLISH_FIRST_NAMES)
        return first, f"{first} {polish_surname(one(rng, LAST_NAMES['pl']), female)}"
    first = one(rng, FIRST_NAMES[language])
    last = one(rng, LAST_NAMES[language])
    if language == "es" and rng.random() < 0.45:  # both surnames
        second = one(rng, LAST_NAMES["es"])
        if second != last:
            last = f"{last} {second}"
    return first, f"{first} {last}"


def _email(first: str, full: str, language: str, rng: Random, used: set[str]) -> str:
    f = ascii_fold(first).lower().replace(" ", "").replace("'", "")
    surname = ascii_fold(full[len(first) + 1 :]).lower().replace("'", "")
    last = surname.split(" ")[0]
    style = between(rng, 0, 6)
    if style == 0:
        local = f"{f}.{last}"
    elif style == 1:
        local = f"{f}{last}"
    elif style == 2:
        local = f"{f[0]}.{last}"
    elif style == 3:
        local = f"{f}.{last}{between(rng, 60, 99)}"
    elif style == 4:
        local = f"{f}_{last[:4]}"
    elif style == 5:
        local = f"{last}.{f}"
    else:
        local = f"{f}{between(rng, 1, 999)}"
    local = local.replace(" ", "")
    domain = one(rng, EMAIL_DOMAINS[language])
    email = f"{local}@{domain}"
    while email in used:
        email = f"{local}{between(rng, 1, 9999)}@{domain}"
    used.add(email)
    return email


def _phone(language: str, rng: Random, used: set[str]) -> str:
    """A unique E.164 number; British ones only from Ofcom's fiction ranges."""
    while True:
        if language == "en":
            prefix = one(rng, UK_FICTION_PREFIXES)  # +44 and ten digits in all
            number = f"{prefix}{rng.randrange(1000):03d}"
        elif language == "de":
            number = f"+4915{one(rng, (1, 2, 7, 9))}{rng.randrange(10**8):08d}"
        elif language == "fr":
            number = f"+33{one(rng, (6, 7))}{rng.randrange(10**8):08d}"
        elif language == "it":
            number = f"+393{one(rng, (3, 4, 8, 9))}{rng.randrange(10**8):08d}"
        elif language == "es":
            number = f"+34{one(rng, (6, 7))}{rng.randrange(10**8):08d}"
        else:
            number = f"+48{one(rng, (5, 6, 7))}{rng.randrange(10**8):08d}"
        if number not in used:
            used.add(number)
            return number


def build_people(
    rng: Random,
    now: datetime,
    count: int,
    *,
    first_id: int,
    first_store_index: int,
    shop_id: int,
    used_emails: set[str],
    used_phones: set[str],
    identities: list[tuple[object, ...]],
    tags: list[tuple[object, ...]],
    next_identity: int,
) -> list[Person]:
    """``count`` customers; their identity and tag rows are appended to the lists given.

    The customer rows themselves wait for ``settle`` (a customer exists from a little before
    their first order, message or call, which is only known once everything is generated).
    """
    people: list[Person] = []
    identity_id = next_identity
    for n in range(count):
        language = pick(rng, LANGUAGES, _CUM_LANGUAGES)
        first, full = _name(language, rng)
        person = Person(
            first_id + n, full, first, language, _email(first, full, language, rng, used_emails)
        )
        person.weight = min(rng.paretovariate(1.6), 25.0)
        roll = rng.random()
        person.buyer = roll < 0.9
        person.vip = person.buyer and roll < 0.006
        person.wholesale = person.buyer and 0.006 <= roll < 0.01
        if rng.random() < 0.3:
            person.phone = _phone(language, rng, used_phones)
        customer_tags = []
        if rng.random() < 0.25:
            customer_tags.append("newsletter")
        if person.vip:
            customer_tags.append("vip")
        if person.wholesale:
            customer_tags.append("wholesale")
        if person.buyer and rng.random() < 0.01:
            customer_tags.append("returns-risk")
        for tag in sorted(customer_tags):
            tags.append((person.id, tag))
        identities.append((identity_id, person.id, "email", person.email, 1, None))
        identity_id += 1
        if person.phone is not None:
            identities.append((identity_id, person.id, "phone", person.phone, 0, None))
            identity_id += 1
        if person.buyer:
            store_value = f"{shop_id}:gid://demo/Customer/{first_store_index + n}"
            identities.append((identity_id, person.id, "store", store_value, 0, shop_id))
            identity_id += 1
        preferred = rng.choices(
            (None, "email", "phone", "chat"), (80, 12, 5 if person.phone else 0, 3)
        )[0]
        hours_pref = None
        if preferred in ("phone", "chat") and rng.random() < 0.6:
            start = one(rng, (8, 9, 12, 17, 19))
            hours_pref = f"{start:02d}:00-{start + one(rng, (1, 2, 3)):02d}:00"
        birthday = _birthday(now, rng) if rng.random() < 0.8 else None
        if person.wholesale:
            notes = "Trade account: invoices to the company; 20% trade discount."
        elif person.vip:
            notes = "VIP: one of our best customers."
        else:
            notes = one(rng, NOTES) if rng.random() < 0.02 else ""
        person.row = [
            person.id,
            person.name,
            language,
            preferred,
            hours_pref,
            TIMEZONES[language],
            birthday,
            notes,
            None,  # created_at, settled later
        ]
        people.append(person)
    return people


def _birthday(now: datetime, rng: Random) -> str:
    start = date(now.year - between(rng, 20, 78), 1, 1)
    return (start + timedelta(days=between(rng, 0, 364))).isoformat()


def settle(people: list[Person], now: datetime, rng: Random) -> list[tuple[object, ...]]:
    """The customer rows, each created a little before the customer was first seen."""
    rows = []
    for person in people:
        seen = person.first_seen
        if seen is None:
            created = now - timedelta(days=between(rng, 20, 600), minutes=between(rng, 0, 1439))
        else:
            created = seen - timedelta(days=between(rng, 0, 30)) - log_hours(rng, 0.1, 24)
        person.row[-1] = stamp(created.replace(microsecond=0))
        rows.append(tuple(person.row))
    return rows
