"""Outbox benchmark against a local aiosmtpd; prints JSON.

Targets (issue 4): 500 queued replies drain through one SMTP connection (reused) at ≥ 50
messages/s; the time from the end of the undo window to the server's 250 is ≤ 1 s.

The replies are queued through the real services (frozen bytes, durable outbox rows) and sent
by the real sender (claim, SMTP, ``data_started``, sent — each step an fsynced transaction),
over STARTTLS with AUTH, like a submission server. Filing in Sent is off here (no IMAP server):
it is a separate step after the 250 and does not delay the next send.

Usage: ``uv run python bench/send.py [--replies 500]``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentconsole.clock import SystemClock  # noqa: E402
from agentconsole.config import (  # noqa: E402
    AccountConfig,
    AgentSection,
    OutgoingSection,
    Settings,
    StoreSection,
)
from agentconsole.services.context import Services  # noqa: E402
from agentconsole.store.reader import stored_time  # noqa: E402
from tests.servers.smtp import SmtpServer  # noqa: E402

PASSWORD = "bench-secret"


def seed(services: Services) -> int:
    """One account, one customer, one conversation with a customer message; its id."""
    now = stored_time(datetime.now(UTC))
    with services.store.write() as w:
        w.execute(
            "INSERT INTO mail_account (name, email, sync_state, sync_detail) "
            "VALUES ('shop', 'support@shop.example', 'synced', '')"
        )
        customer = w.execute(
            "INSERT INTO customer (name, language, notes, created_at) "
            "VALUES ('Ann Buyer', 'en', '', :t)",
            {"t": now},
        )
        w.execute(
            "INSERT INTO customer_identity (customer_id, kind, value, is_primary) "
            "VALUES (:c, 'email', 'ann@customer.example', 1)",
            {"c": customer},
        )
        conversation = w.execute(
            "INSERT INTO conversation (subject, status, channel, customer_id, account_id, "
            "waiting_since, last_message_at, created_at) "
            "VALUES ('Where is my order?', 'open', 'email', :c, 1, :t, :t, :t)",
            {"c": customer, "t": now},
        )
        w.execute(
            "INSERT INTO message (message_id, conversation_id, customer_id, direction, channel, "
            "from_addr, from_name, to_addrs, cc_addrs, reply_to, subject, in_reply_to, "
            '"references", sent_at, received_at, body_text, is_automated, seen, size) VALUES '
            "('q1@customer.example', :v, :c, 'inbound', 'email', 'ann@customer.example', "
            "'Ann Buyer', 'support@shop.example', '', '', 'Where is my order?', NULL, '', "
            ":t, :t, 'Hello, where is my order #1001?', 0, 0, 100)",
            {"v": conversation, "c": customer, "t": now},
        )
    return conversation


def queue(services: Services, conversation: int, text: str, undo: float) -> int:
    draft = services.drafts.start(services.agent, "reply", conversation_id=conversation)
    draft = dataclasses.replace(draft, body=f"{text}\n{draft.body}")
    return services.outbox.queue(services.agent, draft, undo_seconds=undo).outbox_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=500)
    parser.add_argument("--latency-rounds", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="acsend"))
    result: dict[str, object] = {"benchmark": "send", "replies": args.replies}
    os.environ["BENCH_SMTP_PASSWORD"] = PASSWORD
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own deprecation notes
    try:
        with SmtpServer(starttls=True, auth={"shop": PASSWORD}) as smtp:
            account = AccountConfig(
                name="shop",
                email="support@shop.example",
                username="shop",
                imap_host="127.0.0.1",
                imap_tls="none",
                smtp_host="127.0.0.1",
                smtp_port=smtp.port,
                smtp_tls="starttls",
                tls_ca_file=smtp.cert_path,
                save_sent=False,
                password_env="BENCH_SMTP_PASSWORD",
            )
            settings = Settings(
                store=StoreSection(home=work),
                agent=AgentSection(name="Bench Agent", handle="bench"),
                accounts=[account],
                outgoing=OutgoingSection(transport="smtp", undo_seconds=0),
            )
            services = Services.open(settings, SystemClock())
            try:
                conversation = seed(services)
                started = time.perf_counter()
                for i in range(args.replies):
                    queue(services, conversation, f"Reply number {i}: it ships today.", 0)
                result["queue_per_s"] = round(args.replies / (time.perf_counter() - started), 1)

                started = time.perf_counter()
                sent = asyncio.run(services.outbox.run_due())
                seconds = time.perf_counter() - started
                result["drained"] = sent
                result["drain_s"] = round(seconds, 3)
                result["messages_per_s"] = round(sent / seconds, 1)
                result["smtp_connections"] = smtp.connections
                result["received"] = len(smtp.received)

                result.update(measure_latency(services, smtp, conversation, args.latency_rounds))
            finally:
                services.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["targets"] = {"messages_per_s": 50, "undo_end_to_250_max_s": 1.0}
    print(json.dumps(result, indent=2))


def measure_latency(
    services: Services, smtp: SmtpServer, conversation: int, rounds: int
) -> dict[str, object]:
    """A sender runs as in the console; each reply's undo window (1 s) ends, then time to 250."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    wake = asyncio.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(services.outbox.run_forever(stop, wake))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    delays: list[float] = []
    try:
        for i in range(rounds):
            before = len(smtp.received)
            outbox_id = queue(services, conversation, f"latency {i}", 1.0)
            loop.call_soon_threadsafe(wake.set)
            entry = services.outbox.entry(outbox_id)
            smtp.wait_for(before + 1, timeout=10)
            # wait_for returns as the server records the message, just before its 250.
            arrived = datetime.now(UTC)
            delays.append((arrived - entry.send_after).total_seconds())
            time.sleep(0.3)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
    return {
        "undo_end_to_250_median_s": round(statistics.median(delays), 3),
        "undo_end_to_250_max_s": round(max(delays), 3),
    }


if __name__ == "__main__":
    main()
