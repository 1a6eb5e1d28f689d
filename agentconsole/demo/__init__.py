"""The deterministic demo shop: a homeware and linen shop with customers in six languages.

``build_demo(store)`` fills an empty store with the same shop every time (for a given seed and
``now``), so the demo console, snapshot tests and benchmarks all see identical data.
"""

from agentconsole.demo.shop import DEMO_NOW, DemoSummary, build_demo
from agentconsole.demo.templates import RETURNS_URL, write_knowledge

__all__ = ["DEMO_NOW", "RETURNS_URL", "DemoSummary", "build_demo", "write_knowledge"]
