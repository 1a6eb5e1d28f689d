"""The values a reply template may use, gathered from the records the console already shows.

Why from records (the customer 360, the order detail) rather than fresh SQL: the reply must
say what the agent sees beside it, e.g. the order open in the order pane, the lifetime value in
the customer pane. Empty facts stay empty here; the renderer turns them into "missing".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from agentconsole.services.records import (
    ConversationSummary,
    CustomerProfile,
    Money,
    OrderDetail,
)


@dataclass(frozen=True)
class ShopFacts:
    name: str
    url: str
    return_policy_link: str


def _names(full: str) -> tuple[str, str]:
    parts = full.split()
    if not parts:
        return "", ""
    if "@" in parts[0]:  # only an address is known
        return "", ""
    return parts[0], " ".join(parts[1:])


def _lifetime(profile: CustomerProfile, order: OrderDetail | None) -> Money | None:
    if not profile.lifetime_value:
        return None
    if order is not None:
        for money in profile.lifetime_value:
            if money.currency == order.total.currency:
                return money
    return profile.lifetime_value[0]


def customer_values(profile: CustomerProfile | None, order: OrderDetail | None) -> dict[str, Any]:
    if profile is None:
        return {}
    first, last = _names(profile.name)
    return {
        "_text": profile.name,
        "first_name": first,
        "last_name": last,
        "name": profile.name,
        "email": profile.emails[0] if profile.emails else "",
        "orders_count": profile.order_count,
        "lifetime_value": _lifetime(profile, order),
        "language": profile.language,
        "birthday": profile.birthday,
    }


def order_values(order: OrderDetail | None) -> dict[str, Any]:
    if order is None:
        return {}
    ship = order.shipments[-1] if order.shipments else None
    refund = order.refunds[-1] if order.refunds else None
    items = [
        {
            "_text": f"{line.quantity} × {line.title}",
            "title": line.title,
            "variant": line.variant,
            "quantity": line.quantity,
            "total": line.total,
        }
        for line in order.lines
    ]
    return {
        "_text": order.name,
        "number": order.name,
        "status": order.state,
        "financial_status": order.financial_status,
        "fulfillment_status": order.fulfillment_status,
        "created_at": order.created_at,
        "items": items,
        "items_text": ", ".join(item["_text"] for item in items),
        "total": order.total,
        "carrier": ship.carrier if ship else "",
        "tracking_number": ship.tracking_number if ship else "",
        "tracking_link": order.tracking_link() or "",
        "refund_amount": order.refunded if order.refunded.amount else None,
        "refund_date": refund.created_at if refund else None,
        "status_link": order.status_url or "",
    }


def conversation_values(summary: ConversationSummary | None) -> dict[str, Any]:
    if summary is None:
        return {}
    return {
        "_text": summary.subject,
        "id": summary.id,
        "subject": summary.subject,
        "channel": summary.channel,
        "status": summary.status,
    }


def template_values(
    *,
    profile: CustomerProfile | None,
    order: OrderDetail | None,
    conversation: ConversationSummary | None,
    agent_name: str,
    agent_signature: str,
    shop: ShopFacts,
    today: date,
) -> dict[str, Any]:
    """Every namespace a template can read (see ``template_render.VARIABLES``)."""
    return {
        "customer": customer_values(profile, order),
        "order": order_values(order),
        "conversation": conversation_values(conversation),
        "agent": {"_text": agent_name, "name": agent_name, "signature": agent_signature},
        "shop": {
            "_text": shop.name,
            "name": shop.name,
            "url": shop.url,
            "return_policy_link": shop.return_policy_link,
        },
        "today": today,
    }
