"""Fifty thousand orders: lines from the demo catalogue, shipments, refunds, cancellations.

Why like ``orders.py`` but on tuples: the rules are the small demo's (a background order's
state follows from its age; an order a conversation is about is planned around that
conversation), but at this size the rows are tuples, not model instances. Orders are planned
first, numbered by creation time (#10001 …) and only then turned into rows, so names follow
time as in a real shop.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import accumulate
from random import Random

from agentconsole.demo import carriers
from agentconsole.demo.carriers import CARRIERS, CARRIERS_BY_LANGUAGE
from agentconsole.demo.catalogue import BY_SKU, PRODUCTS, Product
from agentconsole.demo.large_base import (
    FIRST_ORDER_EXTERNAL,
    FIRST_ORDER_NUMBER,
    HISTORY_DAYS,
    between,
    maybe_stamp,
    one,
    pick,
    span,
    stamp,
)
from agentconsole.demo.large_people import Person
from agentconsole.demo.orders import (
    FREE_SHIPPING_FROM,
    PARTIAL_RETURN_REASONS,
    SHIPPING_CENTS,
    VAT_PERCENT,
)
from agentconsole.demo.staff import SHOP_URL

_CUM_POPULARITY = list(accumulate(p.popularity for p in PRODUCTS))
_LINE_COUNTS = (1, 2, 3, 4)
_CUM_LINE_COUNTS = list(accumulate((45, 30, 17, 8)))
_QUANTITIES = (1, 2, 3)
_CUM_QUANTITIES = list(accumulate((70, 20, 10)))
_SKUS: dict[tuple[str, str], str] = {
    (product.sku, variant): product.variant_sku(variant)
    for product in PRODUCTS
    for variant in product.variants
}


def _digits(rng: Random, count: int) -> str:
    return f"{rng.randrange(10**count):0{count}d}"


def tracking_number(carrier: str, rng: Random) -> str:
    """``carriers.tracking_number``, its digits drawn in one go instead of one by one."""
    return carriers.tracking_number(carrier, rng, _digits)


class OrderPlan:
    """An order to create; ``build_rows`` fills in its number, lines and shipment."""

    __slots__ = (
        "person",
        "created",
        "shipped",
        "delivered",
        "cancelled",
        "refunds",
        "include_sku",
        "replacement_of",
        "partial",
        "pending",
        "id",
        "name",
        "lines",
        "carrier",
        "tracking",
        "tracking_url",
        "status_url",
    )

    def __init__(
        self,
        person: Person,
        created: datetime,
        shipped: datetime | None = None,
        delivered: datetime | None = None,
        include_sku: str | None = None,
    ) -> None:
        self.person = person
        self.created = created
        self.shipped = shipped
        self.delivered = delivered
        self.cancelled: datetime | None = None
        self.refunds: list[tuple[datetime, str, str | None, int | None]] = []
        """(when, reason, sku — ``"*"`` any one line, None all —, fixed amount)."""
        self.include_sku = include_sku
        self.replacement_of: OrderPlan | None = None
        self.partial = False
        self.pending = False
        self.id = 0
        self.name = ""
        self.lines: list[tuple[str, str, str, int, int, int]] = []
        """(sku, title, variant, quantity, unit price, total)."""
        self.carrier = ""
        self.tracking = ""
        self.tracking_url = ""
        self.status_url = ""

    def line_for(self, sku: str) -> tuple[str, str, str, int, int, int]:
        for line in self.lines:
            if line[0] == sku or line[0].startswith(f"{sku}-"):
                return line
        raise LookupError(f"{self.name} has no {sku} line")


def _at_hour(at: datetime, rng: Random, start: int, end: int) -> datetime:
    return at.replace(hour=between(rng, start, end - 1), minute=between(rng, 0, 59))


def background_order(person: Person, created: datetime, now: datetime, rng: Random) -> OrderPlan:
    """An order nobody wrote about, its state following from its age (as ``orders.py``)."""
    plan = OrderPlan(person, created)
    age = now - created
    if age < timedelta(days=1):
        plan.pending = rng.random() < 0.4
        return plan
    shipped = _at_hour(created + span(rng, 16, 40), rng, 13, 17)
    if age < timedelta(days=3):
        roll = rng.random()
        if roll < 0.5 or shipped > now:
            return plan
        plan.shipped = shipped
        plan.partial = roll < 0.7
        return plan
    if age > timedelta(days=12) and rng.random() < 0.04:
        plan.cancelled = created + span(rng, 2, 20)
        plan.refunds.append((plan.cancelled, "Cancelled by customer", None, None))
        return plan
    plan.shipped = shipped
    delivered = _at_hour(shipped + span(rng, 20, 110), rng, 8, 17)
    if delivered <= now:
        plan.delivered = delivered
        if age > timedelta(days=12):
            roll = rng.random()
            refund_at = _at_hour(delivered + span(rng, 72, 340), rng, 8, 16)
            if refund_at < now and roll < 0.05:
                plan.refunds.append((refund_at, "Returned: whole order", None, None))
            elif refund_at < now and roll < 0.13:
                reason = one(rng, PARTIAL_RETURN_REASONS)
                plan.refunds.append((refund_at, reason, "*", None))
            elif refund_at < now and roll < 0.15:
                plan.refunds.append((refund_at, "Goodwill: late delivery", None, 500))
    return plan


def plan_background(
    buyers: list[Person], count: int, now: datetime, rng: Random
) -> list[OrderPlan]:
    """``count`` orders over the last 18 months, busier lately, more from keen customers."""
    if not buyers or count <= 0:
        return []
    cum_weights = list(accumulate(p.weight for p in buyers))
    chosen = rng.choices(buyers, cum_weights=cum_weights, k=count)
    plans = []
    for person in chosen:
        days = max(HISTORY_DAYS * rng.random() ** 1.35, 0.05)
        created = (now - timedelta(days=days)).replace(microsecond=0)
        plans.append(background_order(person, created, now, rng))
    return plans


def _pick_lines(
    rng: Random, *, wholesale: bool, include: str | None
) -> list[tuple[Product, str, int]]:
    count = between(rng, 2, 5) if wholesale else pick(rng, _LINE_COUNTS, _CUM_LINE_COUNTS)
    chosen: list[Product] = [BY_SKU[include]] if include else []
    while len(chosen) < count:
        product = pick(rng, PRODUCTS, _CUM_POPULARITY)
        if product not in chosen:
            chosen.append(product)
    picked = []
    for product in chosen:
        variant = one(rng, product.variants)
        if wholesale:
            quantity = one(rng, (6, 6, 12, 12, 18, 24))
        elif product.sku == include:
            quantity = 1
        else:
            quantity = pick(rng, _QUANTITIES, _CUM_QUANTITIES)
        picked.append((product, variant, quantity))
    return picked


def _discount(created: datetime, rng: Random) -> tuple[str, int] | None:
    black_week = created.month == 11 and created.day >= 20
    if rng.random() > (0.4 if black_week else 0.18):
        return None
    if black_week:
        return "BLACKWEEK20", 20
    if created.month in (12, 1, 2):
        return "WINTER15", 15
    if created.month in (3, 4, 5):
        return "SPRING15", 15
    return one(rng, (("WELCOME10", 10), ("NEWSLETTER10", 10)))


class OrderRows:
    """The rows of every generated order, in insert order."""

    def __init__(self) -> None:
        self.orders: list[tuple[object, ...]] = []
        self.lines: list[tuple[object, ...]] = []
        self.shipments: list[tuple[object, ...]] = []
        self.refunds: list[tuple[object, ...]] = []


def build_rows(
    plans: list[OrderPlan],
    now: datetime,
    rng: Random,
    *,
    shop_id: int,
    first_ids: dict[str, int],
) -> OrderRows:
    """Number the orders by creation time and make their rows (ids from ``first_ids``)."""
    ordered = sorted(enumerate(plans), key=lambda pair: (pair[1].created, pair[0]))
    rows = OrderRows()
    line_id, shipment_id, refund_id = (
        first_ids["order_line"],
        first_ids["shipment"],
        first_ids["refund"],
    )
    for index, (_, plan) in enumerate(ordered):
        plan.id = first_ids["order"] + index
        number = FIRST_ORDER_NUMBER + index
        plan.name = f"#{number}"
        person = plan.person
        language = person.language
        if plan.replacement_of is not None:
            assert plan.include_sku is not None
            original = plan.replacement_of.line_for(plan.include_sku)
            picked = [(BY_SKU[plan.include_sku], original[2], 1)]
        else:
            picked = _pick_lines(rng, wholesale=person.wholesale, include=plan.include_sku)
        for product, variant, quantity in picked:
            line = (
                _SKUS[product.sku, variant],
                product.title,
                variant,
                quantity,
                product.price,
                product.price * quantity,
            )
            plan.lines.append(line)
            rows.lines.append((line_id, plan.id, *line))
            line_id += 1
        subtotal = sum(line[5] for line in plan.lines)
        notes: list[str] = []
        if plan.replacement_of is not None:
            discount, shipping, tax = subtotal, 0, 0
            notes.append(f"Replacement for {plan.replacement_of.name}: arrived broken. No charge.")
        else:
            if person.wholesale:
                discount = subtotal // 5
                notes.append("Wholesale account: 20% trade discount.")
            else:
                code = _discount(plan.created, rng)
                discount = subtotal * code[1] // 100 if code else 0
                if code:
                    notes.append(f"Discount code: {code[0]}")
            shipping = 0 if subtotal - discount >= FREE_SHIPPING_FROM else SHIPPING_CENTS[language]
            tax = ((subtotal - discount + shipping) * VAT_PERCENT[language] + 50) // 100
        total = subtotal + shipping + tax - discount
        plan.status_url = f"{SHOP_URL}/account/orders/{rng.getrandbits(64):016x}"
        shipped = plan.shipped if plan.shipped is not None and plan.shipped <= now else None
        delivered = (
            plan.delivered
            if shipped is not None and plan.delivered is not None and plan.delivered <= now
            else None
        )
        plan.shipped, plan.delivered = shipped, delivered
        latest = plan.created
        if shipped is not None:
            carrier = CARRIERS[one(rng, CARRIERS_BY_LANGUAGE[language])]
            plan.carrier = carrier.name
            plan.tracking = tracking_number(carrier.name, rng)
            plan.tracking_url = carrier.tracking_url(plan.tracking)
            rows.shipments.append(
                (
                    shipment_id,
                    plan.id,
                    plan.carrier,
                    plan.tracking,
                    plan.tracking_url,
                    "delivered" if delivered else "in_transit",
                    stamp(shipped),
                    maybe_stamp(delivered),
                )
            )
            shipment_id += 1
            latest = max(latest, delivered or shipped)
        refunded = 0
        for at, reason, sku, fixed in sorted(plan.refunds, key=lambda r: r[0]):
            if fixed is not None:
                amount = fixed
            elif sku == "*":
                amount = one(rng, plan.lines)[5]
            elif sku is not None:
                amount = plan.line_for(sku)[5]
            else:
                amount = total
            amount = min(amount, total - refunded)
            if amount <= 0 or at > now:
                continue
            refunded += amount
            rows.refunds.append((refund_id, plan.id, amount, "EUR", reason, stamp(at)))
            refund_id += 1
            latest = max(latest, at)
        if plan.cancelled is not None:
            latest = max(latest, plan.cancelled)
        if refunded and refunded >= total:
            financial = "refunded"
        elif refunded:
            financial = "partially_refunded"
        else:
            financial = "pending" if plan.pending else "paid"
        fulfillment = "unfulfilled" if shipped is None else "fulfilled"
        if shipped is not None and plan.partial:
            fulfillment = "partial"
        rows.orders.append(
            (
                plan.id,
                shop_id,
                f"gid://demo/Order/{FIRST_ORDER_EXTERNAL + index}",
                plan.name,
                number,
                person.id,
                person.email,
                stamp(plan.created),
                stamp(latest),
                maybe_stamp(plan.cancelled),
                financial,
                fulfillment,
                "EUR",
                subtotal,
                shipping,
                tax,
                discount,
                total,
                plan.status_url,
                "\n".join(notes),
            )
        )
        person.seen(plan.created)
    return rows


ORDER_COLUMNS = (
    "id",
    "store_id",
    "external_id",
    "name",
    "number",
    "customer_id",
    "email",
    "created_at",
    "updated_at",
    "cancelled_at",
    "financial_status",
    "fulfillment_status",
    "currency",
    "subtotal",
    "shipping",
    "tax",
    "discount",
    "total",
    "status_url",
    "note",
)
LINE_COLUMNS = ("id", "order_id", "sku", "title", "variant", "quantity", "unit_price", "total")
SHIPMENT_COLUMNS = (
    "id",
    "order_id",
    "carrier",
    "tracking_number",
    "tracking_url",
    "status",
    "shipped_at",
    "delivered_at",
)
REFUND_COLUMNS = ("id", "order_id", "amount", "currency", "reason", "created_at")
