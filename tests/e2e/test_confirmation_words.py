"""Chairs answer the confirmation request in their own words, and the bot understands."""

from __future__ import annotations

from sqlalchemy import update

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Person
from storage.models.attendance import ConfirmOutcome, ConfirmState, ConfirmStep
from tests.e2e.harness import RunningBot, labels
from tests.e2e.test_attendance import Scene, scene
from tests.e2e.test_confirmations import requests, sent_to, with_text
from timekeeping.clock import ManualClock

RECORDED = "Saya catat: pertemuan sudah berlangsung, 8 anggota datang, info sudah disampaikan."


async def asked(
    bot: RunningBot, fake: FakeTelegram, s: Scene, title: str = "Konfirmasi pertemuan"
) -> SentMessage:
    """The facilitator asks; the request reaches the chair's private chat."""
    menu = await s.facilitator.says("/minta_konfirmasi")
    await s.facilitator.taps(menu, "Mawar 1")
    await bot.dispatch()
    question = await fake.wait_for_message(s.chair.chat, with_text(title))
    fake.mark_read(s.chair.chat)
    return question


async def test_a_reply_in_words_is_recorded_and_reaches_the_facilitator_and_status(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=10)
    question = await asked(bot, fake, s)
    words = "Sudah bu, yang datang 8 orang, info sudah disampaikan 🙏"
    await fake.send_text(s.chair.user, words, reply_to=question)
    done = await fake.wait_for_message(s.chair.chat)
    assert RECORDED in (done.plain or "")
    assert labels(done) == ["✏️ Betulkan jawaban"]
    (request,) = await requests(db)
    assert request.state is ConfirmState.ANSWERED
    assert (request.outcome, request.attendees, request.info_passed) == (
        ConfirmOutcome.HELD,
        8,
        True,
    )
    assert request.notes == words

    # The facilitator's notice and the board show the same answer, with her words.
    await bot.dispatch()
    notice = await fake.wait_for_message(s.facilitator.chat, with_text("mengonfirmasi"))
    text = notice.plain or ""
    assert "Yang datang: 8 dari 10" in text and "Informasi disampaikan: ya" in text
    assert words in text
    board = await s.facilitator.says("/status")
    assert "berlangsung, 8 datang, info disampaikan" in (board.plain or "")

    # One tap to correct it: back to the questions; the corrected answer is sent again.
    step = await s.chair.taps(done, "Betulkan jawaban")
    assert "Apakah pertemuan ini sudah berlangsung?" in (step.plain or "")
    (request,) = await requests(db)
    assert request.state is ConfirmState.OPEN and request.notes == words
    step = await s.chair.taps(step, "Sudah berlangsung")
    step = await s.chair.taps(step, "7")
    step = await s.chair.taps(step, "Ya, sudah")
    await s.chair.taps(step, "Tidak ada catatan")
    await bot.dispatch()
    notices = sent_to(fake, s.facilitator.chat, "mengonfirmasi")
    assert len(notices) == 2 and "Yang datang: 7 dari 10" in (notices[-1].plain or "")


async def test_words_without_reply_to_and_in_two_messages(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=12)
    await asked(bot, fake, s)
    # Typed in the private chat while the request is open, without replying to it.
    first = await s.chair.says("Alhamdulillah sdh terlaksana bu")
    text = first.plain or ""
    assert "Pertemuan: sudah berlangsung" in text
    assert "Berapa anggota yang datang?" in text
    (request,) = await requests(db)
    assert (request.state, request.step) == (ConfirmState.OPEN, ConfirmStep.COUNT)
    # Repeating the outcome at the count question is no answer to it: asked again, not kept.
    again = await s.chair.says("sudah bu 🙏")
    assert "belum paham jumlahnya" in (again.plain or "")
    # The second message gives the rest: recorded, both messages kept as her note.
    done = await s.chair.says("yg dtg lapan org, infonya blm sempat sy sampaikan")
    expected = "pertemuan sudah berlangsung, 8 anggota datang, info belum disampaikan."
    assert expected in (done.plain or "")
    (request,) = await requests(db)
    assert request.state is ConfirmState.ANSWERED
    assert (request.attendees, request.info_passed) == (8, False)
    assert request.notes == (
        "Alhamdulillah sdh terlaksana bu\nyg dtg lapan org, infonya blm sempat sy sampaikan"
    )


async def test_something_unrelated_is_kept_and_forwarded_not_misread(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=10)
    question = await asked(bot, fake, s)
    words = "Bu, kapan pencairan tahap 4? Nomor saya 081234567890"
    await fake.send_text(s.chair.user, words, reply_to=question)
    kept = await fake.wait_for_message(s.chair.chat)
    text = kept.plain or ""
    assert "saya teruskan ke pendamping" in text
    assert "Apakah pertemuan ini sudah berlangsung?" in text  # the question stands
    (request,) = await requests(db)
    assert request.state is ConfirmState.OPEN and request.outcome is None
    assert request.attendees is None and request.notes == words
    await bot.dispatch()
    forwarded = await fake.wait_for_message(s.facilitator.chat, with_text("Pesan dari"))
    assert "kapan pencairan tahap 4?" in (forwarded.plain or "")


async def test_a_count_over_the_roster_or_nobody_at_a_held_meeting_is_questioned(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=10)
    await asked(bot, fake, s)
    again = await s.chair.says("Sudah bu, hadir 25 orang, info sudah")
    text = again.plain or ""
    assert "25 lebih banyak dari anggota di daftar (10)" in text
    assert "Berapa anggota yang datang?" in text
    (request,) = await requests(db)
    assert (request.outcome, request.attendees, request.info_passed) == (
        ConfirmOutcome.HELD,
        None,
        True,
    )
    assert request.state is ConfirmState.OPEN
    done = await s.chair.says("maaf, 9 orang")
    assert "9 anggota datang, info sudah disampaikan" in (done.plain or "")


async def test_held_with_nobody_there_is_questioned(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=10)
    await asked(bot, fake, s)
    nobody = await s.chair.says("Sudah dilaksanakan tapi tidak ada yang datang bu")
    assert "tetapi tidak ada yang datang" in (nobody.plain or "")
    assert "✅ Sudah berlangsung" in labels(nobody)
    (request,) = await requests(db)
    assert request.outcome is None and request.attendees is None


async def test_moved_and_people_there_is_asked_in_those_words(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    """She said it was moved and that people came, not that it did not take place: the
    question says what she said, and nothing of it is recorded until she taps."""
    s = await scene(db, clock, people, roster=10)
    await asked(bot, fake, s)
    moved = await s.chair.says("dimajukan jadi kemarin bu, hadir 8")
    text = moved.plain or ""
    assert "menyebut pertemuan dipindah, dan juga ada yang datang" in text
    assert "berlangsung dan juga tidak" not in text
    assert "✅ Sudah berlangsung" in labels(moved)
    (request,) = await requests(db)
    assert (request.outcome, request.attendees) == (None, None)
    assert request.state is ConfirmState.OPEN


async def test_words_against_an_answer_already_recorded_keep_it_and_say_so(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    """A later message that contradicts what she already answered asks nothing that no button
    would answer ("tap the right answer" under the information question): the bot says it
    keeps the earlier answer and how to start again, and asks what is still open."""
    s = await scene(db, clock, people, roster=10)
    await asked(bot, fake, s)
    first = await s.chair.says("Sudah bu, hadir 8")
    assert "✅ Ya, sudah disampaikan" in labels(first)  # the information question
    later = await s.chair.says("dimajukan jadi kemarin bu, hadir 8")
    text = later.plain or ""
    assert "Saya tetap memakai jawaban sebelumnya" in text
    assert "↩️ Ulang dari awal" in text and "↩️ Ulang dari awal" in labels(later)
    assert "Ketuk jawaban yang benar" not in text
    (request,) = await requests(db)
    assert (request.outcome, request.attendees) == (ConfirmOutcome.HELD, 8)
    assert request.state is ConfirmState.OPEN and request.step is ConfirmStep.INFO
    done = await s.chair.says("info sudah disampaikan")
    assert RECORDED in (done.plain or "")


async def test_english_words_and_a_postponement(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=10)
    async with db.begin() as session:
        await session.execute(
            update(Person).where(Person.telegram_user_id == s.chair.user.id).values(language="en")
        )
    await asked(bot, fake, s, "Meeting confirmation")
    done = await s.chair.says("Postponed to 12/12, the hall was closed")
    assert "I have recorded: the meeting moved to" in (done.plain or "")
    assert "12 December 2026" in (done.plain or "")
    (request,) = await requests(db)
    assert request.outcome is ConfirmOutcome.MOVED and request.moved_to is not None
    assert request.moved_to.isoformat() == "2026-12-12"
