"""The worker's FETCH decoding: the shortcuts for the sync's body and size requests give exactly
what imapclient's parser gives, anything else still goes through imapclient, and what the
worker sends back arrives unchanged."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from imapclient.response_parser import parse_fetch_response

from agentconsole.mail import fetched
from agentconsole.mail.fetched import decode_batch, fetch_items
from agentconsole.mail.imap import _plain_sizes, fetch_lines_of, split_responses
from agentconsole.mail.ingest import Fetched, content_key
from agentconsole.mail.parse import parse_message

_FLAGS = st.lists(
    st.sampled_from(
        [b"\\Seen", b"\\Answered", b"\\Flagged", b"\\Deleted", b"\\Draft", b"\\Recent",
         b"$Forwarded", b"$Label1", b"NonJunk", b"$MDNSent", b"custom_kw"]
    ),
    unique=True,
    max_size=5,
)  # fmt: skip
_DATES = st.builds(
    lambda moment, minutes: moment.replace(
        microsecond=0, tzinfo=timezone(timedelta(minutes=minutes))
    ),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    st.sampled_from([0, 60, 120, -300, -210, 330, 345, 14 * 60, -12 * 60]),
)
_BODIES = st.binary(max_size=300).map(lambda b: b"Subject: x\r\n\r\n" + b)


def _internaldate(moment: datetime) -> bytes:
    return moment.strftime("%d-%b-%Y %H:%M:%S %z").encode()


def _response(seq: int, uid: int, flags: list[bytes], moment: datetime, body: bytes) -> bytes:
    return b'* %d FETCH (UID %d FLAGS (%s) INTERNALDATE "%s" BODY[] {%d}\r\n%s)\r\n' % (
        seq,
        uid,
        b" ".join(flags),
        _internaldate(moment),
        len(body),
        body,
    )


def _by_imapclient(block: bytes) -> dict[int, dict[bytes, Any]]:
    lines = fetch_lines_of(split_responses(block))
    parsed = parse_fetch_response(lines, normalise_times=False, uid_is_key=True)
    return {uid: data for uid, data in parsed.items() if isinstance(uid, int)}


def _same(ours: dict[int, dict[bytes, Any]], theirs: dict[int, dict[bytes, Any]]) -> None:
    assert ours.keys() == theirs.keys()
    for uid, data in ours.items():
        other = theirs[uid]
        for key in (b"FLAGS", b"BODY[]"):
            assert data.get(key) == other.get(key), (uid, key)
        mine, its = data[b"INTERNALDATE"], other[b"INTERNALDATE"]
        assert mine == its and mine.utcoffset() == its.utcoffset(), (mine, its)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_FLAGS, _DATES, _BODIES), min_size=1, max_size=8))
def test_the_shortcut_agrees_with_imapclient(
    messages: list[tuple[list[bytes], datetime, bytes]],
) -> None:
    block = b"".join(
        _response(n, 100 + 3 * n, flags, moment, body)
        for n, (flags, moment, body) in enumerate(messages, 1)
    )
    responses = split_responses(block)
    assert all(fetched._body_fetch(r) is not None for r in responses)  # the shortcut was taken
    _same(fetch_items(responses), _by_imapclient(block))


def test_other_shapes_go_through_imapclient() -> None:
    body = b"Subject: hi\r\n\r\nhello\r\n"
    block = b"".join(
        [
            b"* 3 EXISTS\r\n",
            # MODSEQ, another order, a quoted date with an escaped quote nowhere near: imapclient
            b'* 1 FETCH (UID 7 MODSEQ (12) FLAGS (\\Seen) INTERNALDATE "01-Jan-2024 08:00:00 +0000" '
            b"BODY[] {%d}\r\n%s)\r\n" % (len(body), body),
            b'* 2 FETCH (BODY[] {%d}\r\n%s UID 8 INTERNALDATE " 1-Feb-2024 09:30:00 -0130" '
            b"FLAGS ())\r\n" % (len(body), body),
            b"* 2 FETCH (UID 8 FLAGS (\\Flagged))\r\n",  # an unsolicited flag change
        ]
    )
    responses = split_responses(block)
    assert all(fetched._body_fetch(r) is None for r in responses)
    items = fetch_items(responses)
    assert items[7][b"MODSEQ"] == (12,)
    assert items[8][b"FLAGS"] == (b"\\Flagged",)
    assert items[8][b"BODY[]"] == body
    assert items[8][b"INTERNALDATE"].astimezone(UTC) == datetime(2024, 2, 1, 11, 0, tzinfo=UTC)
    [first, second] = decode_batch(block, [7, 8], parse_mime=True)
    assert (first.uid, first.modseq, first.flags) == (7, 12, ("\\Seen",))
    assert second.parsed is not None and second.parsed.subject == "hi"


def test_impossible_dates_are_left_to_imapclient() -> None:
    body = b"x"
    block = (
        b'* 1 FETCH (UID 1 FLAGS () INTERNALDATE "31-Feb-2024 08:00:00 +0000" BODY[] {1}\r\nx)\r\n'
    )
    [response] = split_responses(block)
    assert fetched._body_fetch(response) is None
    assert body == decode_batch(block, [1], parse_mime=False)[0].raw


@given(st.lists(st.tuples(st.integers(1, 2**32 - 1), st.integers(0, 2**31)), max_size=30))
def test_plain_size_lines_read_like_imapclient(pairs: list[tuple[int, int]]) -> None:
    block = b"".join(
        b"* %d FETCH (UID %d RFC822.SIZE %d)\r\n" % (seq, uid, size)
        for seq, (uid, size) in enumerate(pairs, 1)
    )
    general = parse_fetch_response(
        fetch_lines_of(split_responses(block)), normalise_times=False, uid_is_key=True
    )
    assert _plain_sizes(block) == {
        uid: data[b"RFC822.SIZE"] for uid, data in general.items() if isinstance(uid, int)
    }


def test_anything_else_among_size_lines_is_left_to_imapclient() -> None:
    plain = b"* 1 FETCH (UID 7 RFC822.SIZE 120)\r\n"
    for block in (
        plain + b"* 2 EXISTS\r\n",  # mail arriving meanwhile
        b"* 1 FETCH (RFC822.SIZE 120 UID 7)\r\n",  # another item order
        plain + b"* 2 FETCH (UID 8 RFC822.SIZE 9 MODSEQ (4))\r\n",
        plain[:-2],  # cut short
    ):
        assert _plain_sizes(block) is None


def test_parsed_messages_cross_the_worker_boundary_unchanged() -> None:
    raw = (
        b"From: Ana <ana@example.com>\r\nTo: shop@example.com\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n"
        b"Date: Mon, 01 Jan 2024 09:59:52 +0200\r\nMessage-ID: <m1@example.com>\r\n\r\nhi\r\n"
    )
    item = Fetched(
        uid=3,
        flags=("\\Seen",),
        raw=b"",
        internaldate=datetime(2024, 1, 1, 8, tzinfo=UTC),
        modseq=9,
        parsed=parse_message(raw),
    )
    back = pickle.loads(pickle.dumps([item, replace(item, internaldate=None)]))
    assert back == [item, replace(item, internaldate=None)]
    assert back[0].parsed is not None and item.parsed is not None
    assert back[0].parsed.date == datetime(2024, 1, 1, 7, 59, 52, tzinfo=UTC)
    assert str(back[0].parsed.date) == str(item.parsed.date)  # content keys stay the same
    assert content_key(back[0].parsed) == content_key(item.parsed)
    undated = parse_message(b"From: a@example.com\r\n\r\nno date")
    assert pickle.loads(pickle.dumps(undated)) == undated
