"""Under pressure the bot stays calm and quick: a 429 on a direct reply is flood control, not
an "unhandled error"; a database locked by another writer is answered "busy" within seconds."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from simulator.emulator import FakeTelegram
from tests.e2e.conftest import PeopleFactory
from tests.e2e.harness import RunningBot


class Recorded(logging.Handler):
    """The error handler's log records, and an event set at the first one."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.first = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.first.set()


@pytest.fixture
def error_log() -> Iterator[Recorded]:
    recorded = Recorded()
    logger = logging.getLogger("p2k2.errors")
    logger.addHandler(recorded)
    yield recorded
    logger.removeHandler(recorded)


async def test_429_on_a_reply_is_flood_control_without_a_traceback(
    bot: RunningBot, fake: FakeTelegram, people: PeopleFactory, error_log: Recorded
) -> None:
    ana = people("Ana")
    await ana.says("/start")
    # Every reply in her chat meets 429 for now, however often it is tried.
    fake.fail_next("sendMessage", ana.chat.id, times=10_000, retry_after=1)
    await fake.send_text(ana.user, "/help")
    # The error handler speaks once the reply is given up (at once, or after any retries).
    await asyncio.wait_for(error_log.first.wait(), 60)
    fake.clear_faults()
    answer = await ana.says("/start")
    assert answer.plain
    messages = [r.getMessage() for r in error_log.records]
    assert not [m for m in messages if "unhandled" in m]
    assert not [r for r in error_log.records if r.exc_info or r.exc_text]
    assert any("flood control" in m for m in messages)
    assert all(r.levelno == logging.WARNING for r in error_log.records)


@pytest.fixture
def write_lock(database_url: str) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction holding SQLite's lock (a backup, a CLI command)."""
    if make_url(database_url).get_backend_name() != "sqlite":
        pytest.skip("the write lock of another process is SQLite's")
    holder = sqlite3.connect(str(make_url(database_url).database), isolation_level=None)
    yield holder
    holder.close()


async def test_a_locked_database_is_answered_busy_within_seconds(
    bot: RunningBot, people: PeopleFactory, write_lock: sqlite3.Connection
) -> None:
    ana = people("Ana")
    write_lock.execute("BEGIN IMMEDIATE")
    try:
        # A new person must be written down first; the lock stops that. The answer comes
        # after the bot's busy timeout (a few seconds), well before 30.
        answer = await ana.says("/start", timeout=15)
    finally:
        write_lock.execute("ROLLBACK")
    assert "sibuk" in (answer.plain or "")
    assert "coba lagi" in (answer.plain or "")
