"""Helpers for the raw SQL the services run (fast paths that skip ORM row objects)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agentconsole.clock import utc


def as_utc(value: Any) -> Any:
    """SQLite hands raw queries ISO text; turn it (or a naive datetime) into aware UTC."""
    if value is None:
        return None
    return utc(datetime.fromisoformat(value)) if isinstance(value, str) else utc(value)
