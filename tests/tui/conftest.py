"""Console fixtures: the demo shop built once, copied per test, services on a fixed clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentconsole.clock import FixedClock
from agentconsole.config import (
    AgentSection,
    OutgoingSection,
    Settings,
    ShopSection,
    StoreSection,
)
from agentconsole.demo import DEMO_NOW, RETURNS_URL, write_knowledge
from agentconsole.services.context import Services
from agentconsole.tui.app import AgentConsoleApp, make_console

SIGNATURE = "Mara Lind · Lindenhof customer care"


def demo_settings(
    home: Path, keys: dict[str, str] | None = None, *, undo_seconds: float = 10
) -> Settings:
    return Settings(
        store=StoreSection(home=home),
        agent=AgentSection(
            name="Mara Lind", handle="mara", timezone="Europe/Berlin", signature=SIGNATURE
        ),
        outgoing=OutgoingSection(transport="maildir", undo_seconds=undo_seconds),
        shop=ShopSection(return_policy_url=RETURNS_URL),
        keys=keys or {},
    )


@pytest.fixture
def home(demo_store_file: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_store_file, home / "store.db")
    write_knowledge(home / "knowledge")
    return home


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    svc = Services.open(demo_settings(home), FixedClock(DEMO_NOW))
    yield svc
    svc.close()


@pytest.fixture
def app(services: Services) -> AgentConsoleApp:
    return make_console(services)
