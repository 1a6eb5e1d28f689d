"""Services over a copy of the demo store, on the demo's fixed clock."""

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


@pytest.fixture
def services(demo_store_file: Path, tmp_path: Path) -> Iterator[Services]:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_store_file, home / "store.db")
    write_knowledge(home / "knowledge")
    settings = Settings(
        store=StoreSection(home=home),
        agent=AgentSection(
            name="Mara Lind", handle="mara", timezone="Europe/Berlin", signature="Mara"
        ),
        outgoing=OutgoingSection(transport="maildir"),
        shop=ShopSection(return_policy_url=RETURNS_URL),
    )
    svc = Services.open(settings, FixedClock(DEMO_NOW))
    yield svc
    svc.close()
