"""Five consoles and a live sync on one store (issue 7): nobody is told "database is locked",
no update is lost.

Five headless consoles (``tests/concurrency_console.py``, each its own process, each a different
agent of the team) triage the demo shop at a brisk human pace for
``AGENTCONSOLE_CONCURRENCY_SECONDS`` (default 60), while a real ``agentconsole sync`` process
keeps a Dovecot mailbox live (IDLE) and customer mail is delivered about once a second — new
customers, and replies that reopen conversations the consoles are working on — plus, once, a
burst of a few hundred messages that the sync stores in one big transaction.

What must hold afterwards:

- every console ran and quit by itself; it never showed (or silently swallowed, in a worker)
  an error — in particular no "database is locked";
- every action a console reported as done is in the event log, with exactly the conversations
  it named, and every triage event of the five agents is one a console reported; a tag prompt
  changes only the tag the agent typed;
- replaying the event log from the snapshot taken before the run gives every conversation's
  final status, snooze, assignee, priority and tags (the one change without an event — a
  customer's mail reopening a conversation — only where mail arrived), and each event's
  "before" is what the previous one left: no write was based on a stale read;
- every delivered message is in the store exactly once, in the conversation it continues; the
  sync never reported an error and stopped cleanly.

Quick local run: ``AGENTCONSOLE_CONCURRENCY_SECONDS=10 uv run pytest tests/test_concurrency.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agentconsole.demo import RETURNS_URL, write_knowledge
from tests.servers.dovecot import Dovecot, dovecot_available
from tests.servers.fixtures import SKIP_REASON
from tests.servers.mailgen import make_message

SECONDS = float(os.environ.get("AGENTCONSOLE_CONCURRENCY_SECONDS", "60"))
AGENTS = (
    ("mara", "Mara Lind"),  # the [agent]
    ("tomasz", "Tomasz Nowak"),
    ("chloe", "Chloé Martin"),
    ("ben", "Ben Okafor"),
    ("eli", "Eli Sandberg"),
)
SHOP_ACCOUNT = ("shop", "hello@lindenhof.example")
"""The demo shop's own mail account: the sync continues it."""
PASSWORD_ENV = "AC_CONCURRENCY_IMAP_PASSWORD"
MAIL_EVERY_S = 1.0
REPLY_SHARE = 0.4
"""Of the delivered mail, this share answers an existing conversation (and reopens it)."""
BURST = 300
"""Once, a third into the run, this many messages land at once (a morning's mail): the sync
stores them in one big write transaction while the consoles keep writing."""
START_TIMEOUT_S = 60.0
CONSOLE_SLACK_S = 150.0
"""A console may take this much longer than SECONDS (start-up on a busy machine, draining)."""
ARRIVAL_TIMEOUT_S = 60.0
FORBIDDEN = ("locked", "operationalerror", "traceback", "internal error", "database is")
TRACKED = (
    "status",
    "snoozed_until",
    "snooze_until_reply",
    "snooze_choice",
    "assignee_id",
    "priority",
)
"""Conversation fields only triage writes (plus the sync's reopen, the clock's wake-up)."""
STATE_KINDS = (
    "conversation.status",
    "conversation.snooze",
    "conversation.assign",
    "conversation.priority",
)
CONSOLE_KINDS = (*STATE_KINDS, "conversation.tags", "conversation.note", "triage.undo")

# -- the store ----------------------------------------------------------------------------------


def query(db: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def conversations(db: Path) -> dict[int, dict[str, Any]]:
    """Every conversation's tracked fields and its tags (sorted)."""
    rows = query(
        db,
        f"SELECT id, {', '.join(TRACKED)}, (SELECT group_concat(tag, char(31)) FROM "
        "(SELECT tag FROM conversation_tag t WHERE t.conversation_id = c.id ORDER BY tag)) AS tags "
        "FROM conversation c",
    )
    out = {}
    for row in rows:
        state = {k: row[k] for k in TRACKED}
        state["tags"] = sorted(row["tags"].split("\x1f")) if row["tags"] else []
        out[int(row["id"])] = state
    return out


def same(a: Any, b: Any) -> bool:
    """As the triage service compares (booleans are stored as 0/1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is not None and b is not None and bool(a) == bool(b)
    return a == b


def forbidden(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in FORBIDDEN)


# -- mail ---------------------------------------------------------------------------------------


@dataclass
class Delivered:
    message_id: str
    """Normalised, as the store keeps it (no angle brackets)."""
    conversation_id: int | None
    """The conversation a reply continues (None: a new customer)."""


@dataclass
class MailFeed:
    """Customer mail delivered to the mailbox about once a second, from a thread."""

    dovecot: Dovecot
    user: str
    targets: list[sqlite3.Row]
    rng: random.Random
    delivered: list[Delivered] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="mail-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        token = uuid.uuid4().hex[:8]
        burst_at = time.monotonic() + SECONDS / 3
        n = 0
        while not self._stop.wait(MAIL_EVERY_S * self.rng.uniform(0.6, 1.4)):
            if burst_at and time.monotonic() >= burst_at:
                burst_at = 0
                self._burst(token)
            n += 1
            mid = f"conc-{n}.{token}@customers.example"
            now = datetime.now(UTC)
            if self.targets and self.rng.random() < REPLY_SHARE:
                target = self.rng.choice(self.targets)
                raw = make_message(
                    700_000 + n,
                    sender=f"{target['from_name']} <{target['from_addr']}>",
                    to=f"Lindenhof <{SHOP_ACCOUNT[1]}>",
                    subject=f"Re: {target['subject']}",
                    body=f"Any news? (reply {n})",
                    message_id=f"<{mid}>",
                    in_reply_to=target["message_id"],
                    date=now,
                )
                conversation = int(target["conversation_id"])
            else:
                raw = make_message(
                    700_000 + n,
                    to=f"Lindenhof <{SHOP_ACCOUNT[1]}>",
                    message_id=f"<{mid}>",
                    date=now,
                )
                conversation = None
            try:
                self.dovecot.doveadm("save", "-u", self.user, "-m", "INBOX", stdin=raw)
            except Exception as exc:  # noqa: BLE001 - reported by the test
                self.problems.append(f"delivery {n}: {exc}")
                continue
            self.delivered.append(Delivered(mid, conversation))

    def _burst(self, token: str) -> None:
        """``BURST`` new customers' messages written into the Maildir at once (the next
        delivery's IDLE push makes the sync find them all)."""
        now = datetime.now(UTC)
        ids = [f"conc-burst-{k}.{token}@customers.example" for k in range(BURST)]
        raws = [
            make_message(
                800_000 + k, to=f"Lindenhof <{SHOP_ACCOUNT[1]}>", message_id=f"<{mid}>", date=now
            )
            for k, mid in enumerate(ids)
        ]
        try:
            self.dovecot.seed_maildir(self.user, raws)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.problems.append(f"burst: {exc}")
            return
        self.delivered.extend(Delivered(mid, None) for mid in ids)


class AccountWatch:
    """Samples the account's sync state (what a console's status bar shows) twice a second."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.seen: list[tuple[str, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="account-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            try:
                rows = query(
                    self.db,
                    "SELECT sync_state, sync_detail FROM mail_account WHERE name = ?",
                    SHOP_ACCOUNT[0],
                )
            except sqlite3.Error as exc:  # the test's own read: worth knowing, not the product's
                self.seen.append(("test-read-failed", str(exc)))
                continue
            for row in rows:
                seen = (str(row["sync_state"]), str(row["sync_detail"] or ""))
                if not self.seen or self.seen[-1] != seen:
                    self.seen.append(seen)


# -- set-up -------------------------------------------------------------------------------------


def write_team_config(path: Path, home: Path) -> Path:
    (mara_handle, mara_name), *team = AGENTS
    lines = [
        "[store]",
        f"home = {json.dumps(str(home))}",
        "",
        "[agent]",
        f'name = "{mara_name}"',
        f'handle = "{mara_handle}"',
        'timezone = "Europe/Berlin"',
        "",
        "[outgoing]",
        'transport = "maildir"',
        "",
        "[shop]",
        f"return_policy_url = {json.dumps(RETURNS_URL)}",
    ]
    for handle, name in team:
        lines += ["", "[[team]]", f'handle = "{handle}"', f'name = "{name}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_sync_config(path: Path, home: Path, dovecot: Dovecot, user: str) -> Path:
    name, email = SHOP_ACCOUNT
    path.write_text(
        "[store]\n"
        f"home = {json.dumps(str(home))}\n"
        "\n"
        "[[accounts]]\n"
        f'name = "{name}"\n'
        f'email = "{email}"\n'
        f'username = "{user}"\n'
        'imap_host = "127.0.0.1"\n'
        f"imap_port = {dovecot.port}\n"
        'imap_tls = "none"\n'
        f'password_env = "{PASSWORD_ENV}"\n',
        encoding="utf-8",
    )
    return path


def reply_targets(db: Path, rng: random.Random, hot: int = 12, cold: int = 12) -> list[sqlite3.Row]:
    """Conversations a customer will write to again (their latest message from the customer):
    the first ones of the All view, where the agents work, and a few others."""
    rows = query(
        db,
        "SELECT m.message_id, m.from_addr, m.from_name, c.subject, c.id AS conversation_id "
        "FROM message m JOIN conversation c ON c.id = m.conversation_id "
        "WHERE m.direction = 'inbound' AND m.channel = 'email' AND c.merged_into_id IS NULL "
        "AND m.id = (SELECT max(id) FROM message WHERE conversation_id = c.id "
        "            AND direction = 'inbound') "
        "ORDER BY c.waiting_since IS NULL, c.waiting_since, c.last_message_at DESC, c.id DESC",
    )
    return rows[:hot] + rng.sample(rows[hot:], min(cold, len(rows[hot:])))


def wait_until(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.2)


def python_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AGENTCONSOLE_CONFIG"}
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.update(TZ="UTC", TEXTUAL_ANIMATIONS="none", PYTHONUNBUFFERED="1", **extra)
    return env


# -- the test -----------------------------------------------------------------------------------


def test_five_consoles_and_a_live_sync_share_one_store(
    request: pytest.FixtureRequest, demo_store_file: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "store.db"
    db.write_bytes(demo_store_file.read_bytes())
    write_knowledge(home / "knowledge")
    team_config = write_team_config(tmp_path / "team.toml", home)
    rng = random.Random(7)
    root = Path(__file__).resolve().parent.parent

    with contextlib.ExitStack() as cleanup:  # no process outlives the test, whatever happens
        # The sync process, live against Dovecot (without Dovecot: the consoles alone).
        sync: subprocess.Popen[bytes] | None = None
        feed: MailFeed | None = None
        watch: AccountWatch | None = None
        if dovecot_available():
            dovecot: Dovecot = request.getfixturevalue("dovecot")
            user, password = dovecot.new_user("conc")
            sync_config = write_sync_config(tmp_path / "sync.toml", home, dovecot, user)
            sync = subprocess.Popen(
                [sys.executable, "-m", "agentconsole", "--config", str(sync_config), "sync"],
                cwd=root,
                env=python_env(**{PASSWORD_ENV: password}),
                stdin=subprocess.DEVNULL,
                stdout=cleanup.enter_context((tmp_path / "sync.stderr").open("wb")),
                stderr=subprocess.STDOUT,
            )
            cleanup.callback(kill, sync)
            wait_until(
                lambda: (
                    sync.poll() is not None
                    or query(
                        db,
                        "SELECT 1 FROM mail_account WHERE name = ? AND sync_state = 'synced'",
                        SHOP_ACCOUNT[0],
                    )
                ),
                START_TIMEOUT_S,
                "the sync's first pass",
            )
            assert sync.poll() is None, (tmp_path / "sync.stderr").read_text()
            feed = MailFeed(dovecot, user, reply_targets(db, rng), rng)
            watch = AccountWatch(db)
        else:
            warnings.warn(
                f"concurrency test without the sync process: {SKIP_REASON}",
                pytest.PytestWarning,
                stacklevel=1,
            )

        # The snapshot every later state is replayed from.
        before = conversations(db)
        first_event = int(query(db, "SELECT coalesce(max(id), 0) FROM event")[0][0]) + 1
        messages_before = int(query(db, "SELECT count(*) FROM message")[0][0])

        consoles: dict[str, tuple[subprocess.Popen[bytes], Path, Path]] = {}
        for seed, (handle, _) in enumerate(AGENTS, start=1):
            log = tmp_path / f"console-{handle}.json"
            err = tmp_path / f"console-{handle}.stderr"
            argv = ["--config", str(team_config), "--agent", handle, "--seconds", str(SECONDS)]
            argv += ["--seed", str(seed), "--log", str(log)]
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.concurrency_console", *argv],
                cwd=root,
                env=python_env(),
                stdin=subprocess.DEVNULL,
                stdout=cleanup.enter_context(err.open("wb")),
                stderr=subprocess.STDOUT,
            )
            cleanup.callback(kill, proc)
            consoles[handle] = (proc, log, err)
        if feed is not None and watch is not None:
            feed.start()
            cleanup.callback(feed.stop)
            watch.start()
            cleanup.callback(watch.stop)
        deadline = time.monotonic() + SECONDS + CONSOLE_SLACK_S
        for handle, (proc, _, err) in consoles.items():
            try:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pytest.fail(f"console {handle} did not finish:\n{err.read_text()[-3000:]}")

        sync_rc: int | None = None
        if sync is not None and feed is not None and watch is not None:
            feed.stop()
            wanted = {d.message_id for d in feed.delivered}
            with contextlib.suppress(AssertionError):  # check_mail names what is missing
                wait_until(
                    lambda: sync.poll() is not None or stored_message_ids(db, wanted) == wanted,
                    ARRIVAL_TIMEOUT_S,
                    f"{len(wanted)} delivered messages in the store",
                )
            watch.stop()
            if sync.poll() is None:
                sync.send_signal(signal.SIGTERM)
            try:
                sync_rc = sync.wait(timeout=30)
            except subprocess.TimeoutExpired:
                sync_rc = None  # killed by the clean-up; check_sync reports it

    problems: list[str] = []
    logs = {h: load_log(h, proc, log, err, problems) for h, (proc, log, err) in consoles.items()}
    after = conversations(db)
    events = query(
        db,
        "SELECT e.id, e.agent_id, e.actor, e.kind, e.subject_type, e.subject_id, e.data, "
        "a.handle FROM event e LEFT JOIN agent a ON a.id = e.agent_id WHERE e.id >= ? "
        "ORDER BY e.id",
        first_event,
    )
    check_consoles(logs, problems)
    check_reported_events(logs, events, problems)
    check_tag_edits(logs, events, problems)
    touched = {d.conversation_id for d in feed.delivered if d.conversation_id} if feed else set()
    history = query(db, "SELECT id, kind, subject_id, data FROM event WHERE id < ?", first_event)
    reopens = check_replay(before, after, events, history, touched, problems)
    check_notes(db, events, problems)
    if sync is not None and feed is not None and watch is not None:
        check_mail(db, feed, messages_before, problems)
        check_sync(sync_rc, tmp_path / "sync.stderr", watch, problems)

    summary = summarise(logs, events, feed, watch, reopens)
    (tmp_path / "summary.txt").write_text(summary, encoding="utf-8")
    print(summary)  # noqa: T201 - shown with -rA / -s, and on failure
    assert not problems, (
        f"{len(problems)} problems:\n" + "\n".join(problems[:60]) + (f"\n\n{summary}")
    )


# -- checks -------------------------------------------------------------------------------------


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def stored_message_ids(db: Path, wanted: set[str]) -> set[str]:
    rows = query(db, "SELECT message_id FROM message WHERE message_id LIKE 'conc-%'")
    return {r[0] for r in rows} & wanted


def load_log(
    handle: str, proc: subprocess.Popen[bytes], log: Path, err: Path, problems: list[str]
) -> dict[str, Any]:
    output = err.read_text(errors="replace") if err.exists() else ""
    if proc.returncode != 0:
        problems.append(f"{handle}: console exited with {proc.returncode}:\n{output[-3000:]}")
    if forbidden(output):
        problems.append(f"{handle}: console output:\n{output[-3000:]}")
    if not log.exists():
        problems.append(f"{handle}: no log written")
        return {
            "agent": handle,
            "results": [],
            "refusals": [],
            "notifications": [],
            "errors": [],
            "actions": {},
        }
    return json.loads(log.read_text(encoding="utf-8"))


def check_consoles(logs: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """Each console quit by itself, nothing failed (visibly or in a worker), nobody was told
    about a locked database."""
    for handle, log in logs.items():
        if not log.get("clean_exit"):
            problems.append(f"{handle}: the console did not quit cleanly")
        for error in log["errors"]:
            problems.append(
                f"{handle}: {error['where']} failed at {error['t']} s: {error['error']}\n"
                f"{error['traceback'][-2500:]}"
            )
        for note in log["notifications"]:
            text = f"{note['title']} {note['message']}"
            if forbidden(text) or note["severity"] == "error":
                problems.append(f"{handle}: shown at {note['t']} s ({note['severity']}): {text}")
        # Not a speed test (five apps on a small CI box can be slow), but not an empty one:
        # every console must have written something.
        if not log["results"]:
            problems.append(
                f"{handle}: no triage result in {SECONDS:.0f} s (actions tried: {log['actions']})"
            )
    total = sum(len(log["results"]) for log in logs.values())
    if total < max(5, int(SECONDS / 6)):
        problems.append(f"only {total} triage results from all consoles in {SECONDS:.0f} s")


def check_reported_events(
    logs: dict[str, dict[str, Any]], events: list[sqlite3.Row], problems: list[str]
) -> None:
    """What a console reported as done is in the event log, exactly; and each console event is
    one its console reported (nothing changed behind the agent's back)."""
    by_batch: dict[str, list[sqlite3.Row]] = defaultdict(list)
    undoing: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for event in events:
        data = json.loads(event["data"])
        if event["kind"] == "triage.undo":
            undoing[str(data.get("undoes"))].append(event)
        elif data.get("batch"):
            by_batch[str(data["batch"])].append(event)
    reported: set[tuple[str, str, str]] = set()
    for handle, log in logs.items():
        for result in log["results"]:
            batch, action = result["batch"], result["action"]
            if action == "triage.undo":
                # Undo reports the batch it undid: its events name that batch in "undoes".
                mine = [e for e in undoing.get(batch, []) if e["handle"] == handle]
                reported.add((handle, "undo", batch))
                got = sorted(e["subject_id"] for e in mine if e["subject_type"] == "conversation")
                marker = [e for e in mine if e["subject_type"] == "batch"]
                ok = got == sorted(result["changed"]) and (bool(marker) == (not result["changed"]))
            else:
                mine = by_batch.get(batch, [])
                reported.add((handle, "batch", batch))
                got = sorted(e["subject_id"] for e in mine)
                ok = got == sorted(result["changed"]) and all(
                    e["handle"] == handle and e["kind"] == action for e in mine
                )
            if not ok:
                problems.append(
                    f"{handle}: reported {action} {result['changed']} (batch {batch}, "
                    f"{result['message']!r}) but the event log holds "
                    f"{[(e['kind'], e['subject_id'], e['handle']) for e in mine]}"
                )
    handles = set(logs)
    for event in events:
        if event["handle"] not in handles or event["kind"] not in CONSOLE_KINDS:
            continue
        data = json.loads(event["data"])
        key = (
            (event["handle"], "undo", str(data.get("undoes")))
            if event["kind"] == "triage.undo"
            else (event["handle"], "batch", str(data.get("batch")))
        )
        if key not in reported:
            problems.append(
                f"{event['handle']}: event {event['id']} {event['kind']} on {event['subject_id']} "
                "was never reported by the console"
            )


def check_tag_edits(
    logs: dict[str, dict[str, Any]], events: list[sqlite3.Row], problems: list[str]
) -> None:
    """An agent's tag prompt adds or removes the one word typed: a change to any other tag is
    the prompt's stale copy of the tags written back over a colleague's edit."""
    for event in events:
        if event["kind"] != "conversation.tags" or event["handle"] not in logs:
            continue
        data = json.loads(event["data"])
        diff = sorted(set(data["before"]) ^ set(data["after"]))
        if len(diff) > 1:
            problems.append(
                f"conversation {event['subject_id']}: {event['handle']} typed one tag, event "
                f"{event['id']} changed {diff} ({data['before']} -> {data['after']})"
            )


def check_replay(
    before: dict[int, dict[str, Any]],
    after: dict[int, dict[str, Any]],
    events: list[sqlite3.Row],
    history: list[sqlite3.Row],
    touched: set[int],
    problems: list[str],
) -> int:
    """Replaying the log over the snapshot gives the final state, and every event's "before"
    is the state the previous event left (a customer's mail may reopen a conversation it
    answers: the one change written without an event). Returns how often mail did that
    between two triage events."""
    state: dict[int, dict[str, Any]] = {cid: dict(s) for cid, s in before.items()}
    batches: dict[tuple[str, int], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    reopened = {"status": "open", "snoozed_until": None}
    reopens: list[int] = []

    def chain(cid: int, event: sqlite3.Row, expected: dict[str, Any]) -> None:
        known = state.setdefault(cid, {})
        stale = {
            k: (known[k], v) for k, v in expected.items() if k in known and not same(known[k], v)
        }
        if (
            stale
            and cid in touched
            and set(stale) <= set(reopened)
            and all(same(expected[k], reopened[k]) for k in stale)
        ):
            stale = {}  # the customer wrote: the sync reopened it
            reopens.append(cid)
        if stale:
            problems.append(
                f"conversation {cid}: event {event['id']} {event['kind']} by {event['actor']} "
                f"found {{field: (replayed, in its before)}} = {stale}"
            )
        known.update(expected)

    for event in history:  # batches from before the run, should an undo reach back to one
        data = json.loads(event["data"]) if event["data"] else {}
        if event["kind"] in (*STATE_KINDS, "conversation.tags") and data.get("batch"):
            batches[(str(data["batch"]), int(event["subject_id"]))].append((event["kind"], data))
    for event in events:
        kind, cid = event["kind"], int(event["subject_id"])
        data = json.loads(event["data"]) if event["data"] else {}
        if event["subject_type"] != "conversation":
            continue
        if kind in STATE_KINDS:
            chain(cid, event, {k: v for k, v in data["before"].items() if k in TRACKED})
            state[cid].update({k: v for k, v in data["after"].items() if k in TRACKED})
            batches[(str(data["batch"]), cid)].append((kind, data))
        elif kind == "conversation.tags":
            chain(cid, event, {"tags": data["before"]})
            state[cid]["tags"] = data["after"]
            batches[(str(data["batch"]), cid)].append((kind, data))
        elif kind == "conversation.woke":
            chain(cid, event, {"status": "snoozed"})
            state[cid].update(reopened)
        elif kind == "triage.undo":
            for undone_kind, undone in reversed(batches.get((str(data["undoes"]), cid), [])):
                if undone_kind == "conversation.tags":
                    chain(cid, event, {"tags": undone["after"]})
                    state[cid]["tags"] = undone["before"]
                elif undone_kind in STATE_KINDS:
                    chain(cid, event, {k: v for k, v in undone["after"].items() if k in TRACKED})
                    state[cid].update({k: v for k, v in undone["before"].items() if k in TRACKED})
    for cid, replayed in state.items():
        final = after.get(cid)
        if final is None:
            problems.append(f"conversation {cid}: gone from the store")
            continue
        wrong = {k: (v, final[k]) for k, v in replayed.items() if not same(v, final[k])}
        if wrong and cid in touched and all(final[k] == v for k, v in reopened.items()):
            wrong = {k: w for k, w in wrong.items() if k not in reopened}
        if wrong:
            problems.append(
                f"conversation {cid}: the event log says {{field: (replayed, stored)}} = {wrong}"
            )
    return len(reopens)


def check_notes(db: Path, events: list[sqlite3.Row], problems: list[str]) -> None:
    """A note reported added is there, unless its batch was undone (SQLite reuses the id of a
    deleted last row: the newest event naming an id owns it)."""
    owner: dict[int, str] = {}
    alive: dict[int, bool] = {}
    for event in events:
        data = json.loads(event["data"])
        if event["kind"] == "conversation.note":
            owner[int(data["note_id"])] = str(data["batch"])
            alive[int(data["note_id"])] = True
        elif event["kind"] == "triage.undo":
            for note_id, batch in owner.items():
                if batch == data.get("undoes"):
                    alive[note_id] = False
    notes = {int(r[0]) for r in query(db, "SELECT id FROM conversation_note")}
    for note_id, expected in alive.items():
        if (note_id in notes) != expected:
            problems.append(
                f"note {note_id} (batch {owner[note_id]}): "
                f"{'still there though undone' if expected is False else 'missing'}"
            )


def check_mail(db: Path, feed: MailFeed, messages_before: int, problems: list[str]) -> None:
    """Each delivered message once, in the conversation it answers (or a new one)."""
    problems += [f"mail feed: {p}" for p in feed.problems]
    if len(feed.delivered) - BURST < max(3, int(SECONDS / MAIL_EVERY_S / 3)):
        problems.append(f"only {len(feed.delivered)} messages delivered in {SECONDS:.0f} s")
    rows = query(
        db, "SELECT message_id, conversation_id FROM message WHERE message_id LIKE 'conc-%'"
    )
    found: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        found[row[0]].append(int(row[1]))
    fresh: list[int] = []
    for item in feed.delivered:
        where = found.get(item.message_id, [])
        if len(where) != 1:
            problems.append(f"message {item.message_id}: stored {len(where)} times")
        elif item.conversation_id is not None and where[0] != item.conversation_id:
            problems.append(
                f"message {item.message_id}: answers conversation {item.conversation_id}, "
                f"stored in {where[0]}"
            )
        elif item.conversation_id is None:
            fresh.extend(where)
    if len(set(fresh)) != len(fresh):
        problems.append("two new customers' messages share a conversation")
    total = int(query(db, "SELECT count(*) FROM message")[0][0])
    if total != messages_before + len(feed.delivered):
        problems.append(
            f"{total} messages stored, expected {messages_before} + {len(feed.delivered)}"
        )


def check_sync(rc: int | None, stderr: Path, watch: AccountWatch, problems: list[str]) -> None:
    output = stderr.read_text(errors="replace")
    if rc != 0:
        problems.append(f"sync exited with {rc}:\n{output[-3000:]}")
    noise = [line for line in output.splitlines() if not line.startswith("syncing ")]
    if noise:
        problems.append("sync wrote:\n" + "\n".join(noise[-40:]))
    for state, detail in watch.seen:
        if state not in ("syncing", "synced") or forbidden(detail):
            problems.append(f"the account showed {state}: {detail}")


def summarise(
    logs: dict[str, dict[str, Any]],
    events: list[sqlite3.Row],
    feed: MailFeed | None,
    watch: AccountWatch | None,
    reopens: int,
) -> str:
    lines = [f"concurrency run: {SECONDS:.0f} s, {len(logs)} consoles"]
    for handle, log in logs.items():
        tried = sum(log["actions"].values())
        lines.append(
            f"  {handle:<7} {tried:>4} actions, {len(log['results']):>3} results, "
            f"{len(log['refusals']):>3} refused, {len(log['notifications']):>3} notifications, "
            f"{len(log['errors'])} errors  {dict(sorted(log['actions'].items()))}"
        )
    kinds: dict[str, int] = defaultdict(int)
    for event in events:
        kinds[event["kind"]] += 1
    lines.append(f"  events: {len(events)} {dict(sorted(kinds.items()))}")
    actors: dict[int, set[str]] = defaultdict(set)
    for event in events:
        if event["handle"] in logs:
            actors[int(event["subject_id"])].add(event["handle"])
    shared = sum(1 for who in actors.values() if len(who) > 1)
    lines.append(
        f"  conversations changed by several agents: {shared} of {len(actors)}; "
        f"reopened by mail between two triage events: {reopens}"
    )
    if feed is not None:
        replies = sum(1 for d in feed.delivered if d.conversation_id)
        burst = sum(1 for d in feed.delivered if d.message_id.startswith("conc-burst-"))
        lines.append(
            f"  mail: {len(feed.delivered)} delivered ({replies} replies to existing "
            f"conversations, {burst} at once), {len(feed.problems)} delivery problems"
        )
    if watch is not None:
        lines.append(f"  account states seen: {len(watch.seen)} changes, last {watch.seen[-1:]}")
    return "\n".join(lines)
