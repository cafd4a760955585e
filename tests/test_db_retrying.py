"""storage.db.retrying: a use case the database failed to break a lock cycle runs again."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from storage.db import TRIES, retrying


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
