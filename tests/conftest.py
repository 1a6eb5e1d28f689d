"""Shared fixtures: isolation from the user's real config and data, and the demo store."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentconsole.demo import DEMO_NOW, build_demo
from agentconsole.store.db import Store

pytest_plugins = ["tests.servers.fixtures"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real ~/.config or ~/.local/share; fixed zone; no blink."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("AGENTCONSOLE_CONFIG", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session")
def demo_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop, built once per run (copy it before writing)."""
    path = tmp_path_factory.mktemp("demo-build") / "store.db"
    store = Store(path)
    build_demo(store, now=DEMO_NOW)
    store.close()
    return path
