"""One headless console driven by a brisk, seeded random agent (for tests/test_concurrency.py).

    python -m tests.concurrency_console --config CFG --agent HANDLE --seconds 60 --seed 3 \\
        --log console-3.json

Runs the real Textual app (``app.run_test()``, headless) over the store the config names, as the
``[[team]]`` member HANDLE, and presses triage keys at a human-ish pace: j/k moves, x close,
X reopen, p pending, z snooze (typed answer), Z re-snooze, t tags, A assign, P priority, n note
(F2), space marks + a bulk action, U undo — in the All view, mostly on its first rows. At the
end it writes a JSON log:

- ``actions``: how often each action was attempted; ``trace``: (start s, action, seconds taken);
- ``results``: every ``TriageResult`` the console showed (action, changed, unchanged, batch);
- ``refusals``: every triage request the console answered with a one-line refusal;
- ``notifications``: everything the agent was told (message, title, severity);
- ``errors``: uncaught exceptions anywhere (Textual workers — which fail *silently* with
  ``exit_on_error=False`` —, threads, the event loop, the app itself), with tracebacks;
- ``clean_exit``: the console quit with its own key and the services closed.

Nothing here replaces product code: the app is wrapped (``notify``, ``MainScreen._triaged``,
``Worker._run``) only to watch what it does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

SIZE = (120, 40)
THINK_SECONDS = (0.05, 0.4)
"""Pause between two actions (the agent reads the screen)."""
ASK_SECONDS = 5.0
"""How long to wait for a question (snooze, tags …) to appear before giving up on it."""
START_SECONDS = 60.0
"""How long the console may take to show its inbox (a busy machine)."""
DRAIN_SECONDS = 60.0
"""At the end: how long triage calls still running may take to report."""

TAGS = ("vip", "wholesale", "late", "damaged", "refund", "fragile")
HOT_ROWS = 10
"""Agents mostly work on the first rows of the All view (closed ones stay in it)."""
SNOOZES = ("3h", "2d", "tomorrow 9:00", "reply", "1w", "fri 14:00", "mon 9:00")


class Recorder:
    """Everything one console saw; written as JSON at the end (thread-safe)."""

    def __init__(self, agent: str, seed: int) -> None:
        self._lock = threading.Lock()
        self._t0 = time.monotonic()
        self.actions: Counter[str] = Counter()
        self.data: dict[str, Any] = {
            "agent": agent,
            "seed": seed,
            "pid": os.getpid(),
            "started_at": time.time(),
            "ready_at": None,
            "finished_at": None,
            "trace": [],
            "results": [],
            "refusals": [],
            "notifications": [],
            "errors": [],
            "clean_exit": False,
        }

    def _t(self) -> float:
        return round(time.monotonic() - self._t0, 3)

    def notification(self, message: object, title: object, severity: object) -> None:
        with self._lock:
            self.data["notifications"].append(
                {
                    "t": self._t(),
                    "message": str(message),
                    "title": str(title),
                    "severity": str(severity),
                }
            )

    def result(self, result: object) -> None:
        with self._lock:
            if isinstance(result, str):
                self.data["refusals"].append({"t": self._t(), "message": result})
                return
            self.data["results"].append(
                {
                    "t": self._t(),
                    "action": result.action,  # type: ignore[attr-defined]
                    "changed": list(result.changed),  # type: ignore[attr-defined]
                    "unchanged": list(result.unchanged),  # type: ignore[attr-defined]
                    "batch": result.batch,  # type: ignore[attr-defined]
                    "message": result.message,  # type: ignore[attr-defined]
                }
            )

    def trace(self, action: str, started: float) -> None:
        """One action attempted: when (s after start) and how long it took."""
        with self._lock:
            took = round(time.monotonic() - started, 3)
            self.data["trace"].append((round(started - self._t0, 3), action, took))

    def error(self, where: str, exc: BaseException | None, detail: str = "") -> None:
        with self._lock:
            self.data["errors"].append(
                {
                    "t": self._t(),
                    "where": where,
                    "error": f"{type(exc).__name__}: {exc}" if exc is not None else detail,
                    "traceback": "".join(traceback.format_exception(exc))
                    if exc is not None
                    else "",
                }
            )

    def write(self, path: Path) -> None:
        with self._lock:
            self.data["actions"] = dict(self.actions)
            text = json.dumps(self.data, indent=1, ensure_ascii=False, default=str)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)


# -- watching the app --------------------------------------------------------------------------


def watch_workers(rec: Recorder) -> None:
    """Record every Textual worker that ends in an error: the console's workers are
    ``exit_on_error=False``, so such an error is otherwise invisible (nothing is shown)."""
    from textual.worker import Worker, WorkerState

    original = Worker._run

    async def _run(self: Worker[Any], app: Any) -> None:
        await original(self, app)
        if self.state == WorkerState.ERROR and self.error is not None:
            rec.error(f"worker {self.group}/{self.name}", self.error)

    Worker._run = _run  # type: ignore[method-assign]


def watch_threads(rec: Recorder) -> None:
    def hook(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "?"
        rec.error(f"thread {name}", args.exc_value)

    threading.excepthook = hook


def watch_app(app: Any, rec: Recorder) -> None:
    """What the agent is told, and every triage result the main screen reports."""
    notify = app.notify

    def recording_notify(message: str, **kwargs: Any) -> None:
        rec.notification(message, kwargs.get("title", ""), kwargs.get("severity", "information"))
        notify(message, **kwargs)

    app.notify = recording_notify
    screen = app.main_screen
    triaged = screen._triaged

    def recording_triaged(result: Any, clear_marks: bool) -> None:
        rec.result(result)
        triaged(result, clear_marks)

    screen._triaged = recording_triaged


# -- the agent ---------------------------------------------------------------------------------


class Agent:
    """Random triage at a brisk human pace; every action leaves the main screen on top."""

    def __init__(self, pilot: Any, rng: random.Random, rec: Recorder, handles: list[str]) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.rng = rng
        self.rec = rec
        self.handles = handles
        self.notes = 0
        self.actions: list[tuple[str, int, Callable[[], Awaitable[None]]]] = [
            ("move", 30, self.move),
            ("close", 10, lambda: self.key("x")),
            ("reopen", 6, lambda: self.key("X")),
            ("pending", 7, lambda: self.key("p")),
            ("snooze", 6, self.snooze),
            ("resnooze", 4, lambda: self.key("Z")),
            ("tag", 7, self.tag),
            ("assign", 5, self.assign),
            ("priority", 4, self.priority),
            ("note", 5, self.note),
            ("bulk", 6, self.bulk),
            ("undo", 7, lambda: self.key("U")),
        ]

    @property
    def main(self) -> Any:
        return self.app.main_screen

    async def step(self) -> None:
        name, _, act = self.rng.choices(self.actions, weights=[w for _, w, _ in self.actions])[0]
        self.rec.actions[name] += 1
        started = time.monotonic()
        await act()
        await self.back_to_main()
        self.rec.trace(name, started)

    async def key(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        """Into the focused field, as a paste (key by key costs a repaint per character:
        several seconds a word on a busy machine)."""
        from textual.events import Paste

        focused = self.app.screen.focused
        if focused is None:
            await self.pilot.press(*text)
            return
        focused.post_message(Paste(text))
        await self.pilot.pause()

    async def asked(self) -> bool:
        """Wait for the question screen a key opens (False: none came, e.g. no row)."""
        from agentconsole.tui.screens.ask import AskScreen

        deadline = time.monotonic() + ASK_SECONDS
        while time.monotonic() < deadline:
            if isinstance(self.app.screen, AskScreen):
                return True
            await self.pilot.pause(0.02)
        return False

    async def back_to_main(self) -> None:
        for _ in range(5):
            if self.app.screen is self.main:
                return
            await self.pilot.press("escape")
            await self.pilot.pause(0.05)

    # -- actions ------------------------------------------------------------------------------

    async def move(self) -> None:
        """Mostly within the first rows of the queue, where every agent works (the hot set:
        two agents, or an agent and a customer's mail, on one conversation at once)."""
        if self.rng.random() < 0.5:
            await self.key("g")
            for _ in range(self.rng.randint(0, HOT_ROWS - 1)):
                await self.key("j")
        else:
            for _ in range(self.rng.randint(1, 3)):
                await self.key(self.rng.choice("jjk"))

    async def snooze(self) -> None:
        await self.key("z")
        if not await self.asked():
            return
        await self.type(self.rng.choice(SNOOZES))
        if self.rng.random() < 0.3:
            await self.key("ctrl+t")
        await self.key("enter")

    async def tag(self) -> None:
        await self.key("t")
        if not await self.asked():
            return
        tag = self.rng.choice(TAGS)
        word = f"-{tag}" if self.rng.random() < 0.35 else tag
        await self.key("end")
        await self.type(f" {word}")
        await self.key("enter")

    async def assign(self) -> None:
        await self.key("A")
        if not await self.asked():
            return
        await self.type(self.rng.choice([*self.handles, "nobody"]))
        await self.key("enter")

    async def priority(self) -> None:
        await self.key("P")
        if not await self.asked():
            return
        await self.type(self.rng.choice(("low", "normal", "high", "urgent")))
        await self.key("enter")

    async def note(self) -> None:
        await self.key("n")
        if not await self.asked():
            return
        self.notes += 1
        await self.type(f"note {self.rec.data['agent']} {self.notes}")
        await self.key("f2")

    async def bulk(self) -> None:
        """Mark a few rows (space marks and moves down), then one key acts on all of them."""
        for _ in range(self.rng.randint(2, 4)):
            await self.key("space")
            if self.rng.random() < 0.3:
                await self.key("j")
        then = self.rng.choice(("x", "p", "X", "Z", "z", "t"))
        if then == "z":
            await self.snooze()
        elif then == "t":
            await self.tag()
        else:
            await self.key(then)
        await self.back_to_main()
        if self.main.inbox.marked:  # a refused action leaves the marks: clear them
            await self.key("escape")

    # -- the end ------------------------------------------------------------------------------

    async def drain(self) -> None:
        """Let triage calls already made report (their result is part of the log)."""
        from textual.worker import WorkerState

        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            busy = [
                w
                for w in self.app.workers
                if w.group == "triage" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            ]
            if not busy:
                return
            await self.pilot.pause(0.05)
        self.rec.error("drain", None, "triage workers still running at the end")


async def ready(pilot: Any) -> None:
    """Until the inbox shows a highlighted conversation (``settle`` would wait for workers
    that the store's constant changes keep restarting)."""
    deadline = time.monotonic() + START_SECONDS
    main = pilot.app.main_screen
    while pilot.app.screen is not main or main.inbox.current is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the console showed no conversation within {START_SECONDS} s")
        await pilot.pause(0.05)
    await pilot.pause(0.2)


async def drive(app: Any, rec: Recorder, seconds: float, seed: int, handles: list[str]) -> None:
    watch_app(app, rec)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rec.data["ready_at"] = time.time()
        agent = Agent(pilot, random.Random(seed), rec, handles)
        await pilot.press("a")  # the All view: a closed conversation stays where it was
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and app.is_running:
            await agent.step()
            await pilot.pause(agent.rng.uniform(*THINK_SECONDS))
        await agent.back_to_main()
        await agent.drain()
        await pilot.press("q")
        await pilot.pause(0.1)
    rec.data["return_code"] = app.return_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--agent", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args(argv)

    rec = Recorder(args.agent, args.seed)
    watch_threads(rec)
    watch_workers(rec)
    code = 1
    try:
        from agentconsole.config import parse_settings
        from agentconsole.services.context import Services
        from agentconsole.tui.app import make_console

        settings = parse_settings(args.config).as_agent(args.agent)
        handles = [h for h, _ in settings.team_handles()]
        services = Services.open(settings)
        try:
            services.mail.prepare()
            app = make_console(services)

            def loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
                rec.error("event loop", context.get("exception"), str(context.get("message")))
                loop.default_exception_handler(context)

            async def run() -> None:
                asyncio.get_running_loop().set_exception_handler(loop_error)
                await drive(app, rec, args.seconds, args.seed, handles)

            asyncio.run(run())
        finally:
            services.close()
        rec.data["clean_exit"] = rec.data.get("return_code") == 0
        code = 0
    except BaseException as exc:  # noqa: BLE001 - every crash goes into the log
        rec.error("console", exc)
    finally:
        rec.data["finished_at"] = time.time()
        rec.write(args.log)
    return code


if __name__ == "__main__":
    sys.exit(main())
