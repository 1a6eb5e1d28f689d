"""lookup text

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Substring search over customers and conversations from trigram indexes instead of table scans
(``store/lookup_text.py`` says how they are queried). The console's free text and ``from:``
looked for ``LIKE '%…%'`` in every customer name, identity, subject and contact summary: 11-13 ms
a search on the large demo (20,000 customers, 44,000 identities, 30,000 conversations, 6,800
contacts). Two FTS5 trigram tables answer a term of three characters or more from an index:
0.01-0.3 ms, ~1 ms for a term in thousands of rows ("Bestellung": 2,400 conversations):

* ``customer_text`` — rowid = customer.id: the name and every identity value, one a line;
* ``conversation_text`` — rowid = conversation.id: the subject and the non-empty summaries of
  the contacts logged to it, one a line.

They live in the store, not in ``store.search.db``: they are small (11 MB on the large demo's
125 MB) and exact in every committed state. Triggers only note, in ``lookup_dirty``, which
customer or conversation a write changed (a name, an identity, a subject, a contact; both when
an identity or a contact moves); a new customer or conversation needs no note (its id is above
every indexed one). Every writer rebuilds the noted and the new rows together just before it
commits (``store.lookup_text.flush``). Rebuilding a row in the trigger itself cost ~100 µs a
change and doubled the first sync of a 20,000-message mailbox. Existing rows are indexed here
(0.7 s on the large demo).

This file keeps its own copy of the SQL (``store.lookup_text`` has the one the application
uses): a migration must not change when application code does.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CUSTOMER_TEXT = (
    "coalesce(c.name, '') || coalesce((SELECT char(10) || group_concat(i.value, char(10)) "
    "FROM customer_identity i WHERE i.customer_id = c.id AND i.value <> ''), '')"
)
_CONVERSATION_TEXT = (
    "coalesce(v.subject, '') || coalesce((SELECT char(10) || group_concat(k.summary, char(10)) "
    "FROM contact k WHERE k.conversation_id = v.id AND k.summary <> ''), '')"
)


_DIRTY = (
    "CREATE TABLE lookup_dirty (kind TEXT NOT NULL, ref INTEGER NOT NULL, "
    "PRIMARY KEY (kind, ref)) WITHOUT ROWID"
)


def _mark(kind: str, *refs: str) -> str:
    return " ".join(
        f"INSERT OR IGNORE INTO lookup_dirty (kind, ref) SELECT '{kind}', {ref} "
        f"WHERE {ref} IS NOT NULL;"
        for ref in refs
    )


_TABLES = {
    "customer_text": "CREATE VIRTUAL TABLE customer_text USING fts5(text, tokenize='trigram')",
    "conversation_text": "CREATE VIRTUAL TABLE conversation_text USING fts5(text, "
    "tokenize='trigram')",
}

_TRIGGERS = {
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

_BACKFILL = (
    f"INSERT INTO customer_text(rowid, text) SELECT c.id, {_CUSTOMER_TEXT} FROM customer c",
    "INSERT INTO conversation_text(rowid, text) "
    f"SELECT v.id, {_CONVERSATION_TEXT} FROM conversation v",
)

_STATEMENTS = [*_TABLES.values(), _DIRTY, *_TRIGGERS.values(), *_BACKFILL]


def upgrade() -> None:
    for sql in _STATEMENTS:
        op.execute(sql)


def downgrade() -> None:
    for name in reversed(_TRIGGERS):
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE lookup_dirty")
    for name in reversed(_TABLES):
        op.execute(f"DROP TABLE {name}")
