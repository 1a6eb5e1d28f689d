"""Turning a raw UID FETCH response into ``Fetched`` messages — in a worker process when the
sync is big, so that the parsing (imapclient's FETCH parser and MIME) runs on the second core
and the storing thread keeps the main process's GIL to itself.

Kept small on purpose: a spawned worker imports only this, the MIME parser and imapclient.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from imapclient.response_parser import parse_fetch_response

from agentconsole.mail.imap import fetch_lines_of, split_responses
from agentconsole.mail.ingest import Fetched
from agentconsole.mail.parse import parse_message


def decode_batch(block: bytes, wanted: list[int], parse_mime: bool) -> list[Fetched]:
    """The messages of one FETCH response block (only the UIDs asked for), in UID order.

    With ``parse_mime`` (in the worker process) the raw bytes travel back only when the
    message has attachments to save: the rest of the message is in its parsed form.
    """
    lines = fetch_lines_of(split_responses(block))
    if not lines:
        return []
    parsed = parse_fetch_response(lines, normalise_times=False, uid_is_key=True)
    asked = set(wanted)
    out: list[Fetched] = []
    for uid in sorted(u for u in parsed if isinstance(u, int) and u in asked):
        data = parsed[uid]
        raw = bytes(data.get(b"BODY[]") or b"")
        message = parse_message(raw) if parse_mime else None
        out.append(
            Fetched(
                uid=uid,
                flags=item_flags(data),
                raw=b"" if message is not None and not message.attachments else raw,
                internaldate=item_internaldate(data),
                modseq=item_modseq(data),
                parsed=message,
            )
        )
    return out


def item_flags(data: dict[bytes, Any]) -> tuple[str, ...]:
    """The message's flags; ``\\Recent`` is per session, not the message's, so it is dropped."""
    raw = data.get(b"FLAGS") or ()
    flags = (f.decode() if isinstance(f, bytes) else str(f) for f in raw)
    return tuple(f for f in flags if f.lower() != "\\recent")


def item_modseq(data: dict[bytes, Any]) -> int | None:
    value = data.get(b"MODSEQ")
    if isinstance(value, tuple) and value:
        return int(value[0])
    return int(value) if isinstance(value, int) else None


def item_internaldate(data: dict[bytes, Any]) -> datetime | None:
    value = data.get(b"INTERNALDATE")
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, bytes | str):
        text = value.decode() if isinstance(value, bytes) else value
        try:
            return datetime.strptime(text, "%d-%b-%Y %H:%M:%S %z").astimezone(UTC)
        except ValueError:
            return None
    return None
