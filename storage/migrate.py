"""Apply the Alembic migrations from code (`p2k2 db upgrade`, start-up, tests)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")
# Alembic's logger for "Context impl ..." and each "Running upgrade ..." line.
ALEMBIC_LOG = logging.getLogger("alembic.runtime.migration")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Run the migrations on an open engine (no nested event loop).

    The history is one line since 0012 (which merged the early feature branches): each new
    migration revises the one before it, so there is a single head.

    A new, empty database is created quietly: its dozen "Running upgrade" lines say nothing
    an operator needs, and would bury the one line `p2k2 run` prints when Telegram rejects
    the token. Migrations applied to an existing database are logged (INFO), one a line."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))

    def _upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        level = ALEMBIC_LOG.level
        ALEMBIC_LOG.setLevel(logging.WARNING)  # looking at the revision logs too
        try:
            if MigrationContext.configure(connection).get_current_revision() is not None:
                ALEMBIC_LOG.setLevel(level)
            command.upgrade(config, revision)
        finally:
            ALEMBIC_LOG.setLevel(level)

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
