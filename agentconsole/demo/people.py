"""The shop's customers: native names in six languages, their addresses, habits and identities.

Why hand-written specs: the demo has to show particular people (the VIP wholesale buyer, the
man who always calls between eight and nine, the customers whose teapot keeps breaking, the
birthdays this week), so those traits are written down; the seeded generator fills in the rest
(email spellings, phone numbers, birthdays of everyone else).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random

from agentconsole.demo.hostile import HOSTILE_EMAIL, HOSTILE_NAME
from agentconsole.demo.world import World
from agentconsole.store.models import Customer, CustomerIdentity, CustomerTag

LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "it", "es", "pl")

TIMEZONES: dict[str, str] = {
    "en": "Europe/London",
    "de": "Europe/Berlin",
    "fr": "Europe/Paris",
    "it": "Europe/Rome",
    "es": "Europe/Madrid",
    "pl": "Europe/Warsaw",
}

# Mail providers under the reserved .example domain, so no demo reply can reach a real person.
EMAIL_DOMAINS: dict[str, tuple[str, ...]] = {
    "en": ("postbox.example", "mailhub.example", "inbox-uk.example"),
    "de": ("webpost.example", "gmx-mail.example", "posteo.example"),
    "fr": ("orange-mail.example", "courriel.example", "laposte-mail.example"),
    "it": ("libero-mail.example", "posta.example", "tiscali-mail.example"),
    "es": ("correo.example", "telefonica-mail.example", "buzon.example"),
    "pl": ("wp-poczta.example", "onet-mail.example", "poczta.example"),
}

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe"})


@dataclass(frozen=True)
class ContactHabit:
    """How a customer reaches the shop outside email: channel, local hours, how often."""

    channel: str
    start_hour: int
    end_hour: int
    count: int
    weekdays_only: bool = True


@dataclass(frozen=True)
class Spec:
    first: str
    last: str
    language: str
    preferred_channel: str | None = None
    preferred_hours: str | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    birthday_in_days: int | None = None
    habit: ContactHabit | None = None
    company: str | None = None


SPECS: tuple[Spec, ...] = (
    # English
    Spec(
        "Zoë",
        "Harper",
        "en",
        birthday_in_days=1,
        tags=("newsletter",),
        habit=ContactHabit("social", 18, 22, 5, weekdays_only=False),
    ),
    Spec("Oliver", "Bennett", "en", roles=("teapot",)),
    Spec("Siobhán", "Kelly", "en", preferred_channel="email", birthday_in_days=5),
    Spec(
        "Priya",
        "Raman",
        "en",
        preferred_channel="chat",
        preferred_hours="12:00-14:00",
        habit=ContactHabit("chat", 12, 14, 7),
    ),
    Spec("James", "O'Connor", "en", roles=("no-orders",)),
    Spec("Emily", "Clarke", "en", tags=("newsletter",)),
    Spec("Rhys", "Llewellyn", "en"),
    Spec(
        "Hannah",
        "Whitfield",
        "en",
        preferred_channel="email",
        preferred_hours="09:00-12:00",
        notes="VIP: wholesale buyer. Runs Whitfield's Café in Bath; invoices to the company.",
        tags=("vip", "wholesale"),
        roles=("vip",),
        company="Whitfield's Café Ltd",
    ),
    Spec(
        "Marcus",
        "Okafor",
        "en",
        preferred_channel="phone",
        preferred_hours="17:00-19:00",
        habit=ContactHabit("phone", 17, 19, 4),
    ),
    Spec("Charlotte", "Dunmore", "en", tags=("newsletter",)),
    # German
    Spec(
        "Jürgen",
        "Weiß",
        "de",
        preferred_channel="phone",
        preferred_hours="08:00-09:00",
        notes="Always calls before work, between 8 and 9. Prefers phone to email.",
        birthday_in_days=3,
        habit=ContactHabit("phone", 8, 9, 10),
    ),
    Spec("Anja", "Müller", "de", roles=("teapot",), tags=("newsletter",)),
    Spec("Lukas", "Schröder", "de"),
    Spec(
        "Sabine",
        "Krüger",
        "de",
        preferred_channel="email",
        notes="Boutique hotel on Lake Constance; orders bed linen in bulk twice a year.",
        tags=("wholesale",),
        roles=("wholesale",),
        company="Hotel Krüger am See GmbH",
    ),
    Spec("Matthias", "Groß", "de", roles=("no-orders",)),
    Spec("Leonie", "Hoffmann", "de", tags=("newsletter",)),
    Spec(
        "Björn",
        "Köhler",
        "de",
        notes="Returns often: check items before refunding.",
        tags=("returns-risk",),
    ),
    Spec("Franziska", "Bäcker", "de", preferred_channel="email", preferred_hours="09:00-12:00"),
    Spec("Heike", "Vogel", "de"),
    Spec("Tobias", "Lehmann", "de", tags=("newsletter",)),
    # French
    Spec(
        "Françoise",
        "Lefèvre",
        "fr",
        preferred_channel="email",
        notes="Prefers tissue-free packaging.",
        birthday_in_days=3,
    ),
    Spec("Hélène", "Dubois", "fr", roles=("teapot",)),
    Spec(
        "Théo",
        "Garnier",
        "fr",
        preferred_channel="chat",
        preferred_hours="19:00-22:00",
        habit=ContactHabit("chat", 19, 22, 8, weekdays_only=False),
    ),
    Spec("Amélie", "Rousseau", "fr", notes="Allergic to lavender: no scented sachets in parcels."),
    Spec("Jérôme", "Mercier", "fr"),
    Spec("Inès", "Benali", "fr", tags=("newsletter",)),
    Spec("Céline", "Fontaine", "fr", notes="VIP: customer since the shop opened.", tags=("vip",)),
    Spec("Raphaël", "Girard", "fr", roles=("no-orders",)),
    Spec("Élodie", "Chevalier", "fr", tags=("newsletter",)),
    Spec("Benoît", "Lambert", "fr"),
    # Italian
    Spec("Giulia", "Bianchi", "it", tags=("newsletter",)),
    Spec("Niccolò", "Ferrari", "it"),
    Spec("Chiara", "Esposito", "it", roles=("teapot",)),
    Spec("Lorenzo", "Romano", "it"),
    Spec("Francesca", "Galli", "it", preferred_channel="email"),
    Spec("Matteo", "Colombo", "it", tags=("newsletter",)),
    Spec("Beatrice", "Ricci", "it"),
    Spec("Davide", "Marino", "it", roles=("no-orders",)),
    Spec(
        "Elena",
        "Conti",
        "it",
        preferred_channel="phone",
        preferred_hours="15:00-18:00",
        habit=ContactHabit("phone", 15, 18, 6),
    ),
    Spec("Pietro", "D'Angelo", "it"),
    # Spanish
    Spec("Lucía", "Núñez", "es", birthday_in_days=6, tags=("newsletter",)),
    Spec(
        "Alejandro",
        "Martínez",
        "es",
        notes="Has returned 5 of his last 8 orders.",
        tags=("returns-risk",),
    ),
    Spec("María José", "Fernández", "es"),
    Spec("Javier", "Ibáñez", "es", tags=("newsletter",)),
    Spec(
        "Carmen",
        "Ortega",
        "es",
        preferred_channel="phone",
        preferred_hours="10:00-13:00",
        habit=ContactHabit("phone", 10, 13, 7),
    ),
    Spec("Sergio", "Peña", "es", roles=("teapot",)),
    Spec("Nuria", "Castells", "es"),
    Spec("Álvaro", "Gómez", "es"),
    Spec("Inés", "Muñoz", "es", roles=("no-orders",)),
    Spec("Pablo", "Herrero", "es"),
    # Polish
    Spec("Łukasz", "Wiśniewski", "pl", birthday_in_days=1),
    Spec("Agnieszka", "Kowalczyk", "pl", tags=("newsletter",)),
    Spec("Małgorzata", "Zielińska", "pl", preferred_channel="email"),
    Spec("Piotr", "Wójcik", "pl"),
    Spec("Katarzyna", "Dąbrowska", "pl", roles=("teapot",)),
    Spec("Paweł", "Kamiński", "pl"),
    Spec("Zofia", "Lewandowska", "pl", tags=("newsletter",)),
    Spec(
        "Michał",
        "Szymański",
        "pl",
        preferred_channel="chat",
        preferred_hours="20:00-23:00",
        habit=ContactHabit("chat", 20, 23, 6, weekdays_only=False),
    ),
    Spec("Joanna", "Woźniak", "pl", roles=("no-orders",)),
    Spec("Krzysztof", "Jabłoński", "pl"),
)

PHONE_COUNT = 20  # about a third of the customers give a phone number

# New delivery addresses customers ask for, written the way each country writes them.
ADDRESSES: dict[str, tuple[str, ...]] = {
    "en": (
        "Flat 3, 27 Cavendish Road\nBath BA1 2UD",
        "14 Mill Lane\nHebden Bridge HX7 8AB",
        "2 Orchard Cottages, Church Street\nLudlow SY8 1AP",
    ),
    "de": (
        "Hauptstraße 14\n79098 Freiburg im Breisgau",
        "Lindenallee 3a\n20259 Hamburg",
        "Am Mühlbach 7\n88709 Meersburg",
    ),
    "fr": (
        "12 rue des Lilas\n69004 Lyon",
        "3 place du Marché\n33000 Bordeaux",
        "47 avenue Jean Jaurès\n44000 Nantes",
    ),
    "it": (
        "Via Garibaldi 21\n40124 Bologna BO",
        "Corso Vittorio Emanuele II 88\n10121 Torino TO",
        "Via dei Mille 5\n80121 Napoli NA",
    ),
    "es": (
        "Calle de Toledo 48, 3.º B\n28005 Madrid",
        "Carrer de Verdi 12, 2.º 1.ª\n08012 Barcelona",
        "Avenida de la Constitución 9\n41004 Sevilla",
    ),
    "pl": (
        "ul. Długa 17/4\n31-146 Kraków",
        "ul. Piotrkowska 102/9\n90-004 Łódź",
        "al. Grunwaldzka 55/12\n80-241 Gdańsk",
    ),
}


@dataclass
class Person:
    """A customer row together with the traits the other generators need."""

    customer: Customer
    spec: Spec
    email: str
    phone: str | None

    @property
    def id(self) -> int:
        assert self.customer.id is not None
        return self.customer.id

    @property
    def first(self) -> str:
        return self.spec.first

    @property
    def name(self) -> str:
        return self.customer.name

    @property
    def language(self) -> str:
        return self.spec.language

    def has(self, role: str) -> bool:
        return role in self.spec.roles


def ascii_fold(text: str) -> str:
    """``Łukasz Wiśniewski`` → ``Lukasz Wisniewski`` (for email addresses)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _email_local(first: str, last: str, rng: Random) -> str:
    f = ascii_fold(first).lower().replace(" ", "").replace("'", "")
    surname = ascii_fold(last).lower().replace(" ", "").replace("'", "")
    style = rng.randrange(6)
    if style == 0:
        return f"{f}.{surname}"
    if style == 1:
        return f"{f}{surname}"
    if style == 2:
        return f"{f[0]}.{surname}"
    if style == 3:
        return f"{f}.{surname}{rng.randint(70, 99)}"
    if style == 4:
        return f"{f}_{surname[:4]}"
    return f"{surname}.{f}"


def _phone(language: str, rng: Random) -> str:
    """An E.164 mobile number; UK numbers use Ofcom's range reserved for drama."""

    def digits(n: int) -> str:
        return "".join(str(rng.randrange(10)) for _ in range(n))

    if language == "en":
        return "+447700900" + digits(3)
    if language == "de":
        return "+4915" + str(rng.choice((1, 2, 7, 9))) + digits(8)
    if language == "fr":
        return "+33" + str(rng.choice((6, 7))) + digits(8)
    if language == "it":
        return "+393" + str(rng.choice((3, 4, 8, 9))) + digits(8)
    if language == "es":
        return "+34" + str(rng.choice((6, 7))) + digits(8)
    return "+48" + str(rng.choice((5, 6, 7))) + digits(8)


def birthday_in(now: datetime, days: int, age: int) -> date:
    """A birthday falling ``days`` after ``now`` for someone turning ``age``."""
    target = (now + timedelta(days=days)).date()
    year = target.year - age
    if (target.month, target.day) == (2, 29):
        while not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            year -= 1
    return target.replace(year=year)


def _random_birthday(now: datetime, rng: Random) -> date:
    year = now.year - rng.randint(22, 74)
    start = date(year, 1, 1)
    return start + timedelta(days=rng.randrange(365))


def build_people(world: World) -> list[Person]:
    """Every customer with identities and tags, plus Eve, the hostile one, last."""
    rng = world.rng
    assert world.shop.id is not None
    phone_candidates = [i for i, s in enumerate(SPECS) if s.habit is None]
    rng.shuffle(phone_candidates)
    with_habit = [i for i, s in enumerate(SPECS) if s.habit is not None]
    phoned = set(with_habit) | set(phone_candidates[: PHONE_COUNT - len(with_habit)])
    used: set[str] = set()
    people: list[Person] = []
    for index, spec in enumerate(SPECS):
        local = _email_local(spec.first, spec.last, rng)
        domain = rng.choice(EMAIL_DOMAINS[spec.language])
        email = f"{local}@{domain}"
        while email in used:
            email = f"{local}{rng.randint(1, 9)}@{domain}"
        used.add(email)
        if spec.birthday_in_days is not None:
            birthday: date | None = birthday_in(
                world.now, spec.birthday_in_days, rng.randint(24, 70)
            )
        elif rng.random() < 0.82:
            birthday = _random_birthday(world.now, rng)
        else:
            birthday = None
        customer = Customer(
            id=world.next_id("customer"),
            name=f"{spec.first} {spec.last}",
            language=spec.language,
            preferred_channel=spec.preferred_channel,
            preferred_hours=spec.preferred_hours,
            timezone=TIMEZONES[spec.language],
            birthday=birthday,
            notes=spec.notes,
            created_at=world.now,  # settled later from the customer's first activity
        )
        phone = _phone(spec.language, rng) if index in phoned else None
        tags = set(spec.tags)
        if "newsletter" not in tags and rng.random() < 0.25:
            tags.add("newsletter")
        people.append(_register(world, customer, spec, email, phone, sorted(tags), index))
    eve = Customer(
        id=world.next_id("customer"),
        name=HOSTILE_NAME,
        language="en",
        timezone="Europe/London",
        notes="Security test fixture: name, subject and message carry markup and escapes.",
        created_at=world.now,
    )
    eve_spec = Spec("Eve", "[bold red]Hacker[/]", "en", roles=("hostile", "no-orders"))
    people.append(_register(world, eve, eve_spec, HOSTILE_EMAIL, None, [], len(SPECS)))
    return people


def _register(
    world: World,
    customer: Customer,
    spec: Spec,
    email: str,
    phone: str | None,
    tags: list[str],
    index: int,
) -> Person:
    assert customer.id is not None and world.shop.id is not None
    world.customers.append(customer)
    world.identities.append(
        CustomerIdentity(
            id=world.next_id("identity"),
            customer_id=customer.id,
            kind="email",
            value=email,
            is_primary=True,
        )
    )
    if phone is not None:
        world.identities.append(
            CustomerIdentity(
                id=world.next_id("identity"), customer_id=customer.id, kind="phone", value=phone
            )
        )
    world.identities.append(
        CustomerIdentity(
            id=world.next_id("identity"),
            customer_id=customer.id,
            kind="store",
            value=f"{world.shop.id}:gid://demo/Customer/{7001 + index}",
            store_id=world.shop.id,
        )
    )
    world.customer_tags.extend(CustomerTag(customer_id=customer.id, tag=tag) for tag in tags)
    return Person(customer=customer, spec=spec, email=email, phone=phone)


def settle_created_at(people: list[Person], first_seen: dict[int, datetime], world: World) -> None:
    """A customer exists from a little before their first order, message or call."""
    rng = world.rng
    for person in people:
        seen = first_seen.get(person.id)
        if seen is None:
            created = world.now - timedelta(days=rng.randint(20, 600), minutes=rng.randrange(1440))
        else:
            created = seen - timedelta(days=rng.randint(0, 30), minutes=rng.randint(5, 1440))
        person.customer.created_at = created.replace(microsecond=0)
