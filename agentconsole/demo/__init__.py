"""The deterministic demo shop: a homeware and linen shop with customers in six languages.

``build_demo(store)`` fills an empty store with the same shop every time (for a given seed and
``now``), so the demo console, snapshot tests and benchmarks all see identical data.

Names load on first use (PEP 562): opening the demo console needs only ``RETURNS_URL``, and
the builder pulls in the ORM models — a third of a second at start for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentconsole.demo.shop import DEMO_NOW, DemoSummary, build_demo
    from agentconsole.demo.templates import RETURNS_URL, write_knowledge

__all__ = ["DEMO_NOW", "RETURNS_URL", "DemoSummary", "build_demo", "write_knowledge"]

_HOMES = {
    "DEMO_NOW": "agentconsole.demo.shop",
    "DemoSummary": "agentconsole.demo.shop",
    "build_demo": "agentconsole.demo.shop",
    "RETURNS_URL": "agentconsole.demo.templates",
    "write_knowledge": "agentconsole.demo.templates",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
