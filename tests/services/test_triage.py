"""Triage on the demo store: statuses, snooze rules, assignment, tags, notes, merge, contacts, undo
— each change one transaction with its events, undo never overwriting a later change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentconsole.clock import FixedClock
from agentconsole.config_triage import TeamMember
from agentconsole.services.contact_log import ContactEntry
from agentconsole.services.context import Services
from agentconsole.services.triage import TriageError
from tests.services.store_helpers import customer_writes

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def svc(services: Services) -> Iterator[Services]:
    team = services.settings.model_copy(
        update={"team": [TeamMember(handle="jonas", name="Jonas Berg")]}
    )
    other = Services(services.store, team, services.clock)
    yield other


def _row(svc: Services, cid: int) -> Any:
    with svc.store.read() as db:
        return db.first("SELECT * FROM conversation WHERE id = :id", {"id": cid})


def _open_ids(svc: Services, n: int) -> list[int]:
    with svc.store.read() as db:
        return [
            int(i)
            for i in db.scalars(
                "SELECT id FROM conversation WHERE status = 'open' ORDER BY id LIMIT :n", {"n": n}
            )
        ]


def _events(svc: Services, kind: str) -> list[Any]:
    """This test's events of a kind (the demo store comes with a history of its own)."""
    with svc.store.read() as db:
        return db.all(
            "SELECT * FROM event WHERE kind = :k AND json_extract(data, '$.batch') IS NOT NULL "
            "OR kind = :k AND actor = 'clock' ORDER BY id",
            {"k": kind},
        )


def test_close_several_records_one_event_each_and_counts_the_unchanged(svc: Services) -> None:
    ids = _open_ids(svc, 3)
    svc.triage.set_status(ids[:1], "closed")
    result = svc.triage.set_status(ids, "closed")
    assert result.changed == tuple(ids[1:]) and result.unchanged == (ids[0],)
    assert "1 already so" in result.message
    assert all(_row(svc, c).status == "closed" for c in ids)
    events = _events(svc, "conversation.status")
    assert [e.subject_id for e in events] == [ids[0], *ids[1:]]
    data = json.loads(events[-1].data)
    assert data["before"]["status"] == "open" and data["after"]["status"] == "closed"
    assert events[-1].actor == "mara"


def test_unknown_and_merged_conversations_are_refused_before_anything_changes(
    svc: Services,
) -> None:
    ids = _open_ids(svc, 2)
    with pytest.raises(TriageError, match="no conversation 999999"):
        svc.triage.set_status([ids[0], 999999], "closed")
    assert _row(svc, ids[0]).status == "open"
    with pytest.raises(TriageError, match="unknown status"):
        svc.triage.set_status(ids, "snoozed")


def test_snooze_until_a_time_wakes_when_it_comes_and_shows_the_time(svc: Services) -> None:
    clock = svc.clock
    assert isinstance(clock, FixedClock)
    cid = _open_ids(svc, 1)[0]
    wake = clock.now() + timedelta(hours=3)
    svc.triage.snooze([cid], wake, until_reply=True, choice="3h")
    row = _row(svc, cid)
    assert row.status == "snoozed" and row.snooze_choice == "3h"
    assert svc.inbox.summary(cid).snoozed_until == wake  # type: ignore[union-attr]
    assert svc.triage.wake_due() == []
    clock.advance(hours=3)
    assert svc.triage.wake_due() == [cid]
    assert _row(svc, cid).status == "open" and _row(svc, cid).snoozed_until is None
    assert _events(svc, "conversation.woke")[-1].actor == "clock"
    assert svc.triage.wake_due() == []


def test_a_customer_reply_ends_a_snooze_only_when_the_snooze_says_so(svc: Services) -> None:
    ends, holds = _open_ids(svc, 2)
    later = svc.clock.now() + timedelta(days=3)
    svc.triage.snooze([ends], later, until_reply=True)
    svc.triage.snooze([holds], later, until_reply=False)
    customer_writes(svc, ends)
    customer_writes(svc, holds)
    assert _row(svc, ends).status == "open"
    assert _row(svc, holds).status == "snoozed"
    assert _row(svc, holds).waiting_since is not None  # still known to be waiting


def test_a_customer_reply_reopens_pending_and_closed(svc: Services) -> None:
    pending, closed = _open_ids(svc, 2)
    svc.triage.set_status([pending], "pending")
    svc.triage.set_status([closed], "closed")
    customer_writes(svc, pending)
    customer_writes(svc, closed)
    assert _row(svc, pending).status == "open" and _row(svc, closed).status == "open"


def test_snooze_needs_a_time_or_a_reply_and_a_future_time(svc: Services) -> None:
    cid = _open_ids(svc, 1)[0]
    with pytest.raises(TriageError, match="until a time"):
        svc.triage.snooze([cid], None, until_reply=False)
    with pytest.raises(TriageError, match="past"):
        svc.triage.snooze([cid], svc.clock.now() - timedelta(minutes=1), until_reply=True)
    svc.triage.snooze([cid], None, until_reply=True, choice="")
    assert _row(svc, cid).snoozed_until is None and _row(svc, cid).status == "snoozed"


def test_resnooze_repeats_the_conversations_choice_else_the_agents_last(svc: Services) -> None:
    first, second = _open_ids(svc, 2)
    assert svc.triage.snooze_choice(first) is None
    svc.triage.snooze(
        [first], svc.clock.now() + timedelta(days=1), until_reply=False, choice="tomorrow 9:00"
    )
    assert svc.triage.snooze_choice(first) == ("tomorrow 9:00", False)
    assert svc.triage.snooze_choice(second) == ("tomorrow 9:00", False)


def test_assign_to_me_a_team_member_and_nobody(svc: Services) -> None:
    cid = _open_ids(svc, 1)[0]
    svc.triage.assign([cid], "jonas")
    assert svc.inbox.summary(cid).assignee == "Jonas Berg"  # type: ignore[union-attr]
    svc.triage.assign([cid], "me")
    assert svc.inbox.summary(cid).assignee == "Mara Lind"  # type: ignore[union-attr]
    svc.triage.assign([cid], "nobody")
    assert svc.inbox.summary(cid).assignee is None  # type: ignore[union-attr]
    with pytest.raises(TriageError, match="unknown agent 'zoe'.*jonas"):
        svc.triage.assign([cid], "zoe")


def test_tags_add_and_remove_and_bad_tags_are_refused(svc: Services) -> None:
    cid = _open_ids(svc, 1)[0]
    before = set(svc.inbox.summary(cid).tags)  # type: ignore[union-attr]
    svc.triage.tag([cid], add=["VIP", "#wholesale"])
    assert set(svc.inbox.summary(cid).tags) == before | {"vip", "wholesale"}  # type: ignore[union-attr]
    svc.triage.tag([cid], remove=["vip"])
    assert set(svc.inbox.summary(cid).tags) == before | {"wholesale"}  # type: ignore[union-attr]
    with pytest.raises(TriageError, match="invalid tag"):
        svc.triage.tag([cid], add=["two words"])


def test_priority_note_and_order_link(svc: Services) -> None:
    cid = _open_ids(svc, 1)[0]
    svc.triage.set_priority([cid], "urgent")
    assert _row(svc, cid).priority == 3
    svc.triage.add_note(cid, "Called the carrier: parcel in Leipzig.")
    with svc.store.read() as db:
        note = db.first("SELECT * FROM conversation_note WHERE conversation_id = :c", {"c": cid})
        order = db.first(
            'SELECT o.id, o.name FROM "order" o JOIN conversation c '
            "ON c.customer_id = o.customer_id WHERE c.id = :c LIMIT 1",
            {"c": cid},
        ) or db.first('SELECT id, name FROM "order" LIMIT 1')
    assert note.body == "Called the carrier: parcel in Leipzig."
    svc.triage.link_order(cid, order.name)
    assert svc.replies.relevant_order(cid) == order.id
    assert "already" in svc.triage.link_order(cid, order.name).message
    with pytest.raises(TriageError, match="no order #424242"):
        svc.triage.link_order(cid, "#424242")


def test_merge_moves_the_history_and_undo_puts_it_back(svc: Services) -> None:
    source, target = _open_ids(svc, 2)

    def count(cid: int) -> int:
        with svc.store.read() as db:
            return int(
                db.scalar("SELECT count(*) FROM message WHERE conversation_id = :c", {"c": cid})
            )

    a, b = count(source), count(target)
    svc.triage.tag([source], add=["merged-tag"])
    svc.triage.merge(source, target)
    assert count(source) == 0 and count(target) == a + b
    assert _row(svc, source).merged_into_id == target
    assert "merged-tag" in svc.inbox.summary(target).tags  # type: ignore[union-attr]
    with pytest.raises(TriageError, match="merged into"):
        svc.triage.set_status([source], "open")
    svc.triage.undo()
    assert count(source) == a and count(target) == b
    assert _row(svc, source).merged_into_id is None and _row(svc, source).status == "open"
    assert "merged-tag" not in svc.inbox.summary(target).tags  # type: ignore[union-attr]


def test_logging_a_call_makes_a_conversation_that_counts_in_the_360_pane(svc: Services) -> None:
    at = svc.clock.now() - timedelta(minutes=20)
    result = svc.triage.log_contact(
        ContactEntry(
            customer="+49 30 1234567",
            channel="phone",
            direction="inbound",
            summary="Voicemail: wants a call back about the invoice",
            at=at,
            needs_answer=True,
        )
    )
    cid = result.changed[0]
    row = _row(svc, cid)
    assert row.status == "open" and row.channel == "phone"
    detail = svc.inbox.conversation(cid)
    assert detail is not None and detail.entries[-1].kind == "contact"
    profile = svc.customers.profile(row.customer_id)
    assert (
        profile is not None
        and dict((c.channel, c.count) for c in profile.contacts_by_channel).get("phone") == 1
    )
    # answered by a call back: logged in the same conversation, nobody waits any more
    svc.triage.log_contact(
        ContactEntry(
            customer=str(row.customer_id),
            channel="phone",
            direction="outbound",
            summary="Called back, invoice re-sent",
            at=svc.clock.now(),
            conversation_id=cid,
        )
    )
    assert _row(svc, cid).waiting_since is None
    with pytest.raises(TriageError, match="future"):
        svc.triage.log_contact(
            ContactEntry("+49 30 1234567", "chat", "inbound", "x", svc.clock.now() + timedelta(1))
        )
    svc.triage.undo()
    svc.triage.undo()
    assert _row(svc, cid) is None  # made for the contact, gone with it


def test_undo_reverses_the_last_batch_only_and_never_twice(svc: Services) -> None:
    ids = _open_ids(svc, 3)
    svc.triage.set_status(ids, "pending")
    svc.triage.set_status(ids, "closed")
    result = svc.triage.undo()
    assert set(result.changed) == set(ids)
    assert all(_row(svc, c).status == "pending" for c in ids)
    svc.triage.undo()
    assert all(_row(svc, c).status == "open" for c in ids)
    with pytest.raises(TriageError, match="nothing to undo"):
        svc.triage.undo()


def test_undo_leaves_a_conversation_somebody_changed_since(svc: Services) -> None:
    mine, theirs = _open_ids(svc, 2)
    svc.triage.set_status([mine, theirs], "closed")
    customer_writes(svc, theirs)  # the customer wrote again: reopened by the sync
    result = svc.triage.undo()
    assert result.changed == (mine,) and result.unchanged == (theirs,)
    assert "changed since" in result.message
    assert _row(svc, mine).status == "open" and _row(svc, theirs).status == "open"


def test_undo_is_per_agent(svc: Services) -> None:
    cid = _open_ids(svc, 1)[0]
    svc.triage.set_status([cid], "closed")
    jonas = Services(svc.store, svc.settings.as_agent("jonas"), svc.clock)
    with pytest.raises(TriageError, match="nothing to undo"):
        jonas.triage.undo()
    svc.triage.undo()
    assert _row(svc, cid).status == "open"


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["open", "pending", "closed", "snooze", "snooze-hold", "tag", "untag"]),
        st.integers(min_value=0, max_value=3),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_undoing_every_action_returns_to_the_start(svc: Services, actions: list[Any]) -> None:
    ids = _open_ids(svc, 4)

    def state() -> list[tuple[Any, ...]]:
        with svc.store.read() as db:
            return [
                tuple(r)
                for r in db.all(
                    "SELECT c.id, status, snoozed_until, snooze_until_reply, snooze_choice, "
                    "(SELECT group_concat(tag) FROM (SELECT tag FROM conversation_tag t WHERE "
                    "t.conversation_id = c.id ORDER BY tag)) FROM conversation c WHERE id IN "
                    f"({', '.join(map(str, ids))}) ORDER BY id"
                )
            ]

    start = state()
    done = 0
    for action, n in actions:
        target = ids[: n + 1]
        later = svc.clock.now() + timedelta(days=n + 1)
        if action == "snooze":
            result = svc.triage.snooze(target, later, until_reply=True, choice=f"{n + 1}d")
        elif action == "snooze-hold":
            result = svc.triage.snooze(target, later, until_reply=False)
        elif action == "tag":
            result = svc.triage.tag(target, add=["prop"])
        elif action == "untag":
            result = svc.triage.tag(target, remove=["prop"])
        else:
            result = svc.triage.set_status(target, action)
        done += bool(result.changed)
    for _ in range(done):
        svc.triage.undo()
    assert state() == start


def test_times_are_stored_in_utc(svc: Services) -> None:
    cid = _open_ids(svc, 1)[0]
    wake = datetime(2031, 1, 2, 9, 0, tzinfo=BERLIN)
    svc.triage.snooze([cid], wake, until_reply=True)
    assert svc.inbox.summary(cid).snoozed_until == wake.astimezone(UTC)  # type: ignore[union-attr]
    assert _row(svc, cid).snoozed_until.startswith("2031-01-02 08:00")


def test_nothing_given_is_an_error(svc: Services, tmp_path: Path) -> None:
    with pytest.raises(TriageError, match="no conversation given"):
        svc.triage.set_status([], "closed")


def test_notes_show_in_the_thread_as_the_teams_own(svc: Services) -> None:
    cid = _open_ids(svc, 1)[0]
    svc.triage.add_note(cid, "VIP: be generous")
    detail = svc.inbox.conversation(cid)
    assert detail is not None
    notes = [e for e in detail.entries if e.kind == "note"]
    assert [(n.text, n.author, n.direction) for n in notes] == [
        ("VIP: be generous", "Mara Lind", "internal")
    ]
