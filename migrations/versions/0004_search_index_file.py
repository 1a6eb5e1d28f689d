"""search index moves to its own file

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The FTS5 index leaves the store for ``store.search.db`` (``agentconsole/store/search_index.py``
says why: it doubled the cost of every mail write under the store's one write lock). It is
rebuilt from the messages on first use. What the outside index relies on is made a rule here:
a message's searchable text never changes and messages are never deleted (expunged mail is
only marked ``removed_at``).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FTS_TRIGGERS = ("message_fts_au", "message_fts_ad", "message_fts_ai")


def upgrade() -> None:
    for trigger in _FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS message_fts")
    op.execute(
        "CREATE TRIGGER message_text_fixed BEFORE UPDATE OF "
        "subject, body_text, from_name, from_addr ON message BEGIN "
        "SELECT RAISE(ABORT, 'a message''s text is fixed once stored'); END"
    )
    op.execute(
        "CREATE TRIGGER message_no_delete BEFORE DELETE ON message BEGIN "
        "SELECT RAISE(ABORT, 'messages are never deleted; set removed_at'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS message_no_delete")
    op.execute("DROP TRIGGER IF EXISTS message_text_fixed")
    op.execute(
        "CREATE VIRTUAL TABLE message_fts USING fts5("
        "subject, body_text, from_name, from_addr, "
        "content='message', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER message_fts_ai AFTER INSERT ON message BEGIN "
        "INSERT INTO message_fts(rowid, subject, body_text, from_name, from_addr) "
        "VALUES (new.id, new.subject, new.body_text, new.from_name, new.from_addr); END"
    )
    op.execute(
        "CREATE TRIGGER message_fts_ad AFTER DELETE ON message BEGIN "
        "INSERT INTO message_fts(message_fts, rowid, subject, body_text, from_name, from_addr) "
        "VALUES ('delete', old.id, old.subject, old.body_text, old.from_name, old.from_addr); END"
    )
    op.execute(
        "CREATE TRIGGER message_fts_au AFTER UPDATE OF subject, body_text, from_name, from_addr "
        "ON message BEGIN "
        "INSERT INTO message_fts(message_fts, rowid, subject, body_text, from_name, from_addr) "
        "VALUES ('delete', old.id, old.subject, old.body_text, old.from_name, old.from_addr); "
        "INSERT INTO message_fts(rowid, subject, body_text, from_name, from_addr) "
        "VALUES (new.id, new.subject, new.body_text, new.from_name, new.from_addr); END"
    )
    op.execute("INSERT INTO message_fts(message_fts) VALUES ('rebuild')")
