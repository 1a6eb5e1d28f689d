"""Turning a raw UID FETCH response into ``Fetched`` messages — in a worker process when the
sync is big, so that the parsing (imapclient's FETCH parser and MIME) runs on the second core
and the storing thread keeps the main process's GIL to itself.

Kept small on purpose: a spawned worker imports only this, the MIME parser and imapclient.

FETCH responses are parsed by ``imapclient``'s parser, with one shortcut: the response to the
sync's own body request, in the exact form Dovecot and most servers send it,

    * 12 FETCH (UID 512 FLAGS (\\Seen $Label1) INTERNALDATE "23-Nov-2026 13:47:16 +0000"
    BODY[] {5940}<literal>)

is read with one regular expression; anything else — other items or order, quoted or
escaped strings, NIL, MODSEQ — goes to ``imapclient`` unchanged. The shortcut exists because
imapclient's lexer walks the response a character at a time: 64 µs a message, a third of the
worker's time in a 20,000-message first sync (``bench/sync.py``), against 3 µs here. Tests
check the shortcut against imapclient on generated responses.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from imapclient.response_parser import parse_fetch_response

from agentconsole.mail.imap import Line, fetch_lines_of, split_responses
from agentconsole.mail.ingest import Fetched
from agentconsole.mail.parse import parse_message


def decode_batch(block: bytes, wanted: list[int], parse_mime: bool) -> list[Fetched]:
    """The messages of one FETCH response block (only the UIDs asked for), in UID order.

    With ``parse_mime`` (in the worker process) the raw bytes travel back only when the
    message has attachments to save: the rest of the message is in its parsed form.
    """
    parsed = fetch_items(split_responses(block))
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


_BODY_FETCH = re.compile(
    rb"\* \d+ FETCH \(UID (\d+) FLAGS \(([^()\"{}\[\]\x00-\x1f\x7f]*)\) "
    rb'INTERNALDATE "(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)" '
    rb"BODY\[\] \{\d+\}"
)
_MONTHS = {
    m: n
    for n, m in enumerate(
        (b"jan", b"feb", b"mar", b"apr", b"may", b"jun")
        + (b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"),
        1,
    )
}


def fetch_items(responses: list[Line]) -> dict[int, dict[bytes, Any]]:
    """FETCH data by UID, as ``imapclient``'s ``parse_fetch_response(..., uid_is_key=True)``
    gives it; other responses in the block (EXISTS, unsolicited flags …) are skipped."""
    out: dict[int, dict[bytes, Any]] = {}
    slow: list[Line] = []
    for response in responses:
        quick = _body_fetch(response)
        if quick is None:
            slow.append(response)
        else:
            out.setdefault(quick[0], {}).update(quick[1])
    lines = fetch_lines_of(slow)
    if lines:
        for uid, data in parse_fetch_response(
            lines, normalise_times=False, uid_is_key=True
        ).items():
            if isinstance(uid, int):
                out.setdefault(uid, {}).update(data)
    return out


def _body_fetch(response: Line) -> tuple[int, dict[bytes, Any]] | None:
    """The sync's body FETCH in its usual form (see the module docstring), or None."""
    if isinstance(response, bytes) or len(response) != 2 or response[1] != b")":
        return None
    head = response[0]
    if not isinstance(head, tuple):
        return None
    text, literal = head
    m = _BODY_FETCH.fullmatch(text)
    if m is None:
        return None
    uid, flags, day, month, year, hour, minute, second, sign, off_h, off_m = m.groups()
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    offset = timedelta(hours=int(off_h), minutes=int(off_m))
    zone = timezone(offset if sign == b"+" else -offset) if offset else UTC
    try:
        when = datetime(
            int(year), number, int(day), int(hour), int(minute), int(second), tzinfo=zone
        )
    except ValueError:
        return None
    return int(uid), {
        b"FLAGS": tuple(flags.split()),
        b"INTERNALDATE": when,
        b"BODY[]": literal,
    }


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
