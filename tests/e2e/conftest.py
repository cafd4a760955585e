"""End-to-end fixtures: the fake Telegram and a running bot on each database backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from simulator.emulator import FakeTelegram, FloodLimits
from storage.db import SessionFactory
from tests.e2e.harness import COORDINATOR_ID, Person, RunningBot, TelegramTime, test_settings
from timekeeping.clock import ManualClock


@pytest.fixture
def telegram_time(clock: ManualClock) -> TelegramTime:
    return TelegramTime(clock)


@pytest.fixture
async def fake(
    telegram_time: TelegramTime, request: pytest.FixtureRequest
) -> AsyncIterator[FakeTelegram]:
    """Telegram with its flood limits on, as strict as the real one.

    A test that needs them off says why: `@pytest.mark.flood_off("why")`."""
    flood = FloodLimits(enabled=request.node.get_closest_marker("flood_off") is None)
    async with FakeTelegram(
        bot_username="p2k2_test_bot", flood=flood, clock=telegram_time.now
    ) as server:
        yield server


@pytest.fixture
async def bot(
    fake: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    db: SessionFactory,
    clock: ManualClock,
    telegram_time: TelegramTime,
) -> AsyncIterator[RunningBot]:
    running = RunningBot(fake, test_settings(fake, database_url), engine, db, clock, telegram_time)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def coordinator(fake: FakeTelegram) -> Person:
    return Person(fake, fake.user(COORDINATOR_ID, "Pak", "Koordinator", language_code="id"))


@pytest.fixture
def people(fake: FakeTelegram) -> PeopleFactory:
    return PeopleFactory(fake)


class PeopleFactory:
    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.next_id = 2000

    def __call__(
        self, first_name: str, last_name: str | None = None, language: str = "id"
    ) -> Person:
        self.next_id += 1
        return Person(
            self.fake, self.fake.user(self.next_id, first_name, last_name, language_code=language)
        )
