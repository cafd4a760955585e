"""End-to-end fixtures: the fake Telegram and a running bot on each database backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from tests.e2e.harness import COORDINATOR_ID, Person, RunningBot, test_settings
from timekeeping.clock import ManualClock


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(bot_username="p2k2_test_bot") as server:
        yield server


@pytest.fixture
async def bot(
    fake: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    db: SessionFactory,
    clock: ManualClock,
) -> AsyncIterator[RunningBot]:
    running = RunningBot(fake, test_settings(fake, database_url), engine, db, clock)
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
