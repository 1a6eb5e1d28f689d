"""parse_message: raw bytes → ParsedMessage, never raising, on real-world and hostile mail."""

from __future__ import annotations

import base64
import random
import time
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentconsole.mail import parse
from agentconsole.mail.html_text import html_to_text
from agentconsole.mail.parse import (
    ParsedMessage,
    PartNotFoundError,
    extract_attachment,
    normalise_message_id,
    parse_message,
)


def msg(text: str, encoding: str = "utf-8") -> bytes:
    """A message from readable source: LF line ends become CRLF, as IMAP delivers them."""
    return text.lstrip("\n").replace("\n", "\r\n").encode(encoding)


def check_invariants(parsed: ParsedMessage) -> None:
    assert parsed.message_id
    assert "\x00" not in parsed.text
    assert parsed.date is None or parsed.date.utcoffset() == UTC.utcoffset(None)
    assert not any(d.startswith("internal error") for d in parsed.defects), parsed.defects
    for value in (parsed.subject, parsed.from_name, parsed.from_addr, *parsed.to, *parsed.cc):
        assert "\x00" not in value
    for attachment in parsed.attachments:
        assert attachment.filename
        assert "/" not in attachment.filename and "\\" not in attachment.filename
        assert attachment.size >= 0


PLAIN = msg("""
Return-Path: <jane@example.com>
Received: from mx.example.com by imap.shop.example; Mon, 3 Jun 2024 10:00:01 +0200
From: "Jane Doe" <Jane.Doe@Example.COM>
To: Support <support@shop.example>, orders@shop.example
Cc: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <Joerg@Example.de>
Reply-To: jane.private@example.com
Subject: Where is my order
 #1001?
Date: Mon, 3 Jun 2024 10:00:00 +0200
Message-ID: <CAF=abc123@Mail.Example.COM>
In-Reply-To: <first@shop.example> <second@shop.example>
References: <root@Shop.Example>
    <first@shop.example>  <root@shop.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Hello,

I ordered two mugs on Friday and haven=E2=80=99t heard anything since.
Could you check? =F0=9F=99=8F

Jane
""")


# -- the everyday message -------------------------------------------------------------


def test_plain_message() -> None:
    parsed = parse_message(PLAIN)
    check_invariants(parsed)
    assert parsed.message_id == "CAF=abc123@mail.example.com"  # local part keeps its case
    assert not parsed.message_id_missing
    assert parsed.in_reply_to == "first@shop.example"
    assert parsed.references == ("root@shop.example", "first@shop.example")
    assert parsed.subject == "Where is my order #1001?"
    assert (parsed.from_name, parsed.from_addr) == ("Jane Doe", "jane.doe@example.com")
    assert parsed.to == ("support@shop.example", "orders@shop.example")
    assert parsed.cc == ("joerg@example.de",)
    assert parsed.reply_to == ("jane.private@example.com",)
    assert parsed.date == datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
    assert parsed.text == (
        "Hello,\n\nI ordered two mugs on Friday and haven\u2019t heard anything since.\n"
        "Could you check? \U0001f64f\n\nJane"
    )
    assert parsed.attachments == ()
    assert parsed.automated is None
    assert parsed.defects == ()
    assert parsed.size == len(PLAIN)


def test_lf_only_message_parses_the_same() -> None:
    unix = parse_message(PLAIN.replace(b"\r\n", b"\n"))
    assert unix.text == parse_message(PLAIN).text
    assert unix.subject == "Where is my order #1001?"


# -- choosing the text ----------------------------------------------------------------

ALTERNATIVE = msg("""
From: jane@example.com
Message-ID: <alt@example.com>
Date: Tue, 4 Jun 2024 09:00:00 +0000
Content-Type: multipart/alternative; boundary="ALT"

This is a multi-part message in MIME format.
--ALT
Content-Type: text/html; charset=utf-8

<p>The <b>HTML</b> version</p>
--ALT
Content-Type: text/plain; charset=utf-8

The plain version
--ALT--
epilogue
""")


def test_alternative_picks_plain_even_when_html_comes_first() -> None:
    parsed = parse_message(ALTERNATIVE)
    check_invariants(parsed)
    assert parsed.text == "The plain version"
    assert parsed.defects == ()


def test_alternative_with_empty_plain_uses_html() -> None:
    raw = ALTERNATIVE.replace(b"The plain version", b"  ")
    assert parse_message(raw).text == "The HTML version"


def test_related_html_inside_alternative_and_mixed_parts_joined() -> None:
    raw = msg("""
From: jane@example.com
Message-ID: <mixed@example.com>
Content-Type: multipart/mixed; boundary=MIX

--MIX
Content-Type: multipart/alternative; boundary=ALT

--ALT
Content-Type: multipart/related; boundary=REL

--REL
Content-Type: text/html

<p>See the photo:</p><img src="cid:photo" alt="broken mug">
--REL
Content-Type: image/jpeg
Content-ID: <photo>
Content-Transfer-Encoding: base64

/9j/4AAQ
--REL--
--ALT--
--MIX
Content-Type: text/plain
Content-Disposition: inline

Sent from my phone
--MIX--
""")
    parsed = parse_message(raw)
    check_invariants(parsed)
    assert parsed.text == "See the photo:\n\nbroken mug\n\nSent from my phone"
    [photo] = parsed.attachments
    assert (photo.content_type, photo.content_id, photo.size) == ("image/jpeg", "photo", 6)
    assert photo.filename == "attachment-4.jpg"
    assert extract_attachment(raw, photo.part_index) == base64.b64decode("/9j/4AAQ")


def test_html_only_message_becomes_readable_text_with_links() -> None:
    raw = msg(
        """
From: Shop Customer <c@example.com>
Message-ID: <html@example.com>
Content-Type: text/html; charset=windows-1252
Content-Transfer-Encoding: 8bit

<!DOCTYPE html><html><head><title>Ignore me</title>
<style>p { color: red }</style><script>alert("x")</script></head>
<body><div>Hi&nbsp;team,</div><div><br></div>
<p>My order <a href="https://shop.example/orders/1001">#1001</a> arrived
   broken &ndash; see <a href="https://photos.example/abc">https://photos.example/abc</a>.</p>
<ul><li>Mug</li><li>Saucer</li></ul>
<p>Thanks,<br>Caf\xe9 owner   </p>
</body></html>
""",
        "latin-1",
    )
    parsed = parse_message(raw)
    check_invariants(parsed)
    assert parsed.text == (
        "Hi team,\n\n"
        "My order #1001 (https://shop.example/orders/1001) arrived broken \u2013 see "
        "https://photos.example/abc.\n\n"
        "- Mug\n- Saucer\n\n"
        "Thanks,\nCaf\u00e9 owner"
    )


def test_huge_html_keeps_the_text_after_an_inline_image() -> None:
    image = base64.b64encode(random.Random(3).randbytes(3_000_000)).decode()
    raw = msg(f"""
From: jane@example.com
Content-Type: text/html; charset=utf-8

<p>Look:</p><img src="data:image/png;base64,{image}" alt="photo"><p>Thanks, Jane</p>
""")
    started = time.perf_counter()
    parsed = parse_message(raw)
    assert time.perf_counter() - started < 0.5
    assert parsed.text == "Look:\n\nphoto\n\nThanks, Jane"


# -- HTML → text on its own -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>a</p><p>b</p>", "a\n\nb"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("a<br>b<br/><br />c", "a\nb\n\nc"),
        ("<p>a</p><p></p><p>&nbsp;</p><div><div></div></div><p>b</p>", "a\n\nb"),
        ("<h1>Title</h1>text", "Title\n\ntext"),
        ("<ul><li>one<li>two</ul>", "- one\n- two"),
        (
            "<table><tr><td>Qty</td><td>2</td></tr><tr><td>Sum</td><td>5</td></tr></table>",
            "Qty 2\nSum 5",
        ),
        ("fish &amp; chips &lt;3 &#8364;5 &euro;", "fish & chips <3 €5 €"),
        ("<a href='mailto:a@b.c'>a@b.c</a>", "a@b.c"),
        ("<a href='https://x.example/'>x.example</a>", "x.example"),
        ("<a href='#top'>top</a> <a href='javascript:evil()'>js</a>", "top js"),
        (
            "<a href='https://evil.example'>https://bank.example</a>",
            "https://bank.example (https://evil.example)",
        ),
        (
            "<a href='https://x.example/?a=1&amp;b=2'><img src='cid:1' alt='Logo'></a>",
            "Logo (https://x.example/?a=1&b=2)",
        ),
        (
            "<blockquote><p>quoted</p><p>more</p></blockquote><p>reply</p>",
            "> quoted\n\n> more\n\nreply",
        ),
        ("<pre>  two\n    four</pre>", "  two\n    four"),
        ("text   with\n\n spaces   <b>bold</b>", "text with spaces bold"),
        ("<p class=MsoNormal>one<o:p></o:p></p><p class=MsoNormal>two</p>", "one\ntwo"),
        ("<!-- hidden --><!--[if mso]><xml>x</xml><![endif]-->shown", "shown"),
        ("<title>unclosed<p>body text", "unclosed\n\nbody text"),
        ("<script>never closed", ""),
        ("I <3 you & 1 < 2", "I <3 you & 1 < 2"),
        ("<p>trailing   </p>   ", "trailing"),
    ],
)
def test_html_to_text(source: str, expected: str) -> None:
    assert html_to_text(source) == expected


def test_html_to_text_is_fast_on_two_megabytes() -> None:
    row = (
        '<table role="presentation" style="width:100%;border-collapse:collapse"><tr>'
        '<td style="padding:0 20px;font-family:Arial,sans-serif;font-size:14px;color:#333">'
        '<span style="color:#333">Hi Jane,</span><br><font face="Arial">Your order '
        '<a href="https://shop.example/orders/1001?utm_source=news&amp;utm_medium=email">'
        "#1001</a> has shipped &amp; is on its way.</font></td></tr></table>\n"
    )
    source = row * (2_000_000 // len(row))
    started = time.perf_counter()
    text = html_to_text(source)
    assert time.perf_counter() - started < 1.0
    assert text.startswith("Hi Jane,\nYour order #1001 (https://shop.example/orders/1001?utm")


@pytest.mark.parametrize("unit", ["<", "</", "<a ", "<!--", "<p>", "<a href=", "&#", "<b x='"])
def test_html_to_text_has_no_quadratic_corners(unit: str) -> None:
    source = unit * (300_000 // len(unit))
    started = time.perf_counter()
    html_to_text(source)
    assert time.perf_counter() - started < 0.5


# -- charsets ---------------------------------------------------------------------------


def test_declared_utf8_but_bytes_are_cp1252() -> None:
    raw = msg(
        """
From: a@example.com
Content-Type: text/plain; charset=utf-8

It\x92s \x93broken\x94 \x96 caf\xe9
""",
        "latin-1",
    )
    parsed = parse_message(raw)
    check_invariants(parsed)
    assert parsed.text == "It\u2019s \u201cbroken\u201d \u2013 caf\u00e9"
    assert any("windows-1252" in d and "utf-8" in d for d in parsed.defects)


def test_declared_latin1_but_bytes_are_utf8() -> None:
    raw = msg("From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\n\nCafé ✓\n")
    parsed = parse_message(raw)
    assert parsed.text == "Café ✓"
    assert any("utf-8" in d for d in parsed.defects)


@pytest.mark.parametrize("label", ["x-unknown", "utf8mb4", "no such charset", "rot13", "base64"])
def test_unknown_charset_falls_back(label: str) -> None:
    utf8 = parse_message(msg(f'Content-Type: text/plain; charset="{label}"\n\nnaïve\n'))
    cp1252 = parse_message(
        msg(f'Content-Type: text/plain; charset="{label}"\n\nna\xefve \x80\n', "latin-1")
    )
    assert utf8.text == "naïve"
    assert cp1252.text == "naïve €"
    assert any("unknown charset" in d and "windows-1252" in d for d in cp1252.defects)


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("ks_c_5601-1987", "안녕하세요"),
        ("gb2312", "你好，订单"),
        ("x-mac-roman", "Café"),
        ("shift_jis", "こんにちは"),
        ("windows-1251", "Привет"),
        ("iso-2022-jp", "こんにちは"),
    ],
)
def test_charset_aliases(label: str, text: str) -> None:
    codec = parse._codec(label)
    assert codec is not None
    raw = f"Content-Type: text/plain; charset={label}\r\n\r\n".encode() + text.encode(codec)
    parsed = parse_message(raw)
    assert parsed.text == text
    assert not any("charset" in d for d in parsed.defects)


def test_raw_8bit_headers() -> None:
    utf8 = parse_message(msg("From: Renée Ünal <r@example.fr>\nSubject: Café ✓\n\nhi\n"))
    assert (utf8.subject, utf8.from_name) == ("Café ✓", "Renée Ünal")
    assert not any("8-bit" in d for d in utf8.defects)  # RFC 6532 allows UTF-8 headers
    cp1252 = parse_message(
        msg("From: Ren\xe9e <r@example.fr>\nSubject: \x93Caf\xe9\x94\n\nhi\n", "latin-1")
    )
    assert (cp1252.subject, cp1252.from_name) == ("\u201cCafé\u201d", "Renée")
    assert any("8-bit" in d for d in cp1252.defects)


def test_rfc2047_subject_and_names() -> None:
    raw = msg("""
From: =?UTF-8?B?TcO8bGxlciwgSsO2cmc=?= <j@example.de>
To: "=?iso-8859-1?q?Ren=E9e?=" <r@example.fr>, =?x-unknown?q?Caf=E9?= <c@example.fr>
Subject: =?utf-8?B?8J+Zjw==?= =?utf-8?q?_Bestellung_?=
 =?utf-8?b?4oKs?= =?UTF-8?Q?5_=E2=82?= =?UTF-8?Q?=AC_und?= mehr  =?utf-8?q?Gr=C3=BC=C3=9Fe?=
""")
    parsed = parse_message(raw)
    check_invariants(parsed)
    # words are joined before decoding, so the euro sign split across two words survives
    assert parsed.subject == "\U0001f64f Bestellung €5 € und mehr Grüße"
    assert (parsed.from_name, parsed.from_addr) == ("Müller, Jörg", "j@example.de")
    assert parsed.to == ("r@example.fr", "c@example.fr")


def test_damaged_encoded_words_do_not_break_the_subject() -> None:
    parsed = parse_message(msg("Subject: =?utf-8?b?!!!?= =?utf-8?q?=ZZ?= =?bogus?x?y?= ok\n\n"))
    check_invariants(parsed)
    assert parsed.subject.endswith("=?bogus?x?y?= ok")


# -- Message-IDs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<abc@Example.COM>", "abc@example.com"),
        ("  < ABC@example.com >  ", "ABC@example.com"),
        ("abc@EXAMPLE.com", "abc@example.com"),
        ("<a@b> <c@d>", "a@b"),
        ("Your message of Monday <orig@Example.com>", "orig@example.com"),
        ("orig@example.com (Jane's message)", "orig@example.com"),
        ("<1234567890>", "1234567890"),
        ("<>", None),
        ("", None),
        (None, None),
        ("two words", None),
        ("<hash:0123456789abcdef0123456789abcdef>", None),
        ("<a\x01b@c>", None),
    ],
)
def test_normalise_message_id(value: str | None, expected: str | None) -> None:
    assert normalise_message_id(value) == expected


def test_missing_message_id_gets_a_stable_hash() -> None:
    raw = msg(
        "From: a@example.com\nTo: b@example.com\nSubject: hi\nDate: Mon, 3 Jun 2024 10:00:00 +0000\n\nbody\n"
    )
    first, again = parse_message(raw), parse_message(raw)
    assert first.message_id_missing
    assert first.message_id.startswith("hash:") and len(first.message_id) == 5 + 32
    assert first.message_id == again.message_id
    assert parse_message(raw.replace(b"\r\n", b"\n")).message_id == first.message_id
    assert parse_message(raw.replace(b"body", b"bodY")).message_id != first.message_id
    assert parse_message(raw.replace(b"Subject: hi", b"Subject: ho")).message_id != (
        first.message_id
    )
    assert "no Message-ID" in first.defects


@pytest.mark.parametrize("value", ["", "<>", "<hash:deadbeef>", "   ", "<a b\x7f>"])
def test_garbage_message_id_is_replaced_by_the_hash(value: str) -> None:
    parsed = parse_message(msg(f"Message-ID: {value}\nFrom: a@example.com\n\nbody\n"))
    assert parsed.message_id_missing
    assert parsed.message_id.startswith("hash:")


def test_references_are_normalised_deduplicated_and_ordered() -> None:
    raw = msg("""
Message-ID: <r@example.com>
In-Reply-To: Your message <Parent@EXAMPLE.com> of Monday
References: <root@Example.com>,<mid@example.com>
\t<ROOT@example.com> <root@example.com> <> <mid@EXAMPLE.COM>
References: <second-header@example.com>

x
""")
    parsed = parse_message(raw)
    assert parsed.in_reply_to == "Parent@example.com"
    assert parsed.references == (
        "root@example.com",
        "mid@example.com",
        "ROOT@example.com",
        "second-header@example.com",
    )


# -- automated mail -----------------------------------------------------------------------

HUMAN_HEADERS = "From: Jane <jane@example.com>\nSubject: Question about my order\n"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ("Auto-Submitted: auto-replied\n", "auto-reply"),
        ("Auto-Submitted: auto-generated\n", "auto-submitted"),
        ("Auto-Submitted: auto-notified; owner-email=x@y\n", "auto-submitted"),
        ("Auto-Submitted: no\n", None),
        ("X-Autoreply: yes\n", "auto-reply"),
        ("X-Autorespond: Out of office\n", "auto-reply"),
        ("X-Auto-Response-Suppress: All\nSubject: Automatic reply: Question\n", "auto-reply"),
        ("X-Auto-Response-Suppress: DR, OOF\nSubject: Out of Office\n", "auto-reply"),
        ("X-Auto-Response-Suppress: All\n", None),  # Outlook sets it on ordinary mail too
        ("Content-Type: multipart/report; report-type=delivery-status; boundary=b\n", "bounce"),
        ("Content-Type: text/plain; report-type=Delivery-Status\n", "bounce"),
        ("X-Failed-Recipients: gone@example.com\n", "bounce"),
        ("From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n", "mailer-daemon"),
        ("From: postmaster@example.com\n", "mailer-daemon"),
        ("Precedence: bulk\n", "bulk"),
        ("Precedence: junk\n", "bulk"),
        ("Precedence: list\n", "bulk"),
        ("List-Id: <news.shop.example>\n", "list"),
        ("List-Unsubscribe: <mailto:unsub@example.com>\n", "list"),
        ("", None),
    ],
)
def test_automated_mail(headers: str, expected: str | None) -> None:
    # later headers of the same name don't override the first, so the case comes first
    parsed = parse_message(msg(headers + HUMAN_HEADERS + "\nbody\n"))
    check_invariants(parsed)
    assert parsed.automated == expected


def test_a_real_bounce() -> None:
    raw = msg("""
From: Mail Delivery Subsystem <MAILER-DAEMON@mx.shop.example>
To: support@shop.example
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status; boundary="R"

--R
Content-Type: text/plain

The message could not be delivered to gone@example.com.
--R
Content-Type: message/delivery-status

Final-Recipient: rfc822; gone@example.com
Action: failed
--R
Content-Type: message/rfc822

From: support@shop.example
Subject: Re: your order

original
--R--
""")
    parsed = parse_message(raw)
    check_invariants(parsed)
    assert parsed.automated == "bounce"
    assert parsed.text == "The message could not be delivered to gone@example.com."
    assert [a.content_type for a in parsed.attachments] == [
        "message/delivery-status",
        "message/rfc822",
    ]
    assert [a.filename for a in parsed.attachments] == ["attachment-2.txt", "attachment-3.eml"]


# -- attachments ------------------------------------------------------------------------

ATTACHMENTS = msg("""
From: jane@example.com
Message-ID: <files@example.com>
Content-Type: multipart/mixed; boundary="=_b"

--=_b
Content-Type: text/plain; charset=utf-8

See attached.
--=_b
Content-Type: application/pdf; name="fallback.pdf"
Content-Disposition: attachment;
 filename*0*=utf-8''%E2%82%AC%20Rechnung%20;
 filename*1*=M%C3%A4rz.pdf
Content-Transfer-Encoding: base64

aGVsbG8g
d29ybGQ=
--=_b
Content-Type: application/octet-stream; name="../../etc/passwd"
Content-Transfer-Encoding: base64

cm9vdDp4OjA6MA==
--=_b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="C:\\\\Users\\\\jane\\\\evil\x1b[2J\u202egpj.exe"

MZ
--=_b
Content-Type: text/plain; name="=?utf-8?q?notes_=C3=BC.txt?="
Content-Transfer-Encoding: quoted-printable

caf=C3=A9=
 bar
--=_b
Content-Type: text/csv
Content-Disposition: attachment; filename=".."

a,b
--=_b--
""")


def test_attachment_listing() -> None:
    parsed = parse_message(ATTACHMENTS)
    check_invariants(parsed)
    assert parsed.text == "See attached."
    listed = [(a.filename, a.content_type, a.size, a.part_index) for a in parsed.attachments]
    assert listed == [
        ("€ Rechnung März.pdf", "application/pdf", 11, 2),  # RFC 2231, over two lines
        ("passwd", "application/octet-stream", 10, 3),  # no directories
        ("evil[2Jgpj.exe", "application/octet-stream", 2, 4),  # no escapes, no bidi tricks
        ("notes ü.txt", "text/plain", 9, 5),  # RFC 2047 in a name: wrong, but common
        ("attachment-6.csv", "text/csv", 3, 6),
    ]
    assert extract_attachment(ATTACHMENTS, 2) == b"hello world"
    assert extract_attachment(ATTACHMENTS, 3) == b"root:x:0:0"
    assert extract_attachment(ATTACHMENTS, 5) == "café bar".encode()
    for attachment in parsed.attachments:  # the listed size is the extracted size
        assert attachment.size == len(extract_attachment(ATTACHMENTS, attachment.part_index))


@pytest.mark.parametrize("index", [0, 1 - 2, 7, 99])
def test_extract_rejects_a_part_that_is_not_a_leaf(index: int) -> None:
    with pytest.raises(PartNotFoundError):
        extract_attachment(ATTACHMENTS, index)


def test_single_part_attachment_message() -> None:
    raw = msg("""
From: scanner@example.com
Content-Type: application/pdf
Content-Transfer-Encoding: base64

JVBERi0=
""")
    parsed = parse_message(raw)
    assert parsed.text == ""
    [pdf] = parsed.attachments
    assert (pdf.filename, pdf.part_index, pdf.size) == ("attachment-0.pdf", 0, 5)
    assert extract_attachment(raw, 0) == b"%PDF-"


def test_25_mb_attachment_is_listed_fast_without_decoding() -> None:
    payload = random.Random(25).randbytes(25 * 1024 * 1024 * 3 // 4 - 1)  # not a multiple of 3
    encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    raw = (
        msg("""
From: Jane <jane@example.com>
Message-ID: <big@example.com>
Subject: the video
Content-Type: multipart/mixed; boundary="BIG"

--BIG
Content-Type: text/plain

Here is the video of the broken parcel.
--BIG
Content-Type: video/mp4; name="parcel.mp4"
Content-Disposition: attachment; filename="parcel.mp4"
Content-Transfer-Encoding: base64

""")
        + encoded
        + b"\r\n--BIG--\r\n"
    )
    assert len(raw) > 25_000_000
    started = time.perf_counter()
    parsed = parse_message(raw)
    elapsed = time.perf_counter() - started
    check_invariants(parsed)
    assert elapsed < 0.5, elapsed  # measured ≈ 0.08 s
    assert parsed.text == "Here is the video of the broken parcel."
    [video] = parsed.attachments
    assert (video.filename, video.content_type, video.size) == (
        "parcel.mp4",
        "video/mp4",
        len(payload),
    )
    assert extract_attachment(raw, video.part_index) == payload


# -- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, 3 Jun 2024 10:00:00 +0200", datetime(2024, 6, 3, 8, 0, tzinfo=UTC)),
        ("3 Jun 2024 10:00:00 -0500", datetime(2024, 6, 3, 15, 0, tzinfo=UTC)),
        ("Mon, 3 Jun 2024 10:00:00 -0000", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("Mon, 3 Jun 2024 10:00:00 GMT", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("Mon, 3 Jun 2024 10:00:00", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("Mon, 3 Jun 24 10:00:00 +0000", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("Mon, 31 Feb 2024 10:00:00 +0000", None),
        ("Mon, 3 Jun 12024 10:00:00 +0000", None),
        ("Mon, 3 Jun 1901 10:00:00 +0000", None),
        ("Mon, 3 Jun 2024 99:99:99 +0000", None),
        ("Fri, 31 Dec 9999 23:59:59 -2359", None),  # overflows on conversion to UTC
    ],
)
def test_dates(value: str, expected: datetime | None) -> None:
    parsed = parse_message(msg(f"Date: {value}\nFrom: a@example.com\n\nx\n"))
    check_invariants(parsed)
    assert parsed.date == expected
    if expected is None:
        assert any("Date" in d for d in parsed.defects)


# -- damaged and hostile input ----------------------------------------------------------


def _nested(depth: int) -> bytes:
    head = "".join(
        f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(depth)
    )
    return msg(head + "Content-Type: text/plain\n\ndeep\n")


DAMAGED = {
    "empty": b"",
    "one byte": b"\xff",
    "NULs": b"\x00" * 100,
    "only a line end": b"\r",
    "headers only": b"From: a@example.com\r\nSubject: no body",
    "no blank line": b"From: a@example.com\r\nthis is body text\r\nmore",
    "continuation first": b" folded\r\nFrom: a@example.com\r\n\r\nx",
    "truncated in a header": PLAIN[:150],
    "truncated in the body": PLAIN[:-20],
    "truncated in base64": ATTACHMENTS[: ATTACHMENTS.index(b"d29ybGQ") + 3],
    "truncated in a boundary": ATTACHMENTS[: ATTACHMENTS.index(b"--=_b") + 3],
    "multipart without boundary": b"Content-Type: multipart/mixed\r\n\r\nhello",
    "multipart, boundary never used": b"Content-Type: multipart/mixed; boundary=x\r\n\r\nhi",
    "empty boundary": b'Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\nx\r\n----',
    "same boundary nested": _nested(1).replace(b"b0", b"x") + b"\r\n--x--\r\n--x--",
    "very deep nesting": _nested(200),
    "thousands of parts": b"Content-Type: multipart/mixed; boundary=p\r\n\r\n"
    + b"--p\r\n\r\nx\r\n" * 5000,
    "bad content-type": b'Content-Type: ;;;=="\r\n\r\nx',
    "bad transfer encoding": b"Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644",
    "bad base64": b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@=a",
    "bad qp": b"Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=",
    "utf-16 without BOM": b"Content-Type: text/plain; charset=utf-16\r\n\r\nabc",
    "binary junk": random.Random(1).randbytes(20_000),
    "mbox From line": b"From jane@example.com Mon Jun  3 10:00:00 2024\nSubject: x\n\nbody",
    "huge header": b"Subject: " + b"a" * 400_000 + b"\r\n\r\nbody",
    "many headers": b"X-A: b\r\n" * 60_000 + b"\r\nbody",
    "hostile params": b"Content-Type: text/plain; " + b'a="\\' * 5000 + b"\r\n\r\nx",
    "rfc2231 junk": b"Content-Type: application/x; name*0*=undefined''%FF; name*1*=%\r\n\r\nx",
    "address junk": b'From: "unterminated <a@b\r\nTo: @@@,,,<<>>;:\r\nCc: a@b (\r\n\r\nx',
}


@pytest.mark.parametrize("raw", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_input_never_raises(raw: bytes) -> None:
    started = time.perf_counter()
    parsed = parse_message(raw)
    assert time.perf_counter() - started < 2.0
    check_invariants(parsed)
    assert parsed.size == len(raw)
    for attachment in parsed.attachments:
        extract_attachment(raw, attachment.part_index)


def test_a_parser_bug_costs_the_details_not_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: bytes, defects: object) -> ParsedMessage:
        raise RuntimeError("bug")

    monkeypatch.setattr(parse, "_parse", broken)
    parsed = parse_message(b"From: a@example.com\r\n\r\nhello\x00")
    assert parsed.text == "From: a@example.com\r\n\r\nhello"
    assert parsed.message_id.startswith("hash:") and parsed.message_id_missing
    assert parsed.defects == ("internal error: RuntimeError: bug",)


def test_damage_is_noted() -> None:
    assert parse_message(DAMAGED["multipart without boundary"]).text == "hello"
    assert any("boundary" in d for d in parse_message(DAMAGED["truncated in a boundary"]).defects)
    assert any("nesting" in d for d in parse_message(DAMAGED["very deep nesting"]).defects)
    many = parse_message(DAMAGED["thousands of parts"])
    assert any("MIME parts" in d for d in many.defects)
    assert len(many.defects) <= 31


# -- properties -------------------------------------------------------------------------

CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "x-unknown", "utf8mb4", "gb2312", "utf-16",
            "ks_c_5601-1987", "", "\"", "utf-7", "koi8-r", "shift_jis", "rot13"]  # fmt: skip
ENCODINGS = ["", "7bit", "8bit", "base64", "quoted-printable", "binary", "x-junk"]
TYPES = ["text/plain", "text/html", "image/png", "application/pdf", "message/rfc822",
         "text/calendar", "garbage", "multipart/alternative"]  # fmt: skip
header_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
header_value = st.one_of(
    header_text,
    header_text.map(lambda t: f"=?utf-8?b?{base64.b64encode(t.encode()).decode()}?="),
    st.sampled_from(["<a@b.c>", "a@b.c, Name <x@y.z>", "=?x?q?bad?=", '"', "<", "Mon, 3 Jun"]),
)
header = st.tuples(
    st.sampled_from(["From", "To", "Cc", "Subject", "Date", "Message-ID", "References",
                     "In-Reply-To", "Reply-To", "Auto-Submitted", "Precedence", "X-Other"]),
    header_value,
)  # fmt: skip


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    ctype = draw(st.sampled_from(TYPES))
    charset = draw(st.sampled_from(CHARSETS))
    cte = draw(st.sampled_from(ENCODINGS))
    body = draw(st.binary(max_size=300) | header_text.map(lambda t: t.encode()))
    if cte == "base64" and draw(st.booleans()):
        body = base64.encodebytes(body)
    name = draw(st.none() | header_text)
    lines = [f'Content-Type: {ctype}; charset="{charset}"']
    if cte:
        lines.append(f"Content-Transfer-Encoding: {cte}")
    if name is not None:
        lines.append(f'Content-Disposition: attachment; filename="{name}"')
    return "\r\n".join(lines).encode("utf-8", "surrogatepass") + b"\r\n\r\n" + body


@st.composite
def message(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(header, max_size=8))
    head = "".join(f"{k}: {v}\r\n" for k, v in headers).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        return head + draw(leaf())
    boundary = draw(st.sampled_from(["b", "=_x", "--", "a b"]))
    parts = draw(st.lists(leaf(), max_size=4))
    sub = draw(st.sampled_from(["mixed", "alternative", "related", "report", "digest"]))
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts)
    if draw(st.booleans()):
        body += b"--" + boundary.encode() + b"--\r\n"
    ctype = f'Content-Type: multipart/{sub}; boundary="{boundary}"\r\n\r\n'.encode()
    raw = head + ctype + body
    cut = draw(st.integers(0, len(raw)))
    return raw[:cut] if draw(st.booleans()) else raw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    check_invariants(parse_message(raw))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message())
def test_generated_messages_never_raise(raw: bytes) -> None:
    parsed = parse_message(raw)
    check_invariants(parsed)
    assert parse_message(raw) == parsed  # deterministic, so hash ids are stable
    for attachment in parsed.attachments:
        extract_attachment(raw, attachment.part_index)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_html_to_text_never_raises(source: str) -> None:
    text = html_to_text(source)
    assert not any(line != line.rstrip() for line in text.split("\n"))
