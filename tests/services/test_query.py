"""The search language: parsing, errors with positions, and every field, operator and date
form run through the inbox service over a small real store built for the purpose."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentconsole.clock import FixedClock
from agentconsole.services.inbox import ACTIVE_STATUSES, InboxService, InboxView
from agentconsole.services.query import (
    MAX_DEPTH,
    MAX_TERMS,
    And,
    Field,
    Not,
    Or,
    QueryError,
    Text,
    Words,
    compile_query,
    parse,
)
from agentconsole.store.db import Store
from agentconsole.store.reader import stored_time

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # 13:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
EVERY = {1, 2, 3, 4, 5, 6}


def t(text: str) -> str | None:
    return stored_time(datetime.fromisoformat(text)) if text else None


# --- the store ---------------------------------------------------------------------------------
#
#  id  subject                    status   channel customer  assignee lang prio last activity (UTC)
#   1  Where is my parcel?        open     email   Anna      mara     de   high 12-01 10:00 overdue
#   2  Broken teapot lid          pending  email   Bob       jonas    en   norm 11-30 22:30 flagged
#   3  Refund question            closed   email   Chloé     —        fr   low  11-20 09:00 #1003
#   4  Phone call about delivery  snoozed  phone   Dan       mara     —    urg  11-28 15:00 contact
#   5  Invoice needed             open     chat    Anna      —        de   norm 12-01 11:30
#   6  Wholesale enquiry          open     social  Bob       —        en   norm 10-01 08:00

CUSTOMERS = [
    (1, "Anna Schmidt", [("email", "anna.schmidt@example.com"), ("phone", "+4930123456")]),
    (2, "Bob Stone", [("email", "bob@stone.example")]),
    (3, "Chloé Dubois", [("email", "chloe@example.fr")]),
    (4, "Dan Null", [("email", "dan@example.com")]),
]
CONVERSATIONS = [
    # id, subject, status, channel, customer, assignee, language, priority, last, due, waiting
    (1, "Where is my parcel?", "open", "email", 1, 1, "de", 2, "2026-12-01T10:00+00:00",
     "2026-12-01T11:00+00:00", "2026-12-01T10:00+00:00"),
    (2, "Broken teapot lid", "pending", "email", 2, 2, "en", 1, "2026-11-30T22:30+00:00",
     "", ""),
    (3, "Refund question", "closed", "email", 3, None, "fr", 0, "2026-11-20T09:00+00:00",
     "", ""),
    (4, "Phone call about delivery", "snoozed", "phone", 4, 1, None, 3,
     "2026-11-28T15:00+00:00", "", ""),
    (5, "Invoice needed", "open", "chat", 1, None, "de", 1, "2026-12-01T11:30+00:00",
     "2026-12-01T13:00+00:00", "2026-12-01T11:30+00:00"),
    (6, "Wholesale enquiry", "open", "social", 2, None, "en", 1, "2026-10-01T08:00+00:00",
     "", ""),
]  # fmt: skip
MESSAGES = [
    # conversation, direction, from name, from addr, to, cc, subject, body, seen, flagged
    (1, "inbound", "Anna Schmidt", "anna.schmidt@example.com", "support@shop.example", "",
     "Where is my parcel?", "My teapot order #1001 has not arrived.", 0, 0),
    (1, "outbound", "Mara Lind", "support@shop.example", "anna.schmidt@example.com", "",
     "Re: Where is my parcel?", "We are checking with the carrier.", 1, 0),
    (2, "inbound", "Bob Stone", "bob@stone.example", "sales@shop.example",
     "claims@shop.example", "Broken teapot lid", "The lid of the teapot arrived broken.", 1, 1),
    (3, "inbound", "", "chloe@example.fr", "support@shop.example", "", "Refund question",
     "Je voudrais un remboursement pour la commande 1002.", 1, 0),
    (5, "inbound", "Anna S.", "anna.schmidt@example.com", "support@shop.example", "",
     "Invoice needed", "Please send the invoice for order 1002, 50% paid.", 1, 0),
    (6, "inbound", "Bob Stone", "bob@stone.example", "b2b@shop.example", "",
     "Wholesale enquiry", "Where is the catalogue for resellers?", 1, 0),
]  # fmt: skip
TAGS = [(1, "vip"), (2, "damaged"), (3, "refund")]


def _build(path: Path) -> Store:
    store = Store(path)
    created = stored_time(NOW)
    with store.write() as w:
        w.execute(
            "INSERT INTO shop_store (id, name, platform, url, currency, api_version, admin_url) "
            "VALUES (1, 'shop', 'demo', 'https://shop.example', 'EUR', '', '')"
        )
        for agent_id, name, handle in ((1, "Mara Lind", "mara"), (2, "Jonas Berg", "jonas")):
            w.execute(
                "INSERT INTO agent (id, name, handle, active) VALUES (:i, :n, :h, 1)",
                {"i": agent_id, "n": name, "h": handle},
            )
        for customer_id, name, identities in CUSTOMERS:
            w.execute(
                "INSERT INTO customer (id, name, language, notes, created_at) "
                "VALUES (:i, :n, 'en', '', :t)",
                {"i": customer_id, "n": name, "t": created},
            )
            for kind, value in identities:
                w.execute(
                    "INSERT INTO customer_identity (customer_id, kind, value, is_primary) "
                    "VALUES (:c, :k, :v, 1)",
                    {"c": customer_id, "k": kind, "v": value},
                )
        for (
            cid,
            subject,
            status,
            channel,
            cust,
            agent,
            lang,
            prio,
            last,
            due,
            wait,
        ) in CONVERSATIONS:
            w.execute(
                "INSERT INTO conversation (id, subject, status, channel, customer_id, assignee_id,"
                " language, priority, last_message_at, created_at, due_at, waiting_since) VALUES"
                " (:i, :s, :st, :ch, :cu, :a, :l, :p, :last, :last, :due, :wait)",
                {
                    "i": cid,
                    "s": subject,
                    "st": status,
                    "ch": channel,
                    "cu": cust,
                    "a": agent,
                    "l": lang,
                    "p": prio,
                    "last": t(last),
                    "due": t(due),
                    "wait": t(wait),
                },
            )
        for n, (conv, direction, name, addr, to, cc, subject, body, seen, flagged) in enumerate(
            MESSAGES, 1
        ):
            w.execute(
                "INSERT INTO message (message_id, conversation_id, direction, channel, from_addr,"
                ' from_name, to_addrs, cc_addrs, subject, "references", sent_at, received_at,'
                " body_text, is_automated, seen, flagged) VALUES (:mid, :c, :d, 'email', :fa,"
                " :fn, :to, :cc, :s, '', :t, :t, :b, 0, :seen, :flagged)",
                {
                    "mid": f"<m{n}@test>",
                    "c": conv,
                    "d": direction,
                    "fa": addr,
                    "fn": name,
                    "to": to,
                    "cc": cc,
                    "s": subject,
                    "t": created,
                    "b": body,
                    "seen": seen,
                    "flagged": flagged,
                },
            )
        w.execute(
            "INSERT INTO contact (customer_id, conversation_id, channel, direction, occurred_at,"
            " summary) VALUES (4, 4, 'phone', 'inbound', :t,"
            " 'Customer asked about express delivery to Berlin')",
            {"t": created},
        )
        w.execute(  # a contact logged without a conversation must not disturb NOT
            "INSERT INTO contact (customer_id, conversation_id, channel, direction, occurred_at,"
            " summary) VALUES (3, NULL, 'phone', 'inbound', :t, 'express courier question')",
            {"t": created},
        )
        for conv, tag in TAGS:
            w.execute("INSERT INTO conversation_tag VALUES (:c, :t)", {"c": conv, "t": tag})
        for order_id, number, customer in ((1, 1001, 1), (2, 1002, 1), (3, 1003, 3)):
            w.execute(
                'INSERT INTO "order" (id, store_id, external_id, name, number, customer_id,'
                " created_at, updated_at, financial_status, fulfillment_status, currency,"
                " subtotal, shipping, tax, discount, total, note) VALUES (:i, 1, :e, :n, :num,"
                " :c, :t, :t, 'paid', 'fulfilled', 'EUR', 100, 0, 0, 0, 100, '')",
                {"i": order_id, "e": str(number), "n": f"#{number}", "num": number, "c": customer}
                | {"t": created},
            )
        w.execute("INSERT INTO conversation_order VALUES (3, 3, :t, NULL)", {"t": created})
    store.search.catch_up()
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    built = _build(tmp_path_factory.mktemp("query") / "store.db")
    yield built
    built.close()


@pytest.fixture(scope="module")
def inbox(store: Store) -> InboxService:
    return InboxService(store, FixedClock(NOW), "Europe/Berlin")


def found(inbox: InboxService, query: str, me: int | str | None = 1) -> set[int]:
    view = InboxView(statuses=(), search=query, me=me)
    rows = inbox.page(view, 0, 1000)
    assert inbox.count(view) == len(rows)
    return {r.id for r in rows}


# --- parsing -----------------------------------------------------------------------------------


def test_precedence_not_over_and_over_or() -> None:
    a, b, c = (Text(x, False, p) for x, p in (("a", 1), ("b", 3), ("c", 8)))
    assert parse("a b OR c") == Or((Words((a, b)), c))
    assert parse("a AND b OR c") == Or((And((a, Text("b", False, 7))), Text("c", False, 12)))
    assert parse("a OR b AND c") == Or((a, And((Text("b", False, 6), Text("c", False, 12)))))
    assert parse("NOT a b") == And((Not(Text("a", False, 5)), Text("b", False, 7)))
    assert parse("-a OR b") == Or((Not(Text("a", False, 2)), Text("b", False, 7)))
    assert parse("NOT (a OR b)") == Not(Or((Text("a", False, 6), Text("b", False, 11))))
    assert parse("(a OR b) c") == And(
        (Or((Text("a", False, 2), Text("b", False, 7))), Text("c", False, 10))
    )
    assert parse("NOT NOT a") == Not(Not(Text("a", False, 9)))
    assert parse("a or not b") == Words(
        tuple(Text(w, False, p) for w, p in (("a", 1), ("or", 3), ("not", 6), ("b", 10)))
    ), "lower-case operators are words to search for"


def test_side_by_side_words_are_one_search_and_and_or_parentheses_split_them() -> None:
    assert parse("teapot carrier") == Words((Text("teapot", False, 1), Text("carrier", False, 8)))
    assert parse("teapot AND carrier") == And(
        (Text("teapot", False, 1), Text("carrier", False, 12))
    )
    assert isinstance(parse("teapot (carrier)"), And)
    assert parse('broken "tea pot"') == Words((Text("broken", False, 1), Text("tea pot", True, 8)))


def test_quoting_fields_and_phrases() -> None:
    assert parse('subject:"where is"') == Field("subject", "where is", 1, quoted=True)
    assert parse('from:"Anna Schmidt"') == Field("from", "Anna Schmidt", 1, quoted=True)
    assert parse('"where is"') == Text("where is", True, 1)
    assert parse("From:anna") == Field("from", "anna", 1)
    assert parse("status:open,Pending") == Field(
        "status", "open,Pending", 1, choices=("open", "pending")
    )
    assert parse("-tag:vip") == Not(Field("tag", "vip", 2, choices=("vip",)))


@pytest.mark.parametrize(
    "text",
    ["9:30", "anna@example.com", "Re:", "Note:", "https://shop.example/x", "mailto:a@b.c", "12:00"],
)
def test_colons_that_are_no_field_stay_text(text: str) -> None:
    assert parse(text) == Text(text, False, 1)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("form:anna", "unknown field 'form:' at 1 (did you mean from:?)", 1),
        ("status:open tags:vip", "unknown field 'tags:' at 13 (did you mean tag:?)", 13),
        ("colour:red", "unknown field 'colour:' at 1", 1),
        ("teapot (refund OR lid", "unclosed parenthesis at 8", 8),
        ("(a (b)", "unclosed parenthesis at 1", 1),
        ("a (", "unclosed parenthesis at 3", 3),
        ("a)", "unexpected ')' at 2 (no '(' before it)", 2),
        ("()", "empty parentheses at 1", 1),
        ("status:opne", "status: expects open, pending, snoozed or closed at 1", 1),
        ("x status:open,foo", "status: expects open, pending, snoozed or closed at 3", 3),
        ("channel:fax", "channel: expects email, phone, chat or social at 1", 1),
        ("priority:max", "priority: expects low, normal, high or urgent at 1", 1),
        ("is:late", "is: expects overdue, unread, flagged, waiting, open, pending,", 1),
        ("lang:german", "lang: expects a language code such as en or de at 1", 1),
        ("before:3x", "before: cannot read '3x' at 8", 8),
        ("a after:2026-02-30", "after: cannot read '2026-02-30' at 9", 9),
        ('after:"next week"', "after: cannot read 'next week' at 8", 8),
        ('before:"next\nweek"', "before: cannot read 'next week' at 9", 9),
        ("after:0001-01-01", "after: cannot read '0001-01-01' at 7", 7),
        ("order:#", "order: expects an order number such as 1001 or #1001 at 1", 1),
        ("order:1001,#", "order: expects an order number such as 1001 or #1001 at 1", 1),
        ("from:", "from: needs a value at 1", 1),
        ('from:""', "from: needs a value at 1", 1),
        ("tag:,", "tag: needs a value at 1", 1),
        ('subject:"where is', "unclosed quote at 9", 9),
        ('teapot "lid', "unclosed quote at 8", 8),
        ("OR teapot", "OR needs a term before it at 1", 1),
        ("teapot OR", "OR needs a term after it at 8", 8),
        ("teapot AND OR lid", "AND needs a term after it at 8", 8),
        ("NOT", "NOT needs a term after it at 1", 1),
        ("lid -", None, 0),  # a lone "-" is text without words: ignored, not an error
    ],
)
def test_errors_say_what_and_where(text: str, message: str | None, position: int) -> None:
    if message is None:
        parse(text)
        return
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.message.startswith(message)
    assert str(caught.value) == caught.value.message
    assert caught.value.position == position
    assert caught.value.offset == position - 1
    assert "\n" not in caught.value.message


def test_limits_are_query_errors() -> None:
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("NOT " * 500 + "a")
    with pytest.raises(QueryError, match="too many terms"):
        parse(" OR ".join(["a"] * (MAX_TERMS + 1)))


def test_the_longest_queries_still_run(inbox: InboxService) -> None:
    assert found(inbox, " OR ".join(["teapot"] * MAX_TERMS)) == {1, 2}
    assert found(inbox, " ".join(["-tag:vip"] * MAX_TERMS)) == EVERY - {1}
    nested = "(" * MAX_DEPTH + "teapot" + ")" * MAX_DEPTH
    assert found(inbox, nested) == {1, 2}


def test_empty_query_compiles_to_nothing() -> None:
    assert parse("") == And(())
    assert compile_query("", now=NOW, zone=BERLIN, me=1) is None
    assert compile_query("  \t", now=NOW, zone=BERLIN, me=1) is None


def test_parameters_are_prefixed_and_fts_is_reported() -> None:
    compiled = compile_query("teapot from:anna tag:vip after:2d", now=NOW, zone=BERLIN, me=1)
    assert compiled is not None and compiled.uses_fts
    assert compiled.params and all(name.startswith("q") for name in compiled.params)
    assert all(f":{name}" in compiled.where for name in compiled.params)
    plain = compile_query("tag:vip status:open", now=NOW, zone=BERLIN, me=1, param_prefix="v")
    assert plain is not None and not plain.uses_fts
    assert set(plain.params) == {"v0", "v1"}


# --- dates -------------------------------------------------------------------------------------


def _bound(query: str, zone: ZoneInfo = BERLIN) -> str:
    compiled = compile_query(query, now=NOW, zone=zone, me=None)
    assert compiled is not None
    (value,) = compiled.params.values()
    return str(value)


@pytest.mark.parametrize(
    ("query", "instant"),
    [
        ("after:today", "2026-11-30T23:00+00:00"),  # midnight in Berlin
        ("after:yesterday", "2026-11-29T23:00+00:00"),
        ("before:2026-11-30", "2026-11-29T23:00+00:00"),
        ("after:2026-07-01", "2026-06-30T22:00+00:00"),  # summer time
        ("after:2026-11-30T14:00", "2026-11-30T13:00+00:00"),
        ('after:"2026-11-30 14:00"', "2026-11-30T13:00+00:00"),
        ("after:2026-11-30T14:00:30", "2026-11-30T13:00:30+00:00"),
        ("after:2026-11-30T14:00Z", "2026-11-30T14:00+00:00"),
        ("after:2026-11-30T14:00+05:00", "2026-11-30T09:00+00:00"),
        ("after:3h", "2026-12-01T09:00+00:00"),
        ("after:2d", "2026-11-29T12:00+00:00"),
        ("before:1W", "2026-11-24T12:00+00:00"),
        ("after:TODAY", "2026-11-30T23:00+00:00"),
    ],
)
def test_dates_absolute_and_relative(query: str, instant: str) -> None:
    assert _bound(query) == t(instant)


def test_dates_follow_the_agents_zone() -> None:
    assert _bound("after:today", ZoneInfo("UTC")) == t("2026-12-01T00:00+00:00")
    assert _bound("after:today", ZoneInfo("Asia/Tokyo")) == t("2026-11-30T15:00+00:00")
    # 12:00 UTC is already the 2nd in Auckland: "today" is the 2nd there.
    assert _bound("after:today", ZoneInfo("Pacific/Auckland")) == t("2026-12-01T11:00+00:00")


def test_date_fields_on_the_store(inbox: InboxService) -> None:
    assert found(inbox, "after:today") == {1, 5}
    assert found(inbox, "after:yesterday") == {1, 2, 5}  # #2 is 23:30 on the 30th in Berlin
    assert found(inbox, "before:today") == {2, 3, 4, 6}
    assert found(inbox, "after:2d") == {1, 2, 5}
    assert found(inbox, "after:1h") == {5}
    assert found(inbox, "after:1w") == {1, 2, 4, 5}
    assert found(inbox, "before:2026-11-30") == {3, 4, 6}
    assert found(inbox, "after:2026-11-30T23:30") == {1, 2, 5}  # at the very minute: included
    assert found(inbox, "after:2026-11-30T23:31") == {1, 5}
    assert found(inbox, "after:2026-11-30T22:30Z") == {1, 2, 5}
    assert found(inbox, "after:2026-11-01 before:2026-11-29") == {3, 4}


# --- fields on the store -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("from:anna", {1, 5}),
        ("from:SCHMIDT", {1, 5}),
        ('from:"Anna Schmidt"', {1, 5}),
        ("from:stone.example", {2, 6}),
        ("from:+4930", {1, 5}),  # a phone identity
        ('from:"Mara Lind"', {1}),  # the sender of a reply
        ("from:%", set()),  # LIKE wildcards are literal
        ("from:_", set()),
        ("to:sales", {2}),
        ("to:claims@", {2}),  # Cc counts
        ("to:anna.schmidt", {1}),
        ("subject:teapot", {2}),
        ('subject:"where is"', {1}),
        ("subject:re", {1, 3}),  # "Where…" and a reply's "Re:"; "Refund question"
        ("tag:VIP", {1}),
        ("tag:vip,damaged", {1, 2}),
        ("tag:vi", set()),  # tags match exactly
        ("status:open", {1, 5, 6}),
        ("status:open,pending", {1, 2, 5, 6}),
        ("assignee:mara", {1, 4}),
        ("assignee:Mara", {1, 4}),  # a first name
        ('assignee:"Jonas Berg"', {2}),
        ("assignee:JONAS", {2}),
        ("assignee:me", {1, 4}),
        ("assignee:none", {3, 5, 6}),
        ("order:1001", {1}),  # mentioned in a message
        ("order:#1003", {3}),  # linked, never mentioned
        ("order:1002", {3, 5}),
        ("order:#1002", {3, 5}),
        ("order:1001,#1003", {1, 3}),  # any of them
        ("order:1001,1002", {1, 3, 5}),
        ("channel:phone", {4}),
        ("channel:chat,social", {5, 6}),
        ("lang:de", {1, 5}),
        ("lang:DE,fr", {1, 3, 5}),
        ("priority:high", {1}),
        ("priority:urgent,low", {3, 4}),
        ("is:overdue", {1}),
        ("is:unread", {1}),
        ("is:flagged", {2}),
        ("is:waiting", {1, 5}),
        ("is:snoozed", {4}),
        ("is:closed", {3}),
    ],
)
def test_fields(inbox: InboxService, query: str, ids: set[int]) -> None:
    assert found(inbox, query) == ids


def test_assignee_me_by_handle_or_nobody(inbox: InboxService) -> None:
    assert found(inbox, "assignee:me", me="jonas") == {2}
    assert found(inbox, "assignee:me", me="someone-new") == set()
    assert found(inbox, "assignee:me", me=None) == set()
    assert found(inbox, "-assignee:me", me=None) == EVERY


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("teapot", {1, 2}),  # message text
        ("TEAPOT", {1, 2}),
        ("tea", {1, 2}),  # the last word is a prefix…
        ('"tea"', {2}),  # …unless quoted: a whole word in messages (a subject's substring)
        ("carr", {1}),  # in a reply
        ("car", {1}),  # "carrier" in a reply; not "Phone call"
        ("ca", {4}),  # too short for a prefix ("carrier", "catalogue"): only "Phone call"
        ("teapot broken", {2}),  # side by side: in one message
        ("teapot carrier", set()),  # not in one message…
        ("teapot AND carrier", {1}),  # …but both in the conversation
        ('"arrived broken"', {2}),
        ('"broken arrived"', set()),
        ("Dubois", {3}),  # the customer's name
        ("chloe@example.fr", {3}),  # an identity
        ("express", {4}),  # a logged contact's summary
        ("Phone call", {4}),  # the subject of a conversation without messages
        ("50%", {5}),
        ("remboursement", {3}),
        ("where is", {1, 6}),
    ],
)
def test_free_text(inbox: InboxService, query: str, ids: set[int]) -> None:
    assert found(inbox, query) == ids


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("teapot OR express", {1, 2, 4}),
        ("teapot -tag:vip", {2}),
        ("teapot NOT tag:vip", {2}),
        ("NOT teapot", {3, 4, 5, 6}),
        ("-lang:de", {2, 3, 4, 6}),  # a conversation without a language is not German
        ("(tag:vip OR tag:damaged) status:pending", {2}),
        ("tag:vip OR tag:damaged status:pending", {1, 2}),
        ("tag:vip OR tag:damaged AND status:open", {1}),
        ("NOT tag:vip OR is:flagged", {2, 3, 4, 5, 6}),
        ("NOT (tag:vip OR is:flagged)", {3, 4, 5, 6}),
        ("-(from:anna OR from:bob) -status:closed", {4}),
        ("from:anna -(teapot)", {5}),
        ("status:open (teapot OR invoice) -is:overdue", {5}),
    ],
)
def test_boolean(inbox: InboxService, query: str, ids: set[int]) -> None:
    assert found(inbox, query) == ids


def test_the_view_narrows_the_search_and_errors_reach_the_caller(inbox: InboxService) -> None:
    active = InboxView(statuses=ACTIVE_STATUSES, search="tag:refund OR teapot")
    assert {r.id for r in inbox.page(active, 0, 50)} == {1, 2}
    assert inbox.count(active) == 2
    bad = InboxView(search="form:anna")
    with pytest.raises(QueryError):
        inbox.count(bad)
    with pytest.raises(QueryError):
        inbox.page(bad, 0, 10)


# --- properties --------------------------------------------------------------------------------

PIECES = [
    "a", "teapot", " ", " ", "(", ")", '"', "-", "AND", "OR", "NOT", ":", ",", "#", "%", "_",
    "from:", "to:", "subject:", "tag:", "status:", "is:", "before:", "after:", "order:",
    "assignee:", "lang:", "priority:", "channel:", "form:", "open", "2d", "2026-11-30", "me",
    "\\", "'", "*", "NEAR", "{", "}", "^", "\x00", "é", "\u202e",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=14).map("".join)))
def test_parse_raises_only_query_errors(text: str) -> None:
    try:
        parse(text)
    except QueryError as exc:
        assert 1 <= exc.position <= len(text) + 1
        assert "\n" not in exc.message


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_every_query_that_parses_runs(inbox: InboxService, text: str) -> None:
    """No query that parses can make SQLite (or FTS5) fail."""
    try:
        parse(text)
    except QueryError:
        return
    found(inbox, text)


ATOMS = [
    "teapot", "tea", "express", '"where is"', "Dubois", "from:anna", "to:sales", "subject:re",
    "tag:vip", "tag:damaged,refund", "status:open", "status:pending,closed", "assignee:me",
    "assignee:none", "assignee:jonas", "order:1002", "channel:email", "lang:de", "lang:en",
    "priority:normal", "is:overdue", "is:unread", "is:flagged", "is:waiting", "after:2d",
    "before:2026-11-29", "after:today", "teapot broken", "anna",
]  # fmt: skip
queries = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"({p[0]}) ({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]}) OR ({p[1]})"),
        inner.map(lambda q: f"NOT ({q})"),
        inner.map(lambda q: f"-({q})"),
    ),
    max_leaves=6,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(queries, queries)
def test_the_operators_are_set_operations(inbox: InboxService, a: str, b: str) -> None:
    in_a, in_b = found(inbox, a), found(inbox, b)
    assert found(inbox, f"NOT ({a})") == EVERY - in_a  # x and NOT x partition
    assert found(inbox, f"({a}) OR ({b})") == in_a | in_b  # so a OR b ⊇ a
    assert found(inbox, f"({a}) ({b})") == in_a & in_b
    assert found(inbox, f"({a}) AND ({b})") == in_a & in_b


def _explain(store: Store, query: str) -> list[Any]:
    compiled = compile_query(query, now=NOW, zone=BERLIN, me=1)
    assert compiled is not None
    with store.read() as db:
        return db.all(
            f"EXPLAIN QUERY PLAN SELECT c.id FROM conversation c WHERE {compiled.where}",
            compiled.params,
        )


def test_full_text_is_matched_once_not_per_conversation(store: Store) -> None:
    """The FTS match is a list computed once, never inside a correlated subquery (which
    SQLite would run again for every conversation)."""
    for query in ("teapot", "teapot -tag:vip status:open to:sales", "from:anna OR order:1002"):
        plan = _explain(store, query)
        parent = {row[0]: row[1] for row in plan}
        detail = {row[0]: row[-1] for row in plan}
        for node, text in detail.items():
            if "VIRTUAL TABLE" not in text:  # the full-text index
                continue
            while node in parent:
                node = parent[node]
                assert "CORRELATED" not in detail.get(node, ""), plan


def test_text_reads_the_index_first_and_never_scans_the_messages(store: Store) -> None:
    for query in ("teapot", "teapot broken OR express", "from:anna", "subject:lid", "order:1002"):
        plan = [row[-1] for row in _explain(store, query)]
        assert any(step.startswith("SCAN f VIRTUAL TABLE") for step in plan), plan
        # message id → conversation from the small covering index, not the message rows
        assert any(
            step.startswith("SEARCH m USING COVERING INDEX ix_message_conversation_of (id=?)")
            for step in plan
        ), plan
        assert not any(step.startswith(("SCAN m", "SCAN message")) for step in plan), plan
