"""triage indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Partial and expression indexes for the search language and the SLA clock, measured on the
large demo (100,000 messages): ``is:unread`` / ``is:flagged`` from ~22 ms to 0.5 ms; an SLA
refresh with nothing to do from a 12 ms table scan to two index probes (0.02 ms). Their
``WHERE`` clauses are the queries' own, verbatim: SQLite uses a partial index only when the
query repeats its condition. Alembic cannot compare such indexes, so they are written here by
hand and listed in ``store.migrate.HAND_WRITTEN_INDEXES``.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_message_unread": "CREATE INDEX ix_message_unread ON message (conversation_id) "
    "WHERE seen = 0 AND direction = 'inbound'",
    "ix_message_flagged": "CREATE INDEX ix_message_flagged ON message (conversation_id) "
    "WHERE flagged",
    "ix_conversation_sla_stale": "CREATE INDEX ix_conversation_sla_stale ON conversation (id) "
    "WHERE CASE WHEN status = 'closed' OR waiting_since IS NULL THEN due_at IS NOT NULL OR "
    "due_basis IS NOT NULL ELSE due_at IS NULL OR substr(due_basis, 10) IS NOT (CASE WHEN "
    "first_response_at IS NULL THEN 'first' ELSE 'next' END || ' ' || channel || ' ' || "
    "waiting_since) END",
    "ix_conversation_sla_fp": "CREATE INDEX ix_conversation_sla_fp ON conversation "
    "(substr(due_basis, 1, 8)) WHERE due_basis IS NOT NULL",
}


def upgrade() -> None:
    for sql in _INDEXES.values():
        op.execute(sql)


def downgrade() -> None:
    for name in _INDEXES:
        op.execute(f"DROP INDEX {name}")
