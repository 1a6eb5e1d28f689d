"""WooCommerce REST API v3 (``/wp-json/wc/v3``): orders and customers, read only.

Why it looks like this (``../shared/reference/store-apis.md`` §3, §4.2–4.7):

- **Auth that survives real hosting.** Basic auth with the consumer key/secret first. Web
  servers that drop the ``Authorization`` header make WooCommerce answer "Consumer key is
  missing": then the keys go in the query string (only over HTTPS or to a loopback host). Sites
  without pretty permalinks have no ``/wp-json/``: then ``/?rest_route=/wc/v3/…``. Whatever
  worked first is remembered for the life of the adapter.
- **Polling sync without losing rows.** ``orders_updated_since`` asks for
  ``orderby=modified&order=asc`` from the watermark minus an overlap and, after every page,
  starts again at page 1 from the last ``date_modified_gmt`` seen (keyset emulation: offset
  paging over rows that change while we read skips some). Rows are de-duplicated on
  ``(id, date_modified_gmt)``, so an order changed mid-sync comes again in its new state.
- **Times.** ``*_gmt`` fields are UTC written without ``Z``; the site-time twins carry no offset
  and are never used when the ``_gmt`` one is present.
- **Money.** Strings in the order currency → integer minor units with ISO 4217 exponents
  (``money.to_minor``), never Woo's display ``dp``. Refund totals are negative: turned around.
- **Errors.** One ``StoreError`` naming the store, classified (auth, scope, tls, unreachable,
  throttled, protocol, not_found). 429/503 are retried with back-off (``Retry-After`` honoured)
  before "throttled". The consumer secret never appears in a message.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx

from agentconsole.commerce.base import StoreError
from agentconsole.commerce.money import MoneyError, to_minor
from agentconsole.commerce.records import (
    RemoteCustomer,
    RemoteLine,
    RemoteOrder,
    RemoteRefund,
    RemoteShipment,
    StoreInfo,
)
from agentconsole.config import ConfigError, StoreConfig

__all__ = ["OVERLAP", "PER_PAGE", "WooCommerceAdapter"]

API = "/wc/v3"
PER_PAGE = 100
"""WooCommerce's maximum page size."""
OVERLAP = timedelta(minutes=3)
"""Re-read this much before the watermark: second-granular times, replica lag (§4.7)."""
TRACKING_META = "_wc_shipment_tracking_items"
MAX_MESSAGE = 200
"""Longest server text kept in an error line."""

# Woo status → (financial, fulfilment, state); reference §4.3.
_STATUS: dict[str, tuple[str, str, str]] = {
    "checkout-draft": ("pending", "unfulfilled", "draft"),
    "pending": ("pending", "unfulfilled", "open"),
    "on-hold": ("pending", "on_hold", "open"),
    "processing": ("paid", "unfulfilled", "open"),
    "completed": ("paid", "fulfilled", "completed"),
    "cancelled": ("voided", "unfulfilled", "cancelled"),
    "refunded": ("refunded", "unfulfilled", "completed"),
    "failed": ("failed", "unfulfilled", "open"),
    "trash": ("unknown", "unknown", "deleted"),
}

# Shipment Tracking's built-in providers (lower-cased name → URL; ``{n}`` = tracking number).
_PROVIDER_URLS: dict[str, str] = {
    "dhl": "https://www.dhl.com/en/express/tracking.html?AWB={n}",
    "dhl express": "https://www.dhl.com/en/express/tracking.html?AWB={n}",
    "dhl us": "https://www.logistics.dhl/us-en/home/tracking/tracking-ecommerce.html?tracking-id={n}",
    "deutsche post dhl": "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={n}",
    "dhl parcel": "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={n}",
    "ups": "https://www.ups.com/track?tracknum={n}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={n}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    "royal mail": "https://www.royalmail.com/track-your-item#/tracking-results/{n}",
    "dpd": "https://tracking.dpd.de/parcelstatus?query={n}",
    "dpd.de": "https://tracking.dpd.de/parcelstatus?query={n}",
    "dpd uk": "https://www.dpd.co.uk/apps/tracking/?reference={n}",
    "gls": "https://gls-group.eu/EU/en/parcel-tracking?match={n}",
    "hermes": "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#{n}",
    "evri": "https://www.evri.com/track/parcel/{n}",
    "australia post": "https://auspost.com.au/mypost/track/#/details/{n}",
    "canada post": "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={n}",
    "postnord": "https://www.postnord.se/en/our-tools/track-and-trace?shipmentId={n}",
    "colissimo": "https://www.laposte.fr/outils/suivre-vos-envois?code={n}",
}

_Route = Literal["pretty", "rest_route"]
_Auth = Literal["basic", "query"]


class WooCommerceAdapter:
    """A read-only connection to one WooCommerce shop (``StoreAdapter``)."""

    platform = "woocommerce"
    retry_delays: tuple[float, ...] = (1.0, 3.0, 9.0)
    """Waits before retrying a 429/503 (``Retry-After`` wins when the server sends one, up to
    ``max_retry_after``); after the last one the error is "throttled"."""
    max_retry_after: float = 60.0
    overlap: timedelta = OVERLAP

    def __init__(self, config: StoreConfig, *, timeout: float = 30.0) -> None:
        self.config = config
        self.name = config.name
        self.base = config.url.rstrip("/")
        self.timeout = timeout
        self.currency = config.currency
        self._secret: str | None = None
        self._route: _Route | None = None
        """Which URL style works; None until a request succeeded."""
        self._auth: _Auth | None = None
        host = httpx.URL(self.base).host
        self._query_keys_allowed = self.base.startswith("https://") or _loopback(host)
        self._client = httpx.AsyncClient(
            verify=self._ssl_context(),
            timeout=timeout,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "agentconsole"},
        )

    # -- protocol ------------------------------------------------------------------------------

    async def check(self) -> StoreInfo:
        """One cheap authenticated read (``/orders?per_page=1`` needs the read permission the
        sync needs), then the shop currency (best effort)."""
        await self._get("/orders", {"per_page": 1})
        currency = self.currency
        try:
            data, _ = await self._get("/data/currencies/current", {})
            if isinstance(data, dict) and isinstance(data.get("code"), str) and data["code"]:
                currency = data["code"].upper()
        except StoreError as exc:
            if exc.kind in ("unreachable", "tls", "auth"):
                raise
        return StoreInfo(
            name=self.name,
            currency=currency,
            api_version="wc/v3",
            admin_url=f"{self.base}/wp-admin/",
        )

    async def orders_updated_since(self, since: datetime | None) -> AsyncIterator[RemoteOrder]:
        """Oldest change first; see the module notes on keyset emulation."""
        after = _utc_aware(since) - self.overlap if since is not None else None
        seen: set[tuple[int, str]] = set()
        page = 1
        while True:
            params: dict[str, Any] = {
                "orderby": "modified",
                "order": "asc",
                "per_page": PER_PAGE,
                "page": page,
                "dates_are_gmt": "true",
            }
            if after is not None:
                params["modified_after"] = _wire_time(after)
            data, _ = await self._get("/orders", params)
            rows = _as_list(data, self.name)
            fresh = 0
            for row in rows:
                key = (int(row.get("id") or 0), str(row.get("date_modified_gmt") or ""))
                if key in seen:
                    continue
                seen.add(key)
                fresh += 1
                yield self._order(row)
            if len(rows) < PER_PAGE:
                return
            last = _parse_time(rows[-1].get("date_modified_gmt"))
            if fresh == 0 or last is None:
                # A whole page of rows already seen (more than a page share one second):
                # step on by offset from the same point rather than loop.
                page += 1
                continue
            # Restart at page 1 from the last change seen; one second back because the
            # server's "after" is strict and times are second-granular (duplicates dropped).
            after = last - timedelta(seconds=1)
            page = 1

    async def customers_updated_since(
        self, since: datetime | None
    ) -> AsyncIterator[RemoteCustomer]:
        """``/customers`` has no documented ``modified_after``: read them all (registered
        customers only, so small shops stay cheap), keep the changed ones, oldest first."""
        cut = _utc_aware(since) - self.overlap if since is not None else None
        found: list[RemoteCustomer] = []
        async for row in self._pages(
            "/customers", {"role": "all", "orderby": "registered_date", "order": "asc"}
        ):
            customer = self._customer(row)
            if cut is None or customer.updated_at >= cut:
                found.append(customer)
        found.sort(key=lambda c: (c.updated_at, _int_or(c.remote_id, 0)))
        for customer in found:
            yield customer

    async def order_by_number(self, number: str) -> RemoteOrder | None:
        """``GET /orders/<n>`` by id, then ``/orders?search=<n>`` filtered on ``number``
        (sequential-number plugins); an order whose *number* matches wins over one whose id
        does."""
        wanted = number.strip().lstrip("#").strip()
        if not wanted:
            return None
        by_id: dict[str, Any] | None = None
        if wanted.isdigit():
            try:
                data, _ = await self._get(f"/orders/{int(wanted)}", {})
            except StoreError as exc:
                if exc.kind != "not_found":
                    raise
            else:
                if isinstance(data, dict):
                    by_id = data
                    if str(data.get("number", "")) == wanted:
                        return self._order(data)
        async for row in self._pages("/orders", {"search": wanted}):
            if str(row.get("number", "")).strip().lower() == wanted.lower():
                return self._order(row)
        return self._order(by_id) if by_id is not None else None

    async def customer_by_email(self, email: str) -> RemoteCustomer | None:
        wanted = email.strip().lower()
        if not wanted:
            return None
        data, _ = await self._get("/customers", {"email": wanted, "role": "all"})
        for row in _as_list(data, self.name):
            if str(row.get("email") or "").strip().lower() == wanted:
                return self._customer(row)
        return None

    async def orders_by_email(self, email: str) -> list[RemoteOrder]:
        """``search`` is fuzzy (address index, last name): keep exact billing e-mails only."""
        wanted = email.strip().lower()
        if not wanted:
            return []
        found: list[RemoteOrder] = []
        async for row in self._pages("/orders", {"search": wanted}):
            billing = row.get("billing") or {}
            if str(billing.get("email") or "").strip().lower() == wanted:
                found.append(self._order(row))
        found.sort(key=lambda o: o.created_at, reverse=True)
        return found

    async def close(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> WooCommerceAdapter:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- transport -----------------------------------------------------------------------------

    def _ssl_context(self) -> ssl.SSLContext:
        ca = self.config.tls_ca_file
        context = ssl.create_default_context(cafile=str(ca.expanduser()) if ca else None)
        if not self.config.tls_verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _resolve_secret(self) -> str:
        if self._secret is None:
            try:
                self._secret = self.config.resolve(f"store {self.name}")
            except ConfigError as exc:
                raise StoreError("auth", str(exc).splitlines()[0]) from None
        return self._secret

    async def _pages(self, path: str, params: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        """Every row of a list endpoint, page by page (``X-WP-TotalPages``)."""
        page = 1
        while True:
            data, headers = await self._get(path, {**params, "per_page": PER_PAGE, "page": page})
            rows = _as_list(data, self.name)
            for row in rows:
                yield row
            total_pages = _int_or(headers.get("x-wp-totalpages"), 0)
            if not rows or (page >= total_pages if total_pages else len(rows) < PER_PAGE):
                return
            page += 1

    async def _get(self, path: str, params: dict[str, Any]) -> tuple[Any, httpx.Headers]:
        """GET an API path, finding the URL style and auth that work on first use."""
        routes: list[_Route] = [self._route] if self._route else ["pretty", "rest_route"]
        auths: list[_Auth] = [self._auth] if self._auth else ["basic", "query"]
        if not self._query_keys_allowed and "query" in auths and len(auths) > 1:
            auths.remove("query")
        failure: StoreError | None = None
        for route in routes:
            for auth in auths:
                response = await self._send(route, auth, path, params)
                if response.status_code < 300:
                    self._route, self._auth = route, auth
                    return self._json(response), response.headers
                body = _error_body(response)
                code = str(body.get("code", ""))
                message = str(body.get("message", ""))
                if self._route is None and route == "pretty" and _no_route(response, code):
                    failure = self._error_for(response, body)
                    break  # try the other URL style
                if self._auth is None and auth == "basic" and _key_missing(response, code, message):
                    failure = self._error_for(response, body)
                    if not self._query_keys_allowed:
                        raise StoreError(
                            "auth",
                            f"store {self.name}: the web server drops the Authorization header "
                            "and the keys can go in the URL only over https — allow the "
                            "header through (e.g. CGIPassAuth On) or use https",
                        )
                    continue  # try the keys in the query string
                raise self._error_for(response, body)
        assert failure is not None
        raise failure

    async def _send(
        self, route: _Route, auth: _Auth, path: str, params: dict[str, Any]
    ) -> httpx.Response:
        secret = self._resolve_secret()
        key = self.config.consumer_key or ""
        query: dict[str, Any] = dict(params)
        if route == "pretty":
            url = f"{self.base}/wp-json{API}{path}"
        else:
            url = f"{self.base}/"
            query = {"rest_route": f"{API}{path}", **query}
        basic: httpx.BasicAuth | None = None
        if auth == "basic":
            basic = httpx.BasicAuth(key, secret)
        else:
            query.update(consumer_key=key, consumer_secret=secret)
        attempt = 0
        while True:
            try:
                response = await self._client.get(url, params=query, auth=basic)
            except httpx.TimeoutException:
                raise StoreError(
                    "unreachable",
                    f"store {self.name}: {self.base} did not answer within {self.timeout:g} s",
                ) from None
            except httpx.TransportError as exc:
                raise self._transport_error(exc) from None
            if response.status_code not in (429, 503):
                return response
            if attempt >= len(self.retry_delays):
                raise StoreError(
                    "throttled",
                    f"store {self.name}: the shop keeps answering {response.status_code} "
                    f"(rate limited or overloaded) after {attempt + 1} tries — try again later",
                )
            await asyncio.sleep(self._retry_wait(response, attempt))
            attempt += 1

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float:
        header = response.headers.get("retry-after", "")
        try:
            return max(0.0, min(float(header), self.max_retry_after))
        except ValueError:
            return self.retry_delays[attempt]

    def _transport_error(self, exc: Exception) -> StoreError:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLError):
                detail = getattr(cause, "verify_message", None) or cause.reason or str(cause)
                return StoreError(
                    "tls",
                    f"store {self.name}: TLS with {self.base} failed ({detail}) — "
                    "check the URL, or set tls_ca_file for a private CA",
                )
            cause = cause.__cause__ or cause.__context__
        detail = self._scrub(str(exc)) or type(exc).__name__
        return StoreError("unreachable", f"store {self.name}: cannot reach {self.base} ({detail})")

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise StoreError(
                "protocol",
                f"store {self.name}: {response.url.path} answered {response.status_code} "
                "with something that is not JSON — is this a WooCommerce site?",
            ) from None

    def _error_for(self, response: httpx.Response, body: dict[str, Any]) -> StoreError:
        status = response.status_code
        code = str(body.get("code", ""))
        message = self._scrub(str(body.get("message", "")))[:MAX_MESSAGE]
        where = f"store {self.name}"
        if status == 401 and "read permission" in message.lower():
            return StoreError(
                "scope",
                f"{where}: the consumer key has no read permission (401) — give it Read or "
                "Read/Write in WooCommerce → Settings → Advanced → REST API",
            )
        if status == 401:
            return StoreError(
                "auth",
                f"{where}: the consumer key/secret was refused (401) — check consumer_key and "
                "password_command" + (f" ({message})" if message else ""),
            )
        if status == 403:
            return StoreError(
                "scope",
                f"{where}: the consumer key may not read this (403) — its user needs to manage "
                "WooCommerce and the key Read permission" + (f" ({message})" if message else ""),
            )
        if status == 404:
            if code == "rest_no_route" or not code:
                return StoreError(
                    "protocol",
                    f"{where}: no WooCommerce REST API at {self.base} (404 {code or 'not found'})"
                    " — check the url and that WooCommerce is active",
                )
            return StoreError("not_found", f"{where}: {message or 'not found'} (404 {code})")
        if 300 <= status < 400:
            location = response.headers.get("location", "")
            return StoreError(
                "protocol",
                f"{where}: {self.base} redirects ({status}) to {self._scrub(location)} — "
                "put that address in url",
            )
        if code or message:
            return StoreError("protocol", f"{where}: {message or code} ({status} {code})".strip())
        return StoreError("protocol", f"{where}: unexpected answer {status} from {self.base}")

    def _scrub(self, text: str) -> str:
        if self._secret:
            text = text.replace(self._secret, "***")
        return " ".join(text.split())

    # -- mapping -------------------------------------------------------------------------------

    def _money(self, amount: Any, currency: str) -> int:
        try:
            return to_minor(amount, currency)
        except MoneyError as exc:
            raise StoreError("protocol", f"store {self.name}: {exc}") from None

    def _order(self, row: dict[str, Any]) -> RemoteOrder:
        oid = int(row.get("id") or 0)
        currency = str(row.get("currency") or self.currency).upper()
        status = str(row.get("status") or "")
        created = _time(row, "date_created") or datetime.fromtimestamp(0, UTC)
        updated = _time(row, "date_modified") or created
        completed = _time(row, "date_completed")
        billing: dict[str, Any] = row.get("billing") or {}
        shipping_address: dict[str, Any] = row.get("shipping") or {}

        lines = tuple(self._line(item, currency) for item in row.get("line_items") or ())
        refunds = tuple(
            RemoteRefund(
                remote_id=str(r.get("id", "")),
                amount=abs(self._money(r.get("total"), currency)),
                currency=currency,
                created_at=updated,  # the order's list of refunds carries no date
                reason=str(r.get("reason") or ""),
            )
            for r in row.get("refunds") or ()
        )
        shipments = tuple(_shipments(oid, row.get("meta_data") or ()))
        total = self._money(row.get("total"), currency)
        refunded = sum(r.amount for r in refunds)
        if row.get("subtotal") not in (None, ""):
            subtotal = self._money(row.get("subtotal"), currency)
        else:
            subtotal = sum(
                self._money(item.get("subtotal"), currency) for item in row.get("line_items") or ()
            )

        financial, fulfilment, state = _STATUS.get(status, ("unknown", "unknown", "open"))
        if status == "processing" and shipments:
            fulfilment = "partially_fulfilled"
        if status == "refunded" and (completed or shipments):
            fulfilment = "fulfilled"
        if status == "cancelled" and refunded:
            financial = "refunded"
        if financial == "paid" and refunded:
            financial = "partially_refunded" if refunded < total else "refunded"

        number_text = str(row.get("number") or oid)
        extra: dict[str, str] = {"number": number_text}
        for key in ("order_key", "payment_method_title", "transaction_id", "created_via"):
            if row.get(key):
                extra[key] = str(row[key])
        if row.get("payment_url") and (row.get("needs_payment") or financial == "pending"):
            extra["payment_url"] = str(row["payment_url"])
        name = " ".join(
            p
            for p in (str(billing.get("first_name") or ""), str(billing.get("last_name") or ""))
            if p
        ) or str(billing.get("company") or "")
        customer_id = _int_or(row.get("customer_id"), 0)
        return RemoteOrder(
            remote_id=str(oid),
            name=f"#{number_text}",
            number=_int_or(number_text, oid),
            created_at=created,
            updated_at=updated,
            currency=currency,
            subtotal=subtotal,
            total=total,
            financial_status=financial,
            fulfillment_status=fulfilment,
            state=state,
            platform_status=status,
            customer_remote_id=str(customer_id) if customer_id else None,
            email=str(billing.get("email") or "").strip() or None,
            phone=str(billing.get("phone") or "").strip() or None,
            customer_name=name,
            shipping=self._money(row.get("shipping_total"), currency),
            tax=self._money(row.get("total_tax"), currency),
            discount=self._money(row.get("discount_total"), currency),
            refunded=refunded,
            closed_at=completed,
            shipping_address=_address(shipping_address) or _address(billing),
            status_url=None,
            admin_url=f"{self.base}/wp-admin/post.php?post={oid}&action=edit",
            note=str(row.get("customer_note") or ""),
            lines=lines,
            shipments=shipments,
            refunds=refunds,
            extra=extra,
        )

    def _line(self, item: dict[str, Any], currency: str) -> RemoteLine:
        quantity = _int_or(item.get("quantity"), 0)
        total = self._money(item.get("total"), currency)
        price = item.get("price")
        if price in (None, ""):
            unit = total // quantity if quantity else total
        else:
            unit = self._money(price, currency)
        product = _int_or(item.get("product_id"), 0)
        variant = ", ".join(
            f"{m.get('display_key')}: {m.get('display_value')}"
            for m in item.get("meta_data") or ()
            if isinstance(m, dict)
            and m.get("display_key")
            and not str(m.get("key", "")).startswith("_")
        )
        return RemoteLine(
            remote_id=str(item.get("id", "")),
            title=str(item.get("name") or ""),
            quantity=quantity,
            unit_price=unit,
            total=total,
            sku=str(item.get("sku") or ""),
            variant=variant,
            product_id=str(product) if product else None,
        )

    def _customer(self, row: dict[str, Any]) -> RemoteCustomer:
        cid = int(row.get("id") or 0)
        billing: dict[str, Any] = row.get("billing") or {}
        created = _time(row, "date_created")
        updated = _time(row, "date_modified") or created or datetime.fromtimestamp(0, UTC)
        return RemoteCustomer(
            remote_id=str(cid),
            email=str(row.get("email") or "").strip() or None,
            phone=str(billing.get("phone") or "").strip() or None,
            first_name=str(row.get("first_name") or billing.get("first_name") or ""),
            last_name=str(row.get("last_name") or billing.get("last_name") or ""),
            updated_at=updated,
            created_at=created,
            admin_url=f"{self.base}/wp-admin/user-edit.php?user_id={cid}",
        )


# -- helpers -----------------------------------------------------------------------------------


def _utc_aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _wire_time(moment: datetime) -> str:
    """UTC without offset, as ``dates_are_gmt=true`` expects."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _parse_time(value: Any) -> datetime | None:
    """A ``*_gmt`` value (UTC, no ``Z``) → aware UTC."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return _utc_aware(parsed)


def _time(row: dict[str, Any], field: str) -> datetime | None:
    """``field_gmt`` as UTC; the site-time twin only when there is no ``_gmt`` (best effort)."""
    return _parse_time(row.get(f"{field}_gmt")) or _parse_time(row.get(field))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _int_or(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _as_list(data: Any, store: str) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        raise StoreError(
            "protocol", f"store {store}: expected a list from the shop, got {type(data).__name__}"
        )
    return [row for row in data if isinstance(row, dict)]


def _error_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _no_route(response: httpx.Response, code: str) -> bool:
    """``/wp-json/`` is missing: WP says ``rest_no_route``, or the web server's own 404 page."""
    return response.status_code == 404 and code in ("rest_no_route", "")


def _key_missing(response: httpx.Response, code: str, message: str) -> bool:
    """The Authorization header never reached WordPress (stripped by the web server)."""
    if response.status_code != 401:
        return False
    text = message.lower()
    return "consumer key is missing" in text or code == "woocommerce_rest_cannot_view"


def _address(parts: dict[str, Any]) -> str:
    def get(key: str) -> str:
        return str(parts.get(key) or "").strip()

    name = " ".join(p for p in (get("first_name"), get("last_name")) if p)
    town = " ".join(p for p in (get("postcode"), get("city")) if p)
    region = ", ".join(p for p in (get("state"), get("country")) if p)
    lines = [name, get("company"), get("address_1"), get("address_2"), town, region]
    return "\n".join(line for line in lines if line)


def _shipments(order_id: int, meta: Iterable[Any]) -> list[RemoteShipment]:
    """Shipment Tracking / AST items from the order meta (§3.4): label_created + shipped_at."""
    found: list[RemoteShipment] = []
    for entry in meta:
        if not isinstance(entry, dict) or entry.get("key") != TRACKING_META:
            continue
        items = entry.get("value") or []
        if isinstance(items, dict):
            items = list(items.values())
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if not isinstance(item, dict):
                continue
            number = str(item.get("tracking_number") or "").strip()
            carrier = str(
                item.get("custom_tracking_provider") or item.get("tracking_provider") or ""
            ).strip()
            url = str(item.get("custom_tracking_link") or item.get("tracking_link") or "").strip()
            if not url and number:
                template = _PROVIDER_URLS.get(carrier.lower())
                url = template.format(n=number) if template else ""
            found.append(
                RemoteShipment(
                    remote_id=str(item.get("tracking_id") or f"{order_id}:{index}"),
                    carrier=carrier,
                    tracking_number=number,
                    tracking_url=url or None,
                    status="label_created",
                    shipped_at=_shipped(item.get("date_shipped")),
                )
            )
    return found


def _shipped(value: Any) -> datetime | None:
    """Unix seconds in the meta; ``YYYY-MM-DD`` over the plugin's REST route."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    return _parse_time(text)
