"""SLA due times over a real store file: computed, kept up to date incrementally, shown."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentconsole.clock import FixedClock
from agentconsole.config import AgentSection, Settings, StoreSection
from agentconsole.config_triage import ChannelTargets, SlaSection
from agentconsole.services._sql import as_utc
from agentconsole.services.sla import (
    DUE_ORDER,
    PROPOSED_INDEXES,
    SlaService,
    describe,
    sla_fingerprint,
    state,
)
from agentconsole.store.db import Store
from agentconsole.store.reader import stored_time

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # a Monday, 11:00 in Berlin
WORKDAY = ["09:00-12:30", "13:30-17:00"]
SHOP_SLA = SlaSection(
    timezone="Europe/Berlin",
    hours={"mon": WORKDAY, "tue": WORKDAY, "wed": WORKDAY, "thu": WORKDAY, "fri": ["09:00-15:00"]},
    holidays=[date(2026, 12, 24), date(2026, 12, 25)],
)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)  # type: ignore[misc]


def make_settings(home: Path, sla: SlaSection = SHOP_SLA) -> Settings:
    return Settings(
        store=StoreSection(home=home),
        agent=AgentSection(name="Mara Lind", handle="mara", timezone="Europe/Berlin"),
        sla=sla,
    )


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated store with one customer, made once (copy it before use)."""
    home = tmp_path_factory.mktemp("sla-template") / "home"
    store = Store(home / "store.db")
    with store.write() as db:
        db.execute(
            "INSERT INTO customer (id, name, language, notes, created_at)"
            " VALUES (1, 'Ada', 'en', '', :at)",
            {"at": stored_time(NOW)},
        )
    store.close()
    return home


@pytest.fixture(params=["schema", "without-indexes"])
def store(request: pytest.FixtureRequest, store_template: Path, tmp_path: Path) -> Iterator[Store]:
    """A store file of its own; with :data:`PROPOSED_INDEXES` (migration 0009), and without
    them (the table-scan path still gives the same answers)."""
    shutil.copytree(store_template, tmp_path / "home")
    store = Store(tmp_path / "home" / "store.db")
    if request.param == "without-indexes":
        with store.write() as db:
            for ddl in PROPOSED_INDEXES:
                db.execute(f"DROP INDEX {ddl.split()[2]}")
    yield store
    store.close()


def test_the_migration_creates_the_indexes_verbatim(store_template: Path, tmp_path: Path) -> None:
    shutil.copytree(store_template, tmp_path / "home")
    store = Store(tmp_path / "home" / "store.db")
    with store.read() as db:
        made = set(
            db.scalars("SELECT sql FROM sqlite_master WHERE name LIKE 'ix_conversation_sla%'")
        )
    store.close()
    assert made == set(PROPOSED_INDEXES)


@pytest.fixture
def sla(store: Store, tmp_path: Path) -> SlaService:
    return SlaService(store, make_settings(tmp_path / "home"), FixedClock(NOW))


def add(
    store: Store,
    *,
    status: str = "open",
    channel: str = "email",
    waiting_since: datetime | None = None,
    first_response_at: datetime | None = None,
) -> int:
    with store.write() as db:
        return db.execute(
            "INSERT INTO conversation (subject, status, channel, customer_id, first_response_at,"
            " waiting_since, last_message_at, created_at)"
            " VALUES ('Hello', :status, :channel, 1, :first, :waiting, :at, :at)",
            {
                "status": status,
                "channel": channel,
                "first": stored_time(first_response_at),
                "waiting": stored_time(waiting_since),
                "at": stored_time(NOW),
            },
        )


def change(store: Store, conversation: int, **values: Any) -> None:
    sets = ", ".join(f"{column} = :{column}" for column in values)
    params = {k: stored_time(v) if isinstance(v, datetime) else v for k, v in values.items()}
    with store.write() as db:
        db.execute(f"UPDATE conversation SET {sets} WHERE id = :id", {**params, "id": conversation})


def due_of(store: Store, conversation: int) -> tuple[datetime | None, str | None]:
    with store.read() as db:
        row = db.one(
            "SELECT due_at, due_basis FROM conversation WHERE id = :id", {"id": conversation}
        )
    return as_utc(row.due_at), row.due_basis


def test_refresh_computes_due_times(store: Store, sla: SlaService) -> None:
    # Friday 16:00: the shop closed at 15:00; 24 h of shop hours end on Thursday 12:00.
    mail = add(store, waiting_since=berlin(2026, 11, 27, 16, 0))
    # A chat waiting since Monday 12:28 for a next response: 5 minutes, over lunch.
    chat = add(
        store,
        channel="chat",
        waiting_since=berlin(2026, 11, 30, 12, 28),
        first_response_at=berlin(2026, 11, 30, 12, 0),
    )
    # A callback asked for on Christmas Eve (a holiday): 4 h from Monday 28th's opening,
    # over lunch.
    phone = add(store, channel="phone", waiting_since=berlin(2026, 12, 24, 10, 0))
    closed = add(store, status="closed", waiting_since=berlin(2026, 11, 30, 9, 0))
    answered = add(store, first_response_at=berlin(2026, 11, 30, 9, 0))
    snoozed = add(store, status="snoozed", waiting_since=berlin(2026, 11, 30, 9, 0))

    assert sla.refresh() == 4
    assert due_of(store, mail)[0] == berlin(2026, 12, 3, 12, 0)
    assert due_of(store, chat)[0] == berlin(2026, 11, 30, 13, 33)
    assert due_of(store, phone)[0] == berlin(2026, 12, 28, 14, 0)
    assert due_of(store, snoozed)[0] == berlin(2026, 12, 3, 12, 0)
    assert due_of(store, closed) == (None, None)
    assert due_of(store, answered) == (None, None)
    basis = due_of(store, mail)[1]
    assert basis is not None and basis.startswith(f"{sla.fingerprint} first email 2026-11-27")


def test_single_conversation_due_matches_refresh(store: Store, sla: SlaService) -> None:
    waiting = berlin(2026, 11, 27, 16, 0)
    conversation = add(store, channel="phone", waiting_since=waiting)
    sla.refresh()
    with store.read() as db:
        row = db.one("SELECT * FROM conversation WHERE id = :id", {"id": conversation})
    assert sla.due_of(row) == due_of(store, conversation)[0] == berlin(2026, 11, 30, 14, 0)
    assert sla.due(
        status="open", channel="phone", waiting_since=waiting, first_response_at=None
    ) == berlin(2026, 11, 30, 14, 0)
    assert (
        sla.due(status="closed", channel="phone", waiting_since=waiting, first_response_at=None)
        is None
    )
    assert (
        sla.due(status="open", channel="chat", waiting_since=None, first_response_at=None) is None
    )
    # An unknown channel gets the e-mail target.
    assert sla.target("fax", first=True) == sla.target("email", first=True) == timedelta(hours=24)


def test_refresh_is_incremental(store: Store, sla: SlaService) -> None:
    for hour in range(9, 14):
        add(store, waiting_since=berlin(2026, 11, 30, hour, 0))
    add(store, status="closed")
    assert sla.refresh() == 5
    assert sla.refresh() == 0
    # Something unrelated committed (the mail sync, another console): still nothing to do.
    with store.write() as db:
        db.execute("UPDATE customer SET notes = 'vip' WHERE id = 1")
    assert sla.refresh() == 0
    # Another service over the same file agrees nothing is stale.
    other = SlaService(store, make_settings(store.path.parent), FixedClock(NOW))
    assert other.refresh() == 0


def test_nothing_committed_means_no_query(
    store: Store, sla: SlaService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a clean refresh, ``PRAGMA data_version`` answers: no read at all. A commit from
    another connection (another process) is still noticed."""
    conversation = add(store, waiting_since=berlin(2026, 11, 30, 9, 0))
    assert sla.refresh() == 1
    assert sla.refresh() == 0

    def no_reads() -> None:
        raise AssertionError("read the store although nothing was committed")

    with monkeypatch.context() as patch:
        patch.setattr(store, "read", no_reads)
        assert sla.refresh() == 0
    elsewhere = Store(store.path)
    with elsewhere.write() as db:
        db.execute("UPDATE conversation SET channel = 'chat' WHERE id = :id", {"id": conversation})
    elsewhere.close()
    assert sla.refresh() == 1
    assert due_of(store, conversation)[0] == berlin(2026, 11, 30, 9, 5)


@pytest.mark.parametrize(
    ("values", "changed", "expected"),
    [
        # Mon 1 h, Tue–Thu 21 h, Fri 2 h.
        ({"waiting_since": berlin(2026, 11, 30, 16, 0)}, 1, berlin(2026, 12, 4, 11, 0)),
        # Answered: the next response (8 h here) counts from the same wait.
        ({"first_response_at": berlin(2026, 11, 30, 9, 30)}, 1, berlin(2026, 12, 1, 10, 0)),
        ({"channel": "chat"}, 1, berlin(2026, 11, 30, 9, 5)),
        ({"channel": "phone"}, 1, berlin(2026, 11, 30, 14, 0)),
        ({"status": "closed"}, 1, None),
        ({"status": "pending"}, 0, berlin(2026, 12, 3, 12, 0)),  # not closed: no change
        ({"waiting_since": None}, 1, None),
    ],
)
def test_refresh_follows_changes(
    store: Store,
    values: dict[str, Any],
    changed: int,
    expected: datetime | None,
) -> None:
    sla_next = SlaService(
        store,
        make_settings(
            store.path.parent,
            SHOP_SLA.model_copy(update={"next_response": ChannelTargets(email="8h")}),
        ),
        FixedClock(NOW),
    )
    conversation = add(store, waiting_since=berlin(2026, 11, 30, 9, 0))
    assert sla_next.refresh() == 1
    assert due_of(store, conversation)[0] == berlin(2026, 12, 3, 12, 0)
    change(store, conversation, **values)
    assert sla_next.refresh() == changed
    assert due_of(store, conversation)[0] == expected
    assert sla_next.refresh() == 0


def test_reopened_conversation_gets_a_due_time_again(store: Store, sla: SlaService) -> None:
    conversation = add(store, waiting_since=berlin(2026, 11, 30, 9, 0))
    sla.refresh()
    change(store, conversation, status="closed")
    assert sla.refresh() == 1
    assert due_of(store, conversation) == (None, None)
    change(store, conversation, status="open")
    assert sla.refresh() == 1
    assert due_of(store, conversation)[0] == berlin(2026, 12, 3, 12, 0)


def test_config_change_recomputes(store: Store, sla: SlaService) -> None:
    ids = [add(store, waiting_since=berlin(2026, 11, 30, 9, m)) for m in range(3)]
    add(store, status="closed")
    assert sla.refresh() == 3
    faster = SlaSection(
        **{**SHOP_SLA.model_dump(), "first_response": ChannelTargets(email="4h")},
    )
    quick = SlaService(store, make_settings(store.path.parent, faster), FixedClock(NOW))
    assert quick.fingerprint != sla.fingerprint
    assert quick.refresh() == 3
    assert due_of(store, ids[0])[0] == berlin(2026, 11, 30, 14, 0)
    assert quick.refresh() == 0
    # Round the clock in the agent's zone: plain addition.
    always = SlaService(store, make_settings(store.path.parent, SlaSection()), FixedClock(NOW))
    assert always.refresh() == 3
    assert due_of(store, ids[2])[0] == berlin(2026, 12, 1, 9, 2)
    # And back.
    assert sla.refresh() == 3
    assert due_of(store, ids[0])[0] == berlin(2026, 12, 3, 12, 0)


def test_a_row_changed_while_computing_waits_for_the_next_refresh(
    store: Store, sla: SlaService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The due time is written only if the row still has the basis it was computed from."""
    conversation = add(store, waiting_since=berlin(2026, 11, 30, 9, 0))
    other = add(store, waiting_since=berlin(2026, 11, 30, 10, 0))
    real_add = sla.calendar.add_utc
    calls = []

    def add_and_meanwhile_a_reply(start: datetime, duration: timedelta) -> datetime:
        if not calls:
            change(store, conversation, waiting_since=None, first_response_at=NOW)
        calls.append(start)
        return real_add(start, duration)

    monkeypatch.setattr(sla.calendar, "add_utc", add_and_meanwhile_a_reply)
    assert sla.refresh() == 1
    assert due_of(store, conversation) == (None, None)
    assert due_of(store, other)[0] == berlin(2026, 12, 3, 14, 0)
    assert sla.refresh() == 0


def test_due_order_sorts_most_urgent_first(store: Store, sla: SlaService) -> None:
    late = add(store, waiting_since=berlin(2026, 11, 30, 11, 0))
    early = add(store, channel="chat", waiting_since=berlin(2026, 11, 30, 11, 0))
    none = add(store)
    sla.refresh()
    with store.read() as db:
        order = db.scalars(f"SELECT c.id FROM conversation c ORDER BY {DUE_ORDER}")
    assert order == [early, late, none]


def test_proposed_indexes_are_used(store: Store, sla: SlaService) -> None:
    with store.read() as db:
        indexed = db.scalar(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'ix_conversation_sla_%'"
        )
    add(store, waiting_since=berlin(2026, 11, 30, 11, 0))
    sla.refresh()
    assert sla._indexed == (indexed == 2)
    if not indexed:
        return
    from agentconsole.services.sla import _STALE_INDEXED

    with store.read() as db:
        plan = db.all(f"EXPLAIN QUERY PLAN {_STALE_INDEXED}", {"fp": sla.fingerprint})
    details = [row.detail for row in plan]
    assert "SCAN conversation" not in details  # no full scan of the table
    assert "SCAN conversation USING INDEX ix_conversation_sla_stale" in details
    assert details.count("SEARCH conversation USING INDEX ix_conversation_sla_fp (<expr><?)") == 1
    assert details.count("SEARCH conversation USING INDEX ix_conversation_sla_fp (<expr>>?)") == 1


def test_fingerprint_ignores_formatting_but_not_meaning() -> None:
    base = sla_fingerprint(SHOP_SLA, "UTC")
    reordered = SHOP_SLA.model_copy(
        update={
            "hours": {**SHOP_SLA.hours, "mon": [" 13:30 - 17:00", "09:00-12:30"]},  # type: ignore[dict-item]
            "holidays": list(reversed(SHOP_SLA.holidays)),
        }
    )
    assert sla_fingerprint(reordered, "UTC") == base
    assert len(base) == 8 and int(base, 16) >= 0
    for update in (
        {"holidays": [date(2026, 12, 24)]},
        {"timezone": "Europe/Vienna"},
        {"hours": {"mon": WORKDAY}},
        {"hours": None},
        {"next_response": ChannelTargets(chat="10m")},
        {"first_response": ChannelTargets(social="2d")},
    ):
        assert sla_fingerprint(SHOP_SLA.model_copy(update=update), "UTC") != base
    # The agent's zone counts only when [sla] names none.
    assert sla_fingerprint(SHOP_SLA, "Asia/Tokyo") == base
    assert sla_fingerprint(SlaSection(), "UTC") != sla_fingerprint(SlaSection(), "Asia/Tokyo")


# -- the list column --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "text", "expected_state"),
    [
        (timedelta(hours=2, minutes=10, seconds=30), "2h 10m left", "ok"),
        (timedelta(hours=3), "3h left", "ok"),
        (timedelta(minutes=45, seconds=59), "45m left", "soon"),
        (timedelta(hours=1), "1h left", "soon"),
        (timedelta(seconds=30), "<1m left", "soon"),
        (timedelta(hours=14, minutes=59), "14h left", "ok"),
        (timedelta(days=2, hours=15, minutes=5), "2d 15h left", "ok"),
        (timedelta(days=3), "3d left", "ok"),
        (timedelta(days=12), "12d left", "ok"),
        (timedelta(0), "overdue <1m", "overdue"),
        (-timedelta(minutes=59), "overdue 59m", "overdue"),
        (-timedelta(hours=3, minutes=40), "overdue 3h", "overdue"),
        (-timedelta(days=2, hours=23), "overdue 2d", "overdue"),
        (-timedelta(days=150), "overdue 21w", "overdue"),
        (-timedelta(days=800), "overdue 2y", "overdue"),
    ],
)
def test_describe_and_state(left: timedelta, text: str, expected_state: str) -> None:
    assert describe(NOW + left, NOW) == text
    assert state(NOW + left, NOW) == expected_state


def test_nothing_due() -> None:
    assert describe(None, NOW) == ""
    assert state(None, NOW) == "ok"


def test_service_describes_against_its_clock(sla: SlaService) -> None:
    assert sla.describe(NOW + timedelta(minutes=30)) == "30m left"
    assert sla.state(NOW - timedelta(minutes=1)) == "overdue"


@given(st.timedeltas(-timedelta(days=20_000), timedelta(days=20_000)))
def test_describe_is_short_and_agrees_with_state(left: timedelta) -> None:
    text = describe(NOW + left, NOW)
    assert 0 < len(text) <= 11
    assert text.endswith(" left") == (state(NOW + left, NOW) != "overdue")
