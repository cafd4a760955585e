"""Confirmation requests end to end: asking, answering by buttons, typing and replies, chasing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models.attendance import ConfirmationRequest, ConfirmState
from tests.e2e.harness import RunningBot, labels
from tests.e2e.test_attendance import answer_of, scene
from timekeeping.clock import ManualClock


def with_text(fragment: str) -> object:
    return lambda m: fragment in (m.plain or "")


async def requests(db: SessionFactory) -> list[ConfirmationRequest]:
    async with db.begin() as session:
        return list(
            await session.scalars(select(ConfirmationRequest).order_by(ConfirmationRequest.id))
        )


def sent_to(fake: FakeTelegram, chat: object, fragment: str) -> list[SentMessage]:
    return [m for m in fake.messages(chat) if fragment in (m.plain or "")]  # type: ignore[arg-type]


async def test_chair_confirms_with_buttons_words_and_a_reply(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=30)
    # The chair takes the roll call first: the count is pre-filled from it.
    screen = await s.chair.says("/absen")
    await s.chair.taps(screen, "Yang belum ditandai = Hadir")

    menu = await s.facilitator.says("/minta_konfirmasi")
    assert "setelah 24 jam" in (menu.plain or "") and "setelah 48 jam" in (menu.plain or "")
    result = await s.facilitator.taps(menu, "Semua kelompok")
    assert "Mawar 1: terkirim ke ketua" in (result.plain or "")
    assert "Kelompok Lain: belum ada pertemuan" in (result.plain or "")
    await bot.dispatch()
    question = await fake.wait_for_message(s.chair.chat, with_text("Konfirmasi pertemuan"))
    assert "Sudah berlangsung" in " ".join(labels(question))

    # A member forging the chair's buttons is refused.
    data = next(d for _, d in question.buttons if d and d.startswith("cfa:"))
    query = await fake.press(s.member.user, question, data, forged=True)
    assert "bukan permintaan konfirmasi untuk Ibu/Bapak" in (
        (await answer_of(fake, query)).text or ""
    )

    count_q = await s.chair.taps(question, "Sudah berlangsung")
    assert "Daftar hadir mencatat 30 hadir" in (count_q.plain or "")
    assert "✅ 30 orang (dari daftar hadir)" in labels(count_q)
    # Above the roster, below zero, and words it cannot read are asked again.
    again = await s.chair.says("45")
    assert "lebih banyak dari anggota di daftar (30)" in (again.plain or "")
    again = await s.chair.says("-2")
    assert "kurang dari nol" in (again.plain or "")
    again = await s.chair.says("banyak sekali")
    assert "belum paham jumlahnya" in (again.plain or "")
    info_q = await s.chair.says("dua puluh delapan")
    assert "Yang datang: 28 dari 30" in (info_q.plain or "")
    notes_q = await s.chair.taps(info_q, "Ya, sudah")
    assert "Ada catatan" in (notes_q.plain or "")

    # Notes by replying to the bot's first message, in her own words.
    fake.mark_read(s.chair.chat)
    await fake.send_text(s.chair.user, "Hujan deras, 2 orang telat <b>", reply_to=question)
    done = await fake.wait_for_message(s.chair.chat)
    assert "Terima kasih" in (done.plain or "")
    (request,) = await requests(db)
    assert request.state is ConfirmState.ANSWERED
    assert (request.attendees, request.info_passed) == (28, True)
    assert request.notes == "Hujan deras, 2 orang telat <b>"

    # The facilitator hears about it through the dispatcher.
    await bot.dispatch()
    notice = await fake.wait_for_message(s.facilitator.chat, with_text("mengonfirmasi"))
    assert "Hujan deras, 2 orang telat <b>" in (notice.plain or "")

    # A reply to the answered request is not attached silently: she is asked, nothing lost.
    fake.mark_read(s.chair.chat)
    await fake.send_text(s.chair.user, "Lupa: Bu Ani sakit", reply_to=question)
    offer = await fake.wait_for_message(s.chair.chat)
    assert "sudah terkirim" in (offer.plain or "")
    added = await s.chair.taps(offer, "Tambahkan ke catatan")
    assert "terkirim ke pendamping" in (added.plain or "")
    (request,) = await requests(db)
    assert request.notes == "Hujan deras, 2 orang telat <b>\n+ Lupa: Bu Ani sakit"
    # Old buttons of the answered request do nothing.
    query = await fake.press(s.chair.user, question, data, forged=True)
    assert "sudah dijawab" in ((await answer_of(fake, query)).text or "")


async def test_replies_attach_to_the_right_request_when_several_are_open(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, groups=2, roster=10, chair_of_all=True)
    menu = await s.facilitator.says("/minta_konfirmasi")
    await s.facilitator.taps(menu, "Semua kelompok")
    await bot.dispatch()
    first = await fake.wait_for_message(s.chair.chat, with_text("Konfirmasi pertemuan"))
    second = await fake.wait_for_message(s.chair.chat, with_text("Konfirmasi pertemuan"))
    groups = {("Mawar 1" in (m.plain or "")): m for m in (first, second)}
    mawar2 = groups[False]
    fake.mark_read(s.chair.chat)
    await fake.send_text(s.chair.user, "Pertemuan Mawar 2 pindah ke balai desa", reply_to=mawar2)
    kept = await fake.wait_for_message(s.chair.chat)
    assert "Catatan Ibu/Bapak tersimpan" in (kept.plain or "") and "Mawar 2" in (kept.plain or "")
    by_group = {r.group_id: r for r in await requests(db)}
    assert by_group[s.group_ids[1]].notes == "Pertemuan Mawar 2 pindah ke balai desa"
    assert by_group[s.group_ids[0]].notes is None

    # Moved to another day, typed as a date; then no notes.
    date_q = await s.chair.taps(groups[True], "Pindah ke hari lain")
    bad = await s.chair.says("31/2")
    assert "tidak ada di kalender" in (bad.plain or "")
    notes_q = await s.chair.says("12/12")
    assert "Pindah ke: Sabtu, 12 Desember 2026" in (notes_q.plain or "")
    done = await s.chair.taps(notes_q, "Tidak ada catatan")
    assert "Terima kasih" in (done.plain or "")
    assert date_q is not None
    by_group = {r.group_id: r for r in await requests(db)}
    assert by_group[s.group_ids[0]].state is ConfirmState.ANSWERED
    assert by_group[s.group_ids[1]].state is ConfirmState.OPEN


async def test_unanswered_requests_are_chased_then_escalated_once_across_restarts(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=8)
    menu = await s.facilitator.says("/minta_konfirmasi")
    await s.facilitator.taps(menu, "Mawar 1")
    await bot.dispatch()
    await fake.wait_for_message(s.chair.chat, with_text("Konfirmasi pertemuan"))

    def count() -> tuple[int, int]:
        return (
            len(sent_to(fake, s.chair.chat, "Konfirmasi pertemuan")),
            len(sent_to(fake, s.facilitator.chat, "belum menjawab konfirmasi")),
        )

    assert count() == (1, 0)
    clock.advance(timedelta(hours=23))
    await bot.dispatch()
    assert count() == (1, 0)
    clock.advance(timedelta(hours=1, minutes=1))
    await bot.dispatch()
    chase = await fake.wait_for_message(s.chair.chat, with_text("Pengingat"))
    assert "Sudah berlangsung" in " ".join(labels(chase))
    assert count() == (2, 0)
    await bot.dispatch()
    await bot.restart()
    await bot.dispatch()
    assert count() == (2, 0)
    clock.advance(timedelta(hours=24))
    await bot.dispatch()
    escalation = await fake.wait_for_message(s.facilitator.chat, with_text("belum menjawab"))
    assert "Siti" in (escalation.plain or "")
    await bot.restart()
    clock.advance(timedelta(hours=30))
    await bot.dispatch()
    await bot.dispatch()
    assert count() == (2, 1)

    # The facilitator's board shows who has not answered; one tap chases again.
    board = await s.facilitator.says("/status")
    assert "belum dijawab ketua" in (board.plain or "")
    chased = await s.facilitator.taps(board, "Ingatkan lagi 1 ketua")
    assert "1 ketua saya ingatkan" in (chased.plain or "")
    await bot.dispatch()
    assert count() == (3, 1)
    # A reply to the chase message attaches to the same request.
    chase_msg = sent_to(fake, s.chair.chat, "Pengingat")[-1]
    await s.chair.taps(chase_msg, "Tidak berlangsung")
    fake.mark_read(s.chair.chat)
    await fake.send_text(s.chair.user, "Ketua sakit", reply_to=chase_msg)
    done = await fake.wait_for_message(s.chair.chat)
    assert "Terima kasih" in (done.plain or "")
    (request,) = await requests(db)
    assert request.state is ConfirmState.ANSWERED and request.notes == "Ketua sakit"
    assert request.chased_at is not None and request.escalated_at is not None
    board = await s.facilitator.says("/status")
    assert "tidak berlangsung" in (board.plain or "")


async def test_answered_before_the_chase_means_no_chase_and_coordinator_overview(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: object,
    coordinator: object,
) -> None:
    s = await scene(db, clock, people, roster=8)
    menu = await s.facilitator.says("/minta_konfirmasi")
    await s.facilitator.taps(menu, "Mawar 1")
    await bot.dispatch()
    question = await fake.wait_for_message(s.chair.chat, with_text("Konfirmasi pertemuan"))
    step = await s.chair.taps(question, "Sudah berlangsung")
    step = await s.chair.taps(step, "6")
    step = await s.chair.taps(step, "Belum")
    await s.chair.taps(step, "Tidak ada catatan")
    clock.advance(timedelta(days=3))
    await bot.dispatch()
    await bot.dispatch()
    assert len(sent_to(fake, s.chair.chat, "Pengingat")) == 0
    assert len(sent_to(fake, s.facilitator.chat, "belum menjawab")) == 0
    overview = await coordinator.says("/status")  # type: ignore[attr-defined]
    assert "semua pendamping" in (overview.plain or "")
    assert "Bu: 2 kelompok" in (overview.plain or "")
    board = await coordinator.taps(overview, "Bu")  # type: ignore[attr-defined]
    assert "berlangsung, 6 datang" in (board.plain or "")
    # A chair cannot see the board.
    refused = await s.chair.says("/status")
    assert "hanya untuk pendamping" in (refused.plain or "")
