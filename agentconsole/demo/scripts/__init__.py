"""Thread scripts: what customers and agents write, per scenario, in each language.

Why one module per language: wording is the part a native speaker reviews and extends, so it
lives apart from the code that times and threads the messages (``demo/conversations.py``).

A scenario's ``beats`` alternate customer, agent, customer, agent …; each beat offers a few
wordings and the generator picks one. Texts are ``str.format`` templates; the placeholders are

``{first} {full} {agent} {shop}`` people; ``{order} {replacement} {days} {status_url}`` orders;
``{carrier} {tracking} {tracking_url}`` shipping; ``{product} {variant} {amount}
{returns_url}`` returns; ``{bed} {fitted} {duvet}`` sizing; ``{company} {vat_id} {po}``
invoices; ``{code} {new_code}`` promotions; ``{address}`` address changes.

Customer texts avoid grammatical gender (Polish, French, Italian and Spanish past participles
agree with the writer), so any customer can say them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

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


@dataclass(frozen=True)
class Scenario:
    subjects: tuple[str, ...]
    beats: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class LanguageScript:
    language: str
    customer_greetings: tuple[str, ...]
    customer_signoffs: tuple[str, ...]
    agent_greeting: str
    agent_signoff: str
    nudges: tuple[str, ...]
    thanks: tuple[str, ...]
    auto_reply_subject: str
    auto_reply_body: str
    products: dict[str, str]
    scenarios: dict[str, Scenario]


def format_money(cents: int, language: str) -> str:
    """``1234`` → ``€12.34`` in English, ``12,34 €`` elsewhere in the EU."""
    major, minor = divmod(cents, 100)
    if language == "en":
        return f"€{major:,}.{minor:02d}"
    grouped = f"{major:,}".replace(",", "\u202f" if language == "fr" else ".")
    if language == "pl":
        grouped = f"{major:,}".replace(",", "\u00a0")
    return f"{grouped},{minor:02d}\u00a0€"


def script_for(language: str) -> LanguageScript:
    """The wording for ``language`` (one of ``en de fr it es pl``)."""
    return _registry()[language]


@cache
def _registry() -> dict[str, LanguageScript]:
    # Imported here: the language modules import the dataclasses above.
    from agentconsole.demo.scripts import de, en, es, fr, it, pl

    return {m.SCRIPT.language: m.SCRIPT for m in (en, de, fr, it, es, pl)}
