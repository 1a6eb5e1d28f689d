"""Pytest fixtures for a real Dovecot IMAP server (skipped when Dovecot is not installed).

Register once for the whole suite in tests/conftest.py with
``pytest_plugins = ["tests.servers.fixtures"]``.

- ``dovecot``: one plain-IMAP server per test session (per xdist worker); ~0.05 s to start.
- ``dovecot_tls``: another one that also listens with implicit TLS (``tls_port``, ``cert_path``).
- ``imap_user``: a fresh user on ``dovecot`` for each test, so tests never see each other's mail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import pytest

from tests.servers.dovecot import Dovecot, dovecot_available

__all__ = ["SKIP_REASON", "ImapUser", "dovecot", "dovecot_tls", "imap_user"]

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
