"""Fixtures: a fresh database per test on SQLite and PostgreSQL, a clock under our control."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import SessionFactory, create_engine, session_factory
from tests.databases import PostgresTemplate, SqliteTemplate, postgres_url
from timekeeping.clock import ManualClock

# PTB warns on every RetryAfter unless told to use timedelta; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")

BACKENDS = ["sqlite", "postgresql"]
START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 09.00 WIB


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(Path(tmp_path_factory.mktemp("sqlite")))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate | None]:
    url = postgres_url()
    if url is None:
        yield None
        return
    template = PostgresTemplate(url)
    yield template
    template.close()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    sqlite_template: SqliteTemplate,
    postgres_template: PostgresTemplate | None,
) -> Iterator[str]:
    if request.param == "sqlite":
        template: SqliteTemplate | PostgresTemplate = sqlite_template
    elif postgres_template is None:
        pytest.skip("PostgreSQL tests need P2K2_TEST_POSTGRES_URL (make test sets it)")
    else:
        template = postgres_template
    url = template.fresh()
    yield url
    template.drop(url)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def db(engine: AsyncEngine) -> SessionFactory:
    return session_factory(engine)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly when a whole half of the suite did not run (browser or PostgreSQL)."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = {str(report.longrepr[2]) for report in skipped if isinstance(report.longrepr, tuple)}
    missing = [
        what
        for what, marker in (
            ("the browser tests (Chromium)", "browser tests skipped"),
            ("the PostgreSQL half", "PostgreSQL tests need"),
        )
        if any(marker in reason for reason in reasons)
    ]
    for what in missing:
        terminalreporter.write_sep("!", f"NOT RUN: {what}; the skip reasons follow", red=True)
