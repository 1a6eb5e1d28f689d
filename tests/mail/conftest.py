"""Mail test fixtures: a fresh Dovecot user with an account and settings pointing at it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mail.sync_helpers import account, settings_for
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser


@pytest.fixture
def setup(dovecot: Dovecot, imap_user: ImapUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    acct = account(dovecot, imap_user, monkeypatch)
    return dovecot, imap_user, settings_for(tmp_path, acct)
