"""Under pressure the bot stays calm and quick: a 429 on a direct reply is flood control, not
an "unhandled error"; a database locked by another writer is answered "busy" within seconds."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from simulator.emulator import FakeTelegram
from tests.e2e.conftest import PeopleFactory
from tests.e2e.harness import RunningBot


async def test_429_on_a_reply_is_flood_control_without_a_traceback(
    bot: RunningBot, fake: FakeTelegram, people: PeopleFactory, caplog: pytest.LogCaptureFixture
) -> None:
    ana = people("Ana")
    await ana.says("/start")
    # Every reply in her chat meets 429 for now, however often it is tried.
    fake.fail_next("sendMessage", ana.chat.id, times=10_000, retry_after=1)
    caplog.set_level(logging.INFO)
    sends_before = len(fake.calls_to("sendMessage"))
    await fake.send_text(ana.user, "/help")
    await fake.wait_for_call("sendMessage", sends_before + 1)
    fake.clear_faults()
    # Her updates are handled in order: the answer to the next one means the /help was done,
    # error handler included.
    answer = await ana.says("/start")
    assert answer.plain
    unhandled = [r for r in caplog.records if "unhandled" in r.getMessage()]
    assert not unhandled
    assert not [r for r in caplog.records if r.exc_info and r.name.startswith("p2k2")]
    assert any("flood control" in r.getMessage() for r in caplog.records)


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
    assert "Coba lagi" in (answer.plain or "")
