"""Deterministic, realistic customer e-mails for seeding test and benchmark mailboxes.

Why: benchmarks need tens of thousands of distinct messages with believable sizes (2-6 KB
bodies), headers and threading, reproducible from the message number alone.
"""

from __future__ import annotations

import functools
import random
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr

BASE_DATE = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
SUPPORT_ADDRESS = "Support <support@shop.example>"
LINE_WIDTH = 72
_POOL_SIZE = 4096
_AVG_LINE = 68  # bytes per body line incl. CRLF, roughly

_FIRST = (
    "Anna", "Ben", "Chloé", "David", "Emma", "Farid", "Greta", "Hiro", "Isabel", "Jonas",
    "Kara", "Luca", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara",
)  # fmt: skip
_LAST = (
    "Andersen", "Brown", "Costa", "Dubois", "Evans", "Fischer", "García", "Hughes", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Rossi", "Smith",
)  # fmt: skip
_SUBJECTS = (
    "Where is my order #{order}?",
    "Order #{order} arrived damaged",
    "Refund request for order #{order}",
    "Wrong size in order #{order}",
    "Question about delivery times",
    "Can I change the address on order #{order}?",
    "Invoice for order #{order}",
    "Discount code not working",
    "Exchange {product} for another colour",
    "Missing item in parcel #{order}",
)
_PRODUCTS = (
    "the linen shirt", "the ceramic mug set", "the walnut desk lamp", "the wool scarf",
    "the running shoes", "the leather wallet", "the espresso grinder", "the yoga mat",
)  # fmt: skip
_WORDS = (
    "order", "parcel", "delivery", "tracking", "number", "refund", "return", "label", "size",
    "colour", "invoice", "payment", "card", "account", "address", "courier", "warehouse",
    "yesterday", "today", "tomorrow", "week", "still", "already", "again", "please", "thanks",
    "could", "would", "should", "maybe", "really", "quite", "very", "just", "also", "because",
    "when", "where", "which", "that", "this", "with", "from", "about", "after", "before",
    "the", "the", "the", "a", "a", "an", "and", "and", "or", "but", "to", "to", "of", "of",
    "in", "on", "for", "it", "is", "was", "has", "have", "had", "I", "I", "my", "your", "we",
    "you", "our", "box", "item", "product", "photo", "damaged", "broken", "missing", "wrong",
    "late", "quickly", "exchange", "replacement", "discount", "code", "checkout", "website",
    "email", "reply", "answer", "shop", "customer", "service", "stock", "available", "gift",
    "birthday", "café", "naïve", "déjà", "Grüße", "weekend", "morning", "evening", "office",
)  # fmt: skip
_OPENINGS = ("Hello,", "Hi there,", "Dear support team,", "Good morning,", "Hello again,")
_CLOSINGS = ("Best regards,", "Thanks in advance,", "Kind regards,", "Cheers,", "Many thanks,")


def _encode_header(value: str) -> str:
    """RFC 2047-encode non-ASCII header text; plain ASCII passes through unchanged."""
    return value if value.isascii() else Header(value, "utf-8").encode(linesep="\r\n")


def _encode_address(value: str) -> str:
    """Encode the display name of ``Name <addr>`` when it is not ASCII."""
    if value.isascii():
        return value
    name, addr = parseaddr(value)
    return formataddr((name, addr), charset="utf-8")


@functools.cache
def _line_pool() -> tuple[str, ...]:
    """Pre-wrapped lines of varied words (fixed seed): bodies are assembled from these.

    Why a pool: picking and wrapping every word per message costs ~0.5 ms, too slow for
    seeding 20,000 messages; choosing whole lines keeps it to microseconds.
    """
    rng = random.Random(0x5EED)
    pool: list[str] = []
    for _ in range(_POOL_SIZE):
        words: list[str] = []
        width = 0
        while True:
            word = rng.choice(_WORDS)
            if rng.random() < 0.1 and words:  # a sentence ends inside the line
                words[-1] += "."
                word = word[:1].upper() + word[1:]
            if width + len(word) > LINE_WIDTH:
                break
            words.append(word)
            width += len(word) + 1
        pool.append(" ".join(words))
    return tuple(pool)


def _body(rng: random.Random, name: str) -> str:
    """2-6 KB of wrapped paragraphs, with a greeting and a signature."""
    pool = _line_pool()
    chosen = rng.choices(pool, k=rng.randint(2000, 6000) // _AVG_LINE)
    lines = [rng.choice(_OPENINGS), ""]
    start = 0
    while start < len(chosen):
        paragraph = chosen[start : start + rng.randint(2, 7)]
        start += len(paragraph)
        paragraph[0] = paragraph[0][:1].upper() + paragraph[0][1:]
        if not paragraph[-1].endswith("."):
            paragraph[-1] += "."
        lines += paragraph
        lines.append("")
    lines += [rng.choice(_CLOSINGS), name, ""]
    return "\r\n".join(lines)


def make_message(
    i: int,
    *,
    sender: str | None = None,
    to: str = SUPPORT_ADDRESS,
    subject: str | None = None,
    body: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    date: datetime | None = None,
) -> bytes:
    """Message number ``i`` as RFC 5322 bytes (CRLF); the same ``i`` always gives the same bytes.

    Every field can be overridden; ``in_reply_to`` also sets ``References`` (for threading).
    """
    rng = random.Random(i)
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    name = f"{first} {last}"
    if sender is None:
        local = f"{first}.{last}".lower().encode("ascii", "ignore").decode().replace("'", "")
        sender = f"{name} <{local}.{i}@customers.example>"
    if subject is None:
        subject = rng.choice(_SUBJECTS).format(
            order=10000 + rng.randint(0, 89999), product=rng.choice(_PRODUCTS)
        )
    if message_id is None:
        message_id = f"<msg-{i:07d}.{rng.getrandbits(32):08x}@customers.example>"
    if date is None:
        date = BASE_DATE + timedelta(minutes=17 * i, seconds=rng.randint(0, 59))
    body = _body(rng, name) if body is None else body.replace("\r\n", "\n").replace("\n", "\r\n")
    headers = [
        f"From: {_encode_address(sender)}",
        f"To: {_encode_address(to)}",
        f"Subject: {_encode_header(subject)}",
        f"Date: {format_datetime(date)}",
        f"Message-ID: {message_id}",
    ]
    if in_reply_to is not None:
        headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    headers += [
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
    ]
    if not body.endswith("\r\n"):
        body += "\r\n"
    return ("\r\n".join(headers) + "\r\n\r\n" + body).encode("utf-8")
