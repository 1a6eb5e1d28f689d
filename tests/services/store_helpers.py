"""Writing into a test store the way the sync would."""

from __future__ import annotations

from agentconsole.mail.ingest import refresh_conversation
from agentconsole.services.context import Services
from agentconsole.store.reader import stored_time


def customer_writes(svc: Services, cid: int) -> int:
    """A new customer message arrives in the conversation (as the sync would store it)."""
    clock = svc.clock
    now = clock.now()
    with svc.store.write() as w:
        customer = w.scalar("SELECT customer_id FROM conversation WHERE id = :id", {"id": cid})
        n = w.scalar("SELECT count(*) FROM message")
        new = w.execute(
            "INSERT INTO message (message_id, conversation_id, customer_id, direction, channel, "
            'from_addr, from_name, to_addrs, cc_addrs, subject, "references", reply_to, sent_at, '
            "received_at, body_text, is_automated, seen, flagged, size) VALUES (:mid, :c, :cu, "
            "'inbound', 'email', 'c@example.org', 'C', '', '', 'Re', '', '', :t, :t, 'Any news?', "
            "0, 0, 0, 9)",
            {"mid": f"<new-{n}@example.org>", "c": cid, "cu": customer, "t": stored_time(now)},
        )
        refresh_conversation(w, cid, now, customer_wrote=True)
    return new
