"""Console benchmark on the demo store (large by default): start, j/k, views, search, memory.

Prints one JSON object. Targets (issue 7, on the large demo: 100,000 messages): start to an
interactive inbox ≤ 1 s; ``j``/``k`` repaint ≤ 16 ms p95; switching views ≤ 50 ms p95; search
queries (free text and fields combined) ≤ 20 ms p95; resident memory ≤ 250 MB.

The console is opened as ``agentconsole demo`` opens it: the demo's settings
(``cli.demo._demo_settings``: agent Mara, team, SLA hours, saved views, macros) over the demo
store, with the clock standing at the demo's build time (``demo.json``), so ages, due times and
``after:1w`` mean what they meant when it was built and the console finds no snoozes to wake.

- ``start_s``: a fresh Python process imports the console, opens the demo store and runs the
  app headless until the inbox is painted and focused (interpreter boot excluded, measured
  separately as ``python_boot_s``); median of ``--runs`` after a warm-up run. ``start_rss_mb``
  is that process's resident memory then (VmRSS; ``start_hwm_mb`` its peak, VmHWM).
  ``start_painted_s``: when the first frame showing the focused inbox's conversations was
  handed to the driver (``start_s`` waits further, for the process to go idle: the sidebar's
  view counts and the first housekeeping run in worker threads after the first frame).
  ``start_first_key_s``: in other fresh processes, ``j`` pressed the moment the inbox is
  painted — when the frame showing the moved cursor was handed to the driver: start to an
  inbox that answers keys (the start-up workers still running beside it).
- ``move_ms``: from a ``j``/``k`` key entering the app to the frame that shows the moved
  cursor (the first frame handed to the headless driver after the inbox painted the cursor's
  new row); p50/p95/max over many presses, each after the app went idle (``step``: side panes
  loaded, workers done), and back to back as when a key is held (``held``). Textual paces
  frames (``textual_fps``: ``TEXTUAL_FPS``, which the console sets to 120): a frame waits for
  the next tick.
  A press whose new cursor row is not repainted within ``UNPAINTED_S`` counts as that long and
  in ``move_unpainted``; ``move_*_next_frame`` is to the first frame after the cursor moved,
  whatever it shows (the measure before issue 7).
- ``view_switch_ms``: from a view being chosen in the sidebar (``ViewsList.Chosen``, what
  Enter there posts) to the frame showing the inbox repainted after it loaded the view; every
  built-in and saved view, ``--rounds`` rounds, each switch after the app went idle
  (``view_switch_by_view_p50_ms``: each view's median).
- ``search_console_ms``: from the search box's value being set (``Input.Changed`` →
  ``MainScreen._search_changed``) to the frame showing the inbox repainted with the results,
  in the Inbox view, for a handful of queries, ``--rounds`` rounds (the box cleared and the
  app idle between queries).
- ``search``: service level, what one search costs the console: ``InboxService.count`` +
  ``page(view, 0, 100)`` (the first page: what the list paints), each run on a fresh
  evaluation (the service keeps a search's matches until the store changes: forgotten first), for ~35 queries of three kinds
  (``text``: free text in the demo's languages, names, order numbers; ``fields``; ``combined``),
  each ``--repeat`` times, within the Inbox view and within All. p50/p95/max per kind and
  overall; ``slowest`` lists the queries with the highest median (count and page apart).
- ``rss_mb``: the measuring process (the console, not the demo builder: that runs in a child
  process) — its peak resident memory (``ru_maxrss``) after the console runs, and at the end.

Usage: ``uv run python bench/console.py [--size small|large] [--home DIR] [--runs N]
[--presses N] [--rounds N] [--repeat N]``. The large demo is built once into ``--home``
(default ``/tmp/agentconsole-bench-large``) and reused; the small one into a temporary home.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

DEFAULT_LARGE_HOME = Path("/tmp/agentconsole-bench-large")

_START_SCRIPT = r"""
import time, asyncio, sys
t0 = time.perf_counter()
from datetime import datetime
from pathlib import Path
import agentconsole.cli.root  # what the console script imports before opening the console
from agentconsole.cli.demo import _demo_settings
from agentconsole.clock import FixedClock
from agentconsole.config import Settings
from agentconsole.services.context import Services
from agentconsole.tui.app import make_console
from agentconsole.tui.widgets.inbox_list import InboxList
t_import = time.perf_counter()
home = Path(sys.argv[1])
now = datetime.fromisoformat(sys.argv[2])
MODE = sys.argv[3]  # "idle": until the process is idle; "key": until a j right away shows

def status_mb(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0

# The first time the focused inbox paints a conversation, and the frames handed to the driver.
painted, frames = [], []
render_line = InboxList.render_line
def recording_render_line(self, y):
    if not painted and self.count and self.has_focus:
        painted.append(time.perf_counter())
    return render_line(self, y)
InboxList.render_line = recording_render_line

async def main():
    settings = _demo_settings(Settings(), home)
    services = Services.open(settings, FixedClock(now))
    app = make_console(services)
    display = app._display
    def recording_display(screen, renderable):
        frames.append(time.perf_counter())
        return display(screen, renderable)
    app._display = recording_display
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        while not (getattr(screen, "inbox", None) and screen.inbox.count and screen.inbox.has_focus):
            await pilot.pause()
            screen = app.screen
        if MODE == "key":
            # j the moment the inbox is on screen: the frame that shows the cursor moved.
            while not painted:
                await asyncio.sleep(0.001)
            from textual import events
            app.post_message(events.Key("j", "j"))
            while screen.inbox.cursor == 0:
                await asyncio.sleep(0.001)
            moved = time.perf_counter()
            while not any(t > moved for t in frames):
                await asyncio.sleep(0.001)
            ready = next(t for t in frames if t > moved)
        else:
            await pilot.pause()
            ready = time.perf_counter()
        rss, hwm = status_mb("VmRSS"), status_mb("VmHWM")
    frame = next(t for t in frames if t >= painted[0])
    return ready, frame, rss, hwm, services

ready, frame, rss, hwm, services = asyncio.run(main())
services.close()  # as the CLI does: after the loop waited for the worker threads
print(f"{t_import - t0} {ready - t0} {frame - t0} {rss} {hwm}")
"""


REPEAT_S = 1 / 30
LONG_RUNNING = {"mail-sync", "outbox", "shop-sync"}
"""Worker groups that run until the console quits: never waited for."""

CONSOLE_QUERIES = (
    "teapot",
    "Bestellung",
    '"where is"',
    "tag:shipping",
    "lang:de Bestellung after:2w",
    "NOT status:pending teapot",
)
"""Typed in the console's search box (within the Inbox view)."""


def service_queries(home: Path) -> list[tuple[str, str]]:
    """(kind, query): realistic searches over the demo; names and order numbers that exist."""
    import sqlite3

    con = sqlite3.connect(f"file:{home / 'store.db'}?mode=ro", uri=True)
    try:
        # A deterministic pick (no random()): the same queries on every run of one demo.
        orders = [
            str(r[0])
            for r in con.execute(
                'SELECT o.number FROM "order" o JOIN conversation_order co ON co.order_id = o.id'
                " ORDER BY o.id LIMIT 2 OFFSET 100"
            )
        ] or ["1001", "1002"]
        surname = con.execute("SELECT name FROM customer ORDER BY id LIMIT 1 OFFSET 50").fetchone()
        last_name = surname[0].split()[-1] if surname else "Weber"
        email = con.execute(
            "SELECT value FROM customer_identity WHERE kind = 'email' ORDER BY id LIMIT 1 OFFSET 70"
        ).fetchone()
        address = email[0] if email else "anna@example.com"
    finally:
        con.close()
    text = [
        "teapot",
        "tea",  # a prefix, as while typing
        "Bestellung",
        "commande",
        "pedido",
        "ordine",
        "zamówienie",
        '"where is"',
        "broken teapot",
        last_name,
        "María García",
        f"#{orders[0]}",
        address,
    ]
    fields = [
        "tag:vip",
        "tag:shipping",
        "status:pending",
        "assignee:me",
        "assignee:none",
        f"from:{last_name}",
        "lang:de",
        "after:1w",
        "is:overdue",
        "is:unread",
        f"order:{orders[1]}",
        'subject:"where is"',
        "channel:phone priority:high",
    ]
    combined = [
        "lang:de Bestellung after:2w",
        "tag:returns OR tag:damaged",
        "tag:return OR tag:refund",
        "NOT status:closed teapot",
        f"from:{last_name} tag:shipping",
        "assignee:me is:overdue",
        '"where is" lang:en -tag:shipping',
        "commande OR Bestellung",
        "teapot AND carrier",
        "is:unread lang:fr after:1w",
    ]
    return (
        [("text", q) for q in text]
        + [("fields", q) for q in fields]
        + [("combined", q) for q in combined]
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * q), len(ordered) - 1)], 2)


def spread(prefix: str, values: list[float]) -> dict[str, float]:
    return {
        f"{prefix}_p50_ms": pct(values, 0.5),
        f"{prefix}_p95_ms": pct(values, 0.95),
        f"{prefix}_max_ms": round(max(values), 2),
    }


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def demo_home(size: str, home: Path | None) -> tuple[Path, bool]:
    """Build (or reuse) the demo with the demo command, in a child process; (home, temporary)."""
    temporary = home is None and size == "small"
    if home is None:
        home = (
            DEFAULT_LARGE_HOME
            if size == "large"
            else Path(tempfile.mkdtemp(prefix="agentconsole-bench-"))
        )
    command = [sys.executable, "-m", "agentconsole", "demo", "--size", size]
    command += ["--home", str(home), "--no-open"]
    if size == "small":  # the small demo's fixed time (asked in a child: it loads the ORM)
        now = subprocess.run(
            [sys.executable, "-c", "from agentconsole.demo import DEMO_NOW; print(DEMO_NOW)"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        command += ["--now", now]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return home, temporary


def demo_now(home: Path) -> datetime:
    """The demo's build time: the console's clock (its ages and due times are relative to it)."""
    return datetime.fromisoformat(json.loads((home / "demo.json").read_text())["built_at"])


def open_services(home: Path, now: datetime):  # type: ignore[no-untyped-def]
    from agentconsole.cli.demo import _demo_settings
    from agentconsole.clock import FixedClock
    from agentconsole.config import Settings
    from agentconsole.services.context import Services

    return Services.open(_demo_settings(Settings(), home), FixedClock(now))


def measure_start(home: Path, now: datetime, runs: int) -> dict[str, float]:
    """Median of ``runs`` fresh processes, after one warm-up run that caches bytecode.

    Bytecode caching is forced on (``PYTHONDONTWRITEBYTECODE`` removed): a user's second start
    and every start after it read cached ``.pyc`` files, and that is what this measures.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    boots, imports, starts, painted, rss, hwm, keyed = [], [], [], [], [], [], []

    def start(mode: str) -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", _START_SCRIPT, str(home), now.isoformat(), mode],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout.split()

    for run in range(runs + 1):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
        boots.append(time.perf_counter() - t0)
        out = start("idle")
        if run == 0:
            continue
        keyed.append(float(start("key")[1]))
        imports.append(float(out[0]))
        starts.append(float(out[1]))
        painted.append(float(out[2]))
        rss.append(float(out[3]))
        hwm.append(float(out[4]))
    return {
        "python_boot_s": round(statistics.median(boots), 3),
        "import_s": round(statistics.median(imports), 3),
        "start_s": round(statistics.median(starts), 3),
        "start_max_s": round(max(starts), 3),
        "start_painted_s": round(statistics.median(painted), 3),
        "start_first_key_s": round(statistics.median(keyed), 3),
        "start_first_key_max_s": round(max(keyed), 3),
        "start_rss_mb": round(statistics.median(rss), 1),
        "start_hwm_mb": round(max(hwm), 1),
    }


WAIT_S = 10.0
"""How long to wait for the app before giving up (a benchmark never hangs)."""
UNPAINTED_S = 0.25
"""A j/k press whose new cursor row is not repainted within this long counts as this long
(and in ``move_unpainted``)."""


async def tick(since: float, what: str) -> None:
    """Let the app run a step; fail once it has kept us waiting ``WAIT_S`` for ``what``."""
    if time.perf_counter() - since > WAIT_S:
        raise TimeoutError(f"waited {WAIT_S:.0f} s for {what}")
    await asyncio.sleep(0)


class Frames:
    """Times at which finished frames are handed to the terminal driver, and at which the inbox
    painted its lines (and which rows): the first frame after a paint is the one showing it."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.times: list[float] = []
        self.paints: list[tuple[float, int]] = []
        display = app._display

        def recording_display(screen, renderable):  # type: ignore[no-untyped-def]
            self.times.append(time.perf_counter())
            return display(screen, renderable)

        app._display = recording_display

    def watch(self, inbox) -> None:  # type: ignore[no-untyped-def]
        render_line = inbox.render_line

        def recording_render_line(y: int):  # type: ignore[no-untyped-def]
            self.paints.append((time.perf_counter(), inbox.scroll_offset.y + y))
            return render_line(y)

        inbox.render_line = recording_render_line

    def clear(self) -> None:
        self.times.clear()
        self.paints.clear()

    async def after(self, when: float) -> float:
        """The first frame at ``when`` or later (waiting for it)."""
        while True:
            for t in self.times:
                if t >= when:
                    return t
            await tick(when, "a frame")

    async def painted(
        self, when: float, row: int | None = None, limit: float = WAIT_S
    ) -> float | None:
        """The frame showing the inbox painted at ``when`` or later (``row``: that row); None
        when the inbox has not painted it within ``limit`` seconds."""
        while True:
            for t, y in self.paints:
                if t >= when and (row is None or y == row):
                    return await self.after(t)
            if time.perf_counter() - when > limit:
                return None
            await tick(when, "a paint")


async def measure_console(home: Path, now: datetime, presses: int, rounds: int) -> dict[str, Any]:
    from textual import events

    from agentconsole.tui.app import make_console
    from agentconsole.tui.widgets.views_list import ViewsList

    services = open_services(home, now)
    app = make_console(services)
    frames = Frames(app)
    step: list[float] = []
    held: list[float] = []
    unpainted: list[int] = []
    step_first: list[float] = []
    held_first: list[float] = []
    switches: list[float] = []
    by_view: dict[str, list[float]] = {}
    searches: list[float] = []
    by_query: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        inbox = screen.inbox  # type: ignore[attr-defined]
        frames.watch(inbox)

        async def idle() -> None:
            """Until the side panes loaded and every short worker finished."""
            await pilot.pause()
            since = time.perf_counter()
            while screen.context_due:  # noqa: ASYNC110 - polling the app under test
                await tick(since, "the side panes to load")
            busy = [w for w in app.workers if w.group not in LONG_RUNNING]
            if busy:  # (an empty list would mean "all of them")
                await asyncio.wait_for(app.workers.wait_for_complete(busy), WAIT_S)
            await pilot.pause()
            frames.clear()

        # When the inbox finished loading a view (or search): its next paint shows it.
        loaded: list[float] = []
        load_view = screen._load_view  # type: ignore[attr-defined]

        def timed_load_view(*args, **kwargs):  # type: ignore[no-untyped-def]
            try:
                return load_view(*args, **kwargs)
            finally:
                loaded.append(time.perf_counter())

        screen._load_view = timed_load_view  # type: ignore[attr-defined]

        async def shown(t0: float) -> float:
            """ms from ``t0`` to the frame showing what the inbox loaded when asked at ``t0``."""
            while not loaded:  # noqa: ASYNC110
                await tick(t0, "the inbox to load")
            done = loaded.pop()
            frame = await frames.painted(done)
            if frame is None:
                raise TimeoutError(f"the inbox did not repaint within {WAIT_S:.0f} s")
            return (frame - t0) * 1000

        await idle()

        async def one(key: str, out: list[float], first: list[float]) -> None:
            """Post a key; wait for the cursor to move, then for the frame that shows it (the
            first one after the inbox painted the cursor's new row)."""
            before = inbox.cursor
            t0 = time.perf_counter()
            app.post_message(events.Key(key, key))
            while inbox.cursor == before:  # noqa: ASYNC110
                await tick(t0, f"the cursor to leave row {before}")
            first.append((await frames.after(time.perf_counter()) - t0) * 1000)
            frame = await frames.painted(t0, inbox.cursor, UNPAINTED_S)
            if frame is None:  # the cursor's new row was not repainted (counted at the limit)
                unpainted.append(inbox.cursor)
                frame = t0 + UNPAINTED_S
            out.append((frame - t0) * 1000)

        for i in range(presses):
            await one("j" if (i // 50) % 2 == 0 else "k", step, step_first)
            await idle()
        # A held key: terminals repeat at about 30 keys a second.
        for i in range(presses):
            started = time.perf_counter()
            await one("j" if (i // 50) % 2 == 0 else "k", held, held_first)
            frames.clear()
            await asyncio.sleep(max(REPEAT_S - (time.perf_counter() - started), 0))
        await idle()

        # Views: every one, several rounds (Inbox last, so each switch changes the view).
        views = list(screen.views.views)  # type: ignore[attr-defined]
        order = views[1:] + views[:1]
        for _ in range(rounds):
            for view in order:
                loaded.clear()
                t0 = time.perf_counter()
                screen.views.post_message(ViewsList.Chosen(view))  # type: ignore[attr-defined]
                ms = await shown(t0)
                switches.append(ms)
                by_view.setdefault(view.name, []).append(ms)
                await idle()

        # Console search: typed into the box in the Inbox view.
        screen.action_search()  # type: ignore[attr-defined]
        await idle()
        box = screen.search_box  # type: ignore[attr-defined]
        for _ in range(rounds):
            for query in CONSOLE_QUERIES:
                loaded.clear()
                services.inbox.forget_searches()  # as typed for the first time
                t0 = time.perf_counter()
                box.value = query
                ms = await shown(t0)
                searches.append(ms)
                by_query.setdefault(query, []).append(ms)
                await idle()
                box.value = ""
                await idle()
        after_console = peak_rss_mb()
    services.close()

    return {
        "presses": presses,
        **spread("move_step", step),
        **spread("move_held", held),
        "move_unpainted": len(unpainted),
        **spread("move_step_next_frame", step_first),
        **spread("move_held_next_frame", held_first),
        "view_switches": len(switches),
        **spread("view_switch", switches),
        "view_switch_by_view_p50_ms": {k: pct(v, 0.5) for k, v in by_view.items()},
        "search_console_queries": len(searches),
        **spread("search_console", searches),
        "search_console_by_query_p50_ms": {k: pct(v, 0.5) for k, v in by_query.items()},
        "rss_mb_after_console": after_console,
    }


def measure_search(home: Path, now: datetime, repeat: int) -> dict[str, Any]:
    """Service level: count + first page, as ``InboxList.load`` and its first paint ask."""
    from agentconsole.services.inbox import InboxView

    services = open_services(home, now)
    me = services.settings.agent.handle  # what the console passes (MainScreen._me)
    inbox_view = services.views.view("Inbox")
    assert inbox_view is not None
    scopes = {
        "inbox": lambda q: inbox_view.inbox_view(me, q),
        "all": lambda q: InboxView(statuses=(), search=q, me=me),
    }
    totals: dict[str, dict[str, list[float]]] = {s: {} for s in scopes}
    per_query: list[dict[str, Any]] = []
    try:
        for kind, query in service_queries(home):
            for scope, make in scopes.items():
                view = make(query)
                counts, pages, both = [], [], []
                matched = 0
                for _ in range(repeat):
                    services.inbox.forget_searches()  # each run evaluates the search afresh
                    t0 = time.perf_counter()
                    matched = services.inbox.count(view)
                    t1 = time.perf_counter()
                    services.inbox.page(view, 0, 100)
                    t2 = time.perf_counter()
                    counts.append((t1 - t0) * 1000)
                    pages.append((t2 - t1) * 1000)
                    both.append((t2 - t0) * 1000)
                for key in (kind, "overall"):
                    totals[scope].setdefault(key, []).extend(both)
                per_query.append(
                    {
                        "query": query,
                        "kind": kind,
                        "scope": scope,
                        "matches": matched,
                        "p50_ms": pct(both, 0.5),
                        "count_p50_ms": pct(counts, 0.5),
                        "page_p50_ms": pct(pages, 0.5),
                    }
                )
    finally:
        services.close()
    result: dict[str, Any] = {"queries": len(per_query) // len(scopes), "repeat": repeat}
    for scope, kinds in totals.items():
        for kind, values in kinds.items():
            result.update(spread(f"{scope}_{kind}", values))
    result["slowest"] = sorted(per_query, key=lambda q: -q["p50_ms"])[:10]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="large")
    parser.add_argument("--home", type=Path, help="the demo home (built there if missing)")
    parser.add_argument("--runs", type=int, default=5, help="fresh-process starts")
    parser.add_argument("--presses", type=int, default=300, help="j/k presses (each mode)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over views / searches")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each service search")
    args = parser.parse_args()
    home, temporary = demo_home(args.size, args.home)
    try:
        now = demo_now(home)
        # The console's own frame rate (agentconsole.tui sets TEXTUAL_FPS before Textual reads
        # it): imported first, as the console script does, or Textual settles on its default.
        importlib.import_module("agentconsole.tui")
        from textual.constants import MAX_FPS

        result: dict[str, Any] = {
            "benchmark": "console",
            "size": args.size,
            "home": str(home),
            "textual_fps": MAX_FPS,
        }
        result.update(measure_start(home, now, args.runs))
        result.update(asyncio.run(measure_console(home, now, args.presses, args.rounds)))
        result["search"] = measure_search(home, now, args.repeat)
        result["rss_mb_peak"] = peak_rss_mb()
        result["targets"] = {
            "start_s": 1.0,
            "start_first_key_s": 1.0,
            "start_painted_s": 1.0,
            "move_step_p95_ms": 16.0,
            "move_held_p95_ms": 16.0,
            "view_switch_p95_ms": 50.0,
            "search.inbox_overall_p95_ms": 20.0,
            "search.all_overall_p95_ms": 20.0,
            "rss_mb_peak": 250.0,
            "start_rss_mb": 250.0,
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        if temporary:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
