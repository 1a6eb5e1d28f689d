"""Rendering reply templates: Jinja2 in a sandbox, values printed for the customer's locale.

Why Jinja's sandbox rather than a language of our own: shops want conditions and loops (the
order's items, a refund if there is one) and fallbacks (``default("there")``), and
``ImmutableSandboxedEnvironment`` is a maintained answer to "template text must not reach
Python". On top of it: no globals at all, no ``_``-names through any door (attribute, item,
``attr`` filter), no include/import (there is no loader), huge repetitions refused. Values from
customers and stores are data handed to the template, never compiled, so "{{ 7*7 }}" in a
customer's name comes out as those characters.

A missing value must never become a silent blank: printing a value that is absent or empty
records its dotted name (``order.tracking_link``) and the render reports every such name;
``default(...)`` and ``{% if %}`` are how a template says a blank is fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from jinja2 import ChainableUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from agentconsole.commerce.money import exponent
from agentconsole.services.records import Money
from agentconsole.services.template_terms import (  # noqa: F401  (re-exported)
    ALIASES,
    ITEM_FIELDS,
    VARIABLES,
    TemplateProblem,
)

_MAX_REPEAT = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_missing_names: ContextVar[list[str] | None] = ContextVar("missing_names", default=None)


@dataclass(frozen=True)
class Rendered:
    """The filled text and the names that had no value (the text must not be used then)."""

    text: str
    missing: tuple[str, ...]


class _Missing(ChainableUndefined):
    """An absent value: printing it records its name instead of writing a blank."""

    __slots__ = ()

    def __str__(self) -> str:
        names = _missing_names.get()
        if names is not None and self._undefined_name:
            names.append(str(self._undefined_name))
        return ""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self


class Namespace:
    """A template's view of a group of values (``customer``, ``order`` …), looked up by name.

    Not a dict: the sandbox gives templates no dict methods to call, and the dotted path is
    kept so a missing value is reported as ``order.carrier``, not as ``carrier``.
    """

    __slots__ = ("_path", "_values", "_text")

    def __init__(self, path: str, values: Mapping[str, Any], text: str = "") -> None:
        self._path = path
        self._values = values
        self._text = text

    def lookup(self, name: str, env: RenderEnvironment) -> Any:
        full = ALIASES.get(f"{self._path}.{name}", f"{self._path}.{name}")
        name = full.rsplit(".", 1)[-1]
        value = self._values.get(name)
        if value is None or value == "" or value == ():
            return env.undefined(name=full)
        return value

    def __str__(self) -> str:
        return self._text

    def __iter__(self) -> Iterator[str]:
        return iter(())


@dataclass(frozen=True)
class LocalDate:
    """A date or time that prints in the customer's locale ("3. März 2026")."""

    value: date
    locale: Locale
    zone: tzinfo

    def formatted(self, form: str = "long", *, with_time: bool = False) -> str:
        if isinstance(self.value, datetime):
            moment = self.value.astimezone(self.zone)
            if with_time:
                return format_datetime(moment, form, tzinfo=self.zone, locale=self.locale)
            return format_date(moment.date(), form, locale=self.locale)
        return format_date(self.value, form, locale=self.locale)

    def __str__(self) -> str:
        return self.formatted()


@dataclass(frozen=True)
class LocalMoney:
    """An amount that prints in the customer's locale ("12,50 €", "12,50 zł")."""

    money: Money
    locale: Locale

    def __str__(self) -> str:
        value = Decimal(self.money.amount).scaleb(-exponent(self.money.currency))
        return format_currency(value, self.money.currency, locale=self.locale)


class RenderEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with every door we do not need shut."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(
            undefined=_Missing,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.globals.clear()
        self.filters["date"] = _date_filter
        self.filters["datetime"] = _datetime_filter
        self.filters["money"] = _money_filter

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise SecurityError(f"{attribute} is not available to templates")
        if isinstance(obj, Namespace):
            return obj.lookup(attribute, self)
        if isinstance(obj, LocalDate | LocalMoney):
            return self.undefined(name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str):
            return self.getattr(obj, argument)
        if isinstance(obj, Namespace | LocalDate | LocalMoney):
            return self.undefined(name=str(argument))
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
        counts = [v for v in (left, right) if isinstance(v, int)]
        if operator == "*" and sizes and counts and max(counts) * max(sizes) > _MAX_REPEAT:
            raise SecurityError("the repetition is too large")
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("the power is too large")
        return super().call_binop(context, operator, left, right)


def _date_filter(value: Any, form: str = "long") -> Any:
    return value.formatted(form) if isinstance(value, LocalDate) else value


def _datetime_filter(value: Any, form: str = "medium") -> Any:
    return value.formatted(form, with_time=True) if isinstance(value, LocalDate) else value


def _money_filter(value: Any, currency: str = "EUR") -> Any:
    if isinstance(value, LocalMoney):
        return str(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format_currency(Decimal(str(value)), currency, locale="en")
    return value


_ENV = RenderEnvironment()


@lru_cache(maxsize=256)
def _compile(body: str) -> Any:
    try:
        return _ENV.from_string(body)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"line {exc.lineno}: {exc.message}") from None


@lru_cache(maxsize=256)
def _parse(body: str) -> nodes.Template:
    try:
        return _ENV.parse(body)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"line {exc.lineno}: {exc.message}") from None


def locale_for(language: str, country: str | None = None) -> Locale:
    """Babel's locale for a language and, when it exists, the customer's country."""
    for tag in (f"{language}_{country.upper()}" if country else None, language):
        if not tag:
            continue
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def used_variables(body: str) -> tuple[tuple[str, int], ...]:
    """Each dotted name the template reads (``order.carrier``) with its line, in order."""
    found: list[tuple[str, int]] = []
    loop_names: set[str] = {"loop"}
    tree = _parse(body)
    for node in tree.find_all(nodes.For):
        loop_names.update(n.name for n in node.find_all(nodes.Name) if n.ctx == "store")
    for node in tree.find_all(nodes.Assign):
        loop_names.update(n.name for n in node.find_all(nodes.Name) if n.ctx == "store")
    bases = {
        id(node.node) for node in tree.find_all(nodes.Getattr) if isinstance(node.node, nodes.Name)
    }
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            if node.node.name not in loop_names:
                found.append((f"{node.node.name}.{node.attr}", node.lineno))
        elif (
            isinstance(node, nodes.Name)
            and node.ctx == "load"
            and id(node) not in bases
            and node.name not in loop_names
            and node.name not in VARIABLES
            and node.name != "ask"
        ):
            found.append((node.name, node.lineno))
    return tuple(dict.fromkeys(found))


def asked(body: str) -> tuple[str, ...]:
    """The ``ask.*`` names a template prompts the agent for, in order of appearance."""
    names = [name for name, _ in used_variables(body) if name.startswith("ask.")]
    return tuple(dict.fromkeys(n.removeprefix("ask.") for n in names))


def problems(body: str, declared_asks: Sequence[str] = ()) -> list[str]:
    """What is wrong with a template before it is ever used: syntax, unknown names."""
    try:
        _compile(body)
        used = used_variables(body)
    except TemplateProblem as exc:
        return [str(exc)]
    out: list[str] = []
    tree = _parse(body)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(attr, str) and attr.startswith("_"):
            out.append(f"line {node.lineno}: {attr} is not available to templates")
    for name, line in used:
        head, _, field = name.partition(".")
        name = ALIASES.get(name, name)
        if name == "today" or (head == "ask" and field):
            if head == "ask" and declared_asks and field not in declared_asks:
                out.append(f"line {line}: ask.{field} is not declared under ask:")
            continue
        if head in VARIABLES and name.partition(".")[2] in VARIABLES[head]:
            continue
        out.append(f"line {line}: unknown variable {name}")
    return out


def _wrap(path: str, value: Any, locale: Locale, zone: tzinfo) -> Any:
    if isinstance(value, Namespace | LocalDate | LocalMoney):
        return value
    if isinstance(value, Money):
        return LocalMoney(value, locale)
    if isinstance(value, date):
        return LocalDate(value, locale, zone)
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, Mapping):
        inner = {k: _wrap(f"{path}.{k}", v, locale, zone) for k, v in value.items()}
        text = value.get("_text", "")
        return Namespace(path, inner, _CONTROL.sub("", str(text)))
    if isinstance(value, list | tuple):
        return tuple(_wrap(path, v, locale, zone) for v in value)
    return value


def render(
    body: str,
    values: Mapping[str, Any],
    *,
    locale: Locale | str = "en",
    zone: tzinfo = UTC,
    answers: Mapping[str, str] | None = None,
) -> Rendered:
    """Fill ``body`` with ``values`` (namespaces of plain values, ``Money``, dates).

    Raises ``TemplateProblem`` for a syntax error, unsafe code or an error while running;
    missing values are not errors but are listed in ``Rendered.missing``.
    """
    place = locale if isinstance(locale, Locale) else locale_for(locale)
    template = _compile(body)
    context = {k: _wrap(k, v, place, zone) for k, v in values.items()}
    context["ask"] = Namespace("ask", dict(answers or {}))
    names: list[str] = []
    token = _missing_names.set(names)
    try:
        text = template.render(context)
    except SecurityError as exc:
        raise TemplateProblem(f"not allowed in a template: {exc}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"template error: {exc}") from None
    except RecursionError:
        raise TemplateProblem("template error: nested too deeply") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError) as exc:
        raise TemplateProblem(f"template error: {exc}") from None
    finally:
        _missing_names.reset(token)
    return Rendered(text, tuple(dict.fromkeys(names)))
