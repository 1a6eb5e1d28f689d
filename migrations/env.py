"""Alembic environment: runs on the connection the store hands over (or the configured URL)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from agentconsole.store.models import metadata

# Tables Alembic must not diff: the FTS5 index and its shadow tables are created by hand.
_HAND_MADE_PREFIXES = ("message_fts", "customer_text", "conversation_text", "lookup_dirty")


def include_object(
    obj: Any,  # noqa: ARG001 - Alembic's hook signature
    name: str | None,
    type_: str,
    reflected: bool,  # noqa: ARG001
    compare_to: Any,  # noqa: ARG001
) -> bool:
    return not (type_ == "table" and bool(name) and str(name).startswith(_HAND_MADE_PREFIXES))


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


config = context.config
connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        _run(conn)
