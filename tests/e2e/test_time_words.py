"""Time words through the whole bot: a reminder sent a little late says the true time, keeps
its words when its counts are redrawn, and the summary names the day it goes out on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from tests.e2e import harness
from tests.e2e.harness import Person, RunningBot, TelegramTime, labels
from tests.e2e.test_meetings import schedule_with_buttons, set_up_group
from timekeeping.clock import ManualClock

MEETING = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)  # Saturday 12 December 09.00 WIB
REMINDER = {"id": "Pengingat pertemuan P2K2", "en": "P2K2 meeting reminder"}
# Each default reminder and a 3-minute one, to see the minutes.
OFFSETS = "3d,1d,2h,3m"
WORDS = {
    "id": ("— 3 hari lagi", "— besok", "— 2 jam lagi", "— 2 menit lagi"),
    "en": ("— in 3 days", "— tomorrow", "— in 2 hours", "— in 2 minutes"),
}


@pytest.fixture(params=["id", "en"])
def group_language(request: pytest.FixtureRequest) -> str:
    """The bot's language, which its group chats are written in."""
    return str(request.param)


@pytest.fixture
async def bot(
    fake: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    db: SessionFactory,
    clock: ManualClock,
    telegram_time: TelegramTime,
    group_language: str,
) -> AsyncIterator[RunningBot]:
    settings = harness.test_settings(
        fake, database_url, P2K2_REMINDER_OFFSETS=OFFSETS, P2K2_LANGUAGE=group_language
    )
    running = RunningBot(fake, settings, engine, db, clock, telegram_time)
    await running.start()
    yield running
    await running.stop()


def reminders(fake: FakeTelegram, chat: object, lang: str) -> list[SentMessage]:
    texts = fake.messages(chat)  # type: ignore[arg-type]
    return [m for m in texts if REMINDER[lang] in (m.plain or "")]


async def tick_at(bot: RunningBot, clock: ManualClock, moment: datetime) -> None:
    clock.set(moment)
    await bot.dispatch()


async def test_late_reminders_say_the_true_time_and_keep_it_through_count_edits(
    bot: RunningBot,
    fake: FakeTelegram,
    coordinator: Person,
    people: object,
    clock: ManualClock,
    group_language: str,
) -> None:
    lang = group_language
    cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    siti = cast.members[0]
    three_days, one_day, two_hours, minutes = WORDS[lang]

    # Each reminder is sent a little late, as the dispatcher always is.
    await tick_at(bot, clock, MEETING - timedelta(days=3) + timedelta(minutes=1))
    assert three_days in (reminders(fake, cast.chat, lang)[-1].plain or "")  # not "2 hari"
    # Members who chose no language read the bot's.
    assert three_days in (reminders(fake, siti.user, lang)[-1].plain or "")
    await tick_at(bot, clock, MEETING - timedelta(days=1) + timedelta(minutes=1))
    assert one_day in (reminders(fake, cast.chat, lang)[-1].plain or "")  # not "23 jam"
    await tick_at(bot, clock, MEETING - timedelta(hours=2) + timedelta(minutes=1))
    assert two_hours in (reminders(fake, cast.chat, lang)[-1].plain or "")  # not "1 jam"

    # The 3-minute reminder goes out 40 seconds late: 2 min 20 s ahead is "2 minutes".
    await tick_at(bot, clock, MEETING - timedelta(minutes=3) + timedelta(seconds=40))
    group_reminder = reminders(fake, cast.chat, lang)[-1]
    private = reminders(fake, siti.user, lang)[-1]
    assert minutes in (group_reminder.plain or "")
    assert minutes in (private.plain or "")
    assert len(reminders(fake, cast.chat, lang)) == 4

    # Counts edited seconds later keep the words as first sent (not "3 minutes").
    clock.advance(timedelta(seconds=5))
    yes = group_reminder.buttons[0][1]
    edits = len(fake.calls_to("editMessageText", cast.chat))
    answered = len(fake.calls_to("answerCallbackQuery"))
    await fake.press(siti.user, group_reminder, str(yes))
    await fake.wait_for_call("answerCallbackQuery", count=answered + 1)
    await bot.dispatch()
    assert len(fake.calls_to("editMessageText", cast.chat)) == edits + 1
    assert labels(group_reminder)[0].endswith("(1)")
    assert minutes in (group_reminder.plain or "")

    # Her own copy, pressed a minute later, keeps its words and language (not "1 menit
    # lagi", nor her Telegram app's language).
    clock.advance(timedelta(minutes=1))
    fake.mark_read(siti.chat)
    await fake.press(siti.user, private, str(private.buttons[0][1]))
    own = await fake.wait_for_message(siti.chat)
    assert minutes in (own.plain or "")
    assert labels(own)[0].endswith("(1)")


async def schedule_typed(facilitator: Person, day: str, at: str) -> None:
    """Schedule the next session for a typed day and time, at the usual venue."""
    menu = await facilitator.says("/start")
    step = await facilitator.taps(menu, "Jadwalkan pertemuan")
    step = await facilitator.taps(step, "✅")
    step = await facilitator.says(day)
    step = await facilitator.says(at)
    step = await facilitator.taps(step, "📍")
    saved = await facilitator.taps(step, "Simpan")
    assert "Pertemuan disimpan" in (saved.plain or "")


def summaries(fake: FakeTelegram, chat: object) -> list[str]:
    texts = [m.plain or "" for m in fake.messages(chat)]  # type: ignore[arg-type]
    return [text for text in texts if text.startswith("📖")]


WHEN_AT_TEN = {
    "id": "Sabtu, 12 Desember 2026 pukul 10.00 WIB",
    "en": "Saturday, 12 December 2026 at 10:00 WIB",
}
SUMMARY_HEAD = {
    "id": ("Pertemuan P2K2 hari ini", "Pertemuan P2K2 besok"),
    "en": ("P2K2 meeting today", "P2K2 meeting tomorrow"),
}


async def test_a_summary_sent_on_the_meeting_day_says_today(
    bot: RunningBot,
    fake: FakeTelegram,
    coordinator: Person,
    people: object,
    clock: ManualClock,
    group_language: str,
) -> None:
    today, tomorrow = SUMMARY_HEAD[group_language]
    cast = await set_up_group(bot, fake, coordinator, people)
    # Saturday 06.00 WIB, which is still Friday in UTC: a meeting set for 10.00 today gets
    # its summary at once.
    clock.set(MEETING - timedelta(hours=3))
    await schedule_typed(cast.facilitator, "hari ini", "10.00")
    await bot.dispatch()
    (summary,) = summaries(fake, cast.chat)
    assert today in summary and tomorrow not in summary
    assert WHEN_AT_TEN[group_language] in summary  # the date and time beside the day word


async def test_a_summary_sent_late_at_night_for_an_early_meeting_says_tomorrow(
    bot: RunningBot,
    fake: FakeTelegram,
    coordinator: Person,
    people: object,
    clock: ManualClock,
    group_language: str,
) -> None:
    today, tomorrow = SUMMARY_HEAD[group_language]
    cast = await set_up_group(bot, fake, coordinator, people)
    # Friday 23.30 WIB (16.30 UTC, the same UTC day as the meeting's 23.00 UTC), for a
    # meeting at 06.00 on Saturday, six and a half hours ahead.
    clock.set(datetime(2026, 12, 11, 16, 30, tzinfo=UTC))
    await schedule_typed(cast.facilitator, "besok", "06.00")
    await bot.dispatch()
    (summary,) = summaries(fake, cast.chat)
    assert tomorrow in summary and today not in summary
