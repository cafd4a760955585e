"""Fail-over as an operator runs it: two instances on one database, one polling and sending.

A rolling deploy (the new instance starts, the old one gets SIGTERM), a crash of the sender in
the middle of a wave (kill -9: its lock dies with its database session) and a restart after
it, against the fake Bot API, which terminates a long poll with 409 Conflict when another
getUpdates comes, as Telegram does."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from content.texts import t
from simulator.emulator import FakeTelegram, User
from storage.db import SessionFactory
from storage.models import DeliveryStatus, Rsvp
from tests.e2e.builders import GroupSetup, group_with_chat
from tests.e2e.harness import TOKEN, Person, RunningBot
from tests.e2e.test_dispatcher import notice, sent_texts, statuses
from tests.e2e.test_presses_flood import reminded_groups
from timekeeping.clock import ManualClock


def another(bot: RunningBot) -> RunningBot:
    """A second instance of the bot on the same database (same settings, same token)."""
    return RunningBot(
        bot.fake,
        bot.settings,
        bot.engine,
        bot.db,
        bot.clock,
        bot.telegram_time,
    )


def received(fake: FakeTelegram, users: list[User], prefix: str) -> Counter[str]:
    """How many times each notice key (`Halo, <key>!`) reached the members' chats."""
    return Counter(
        text.split(",")[1].split("!")[0].strip()
        for user in users
        for text in sent_texts(fake, user.id)
        if text.startswith(f"Halo, {prefix}")
    )


async def asks_once(bot: RunningBot, person: Person) -> None:
    """The person sends /start; exactly one answer comes, from whoever polls."""
    before = len(bot.fake.messages(person.chat))
    answer = await person.says("/start")
    assert answer.plain
    await bot.settle()
    assert len(bot.fake.messages(person.chat)) == before + 1


async def until(reached: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait (in real time, at most `timeout`) for something another task makes happen."""
    deadline = time.monotonic() + timeout
    while not reached():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.01)


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


async def groups(db: SessionFactory, fake: FakeTelegram, clock: ManualClock) -> list[GroupSetup]:
    return [
        await group_with_chat(
            db,
            fake,
            clock,
            name=f"Mawar {index}",
            members=6,
            facilitator_id=500 + index,
            first_member_id=600 + 10 * index,
        )
        for index in range(3)
    ]


@pytest.mark.flood_off("the wave must still be going when the sender is killed, not put off")
async def test_rolling_deploy_crash_and_restart_act_once_and_never_fight(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    setups = await groups(db, fake, clock)
    await bot.dispatch()  # what setting the groups up queued
    members = [user for setup in setups for user in setup.members]
    ani, budi = Person(fake, members[0]), Person(fake, members[7])
    updates = fake.world.updates

    # A (the fixture) polls and sends. B starts beside it and stands by: no poll, no 409.
    a, b = bot, another(bot)
    await b.start()
    assert a.leading and a.receiving and not b.leading and not b.receiving
    assert "standing by" in caplog.text
    await asks_once(a, ani)

    # Rolling deploy: A gets SIGTERM and stops; B's next look takes the lock and polls.
    await a.stop()
    assert await b.lead() and b.receiving
    await asks_once(b, budi)
    for index, user in enumerate(members):
        await notice(db, f"w{index}", user.id, timedelta(0), clock)
    await b.dispatch()
    assert set(received(fake, members, "w").values()) == {1}

    # C starts as the standby; B is killed in the middle of a wave.
    c = another(bot)
    await c.start()
    assert not c.receiving
    keys = [f"x{index}" for index in range(len(members) * 3)]
    for index, key in enumerate(keys):
        await notice(db, key, members[index % len(members)].id, timedelta(0), clock)
    b.app.bot_data.dispatch.dispatcher.batch = 10  # type: ignore[union-attr]
    wave = asyncio.create_task(b.dispatch(follow_flood=False))
    await until(lambda: sum(received(fake, members, "x").values()) >= 8)
    handled_by_b = [updates.last_handed_out]  # budi's /start: handled, maybe never confirmed
    await b.crash(wave)
    in_flight = {
        key for key, (status, _) in (await statuses(db)).items() if status is DeliveryStatus.SENDING
    }
    assert in_flight  # B died with claims in its hands

    # C takes over at its next look: the dead sender's claims are released at once.
    started = time.monotonic()
    assert await c.lead() and c.receiving
    await c.dispatch()
    assert time.monotonic() - started < 5
    final = await statuses(db)
    assert all(final[key][0] is DeliveryStatus.SENT for key in keys)
    counts = received(fake, members, "x")
    assert set(counts) == set(keys)  # nothing lost
    twice = {key for key, count in counts.items() if count > 1}
    assert twice <= in_flight and max(counts.values()) <= 2  # only what was in flight, once more

    # Telegram hands out again what B fetched but never confirmed: C does not act on it.
    before = len(fake.messages(budi.chat))
    await updates.redeliver(handled_by_b)
    await c.settle()
    assert len(fake.messages(budi.chat)) == before
    assert "came again" in caplog.text
    await asks_once(c, ani)

    # B is restarted after the crash: it stands by behind C.
    await b.stop()
    await b.start()
    assert not b.leading and not b.receiving
    await asks_once(c, budi)
    await b.stop()
    await c.stop()

    assert updates.conflicts == 0  # never two pollers
    no_tracebacks(caplog)


async def test_an_update_handed_out_again_is_not_acted_on_twice(
    bot: RunningBot, fake: FakeTelegram, people: object
) -> None:
    person = Person(fake, fake.user(4242, "Ibu", "Sari"))
    answer = await person.says("/start")
    assert answer.plain
    await bot.settle()
    before = len(fake.messages(person.chat))
    await fake.world.updates.redeliver([fake.world.updates.last_handed_out])
    await bot.settle()
    assert len(fake.messages(person.chat)) == before


async def test_a_copy_polling_outside_the_lock_gets_one_warning_and_a_pause(
    bot: RunningBot, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert bot.receiving
    rogue = Bot(TOKEN, base_url=bot.settings.telegram_api_base_url)
    async with rogue:
        await rogue.get_updates(timeout=0)  # ends the bot's long poll with 409
    await until(lambda: bot.leadership is not None and bot.leadership._conflict)
    assert await bot.lead()  # the next look pauses polling instead of fighting
    assert bot.leading and not bot.receiving
    warnings = [r for r in caplog.records if "409" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "stop the other copy" in warnings[0].getMessage()
    no_tracebacks(caplog)

    # After the pause the bot polls again, and people are answered.
    assert bot.leadership is not None
    bot.leadership.monotonic = lambda: time.monotonic() + 60
    assert await bot.lead() and bot.receiving
    person = Person(fake, fake.user(4343, "Ibu", "Rina"))
    assert (await person.says("/start")).plain != t("id", "errors.internal")


async def test_a_press_on_a_group_reminder_handed_out_again_is_not_recorded_twice(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A group press records its update id in the press's own transaction (not beforehand,
    like other updates): the second copy is still neither recorded nor answered, nor is it
    the first's answer changed (the member pressed "Tidak bisa" in between)."""
    caplog.set_level(logging.INFO)
    ((setup, message),) = (await reminded_groups(bot, fake, db, clock))[:1]
    yes, no = (data for _, data in message.buttons if data is not None)
    member = setup.members[0]
    await fake.press(member, message, yes)
    await fake.wait_for_call("answerCallbackQuery", count=1, timeout=10)
    first = fake.world.updates.last_handed_out
    await fake.press(member, message, no)
    await fake.wait_for_call("answerCallbackQuery", count=2, timeout=10)

    await fake.world.updates.redeliver([first])
    await bot.settle()
    assert len(fake.calls_to("answerCallbackQuery")) == 2
    assert "came again" in caplog.text
    async with db.begin() as session:
        answers = list(await session.scalars(select(Rsvp.coming)))
    assert answers == [False]  # the last press stands
