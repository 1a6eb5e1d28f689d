"""The inbox search language: ``from:anna tag:vip -status:closed "where is" OR refund``.

What an agent can type (the README's "Searching" section is the user-facing version):

- **Free text**: words and ``"quoted phrases"``. A conversation matches when one of its
  messages holds them (the full-text index: body, subject, sender), or when its subject, the
  customer's name, one of the customer's identities (e-mail, phone …) or a logged contact's
  summary contains them. Words typed side by side are one search, as the inbox always did:
  all of them in one message (or all of them in one of those fields), the last bare word a
  prefix (``tea`` finds "teapot") so results come while typing; only words of ``PREFIX_MIN``
  characters or more are prefixes (a one-letter prefix is every message). An explicit
  ``AND`` or parentheses separate them: ``teapot AND carrier`` finds each anywhere in the
  conversation.
- **Fields**: ``from:`` ``to:`` ``subject:`` ``tag:`` ``status:`` ``assignee:`` ``order:``
  ``channel:`` ``lang:`` ``priority:`` ``is:`` ``before:`` ``after:`` (see ``FIELD_HELP``).
  Values may be quoted (``from:"Anna Schmidt"``); ``status:open,pending`` (also ``tag:``,
  ``channel:``, ``lang:``, ``priority:``) means any of them.
- **Boolean**: juxtaposition and ``AND`` are AND, ``OR``, ``NOT`` (or ``-term``), parentheses.
  Precedence ``NOT`` > ``AND`` > ``OR``. The operators are upper case: ``not`` and ``or`` are
  words to search for (customers write them).
- **Dates** for ``before:``/``after:`` (on the conversation's last activity): ``2026-11-30``
  (midnight in the agent's zone), ``2026-11-30T14:00`` (agent's zone; an explicit ``Z`` or
  ``+01:00`` is honoured), ``3h``, ``2d``, ``1w`` (counted back from now), ``today``,
  ``yesterday`` (their midnight). ``after:X`` is "at X or later", ``before:X`` "earlier than
  X", so the two split every conversation between them.

What is text and what is a field: a word is a field when it starts with letters and a colon
and the letters name a field. Letters, a colon and a value that name no field are a mistake
(``form:anna`` → "unknown field 'form:' … (did you mean from:?)"), not silently text — except
URLs (``https://…``, ``mailto:…``) and a bare ``Re:`` or ``Note:`` with nothing after the
colon, which stay text. Anything else with a colon (``9:30``, ``anna@example.com``,
``12:00-14:00``) is text. To search for text that looks like a field, quote it:
``"ref:1234"``. ``assignee:me`` and ``assignee:none`` are reserved words, not agent handles.

Errors are ``QueryError``: one line, with the 1-based column of the token that is wrong.

How the SQL is shaped (the target is ≤ 20 ms over 100,000 messages): each term is a boolean
expression over ``c`` (conversation) only — never ``cu``, so SQLite filters conversations
before it looks their customer up. Terms that need other tables are ``c.id IN (…)`` or
``c.customer_id IN (…)`` over a subquery that does not depend on the row, so SQLite computes
it once (the full-text match first, as message ids, then their conversations) and probes it
per row; never a full-text match inside a correlated subquery, which SQLite would run again
for every row. Only ``to:`` reads message rows per conversation (a correlated ``EXISTS``), and
an AND evaluates it last, after cheap column tests and the once-computed sets have narrowed
the rows. ``NOT x`` is ``NOT coalesce(x, 0)``: a NULL inside ``x`` counts as false, so ``x``
and ``NOT x`` split every conversation exactly.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from agentconsole.store.lookup_text import (
    CONVERSATION_TEXT,
    CUSTOMER_TEXT,
    containing,
    containing_any,
)
from agentconsole.store.reader import stored_time
from agentconsole.store.vocabulary import CHANNELS, PRIORITIES, STATUSES

PREFIX_MIN = 3
"""The shortest last word searched as a prefix (shorter ones must match a whole word)."""
MAX_TERMS = 100
MAX_DEPTH = 30
"""Limits far beyond what anyone types, so pasted junk is a ``QueryError`` rather than a
Python recursion error or an SQLite "expression tree is too large"."""

FIELD_HELP: dict[str, str] = {
    "from": "customer name or identity, or a message's sender (from:anna, from:@example.com)",
    "to": "a message's To or Cc address (to:sales@)",
    "subject": "the conversation's or a message's subject (subject:\"where is\")",
    "tag": "a tag, exactly, any case (tag:vip, tag:vip,b2b)",
    "status": "open, pending, snoozed or closed (status:open,pending)",
    "assignee": "agent handle or name; me; none (assignee:me, assignee:none)",
    "order": "an order linked to it or mentioned in it (order:1001, order:#1001, order:1001,1002)",
    "channel": "email, phone, chat or social",
    "lang": "the conversation's language, ISO code (lang:de)",
    "priority": "low, normal, high or urgent",
    "is": "overdue, unread, flagged, waiting, or a status (is:unread)",
    "before": "last activity earlier than a date or age (before:2026-11-30, before:1w)",
    "after": "last activity at or after a date or age (after:2d, after:today)",
}
FIELDS = tuple(FIELD_HELP)
IS_VALUES = ("overdue", "unread", "flagged", "waiting", *STATUSES)
_LISTS = {"status", "tag", "channel", "lang", "priority"}  # comma = any of them
_URL_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "file"}
_WORD = re.compile(r"\w+", re.UNICODE)
_FIELD_WORD = re.compile(r"([A-Za-z]+):")
_RELATIVE = re.compile(r"(\d{1,5})([hdw])")
_ABSOLUTE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?:Z|[+-]\d{2}:\d{2})?", re.IGNORECASE
)
_LANG = re.compile(r"[a-z]{2,3}")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class QueryError(ValueError):
    """A query that cannot be read: ``message`` is one line ending in where (``at 12``);
    ``position`` is that 1-based column (``offset`` the 0-based index, for a caret)."""

    def __init__(self, problem: str, position: int, hint: str = "") -> None:
        self.problem = " ".join(problem.split())  # a quoted value may hold a line break
        self.position = position
        self.message = f"{self.problem} at {position}" + (f" ({hint})" if hint else "")
        super().__init__(self.message)

    @property
    def offset(self) -> int:
        return self.position - 1


# --- the syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """A ``before:``/``after:`` value, resolved to an instant only when compiled (it needs
    ``now`` and the agent's zone). kind: ``relative`` (``amount`` units back), ``day``
    (midnight ``amount`` days from today: 0 today, -1 yesterday) or ``absolute``."""

    kind: str
    amount: int = 0
    unit: str = ""
    at: datetime | None = None  # absolute: naive = the agent's zone


@dataclass(frozen=True)
class Text:
    """Free text: a bare word (``phrase`` False) or a quoted phrase."""

    text: str
    phrase: bool
    position: int


@dataclass(frozen=True)
class Field:
    """``name:value``. ``choices`` holds the normalised values of list fields and ``is:``;
    ``when`` the date of ``before:``/``after:``."""

    name: str
    value: str
    position: int
    quoted: bool = False
    choices: tuple[str, ...] = ()
    when: When | None = None


@dataclass(frozen=True)
class Words:
    """Free text typed side by side (``broken teapot``, ``teapot "where is"``): searched
    together — all of it in one message, or all of it in one field."""

    items: tuple[Text, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    """All of ``operands``; an empty And (the empty query) matches everything."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node: TypeAlias = Text | Words | Field | Not | And | Or


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "(" ")" AND OR NOT - TERM
    offset: int
    node: Text | Field | None = None


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        start = i
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Token(ch, start))
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            out.append(_Token("-", start))
            i += 1
        elif ch == '"':
            phrase, i = _quoted(text, start)
            out.append(_Token("TERM", start, Text(phrase, True, start + 1)))
        else:
            while i < n and not text[i].isspace() and text[i] not in '()"':
                i += 1
            word = text[start:i]
            if word in ("AND", "OR", "NOT"):
                out.append(_Token(word, start))
            else:
                term, i = _term(text, word, start, i)
                out.append(_Token("TERM", start, term))
    terms = [t for t in out if t.kind == "TERM"]
    if len(terms) > MAX_TERMS:
        raise QueryError(f"too many terms (at most {MAX_TERMS})", terms[MAX_TERMS].offset + 1)
    return out


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The phrase in quotes at ``start`` and the index after its closing quote."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError("unclosed quote", start + 1)
    return text[start + 1 : end], end + 1


def _term(text: str, word: str, start: int, end: int) -> tuple[Text | Field, int]:
    """A word read from the query: a field term (maybe with a quoted value), or text."""
    match = _FIELD_WORD.match(word)
    if match is None:
        return Text(word, False, start + 1), end
    name = match.group(1).lower()
    value, value_at = word[match.end() :], start + match.end()
    if name not in FIELD_HELP:
        if not value or value.startswith("//") or name in _URL_SCHEMES:
            return Text(word, False, start + 1), end  # "Re:", URLs: text
        close = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}:?" if close else f"fields are {', '.join(FIELDS)}"
        raise QueryError(f"unknown field '{match.group(0)}'", start + 1, hint)
    quoted = False
    if not value and end < len(text) and text[end] == '"':
        value, end = _quoted(text, end)
        quoted, value_at = True, value_at + 1
    if not value.strip():
        raise QueryError(f"{name}: needs a value", start + 1)
    return _field(name, value, start + 1, value_at + 1, quoted), end


def _expects(name: str, choices: tuple[str, ...], position: int) -> QueryError:
    listed = f"{', '.join(choices[:-1])} or {choices[-1]}"
    return QueryError(f"{name}: expects {listed}", position)


def _field(name: str, value: str, position: int, value_position: int, quoted: bool) -> Field:
    """Check a field's value now, so ``parse`` finds every mistake without a clock."""
    choices: tuple[str, ...] = ()
    when = None
    if name in _LISTS:
        choices = tuple(v.strip().lower() for v in value.split(",") if v.strip())
        allowed = {"status": STATUSES, "channel": CHANNELS, "priority": PRIORITIES}.get(name)
        if allowed is not None and (not choices or any(v not in allowed for v in choices)):
            raise _expects(name, allowed, position)
        if name == "lang" and (not choices or any(not _LANG.fullmatch(v) for v in choices)):
            raise QueryError("lang: expects a language code such as en or de", position)
        if not choices:
            raise QueryError(f"{name}: needs a value", position)
    elif name == "is":
        choices = (value.strip().lower(),)
        if choices[0] not in IS_VALUES:
            raise _expects(name, IS_VALUES, position)
    elif name in ("before", "after"):
        when = _when(value.strip())
        if when is None:
            raise QueryError(f"{name}: cannot read '{value}'", value_position)
    elif name == "order":
        choices = tuple(v.strip() for v in value.split(","))
        if not choices or any(not _WORD.search(v) for v in choices):
            raise QueryError("order: expects an order number such as 1001 or #1001", position)
    return Field(name, value.strip(), position, quoted, choices, when)


def _when(value: str) -> When | None:
    low = value.lower()
    if low in ("today", "yesterday"):
        return When("day", 0 if low == "today" else -1)
    relative = _RELATIVE.fullmatch(low)
    if relative:
        return When("relative", int(relative.group(1)), relative.group(2))
    if _ABSOLUTE.fullmatch(value):
        text = value.upper().replace(" ", "T")
        try:
            at = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:  # 2026-02-30, 25:00
            return None
        # Years 1 and 9999 could leave datetime's range once moved to UTC.
        return When("absolute", at=at) if 1 < at.year < 9999 else None
    return None


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary ([AND] unary)*;
    unary := (NOT | -) unary | primary; primary := ( or ) | term."""

    def __init__(self, tokens: list[_Token], length: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.end = length
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def query(self) -> Node:
        if not self.tokens:
            return And(())
        node = self.or_()
        extra = self.peek()
        if extra is not None:  # only a ")" stops an or-expression early
            raise QueryError("unexpected ')'", extra.offset + 1, "no '(' before it")
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            parts.append(self.and_(after=token))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self, after: _Token | None = None) -> Node:
        parts = [self.unary(after)]
        # Bare free text right after bare free text (no AND, no parentheses) joins it.
        joins = self._bare_text(self.tokens[self.i - 1]) and isinstance(parts[0], Text)
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                parts.append(self.unary(token))
                joins = False
                continue
            if joins and isinstance(token.node, Text) and token.kind == "TERM":
                self.take()
                last = parts[-1]
                items = last.items if isinstance(last, Words) else (last,)
                parts[-1] = Words((*items, token.node))
                continue
            parts.append(self.unary())
            joins = self._bare_text(self.tokens[self.i - 1]) and isinstance(parts[-1], Text)
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    @staticmethod
    def _bare_text(token: _Token) -> bool:
        return token.kind == "TERM" and isinstance(token.node, Text)

    def unary(self, after: _Token | None = None) -> Node:
        token = self.peek()
        if token is None or token.kind in (")", "OR", "AND"):
            self.missing(token, after)
        assert token is not None
        if token.kind in ("NOT", "-", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"nested too deeply (at most {MAX_DEPTH})", token.offset + 1)
            try:
                return self.nested(token)
            finally:
                self.depth -= 1
        self.take()
        assert token.node is not None
        return token.node

    def nested(self, token: _Token) -> Node:
        """``NOT x``, ``-x`` or ``( … )``."""
        self.take()
        if token.kind in ("NOT", "-"):
            return Not(self.unary(token))
        inner = self.peek()
        if inner is None:
            raise QueryError("unclosed parenthesis", token.offset + 1)
        if inner.kind == ")":
            raise QueryError("empty parentheses", token.offset + 1)
        node = self.or_()
        close = self.peek()
        if close is None or close.kind != ")":
            raise QueryError("unclosed parenthesis", token.offset + 1)
        self.take()
        return node

    def missing(self, token: _Token | None, after: _Token | None) -> None:
        """A term was needed here: say what lacks one."""
        if after is not None:
            word = "-" if after.kind == "-" else after.kind
            raise QueryError(f"{word} needs a term after it", after.offset + 1)
        if token is None:
            raise QueryError("a term is missing", self.end + 1)
        if token.kind == ")":
            raise QueryError("unexpected ')'", token.offset + 1, "no '(' before it")
        raise QueryError(f"{token.kind} needs a term before it", token.offset + 1)


def parse(text: str) -> Node:
    """The syntax tree of ``text``; an empty (or blank) query is ``And(())``.

    Raises ``QueryError`` (and nothing else) for anything it cannot read."""
    return _Parser(_tokens(text), len(text.rstrip())).query()


# --- compiling ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compiled:
    """A query as SQL: ``where`` is a boolean expression over ``c`` (the conversation; ``cu``,
    the customer, may be joined too but is not needed); ``params`` are its named parameters
    (``q0``, ``q1`` …); ``uses_fts`` says it reads ``search.message_fts`` (attached as
    ``search``; catch the index up first)."""

    where: str
    params: dict[str, Any]
    uses_fts: bool


# CROSS JOIN keeps the index match outside: SQLite reads the matching message ids first and
# looks each one up in a small index from message id to conversation (migration 0010), never
# in the message rows themselves (their bodies: 3× slower for thousands of matches).
_FTS_MESSAGES = (
    "SELECT m.conversation_id FROM search.message_fts f CROSS JOIN message AS m"
    " INDEXED BY ix_message_conversation_of ON m.id = f.rowid WHERE f.message_fts MATCH {p}"
)
# How late an AND evaluates a term (SQLite stops at the first false one): plain columns,
# then subqueries computed once, then per-row reads of message rows.
_CHEAP, _ONCE, _PER_ROW = 0, 1, 2


@dataclass
class _Compiler:
    now: datetime
    zone: ZoneInfo
    me: int | str | None
    prefix: str
    params: dict[str, Any] = field(default_factory=dict)
    uses_fts: bool = False

    def param(self, value: Any) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def like(self, text: str) -> str:
        return self.param(f"%{_escape_like(text)}%")

    # Each returns (sql, cost).

    def node(self, node: Node) -> tuple[str, int]:
        if isinstance(node, Not):
            sql, cost = self.node(node.operand)
            return f"NOT coalesce({sql}, 0)", cost
        if isinstance(node, Or):
            # Free-text alternatives are one search (one index match, one pass over names…).
            texts = [_items(n) for n in node.operands if isinstance(n, (Text, Words))]
            others = [n for n in node.operands if not isinstance(n, (Text, Words))]
            parts = [self.node(n) for n in others]
            if texts:
                parts.append(self.text(*texts))
            parts.sort(key=lambda p: p[1])
            if len(parts) == 1:
                return parts[0]
            return f"({' OR '.join(s for s, _ in parts)})", max(c for _, c in parts)
        if isinstance(node, And):
            parts = [self.node(n) for n in node.operands]
            if not parts:
                return "1", _CHEAP
            parts.sort(key=lambda p: p[1])
            if len(parts) == 1:
                return parts[0]
            return f"({' AND '.join(s for s, _ in parts)})", parts[-1][1]
        if isinstance(node, (Text, Words)):
            return self.text(_items(node))
        return self.field(node)

    def text(self, *alternatives: list[Text]) -> tuple[str, int]:
        """Free text: all of one alternative in one message, or all of it in the customer
        (their name and identities) or in the conversation (its subject and the summaries of
        contacts logged to it): the latter two as substrings, through the trigram tables."""
        matches: list[str] = []
        terms: list[list[str]] = []
        for items in alternatives:
            items = [t for t in items if _WORD.search(t.text)]
            if not items:
                return "1", _CHEAP  # nothing to look for in one alternative: everything
            phrases = [f'"{" ".join(_WORD.findall(t.text))}"' for t in items]
            last = items[-1]
            if not last.phrase and len(_WORD.findall(last.text)[-1]) >= PREFIX_MIN:
                phrases[-1] += "*"
            matches.append(" ".join(phrases))
            terms.append([t.text for t in items])
        match = matches[0] if len(matches) == 1 else " OR ".join(f"({m})" for m in matches)
        # One set of conversation ids, each source read once: SQLite then walks the view in
        # its index order and probes the set, instead of testing conditions row by row.
        self.uses_fts = True
        customers = containing_any(CUSTOMER_TEXT, terms, self.param)
        conversations = containing_any(CONVERSATION_TEXT, terms, self.param)
        return (
            f"c.id IN ({_FTS_MESSAGES.format(p=self.param(match))}"
            f" UNION SELECT id FROM conversation WHERE customer_id IN ({customers})"
            f" UNION {conversations})",
            _ONCE,
        )

    def fts_column(self, columns: str, value: str, quoted: bool) -> str | None:
        """The conversations of messages with ``{columns} : "tokens"*`` (a ``SELECT`` for an
        id set), or None when there is nothing to look for."""
        words = _WORD.findall(value)
        if not words:
            return None
        star = "*" if not quoted and len(words[-1]) >= PREFIX_MIN else ""
        self.uses_fts = True
        match = self.param(f'{{{columns}}} : "{" ".join(words)}"{star}')
        return _FTS_MESSAGES.format(p=match)

    def field(self, f: Field) -> tuple[str, int]:
        name, value = f.name, f.value
        if name == "from":
            customers = containing(CUSTOMER_TEXT, [value], self.param)
            sets = [f"SELECT id FROM conversation WHERE customer_id IN ({customers})"]
            sender = self.fts_column("from_name from_addr", value, f.quoted)
            if sender is not None:
                sets.append(sender)
            return f"c.id IN ({' UNION '.join(sets)})", _ONCE
        if name == "to":
            like = self.like(value)
            return (
                "EXISTS (SELECT 1 FROM message t WHERE t.conversation_id = c.id"
                f" AND (t.to_addrs LIKE {like} ESCAPE '\\' OR t.cc_addrs LIKE {like} ESCAPE '\\'))",
                _PER_ROW,
            )
        if name == "subject":
            # The trigram table finds the candidates (its text holds contact summaries too);
            # the subject itself decides.
            candidates = containing(CONVERSATION_TEXT, [value], self.param)
            sets = [
                f"SELECT v.id FROM conversation v WHERE v.id IN ({candidates})"
                f" AND v.subject LIKE {self.like(value)} ESCAPE '\\'"
            ]
            in_messages = self.fts_column("subject", value, f.quoted)
            if in_messages is not None:
                sets.append(in_messages)
            return f"c.id IN ({' UNION '.join(sets)})", _ONCE
        if name == "tag":
            names = ", ".join(self.param(t) for t in f.choices)
            return (
                "c.id IN (SELECT conversation_id FROM conversation_tag"
                f" WHERE tag COLLATE NOCASE IN ({names}))",
                _ONCE,
            )
        if name in ("status", "channel"):
            return f"c.{name} IN ({', '.join(self.param(v) for v in f.choices)})", _CHEAP
        if name == "lang":
            return f"c.language IN ({', '.join(self.param(v) for v in f.choices)})", _CHEAP
        if name == "priority":
            levels = ", ".join(str(PRIORITIES.index(v)) for v in f.choices)
            return f"c.priority IN ({levels})", _CHEAP
        if name == "assignee":
            return self.assignee(value)
        if name == "order":
            return self.order(f.choices)
        if name == "is":
            return self.is_(f.choices[0])
        assert f.when is not None
        at = self.param(stored_time(self.instant(f.when)))
        op = "<" if name == "before" else ">="
        return f"c.last_message_at {op} {at}", _CHEAP

    def assignee(self, value: str) -> tuple[str, int]:
        who = value.lower()
        if who == "none":
            return "c.assignee_id IS NULL", _CHEAP
        if who == "me":
            if self.me is None:
                return "0", _CHEAP
            if isinstance(self.me, int):
                return f"c.assignee_id = {self.param(self.me)}", _CHEAP
            handle = self.param(self.me)
            return f"c.assignee_id IN (SELECT id FROM agent WHERE handle = {handle})", _ONCE
        exact, first = self.param(value), self.param(f"{_escape_like(value)} %")
        return (
            "c.assignee_id IN (SELECT id FROM agent WHERE handle = "
            f"{exact} COLLATE NOCASE OR name = {exact} COLLATE NOCASE"
            f" OR name LIKE {first} ESCAPE '\\')",
            _ONCE,
        )

    def order(self, numbers: tuple[str, ...]) -> tuple[str, int]:
        """Linked to any of the orders, or mentioning one's number: one set of ids."""
        names: set[str] = set()
        tests = []
        for value in numbers:
            bare = value.lstrip("#").strip()
            names |= {bare, f"#{bare}", value}
            if bare.isdigit() and len(bare) < 19:
                tests.append(f"o.number = {self.param(int(bare))}")
        tests.insert(0, f"o.name IN ({', '.join(self.param(n) for n in sorted(names))})")
        mentions = " OR ".join(
            f'"{" ".join(_WORD.findall(value.lstrip("#")))}"' for value in numbers
        )
        self.uses_fts = True
        return (
            "c.id IN (SELECT co.conversation_id FROM conversation_order co"
            f' JOIN "order" o ON o.id = co.order_id WHERE {" OR ".join(tests)}'
            f" UNION {_FTS_MESSAGES.format(p=self.param(mentions))})",
            _ONCE,
        )

    def is_(self, what: str) -> tuple[str, int]:
        if what in STATUSES:
            return f"c.status = {self.param(what)}", _CHEAP
        if what == "overdue":
            now = self.param(stored_time(self.now))
            return (
                f"(c.status = 'open' AND c.due_at IS NOT NULL AND c.due_at < {now})",
                _CHEAP,
            )
        if what == "waiting":
            return "c.waiting_since IS NOT NULL", _CHEAP
        if what == "unread":
            return (
                "c.id IN (SELECT conversation_id FROM message"
                " WHERE seen = 0 AND direction = 'inbound')",
                _ONCE,
            )
        return "c.id IN (SELECT conversation_id FROM message WHERE flagged)", _ONCE

    def instant(self, when: When) -> datetime:
        if when.kind == "relative":
            return self.now - when.amount * _UNITS[when.unit]
        if when.kind == "day":
            today = self.now.astimezone(self.zone).date() + timedelta(days=when.amount)
            return datetime(today.year, today.month, today.day, tzinfo=self.zone).astimezone(UTC)
        assert when.at is not None
        at = when.at if when.at.tzinfo is not None else when.at.replace(tzinfo=self.zone)
        return at.astimezone(UTC)


def _items(node: Text | Words) -> list[Text]:
    return [node] if isinstance(node, Text) else list(node.items)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def compile_query(
    text: str,
    *,
    now: datetime,
    zone: ZoneInfo,
    me: int | str | None,
    param_prefix: str = "q",
) -> Compiled | None:
    """``text`` as SQL; ``None`` for an empty query (no condition at all).

    ``now`` (aware) and ``zone`` (the agent's) turn ``before:2d``/``after:today`` into instants;
    ``me`` is the agent at the keyboard for ``assignee:me``: their agent id, or their handle
    (a read-only caller that has not registered the agent), or None (nobody: matches nothing).
    ``param_prefix`` names the parameters (``q0``, ``q1`` …); give another when combining two
    compiled queries in one statement. Raises ``QueryError``."""
    if not text.strip():
        return None
    if now.tzinfo is None:
        raise ValueError("compile_query needs an aware now")
    compiler = _Compiler(now=now, zone=zone, me=me, prefix=param_prefix)
    sql, _ = compiler.node(parse(text))
    return Compiled(sql, compiler.params, compiler.uses_fts)
