"""Customer 360: who the customer is and how they like to be served.

Why derived figures: most shops never write down a customer's preferred channel or hours, but
their contact history says it. A stated preference wins; otherwise the history decides, and the
record says which (so the console can show "stated" vs "usually").
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from agentconsole.clock import Clock
from agentconsole.services._sql import as_utc
from agentconsole.services.orders import order_brief
from agentconsole.services.records import (
    ChannelCount,
    CustomerProfile,
    LastContact,
    Money,
)
from agentconsole.store.db import Store

_HOUR_WINDOW = 3


def days_until(birthday: date, today: date) -> int:
    """Days from ``today`` to the next occurrence of ``birthday`` (0 = today; 29 Feb → 28 Feb)."""
    for year in (today.year, today.year + 1):
        try:
            next_one = birthday.replace(year=year)
        except ValueError:
            next_one = date(year, 2, 28)
        if next_one >= today:
            return (next_one - today).days
    raise AssertionError("unreachable")


def usual_hours(times: list[datetime], zone: ZoneInfo) -> str | None:
    """The 3-hour window holding most of the customer's own contacts, e.g. ``'08:00-11:00'``."""
    if len(times) < 3:
        return None
    hours = Counter(t.astimezone(zone).hour for t in times)
    best = max(range(24), key=lambda h: (sum(hours[(h + i) % 24] for i in range(_HOUR_WINDOW)), -h))
    return f"{best:02d}:00-{(best + _HOUR_WINDOW) % 24:02d}:00"


class CustomerService:
    def __init__(self, store: Store, clock: Clock, zone: str = "UTC") -> None:
        self._store = store
        self._clock = clock
        self._zone = ZoneInfo(zone)

    def find_by_email(self, email: str) -> int | None:
        with self._store.read() as db:
            row = db.first(
                "SELECT customer_id FROM customer_identity WHERE kind='email' AND value=:v",
                {"v": email.strip().lower()},
            )
        return int(row[0]) if row else None

    def profile(self, customer_id: int) -> CustomerProfile | None:
        with self._store.read() as db:
            cust = db.first(
                "SELECT id, name, language, preferred_channel, preferred_hours, timezone,"
                " birthday, notes FROM customer WHERE id = :id",
                {"id": customer_id},
            )
            if cust is None:
                return None
            identities = db.all(
                "SELECT kind, value FROM customer_identity WHERE customer_id = :id"
                " ORDER BY is_primary DESC, id",
                {"id": customer_id},
            )
            tags = db.scalars(
                "SELECT tag FROM customer_tag WHERE customer_id = :id ORDER BY tag",
                {"id": customer_id},
            )
            # Every contact the customer had: emails they sent (not auto-replies) and logged
            # calls, chats and social messages in either direction.
            contacts = db.all(
                "SELECT 'email' AS channel, 'inbound' AS direction, received_at AS at,"
                " subject AS summary FROM message WHERE customer_id = :id"
                " AND direction = 'inbound' AND is_automated = 0"
                " UNION ALL SELECT channel, direction, occurred_at, summary FROM contact"
                " WHERE customer_id = :id ORDER BY at",
                {"id": customer_id},
            )
            orders = db.all(
                "SELECT o.id, o.name, o.created_at, o.financial_status, o.fulfillment_status,"
                " o.total, o.currency, o.cancelled_at,"
                " (SELECT coalesce(sum(quantity), 0) FROM order_line l WHERE l.order_id = o.id)"
                " AS items,"
                " (SELECT coalesce(sum(amount), 0) FROM refund r WHERE r.order_id = o.id)"
                ' AS refunded FROM "order" o WHERE o.customer_id = :id'
                " ORDER BY o.created_at DESC, o.id DESC",
                {"id": customer_id},
            )
            interests = db.scalars(
                "SELECT coalesce(nullif(l.category, ''), l.title) AS what FROM order_line l "
                'JOIN "order" o ON o.id = l.order_id WHERE o.customer_id = :id '
                "AND o.cancelled_at IS NULL GROUP BY what ORDER BY sum(l.quantity) DESC, what "
                "LIMIT 3",
                {"id": customer_id},
            )
            accounts = db.all(
                "SELECT note, tags FROM store_customer WHERE customer_id = :id ORDER BY id",
                {"id": customer_id},
            )
            as_of = db.scalar(
                "SELECT max(t) FROM (SELECT max(synced_at) AS t FROM store_customer "
                'WHERE customer_id = :id UNION ALL SELECT max(synced_at) FROM "order" '
                "WHERE customer_id = :id)",
                {"id": customer_id},
            )
            suggestions = db.all(
                "SELECT c.name, m.reason FROM merge_suggestion m JOIN customer c ON c.id = "
                "CASE WHEN m.customer_id = :id THEN m.other_id ELSE m.customer_id END "
                "WHERE (m.customer_id = :id OR m.other_id = :id) AND m.dismissed_at IS NULL",
                {"id": customer_id},
            )
        zone = ZoneInfo(cust.timezone) if cust.timezone else self._zone
        by_channel = Counter(c.channel for c in contacts)
        inbound_channels = Counter(c.channel for c in contacts if c.direction == "inbound")
        last = contacts[-1] if contacts else None
        valid = [o for o in orders if o.cancelled_at is None]
        value: dict[str, int] = {}
        counts: Counter[str] = Counter()
        for o in valid:
            value[o.currency] = value.get(o.currency, 0) + o.total - o.refunded
            counts[o.currency] += 1
        birthday = (
            cust.birthday
            if not isinstance(cust.birthday, str)
            else date.fromisoformat(cust.birthday)
        )
        today = self._clock.now().astimezone(self._zone).date()
        last_order = order_brief(orders[0]) if orders else None
        derived_channel = inbound_channels.most_common(1)[0][0] if inbound_channels else None
        inbound_times = [as_utc(c.at) for c in contacts if c.direction == "inbound"]
        return CustomerProfile(
            id=cust.id,
            name=cust.name,
            language=cust.language,
            emails=tuple(v for k, v in identities if k == "email"),
            phones=tuple(v for k, v in identities if k == "phone"),
            contacts_by_channel=tuple(
                ChannelCount(ch, n) for ch, n in sorted(by_channel.items(), key=lambda i: -i[1])
            ),
            last_contact=LastContact(last.channel, last.direction, as_utc(last.at), last.summary)
            if last
            else None,
            preferred_channel=cust.preferred_channel or derived_channel,
            preferred_channel_stated=bool(cust.preferred_channel),
            preferred_hours=cust.preferred_hours or usual_hours(inbound_times, zone),
            preferred_hours_stated=bool(cust.preferred_hours),
            order_count=len(valid),
            lifetime_value=tuple(Money(v, c) for c, v in sorted(value.items())),
            average_order=tuple(
                Money(round(v / counts[c]), c) for c, v in sorted(value.items()) if counts[c]
            ),
            last_order=last_order,
            birthday=birthday,
            days_to_birthday=days_until(birthday, today) if birthday else None,
            notes=cust.notes,
            tags=tuple(tags),
            first_order_at=as_utc(orders[-1].created_at) if orders else None,
            interests=tuple(interests),
            store_notes=tuple(a.note for a in accounts if a.note),
            store_tags=tuple(sorted({t for a in accounts for t in a.tags.split(",") if t})),
            maybe_same_as=tuple(f"{s.name} ({s.reason})" for s in suggestions),
            shop_data_as_of=as_utc(as_of),
        )
