"""Reminders, the summary, the recap and quiz, RSVP counts: sent by the dispatcher, once,
on time, through restarts and downtime, with the clock in the test's hands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.rate_limits import EDIT_GAP
from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import QuizAnswer, QuizPoll
from tests.e2e.harness import Person, RunningBot, callback_of, join_and_be_confirmed, labels
from tests.e2e.test_meetings import Cast, alert_for, schedule_with_buttons, set_up_group
from timekeeping.clock import ManualClock

MEETING = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)  # Saturday 12 December 09.00 WIB
REMINDER = "Pengingat pertemuan P2K2"


def reminders(fake: FakeTelegram, chat: object) -> list[SentMessage]:
    return [m for m in fake.messages(chat) if REMINDER in (m.plain or "")]  # type: ignore[arg-type]


def everywhere(fake: FakeTelegram, cast: Cast) -> list[int]:
    """How many reminders the group chat and each member have received."""
    chats: list[object] = [cast.chat, *(m.user for m in cast.members)]
    return [len(reminders(fake, chat)) for chat in chats]


async def tick_at(bot: RunningBot, clock: ManualClock, moment: datetime) -> None:
    clock.set(moment)
    await bot.dispatch()


async def test_each_reminder_arrives_once_everywhere_through_a_restart(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, clock: ManualClock
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    await bot.dispatch()
    assert everywhere(fake, cast) == [0, 0, 0]

    await bot.restart()  # between scheduling and the due time: nothing changes
    await tick_at(bot, clock, MEETING - timedelta(days=3) - timedelta(seconds=1))
    assert everywhere(fake, cast) == [0, 0, 0]
    await tick_at(bot, clock, MEETING - timedelta(days=3))
    assert everywhere(fake, cast) == [1, 1, 1]
    first = reminders(fake, cast.chat)[0]
    text = first.plain or ""
    assert "3 hari lagi" in text
    assert "Sabtu, 12 Desember 2026 pukul 09.00 WIB" in text
    assert "Rumah Bu Siti, RT 02" in text
    assert "Sesi 1: Menjadi Orangtua yang Lebih Baik" in text
    assert labels(first) == ["✅ Saya akan datang (0)", "❌ Tidak bisa datang (0)"]

    await bot.dispatch()
    await bot.restart()
    await bot.dispatch()
    assert everywhere(fake, cast) == [1, 1, 1]

    await tick_at(bot, clock, MEETING - timedelta(days=1))
    assert everywhere(fake, cast) == [2, 2, 2]
    assert "besok" in (reminders(fake, cast.chat)[-1].plain or "")
    summary = [m for m in fake.messages(cast.chat) if "Pertemuan P2K2 besok" in (m.plain or "")]
    assert len(summary) == 1 and "Pesan utama" in (summary[0].plain or "")

    await tick_at(bot, clock, MEETING - timedelta(hours=2))
    await bot.dispatch()
    assert everywhere(fake, cast) == [3, 3, 3]
    assert "2 jam lagi" in (reminders(fake, cast.members[0].user).pop().plain or "")


async def test_downtime_sends_only_what_is_still_useful(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, clock: ManualClock
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    await bot.stop()
    # Down over the 3-day and 1-day times: one reminder (the latest) when back.
    clock.set(MEETING - timedelta(hours=20))
    await bot.start()
    await bot.dispatch()
    assert everywhere(fake, cast) == [1, 1, 1]
    # 20 hours ahead, Friday 13.00 for Saturday 09.00: the day is named, not "20 jam lagi".
    assert "— besok" in (reminders(fake, cast.chat)[0].plain or "")
    await bot.dispatch()
    assert everywhere(fake, cast) == [1, 1, 1]

    # Down again past the start: the 2-hour reminder is dropped, the recap still comes.
    await bot.stop()
    clock.set(MEETING + timedelta(hours=3))
    await bot.start()
    await bot.dispatch()
    assert everywhere(fake, cast) == [1, 1, 1]
    group_texts = [m.plain or "" for m in fake.messages(cast.chat)]
    assert any("Ringkasan sesi pertemuan kelompok" in text for text in group_texts)


async def test_cancel_and_reschedule_tell_members_and_move_the_reminders(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, clock: ManualClock
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    f = cast.facilitator
    await schedule_with_buttons(f)
    await f.says("/jadwalkan MAWAR1 19/12/2026 10.00")

    # Move the first meeting to Monday 14 December, 13.00, at its current place.
    listing = await f.says("/jadwal")
    view = await f.taps(listing, "12/12")
    assert "Akan datang: 0" in (view.plain or "")
    step = await f.taps(view, "Ubah waktu")
    step = await f.taps(step, "Sen 14/12")
    step = await f.taps(step, "13.00")
    confirm = await f.taps(step, "📍")
    assert "Waktu baru" in (confirm.plain or "")
    moved = await f.taps(confirm, "Simpan")
    assert "Waktu pertemuan diubah" in (moved.plain or "")

    # Cancel the second one.
    listing = await f.says("/jadwal")
    view = await f.taps(listing, "19/12")
    ask = await f.taps(view, "Batalkan pertemuan")
    done = await f.taps(ask, "Ya, batalkan")
    assert "Pertemuan dibatalkan" in (done.plain or "")

    await bot.dispatch()
    for chat in (cast.chat, cast.members[0].user, cast.members[1].user):
        texts = [m.plain or "" for m in fake.messages(chat)]
        assert sum("Jadwal pertemuan diubah" in t for t in texts) == 1
        assert sum("Pertemuan dibatalkan" in t for t in texts) == 1
        changed = next(t for t in texts if "Jadwal pertemuan diubah" in t)
        assert "Sabtu, 12 Desember 2026 pukul 09.00 WIB" in changed
        assert "Senin, 14 Desember 2026 pukul 13.00 WIB" in changed

    # The old time's reminder never comes; the new time's does, once.
    await tick_at(bot, clock, MEETING - timedelta(days=3))
    assert everywhere(fake, cast) == [0, 0, 0]
    new_time = datetime(2026, 12, 14, 6, 0, tzinfo=UTC)
    await tick_at(bot, clock, new_time - timedelta(days=3))
    await tick_at(bot, clock, datetime(2026, 12, 19, 3, 0, tzinfo=UTC) - timedelta(days=3))
    assert everywhere(fake, cast) == [1, 1, 1]
    assert "Senin, 14 Desember 2026" in (reminders(fake, cast.chat)[0].plain or "")


async def test_rsvp_counts_are_coalesced_and_refusals_are_clear(
    bot: RunningBot,
    fake: FakeTelegram,
    coordinator: Person,
    people: object,
    clock: ManualClock,
    db: SessionFactory,
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    await tick_at(bot, clock, MEETING - timedelta(days=3))
    (group_reminder,) = reminders(fake, cast.chat)
    siti, ani = cast.members

    answered = len(fake.calls_to("answerCallbackQuery"))
    query = await fake.press(siti.user, group_reminder, "✅ Saya akan datang (0)")
    await fake.wait_for_call("answerCallbackQuery", count=answered + 1)
    assert "Rencana Ibu/Bapak tercatat: akan datang" in (fake.callback_answers[query].text or "")
    await bot.dispatch()
    assert labels(fake.messages(cast.chat)[-1]) == [
        "✅ Saya akan datang (1)",
        "❌ Tidak bisa datang (0)",
    ]
    assert labels(group_reminder) == ["✅ Saya akan datang (1)", "❌ Tidak bisa datang (0)"]
    # The edit came at least a second after the chat's last message (Telegram's per-chat pace).
    (edit,) = [c for c in fake.calls_to("editMessageText", cast.chat) if c.status == 200]
    last_send = max(c.at for c in fake.calls_to("sendMessage", cast.chat) if c.at <= edit.at)
    assert edit.at - last_send >= EDIT_GAP

    # Twenty presses in a second: every one answered, the counts edited once or twice.
    edits_before = len(fake.calls_to("editMessageText", cast.chat))
    answered = len(fake.calls_to("answerCallbackQuery"))
    clock.advance(timedelta(seconds=10))
    data = {True: group_reminder.buttons[0][1], False: group_reminder.buttons[1][1]}
    for index in range(20):
        who = siti if index % 2 else ani
        await fake.press(who.user, group_reminder, str(data[index % 4 < 2]))
    await fake.wait_for_call("answerCallbackQuery", count=answered + 20)
    await bot.dispatch()
    await bot.dispatch()
    clock.advance(timedelta(seconds=1))
    await bot.dispatch()
    assert len(fake.calls_to("editMessageText", cast.chat)) - edits_before == 1
    # The last presses: Siti (odd index 19) "Tidak bisa", Ani (index 18) "Tidak bisa".
    assert labels(group_reminder) == ["✅ Saya akan datang (0)", "❌ Tidak bisa datang (2)"]

    # A press in a private reminder records too, edits her own copy, and the group follows.
    private = reminders(fake, siti.user)[0]
    fake.mark_read(siti.chat)
    await fake.press(siti.user, private, "✅ Saya akan datang (0)")
    own = await fake.wait_for_message(siti.chat)
    assert labels(own) == ["✅ Saya akan datang (1)", "❌ Tidak bisa datang (1)"]
    await bot.dispatch()  # too soon after the last edit: waits its turn
    assert labels(group_reminder) == ["✅ Saya akan datang (0)", "❌ Tidak bisa datang (2)"]
    clock.advance(timedelta(seconds=5))
    await bot.dispatch()
    assert labels(group_reminder) == ["✅ Saya akan datang (1)", "❌ Tidak bisa datang (1)"]

    # Someone not on the roster is told how to join; nothing is counted.
    stranger = people("Orang")  # type: ignore[operator]
    text = await alert_for(fake, stranger, group_reminder, str(data[True]))
    assert "belum terdaftar di kelompok Mawar 1" in text
    assert "link undangan" in text

    # After the start, presses are refused with a reason.
    clock.set(MEETING + timedelta(minutes=5))
    text = await alert_for(fake, siti, group_reminder, str(data[False]))
    assert "sudah dimulai" in text

    # The quiz comes after the meeting, as anonymous quiz polls; only their counts are kept.
    await tick_at(bot, clock, MEETING + timedelta(hours=3))
    polls = [m for m in fake.messages(cast.chat) if m.poll is not None]
    assert len(polls) >= 2
    assert all(p.poll is not None and p.poll["type"] == "quiz" for p in polls)
    first = polls[0].poll
    assert first is not None and first["is_anonymous"]
    correct = int(first["correct_option_ids"][0])
    await fake.answer_poll(siti.user, polls[0], [correct])
    await fake.answer_poll(ani.user, polls[0], [(correct + 1) % len(first["options"])])
    await bot.settle()
    async with db.begin() as session:
        stored = {p.poll_id: p for p in await session.scalars(select(QuizPoll))}
        answers = list(await session.scalars(select(QuizAnswer)))
    assert len(stored) == len(polls)
    assert (stored[first["id"]].voters, stored[first["id"]].correct_voters) == (2, 1)
    assert answers == []  # nobody's own answer is known, so none is stored


async def test_rsvp_on_a_cancelled_meeting_is_refused(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, clock: ManualClock
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    await tick_at(bot, clock, MEETING - timedelta(days=3))
    (group_reminder,) = reminders(fake, cast.chat)
    f = cast.facilitator
    listing = await f.says("/jadwal")
    view = await f.taps(listing, "12/12")
    ask = await f.taps(view, "Batalkan pertemuan")
    await f.taps(ask, "Ya, batalkan")
    text = await alert_for(
        fake, cast.members[0], group_reminder, callback_of(group_reminder, "Saya akan datang")
    )
    assert "sudah dibatalkan" in text
    await bot.dispatch()
    await tick_at(bot, clock, MEETING - timedelta(days=1))
    assert everywhere(fake, cast) == [1, 1, 1]


async def test_a_chat_linked_and_a_member_joining_after_scheduling_still_get_reminders(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, clock: ManualClock
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    # The group moves to a new chat (re-linked) and a new member joins, after scheduling.
    await fake.remove_bot_from_group(cast.facilitator.user, cast.chat)
    await bot.dispatch()
    new_chat = fake.group("Kelompok Mawar 1 (baru)")
    await fake.add_bot_to_group(cast.facilitator.user, new_chat)
    await bot.deliver_link_hint(new_chat, cast.facilitator.user)
    await fake.wait_for_message(new_chat, lambda m: "/hubungkan" in (m.plain or ""))
    await fake.send_text(cast.facilitator.user, "/hubungkan", chat=new_chat)
    pick = await fake.wait_for_message(new_chat, lambda m: bool(m.buttons))
    fake.mark_read(new_chat)
    await fake.press(cast.facilitator.user, pick, callback_of(pick, "Mawar 1"))
    await fake.wait_for_message(new_chat, lambda m: "terhubung" in (m.plain or ""))
    links = await cast.facilitator.says("/kelompok")
    group_screen = await cast.facilitator.taps(links, "Mawar 1")
    link_screen = await cast.facilitator.taps(group_screen, "Link undangan")
    token = (link_screen.plain or "").split("?start=")[1].split()[0]
    late = people("Wati")  # type: ignore[operator]
    await join_and_be_confirmed(bot, late, token, "Wati Susanti", cast.facilitator)
    await bot.dispatch()  # the replan requests

    await tick_at(bot, clock, MEETING - timedelta(days=3))
    from storage.models import Delivery

    async with bot.db.begin() as session:
        for d in await session.scalars(select(Delivery)):
            print("DBG", d.key, d.status, d.reason, d.due_at)
    assert len(reminders(fake, new_chat)) == 1
    assert len(reminders(fake, late.user)) == 1
    assert everywhere(fake, cast)[1:] == [1, 1]


async def test_a_member_can_turn_private_reminders_off(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, clock: ManualClock
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    quiet = cast.members[0]
    menu = await quiet.says("/start")
    card = await quiet.taps(menu, "Kelompok saya")
    assert "juga dikirim ke chat pribadi" in (card.plain or "")
    card = await quiet.taps(card, "Matikan pengingat pribadi")
    assert "Pengingat pribadi mati" in (card.plain or "")
    await schedule_with_buttons(cast.facilitator)
    await tick_at(bot, clock, MEETING - timedelta(days=3))
    assert everywhere(fake, cast) == [1, 0, 1]
