"""Rendering templates: every variable, missing values, locales, and the sandbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from agentconsole.services.records import Money
from agentconsole.services.template_render import (
    VARIABLES,
    TemplateProblem,
    asked,
    problems,
    render,
)


def values() -> dict[str, object]:
    """A full set of values, as ``template_values`` builds them."""
    return {
        "customer": {
            "_text": "Zofia Nowak",
            "first_name": "Zofia",
            "last_name": "Nowak",
            "name": "Zofia Nowak",
            "email": "zofia@example.pl",
            "orders_count": 4,
            "lifetime_value": Money(123456, "EUR"),
            "language": "pl",
            "birthday": date(1990, 3, 14),
        },
        "conversation": {"id": 7, "subject": "Paczka", "channel": "email", "status": "open"},
        "order": {
            "_text": "#1042",
            "number": "#1042",
            "status": "open",
            "financial_status": "partially_refunded",
            "fulfillment_status": "fulfilled",
            "created_at": datetime(2026, 3, 2, 23, 30, tzinfo=UTC),
            "items": [
                {"_text": "2 × Teekanne", "title": "Teekanne", "variant": "blau", "quantity": 2,
                 "total": Money(5990, "EUR")},
                {"_text": "1 × Tasse", "title": "Tasse", "variant": "", "quantity": 1,
                 "total": Money(1250, "EUR")},
            ],
            "items_text": "2 × Teekanne, 1 × Tasse",
            "total": Money(7240, "EUR"),
            "carrier": "DHL",
            "tracking_number": "00340434",
            "tracking_link": "https://dhl.example/track?n=00340434",
            "refund_amount": Money(1250, "EUR"),
            "refund_date": datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
            "status_link": "https://shop.example/orders/1042",
        },
        "agent": {"_text": "Mara", "name": "Mara", "signature": "Mara · Lindenhof"},
        "shop": {"_text": "Lindenhof", "name": "Lindenhof", "url": "https://lindenhof.example",
                 "return_policy_link": "https://lindenhof.example/returns"},
        "today": date(2026, 11, 23),
    }


def every_variable_body() -> str:
    lines = [f"{ns}.{field}={{{{ {ns}.{field} }}}}" for ns, fields in VARIABLES.items()
             for field in fields if field != "items"]
    lines.append("{% for item in order.items %}- {{ item.quantity }} × {{ item.title }}"
                 "{% if item.variant %} {{ item.variant }}{% endif %} {{ item.total }}\n{% endfor %}")
    lines.append("today={{ today }} ask={{ ask.item }}")
    return "\n".join(lines)


def test_an_empty_value_inside_a_loop_is_named_with_its_path() -> None:
    out = render("{% for i in order.items %}{{ i.variant }};{% endfor %}", values())
    assert out.text == "blau;;"
    assert out.missing == ("order.items.variant",)


def test_every_variable_has_a_value_and_is_printed() -> None:
    out = render(every_variable_body(), values(), locale="en", answers={"item": "Tasse"})
    assert out.missing == ()
    text = out.text
    for expected in (
        "customer.first_name=Zofia",
        "customer.email=zofia@example.pl",
        "customer.orders_count=4",
        "customer.lifetime_value=€1,234.56",
        "customer.birthday=March 14, 1990",
        "order.number=#1042",
        "order.items_text=2 × Teekanne, 1 × Tasse",
        "order.total=€72.40",
        "order.carrier=DHL",
        "order.tracking_link=https://dhl.example/track?n=00340434",
        "order.refund_amount=€12.50",
        "order.refund_date=March 9, 2026",
        "agent.signature=Mara · Lindenhof",
        "shop.return_policy_link=https://lindenhof.example/returns",
        "- 2 × Teekanne blau €59.90",
        "today=November 23, 2026 ask=Tasse",
    ):
        assert expected in text, expected
    assert problems(every_variable_body(), ["item"]) == []


def test_dates_are_shown_in_the_given_zone() -> None:
    # 23:30 UTC on 2 March is already 3 March in Berlin.
    out = render("{{ order.created_at }}", values(), zone=ZoneInfo("Europe/Berlin"))
    assert out.text == "March 3, 2026"


@pytest.mark.parametrize(
    ("locale", "total", "created", "short"),
    [
        ("de", "72,40\xa0€", "3. März 2026", "03.03.26"),
        ("fr", "72,40\xa0€", "3 mars 2026", "03/03/2026"),
        ("pl", "72,40\xa0€", "3 marca 2026", "3.03.2026"),
    ],
)
def test_money_and_dates_follow_the_customers_locale(
    locale: str, total: str, created: str, short: str
) -> None:
    body = "{{ order.total }}|{{ order.created_at }}|{{ order.created_at | date('short') }}"
    out = render(body, values(), locale=locale, zone=ZoneInfo("Europe/Berlin"))
    assert out.text == f"{total}|{created}|{short}"


def test_polish_zloty_and_a_currency_without_decimals() -> None:
    vals = values()
    vals["order"]["total"] = Money(4500, "PLN")  # type: ignore[index]
    vals["customer"]["lifetime_value"] = Money(4500, "JPY")  # type: ignore[index]
    out = render("{{ order.total }} {{ customer.lifetime_value }}", vals, locale="pl")
    assert out.text == "45,00\xa0zł 4\xa0500\xa0JPY"


def test_missing_values_are_named_never_blank() -> None:
    vals = values()
    vals["order"]["carrier"] = ""  # type: ignore[index]
    del vals["order"]["tracking_link"]  # type: ignore[attr-defined]
    out = render("{{ order.carrier }} {{ order.tracking_link }} {{ ask.item }}", vals)
    assert out.missing == ("order.carrier", "order.tracking_link", "ask.item")


def test_no_order_at_all_names_each_value_used() -> None:
    vals = values()
    vals["order"] = {}
    out = render("{{ order.number }} {{ order.items_text }}", vals)
    assert out.missing == ("order.number", "order.items_text")


def test_fallbacks_and_conditions_make_a_blank_deliberate() -> None:
    vals = values()
    vals["customer"]["first_name"] = ""  # type: ignore[index]
    body = (
        'Hi {{ customer.first_name | default("there") }},'
        "{% if order.refund_amount %} refunded {{ order.refund_amount }}{% endif %}"
        "{% if order.missing_thing %}never{% endif %}"
    )
    out = render(body, vals)
    assert out.text == "Hi there, refunded €12.50"
    assert out.missing == ()


def test_old_spellings_still_work() -> None:
    out = render("{{ order.name }} {{ order.tracking_url }}", values())
    assert out.text == "#1042 https://dhl.example/track?n=00340434"


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ joiner.__init__.__globals__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ self.__init__.__globals__ }}",
        "{{ customer.__class__ }}",
        "{{ customer._values }}",
        "{{ customer | attr('_values') }}",
        "{{ order['__class__'] }}",
        "{{ order.items[0].__class__.__base__ }}",
        "{{ '{0.__class__}'.format(customer) }}",
        "{{ order.items.append(1) }}",
        "{% include '/etc/passwd' %}",
        "{% import 'os' as os %}",
        "{{ 'x' * 100000000 }}",
        "{{ 9 ** 99999 }}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
        "{% for %}",
    ],
)
def test_sandbox_escapes_fail_with_a_template_error(body: str) -> None:
    with pytest.raises(TemplateProblem):
        render(body, values())


def test_environment_and_globals_are_out_of_reach() -> None:
    out = render("{{ range }}{{ dict }}{{ config }}{{ request }}{{ environ }}", values())
    assert out.text == ""
    assert out.missing == ("range", "dict", "config", "request", "environ")


def test_customer_and_agent_values_are_text_never_template_code() -> None:
    vals = values()
    vals["customer"]["first_name"] = "{{ 7*7 }}{% for x in y %}"  # type: ignore[index]
    out = render("Hi {{ customer.first_name }}", vals, answers={"item": "{{ 6*7 }}"})
    assert out.text == "Hi {{ 7*7 }}{% for x in y %}"
    assert render("{{ ask.item }}", vals, answers={"item": "{{ 6*7 }}"}).text == "{{ 6*7 }}"


def test_control_characters_in_values_are_dropped() -> None:
    vals = values()
    vals["customer"]["first_name"] = "Zo\x1b[31mfia\x07"  # type: ignore[index]
    assert render("{{ customer.first_name }}", vals).text == "Zo[31mfia"


def test_problems_point_at_typos_and_undeclared_prompts() -> None:
    body = "{{ order.traking_link }}\n{{ ask.size }}\n{{ custmer.name }}\n{{ shop }}"
    assert problems(body, ["item"]) == [
        "line 1: unknown variable order.traking_link",
        "line 2: ask.size is not declared under ask:",
        "line 3: unknown variable custmer.name",
    ]
    assert problems("{% if %}") == ["line 1: Expected an expression, got 'end of statement block'"]
    assert asked("{{ ask.item }} {{ ask.size }} {{ ask.item }}") == ("item", "size")
