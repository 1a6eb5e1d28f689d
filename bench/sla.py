"""SLA due-time benchmark on a synthetic store; prints JSON.

Targets (issue 7, point 6): the first full computation of due times for 30,000 conversations
well under 1 s; a refresh with nothing to do well under 5 ms. Measured:

- ``first_refresh_s``: every conversation has no due time yet (as after migration 0008).
- ``noop_refresh_ms``: nothing changed since the last refresh (``PRAGMA data_version`` says so).
- ``noop_scan_ms``: something unrelated was committed (as the mail sync does all the time), so
  the refresh scans the table in SQLite and finds nothing stale.
- ``incremental_refresh_ms``: 100 conversations got a new customer message.
Each twice: on the schema of migration 0008 (the refresh scans the table), and with
``PROPOSED_INDEXES`` added (two index probes).

- ``add_us`` / ``between_us``: one business-time addition / measurement on the example config
  (Europe/Berlin, lunch break, short Fridays, holidays), cold and warm caches; ``add_2w_us`` a
  two-week target.

Data: ``--conversations`` (30,000) over 5,000 customers, seeded: 60 % closed, 30 % open, 5 %
pending, 5 % snoozed; 70 % e-mail, 15 % chat, 10 % phone, 5 % social; three quarters of the
conversations that are not closed have a customer waiting (since up to 30 days ago), half of
them for a first response. ``all_waiting``: the first refresh when every one of them is open
with a customer waiting (the worst case for the first computation).

Usage: ``uv run python bench/sla.py [--conversations 30000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentconsole.clock import FixedClock  # noqa: E402
from agentconsole.config import AgentSection, Settings, StoreSection  # noqa: E402
from agentconsole.config_triage import SlaSection  # noqa: E402
from agentconsole.services.business_hours import BusinessCalendar  # noqa: E402
from agentconsole.services.sla import PROPOSED_INDEXES, SlaService  # noqa: E402
from agentconsole.store.db import Store  # noqa: E402
from agentconsole.store.reader import stored_time  # noqa: E402

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
WORKDAY = ["09:00-12:30", "13:30-17:00"]
SLA = SlaSection(
    timezone="Europe/Berlin",
    hours={"mon": WORKDAY, "tue": WORKDAY, "wed": WORKDAY, "thu": WORKDAY, "fri": ["09:00-15:00"]},
    holidays=[date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)],
)


def seed(store: Store, conversations: int, rng: random.Random, all_waiting: bool = False) -> None:
    customers = 5_000
    created = stored_time(NOW - timedelta(days=400))
    with store.write(bulk=True) as db:
        db.executemany(
            "INSERT INTO customer (id, name, language, notes, created_at) VALUES (?, ?, 'en', '', ?)",
            ((i, f"Customer {i}", created) for i in range(1, customers + 1)),
        )
        rows = []
        for i in range(1, conversations + 1):
            status = rng.choices(("closed", "open", "pending", "snoozed"), (60, 30, 5, 5))[0]
            status = "open" if all_waiting else status
            channel = rng.choices(("email", "chat", "phone", "social"), (70, 15, 10, 5))[0]
            last = NOW - timedelta(seconds=rng.randrange(30 * 86400))
            waiting = last if all_waiting or (status != "closed" and rng.random() < 0.75) else None
            answered = None if waiting is not None and rng.random() < 0.5 else last
            rows.append(
                (
                    i,
                    f"Subject {i}",
                    status,
                    channel,
                    rng.randrange(1, customers + 1),
                    stored_time(answered),
                    stored_time(waiting),
                    stored_time(last),
                    stored_time(last - timedelta(days=1)),
                )
            )
        db.executemany(
            "INSERT INTO conversation (id, subject, status, channel, customer_id,"
            " first_response_at, waiting_since, last_message_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def summary_ms(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median": round(statistics.median(ordered) * 1000, 3),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3),
    }


def bench_calendar(rng: random.Random) -> dict[str, float]:
    starts = [NOW - timedelta(seconds=rng.randrange(60 * 86400)) for _ in range(20_000)]
    day, two_weeks = timedelta(hours=24), timedelta(weeks=2)
    cold = BusinessCalendar.from_config(SLA)
    started = time.perf_counter()
    for start in starts:
        cold.add(start, day)
    cold_us = (time.perf_counter() - started) / len(starts) * 1e6
    started = time.perf_counter()
    for start in starts:
        cold.add(start, day)
    warm_us = (time.perf_counter() - started) / len(starts) * 1e6
    started = time.perf_counter()
    for start in starts:
        cold.add(start, two_weeks)
    two_weeks_us = (time.perf_counter() - started) / len(starts) * 1e6
    started = time.perf_counter()
    for start in starts:
        cold.between(start, NOW)
    between_us = (time.perf_counter() - started) / len(starts) * 1e6
    return {
        "add_cold_us": round(cold_us, 2),
        "add_us": round(warm_us, 2),
        "add_2w_us": round(two_weeks_us, 2),
        "between_us": round(between_us, 2),
    }


def bench_first(home: Path, conversations: int) -> dict[str, object]:
    """The first refresh when every conversation has a customer waiting (the worst case)."""
    settings = Settings(store=StoreSection(home=home), sla=SLA)
    store = Store(settings.store_path)
    seed(store, conversations, random.Random(7), all_waiting=True)
    sla = SlaService(store, settings, FixedClock(NOW))
    started = time.perf_counter()
    computed = sla.refresh()
    first = time.perf_counter() - started
    store.close()
    return {"first_refresh_s": round(first, 3), "first_refresh_rows": computed}


def bench_store(home: Path, conversations: int, indexes: bool) -> dict[str, object]:
    rng = random.Random(7)
    settings = Settings(
        store=StoreSection(home=home),
        agent=AgentSection(name="Bench", handle="bench", timezone="Europe/Berlin"),
        sla=SLA,
    )
    store = Store(settings.store_path)
    seed(store, conversations, rng)
    if indexes:
        with store.write() as db:
            for ddl in PROPOSED_INDEXES:
                db.execute(ddl)
    with store.read() as db:
        waiting = db.scalar(
            "SELECT count(*) FROM conversation WHERE status != 'closed'"
            " AND waiting_since IS NOT NULL"
        )
    sla = SlaService(store, settings, FixedClock(NOW))

    started = time.perf_counter()
    computed = sla.refresh()
    first = time.perf_counter() - started

    noop = timed(sla.refresh, 200)

    scans = []
    for round_ in range(100):
        with store.write() as db:  # something unrelated, as the mail sync commits
            db.execute("UPDATE customer SET notes = ? WHERE id = 1", (f"note {round_}",))
        scans += timed(sla.refresh, 1)
    assert sla.refresh() == 0

    incremental = []
    for round_ in range(20):
        ids = rng.sample(range(1, conversations + 1), 100)
        at = stored_time(NOW + timedelta(minutes=round_ + 1))
        with store.write() as db:
            db.executemany(
                "UPDATE conversation SET waiting_since = ?, status = 'open' WHERE id = ?",
                ((at, i) for i in ids),
            )
        incremental += timed(sla.refresh, 1)
    store.close()
    return {
        "with_due_time": waiting,
        "first_refresh_s": round(first, 3),
        "first_refresh_rows": computed,
        "noop_refresh_ms": summary_ms(noop),
        "noop_scan_ms": summary_ms(scans),
        "incremental_refresh_ms": summary_ms(incremental),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=30_000)
    args = parser.parse_args()
    results: dict[str, object] = {"conversations": args.conversations}
    for label, indexes in (("schema_0008", False), ("proposed_indexes", True)):
        with tempfile.TemporaryDirectory() as tmp:
            results[label] = bench_store(Path(tmp), args.conversations, indexes)
    with tempfile.TemporaryDirectory() as tmp:
        results["all_waiting"] = bench_first(Path(tmp), args.conversations)
    results.update(bench_calendar(random.Random(7)))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
