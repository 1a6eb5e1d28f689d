"""A fake Shopify Admin GraphQL API on loopback that checks every query against the real schema.

Why: Shopify cannot be installed, and a hand-written reply would accept a misspelt field. This
server validates each query with graphql-core against the 2026-10 introspection dump in
``shopify_schema/`` (see its LICENSE.md) and executes it over plain dicts shaped like the
GraphQL types, so a query that passes here is one Shopify accepts (reference §5.1).

- ``FakeShopify(token=..., client_id=..., client_secret=...)``; ``start()`` / ``stop()`` or a
  ``with`` block; ``url`` is ``http://127.0.0.1:<port>``.
- Serves ``POST /admin/api/<api_version>/graphql.json`` (other versions: 404; wrong or expired
  token: 401 with Shopify's plain-string ``errors``) and ``POST /admin/oauth/access_token``
  (client-credentials grant: ``{access_token, scope, expires_in}``; 400 for a bad secret).
- Seeds: ``add_customer``, ``add_order`` and the builders ``money``, ``line``, ``fulfillment``,
  ``refund``, ``return_``; ``seed_reference_shop()`` adds the §5.3 fixture shapes.
- Switches: ``throttle_next(n, as_429=False)``, ``expire_tokens()``, ``token_lifetime``,
  ``deny_scope("read_orders")``, ``down()``.
- ``requests`` records each GraphQL request (``query``, ``variables``, ``status``); ``grants``
  counts issued tokens.

Cost model (Shopify's documented one): objects 1, scalars 0, a connection 2 plus ``first``
times the cost of one node (nested connections multiply); a query over 1,000 points is refused
with ``MAX_COST_EXCEEDED``; the bucket holds ``maximum_available`` points and refills at
``restore_rate`` per second.
"""

from __future__ import annotations

import base64
import gzip
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    build_client_schema,
    execute,
    get_named_type,
    parse,
    validate,
)

from tests.servers.http_thread import serve, shut

__all__ = [
    "API_VERSION",
    "SCHEMA_FILE",
    "TOKEN",
    "FakeShopify",
    "fulfillment",
    "line",
    "money",
    "refund",
    "return_",
    "schema",
]

API_VERSION = "2026-10"
SCHEMA_FILE = Path(__file__).parent / "shopify_schema" / f"admin_{API_VERSION}.json.gz"
TOKEN = "shpat_fake_0123456789abcdef"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
_ids = itertools.count(1001)


@cache
def schema() -> GraphQLSchema:
    """The 2026-10 Admin schema, built once per process (~0.5 s)."""
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        dump = json.load(handle)
    built = build_client_schema(dump["data"])
    # graphql-core 3.3 rejects Shopify's schema over deprecation mismatches between interfaces
    # and implementations (which Shopify's own server accepts); queries are still validated.
    built._validation_errors = []  # type: ignore[attr-defined]
    return built


# -- builders (dicts shaped like the GraphQL types) ------------------------------------------


def _iso(moment: datetime | str | None) -> str | None:
    if moment is None or isinstance(moment, str):
        return moment
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _gid(kind: str, number: int | None = None) -> tuple[str, str]:
    legacy = str(number if number is not None else next(_ids))
    return f"gid://shopify/{kind}/{legacy}", legacy


def money(amount: str, currency: str = "EUR", presentment: tuple[str, str] | None = None) -> dict:
    """A ``MoneyBag``: shop money, and presentment money (same unless given)."""
    shop = {"amount": amount, "currencyCode": currency}
    shown = {"amount": presentment[0], "currencyCode": presentment[1]} if presentment else shop
    return {"shopMoney": shop, "presentmentMoney": dict(shown)}


def line(
    title: str,
    price: str,
    quantity: int = 1,
    *,
    sku: str = "",
    variant: str | None = None,
    product_type: str = "",
    currency: str = "EUR",
) -> dict:
    gid, _ = _gid("LineItem")
    product_gid, _ = _gid("Product")
    from decimal import Decimal

    total = str(Decimal(price) * quantity)
    return {
        "id": gid,
        "name": f"{title} - {variant}" if variant else title,
        "title": title,
        "variantTitle": variant,
        "sku": sku or None,
        "quantity": quantity,
        "currentQuantity": quantity,
        "originalUnitPriceSet": money(price, currency),
        "discountedTotalSet": money(total, currency),
        "originalTotalSet": money(total, currency),
        "product": {"id": product_gid, "productType": product_type, "title": title},
    }


def fulfillment(
    display_status: str = "IN_TRANSIT",
    *,
    company: str | None = "DHL Express",
    number: str | None = "JD014600003828395123",
    url: str | None = None,
    status: str = "SUCCESS",
    created_at: datetime | str = "2026-11-18T09:00:00Z",
    in_transit_at: datetime | str | None = "2026-11-18T15:00:00Z",
    estimated_delivery_at: datetime | str | None = "2026-11-21T18:00:00Z",
    delivered_at: datetime | str | None = None,
) -> dict:
    gid, _ = _gid("Fulfillment")
    tracking = []
    if number:
        tracking.append(
            {
                "company": company,
                "number": number,
                "url": url or f"https://www.dhl.com/en/express/tracking.html?AWB={number}",
            }
        )
    return {
        "id": gid,
        "name": "",
        "status": status,
        "displayStatus": display_status,
        "createdAt": _iso(created_at),
        "updatedAt": _iso(created_at),
        "inTransitAt": _iso(in_transit_at),
        "estimatedDeliveryAt": _iso(estimated_delivery_at),
        "deliveredAt": _iso(delivered_at),
        "trackingInfo": tracking,
    }


def refund(
    amount: str,
    currency: str = "EUR",
    *,
    note: str | None = None,
    created_at: datetime | str = "2026-11-19T10:00:00Z",
) -> dict:
    gid, _ = _gid("Refund")
    return {
        "id": gid,
        "createdAt": _iso(created_at),
        "processedAt": _iso(created_at),
        "note": note,
        "totalRefundedSet": money(amount, currency),
    }


def return_(
    status: str = "REQUESTED", *, name: str = "#1001-R1", created_at: str = "2026-11-19T12:00:00Z"
) -> dict:
    gid, _ = _gid("Return")
    return {
        "id": gid,
        "name": name,
        "status": status,
        "createdAt": created_at,
        "closedAt": None,
        "totalQuantity": 1,
    }


# -- search syntax and connections -----------------------------------------------------------

_TERM = re.compile(r"""(\w+):(>=|<=|>|<)?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+)""")


def _terms(query: str | None) -> list[tuple[str, str, str]]:
    found = []
    for field, op, raw in _TERM.findall(query or ""):
        value = raw
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            value = re.sub(r"\\(.)", r"\1", raw[1:-1])
        found.append((field, op or "=", value))
    return found


def _compare(actual: str | None, op: str, wanted: str) -> bool:
    if actual is None:
        return False
    if op == "=":
        return actual == wanted
    left, right = _parse_time(actual), _parse_time(wanted)
    return {">=": left >= right, ">": left > right, "<=": left <= right, "<": left < right}[op]


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _bare(name: str | None) -> str:
    return (name or "").lstrip("#").casefold()


def _order_matches(order: dict, query: str | None) -> bool:
    for field, op, value in _terms(query):
        if field == "email":
            # tokenised like Shopify: a quoted address matches exactly, a bare word any part
            email = (order.get("email") or "").casefold()
            if value.casefold() != email and value.casefold() not in re.split(r"[@.]", email):
                return False
        elif field == "name":
            if _bare(order["name"]) != _bare(value):
                return False
        elif field == "confirmation_number":
            if (order.get("confirmationNumber") or "").casefold() != value.casefold():
                return False
        elif field == "updated_at":
            if not _compare(order["updatedAt"], op if op != "=" else ">=", value):
                return False
        elif field == "customer_id":
            customer = order.get("customer") or {}
            if customer.get("legacyResourceId") != value:
                return False
    return True


def _customer_matches(customer: dict, query: str | None) -> bool:
    for field, op, value in _terms(query):
        if field == "email":
            email = ((customer.get("defaultEmailAddress") or {}).get("emailAddress") or "").lower()
            if email != value.lower():
                return False
        elif field == "updated_at" and not _compare(customer["updatedAt"], op, value):
            return False
    return True


def _cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _uncursor(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as exc:
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor}") from exc


def _connect(
    items: list[dict],
    key: Callable[[dict], Any],
    first: int | None,
    after: str | None,
    reverse: bool = False,
) -> dict:
    """A Relay connection over ``items`` with keyset cursors (stable while data changes)."""
    keyed = sorted(((list(key(item)), item) for item in items), key=lambda p: p[0])
    if reverse:
        keyed.reverse()
    if after:
        mark = _uncursor(after)
        keyed = [p for p in keyed if (p[0] < mark if reverse else p[0] > mark)]
    if first is not None and first > 250:
        raise GraphQLError("The first argument cannot exceed 250.")
    page = keyed[:first] if first is not None else keyed
    return {
        "nodes": [item for _, item in page],
        "edges": [{"cursor": _cursor(k), "node": item} for k, item in page],
        "pageInfo": {
            "hasNextPage": len(page) < len(keyed),
            "hasPreviousPage": bool(after),
            "startCursor": _cursor(page[0][0]) if page else None,
            "endCursor": _cursor(page[-1][0]) if page else None,
        },
    }


_SORT_FIELDS = {
    "UPDATED_AT": "updatedAt",
    "CREATED_AT": "createdAt",
    "PROCESSED_AT": "processedAt",
    "ORDER_NUMBER": "number",
    "ID": None,
}


def _sort_key(sort_key: str | None, default: str = "ID") -> Callable[[dict], Any]:
    field = _SORT_FIELDS.get(sort_key or default)

    def key(item: dict) -> tuple[Any, int]:
        legacy = int(item["legacyResourceId"])
        return (item.get(field) or "", legacy) if field else ("", legacy)

    return key


def _field_resolver(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """Dict keys; callables get the arguments; lists under a ``…Connection`` type are paged."""
    value = source.get(info.field_name) if isinstance(source, dict) else None
    if callable(value):
        return value(info, **args)
    if isinstance(value, list) and get_named_type(info.return_type).name.endswith("Connection"):
        indexed = [dict(item, _index=i) for i, item in enumerate(value)]
        return _connect(
            indexed, lambda item: (item["_index"],), args.get("first"), args.get("after")
        )
    if isinstance(value, list) and "first" in args:
        return value[: args["first"]]
    return value


# -- cost --------------------------------------------------------------------------------------


MAX_QUERY_COST = 1000
"""Shopify refuses a single query that would cost more (``MAX_COST_EXCEEDED``)."""


def _query_cost(document: Any, variables: dict[str, Any]) -> int:
    fragments = {d.name.value: d for d in document.definitions if hasattr(d, "type_condition")}
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))

    def cost(selection_set: Any) -> int:
        """Shopify's requested cost: objects 1, scalars 0, a connection 2 plus ``first`` times
        what one of its nodes costs — so nested connections multiply."""
        total = 0
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FragmentSpreadNode):
                total += cost(fragments[node.name.value].selection_set)
            elif isinstance(node, InlineFragmentNode):
                total += cost(node.selection_set)
            elif isinstance(node, FieldNode) and node.selection_set is not None:
                first = None
                for argument in node.arguments or ():
                    if argument.name.value == "first":
                        if isinstance(argument.value, IntValueNode):
                            first = int(argument.value.value)
                        elif isinstance(argument.value, VariableNode):
                            first = int(variables.get(argument.value.name.value) or 0)
                if first is None:
                    total += 1 + cost(node.selection_set)
                else:
                    # The node cost, not counting the wrapper fields (nodes / edges / pageInfo).
                    total += 2 + first * max(1, _node_cost(node.selection_set))
        return total

    def _node_cost(selection_set: Any) -> int:
        """One node of a connection (``nodes``/``edges { node }``), or one element of a list
        field taking ``first`` (its selection is the element)."""
        wrapped = [
            n
            for n in selection_set.selections
            if isinstance(n, FieldNode) and n.name.value in ("nodes", "edges")
        ]
        if not wrapped:
            return 1 + cost(selection_set)
        node = wrapped[0]
        inner = node.selection_set
        if node.name.value == "edges":
            inner = next(
                (n.selection_set for n in inner.selections if n.name.value == "node"), None
            )
        return 1 + cost(inner)

    return max(1, cost(operation.selection_set))


# -- the server --------------------------------------------------------------------------------


class FakeShopify:
    """One fake shop. Thread-safe; seed before or while the adapter talks to it."""

    def __init__(
        self,
        *,
        token: str = TOKEN,
        api_version: str = API_VERSION,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_lifetime: float = 86399,
        maximum_available: float = 2000,
        restore_rate: float = 1000,
        shop_name: str = "Lindenhof Tee",
        currency: str = "EUR",
    ) -> None:
        self.token = token
        self.api_version = api_version
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_lifetime = token_lifetime
        self.maximum_available = maximum_available
        self.restore_rate = restore_rate
        self.available = maximum_available
        self._refilled = time.monotonic()
        self.shop = {
            "name": shop_name,
            "currencyCode": currency,
            "ianaTimezone": "Europe/Berlin",
            "myshopifyDomain": "lindenhof-tee.myshopify.com",
        }
        self.customers: list[dict] = []
        self.orders: list[dict] = []
        self.requests: list[dict[str, Any]] = []
        self.grants = 0
        self.issued: dict[str, float] = {}
        self.denied_scope: str | None = None
        self._throttles: list[bool] = []
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeShopify:
        schema()
        fake = self

        class Handler(_Handler):
            shop = fake

        self._server, self._thread = serve(Handler, "127.0.0.1", self.port)
        self.port = self._server.server_address[1]
        return self

    def stop(self) -> None:
        shut(self._server, self._thread)
        self._server = self._thread = None

    def down(self) -> None:
        """Stop listening (connections are refused); the port stays recorded in ``url``."""
        self.stop()

    def __enter__(self) -> FakeShopify:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- switches ------------------------------------------------------------------------------

    def throttle_next(self, n: int = 1, *, as_429: bool = False) -> None:
        """Answer the next ``n`` GraphQL requests THROTTLED (HTTP 200, or 429)."""
        with self._lock:
            self._throttles.extend([as_429] * n)

    def expire_tokens(self) -> None:
        """Every token issued by the client-credentials grant stops working now."""
        with self._lock:
            self.issued.clear()

    def deny_scope(self, scope: str | None) -> None:
        """Answer GraphQL requests 403 as if the app lacked ``scope`` (None: allow again)."""
        self.denied_scope = scope

    # -- seeding -------------------------------------------------------------------------------

    def add_customer(
        self,
        email: str | None,
        first_name: str | None = "Bo",
        last_name: str | None = "Wang",
        *,
        phone: str | None = None,
        birthday: str | None = None,
        birthday_metafield: str = "facts.birth_date",
        amount_spent: str = "0.00",
        currency: str = "EUR",
        number_of_orders: int = 0,
        note: str | None = None,
        tags: list[str] | None = None,
        created_at: datetime | str = "2025-03-01T08:00:00Z",
        updated_at: datetime | str = "2026-11-20T10:00:00Z",
        **fields: Any,
    ) -> dict:
        gid, legacy = _gid("Customer")
        metafields: dict[tuple[str, str], dict] = {}
        if birthday:
            namespace, key = birthday_metafield.split(".", 1)
            metafields[(namespace, key)] = {
                "namespace": namespace,
                "key": key,
                "type": "date",
                "value": birthday,
                "jsonValue": birthday,
            }

        def metafield(info: Any, key: str, namespace: str | None = None) -> dict | None:
            return metafields.get((namespace or "$app", key))

        customer: dict[str, Any] = {
            "id": gid,
            "legacyResourceId": legacy,
            "firstName": first_name,
            "lastName": last_name,
            "displayName": " ".join(p for p in (first_name, last_name) if p) or email or "",
            "note": note,
            "tags": tags or [],
            "createdAt": _iso(created_at),
            "updatedAt": _iso(updated_at),
            "numberOfOrders": str(number_of_orders),
            "amountSpent": {"amount": amount_spent, "currencyCode": currency},
            "defaultEmailAddress": {"emailAddress": email, "marketingState": "NOT_SUBSCRIBED"}
            if email
            else None,
            "defaultPhoneNumber": {"phoneNumber": phone} if phone else None,
            "verifiedEmail": True,
            "state": "ENABLED",
            "metafield": metafield,
            "orders": lambda info, **args: self._orders_connection(
                first=args.get("first"),
                after=args.get("after"),
                query=args.get("query"),
                sortKey=args.get("sortKey"),
                reverse=args.get("reverse", False),
                only=lambda order: (order.get("customer") or {}).get("id") == gid,
            ),
        }
        customer.update(fields)
        with self._lock:
            self.customers.append(customer)
        return customer

    def add_order(
        self,
        name: str | None = None,
        *,
        email: str | None = "bo.wang@example.com",
        customer: dict | None = None,
        currency: str = "EUR",
        lines: list[dict] | None = None,
        subtotal: str | None = None,
        total: str | None = None,
        shipping: str = "0.00",
        tax: str = "0.00",
        discount: str = "0.00",
        refunded: str = "0.00",
        financial_status: str = "PAID",
        fulfillment_status: str = "UNFULFILLED",
        return_status: str = "NO_RETURN",
        confirmation_number: str | None = None,
        created_at: datetime | str = "2026-11-17T09:00:00Z",
        updated_at: datetime | str = "2026-11-20T10:00:00Z",
        cancelled_at: datetime | str | None = None,
        cancel_reason: str | None = None,
        closed: bool = False,
        fulfillments: list[dict] | None = None,
        refunds: list[dict] | None = None,
        returns: list[dict] | None = None,
        shipping_address: list[str] | None = None,
        billing_name: str | None = None,
        note: str | None = None,
        tags: list[str] | None = None,
        **fields: Any,
    ) -> dict:
        """An order; money strings are shop money in ``currency``. Returns the stored dict."""
        from decimal import Decimal

        gid, legacy = _gid("Order")
        digits = re.sub(r"\D", "", name or "")
        number = int(digits) if digits else 1000 + len(self.orders) + 1
        lines = (
            lines
            if lines is not None
            else [line("Sencha Kagoshima", "14.90", 2, sku="TEA-SEN-100", currency=currency)]
        )
        line_sum = sum(
            (Decimal(li["discountedTotalSet"]["shopMoney"]["amount"]) for li in lines), Decimal(0)
        )
        subtotal = subtotal if subtotal is not None else str(line_sum)
        total = (
            total
            if total is not None
            else str(Decimal(subtotal) + Decimal(shipping) + Decimal(tax) - Decimal(refunded))
        )
        address = (
            shipping_address
            if shipping_address is not None
            else ["Bo Wang", "Lindenstraße 5", "10115 Berlin", "Germany"]
        )
        order: dict[str, Any] = {
            "id": gid,
            "legacyResourceId": legacy,
            "name": name or f"#{1000 + number}",
            "number": number,
            "confirmationNumber": confirmation_number or f"XPAV{legacy}CT",
            "createdAt": _iso(created_at),
            "processedAt": _iso(created_at),
            "updatedAt": _iso(updated_at),
            "closed": closed,
            "closedAt": _iso(updated_at) if closed else None,
            "cancelledAt": _iso(cancelled_at),
            "cancelReason": cancel_reason,
            "email": email,
            "phone": None,
            "note": note,
            "tags": tags or [],
            "test": False,
            "statusPageUrl": f"https://lindenhof-tee.myshopify.com/73017/orders/{legacy}/authenticate",
            "currencyCode": currency,
            "presentmentCurrencyCode": currency,
            "displayFinancialStatus": financial_status,
            "displayFulfillmentStatus": fulfillment_status,
            "returnStatus": return_status,
            "customer": customer,
            "billingAddress": {"name": billing_name or (address[0] if address else None)},
            "shippingAddress": {"name": address[0] if address else None, "formatted": address}
            if address
            else None,
            "currentSubtotalPriceSet": money(subtotal, currency),
            "currentTotalPriceSet": money(total, currency),
            "totalPriceSet": money(total, currency),
            "totalShippingPriceSet": money(shipping, currency),
            "currentTotalTaxSet": money(tax, currency),
            "currentTotalDiscountsSet": money(discount, currency),
            "totalRefundedSet": money(refunded, currency),
            "lineItems": lines,
            "fulfillments": fulfillments or [],
            "refunds": refunds or [],
            "returns": returns or [],
        }
        order.update(fields)
        with self._lock:
            self.orders.append(order)
        return order

    def seed_reference_shop(self) -> dict[str, dict]:
        """The reference §5.3 shapes; returns them by role for assertions."""
        bo = self.add_customer(
            "bo.wang@example.com",
            "Bo",
            "Wang",
            phone="+4930123456",
            birthday="1990-04-12",
            amount_spent="1234.50",
            number_of_orders=7,
            note="Prefers DHL",
            tags=["vip", "tea-club"],
        )
        full = self.add_order(
            "#1001",
            customer=bo,
            email="bo.wang@example.com",
            lines=[
                line(
                    "Sencha Kagoshima",
                    "14.90",
                    2,
                    sku="TEA-SEN-100",
                    variant="100 g",
                    product_type="Green tea",
                ),
                line("Kyusu teapot", "49.00", 1, sku="POT-KYU-01", product_type="Teaware"),
            ],
            shipping="4.90",
            refunded="14.90",
            financial_status="PARTIALLY_REFUNDED",
            fulfillment_status="PARTIALLY_FULFILLED",
            return_status="RETURN_REQUESTED",
            confirmation_number="XPAV284CT",
            fulfillments=[fulfillment("IN_TRANSIT")],
            refunds=[refund("14.90", note="One bag arrived torn")],
            returns=[return_("REQUESTED")],
            presentmentCurrencyCode="USD",
        )
        jpy = self.add_order(
            "#1002",
            customer=bo,
            currency="JPY",
            lines=[line("Matcha", "4500", 1, currency="JPY")],
        )
        kwd = self.add_order(
            "#1003",
            customer=bo,
            currency="KWD",
            lines=[line("Oolong", "12.345", 1, currency="KWD")],
        )
        cancelled = self.add_order(
            "#1004",
            customer=bo,
            financial_status="VOIDED",
            cancelled_at="2026-11-18T08:00:00Z",
            cancel_reason="CUSTOMER",
            closed=True,
        )
        guest = self.add_order(
            "#1005",
            customer=None,
            email="Bo.Wang@example.com",
            billing_name="Bo Wang",
            fulfillment_status="FULFILLED",
            fulfillments=[fulfillment("DELIVERED", delivered_at="2026-11-19T11:00:00Z")],
        )
        other = self.add_order("#1006", customer=None, email="wang@example.org")
        return {
            "customer": bo, "full": full, "jpy": jpy, "kwd": kwd, "cancelled": cancelled,
            "guest": guest, "other": other,
        }  # fmt: skip

    # -- resolvers -----------------------------------------------------------------------------

    def _orders_connection(
        self, *, only: Callable[[dict], bool] | None = None, **args: Any
    ) -> dict:
        with self._lock:
            items = [
                o for o in self.orders
                if (only is None or only(o)) and _order_matches(o, args.get("query"))
            ]  # fmt: skip
        return _connect(
            items,
            _sort_key(args.get("sortKey"), "PROCESSED_AT"),
            args.get("first"),
            args.get("after"),
            bool(args.get("reverse")),
        )

    def _root(self) -> dict[str, Any]:
        def orders(info: Any, **args: Any) -> dict:
            return self._orders_connection(**args)

        def customers(info: Any, **args: Any) -> dict:
            with self._lock:
                items = [c for c in self.customers if _customer_matches(c, args.get("query"))]
            return _connect(
                items,
                _sort_key(args.get("sortKey"), "ID"),
                args.get("first"),
                args.get("after"),
                bool(args.get("reverse")),
            )

        def customer_by_identifier(info: Any, identifier: dict) -> dict | None:
            email = (identifier.get("emailAddress") or "").lower()
            wanted_id = identifier.get("id")
            for customer in self.customers:
                address = (customer.get("defaultEmailAddress") or {}).get("emailAddress") or ""
                if (email and address.lower() == email) or (
                    wanted_id and customer["id"] == wanted_id
                ):
                    return customer
            return None

        def by_id(collection: list[dict]) -> Callable[..., dict | None]:
            def find(info: Any, id: str) -> dict | None:  # noqa: A002 - GraphQL's name
                return next((item for item in collection if item["id"] == id), None)

            return find

        return {
            "shop": self.shop,
            "orders": orders,
            "customers": customers,
            "customerByIdentifier": customer_by_identifier,
            "order": by_id(self.orders),
            "customer": by_id(self.customers),
        }

    # -- request handling (called from the HTTP thread) ----------------------------------------

    def _token_ok(self, token: str | None) -> bool:
        if not token:
            return False
        if self.client_id is None:
            return token == self.token
        with self._lock:
            expires = self.issued.get(token)
        return expires is not None and time.monotonic() < expires

    def _grant(self, form: dict[str, str]) -> tuple[int, dict]:
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return 400, {
                "error": "invalid_client",
                "error_description": "Client authentication failed",
            }
        with self._lock:
            self.grants += 1
            token = f"shpat_cc_{self.grants:04d}"
            self.issued[token] = time.monotonic() + self.token_lifetime
        return 200, {
            "access_token": token,
            "scope": "read_orders,read_all_orders,read_customers,read_returns",
            "expires_in": int(self.token_lifetime)
            if self.token_lifetime >= 1
            else self.token_lifetime,
        }

    def _throttle_status(self) -> dict[str, float]:
        now = time.monotonic()
        self.available = min(
            self.maximum_available, self.available + (now - self._refilled) * self.restore_rate
        )
        self._refilled = now
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": round(self.available),
            "restoreRate": self.restore_rate,
        }

    def _graphql(self, payload: Any) -> tuple[int, dict]:
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return 400, {"errors": {"query": "Required parameter missing or invalid"}}
        query = payload["query"]
        variables = payload.get("variables") or {}
        try:
            document = parse(query)
        except GraphQLError as error:
            return 200, {"errors": [_shopify_error(error)]}
        problems = validate(schema(), document)
        if problems:
            return 200, {"errors": [_shopify_error(e) for e in problems]}
        requested = _query_cost(document, variables)
        if requested > MAX_QUERY_COST:
            return 200, {
                "errors": [
                    {
                        "message": f"Query cost is {requested}, which exceeds the single query "
                        f"max cost limit ({MAX_QUERY_COST}).",
                        "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested},
                    }
                ]
            }
        with self._lock:
            status = self._throttle_status()
            forced = self._throttles.pop(0) if self._throttles else None
            if forced is not None or status["currentlyAvailable"] < requested:
                available = max(0.0, requested - self.restore_rate * 0.01)
                if forced is not None:
                    status["currentlyAvailable"] = round(available)
                body = {
                    "errors": [
                        {
                            "message": "Throttled",
                            "extensions": {
                                "code": "THROTTLED",
                                "documentation": "https://shopify.dev/api/usage/rate-limits",
                            },
                        }
                    ],
                    "extensions": {
                        "cost": {
                            "requestedQueryCost": requested,
                            "actualQueryCost": None,
                            "throttleStatus": status,
                        }
                    },
                }
                return (429 if forced else 200), body
            self.available -= requested
            status["currentlyAvailable"] = round(self.available)
        result = execute(
            schema(),
            document,
            root_value=self._root(),
            variable_values=variables,
            field_resolver=_field_resolver,
        )
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [_shopify_error(e) for e in result.errors]
        body["data"] = result.data
        body["extensions"] = {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": requested,
                "throttleStatus": status,
            }
        }
        return 200, body


def _shopify_error(error: GraphQLError) -> dict[str, Any]:
    shaped: dict[str, Any] = {"message": error.message}
    if error.locations:
        shaped["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        shaped["path"] = list(error.path)
    return shaped


class _Handler(BaseHTTPRequestHandler):
    shop: FakeShopify
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        fake = self.shop
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path == "/admin/oauth/access_token":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            self._reply(*fake._grant(form))
            return
        match = re.fullmatch(r"/admin/api/([^/]+)/graphql\.json", self.path)
        if not match or match.group(1) != fake.api_version:
            self._reply(404, {"errors": "Not Found"})
            return
        version = {"X-Shopify-API-Version": fake.api_version}
        if not fake._token_ok(self.headers.get("X-Shopify-Access-Token")):
            self._reply(401, {"errors": INVALID_TOKEN}, version)
            return
        if fake.denied_scope:
            message = f"[API] This action requires merchant approval for {fake.denied_scope} scope."
            self._reply(403, {"errors": message}, version)
            return
        try:
            payload = json.loads(raw or b"null")
        except ValueError:
            self._reply(400, {"errors": "Invalid JSON in request body"}, version)
            return
        status, body = fake._graphql(payload)
        with fake._lock:
            fake.requests.append(
                {
                    "query": (payload or {}).get("query") if isinstance(payload, dict) else None,
                    "variables": (payload or {}).get("variables")
                    if isinstance(payload, dict)
                    else None,
                    "status": status,
                    "throttled": "THROTTLED" in json.dumps(body.get("errors", "")),
                }
            )
        self._reply(status, body, version)


def iso_minutes_ago(minutes: int, now: datetime | None = None) -> str:
    """A Shopify DateTime ``minutes`` before ``now`` (default: the real clock)."""
    moment = (now or datetime.now(UTC)) - timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
