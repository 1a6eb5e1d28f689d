"""A fake WooCommerce REST API v3 for tests: a real HTTP server on 127.0.0.1 in a thread.

Why a real server: the adapter must be judged by what goes over a socket (Basic auth, query
string keys, paging headers, WP error objects, dropped connections), not by mocks of httpx.
Shapes follow ``/work/shared/reference/store-apis.md`` §3 and §5.2–5.3 (WooCommerce).

Usage (fixtures ``woocommerce`` / ``woocommerce_config`` in ``tests/servers/fixtures.py``)::

    with FakeWooCommerce() as shop:
        seed_standard(shop)                 # the §5.3 set: full order, guest, statuses, …
        shop.url                            # http://127.0.0.1:<port>
        shop.strip_basic_auth = True        # Authorization dropped → "Consumer key is missing"
        shop.no_pretty_permalinks = True    # /wp-json/… → 404 rest_no_route ("html": HTML 404)
        shop.fail_next(503, 2)              # next two API requests answer 503 (Retry-After: 0)
        shop.down()                         # stop listening: connection refused from now on

Served (under ``/wp-json/wc/v3`` and ``/?rest_route=/wc/v3``):

- ``GET /orders``: ``search``, ``status`` (comma list or ``status[]``; default ``any`` = all but
  trash), ``customer``, ``modified_after``/``modified_before``/``after``/``before`` with
  ``dates_are_gmt`` (strictly after, as WP's date query), ``orderby`` (``date``, ``modified``,
  ``id``; ties broken by id), ``order`` (default desc), ``page``, ``per_page`` (default 10,
  1..100 else 400 ``rest_invalid_param``); ``X-WP-Total``, ``X-WP-TotalPages``, ``Link``.
- ``GET /orders/<id>`` (404 ``woocommerce_rest_shop_order_invalid_id``).
- ``GET /customers``: ``email`` (exact), ``role`` (default ``customer``; ``all``), ``search``,
  ``orderby`` (``id``, ``registered_date``, ``name``), ``order`` (default asc), paging.
- ``GET /customers/<id>``, ``GET /data/currencies/current``, ``GET /system_status`` (tiny).

Auth: Basic or ``consumer_key``/``consumer_secret`` in the query. Nothing → 401
``woocommerce_rest_authentication_error`` "Consumer key is missing."; wrong key or secret →
401 "Consumer key/secret is invalid."; ``key_permissions="write"`` → 401 "…does not have read
permissions."; ``user_can_read=False`` → 403 ``woocommerce_rest_cannot_view``.

Times: every object stores ``*_gmt`` (UTC, no ``Z``) and the site-time twin at ``site_offset``
(default +02:00, no offset written), so a client reading the wrong one is off by two hours.

``requests`` records every request as ``Seen(path, query, auth)``; ``after_request`` (if set)
is called in the server thread after each API answer with that ``Seen``: e.g. change an order
between two pages of a sync.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import math
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.servers.http_thread import serve, shut

__all__ = [
    "CONSUMER_KEY",
    "CONSUMER_SECRET",
    "WOO_STATUSES",
    "FakeWooCommerce",
    "Seen",
    "gmt",
    "seed_standard",
    "woo_customer",
    "woo_order",
]

HOST = "127.0.0.1"
CONSUMER_KEY = "ck_0123456789abcdef0123456789abcdef01234567"
CONSUMER_SECRET = "cs_fedcba9876543210fedcba9876543210fedcba98"
API_PREFIX = "/wc/v3"
WOO_STATUSES = (
    "pending",
    "on-hold",
    "processing",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
    "trash",
)
BASE_TIME = datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)


def gmt(moment: datetime) -> str:
    """WooCommerce's ``*_gmt`` form: UTC, seconds, no ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class Seen:
    path: str
    """The API path after ``/wc/v3``, e.g. ``/orders``."""
    query: dict[str, list[str]]
    auth: str
    """basic | query | none"""
    route: str
    """pretty | rest_route"""


class WpError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# -- fixture shapes (§5.3) ---------------------------------------------------------------------


def _address(first: str, last: str, **more: str) -> dict[str, str]:
    base = {
        "first_name": first,
        "last_name": last,
        "company": "",
        "address_1": "Hauptstraße 5",
        "address_2": "",
        "city": "Berlin",
        "state": "",
        "postcode": "10115",
        "country": "DE",
        "phone": "",
    }
    base.update(more)
    return base


def woo_order(
    id: int,
    *,
    number: str | None = None,
    status: str = "processing",
    currency: str = "EUR",
    total: str = "59.90",
    email: str = "mia.weber@example.de",
    first_name: str = "Mia",
    last_name: str = "Weber",
    customer_id: int = 0,
    created: datetime | None = None,
    modified: datetime | None = None,
    refunds: list[dict[str, Any]] | None = None,
    tracking: list[dict[str, Any]] | None = None,
    line_items: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An order as ``GET /orders/<id>`` returns it (site-time twins are added by the server).

    ``tracking`` becomes ``meta_data`` ``_wc_shipment_tracking_items``; money is strings."""
    created = created or BASE_TIME + timedelta(minutes=id)
    modified = modified or created
    billing = _address(first_name, last_name, email=email, phone="+49 30 1234567")
    shipping = _address(first_name, last_name)
    shipping.pop("phone")
    items = (
        line_items
        if line_items is not None
        else [
            {
                "id": id * 10 + 1,
                "name": "Linen shirt - M",
                "product_id": 501,
                "variation_id": 502,
                "quantity": 2,
                "tax_class": "",
                "subtotal": "40.00",
                "subtotal_tax": "0.00",
                "total": "40.00",
                "total_tax": "0.00",
                "taxes": [],
                "sku": "SHIRT-LIN-M",
                "price": 20,
                "meta_data": [
                    {
                        "id": 1,
                        "key": "pa_size",
                        "value": "m",
                        "display_key": "Size",
                        "display_value": "M",
                    }
                ],
                "parent_name": "Linen shirt",
            },
            {
                "id": id * 10 + 2,
                "name": "Canvas tote",
                "product_id": 601,
                "variation_id": 0,
                "quantity": 1,
                "tax_class": "",
                "subtotal": "14.95",
                "subtotal_tax": "0.00",
                "total": "14.95",
                "total_tax": "0.00",
                "taxes": [],
                "sku": "TOTE-01",
                "price": 14.95,
                "meta_data": [],
                "parent_name": None,
            },
        ]
    )
    meta: list[dict[str, Any]] = []
    if tracking is not None:
        meta.append({"id": 9000 + id, "key": "_wc_shipment_tracking_items", "value": tracking})
    order: dict[str, Any] = {
        "id": id,
        "parent_id": 0,
        "number": number if number is not None else str(id),
        "order_key": f"wc_order_{id:08d}",
        "created_via": "checkout",
        "version": "9.4.1",
        "status": status,
        "currency": currency,
        "currency_symbol": "€" if currency == "EUR" else currency,
        "prices_include_tax": True,
        "date_created_gmt": gmt(created),
        "date_modified_gmt": gmt(modified),
        "date_paid_gmt": gmt(created) if status in ("processing", "completed") else None,
        "date_completed_gmt": gmt(modified) if status == "completed" else None,
        "discount_total": "0.00",
        "discount_tax": "0.00",
        "shipping_total": "4.95",
        "shipping_tax": "0.00",
        "cart_tax": "0.00",
        "total": total,
        "total_tax": "9.56",
        "customer_id": customer_id,
        "customer_note": "",
        "customer_ip_address": "192.0.2.10",
        "billing": billing,
        "shipping": shipping,
        "payment_method": "stripe",
        "payment_method_title": "Credit card",
        "transaction_id": f"ch_{id}",
        "needs_payment": status in ("pending", "failed", "checkout-draft"),
        "needs_processing": True,
        "is_editable": status in ("pending", "on-hold", "checkout-draft"),
        "payment_url": f"https://shop.example/checkout/order-pay/{id}/?pay_for_order=true&key=wc_order_{id:08d}",
        "line_items": items,
        "shipping_lines": [
            {
                "id": id * 10 + 9,
                "method_title": "DHL Paket",
                "method_id": "flat_rate",
                "total": "4.95",
                "total_tax": "0.00",
            }
        ],
        "fee_lines": [],
        "coupon_lines": [],
        "tax_lines": [],
        "refunds": refunds or [],
        "meta_data": meta,
    }
    order.update(extra)
    return order


def woo_customer(
    id: int,
    *,
    email: str,
    first_name: str = "Mia",
    last_name: str = "Weber",
    role: str = "customer",
    created: datetime | None = None,
    modified: datetime | None = None,
) -> dict[str, Any]:
    """A registered customer as ``GET /customers`` returns it (v3: no ``orders_count``)."""
    created = created or BASE_TIME - timedelta(days=100 - id % 50)
    modified = modified or created
    billing = _address(first_name, last_name, email=email, phone="+49 30 7654321")
    shipping = _address(first_name, last_name)
    return {
        "id": id,
        "date_created_gmt": gmt(created),
        "date_modified_gmt": gmt(modified),
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "username": email.split("@")[0],
        "billing": billing,
        "shipping": shipping,
        "is_paying_customer": True,
        "avatar_url": "https://secure.gravatar.com/avatar/0?s=96",
        "meta_data": [],
    }


def seed_standard(shop: FakeWooCommerce) -> dict[str, Any]:
    """The §5.3 WooCommerce set. Returns the interesting ids/values by name.

    - ``full``: id 733, number "1042" (sequential-number plugin), registered customer 12,
      processing, partially refunded (-10.00 of 59.90), DHL tracking in meta.
    - ``guest``: id 734, customer_id 0, billing mia.weber@example.de too.
    - ``near_miss``: id 735, "xmia.weber@example.de": found by ``search`` for Mia's address,
      different e-mail, same surname — must be dropped.
    - ``by_status``: one order per Woo status, ids 801.. (trash only with ``status=trash``).
    - ``kwd`` (id 901, "12.345" KWD) and ``jpy`` (id 902, "4500" JPY).
    - customers: 12 mia.weber@example.de (customer), 13 staff@example.de (shop_manager).
    """
    mia = "mia.weber@example.de"
    shop.add_customer(woo_customer(12, email=mia))
    shop.add_customer(
        woo_customer(
            13, email="staff@example.de", first_name="Sam", last_name="Staff", role="shop_manager"
        )
    )
    full = shop.add_order(
        woo_order(
            733,
            number="1042",
            customer_id=12,
            refunds=[{"id": 740, "reason": "Scratched tote", "total": "-10.00"}],
            tracking=[
                {
                    "tracking_provider": "DHL",
                    "custom_tracking_provider": "",
                    "custom_tracking_link": "",
                    "tracking_number": "JD014600003828395123",
                    "date_shipped": "1763596800",
                    "tracking_id": "a1b2c3d4e5f6",
                }
            ],
        )
    )
    guest = shop.add_order(woo_order(734, status="completed", customer_id=0, total="19.90"))
    near = shop.add_order(
        woo_order(735, email="xmia.weber@example.de", first_name="Max", customer_id=0)
    )
    by_status: dict[str, int] = {}
    for index, status in enumerate(WOO_STATUSES):
        oid = 801 + index
        refunds = (
            [{"id": 1800 + index, "reason": "", "total": "-59.90"}]
            if status == "refunded"
            else None
        )
        shop.add_order(
            woo_order(oid, status=status, email=f"status-{status}@example.de", refunds=refunds)
        )
        by_status[status] = oid
    kwd = shop.add_order(woo_order(901, currency="KWD", email="kwd@example.com", total="12.345", line_items=[
        {"id": 9011, "name": "Oud", "product_id": 70, "variation_id": 0, "quantity": 1,
         "subtotal": "12.345", "total": "12.345", "sku": "OUD", "price": 12.345, "meta_data": []},
    ], shipping_total="0.000", total_tax="0.000"))  # fmt: skip
    jpy = shop.add_order(woo_order(902, currency="JPY", email="jpy@example.jp", total="4500", line_items=[
        {"id": 9021, "name": "Tenugui", "product_id": 71, "variation_id": 0, "quantity": 3,
         "subtotal": "4500", "total": "4500", "sku": "TNG", "price": 1500, "meta_data": []},
    ], shipping_total="0", total_tax="409"))  # fmt: skip
    shop.seeded = {
        "email": mia,
        "full": full["id"],
        "guest": guest["id"],
        "near_miss": near["id"],
        "by_status": by_status,
        "kwd": kwd["id"],
        "jpy": jpy["id"],
        "customer": 12,
        "staff": 13,
    }
    return shop.seeded


# -- the server --------------------------------------------------------------------------------


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: str | None


@dataclass
class FakeWooCommerce:
    consumer_key: str = CONSUMER_KEY
    consumer_secret: str = CONSUMER_SECRET
    currency: str = "EUR"
    site_offset: timedelta = timedelta(hours=2)
    strip_basic_auth: bool = False
    no_pretty_permalinks: bool | Literal["html"] = False
    """True: ``/wp-json/…`` → 404 ``rest_no_route``; "html": the web server's HTML 404 page."""
    key_permissions: str = "read_write"
    """read | write | read_write"""
    user_can_read: bool = True
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    customers: dict[int, dict[str, Any]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    after_request: Callable[[Seen], None] | None = None
    seeded: dict[str, Any] = field(default_factory=dict)
    """What ``seed_standard`` put in, by name."""

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._faults: list[_Fault] = []
        self._server: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> Self:
        shop = self

        class Handler(_Handler):
            fake = shop

        self._server, self._thread = serve(Handler, HOST, self.port)
        self.port = self._server.server_address[1]
        return self

    def down(self) -> None:
        """Stop listening (the port refuses connections from now on)."""
        shut(self._server, None)
        self._server = None
        with self._lock:
            open_ones, self._connections = list(self._connections), set()
        for connection in open_ones:  # keep-alive connections would go on answering
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    stop = down

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.down()

    # -- state -----------------------------------------------------------------------------

    def add_order(self, order: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.orders[int(order["id"])] = copy.deepcopy(order)
        return order

    def add_customer(self, customer: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.customers[int(customer["id"])] = copy.deepcopy(customer)
        return customer

    def touch_order(self, order_id: int, at: datetime, **changes: Any) -> None:
        """Mark an order modified at ``at`` (UTC), applying ``changes``."""
        with self._lock:
            order = self.orders[order_id]
            order.update(changes)
            order["date_modified_gmt"] = gmt(at)

    def fail_next(self, status: int, n: int = 1, *, retry_after: str | None = "0") -> None:
        """The next ``n`` API requests answer ``status`` with a WP error object."""
        with self._lock:
            self._faults.append(_Fault(status, n, retry_after))

    def api_requests(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self.requests if path is None or s.path == path]

    # -- request handling (server thread) --------------------------------------------------

    def handle(
        self, route: str, path: str, query: dict[str, list[str]], auth_header: str | None
    ) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            auth = self._auth_mode(query, auth_header)
            seen = Seen(path, query, auth, route)
            self.requests.append(seen)
            try:
                if self._faults:
                    fault = self._faults[0]
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.pop(0)
                    headers = (
                        {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                    )
                    return (
                        fault.status,
                        headers,
                        _wp_error(fault.status, "fake_fault", "Injected fault."),
                    )
                self._authenticate(query, auth_header)
                status, headers, body = self._dispatch(route, path, query)
            except WpError as err:
                status, headers, body = err.status, {}, _wp_error(err.status, err.code, err.message)
        if self.after_request is not None:
            self.after_request(seen)
        return status, headers, body

    def _auth_mode(self, query: dict[str, list[str]], header: str | None) -> str:
        if header and header.lower().startswith("basic ") and not self.strip_basic_auth:
            return "basic"
        return "query" if "consumer_key" in query else "none"

    def _authenticate(self, query: dict[str, list[str]], header: str | None) -> None:
        key = secret = None
        if header and header.lower().startswith("basic ") and not self.strip_basic_auth:
            try:
                key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                key = secret = ""
        elif "consumer_key" in query:
            key = query["consumer_key"][0]
            secret = (query.get("consumer_secret") or [""])[0]
        if key is None:
            raise WpError(401, "woocommerce_rest_authentication_error", "Consumer key is missing.")
        if key != self.consumer_key:
            raise WpError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
        if secret != self.consumer_secret:
            raise WpError(
                401, "woocommerce_rest_authentication_error", "Consumer secret is invalid."
            )
        if self.key_permissions == "write":
            raise WpError(
                401,
                "woocommerce_rest_authentication_error",
                "The API key provided does not have read permissions.",
            )
        if not self.user_can_read:
            raise WpError(403, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")

    def _dispatch(
        self, route: str, path: str, query: dict[str, list[str]]
    ) -> tuple[int, dict[str, str], Any]:
        parts = [p for p in path.split("/") if p]
        if parts == ["orders"]:
            return self._list_orders(route, path, query)
        if len(parts) == 2 and parts[0] == "orders" and parts[1].isdigit():
            order = self.orders.get(int(parts[1]))
            if order is None:
                raise WpError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
            return 200, {}, self._present(order)
        if parts == ["customers"]:
            return self._list_customers(route, path, query)
        if len(parts) == 2 and parts[0] == "customers" and parts[1].isdigit():
            customer = self.customers.get(int(parts[1]))
            if customer is None:
                raise WpError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")
            return 200, {}, self._present(customer)
        if parts == ["data", "currencies", "current"]:
            return 200, {}, {"code": self.currency, "name": self.currency, "symbol": "€"}
        if parts == ["system_status"]:
            return (
                200,
                {},
                {"environment": {"version": "9.4.1"}, "settings": {"currency": self.currency}},
            )
        raise WpError(
            404, "rest_no_route", "No route was found matching the URL and request method."
        )

    def _present(self, row: dict[str, Any]) -> dict[str, Any]:
        """Add the site-time twins (no offset) beside every ``*_gmt``."""
        out = copy.deepcopy(row)
        for key, value in row.items():
            if key.endswith("_gmt"):
                twin = key[: -len("_gmt")]
                out[twin] = (
                    gmt(datetime.fromisoformat(value).replace(tzinfo=UTC) + self.site_offset)
                    if value
                    else None
                )
        return out

    def _page(
        self,
        route: str,
        path: str,
        query: dict[str, list[str]],
        rows: list[dict[str, Any]],
        default_per_page: int,
    ) -> tuple[int, dict[str, str], Any]:
        per_page = _int_param(query, "per_page", default_per_page)
        page = _int_param(query, "page", 1)
        if not 1 <= per_page <= 100:
            raise WpError(400, "rest_invalid_param", "Invalid parameter(s): per_page")
        if page < 1:
            raise WpError(400, "rest_invalid_param", "Invalid parameter(s): page")
        total = len(rows)
        pages = math.ceil(total / per_page) if total else 0
        chunk = rows[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        flat = {k: v[-1] for k, v in query.items() if k not in ("consumer_key", "consumer_secret")}
        base = f"{self.url}/wp-json{API_PREFIX}{path}" if route == "pretty" else f"{self.url}/"
        if page > 1:
            links.append(f'<{base}?{urlencode({**flat, "page": page - 1})}>; rel="prev"')
        if page < pages:
            links.append(f'<{base}?{urlencode({**flat, "page": page + 1})}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return 200, headers, [self._present(row) for row in chunk]

    def _list_orders(
        self, route: str, path: str, query: dict[str, list[str]]
    ) -> tuple[int, dict[str, str], Any]:
        statuses: list[str] = []
        for value in query.get("status", []) + query.get("status[]", []):
            statuses.extend(s.strip() for s in value.split(",") if s.strip())
        if not statuses or "any" in statuses:
            wanted = set(WOO_STATUSES) - {"trash"} | set(statuses) - {"any"}
        else:
            wanted = set(statuses)
        rows = [o for o in self.orders.values() if o["status"] in wanted]
        if "customer" in query:
            customer = _int_param(query, "customer", 0)
            rows = [o for o in rows if int(o.get("customer_id") or 0) == customer]
        search = _str_param(query, "search").strip().lower()
        if search:
            rows = [o for o in rows if _order_matches(o, search)]
        as_gmt = _str_param(query, "dates_are_gmt").lower() in ("1", "true")
        for param, column, after in (
            ("after", "date_created_gmt", True),
            ("before", "date_created_gmt", False),
            ("modified_after", "date_modified_gmt", True),
            ("modified_before", "date_modified_gmt", False),
        ):
            value = _str_param(query, param)
            if not value:
                continue
            limit = _parse(value)
            if limit is None:
                raise WpError(400, "rest_invalid_param", f"Invalid parameter(s): {param}")
            if not as_gmt and limit.tzinfo is None:
                limit = limit.replace(tzinfo=UTC) - self.site_offset
            limit = limit.replace(tzinfo=UTC) if limit.tzinfo is None else limit.astimezone(UTC)
            rows = [
                o
                for o in rows
                if (moment := _parse(o[column])) is not None
                and (
                    moment.replace(tzinfo=UTC) > limit
                    if after
                    else moment.replace(tzinfo=UTC) < limit
                )
            ]
        orderby = _str_param(query, "orderby") or "date"
        column = {"modified": "date_modified_gmt", "id": "id"}.get(orderby, "date_created_gmt")
        descending = (_str_param(query, "order") or "desc").lower() != "asc"
        rows.sort(key=lambda o: (o[column], o["id"]), reverse=descending)
        return self._page(route, path, query, rows, 10)

    def _list_customers(
        self, route: str, path: str, query: dict[str, list[str]]
    ) -> tuple[int, dict[str, str], Any]:
        rows = list(self.customers.values())
        role = _str_param(query, "role") or "customer"
        if role != "all":
            rows = [c for c in rows if c["role"] == role]
        email = _str_param(query, "email").strip().lower()
        if email:
            rows = [c for c in rows if c["email"].lower() == email]
        search = _str_param(query, "search").strip().lower()
        if search:
            rows = [
                c
                for c in rows
                if search
                in " ".join((c["email"], c["first_name"], c["last_name"], c["username"])).lower()
            ]
        orderby = _str_param(query, "orderby") or "name"
        key: Callable[[dict[str, Any]], Any] = {
            "id": lambda c: c["id"],
            "registered_date": lambda c: (c["date_created_gmt"], c["id"]),
        }.get(orderby, lambda c: (c["first_name"] + " " + c["last_name"], c["id"]))
        rows.sort(key=key, reverse=(_str_param(query, "order") or "asc").lower() == "desc")
        return self._page(route, path, query, rows, 10)


def _order_matches(order: dict[str, Any], term: str) -> bool:
    """Like Woo: a numeric term is an order id; otherwise LIKE over the address indexes."""
    if term.isdigit() and (int(term) == order["id"] or term == str(order.get("number"))):
        return True
    billing, shipping = order.get("billing") or {}, order.get("shipping") or {}
    index = " ".join(str(v) for v in list(billing.values()) + list(shipping.values()) if v)
    return term in index.lower() or term in str(order.get("number", "")).lower()


def _wp_error(status: int, code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "data": {"status": status}}


def _str_param(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name)
    return values[-1] if values else ""


def _int_param(query: dict[str, list[str]], name: str, default: int) -> int:
    value = _str_param(query, name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise WpError(400, "rest_invalid_param", f"Invalid parameter(s): {name}") from None


def _parse(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        return None


class _Handler(BaseHTTPRequestHandler):
    fake: FakeWooCommerce
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # silence
        pass

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.fake._lock:
            self.fake._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        query = parse_qs(split.query, keep_blank_values=True)
        if split.path.startswith("/wp-json/"):
            if self.fake.no_pretty_permalinks == "html":  # the web server's own 404 page
                self._reply(404, {"Content-Type": "text/html"}, None, raw=b"<html>Not Found</html>")
                return
            if self.fake.no_pretty_permalinks:
                self._reply(
                    404,
                    {},
                    _wp_error(
                        404,
                        "rest_no_route",
                        "No route was found matching the URL and request method.",
                    ),
                )
                return
            rest = split.path[len("/wp-json") :]
            route = "pretty"
        elif split.path in ("/", "") and "rest_route" in query:
            rest = query.pop("rest_route")[-1]
            route = "rest_route"
        else:
            self._reply(404, {"Content-Type": "text/html"}, None, raw=b"<html>Not Found</html>")
            return
        if not rest.startswith(API_PREFIX + "/"):
            self._reply(
                404,
                {},
                _wp_error(
                    404, "rest_no_route", "No route was found matching the URL and request method."
                ),
            )
            return
        status, headers, body = self.fake.handle(
            route, rest[len(API_PREFIX) :], query, self.headers.get("Authorization")
        )
        self._reply(status, headers, body)

    def _reply(
        self, status: int, headers: dict[str, str], body: Any, *, raw: bytes | None = None
    ) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header(
            "Content-Type", headers.pop("Content-Type", "application/json; charset=UTF-8")
        )
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
