"""/siaran: choose groups, type, preview, send; everyone gets it once; the sender gets a report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from tests.e2e.builders import group_with_chat
from tests.e2e.harness import Person, RunningBot
from timekeeping.clock import ManualClock


async def test_facilitator_announces_to_chosen_groups_and_gets_a_report(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    first = await group_with_chat(db, fake, clock, name="Mawar 1")
    second = await group_with_chat(
        db, fake, clock, name="Melati 2", facilitator_id=500, first_member_id=700
    )
    third = await group_with_chat(
        db, fake, clock, name="Kenanga 3", facilitator_id=500, first_member_id=800
    )
    await fake.block_bot(second.members[0])
    facilitator = Person(fake, first.facilitator)

    menu = await facilitator.says("/siaran")
    assert "3 dipilih" in (menu.plain or "")
    screen = await facilitator.taps(menu, "Kenanga 3")  # leave Kenanga out
    assert "2 dipilih" in (screen.plain or "")
    asked = await facilitator.taps(screen, "Lanjut")
    assert "2 kelompok" in (asked.plain or "")

    too_long = await facilitator.says("x" * 3501)
    assert "Terlalu panjang" in (too_long.plain or "")
    preview = await facilitator.says("Besok <b>posyandu</b> & timbang balita, jam 08.00.")
    assert "Pratinjau" in (preview.plain or "")
    assert "Besok <b>posyandu</b> & timbang balita" in (preview.plain or "")
    queued = await facilitator.taps(preview, "Kirim sekarang")
    assert "2 grup dan 6 anggota" in (queued.plain or "")

    await bot.dispatch()
    for setup in (first, second):
        texts = [m.plain or "" for m in fake.messages(setup.chat.id)]
        assert sum("posyandu" in text for text in texts) == 1
    assert not any("posyandu" in (m.plain or "") for m in fake.messages(third.chat.id))
    for user in first.members + second.members[1:]:
        assert sum("posyandu" in (m.plain or "") for m in fake.messages(user.id)) == 1

    await bot.dispatch()  # the report waits a minute for stragglers
    assert not any("Laporan pengumuman" in (m.plain or "") for m in fake.messages(facilitator.chat))
    clock.advance(timedelta(minutes=1))
    await bot.dispatch()
    # Join notices held back by Telegram's flood control may arrive after the report.
    report = next(
        m for m in fake.messages(facilitator.chat) if "Laporan pengumuman" in (m.plain or "")
    )
    assert "terkirim ke 2 grup dan 5 anggota" in (report.plain or "")
    assert "1 anggota: bot diblokir" in (report.plain or "")


async def test_members_cannot_announce(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    member = Person(fake, setup.members[0])
    refused = await member.says("/siaran")
    assert "hanya untuk pendamping" in (refused.plain or "")
    menu = await member.says("/start")
    fake.mark_read(member.chat)
    await fake.press(member.user, menu, "ans", forged=True)
    await fake.wait_for_call("answerCallbackQuery")
    answers = list(fake.callback_answers.values())
    assert answers and "pendamping" in (answers[-1].text or "")


async def test_an_announcement_at_night_reaches_groups_now_and_members_in_the_morning(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 12, 1, 15, 30, tzinfo=UTC))  # 22.30 WIB
    setup = await group_with_chat(db, fake, clock, name="Mawar 1")
    await bot.dispatch()
    facilitator = Person(fake, setup.facilitator)
    menu = await facilitator.says("/siaran")
    asked = await facilitator.taps(menu, "Lanjut")
    preview = await facilitator.says("Besok posyandu jam 08.00.")
    queued = await facilitator.taps(preview, "Kirim sekarang")
    assert "dikirim mulai Rabu, 2 Desember 2026 pukul 06.00 WIB" in (queued.plain or ""), asked

    def got(chat: int) -> bool:
        return any("posyandu" in (m.plain or "") for m in fake.messages(chat))

    await bot.dispatch()
    assert got(setup.chat.id)
    assert not any(got(member.id) for member in setup.members)
    clock.set(datetime(2026, 12, 1, 23, 0, tzinfo=UTC))  # 06.00 WIB
    await bot.dispatch()
    assert all(got(member.id) for member in setup.members)
