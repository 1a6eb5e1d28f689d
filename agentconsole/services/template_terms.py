"""What a reply template may name, and its one error: without Jinja2 or Babel.

Why apart from ``template_render``: the console needs these names at start (the editor's
variable list, the error it catches) but renders its first template only later, off the UI
thread; keeping Jinja2 and Babel out of the start-up imports saves ~30 ms of every start.
"""

from __future__ import annotations

VARIABLES: dict[str, tuple[str, ...]] = {
    "customer": (
        "first_name",
        "last_name",
        "name",
        "email",
        "orders_count",
        "lifetime_value",
        "language",
        "birthday",
    ),
    "conversation": ("id", "subject", "channel", "status"),
    "order": (
        "number",
        "status",
        "financial_status",
        "fulfillment_status",
        "created_at",
        "items",
        "items_text",
        "total",
        "carrier",
        "tracking_number",
        "tracking_link",
        "refund_amount",
        "refund_date",
        "status_link",
    ),
    "agent": ("name", "signature"),
    "shop": ("name", "url", "return_policy_link"),
}
"""Every value a template can use (``ask.*`` and ``today`` besides); the knowledge base flags
any other name as a probable typo."""

ALIASES = {"order.name": "order.number", "order.tracking_url": "order.tracking_link"}
"""Older spellings still understood."""

ITEM_FIELDS = ("title", "variant", "quantity", "total")


class TemplateProblem(ValueError):
    """The template itself is wrong or unsafe; the message is one line for the agent."""
