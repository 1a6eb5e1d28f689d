"""The parser's shortcuts for everyday headers agree with the standard library's parsers.

Why: ``_simple_params`` and ``_simple_date`` skip the stdlib for the forms nearly every mailer
writes (they cost a third of the parse time); they must give exactly what the stdlib gives,
and step aside (None) for anything they do not fully understand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from agentconsole.mail.parse import _simple_date, _simple_params

_TOKEN = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+"),
    min_size=1,
    max_size=12,
)
_QUOTED = st.text(
    alphabet=st.characters(blacklist_characters='"\\\r\n', min_codepoint=32, max_codepoint=0x2FF),
    max_size=20,
)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])


def _stdlib_params(value: str) -> dict[str, object]:
    message = Message()
    message["Content-Type"] = value
    out: dict[str, object] = {}
    for key, param in (message.get_params() or [])[1:]:
        out.setdefault(key.lower(), param)
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            _TOKEN,
            st.one_of(_TOKEN.map(lambda t: (t, False)), _QUOTED.map(lambda q: (q, True))),
            _SPACE,
        ),
        max_size=4,
    ),
    st.sampled_from(["text/plain", "multipart/mixed", "application/pdf", "TEXT/HTML"]),
)
def test_simple_parameters_match_the_stdlib(
    params: list[tuple[str, tuple[str, bool], str]], ctype: str
) -> None:
    value = ctype + "".join(
        f";{space}{key}={space}" + (f'"{text}"' if quoted else text)
        for key, (text, quoted), space in params
    )
    fast = _simple_params(value)
    if fast is not None:
        assert fast == _stdlib_params(value), value


def test_parameters_the_shortcut_leaves_to_the_stdlib() -> None:
    for value in (
        "text/plain; name*=utf-8''caf%C3%A9.txt",  # RFC 2231
        "text/plain; name*0=a; name*1=b",
        'text/plain; charset="a\\"b"',  # a backslash escape
        "text/plain; (comment) charset=x",
        "multipart/mixed; boundary=----=_Part_1",  # "=" unquoted: not a token
    ):
        assert _simple_params(value) is None, value
    assert _simple_params('text/plain; charset="utf-8"') == {"charset": "utf-8"}


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2098, 12, 31)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
    st.booleans(),
)
def test_simple_dates_match_the_stdlib(
    moment: datetime, offset_minutes: int, weekday: bool
) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    text = format_datetime(moment.replace(microsecond=0, tzinfo=zone))
    if not weekday:
        text = text.split(", ", 1)[1]
    fast = _simple_date(text)
    assert fast is not None, text
    assert fast == parsedate_to_datetime(text).astimezone(UTC)
    assert fast.tzinfo is UTC


def test_dates_the_shortcut_leaves_to_the_stdlib() -> None:
    for value in (
        "Tue, 2 Jan 2024 23:59:59 +0200 (CEST)",  # a comment
        "Tue, 2 Jan 2024 23:59:59 GMT",  # an obsolete zone name
        "Mon, 31 Feb 2024 08:00:58 +0000",  # no such day: the stdlib decides (and refuses)
        "2024-01-02T10:00:00Z",
        "Mon, 01 Jan 1969 08:00:58 +0000",  # implausible years are the caller's call
    ):
        assert _simple_date(value) is None, value
