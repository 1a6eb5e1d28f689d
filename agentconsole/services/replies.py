"""Canned replies for one conversation: the language to answer in, the template in it, its
prompts, and the text filled with this customer's and this order's values.

Writing and sending the reply itself is ``drafts.py`` and ``outbox.py``; the files and their
index are ``knowledge.py``. The console's composer and ``agentconsole kb render`` both come
here, so what the CLI prints is exactly what the composer inserts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.services.customers import CustomerService
from agentconsole.services.inbox import InboxService
from agentconsole.services.knowledge import KnowledgeError, KnowledgeService
from agentconsole.services.language import detect
from agentconsole.services.orders import OrderService
from agentconsole.services.records import (
    LanguageChoice,
    OrderDetail,
    Prompt,
    RenderedReply,
    TemplateRecord,
)
from agentconsole.services.template_values import ShopFacts, template_values
from agentconsole.store.db import Store

_ORDER_REF = re.compile(r"#\s?(\d{3,})")


class ReplyService:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings: Settings,
        knowledge: KnowledgeService,
        customers: CustomerService,
        orders: OrderService,
        inbox: InboxService,
    ) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings
        self.knowledge = knowledge
        self._customers = customers
        self._orders = orders
        self._inbox = inbox

    # --- language ------------------------------------------------------------------------

    def language(self, conversation_id: int) -> LanguageChoice:
        """The language to answer in: the agent's choice for this conversation, else the one
        the customer's latest message is written in, else the customer's, else the shop's."""
        available = self.knowledge.languages()
        with self._store.read() as db:
            row = db.first(
                "SELECT c.language, c.language_source, c.language_message_id, c.customer_id,"
                " cu.language AS customer_language FROM conversation c"
                " JOIN customer cu ON cu.id = c.customer_id WHERE c.id = :id",
                {"id": conversation_id},
            )
            if row is None:
                return LanguageChoice(self._settings.shop.language, "shop", available)
            if row.language_source == "agent" and row.language:
                return LanguageChoice(row.language, "agent", available)
            latest = db.first(
                "SELECT id, subject, body_text FROM message WHERE conversation_id = :c"
                " AND direction = 'inbound' AND is_automated = 0"
                " ORDER BY received_at DESC, id DESC LIMIT 1",
                {"c": conversation_id},
            )
        if latest is not None and latest.id == row.language_message_id and row.language:
            return LanguageChoice(row.language, "detected", available)
        if latest is not None:
            found = detect(f"{latest.body_text}\n{latest.subject}")
            if found is not None:
                self._remember(conversation_id, row.customer_id, latest.id, found[0])
                return LanguageChoice(found[0], "detected", available)
        if row.customer_language:
            return LanguageChoice(row.customer_language, "customer", available)
        return LanguageChoice(self._settings.shop.language, "shop", available)

    def _remember(
        self, conversation_id: int, customer_id: int, message_id: int, language: str
    ) -> None:
        """Keep what was detected (on the conversation, and as the customer's language)."""
        with self._store.write() as w:
            w.execute(
                "UPDATE conversation SET language = :l, language_source = 'detected',"
                " language_message_id = :m WHERE id = :c AND coalesce(language_source, '')"
                " != 'agent'",
                {"l": language, "m": message_id, "c": conversation_id},
            )
            w.execute(
                "UPDATE customer SET language = :l WHERE id = :id",
                {"l": language, "id": customer_id},
            )

    def set_language(self, conversation_id: int, language: str | None) -> LanguageChoice:
        """The agent's choice for this conversation (None: back to detection)."""
        with self._store.write() as w:
            w.execute(
                "UPDATE conversation SET language = :l, language_source = :s,"
                " language_message_id = NULL WHERE id = :c",
                {"l": language, "s": "agent" if language else None, "c": conversation_id},
            )
        return self.language(conversation_id)

    # --- which template, which order ----------------------------------------------------

    def templates(self, typed: str = "", language: str | None = None) -> list[TemplateRecord]:
        return self.knowledge.templates(typed, language)

    def in_language(self, template: TemplateRecord, language: str) -> TemplateRecord:
        """The translation of ``template`` to use for ``language`` (or the shop's)."""
        return self.knowledge.pick(self.knowledge.translations(template.key), language)

    def suggestions(self, conversation_id: int, limit: int = 3) -> list[TemplateRecord]:
        """The templates that match what the customer wrote, in their language.

        The subject and the customer's newest messages together: a follow-up ("any news?")
        says little on its own, the first message says what it is about.
        """
        with self._store.read() as db:
            row = db.first("SELECT subject FROM conversation WHERE id = :c", {"c": conversation_id})
            bodies = db.scalars(
                "SELECT body_text FROM message WHERE conversation_id = :c"
                " AND direction = 'inbound' AND is_automated = 0"
                " ORDER BY received_at DESC, id DESC LIMIT 5",
                {"c": conversation_id},
            )
        if row is None or not bodies:
            return []
        from agentconsole.services.language import customer_words

        text = "\n".join([row.subject, *(customer_words(b) for b in bodies)])
        language = self.language(conversation_id).language
        return self.knowledge.suggest(text, language, limit)

    def relevant_order(self, conversation_id: int) -> int | None:
        """The order a reply is about: the one an agent linked, else one the conversation
        quotes, else the customer's latest."""
        with self._store.read() as db:
            row = db.first(
                "SELECT customer_id, subject FROM conversation WHERE id = :id",
                {"id": conversation_id},
            )
            if row is None:
                return None
            linked = db.scalar(
                "SELECT order_id FROM conversation_order WHERE conversation_id = :id "
                "ORDER BY linked_at DESC LIMIT 1",
                {"id": conversation_id},
            )
            if linked is not None:
                return int(linked)
            bodies = db.scalars(
                "SELECT subject || ' ' || body_text FROM message WHERE conversation_id = :id"
                " ORDER BY received_at DESC",
                {"id": conversation_id},
            )
            for number in _ORDER_REF.findall(" ".join([row.subject, *bodies])):
                found = db.first(
                    'SELECT id FROM "order" WHERE name = :n AND customer_id = :c',
                    {"n": f"#{number}", "c": row.customer_id},
                )
                if found:
                    return int(found.id)
            latest = db.first(
                'SELECT id FROM "order" WHERE customer_id = :c ORDER BY created_at DESC LIMIT 1',
                {"c": row.customer_id},
            )
        return int(latest.id) if latest else None

    def prompts(self, template: TemplateRecord, order_id: int | None) -> tuple[Prompt, ...]:
        """The template's prompts with their choices filled in (the order's items …)."""
        order = self._orders.detail(order_id) if order_id is not None else None
        out: list[Prompt] = []
        for prompt in template.prompts:
            if prompt.choices_from == "order.items" and order is not None:
                titles = tuple(
                    dict.fromkeys(
                        f"{line.title} ({line.variant})" if line.variant else line.title
                        for line in order.lines
                    )
                )
                out.append(Prompt(prompt.name, prompt.question, titles, prompt.choices_from))
            else:
                out.append(prompt)
        return tuple(out)

    # --- filling in ----------------------------------------------------------------------

    def _shop(self) -> ShopFacts:
        shop = self._settings.shop
        name, url = shop.name, shop.url
        if not name or not url:
            with self._store.read() as db:
                row = db.first("SELECT name, url FROM shop_store ORDER BY id LIMIT 1")
            if row is not None:
                name, url = name or row.name, url or row.url
        return ShopFacts(name, url, shop.return_policy_url)

    def values(self, conversation_id: int, order_id: int | None) -> dict[str, Any]:
        summary = self._inbox.summary(conversation_id)
        if summary is None:
            raise KnowledgeError(f"no conversation {conversation_id}")
        profile = self._customers.profile(summary.customer_id)
        order: OrderDetail | None = self._orders.detail(order_id) if order_id is not None else None
        agent = self._settings.agent
        zone = ZoneInfo(agent.timezone)
        return template_values(
            profile=profile,
            order=order,
            conversation=summary,
            agent_name=agent.name,
            agent_signature=agent.signature,
            shop=self._shop(),
            today=self._clock.now().astimezone(zone).date(),
        )

    def fill(
        self,
        template: TemplateRecord,
        conversation_id: int,
        *,
        order_id: int | None = None,
        answers: Mapping[str, str] | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> RenderedReply:
        """The template filled for this conversation; ``missing`` names what had no value.

        ``order_id`` None means the conversation's relevant order. ``overrides`` set any
        dotted value (``order.tracking_link=…``). Raises ``TemplateProblem`` when the
        template itself is broken or unsafe.
        """
        if order_id is None:
            order_id = self.relevant_order(conversation_id)
        values = self.values(conversation_id, order_id)
        for name, value in (overrides or {}).items():
            head, _, field = name.partition(".")
            if field and isinstance(values.get(head), dict):
                values[head][field] = value
            elif not field:
                values[head] = value
        from agentconsole.services.template_render import locale_for, render

        rendered = render(
            template.body,
            values,
            locale=locale_for(template.language),
            zone=ZoneInfo(self._settings.agent.timezone),
            answers=answers,
        )
        return RenderedReply(
            template.key, template.language, rendered.text, rendered.missing, template.title
        )
