"""message search and an append-only event log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The FTS5 index over message text (rowid = message.id, which grows with arrival time, so date
filters become rowid ranges) and the triggers that keep the event log append-only.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Full-text index over message text; external content, so rowid == message.id.
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
    # The event log is append-only: history must not be rewritten.
    op.execute(
        "CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN "
        "SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN "
        "SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    # Index what is already there (a store upgraded from 0001 may hold mail).
    op.execute("INSERT INTO message_fts(message_fts) VALUES ('rebuild')")


def downgrade() -> None:
    for trigger in (
        "event_no_delete",
        "event_no_update",
        "message_fts_au",
        "message_fts_ad",
        "message_fts_ai",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS message_fts")
