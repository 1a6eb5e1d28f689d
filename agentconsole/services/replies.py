"""Canned replies: templates filtered as you type and filled in for a conversation.

Writing and sending the reply itself is ``drafts.py`` and ``outbox.py``.
"""

from __future__ import annotations

import re

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.services.records import RenderedReply, TemplateRecord
from agentconsole.services.templates import render
from agentconsole.store.db import Store

_ORDER_REF = re.compile(r"#\s?(\d{3,})")


def _matches(template: TemplateRecord, words: list[str]) -> bool:
    hay = f"{template.key} {template.title} {' '.join(template.tags)} {template.body}".casefold()
    return all(w in hay for w in words)


class ReplyService:
    def __init__(self, store: Store, clock: Clock, settings: Settings) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings

    def templates(self, typed: str = "", language: str | None = None) -> list[TemplateRecord]:
        """Templates whose key, title, tags or text contain every typed word.

        The customer's language comes first; within it, keys that start with the typed text.
        """
        with self._store.read() as db:
            rows = db.all("SELECT id, key, language, title, body, tags FROM reply_template")
        records = [
            TemplateRecord(
                r.id, r.key, r.language, r.title, r.body, tuple(t for t in r.tags.split(",") if t)
            )
            for r in rows
        ]
        words = typed.casefold().split()
        found = [t for t in records if _matches(t, words)]
        first = words[0] if words else ""
        found.sort(
            key=lambda t: (
                t.language != language,
                t.language != "en",
                not t.key.startswith(first),
                t.key,
                t.language,
            )
        )
        return found

    def context(self, conversation_id: int, agent_name: str) -> dict[str, str]:
        """The values a template may use for this conversation (a read: nothing is written)."""
        with self._store.read() as db:
            row = db.one(
                "SELECT cu.id AS customer_id, cu.name, c.subject FROM conversation c"
                " JOIN customer cu ON cu.id = c.customer_id WHERE c.id = :id",
                {"id": conversation_id},
            )
            bodies = " ".join(
                db.scalars(
                    "SELECT subject || ' ' || body_text FROM message WHERE conversation_id=:id",
                    {"id": conversation_id},
                )
            )
            quoted = _ORDER_REF.findall(f"{row.subject} {bodies}")
            order = None
            for number in quoted:
                order = db.first(
                    'SELECT id, name, fulfillment_status, financial_status FROM "order"'
                    " WHERE name = :n AND customer_id = :c",
                    {"n": f"#{number}", "c": row.customer_id},
                )
                if order:
                    break
            if order is None:
                order = db.first(
                    'SELECT id, name, fulfillment_status, financial_status FROM "order"'
                    " WHERE customer_id = :c ORDER BY created_at DESC LIMIT 1",
                    {"c": row.customer_id},
                )
            shipment = (
                db.first(
                    "SELECT carrier, tracking_number, tracking_url FROM shipment"
                    " WHERE order_id = :o ORDER BY shipped_at DESC LIMIT 1",
                    {"o": order.id},
                )
                if order
                else None
            )
            shop = db.first("SELECT name FROM shop_store ORDER BY id LIMIT 1")
        names = row.name.split()
        ctx = {
            "customer.name": row.name,
            "customer.first_name": names[0] if names else "",
            "agent.name": agent_name,
            "shop.name": shop.name if shop else "",
        }
        if order:
            ctx.update(
                {
                    "order.name": order.name,
                    "order.status": order.fulfillment_status,
                    "order.payment_status": order.financial_status,
                }
            )
        if shipment:
            ctx.update(
                {
                    "order.carrier": shipment.carrier,
                    "order.tracking_number": shipment.tracking_number,
                    "order.tracking_url": shipment.tracking_url or "",
                }
            )
        return ctx

    def fill(self, template_id: int, conversation_id: int, agent_name: str) -> RenderedReply:
        with self._store.read() as db:
            row = db.one(
                "SELECT key, language, body FROM reply_template WHERE id = :id",
                {"id": template_id},
            )
        filled, missing = render(row.body, self.context(conversation_id, agent_name))
        return RenderedReply(row.key, row.language, filled, missing)
