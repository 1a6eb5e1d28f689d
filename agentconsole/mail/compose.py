"""Building the bytes of an outgoing email.

Why here: the Message-ID and the raw bytes are fixed once, before the first delivery attempt,
so a retry can never produce a second, different copy. Header values come from customers and
agents, so line breaks are refused (no header injection).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid


class HeaderInjectionError(ValueError):
    """A header value contained a line break."""


def _clean(value: str, name: str) -> str:
    if "\r" in value or "\n" in value:
        raise HeaderInjectionError(f"line break in the {name} header")
    return value


def new_message_id(domain: str) -> str:
    return make_msgid(domain=domain)


def build_reply(
    *,
    message_id: str,
    from_name: str,
    from_addr: str,
    to_addr: str,
    subject: str,
    body: str,
    date: datetime,
    in_reply_to: str | None,
    references: list[str],
) -> bytes:
    """A plain-text reply with threading headers, as the bytes that will be sent."""
    msg = EmailMessage(policy=SMTP)
    msg["Message-ID"] = _clean(message_id, "Message-ID")
    msg["Date"] = format_datetime(date)
    msg["From"] = formataddr((_clean(from_name, "From"), _clean(from_addr, "From")))
    msg["To"] = _clean(to_addr, "To")
    msg["Subject"] = _clean(subject, "Subject")
    if in_reply_to:
        msg["In-Reply-To"] = _clean(in_reply_to, "In-Reply-To")
    if references:
        msg["References"] = _clean(" ".join(references), "References")
    msg["Auto-Submitted"] = "no"
    msg.set_content(body)
    return msg.as_bytes()
