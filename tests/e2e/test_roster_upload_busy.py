"""A roster file is read off the event loop: other people are answered while it is parsed."""

from __future__ import annotations

import asyncio
import threading

import pytest

from handlers import roster as roster_handlers
from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from storage.roster.roster_file import RosterParseResult
from tests.e2e.builders import group_with_chat
from tests.e2e.conftest import PeopleFactory
from tests.e2e.harness import Person, RunningBot
from tests.test_roster_file_limits import crafted_xlsx
from timekeeping.clock import ManualClock


async def test_others_are_answered_while_a_crafted_xlsx_is_parsed(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: PeopleFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = await group_with_chat(db, fake, clock)
    facilitator = Person(fake, setup.facilitator)
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    real = roster_handlers.parse_roster

    def held_parse(data: bytes, file_name: str) -> RosterParseResult:
        # The parse waits for the test's word; on the event loop it would stop everyone.
        started.set()
        release.wait(timeout=10)
        try:
            return real(data, file_name)
        finally:
            finished.set()

    monkeypatch.setattr(roster_handlers, "parse_roster", held_parse)
    fake.mark_read(facilitator.chat)
    await fake.send_document(facilitator.user, "anggota.xlsx", crafted_xlsx())
    await fake.wait_for_call("getFile")
    # The worker has begun reading the file (an event, not a pause).
    assert await asyncio.to_thread(started.wait, 10)

    other = people("Ani")
    try:
        answer = await other.says("/start", timeout=10)
        # She was answered while the file was being read, not after.
        assert started.is_set() and not finished.is_set()
    finally:
        release.set()
    assert answer.plain
    imported = await fake.wait_for_message(facilitator.chat, timeout=20)
    assert "Mawar 1" in (imported.plain or "")
    assert "2" in (imported.plain or "")  # two names added


async def test_a_formula_error_in_the_roster_is_reported_as_a_bad_row(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    from tests.test_roster_file_limits import xlsx

    setup = await group_with_chat(db, fake, clock)
    facilitator = Person(fake, setup.facilitator)
    data = xlsx([["Nama"], ["Rina Wati"], ["#DIV/0!"]])
    answer = await facilitator.sends_file("anggota.xlsx", data)
    text = answer.plain or ""
    assert "Baris 3" in text and "#DIV/0!" in text and "galat rumus" in text
