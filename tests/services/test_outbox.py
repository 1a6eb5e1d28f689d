"""Drafts, queueing and the undo window, delivered through the Maildir transport.

The SMTP path, the Sent folder and crashes are in tests/mail/test_outbox_*.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import mailbox

import pytest

from agentconsole.clock import FixedClock
from agentconsole.services.context import Services
from agentconsole.services.drafts import DraftError
from agentconsole.services.inbox import InboxView
from agentconsole.services.outbox import CustomerWroteAgain, ReplyError
from tests.services.store_helpers import customer_writes


def _conversation(services: Services) -> int:
    return services.inbox.page(InboxView(), 0, 1)[0].id


def _clock(services: Services) -> FixedClock:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    return clock


def test_a_reply_quotes_the_customer_and_carries_the_signatures(services: Services) -> None:
    conv = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    with services.store.read() as db:
        last = db.one(
            "SELECT from_addr, body_text FROM message WHERE conversation_id = :c "
            "AND direction = 'inbound' ORDER BY sent_at DESC LIMIT 1",
            {"c": conv},
        )
    assert draft.to == last.from_addr
    assert draft.subject.startswith("Re: ")
    assert "-- \nMara" in draft.body
    first_line = last.body_text.strip().splitlines()[0]
    assert f"> {first_line}" in draft.body
    assert " wrote:\n" in draft.body
    assert not draft.restored


def test_drafts_are_kept_and_restored_under_their_key(services: Services) -> None:
    conv = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    services.drafts.save(services.agent, dataclasses.replace(draft, body="half-written"))
    again = services.drafts.start(services.agent, "reply", conversation_id=conv)
    assert again.restored and again.body == "half-written"
    assert services.drafts.discard(services.agent, again.key)
    fresh = services.drafts.start(services.agent, "reply", conversation_id=conv)
    assert not fresh.restored and fresh.body != "half-written"


def test_reply_all_keeps_cc_without_our_own_address(services: Services) -> None:
    conv = _conversation(services)
    with services.store.write() as w:
        account = w.scalar("SELECT email FROM mail_account ORDER BY id LIMIT 1")
        w.execute(
            "UPDATE message SET cc_addrs = :cc, to_addrs = :to WHERE conversation_id = :c "
            "AND direction = 'inbound'",
            {"cc": "partner@example.org, Ann <ann@example.org>", "to": account, "c": conv},
        )
    draft = services.drafts.start(services.agent, "reply_all", conversation_id=conv)
    assert draft.cc == "partner@example.org, ann@example.org"
    plain = services.drafts.start(services.agent, "reply", conversation_id=conv)
    assert plain.cc == ""


def test_reply_to_is_honoured(services: Services) -> None:
    conv = _conversation(services)
    with services.store.write() as w:
        w.execute(
            "UPDATE message SET reply_to = 'orders@customer.example' WHERE conversation_id = :c",
            {"c": conv},
        )
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    assert draft.to == "orders@customer.example"


def test_forward_and_new_message(services: Services) -> None:
    conv = _conversation(services)
    forward = services.drafts.start(services.agent, "forward", conversation_id=conv)
    assert forward.to == "" and forward.subject.startswith("Fwd: ")
    assert "---------- Forwarded message ----------" in forward.body
    customer = services.inbox.summary(conv)
    assert customer is not None
    new = services.drafts.start(services.agent, "new", customer_id=customer.customer_id)
    assert new.to and new.subject == "" and new.conversation_id is None
    with pytest.raises(DraftError):
        services.drafts.start(services.agent, "new")


def _send(services: Services) -> int:
    return asyncio.run(services.outbox.run_due())


def test_reply_waits_out_the_undo_window_then_leaves_once(services: Services) -> None:
    conv = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    draft = dataclasses.replace(draft, body="It ships today.\n" + draft.body)
    services.drafts.save(services.agent, draft)
    queued = services.outbox.queue(services.agent, draft)
    assert services.drafts.get(services.agent, draft.key) is None  # the draft became the reply
    assert _send(services) == 0  # still inside the undo window
    assert [e.state for e in services.outbox.entries(conversation_id=conv)] == ["queued"]
    _clock(services).advance(seconds=11)
    assert _send(services) == 1
    assert _send(services) == 0  # never twice
    box = mailbox.Maildir(services.settings.maildir, create=False)
    mails = list(box)
    assert len(mails) == 1 and mails[0]["Message-ID"] == f"<{queued.message_id}>"
    assert mails[0]["In-Reply-To"] and mails[0]["References"]
    assert "It ships today." in mails[0].get_payload(decode=True).decode()
    entry = services.outbox.entry(queued.outbox_id)
    assert entry.state == "sent" and entry.attempts == 1 and entry.filing == "off"
    summary = services.inbox.summary(conv)
    assert summary is not None and summary.status == "pending" and summary.waiting_since is None
    with services.store.read() as db:
        stored = db.one(
            "SELECT direction, body_text FROM message WHERE message_id = :m",
            {"m": queued.message_id},
        )
        kinds = db.scalars("SELECT kind FROM event WHERE kind LIKE 'reply.%' ORDER BY id", {})
        first = db.scalar("SELECT first_response_at FROM conversation WHERE id = :c", {"c": conv})
    assert stored.direction == "outbound" and "It ships today." in stored.body_text
    assert kinds == ["reply.queued", "reply.sent"]
    assert first is not None


def test_undo_turns_the_reply_back_into_a_draft(services: Services) -> None:
    conv = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    draft = dataclasses.replace(draft, body="Oops, wrong customer", status_after="closed")
    queued = services.outbox.queue(services.agent, draft)
    back = services.outbox.undo(services.agent, queued.outbox_id)
    assert back.body == "Oops, wrong customer" and back.status_after == "closed"
    assert services.drafts.get(services.agent, draft.key) is not None
    _clock(services).advance(seconds=30)
    assert _send(services) == 0
    assert services.outbox.entry(queued.outbox_id).state == "cancelled"
    with pytest.raises(ReplyError, match="already taken back"):
        services.outbox.undo(services.agent, queued.outbox_id)


def test_undo_is_refused_once_the_reply_has_gone(services: Services) -> None:
    conv = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    queued = services.outbox.queue(services.agent, draft, undo_seconds=0)
    assert _send(services) == 1
    with pytest.raises(ReplyError, match="too late"):
        services.outbox.undo(services.agent, queued.outbox_id)


def test_status_after_sending_is_the_agents_choice(services: Services) -> None:
    conv = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    services.outbox.queue(
        services.agent, dataclasses.replace(draft, status_after="closed"), undo_seconds=0
    )
    _send(services)
    summary = services.inbox.summary(conv)
    assert summary is not None and summary.status == "closed"


def test_a_new_message_starts_a_conversation_when_sent(services: Services) -> None:
    summary = services.inbox.summary(_conversation(services))
    assert summary is not None
    draft = services.drafts.start(services.agent, "new", customer_id=summary.customer_id)
    draft = dataclasses.replace(draft, subject="Your voucher", body="Here it is.")
    queued = services.outbox.queue(services.agent, draft, undo_seconds=0)
    assert queued.conversation_id is None
    _send(services)
    entry = services.outbox.entry(queued.outbox_id)
    assert entry.conversation_id is not None
    started = services.inbox.summary(entry.conversation_id)
    assert started is not None and started.subject == "Your voucher"
    assert started.customer_id == summary.customer_id and started.status == "pending"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "Hi\r\nBcc: evil@example.com", "Subject field contains a line break"),
        ("subject", "Hi\x1b[31m", "Subject field contains a control character"),
        ("cc", "a@b.example\nBcc: evil@example.com", "Cc field contains a line break"),
        ("to", "not-an-address", "is not an email address"),
        ("to", "a@b.example\u240aBcc: x@y.example", "is not an email address"),
        ("to", "team: x@y.example;", "group addresses"),
        ("to", "", "no recipient"),
        ("body", "  \n", "empty"),
    ],
)
def test_bad_headers_and_empty_replies_are_refused(
    services: Services, field: str, value: str, message: str
) -> None:
    conv = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    with pytest.raises(ReplyError, match=message):
        services.outbox.queue(services.agent, dataclasses.replace(draft, **{field: value}))
    assert services.outbox.entries() == []


def test_a_hostile_subject_is_cleaned_in_the_reply(services: Services) -> None:
    conv = _conversation(services)
    with services.store.write() as w:
        w.execute(
            "UPDATE conversation SET subject = :s WHERE id = :c",
            {"s": "Order\x1b[31m #12\r\nBcc: x@y.example", "c": conv},
        )
    draft = services.drafts.start(services.agent, "reply", conversation_id=conv)
    assert draft.subject == "Re: Order [31m #12 Bcc: x@y.example"
    services.outbox.queue(services.agent, draft)  # sendable as it comes


def test_a_forward_leaves_the_customer_waiting(services: Services) -> None:
    conv = _conversation(services)
    before = services.inbox.summary(conv)
    assert before is not None and before.waiting_since is not None
    draft = services.drafts.start(services.agent, "forward", conversation_id=conv)
    assert draft.status_after == "open"
    draft = dataclasses.replace(draft, to="supplier@wholesale.example", body="Can you check?\n")
    services.outbox.queue(services.agent, draft, undo_seconds=0)
    assert _send(services) == 1
    after = services.inbox.summary(conv)
    assert after is not None and after.status == "open"
    assert after.waiting_since == before.waiting_since
    with services.store.read() as db:
        first = db.scalar("SELECT first_response_at FROM conversation WHERE id = :c", {"c": conv})
    assert first is None


def test_a_reply_stops_once_when_the_customer_wrote_after_it_began(services: Services) -> None:
    cid = _conversation(services)
    agent = services.agent
    draft = services.drafts.start(agent, "reply", conversation_id=cid)
    draft = dataclasses.replace(draft, body="On its way!\n" + draft.body)
    services.drafts.save(agent, draft)
    customer_writes(services, cid)  # meanwhile (a colleague may even have answered)
    with pytest.raises(CustomerWroteAgain, match="wrote again at .* after you began"):
        services.outbox.queue(agent, draft)
    assert not services.outbox.entries(conversation_id=cid, states=("queued",))
    # Read now: sending again goes ahead, even from the stale copy the composer holds.
    services.drafts.save(agent, draft)
    assert services.outbox.queue(agent, draft).conversation_id == cid


def test_a_fresh_reply_knows_the_newest_customer_message(services: Services) -> None:
    cid = _conversation(services)
    draft = services.drafts.start(services.agent, "reply", conversation_id=cid)
    newest = customer_writes(services, cid)
    assert draft.seen_upto is not None and draft.seen_upto < newest
    assert services.drafts.start(services.agent, "reply", conversation_id=cid).seen_upto == newest
