"""Replies: canned templates filtered as you type, filled in for a conversation, and sent.

Sending writes the outbound message, its outbox entry and the event in one transaction, then
hands the fixed bytes to the transport; a crash between the two leaves a queued outbox entry,
never a lost or doubled reply.
"""

from __future__ import annotations

import re
from pathlib import Path

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.mail import maildir
from agentconsole.mail.compose import build_reply, new_message_id
from agentconsole.services import events
from agentconsole.services.agents import AgentRecord
from agentconsole.services.records import RenderedReply, SentReply, TemplateRecord
from agentconsole.services.templates import render
from agentconsole.store.db import Store

_ORDER_REF = re.compile(r"#\s?(\d{3,})")


class ReplyError(Exception):
    """A reply that cannot be sent; ``str()`` is one line for the agent."""


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

    def send(self, conversation_id: int, body: str, agent: AgentRecord) -> SentReply:
        """Queue the reply and deliver it with the configured transport."""
        if not body.strip():
            raise ReplyError("the reply is empty")
        from sqlmodel import select

        from agentconsole.store.models import Conversation, CustomerIdentity, MailAccount, Message

        now = self._clock.now()
        with self._store.session() as session:
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                raise ReplyError(f"conversation {conversation_id} does not exist")
            last_in = session.exec(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .where(Message.direction == "inbound")
                .order_by(Message.received_at.desc())  # type: ignore[attr-defined]
            ).first()
            to_addr = last_in.from_addr if last_in else None
            if not to_addr:
                to_addr = session.exec(
                    select(CustomerIdentity.value)
                    .where(CustomerIdentity.customer_id == conv.customer_id)
                    .where(CustomerIdentity.kind == "email")
                    .order_by(CustomerIdentity.is_primary.desc())  # type: ignore[attr-defined]
                ).first()
            if not to_addr:
                raise ReplyError("the customer has no email address to reply to")
            account = (
                session.get(MailAccount, conv.account_id)
                if conv.account_id
                else session.exec(select(MailAccount).order_by(MailAccount.id)).first()  # type: ignore[arg-type]
            )
            if account is None:
                raise ReplyError("no mail account is configured to send from")
            domain = account.email.rsplit("@", 1)[-1]
            message_id = new_message_id(domain)
            refs: list[str] = []
            if last_in is not None:
                refs = [*last_in.references.split(), last_in.message_id]
            subject = (
                conv.subject if conv.subject.lower().startswith("re:") else f"Re: {conv.subject}"
            )
            raw = build_reply(
                message_id=message_id,
                from_name=agent.name,
                from_addr=account.email,
                to_addr=to_addr,
                subject=subject,
                body=body,
                date=now,
                in_reply_to=last_in.message_id if last_in else None,
                references=refs,
            )
            msg = Message(
                message_id=message_id,
                conversation_id=conversation_id,
                agent_id=agent.id,
                direction="outbound",
                from_addr=account.email,
                from_name=agent.name,
                to_addrs=to_addr,
                subject=subject,
                in_reply_to=last_in.message_id if last_in else None,
                references=" ".join(refs),
                sent_at=now,
                received_at=now,
                body_text=body,
                seen=True,
            )
            session.add(msg)
            session.flush()
            assert msg.id is not None
            from agentconsole.store.models import OutboxItem

            outbox = OutboxItem(message_id=msg.id, account_id=account.id, raw=raw, created_at=now)
            session.add(outbox)
            conv.waiting_since = None
            conv.last_message_at = now
            if conv.first_response_at is None:
                conv.first_response_at = now
            session.add(conv)
            events.record(
                session,
                at=now,
                actor=agent.handle,
                agent_id=agent.id,
                kind="reply.queued",
                subject_type="conversation",
                subject_id=conversation_id,
                message_id=message_id,
            )
            session.flush()
            outbox_id = outbox.id
        return SentReply(message_id, conversation_id, self._deliver(outbox_id, message_id, raw))

    def _deliver(self, outbox_id: int | None, message_id: str, raw: bytes) -> str:
        if self._settings.outgoing.transport != "maildir":
            return "outbox (queued for SMTP)"
        from agentconsole.store.models import OutboxItem

        target: Path = maildir.deliver(self._settings.maildir, message_id, raw)
        with self._store.session() as session:
            item = session.get(OutboxItem, outbox_id)
            if item is not None:
                item.state = "sent"
                item.attempts += 1
                item.sent_at = self._clock.now()
                session.add(item)
        return str(target.parent.parent)
