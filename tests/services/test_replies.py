"""Canned replies: filtering, language order, filling, sending once."""

from __future__ import annotations

import mailbox

import pytest
from sqlalchemy import text

from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.services.replies import ReplyError


def test_filter_matches_every_word_and_prefers_the_customers_language(services: Services) -> None:
    everything = services.replies.templates()
    assert len(everything) >= 20
    found = services.replies.templates("order where", language="de")
    assert found and found[0].language == "de"
    for t in found:
        hay = f"{t.key} {t.title} {' '.join(t.tags)} {t.body}".lower()
        assert "order" in hay and "where" in hay
    assert services.replies.templates("zzzz-nothing") == []


def test_fill_uses_the_conversations_customer_and_order(services: Services) -> None:
    conv = services.inbox.page(InboxView(), 0, 1)[0]
    template = services.replies.templates("where-is-my-order", language="en")[0]
    filled = services.replies.fill(template.id, conv.id, services.settings.agent.name)
    assert "{{" not in filled.text
    assert "Mara Lind" in filled.text


def test_send_writes_message_outbox_event_and_maildir_once(services: Services) -> None:
    conv = services.inbox.page(InboxView(), 0, 1)[0]
    sent = services.replies.send(conv.id, "Hello!\nIt ships today.", services.agent)
    box = mailbox.Maildir(services.settings.maildir, create=False)
    mails = list(box)
    assert len(mails) == 1 and mails[0]["Message-ID"] == sent.message_id
    assert mails[0]["Subject"].startswith("Re: ")
    assert "It ships today." in mails[0].get_payload(decode=True).decode()
    with services.store.session() as session:
        state = session.execute(
            text(
                "SELECT o.state, o.attempts FROM outbox o JOIN message m ON m.id = o.message_id WHERE m.message_id = :m"
            ),
            {"m": sent.message_id},
        ).one()
        conv_row = session.execute(
            text("SELECT waiting_since, first_response_at FROM conversation WHERE id = :id"),
            {"id": conv.id},
        ).one()
    assert tuple(state) == ("sent", 1)
    assert conv_row.waiting_since is None and conv_row.first_response_at is not None
    summary = services.inbox.summary(conv.id)
    assert summary is not None and summary.waiting_since is None


def test_empty_reply_and_header_injection_are_refused(services: Services) -> None:
    conv = services.inbox.page(InboxView(), 0, 1)[0]
    with pytest.raises(ReplyError):
        services.replies.send(conv.id, "   ", services.agent)
    with services.store.session() as session:
        session.execute(
            text("UPDATE conversation SET subject = 'Hi\r\nBcc: evil@example.com' WHERE id = :id"),
            {"id": conv.id},
        )
    with pytest.raises(ValueError, match="line break"):
        services.replies.send(conv.id, "hello", services.agent)
    with services.store.session() as session:
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
