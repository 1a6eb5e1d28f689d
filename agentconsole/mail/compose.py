"""Building the bytes of an outgoing email.

Why here: the Message-ID and the raw bytes are fixed once, before the first delivery attempt,
so a retry can never produce a second, different copy. Header values come from customers and
agents, so line breaks and other control characters are refused (no header injection), and
addresses are checked one by one before anything is queued.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, getaddresses, make_msgid

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")
_LOCAL = re.compile(r"^[^@\s<>()\[\],;:\"\\]+$")


class HeaderInjectionError(ValueError):
    """A header value holds a line break or another control character; ``str()`` says which."""


class AddressError(ValueError):
    """An address list that cannot be sent to; ``str()`` names the culprit."""


def clean_header(value: str, name: str) -> str:
    """``value`` unchanged, or HeaderInjectionError naming the header."""
    found = _CONTROL.search(value)
    if found:
        what = "a line break" if found.group() in "\r\n\u2028\u2029" else "a control character"
        raise HeaderInjectionError(f"the {name} field contains {what}; remove it and try again")
    return value


def parse_addresses(value: str, name: str) -> list[str]:
    """``"Ann <ann@x.example>, bob@y.example"`` → the bare addresses, checked one by one."""
    clean_header(value, name)
    out: list[str] = []
    if ";" in value:
        raise AddressError(f'{name}: group addresses ("name: a@b;") are not supported')
    for display, address in getaddresses([value]):
        address = address.strip()
        if not address and not display.strip():
            continue
        if not _is_address(address):
            shown = address or display
            raise AddressError(f"{name}: {shown!r} is not an email address")
        if address.lower() not in (a.lower() for a in out):
            out.append(address)
    return out


def _is_address(address: str) -> bool:
    """local@domain with a dotted domain of letters, digits and hyphens (any script)."""
    local, at, domain = address.rpartition("@")
    if not at or not _LOCAL.match(local) or any(not c.isprintable() for c in local):
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(
        label and all(c.isalnum() or c == "-" for c in label) for label in labels
    )


def new_message_id(domain: str) -> str:
    return make_msgid(domain=domain)


def build_message(
    *,
    message_id: str,
    from_name: str,
    from_addr: str,
    to: list[str],
    cc: list[str],
    subject: str,
    body: str,
    date: datetime,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
) -> bytes:
    """A plain-text message as the exact bytes that will be sent and filed in Sent (CRLF)."""
    msg = EmailMessage(policy=SMTP)
    msg["Message-ID"] = clean_header(message_id, "Message-ID")
    msg["Date"] = format_datetime(date)
    msg["From"] = formataddr((clean_header(from_name, "From"), clean_header(from_addr, "From")))
    msg["To"] = [Address(addr_spec=a) for a in to]
    if cc:
        msg["Cc"] = [Address(addr_spec=a) for a in cc]
    msg["Subject"] = clean_header(subject, "Subject")
    if in_reply_to:
        msg["In-Reply-To"] = clean_header(in_reply_to, "In-Reply-To")
    if references:
        msg["References"] = clean_header(" ".join(references), "References")
    msg["Auto-Submitted"] = "no"
    msg.set_content(body)
    return msg.as_bytes()
