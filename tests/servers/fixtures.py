"""Pytest fixtures for a real Dovecot IMAP server (skipped when Dovecot is not installed).

Register once for the whole suite in tests/conftest.py with
``pytest_plugins = ["tests.servers.fixtures"]``.

- ``dovecot``: one plain-IMAP server per test session (per xdist worker); ~0.05 s to start.
- ``dovecot_tls``: another one that also listens with implicit TLS (``tls_port``, ``cert_path``).
- ``imap_user``: a fresh user on ``dovecot`` for each test, so tests never see each other's mail.
- ``smtp_server``: a fresh aiosmtpd server per test (STARTTLS + AUTH shop/smtp-secret);
  ``smtp_factory(**options)`` starts others (plaintext, implicit TLS, no AUTH, faults: see
  ``tests/servers/smtp.py``); ``smtp_cert``: the session's self-signed certificate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import pytest

from tests.servers.certs import Cert, make_cert
from tests.servers.dovecot import Dovecot, dovecot_available
from tests.servers.smtp import SmtpServer

__all__ = [
    "SKIP_REASON",
    "SMTP_PASSWORD",
    "SMTP_USER",
    "ImapUser",
    "dovecot",
    "dovecot_tls",
    "fake_shopify",
    "imap_user",
    "shopify_config",
    "smtp_cert",
    "smtp_factory",
    "smtp_server",
    "woocommerce",
    "woocommerce_config",
]

# One server per session even if this module's fixtures are reachable twice (plugin + a conftest
# star import): the first fixture to run starts it and owns it, the other reuses it.
_SERVERS: pytest.StashKey[dict[bool, Dovecot]] = pytest.StashKey()

SKIP_REASON = "dovecot is not installed (apt-get install dovecot-imapd; .ci/run installs it)"


class ImapUser(NamedTuple):
    """Login of a throwaway mailbox owner; unpacks as ``name, password``."""

    name: str
    password: str


def _session_server(request: pytest.FixtureRequest, *, tls: bool) -> Iterator[Dovecot]:
    if not dovecot_available():
        pytest.skip(SKIP_REASON)
    servers = request.config.stash.setdefault(_SERVERS, {})
    if tls in servers:
        yield servers[tls]
        return
    with Dovecot(tls=tls) as server:
        servers[tls] = server
        try:
            yield server
        finally:
            del servers[tls]


@pytest.fixture(scope="session")
def dovecot(request: pytest.FixtureRequest) -> Iterator[Dovecot]:
    """A running plain-IMAP Dovecot shared by the session; add users, not global state."""
    yield from _session_server(request, tls=False)


@pytest.fixture(scope="session")
def dovecot_tls(request: pytest.FixtureRequest) -> Iterator[Dovecot]:
    """A running Dovecot with an implicit-TLS listener on ``tls_port`` (cert at ``cert_path``)."""
    yield from _session_server(request, tls=True)


@pytest.fixture
def imap_user(dovecot: Dovecot) -> ImapUser:
    """A new user with an empty INBOX and a Sent folder, unique to this test."""
    return ImapUser(*dovecot.new_user())


# -- SMTP (aiosmtpd) ---------------------------------------------------------------------------

SMTP_USER = "shop"
SMTP_PASSWORD = "smtp-secret"


@pytest.fixture(scope="session")
def smtp_cert(tmp_path_factory: pytest.TempPathFactory) -> Cert:
    """One self-signed certificate (localhost, 127.0.0.1) for every SMTP server of the session."""
    return make_cert(tmp_path_factory.mktemp("smtp-cert"))


@pytest.fixture
def smtp_factory(smtp_cert: Cert) -> Iterator[Callable[..., SmtpServer]]:
    """Start SMTP servers with any ``SmtpServer`` options; all are stopped after the test.

    ``smtp_factory(implicit_tls=True, auth={"shop": "smtp-secret"})`` returns a started server
    (the session's certificate is used unless ``cert=`` is given).
    """
    servers: list[SmtpServer] = []

    def start(**options: Any) -> SmtpServer:
        options.setdefault("cert", smtp_cert)
        server = SmtpServer(**options)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def smtp_server(smtp_factory: Callable[..., SmtpServer]) -> SmtpServer:
    """A fresh submission-like server for this test: STARTTLS offered (not required), AUTH
    PLAIN/LOGIN for user ``SMTP_USER`` / ``SMTP_PASSWORD`` ("shop" / "smtp-secret") offered only
    after STARTTLS, MAIL refused with 530 without login, SMTPUTF8 and 8BITMIME offered.

    Point an account at it with ``server.config_fields()`` (smtp_host, smtp_port,
    smtp_tls="starttls", tls_ca_file=server.cert_path).
    """
    return smtp_factory(starttls=True, auth={SMTP_USER: SMTP_PASSWORD})


# -- WooCommerce (fake REST API v3) ------------------------------------------------------------

WOO_SECRET_ENV = "AGENTCONSOLE_TEST_WOO_SECRET"


@pytest.fixture
def woocommerce() -> Iterator[Any]:
    """A fresh fake WooCommerce (``tests/servers/fake_woocommerce.py``) seeded with the §5.3 set
    (``seed_standard``; ids by name on ``shop.seeded``); stopped after the test."""
    from tests.servers.fake_woocommerce import FakeWooCommerce, seed_standard

    with FakeWooCommerce() as shop:
        seed_standard(shop)
        yield shop


@pytest.fixture
def woocommerce_config(woocommerce: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A ``StoreConfig`` "shop2" pointing at ``woocommerce``; the secret comes from an env var."""
    from agentconsole.config import StoreConfig

    monkeypatch.setenv(WOO_SECRET_ENV, woocommerce.consumer_secret)
    return StoreConfig(
        name="shop2",
        platform="woocommerce",
        url=woocommerce.url,
        currency="EUR",
        consumer_key=woocommerce.consumer_key,
        password_env=WOO_SECRET_ENV,
    )


# -- Shopify (fake GraphQL Admin API) ------------------------------------------------------------

SHOPIFY_TOKEN_ENV = "AGENTCONSOLE_TEST_SHOPIFY_TOKEN"


@pytest.fixture
def fake_shopify() -> Iterator[Any]:
    """A fresh, empty fake Shopify (``tests/servers/fake_shopify.py``) for this test; seed it
    with ``add_customer``/``add_order`` or ``seed_reference_shop()``. Static-token auth."""
    from tests.servers.fake_shopify import FakeShopify

    with FakeShopify() as shop:
        yield shop


@pytest.fixture
def shopify_config(fake_shopify: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A ``StoreConfig`` "lindenhof" pointing at ``fake_shopify``; the token comes from an env
    var."""
    from agentconsole.config import StoreConfig

    monkeypatch.setenv(SHOPIFY_TOKEN_ENV, fake_shopify.token)
    return StoreConfig(
        name="lindenhof",
        platform="shopify",
        url=fake_shopify.url,
        currency="EUR",
        password_env=SHOPIFY_TOKEN_ENV,
    )
