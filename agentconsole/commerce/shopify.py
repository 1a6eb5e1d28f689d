"""Shopify through the GraphQL Admin API (reference ``store-apis.md`` §2, §4).

Why it looks like this:

- **GraphQL only, version pinned** (``StoreConfig.api_version``, default 2026-10). A 404 on the
  endpoint means the version does not exist (any more): kind ``version``.
- **Two ways to authenticate.** Without ``client_id`` the secret is an Admin API access token
  (``shpat_…``, never expires). With it the secret is the app's client secret and a token comes
  from the client-credentials grant (``POST /admin/oauth/access_token``); it lasts 24 hours, is
  renewed shortly before it expires, and once more when Shopify answers 401 anyway.
- **Cost-based throttling.** Every reply carries ``extensions.cost.throttleStatus``. A
  ``THROTTLED`` reply (HTTP 200 with ``errors[].extensions.code`` or HTTP 429) is retried after
  the time the bucket needs to refill; a reply that leaves less than the next query costs makes
  the adapter sleep first. Waits are capped (``max_wait``), retries are bounded.
- **One request at a time per store** (reference §2.6: ≤ 1–2 concurrent per store).
- **Errors are one line naming the store** (``StoreError``); the token never appears in one.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import ssl
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any, NoReturn

import httpx

from agentconsole.commerce.base import StoreError
from agentconsole.commerce.money import MoneyError, to_minor
from agentconsole.commerce.records import (
    RemoteCustomer,
    RemoteLine,
    RemoteOrder,
    RemoteRefund,
    RemoteReturn,
    RemoteShipment,
    StoreInfo,
)
from agentconsole.config import ConfigError, StoreConfig

__all__ = [
    "CHECK_QUERY",
    "CUSTOMER_BY_EMAIL_QUERY",
    "CUSTOMERS_QUERY",
    "ORDERS_QUERY",
    "ShopifyAdapter",
]


class _TooCostly(Exception):
    """Shopify's ``MAX_COST_EXCEEDED``: the page asked for must be smaller."""


# -- queries (every one validates against the 2026-10 schema; tests/servers/fake_shopify.py) --

_MONEY = "shopMoney { amount currencyCode }"

_ORDER_FIELDS = f"""
fragment OrderFields on Order {{
  id legacyResourceId name number confirmationNumber
  createdAt updatedAt processedAt closed closedAt cancelledAt cancelReason
  email phone note tags statusPageUrl currencyCode
  displayFinancialStatus displayFulfillmentStatus returnStatus
  customer {{ id displayName }}
  billingAddress {{ name }}
  shippingAddress {{ name formatted(withName: true, withCompany: true) }}
  currentSubtotalPriceSet {{ {_MONEY} }}
  currentTotalPriceSet {{ {_MONEY} }}
  totalShippingPriceSet {{ {_MONEY} }}
  currentTotalTaxSet {{ {_MONEY} }}
  currentTotalDiscountsSet {{ {_MONEY} }}
  totalRefundedSet {{ {_MONEY} }}
  lineItems(first: 10) {{
    nodes {{
      id title variantTitle sku quantity
      originalUnitPriceSet {{ {_MONEY} }}
      discountedTotalSet {{ {_MONEY} }}
      product {{ id productType }}
    }}
  }}
  fulfillments(first: 5) {{
    id status displayStatus createdAt inTransitAt estimatedDeliveryAt deliveredAt
    trackingInfo(first: 3) {{ company number url }}
  }}
  refunds(first: 5) {{ id createdAt note totalRefundedSet {{ {_MONEY} }} }}
  returns(first: 5) {{ nodes {{ id name status createdAt closedAt }} }}
}}
"""

_CUSTOMER_FIELDS = """
fragment CustomerFields on Customer {
  id legacyResourceId firstName lastName displayName note tags createdAt updatedAt
  numberOfOrders
  amountSpent { amount currencyCode }
  defaultEmailAddress { emailAddress }
  defaultPhoneNumber { phoneNumber }
  birthday: metafield(namespace: $birthdayNamespace, key: $birthdayKey) { value }
}
"""

CHECK_QUERY = "query Check { shop { name currencyCode ianaTimezone myshopifyDomain } }"

ORDERS_QUERY = (
    """
query Orders($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey) {
    nodes { ...OrderFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + _ORDER_FIELDS
)

CUSTOMERS_QUERY = (
    """
query Customers($first: Int!, $after: String, $query: String,
                $birthdayNamespace: String!, $birthdayKey: String!) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...CustomerFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + _CUSTOMER_FIELDS
)

CUSTOMER_BY_EMAIL_QUERY = (
    """
query CustomerByEmail($email: String!, $birthdayNamespace: String!, $birthdayKey: String!) {
  customerByIdentifier(identifier: { emailAddress: $email }) { ...CustomerFields }
}
"""
    + _CUSTOMER_FIELDS
)

# -- status vocabulary (reference §4.3) --------------------------------------------------------

_FINANCIAL = {
    "pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded",
    "voided", "expired", "failed",
}  # fmt: skip
_FULFILLMENT = {
    "unfulfilled", "partially_fulfilled", "fulfilled", "in_progress", "on_hold", "scheduled",
    "restocked",
}  # fmt: skip
_FULFILLMENT_MAP = {
    "FULFILLMENT_NOT_REQUIRED": "not_required",
    "PENDING_FULFILLMENT": "unfulfilled",
    "OPEN": "unfulfilled",
    "REQUEST_DECLINED": "unfulfilled",
}
_SHIPMENT = {
    "IN_TRANSIT": "in_transit",
    "CARRIER_PICKED_UP": "in_transit",
    "OUT_FOR_DELIVERY": "out_for_delivery",
    "DELIVERED": "delivered",
    "PICKED_UP": "delivered",
    "ATTEMPTED_DELIVERY": "attempted",
    "FAILURE": "failure",
    "NOT_DELIVERED": "failure",
    "CANCELED": "cancelled",
    "LABEL_PRINTED": "label_created",
    "LABEL_PURCHASED": "label_created",
    "LABEL_VOIDED": "label_created",
    "CONFIRMED": "label_created",
    "FULFILLED": "label_created",
    "MARKED_AS_FULFILLED": "label_created",
    "SUBMITTED": "label_created",
}


def financial_status(value: str | None) -> str:
    word = (value or "").lower()
    return word if word in _FINANCIAL else "unknown"


def fulfillment_status(value: str | None) -> str:
    if value in _FULFILLMENT_MAP:
        return _FULFILLMENT_MAP[value]
    word = (value or "").lower()
    return word if word in _FULFILLMENT else "unknown"


def shipment_status(display_status: str | None, status: str | None = None) -> str:
    if status in {"CANCELLED", "ERROR", "FAILURE"} and display_status is None:
        return "cancelled" if status == "CANCELLED" else "failure"
    return _SHIPMENT.get(display_status or "", "unknown")


# -- the adapter -------------------------------------------------------------------------------

TOKEN_RENEW_MARGIN_S = 300.0
"""Renew a client-credentials token this long before it expires (or at 90 % of a short life)."""
MAX_THROTTLE_RETRIES = 8
MAX_SERVER_RETRIES = 2
_SCOPE_RE = re.compile(r"\b((?:read|write|unauthenticated_read|unauthenticated_write)_\w+)")


class ShopifyAdapter:
    """One Shopify shop. Read-only; ``await close()`` when done."""

    platform = "shopify"
    page_size = 50
    """Customers per query (a customer costs a few points)."""
    order_page_size = 5
    """Orders per query: a full order (lines, fulfilments, refunds, returns) costs ~140 of
    the 1,000 points Shopify allows one query; halved when Shopify still says it is too much."""
    """``first:`` of the paged syncs and e-mail lookups (reference §4.7)."""
    max_wait = 10.0
    """Longest single sleep for the rate-limit bucket, in seconds."""

    def __init__(self, config: StoreConfig, *, timeout: float = 30.0) -> None:
        self.config = config
        self.name = config.name
        self.base_url = config.url.rstrip("/")
        self.endpoint = f"{self.base_url}/admin/api/{config.api_version}/graphql.json"
        self.timeout = timeout
        self._client = httpx.AsyncClient(
            timeout=timeout, verify=_tls_verify(config), follow_redirects=False
        )
        self._secret: str | None = None
        self._token: str | None = None
        self._token_expires: float = 0.0
        self._lock = asyncio.Lock()
        # bucket as of the last reply: available points, restore rate, when (monotonic), maximum
        self._bucket: tuple[float, float, float, float] | None = None
        self._costs: dict[str, float] = {}
        self.api_version_seen: str | None = None
        """``X-Shopify-API-Version`` of the last reply."""

    # -- StoreAdapter ----------------------------------------------------------------------------

    async def check(self) -> StoreInfo:
        data = await self._query(CHECK_QUERY)
        shop = data.get("shop") or {}
        seen = self.api_version_seen
        if seen and seen != self.config.api_version:
            self._fail(
                "version",
                f"API version {self.config.api_version} is not served any more "
                f"(Shopify answered with {seen}) — set api_version",
            )
        return StoreInfo(
            name=shop.get("name") or self.name,
            currency=shop.get("currencyCode") or self.config.currency,
            api_version=seen or self.config.api_version,
            timezone=shop.get("ianaTimezone") or "",
            admin_url=f"{self.base_url}/admin",
        )

    async def orders_updated_since(self, since: datetime | None) -> AsyncIterator[RemoteOrder]:
        query = f"updated_at:>='{_timestamp(since)}'" if since else None
        async for node in self._pages(
            ORDERS_QUERY, "orders", {"query": query, "sortKey": "UPDATED_AT"}, self.order_page_size
        ):
            yield self._order(node)

    async def customers_updated_since(
        self, since: datetime | None
    ) -> AsyncIterator[RemoteCustomer]:
        query = f"updated_at:>='{_timestamp(since)}'" if since else None
        async for node in self._pages(
            CUSTOMERS_QUERY, "customers", {"query": query, **self._birthday_vars()}
        ):
            yield self._customer(node)

    async def order_by_number(self, number: str) -> RemoteOrder | None:
        wanted = number.strip()
        if not wanted:
            return None
        bare = wanted.lstrip("#").casefold()
        for field in ("name", "confirmation_number"):
            data = await self._query(
                ORDERS_QUERY,
                {"first": 5, "query": f"{field}:{_quote(wanted)}", "sortKey": "CREATED_AT"},
            )
            nodes = (data.get("orders") or {}).get("nodes") or []
            key = "name" if field == "name" else "confirmationNumber"
            exact = [n for n in nodes if (n.get(key) or "").lstrip("#").casefold() == bare]
            if exact:
                return self._order(exact[0])
            if field == "name" and len(nodes) == 1:
                return self._order(nodes[0])  # e.g. "1001" for a store that writes "EN1001"
        return None

    async def customer_by_email(self, email: str) -> RemoteCustomer | None:
        address = email.strip()
        if not address:
            return None
        data = await self._query(
            CUSTOMER_BY_EMAIL_QUERY, {"email": address, **self._birthday_vars()}
        )
        node = data.get("customerByIdentifier")
        return self._customer(node) if node else None

    async def orders_by_email(self, email: str) -> list[RemoteOrder]:
        address = email.strip()
        if not address:
            return []
        wanted = address.casefold()
        found: list[RemoteOrder] = []
        async for node in self._pages(
            ORDERS_QUERY,
            "orders",
            {"query": f"email:{_quote(address)}", "sortKey": "CREATED_AT"},
            self.order_page_size,
        ):
            if (node.get("email") or "").casefold() == wanted:  # the filter is tokenised
                found.append(self._order(node))
        return found

    async def close(self) -> None:
        await self._client.aclose()

    # -- paging ----------------------------------------------------------------------------------

    async def _pages(
        self, query: str, root: str, variables: dict[str, Any], size: int | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        after: str | None = None
        size = size or self.page_size
        while True:
            try:
                data = await self._query(query, {**variables, "first": size, "after": after})
            except _TooCostly as exc:
                if size == 1:
                    self._fail("protocol", f"Shopify refused even one record: {exc}")
                size = max(1, size // 2)  # a shop with long orders: ask for fewer at a time
                continue
            connection = data.get(root) or {}
            for node in connection.get("nodes") or []:
                yield node
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage") or not info.get("endCursor"):
                return
            after = info["endCursor"]

    # -- transport -------------------------------------------------------------------------------

    async def _query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST one GraphQL query; its ``data``. Throttling, token renewal, classification."""
        async with self._lock:
            throttled = server_errors = 0
            renewed = False
            while True:
                await self._wait_for_budget(query)
                token = await self._access_token()
                response = await self._send(
                    self.endpoint,
                    json={"query": query, "variables": variables or {}},
                    headers={"X-Shopify-Access-Token": token},
                )
                self.api_version_seen = response.headers.get("X-Shopify-API-Version")
                body = _json(response)
                cost = _cost(body)
                if cost:
                    self._note_cost(query, cost)
                status = response.status_code
                if status == 401:
                    if self.config.client_id and not renewed:
                        renewed = True
                        self._token = None  # expired or revoked early: one fresh grant
                        continue
                    self._fail("auth", self._refused_message())
                if status == 429 or _error_code(body) == "THROTTLED":
                    throttled += 1
                    if throttled > MAX_THROTTLE_RETRIES:
                        self._fail("throttled", "still rate-limited after several waits; try later")
                    await asyncio.sleep(self._throttle_wait(cost, throttled))
                    continue
                if status >= 500:
                    server_errors += 1
                    if server_errors > MAX_SERVER_RETRIES:
                        self._fail(
                            "unreachable", f"Shopify answered {status} repeatedly; try later"
                        )
                    await asyncio.sleep(min(self.max_wait, 0.5 * 2**server_errors))
                    continue
                return self._data(status, body)

    async def _send(self, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._client.post(url, **kwargs)
        except httpx.TimeoutException:
            self._fail("unreachable", f"{_host(url)} did not answer within {self.timeout:g} s")
        except httpx.TransportError as exc:
            if _is_tls(exc):
                self._fail(
                    "tls",
                    f"TLS to {_host(url)} failed ({_tls_reason(exc)}) — check the certificate "
                    "or tls_ca_file",
                )
            self._fail("unreachable", f"cannot reach {_host(url)} ({_short(exc)})")

    def _data(self, status: int, body: Any) -> dict[str, Any]:
        if status == 403:
            self._fail("scope", self._scope_message(body))
        if status == 404:
            self._fail(
                "version",
                f"API version {self.config.api_version} is not available (404 from "
                f"{_host(self.endpoint)}) — set api_version, e.g. 2026-10",
            )
        if status in (402, 423):
            word = "frozen (unpaid)" if status == 402 else "locked"
            self._fail("protocol", f"the shop is {word} ({status})")
        if status != 200 or not isinstance(body, dict):
            self._fail("protocol", f"unexpected answer (HTTP {status}) from the Admin API")
        errors = body.get("errors")
        if errors:
            if _error_code(body) == "MAX_COST_EXCEEDED":
                raise _TooCostly(_error_text(errors))
            if _error_code(body) == "ACCESS_DENIED":
                self._fail("scope", self._scope_message(body))
            self._fail("protocol", f"Shopify refused the query: {_error_text(errors)}")
        data = body.get("data")
        if not isinstance(data, dict):
            self._fail("protocol", "the Admin API answered without data")
        return data

    # -- rate limit ------------------------------------------------------------------------------

    def _note_cost(self, query: str, cost: dict[str, Any]) -> None:
        requested = cost.get("requestedQueryCost")
        if isinstance(requested, int | float):
            self._costs[query] = float(requested)
        status = cost.get("throttleStatus") or {}
        with contextlib.suppress(KeyError, TypeError, ValueError):
            self._bucket = (
                float(status["currentlyAvailable"]),
                float(status["restoreRate"]),
                time.monotonic(),
                float(status["maximumAvailable"]),
            )

    def _available_now(self) -> tuple[float, float] | None:
        if self._bucket is None:
            return None
        available, rate, at, maximum = self._bucket
        return min(maximum, available + (time.monotonic() - at) * rate), rate

    async def _wait_for_budget(self, query: str) -> None:
        """Sleep when the last reply left less than this query cost last time."""
        needed = self._costs.get(query)
        now = self._available_now()
        if needed is None or now is None:
            return
        available, rate = now
        if available < needed and rate > 0:
            await asyncio.sleep(min(self.max_wait, (needed - available) / rate))

    def _throttle_wait(self, cost: dict[str, Any] | None, attempt: int) -> float:
        jitter = random.uniform(0, 0.05)  # noqa: S311 - spreading retries, not security
        status = (cost or {}).get("throttleStatus") or {}
        try:
            requested = float((cost or {})["requestedQueryCost"])
            available = float(status["currentlyAvailable"])
            rate = float(status["restoreRate"])
        except (KeyError, TypeError, ValueError):
            return min(self.max_wait, 0.5 * 2 ** (attempt - 1)) + jitter
        if rate <= 0:
            return self.max_wait
        return min(self.max_wait, max(0.0, requested - available) / rate) + jitter

    # -- credentials -----------------------------------------------------------------------------

    def _resolve_secret(self) -> str:
        if self._secret is None:
            try:
                self._secret = self.config.resolve(f"store {self.name}")
            except ConfigError as exc:
                raise StoreError("auth", str(exc).splitlines()[0]) from None
        return self._secret

    async def _access_token(self) -> str:
        secret = self._resolve_secret()
        if not self.config.client_id:
            return secret
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        response = await self._send(
            f"{self.base_url}/admin/oauth/access_token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.config.client_id,
                "client_secret": secret,
            },
            headers={"Accept": "application/json"},
        )
        body = _json(response)
        if response.status_code in (400, 401, 403):
            self._fail(
                "auth",
                f"the client credentials were refused ({response.status_code}) — check "
                "client_id and the client secret",
            )
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(token, str) or not token:
            self._fail(
                "protocol", f"the token endpoint answered {response.status_code} without a token"
            )
        try:
            life = float(body.get("expires_in") or 86399)
        except (TypeError, ValueError):
            life = 86399.0
        self._token = token
        self._token_expires = time.monotonic() + life - min(TOKEN_RENEW_MARGIN_S, life * 0.1)
        return token

    def _refused_message(self) -> str:
        source = "password_command" if self.config.password_command else "password_env"
        if self.config.client_id:
            return f"the access token was refused (401) even after renewing it — check {source}"
        return f"the access token was refused (401) — check {source}"

    def _scope_message(self, body: Any) -> str:
        text = ""
        if isinstance(body, dict):
            errors = body.get("errors")
            text = _error_text(errors) if errors else ""
            for error in errors if isinstance(errors, list) else []:
                required = ((error or {}).get("extensions") or {}).get("requiredAccess")
                if required:
                    text += f" {required}"
        scopes = sorted(set(_SCOPE_RE.findall(text)))
        if scopes:
            return f"access denied: the app needs the scope {', '.join(scopes)}"
        return "access denied (403) — the app lacks a scope or protected customer data access"

    def _fail(self, kind: Any, detail: str) -> NoReturn:
        raise StoreError(kind, f"store {self.name}: {detail}")

    # -- mapping ---------------------------------------------------------------------------------

    def _birthday_vars(self) -> dict[str, str]:
        namespace, key = self.config.birthday_metafield.split(".", 1)
        return {"birthdayNamespace": namespace, "birthdayKey": key}

    def _customer(self, node: dict[str, Any]) -> RemoteCustomer:
        spent = node.get("amountSpent") or {}
        legacy = node.get("legacyResourceId")
        try:
            count: int | None = int(node["numberOfOrders"])
        except (KeyError, TypeError, ValueError):
            count = None
        return RemoteCustomer(
            remote_id=node["id"],
            email=(node.get("defaultEmailAddress") or {}).get("emailAddress"),
            phone=(node.get("defaultPhoneNumber") or {}).get("phoneNumber"),
            first_name=node.get("firstName") or "",
            last_name=node.get("lastName") or "",
            updated_at=_when(node.get("updatedAt")) or _EPOCH,
            created_at=_when(node.get("createdAt")),
            note=node.get("note") or "",
            tags=tuple(node.get("tags") or ()),
            orders_count=count,
            amount_spent=_money(spent) if spent else None,
            amount_currency=spent.get("currencyCode"),
            birthday=_date((node.get("birthday") or {}).get("value")),
            admin_url=f"{self.base_url}/admin/customers/{legacy}" if legacy else None,
        )

    def _order(self, node: dict[str, Any]) -> RemoteOrder:
        currency = node.get("currencyCode") or self.config.currency
        legacy = node.get("legacyResourceId")
        customer = node.get("customer") or {}
        financial = node.get("displayFinancialStatus")
        fulfilment = node.get("displayFulfillmentStatus")
        if node.get("cancelledAt"):
            state = "cancelled"
        elif node.get("closed"):
            state = "completed"
        else:
            state = "open"
        shipping = node.get("shippingAddress") or {}
        extra = {"legacy_id": str(legacy or "")}
        for key, name in (("returnStatus", "return_status"), ("cancelReason", "cancel_reason")):
            if node.get(key):
                extra[name] = str(node[key])
        return RemoteOrder(
            remote_id=node["id"],
            name=node.get("name") or "",
            number=int(node.get("number") or 0),
            created_at=_when(node.get("createdAt")) or _EPOCH,
            updated_at=_when(node.get("updatedAt")) or _EPOCH,
            currency=currency,
            subtotal=_money(node.get("currentSubtotalPriceSet"), currency),
            total=_money(node.get("currentTotalPriceSet"), currency),
            financial_status=financial_status(financial),
            fulfillment_status=fulfillment_status(fulfilment),
            state=state,
            platform_status=" / ".join(str(s) for s in (financial, fulfilment) if s),
            customer_remote_id=customer.get("id"),
            email=node.get("email"),
            phone=node.get("phone"),
            customer_name=(node.get("billingAddress") or {}).get("name")
            or shipping.get("name")
            or customer.get("displayName")
            or "",
            shipping=_money(node.get("totalShippingPriceSet"), currency),
            tax=_money(node.get("currentTotalTaxSet"), currency),
            discount=_money(node.get("currentTotalDiscountsSet"), currency),
            refunded=abs(_money(node.get("totalRefundedSet"), currency)),
            confirmation_number=node.get("confirmationNumber"),
            cancelled_at=_when(node.get("cancelledAt")),
            closed_at=_when(node.get("closedAt")),
            shipping_address="\n".join(shipping.get("formatted") or ()),
            status_url=node.get("statusPageUrl"),
            admin_url=f"{self.base_url}/admin/orders/{legacy}" if legacy else None,
            note=node.get("note") or "",
            tags=tuple(node.get("tags") or ()),
            lines=tuple(_line(n, currency) for n in _nodes(node.get("lineItems"))),
            shipments=tuple(s for f in node.get("fulfillments") or () for s in _shipments(f)),
            refunds=tuple(_refund(r, currency) for r in node.get("refunds") or ()),
            returns=tuple(_return(r) for r in _nodes(node.get("returns"))),
            extra=extra,
        )


# -- helpers -----------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _tls_verify(config: StoreConfig) -> ssl.SSLContext | bool:
    if not config.tls_verify:
        return False
    return ssl.create_default_context(
        cafile=str(config.tls_ca_file.expanduser()) if config.tls_ca_file else None
    )


def _timestamp(since: datetime) -> str:
    moment = since if since.tzinfo else since.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quote(value: str) -> str:
    """A search-syntax value in double quotes (so ``email:`` is not tokenised)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _cost(body: Any) -> dict[str, Any] | None:
    if not isinstance(body, dict):
        return None
    cost = (body.get("extensions") or {}).get("cost")
    return cost if isinstance(cost, dict) else None


def _error_code(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return None
    for error in body["errors"]:
        code = (
            ((error or {}).get("extensions") or {}).get("code") if isinstance(error, dict) else None
        )
        if code:
            return str(code)
    return None


def _error_text(errors: Any) -> str:
    if isinstance(errors, str):
        return _short(errors)
    if isinstance(errors, dict):
        return _short("; ".join(f"{k}: {v}" for k, v in errors.items()))
    if isinstance(errors, list):
        messages = [e.get("message", "") if isinstance(e, dict) else str(e) for e in errors]
        return _short("; ".join(m for m in messages if m))
    return _short(str(errors))


def _short(text: Any, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _host(url: str) -> str:
    return httpx.URL(url).host or url


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc) or "SSL" in str(exc)


def _tls_reason(exc: BaseException) -> str:
    text = str(exc)
    match = re.search(r"certificate verify failed: ([^(]+)", text)
    return match.group(1).strip() if match else _short(text, 120)


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _money(bag: Any, currency: str | None = None) -> int:
    """Minor units of ``shopMoney`` of a MoneyBag (or of a plain MoneyV2)."""
    if not isinstance(bag, dict):
        return 0
    money = bag.get("shopMoney") if "shopMoney" in bag else bag
    if not isinstance(money, dict):
        return 0
    try:
        return to_minor(money.get("amount"), money.get("currencyCode") or currency or "")
    except MoneyError:
        return 0


def _nodes(connection: Any) -> list[dict[str, Any]]:
    if not isinstance(connection, dict):
        return []
    return [n for n in connection.get("nodes") or () if isinstance(n, dict)]


def _line(node: dict[str, Any], currency: str) -> RemoteLine:
    product = node.get("product") or {}
    return RemoteLine(
        remote_id=node["id"],
        title=node.get("title") or "",
        quantity=int(node.get("quantity") or 0),
        unit_price=_money(node.get("originalUnitPriceSet"), currency),
        total=_money(node.get("discountedTotalSet"), currency),
        sku=node.get("sku") or "",
        variant=node.get("variantTitle") or "",
        product_id=product.get("id"),
        category=product.get("productType") or "",
    )


def _shipments(node: dict[str, Any]) -> list[RemoteShipment]:
    status = shipment_status(node.get("displayStatus"), node.get("status"))
    shipped = _when(node.get("inTransitAt")) or _when(node.get("createdAt"))
    infos = node.get("trackingInfo") or [{}]
    return [
        RemoteShipment(
            remote_id=node["id"] if len(infos) == 1 else f"{node['id']}#{index}",
            carrier=info.get("company") or "",
            tracking_number=info.get("number") or "",
            tracking_url=info.get("url"),
            status=status,
            shipped_at=shipped,
            delivered_at=_when(node.get("deliveredAt")),
            estimated_delivery_at=_when(node.get("estimatedDeliveryAt")),
        )
        for index, info in enumerate(infos)
    ]


def _refund(node: dict[str, Any], currency: str) -> RemoteRefund:
    bag = ((node.get("totalRefundedSet") or {}).get("shopMoney")) or {}
    return RemoteRefund(
        remote_id=node["id"],
        amount=abs(_money(node.get("totalRefundedSet"), currency)),
        currency=bag.get("currencyCode") or currency,
        created_at=_when(node.get("createdAt")) or _EPOCH,
        reason=node.get("note") or "",
    )


def _return(node: dict[str, Any]) -> RemoteReturn:
    return RemoteReturn(
        remote_id=node["id"],
        name=node.get("name") or "",
        status=(node.get("status") or "unknown").lower(),
        created_at=_when(node.get("createdAt")),
        closed_at=_when(node.get("closedAt")),
    )
