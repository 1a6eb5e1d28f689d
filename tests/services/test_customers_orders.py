"""Customer 360 figures and order lookups, checked against the store independently."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from agentconsole.services.context import Services
from agentconsole.services.customers import days_until, usual_hours
from agentconsole.services.orders import normalise_order_number


def _busiest_customer(services: Services) -> int:
    with services.store.session() as session:
        return session.execute(
            text(
                'SELECT customer_id FROM "order" GROUP BY customer_id ORDER BY count(*) DESC LIMIT 1'
            )
        ).scalar_one()


def test_lifetime_value_is_totals_minus_refunds_of_valid_orders(services: Services) -> None:
    customer_id = _busiest_customer(services)
    profile = services.customers.profile(customer_id)
    assert profile is not None
    with services.store.session() as session:
        expected = session.execute(
            text(
                "SELECT count(*), sum(total) - coalesce(sum((SELECT sum(amount) FROM refund r WHERE r.order_id = o.id)), 0)"
                ' FROM "order" o WHERE customer_id = :c AND cancelled_at IS NULL'
            ),
            {"c": customer_id},
        ).one()
    assert profile.order_count == expected[0] >= 10
    assert sum(m.amount for m in profile.lifetime_value) == expected[1]
    assert profile.last_order is not None
    assert profile.emails and profile.contacts_by_channel


def test_birthdays_within_a_week_are_flagged(services: Services) -> None:
    with services.store.session() as session:
        ids = (
            session.execute(text("SELECT id FROM customer WHERE birthday IS NOT NULL"))
            .scalars()
            .all()
        )
    profiles = [services.customers.profile(i) for i in ids]
    soon = [p for p in profiles if p and p.birthday_soon]
    assert len(soon) >= 4
    assert all(p.days_to_birthday is not None and 0 <= p.days_to_birthday <= 7 for p in soon)


def test_preferred_channels_differ_between_customers(services: Services) -> None:
    with services.store.session() as session:
        ids = session.execute(text("SELECT id FROM customer")).scalars().all()
    channels = {p.preferred_channel for i in ids if (p := services.customers.profile(i))}
    assert {"email", "phone"} <= channels


def test_days_until_handles_leap_days_and_today() -> None:
    assert days_until(date(1990, 11, 23), date(2026, 11, 23)) == 0
    assert days_until(date(1990, 11, 22), date(2026, 11, 23)) == 364
    assert days_until(date(1992, 2, 29), date(2026, 2, 1)) == 27


def test_usual_hours_needs_enough_contacts() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    times = [datetime(2026, 1, d, 7, 30, tzinfo=UTC) for d in range(1, 6)]
    assert usual_hours(times, ZoneInfo("Europe/Berlin")) == "06:00-09:00"
    assert usual_hours(times[:2], ZoneInfo("UTC")) is None


@pytest.mark.parametrize("typed", ["#1001", "1001", " #1001 ", "order #1001"])
def test_order_lookup_by_what_customers_quote(services: Services, typed: str) -> None:
    order = services.orders.find(typed)
    assert order is not None and order.name == "#1001"
    assert sum(line.total.amount for line in order.lines) == order.subtotal.amount
    assert (
        order.total.amount
        == order.subtotal.amount + order.shipping.amount + order.tax.amount - order.discount.amount
    )


def test_unknown_order_is_none(services: Services) -> None:
    assert services.orders.find("#999999") is None
    assert normalise_order_number("Bestellung #1234") == "1234"


def test_refunded_orders_show_their_refunds(services: Services) -> None:
    with services.store.session() as session:
        order_id = session.execute(text("SELECT order_id FROM refund LIMIT 1")).scalar_one()
    order = services.orders.detail(order_id)
    assert order is not None and order.refunds and order.refunded.amount > 0


def test_money_is_shown_with_its_currencys_own_decimals() -> None:
    from agentconsole.services.records import Money

    assert str(Money(4500, "JPY")) == "4,500 JPY"
    assert str(Money(12345, "KWD")) == "12.345 KWD"
    assert str(Money(-1990, "EUR")) == "-€19.90"
    assert str(Money(123456, "USD")) == "$1,234.56"
