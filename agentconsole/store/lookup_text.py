"""Substring search over customers and conversations through FTS5 trigram tables.

Why: the console's free text and ``from:`` look for a substring in a customer's name and
identities (e-mail addresses, phones, handles), a conversation's subject and the summaries of
contacts logged to it. ``LIKE '%…%'`` over those tables reads all of them on every search
(~11 ms on the large demo: 20,000 customers, 44,000 identities, 30,000 conversations). Two
trigram tables built by migration 0011 answer the same question from an index:

* ``customer_text`` — rowid = customer.id; the name and every identity value, one a line;
* ``conversation_text`` — rowid = conversation.id; the subject and every non-empty summary of
  a contact logged to it, one a line.

Triggers note which customers and conversations changed; ``flush`` rebuilds those rows before
every write transaction commits, so what a reader sees is exact. The lines are joined
with a newline so a search term (which holds none) never matches across two of them.

What a trigram index can and cannot do, on SQLite 3.40:

* a term of 3 characters or more is found with ``MATCH`` as one FTS5 string, its characters
  taken literally (``"``, ``*``, ``:``, ``(``, ``-``, ``^`` included); case is folded for ASCII
  and for most other letters too ("MARÍA" finds "maría"; "İ" is not "i"); accents are not
  removed ("garcia" does not find "García" — as with ``LIKE``);
* a shorter term has no trigram to look up, so it is a ``LIKE`` over the table's text: a scan
  of one table (2-4 ms on the large demo, against 5-9 ms scanning names, identities, subjects
  and contacts); ``LIKE`` folds ASCII case only ("é" does not find "É").

``INSERT OR REPLACE`` into the four source tables would leave a stale row behind (SQLite fires
no delete trigger for a replaced row unless ``recursive_triggers`` is on): nothing does that.

The DDL and the rebuild statements are here, once, for code that bulk-loads the store (the
large demo drops the triggers around its ``executemany`` and backfills after). Migration 0011
keeps its own copy: a migration is a snapshot and must not change when this module does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Literal

CUSTOMER_TEXT = "customer_text"
CONVERSATION_TEXT = "conversation_text"
LookupTable = Literal["customer_text", "conversation_text"]

TRIGRAM = 3
"""The shortest term the trigram index can look up; shorter ones are a ``LIKE`` scan."""

Param = Callable[[Any], str]
"""Binds a value, returns its placeholder (``":q3"``): ``services.query._Compiler.param``."""


def fts_string(term: str) -> str:
    """``term`` as one FTS5 string: taken literally, whatever characters it holds."""
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    """``%term%`` for ``LIKE … ESCAPE '\\'``: ``%``, ``_`` and ``\\`` in the term are literal."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def containing(table: LookupTable, terms: Sequence[str], param: Param) -> str:
    """A ``SELECT`` of the ids (customer or conversation) whose text holds every one of
    ``terms`` (case-insensitive substrings; no terms: every row), to use as ``IN (…)``.
    ``param`` binds each value and returns its placeholder, so the caller keeps one
    parameter dict::

        c.customer_id IN ({containing("customer_text", ["garcía", "es"], self.param)})
    """
    if table not in (CUSTOMER_TEXT, CONVERSATION_TEXT):
        raise ValueError(f"not a lookup table: {table!r}")
    # A NUL ends an FTS5 query string early: no stored text holds one, so it is dropped.
    terms = [t.replace("\x00", "") for t in terms]
    long = [t for t in terms if len(t) >= TRIGRAM]
    short = [t for t in terms if 0 < len(t) < TRIGRAM]
    if not long:
        # Nothing the index can look up: scan the text. FTS5 keeps it in a plain table,
        # ``<table>_content(id, c0)`` (its documented shadow table), read 2-3 times faster
        # directly than through the virtual table (large demo: 2.5 ms instead of 6-9 ms).
        likes = " AND ".join(f"c0 LIKE {param(like_pattern(t))} ESCAPE '\\'" for t in short)
        return f"SELECT id FROM {table}_content" + (f" WHERE {likes}" if likes else "")
    where = [f"{table} MATCH {param(' AND '.join(fts_string(t) for t in long))}"]
    # A short term among long ones is checked on the few rows the index found.
    where += [f"text LIKE {param(like_pattern(t))} ESCAPE '\\'" for t in short]
    return f"SELECT rowid FROM {table} WHERE {' AND '.join(where)}"


def containing_any(table: LookupTable, alternatives: Sequence[Sequence[str]], param: Param) -> str:
    """The rows holding every term of at least one alternative (``a b OR c``): one
    ``containing`` per alternative, joined with ``UNION``."""
    if not alternatives:
        raise ValueError("containing_any needs at least one alternative")
    return " UNION ".join(containing(table, terms, param) for terms in alternatives)


# Keeping the tables exact: the SQL (migration 0011 holds its own copy).

_CUSTOMER_TEXT = (
    "coalesce(c.name, '') || coalesce((SELECT char(10) || group_concat(i.value, char(10)) "
    "FROM customer_identity i WHERE i.customer_id = c.id AND i.value <> ''), '')"
)
_CONVERSATION_TEXT = (
    "coalesce(v.subject, '') || coalesce((SELECT char(10) || group_concat(k.summary, char(10)) "
    "FROM contact k WHERE k.conversation_id = v.id AND k.summary <> ''), '')"
)

DIRTY = (
    "CREATE TABLE lookup_dirty (kind TEXT NOT NULL, ref INTEGER NOT NULL, "
    "PRIMARY KEY (kind, ref)) WITHOUT ROWID"
)
"""The customers and conversations whose text changed in the open write transaction."""


def _mark(kind: str, *refs: str) -> str:
    return " ".join(
        f"INSERT OR IGNORE INTO lookup_dirty (kind, ref) SELECT '{kind}', {ref} "
        f"WHERE {ref} IS NOT NULL;"
        for ref in refs
    )


TABLES = {
    CUSTOMER_TEXT: "CREATE VIRTUAL TABLE customer_text USING fts5(text, tokenize='trigram')",
    CONVERSATION_TEXT: "CREATE VIRTUAL TABLE conversation_text USING fts5(text, "
    "tokenize='trigram')",
}

TRIGGERS = {
    "customer_text_au": "CREATE TRIGGER customer_text_au AFTER UPDATE OF id, name ON customer "
    "WHEN old.id IS NOT new.id OR old.name IS NOT new.name BEGIN "
    f"{_mark('customer', 'old.id', 'new.id')} END",
    "customer_text_ad": "CREATE TRIGGER customer_text_ad AFTER DELETE ON customer BEGIN "
    f"{_mark('customer', 'old.id')} END",
    "customer_identity_text_ai": "CREATE TRIGGER customer_identity_text_ai AFTER INSERT ON "
    f"customer_identity BEGIN {_mark('customer', 'new.customer_id')} END",
    "customer_identity_text_au": "CREATE TRIGGER customer_identity_text_au AFTER UPDATE OF "
    "customer_id, value ON customer_identity WHEN old.customer_id IS NOT new.customer_id OR "
    f"old.value IS NOT new.value BEGIN {_mark('customer', 'old.customer_id', 'new.customer_id')}"
    " END",
    "customer_identity_text_ad": "CREATE TRIGGER customer_identity_text_ad AFTER DELETE ON "
    f"customer_identity BEGIN {_mark('customer', 'old.customer_id')} END",
    "conversation_text_au": "CREATE TRIGGER conversation_text_au AFTER UPDATE OF id, subject ON "
    "conversation WHEN old.id IS NOT new.id OR old.subject IS NOT new.subject BEGIN "
    f"{_mark('conversation', 'old.id', 'new.id')} END",
    "conversation_text_ad": "CREATE TRIGGER conversation_text_ad AFTER DELETE ON conversation "
    f"BEGIN {_mark('conversation', 'old.id')} END",
    # A contact without a conversation or without a summary adds no text.
    "contact_text_ai": "CREATE TRIGGER contact_text_ai AFTER INSERT ON contact "
    "WHEN new.conversation_id IS NOT NULL AND new.summary <> '' BEGIN "
    f"{_mark('conversation', 'new.conversation_id')} END",
    "contact_text_au": "CREATE TRIGGER contact_text_au AFTER UPDATE OF conversation_id, summary "
    "ON contact WHEN old.conversation_id IS NOT new.conversation_id OR "
    "old.summary IS NOT new.summary BEGIN "
    f"{_mark('conversation', 'old.conversation_id', 'new.conversation_id')} END",
    "contact_text_ad": "CREATE TRIGGER contact_text_ad AFTER DELETE ON contact "
    "WHEN old.conversation_id IS NOT NULL AND old.summary <> '' BEGIN "
    f"{_mark('conversation', 'old.conversation_id')} END",
}
"""They only note what changed (one small insert); ``flush`` rebuilds it. A new customer or
conversation needs no note: its id is above every id the table holds (ids only grow past the
highest one in use), so ``flush`` finds it by that alone — inserts, the bulk of a first sync,
fire no trigger at all."""

_STATE = (
    "SELECT coalesce((SELECT max(id) FROM customer_text_content), 0), "
    "coalesce((SELECT max(id) FROM conversation_text_content), 0), "
    "coalesce((SELECT max(id) FROM customer), 0), "
    "coalesce((SELECT max(id) FROM conversation), 0), "
    "EXISTS (SELECT 1 FROM lookup_dirty)"
)
FLUSH = (
    "DELETE FROM customer_text WHERE rowid IN "
    "(SELECT ref FROM lookup_dirty WHERE kind = 'customer')",
    f"INSERT INTO customer_text(rowid, text) SELECT c.id, {_CUSTOMER_TEXT} FROM customer c "
    "WHERE c.id > :customers OR c.id IN (SELECT ref FROM lookup_dirty WHERE kind = 'customer')",
    "DELETE FROM conversation_text WHERE rowid IN "
    "(SELECT ref FROM lookup_dirty WHERE kind = 'conversation')",
    f"INSERT INTO conversation_text(rowid, text) SELECT v.id, {_CONVERSATION_TEXT} "
    "FROM conversation v WHERE v.id > :conversations "
    "OR v.id IN (SELECT ref FROM lookup_dirty WHERE kind = 'conversation')",
    "DELETE FROM lookup_dirty",
)
"""Rebuild the noted rows and add the new ones, all at once, then forget the notes
(``:customers`` / ``:conversations``: the highest id each table held before)."""

Run = Callable[[str, dict[str, Any]], list[Any]]
"""Runs one statement in the writer's open transaction and returns its rows."""


def flush_with(run: Run) -> bool:
    """Bring both tables up to the rows, inside the caller's write transaction (every writer
    runs it before ``COMMIT``: ``store.reader.ReadConnections.write``, ``Store.session``), so
    a committed store is always exact. Whether there was anything to do.

    Why not rebuild in the triggers themselves: a row rebuilt per change cost ~100 µs (an
    FTS5 delete and insert each time); the first sync of a 20,000-message mailbox fires them
    ~40,000 times and took twice as long (8.6 s instead of 4.4 s). Rebuilt together at the end
    of each transaction they cost a few µs a row."""
    customers, conversations, top_customer, top_conversation, noted = run(_STATE, {})[0]
    if not noted and top_customer <= customers and top_conversation <= conversations:
        return False
    marks = {"customers": customers, "conversations": conversations}
    for sql in FLUSH:
        run(sql, marks)
    return True


def flush(conn: sqlite3.Connection) -> bool:
    """``flush_with`` on a plain ``sqlite3`` connection."""
    return flush_with(lambda sql, params: conn.execute(sql, params).fetchall())


BACKFILL = (
    "DELETE FROM customer_text",
    f"INSERT INTO customer_text(rowid, text) SELECT c.id, {_CUSTOMER_TEXT} FROM customer c",
    "DELETE FROM conversation_text",
    "INSERT INTO conversation_text(rowid, text) "
    f"SELECT v.id, {_CONVERSATION_TEXT} FROM conversation v",
    "DELETE FROM lookup_dirty",
)
"""Both tables rebuilt from the rows (for after a bulk load with the triggers dropped)."""
