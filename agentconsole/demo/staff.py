"""The shop itself: its store row, its mail account and the three agents who answer.

Why a module: which agent answers which language is a small fact several other modules
(conversations, contacts, events) rely on, and it reads best next to the agents themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentconsole.store.models import Agent, MailAccount, Mailbox, ShopStore

SHOP_NAME = "Lindenhof Goods"
SHOP_URL = "https://demo.lindenhof.example"
SHOP_EMAIL = "hello@lindenhof.example"
SHOP_DOMAIN = "lindenhof.example"


@dataclass(frozen=True)
class AgentSpec:
    name: str
    handle: str
    languages: tuple[str, ...]


AGENT_SPECS: tuple[AgentSpec, ...] = (
    AgentSpec("Mara Lind", "mara", ("en", "de", "it", "es")),
    AgentSpec("Tomasz Nowak", "tomasz", ("en", "de", "pl")),
    AgentSpec("Chloé Martin", "chloe", ("en", "fr", "it", "es")),
)


def make_shop() -> ShopStore:
    return ShopStore(id=1, name=SHOP_NAME, platform="demo", url=SHOP_URL, currency="EUR")


def make_account() -> MailAccount:
    return MailAccount(id=1, name="shop", email=SHOP_EMAIL)


def make_mailboxes(account: MailAccount) -> list[Mailbox]:
    assert account.id is not None
    return [
        Mailbox(id=1, account_id=account.id, name="INBOX", role="inbox"),
        Mailbox(id=2, account_id=account.id, name="Sent", role="sent"),
    ]


def make_agents() -> list[Agent]:
    return [
        Agent(id=i, name=spec.name, email=f"{spec.handle}@{SHOP_DOMAIN}", handle=spec.handle)
        for i, spec in enumerate(AGENT_SPECS, start=1)
    ]


def agents_for(language: str, agents: list[Agent]) -> list[Agent]:
    """The agents who write ``language``, in a fixed order."""
    handles = {spec.handle for spec in AGENT_SPECS if language in spec.languages}
    return [agent for agent in agents if agent.handle in handles]
