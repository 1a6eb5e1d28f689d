"""Helpers for the sync tests: an account on the Dovecot fixture, a store, one sync run."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agentconsole.clock import FixedClock
from agentconsole.config import AccountConfig, Settings, StoreSection
from agentconsole.mail import sync as sync_module
from agentconsole.mail.sync import AccountSync
from agentconsole.store.db import Store
from tests.servers.dovecot import Dovecot
from tests.servers.fixtures import ImapUser
from tests.servers.mailgen import make_message

SHOP = "support@shop.example"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def account(
    dovecot: Dovecot, user: ImapUser, monkeypatch: pytest.MonkeyPatch, **overrides: object
) -> AccountConfig:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", user.password)
    fields: dict[str, object] = {
        "name": "shop",
        "email": SHOP,
        "username": user.name,
        "imap_host": "127.0.0.1",
        "imap_port": dovecot.port,
        "imap_tls": "none",
        "password_env": "TEST_IMAP_PASSWORD",
    }
    fields.update(overrides)
    return AccountConfig(**fields)  # type: ignore[arg-type]


def settings_for(tmp_path: Path, *accounts: AccountConfig) -> Settings:
    return Settings(store=StoreSection(home=tmp_path / "home"), accounts=list(accounts))


def run_once(settings: Settings, acct: AccountConfig | None = None) -> sync_module.AccountReport:
    store = Store(settings.store_path)
    try:
        engine = AccountSync(store, settings, acct or settings.accounts[0], clock=FixedClock(NOW))
        return asyncio.run(engine.run_once())
    finally:
        store.close()


def rows(settings: Settings, sql: str, **params: object) -> list:  # type: ignore[type-arg]
    store = Store(settings.store_path)
    try:
        with store.read() as db:
            return db.all(sql, params)
    finally:
        store.close()


def msg(i: int, **kw: object) -> bytes:
    kw.setdefault("to", f"Shop <{SHOP}>")
    kw.setdefault("date", NOW - timedelta(days=3) + timedelta(minutes=i))
    return make_message(i, **kw)  # type: ignore[arg-type]
