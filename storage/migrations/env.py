"""Alembic environment: runs migrations on the async engine of the configured database.

`alembic -c alembic.ini revision --autogenerate -m "..."` compares the models with the
database of alembic.ini (the one `make run` keeps at head), or with `-x url=...`. Migrations
must not import storage.models: a migration is frozen at the schema of its day, so the
models' own types are rendered as plain SQLAlchemy ones (render_item) and a new revision is
numbered after the head ("0013" after "0012")."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from config.settings import normalise_database_url
from storage.db import create_engine
from storage.models import Base
from storage.models.base import UTCDateTime

target_metadata = Base.metadata


def _render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | bool:
    # UTCDateTime only converts values in Python; its DDL is DateTime(timezone=True).
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _number_revision(
    migration_context: MigrationContext, revision: object, directives: Iterable[MigrationScript]
) -> None:
    if context.config.cmd_opts is not None and getattr(context.config.cmd_opts, "rev_id", None):
        return
    head = context.script.get_current_head()
    for script in directives:
        if head is not None and head.isdigit():
            script.rev_id = f"{int(head) + 1:04d}"


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        render_item=_render_item,
        process_revision_directives=_number_revision,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    assert url, "sqlalchemy.url must be set"
    url = normalise_database_url(url)
    asyncio.run(_run_async(url))


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run p2k2 db upgrade")
run_migrations_online()
