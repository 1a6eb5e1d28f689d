"""Knowledge-base benchmark on the demo shop: indexing the folder, the no-change refresh done
before every use, filling a template for a conversation, suggestions, language detection.
Prints JSON. (Issue 6 names no targets; these are the costs a key press in the composer pays.)

Usage: ``uv run python bench/knowledge.py [--rounds N]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from agentconsole.clock import FixedClock
from agentconsole.config import Settings, StoreSection
from agentconsole.demo import DEMO_NOW, build_demo, write_knowledge
from agentconsole.services.context import Services
from agentconsole.services.language import detect
from agentconsole.store.db import Store


def timed(fn: Callable[[], object], rounds: int) -> dict[str, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        store = Store(home / "store.db")
        build_demo(store, now=DEMO_NOW)
        store.close()
        files = write_knowledge(home / "knowledge")
        services = Services.open(Settings(store=StoreSection(home=home)), FixedClock(DEMO_NOW))
        start = time.perf_counter()
        services.knowledge.refresh()
        first_index_s = time.perf_counter() - start
        with services.store.read() as db:
            conversation = db.scalar(
                "SELECT id FROM conversation WHERE subject LIKE 'Wo bleibt meine Bestellung%'"
                " ORDER BY id LIMIT 1"
            )
            texts = db.scalars(
                "SELECT body_text FROM message WHERE direction = 'inbound' AND channel = 'email'"
            )
        template = services.knowledge.find("where-is-my-order", "de")
        services.replies.fill(template, conversation)  # Jinja and Babel loaded once
        services.replies.suggestions(conversation)
        result = {
            "benchmark": "knowledge",
            "files": len(files),
            "first_index_s": round(first_index_s, 3),
            "refresh_no_change": timed(services.knowledge.refresh, args.rounds),
            "fill_template": timed(
                lambda: services.replies.fill(template, conversation), args.rounds
            ),
            "suggestions": timed(lambda: services.replies.suggestions(conversation), args.rounds),
            "language_of_conversation": timed(
                lambda: services.replies.language(conversation), args.rounds
            ),
            "detect_per_message": timed(lambda: [detect(t) for t in texts[:100]], 20),
        }
        result["detect_per_message"] = {
            k: round(v / 100, 4) for k, v in result["detect_per_message"].items()
        }
        services.close()
        print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
