"""Orders with lines, shipments and refunds, named #1001, #1002 … in the order they were placed.

Why two kinds: most orders are background history drawn at random (recent months busier, as a
growing shop's are), but conversations need orders in a particular state at a particular time
(a parcel still in transit when the customer asks, a teapot delivered the evening before the
complaint). Conversations ask for those as ``PlannedOrder`` requests; everything is numbered
together afterwards, so names still follow creation time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from agentconsole.demo.carriers import Carrier, pick_carrier, tracking_number
from agentconsole.demo.catalogue import BY_SKU, PRODUCTS, Product
from agentconsole.demo.people import Person
from agentconsole.demo.staff import SHOP_URL
from agentconsole.demo.timing import hours
from agentconsole.demo.world import World
from agentconsole.store.models import Order, OrderLine, Refund, Shipment

TARGET_ORDERS = 300
FIRST_NUMBER = 1001
FIRST_EXTERNAL = 5001
HISTORY_DAYS = 730

VAT_PERCENT: dict[str, int] = {"en": 0, "de": 19, "fr": 20, "it": 22, "es": 21, "pl": 23}
SHIPPING_CENTS: dict[str, int] = {"en": 1290, "de": 495, "fr": 990, "it": 990, "es": 990, "pl": 990}
FREE_SHIPPING_FROM = 7500

PARTIAL_RETURN_REASONS = (
    "Returned: wrong size",
    "Returned: colour not as expected",
    "Damaged in transit",
    "Returned: changed mind",
)


@dataclass
class RefundRequest:
    """Money back on an order: one line (``sku``; ``"*"`` = any one line), a fixed ``amount``
    or, if neither is given, everything."""

    at: datetime
    reason: str
    sku: str | None = None
    amount: int | None = None


@dataclass
class PlannedOrder:
    """An order to create, and once built, the rows that make it up."""

    person: Person
    created_at: datetime
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    include_sku: str | None = None
    replacement_of: PlannedOrder | None = None
    refunds: list[RefundRequest] = field(default_factory=list)
    cancelled_at: datetime | None = None
    partial: bool = False
    pending_payment: bool = False
    order: Order | None = None
    lines: list[OrderLine] = field(default_factory=list)
    shipment: Shipment | None = None
    carrier: Carrier | None = None

    @property
    def name(self) -> str:
        assert self.order is not None, "order not built yet"
        return self.order.name

    def line_for(self, sku: str) -> OrderLine:
        for line in self.lines:
            if line.sku == sku or line.sku.startswith(f"{sku}-"):
                return line
        raise LookupError(f"{self.name} has no {sku} line")


def _pick_lines(
    rng: Random, *, wholesale: bool, include: str | None
) -> list[tuple[Product, str, int]]:
    count = rng.randint(2, 5) if wholesale else rng.choices((1, 2, 3, 4), (45, 30, 17, 8))[0]
    chosen: list[Product] = [BY_SKU[include]] if include else []
    weights = [p.popularity for p in PRODUCTS]
    while len(chosen) < count:
        product = rng.choices(PRODUCTS, weights)[0]
        if product not in chosen:
            chosen.append(product)
    picked = []
    for product in chosen:
        variant = rng.choice(product.variants)
        if wholesale:
            quantity = rng.choice((6, 6, 12, 12, 18, 24))
        else:
            quantity = 1 if product.sku == include else rng.choices((1, 2, 3), (70, 20, 10))[0]
        picked.append((product, variant, quantity))
    return picked


def _discount_code(created: datetime, rng: Random) -> tuple[str, int] | None:
    black_week = created.month == 11 and created.day >= 20
    if rng.random() > (0.4 if black_week else 0.18):
        return None
    if black_week:
        return "BLACKWEEK20", 20
    if created.month in (12, 1, 2):
        return "WINTER15", 15
    if created.month in (3, 4, 5):
        return "SPRING15", 15
    return rng.choice((("WELCOME10", 10), ("NEWSLETTER10", 10)))


def _at_hour(at: datetime, rng: Random, start: int, end: int) -> datetime:
    """The same day at a random time between ``start`` and ``end`` o'clock UTC."""
    return at.replace(hour=rng.randrange(start, end), minute=rng.randrange(60))


def _random_history(world: World, person: Person, created: datetime) -> PlannedOrder:
    """A background order whose state follows from its age."""
    rng, now = world.rng, world.now
    planned = PlannedOrder(person=person, created_at=created)
    age = now - created
    if age < timedelta(days=1):
        planned.pending_payment = rng.random() < 0.4
        return planned
    # Parcels leave the warehouse in the afternoon and arrive in the daytime.
    shipped = _at_hour(created + hours(rng, 16, 40), rng, 13, 17)
    if age < timedelta(days=3):
        roll = rng.random()
        if roll < 0.5 or shipped > now:
            return planned
        planned.shipped_at = shipped
        planned.partial = roll < 0.7
        return planned
    if age > timedelta(days=12):
        roll = rng.random()
        if roll < 0.04:
            planned.cancelled_at = created + hours(rng, 2, 20)
            planned.refunds.append(RefundRequest(planned.cancelled_at, "Cancelled by customer"))
            return planned
    planned.shipped_at = shipped
    delivered = _at_hour(shipped + hours(rng, 20, 110), rng, 8, 17)
    if delivered <= now:
        planned.delivered_at = delivered
        if age > timedelta(days=12):
            roll = rng.random()
            refund_at = _at_hour(delivered + hours(rng, 72, 340), rng, 8, 16)
            if refund_at < now and roll < 0.05:
                planned.refunds.append(RefundRequest(refund_at, "Returned: whole order"))
            elif refund_at < now and roll < 0.13:
                planned.refunds.append(
                    RefundRequest(refund_at, rng.choice(PARTIAL_RETURN_REASONS), sku="*")
                )
            elif refund_at < now and roll < 0.15:
                planned.refunds.append(
                    RefundRequest(refund_at, "Goodwill: late delivery", amount=500)
                )
    return planned


def plan_history(world: World, people: list[Person], requested: int) -> list[PlannedOrder]:
    """Background orders so that, with the ``requested`` ones, the shop has ~300."""
    rng, now = world.rng, world.now
    buyers = [p for p in people if not p.has("no-orders")]
    planned: list[PlannedOrder] = []

    def at_age(days: float) -> datetime:
        return (now - timedelta(days=days)).replace(microsecond=0)

    for person, count in (
        (next(p for p in buyers if p.has("vip")), 16),
        (next(p for p in buyers if p.has("wholesale")), 8),
    ):
        for k in range(count):
            days = HISTORY_DAYS * (k + rng.uniform(0.1, 0.9)) / count
            planned.append(_random_history(world, person, at_age(days)))
    others = [p for p in buyers if not (p.has("vip") or p.has("wholesale"))]
    # A few orders in the states that only last a day or two, so every state is on show.
    for _ in range(3):
        waiting = PlannedOrder(rng.choice(others), at_age(rng.uniform(0.1, 2)))
        waiting.pending_payment = True  # bank transfer not in yet
        planned.append(waiting)
    for _ in range(2):
        created = at_age(rng.uniform(2.5, 4))
        partial = PlannedOrder(rng.choice(others), created, created + hours(rng, 16, 30))
        partial.partial = True  # one item back-ordered
        planned.append(partial)
    weights = [rng.choice((1, 1, 2, 2, 3)) for _ in others]
    for _ in range(max(TARGET_ORDERS - requested - len(planned), 0)):
        person = rng.choices(others, weights)[0]
        days = max(HISTORY_DAYS * rng.random() ** 1.7, 0.05)
        planned.append(_random_history(world, person, at_age(days)))
    return planned


def build_orders(world: World, planned: list[PlannedOrder]) -> list[PlannedOrder]:
    """Number every planned order by creation time and create its rows."""
    ordered = sorted(enumerate(planned), key=lambda pair: (pair[1].created_at, pair[0]))
    result = []
    for index, (_, plan) in enumerate(ordered):
        _build_one(world, plan, index)
        result.append(plan)
    return result


def _build_one(world: World, plan: PlannedOrder, index: int) -> None:
    rng, now = world.rng, world.now
    person = plan.person
    language = person.language
    wholesale = person.has("vip") or person.has("wholesale")
    order_id = world.next_id("order")
    number = FIRST_NUMBER + index
    if plan.replacement_of is not None:
        assert plan.include_sku is not None, "a replacement names the product it replaces"
        original = plan.replacement_of.line_for(plan.include_sku)
        picked = [(BY_SKU[plan.include_sku], original.variant, 1)]
    else:
        picked = _pick_lines(rng, wholesale=wholesale, include=plan.include_sku)
    for product, variant, quantity in picked:
        plan.lines.append(
            OrderLine(
                id=world.next_id("order_line"),
                order_id=order_id,
                sku=product.variant_sku(variant),
                title=product.title,
                variant=variant,
                quantity=quantity,
                unit_price=product.price,
                total=product.price * quantity,
            )
        )
    subtotal = sum(line.total for line in plan.lines)
    notes: list[str] = []
    if plan.replacement_of is not None:
        discount, shipping, tax = subtotal, 0, 0
        notes.append(f"Replacement for {plan.replacement_of.name}: arrived broken. No charge.")
    else:
        if wholesale:
            discount = subtotal // 5
            notes.append("Wholesale account: 20% trade discount.")
        else:
            code = _discount_code(plan.created_at, rng)
            discount = subtotal * code[1] // 100 if code else 0
            if code:
                notes.append(f"Discount code: {code[0]}")
        shipping = 0 if subtotal - discount >= FREE_SHIPPING_FROM else SHIPPING_CENTS[language]
        tax = ((subtotal - discount + shipping) * VAT_PERCENT[language] + 50) // 100
    total = subtotal + shipping + tax - discount
    token = f"{rng.getrandbits(64):016x}"
    shipped = plan.shipped_at if plan.shipped_at and plan.shipped_at <= now else None
    delivered = (
        plan.delivered_at if shipped and plan.delivered_at and plan.delivered_at <= now else None
    )
    times = [plan.created_at]
    if shipped is not None:
        plan.carrier = pick_carrier(language, rng)
        number_ = tracking_number(plan.carrier.name, rng)
        plan.shipment = Shipment(
            id=world.next_id("shipment"),
            order_id=order_id,
            carrier=plan.carrier.name,
            tracking_number=number_,
            tracking_url=plan.carrier.tracking_url(number_),
            status="delivered" if delivered else "in_transit",
            shipped_at=shipped,
            delivered_at=delivered,
        )
        world.shipments.append(plan.shipment)
        times += [shipped] + ([delivered] if delivered else [])
    refunded = 0
    for request in plan.refunds:
        if request.amount is not None:
            amount = request.amount
        elif request.sku == "*":
            amount = rng.choice(plan.lines).total
        elif request.sku is not None:
            amount = plan.line_for(request.sku).total
        else:
            amount = total
        amount = min(amount, total - refunded)
        if amount <= 0:
            continue
        refunded += amount
        world.refunds.append(
            Refund(
                id=world.next_id("refund"),
                order_id=order_id,
                amount=amount,
                currency="EUR",
                reason=request.reason,
                created_at=request.at,
            )
        )
        times.append(request.at)
    if plan.cancelled_at is not None:
        times.append(plan.cancelled_at)
    if refunded and refunded >= total:
        financial = "refunded"
    elif refunded:
        financial = "partially_refunded"
    else:
        financial = "pending" if plan.pending_payment else "paid"
    fulfillment = "unfulfilled" if shipped is None else "fulfilled"
    if shipped is not None and plan.partial:
        fulfillment = "partial"
    plan.order = Order(
        id=order_id,
        store_id=world.shop.id or 1,
        external_id=f"gid://demo/Order/{FIRST_EXTERNAL + index}",
        name=f"#{number}",
        number=number,
        customer_id=person.id,
        email=person.email,
        created_at=plan.created_at,
        updated_at=max(times),
        cancelled_at=plan.cancelled_at,
        financial_status=financial,
        fulfillment_status=fulfillment,
        currency="EUR",
        subtotal=subtotal,
        shipping=shipping,
        tax=tax,
        discount=discount,
        total=total,
        status_url=f"{SHOP_URL}/account/orders/{token}",
        note="\n".join(notes),
    )
    world.orders.append(plan.order)
    world.order_lines.extend(plan.lines)
