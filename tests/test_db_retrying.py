"""storage.db.retrying: a use case the database failed to break a lock cycle runs again; and
the pool's test of a PostgreSQL connection that lay unused (storage.db.ping_when_idle)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import db as db_module
from storage.db import TRIES, create_engine, retrying


class _Orig(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _failure(sqlstate: str) -> DBAPIError:
    return DBAPIError("SELECT 1", None, _Orig(sqlstate))


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
async def test_a_deadlock_or_serialisation_failure_runs_the_use_case_again(sqlstate: str) -> None:
    calls = []

    async def work() -> str:
        calls.append(1)
        if len(calls) < TRIES:
            raise _failure(sqlstate)
        return "done"

    assert await retrying(work) == "done"
    assert len(calls) == TRIES


async def test_it_gives_up_after_the_last_try() -> None:
    calls = []

    async def work() -> None:
        calls.append(1)
        raise _failure("40P01")

    with pytest.raises(DBAPIError):
        await retrying(work)
    assert len(calls) == TRIES


async def test_other_database_errors_are_not_retried() -> None:
    calls = []

    async def work() -> None:
        calls.append(1)
        raise _failure("23505")  # unique_violation: running it again changes nothing

    with pytest.raises(DBAPIError):
        await retrying(work)
    assert calls == [1]


# -- a pooled PostgreSQL connection the server dropped ----------------------------------------


async def _drop_the_pools_connections(engine: AsyncEngine) -> None:
    """End every other session on the database, as a server restart does."""
    async with engine.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        await connection.commit()


async def _read(engine: AsyncEngine) -> int | None:
    async with engine.connect() as connection:
        return await connection.scalar(text("SELECT 1"))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_connection_unused_for_a_while_is_tested_and_replaced_before_use(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(database_url, pool_size=1, max_overflow=0)
    try:
        await _read(engine)  # the pool now holds one connection
        other = create_engine(database_url)
        try:
            await _drop_the_pools_connections(other)
        finally:
            await other.dispose()
        # It lay unused longer than the limit (the clock is not ours: the limit moves).
        monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)
        assert await _read(engine) == 1
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_connection_used_a_moment_ago_is_not_tested(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the bargain: no test, no round trips; a connection the server
    dropped in that moment fails once, and the pool then replaces every connection."""
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 3600.0)
    engine = create_engine(database_url, pool_size=1, max_overflow=0)
    try:
        await _read(engine)
        other = create_engine(database_url)
        try:
            await _drop_the_pools_connections(other)
        finally:
            await other.dispose()
        with pytest.raises(DBAPIError) as failed:
            await _read(engine)
        assert failed.value.connection_invalidated
        assert await _read(engine) == 1
    finally:
        await engine.dispose()
