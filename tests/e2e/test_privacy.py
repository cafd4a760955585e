"""A member's own data end to end: she reads it and gets it as a file, asks for a correction,
asks to be erased; her facilitator erases her; nobody else can."""

from __future__ import annotations

from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from storage.models import Member, Person
from tests.e2e.builders import group_with_chat
from tests.e2e.harness import COORDINATOR_ID, RunningBot, data_of, labels
from tests.e2e.harness import Person as Phone
from tests.e2e.test_complaints import forged_answer
from timekeeping.clock import ManualClock


async def test_a_member_reads_her_data_corrects_it_and_is_erased(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    member = Phone(fake, setup.members[0])
    neighbour = Phone(fake, setup.members[1])
    facilitator = Phone(fake, setup.facilitator)

    menu = await member.says("/start")
    assert any("Data saya" in label for label in labels(menu))
    summary = await member.taps(menu, "Data saya")
    assert "Data Ibu/Bapak yang disimpan bot" in (summary.plain or "")
    assert "Nama di daftar kelompok: 1" in (summary.plain or "")
    sent = await fake.wait_for_message(member.chat, lambda m: m.document is not None)
    content = (sent.document_bytes or b"").decode("utf-8")
    assert "Ibu0 KPM" in content and "320100000000000" in content  # her own ID KPM
    assert "Ibu1 KPM" not in content  # nobody else's line
    assert str(member.id) in content  # the Telegram account number the bot keeps

    # A correction goes to the facilitator, in her words, escaped.
    ask = await member.taps(summary, "Minta perbaikan")
    assert "Bu Pendamping" in (ask.plain or "")
    done = await member.says("Nama saya <Siti> Aminah, bukan Ibu0")
    assert "sudah dikirim ke pendamping" in (done.plain or "")
    await bot.dispatch()
    notice = await fake.wait_for_message(
        facilitator.chat, lambda m: "Permintaan perbaikan data" in (m.plain or "")
    )
    assert "Nama saya <Siti> Aminah" in (notice.plain or "") and "Ibu0 KPM" in (notice.plain or "")

    # Erasure: what goes and what stays is said first; the facilitator decides.
    explain = await member.says("/hapus_data")
    assert "tetap disimpan" in (explain.plain or "") and "Bu Pendamping" in (explain.plain or "")
    asked = await member.taps(explain, "Ya, minta dihapus")
    assert "sudah dikirim ke pendamping" in (asked.plain or "")
    await bot.dispatch()
    question = await fake.wait_for_message(facilitator.chat, lambda m: bool(data_of(m, "dea:")))
    assert "Ibu0 KPM" in (question.plain or "")
    (yes,) = [data for data in data_of(question, "dea:") if data.endswith(":1")]
    # A member cannot answer it, even with the right data.
    refusal = await forged_answer(fake, neighbour, question, yes)
    assert "pendamping" in refusal.lower()
    answered = await facilitator.taps(question, yes)
    assert "Sudah dihapus" in (answered.plain or "")
    async with db.begin() as session:
        assert (
            await session.scalar(select(Person).where(Person.telegram_user_id == member.id)) is None
        )
        line = await session.scalar(select(Member).where(Member.name == "Ibu0 KPM"))
        assert line is not None and line.person_id is None

    # Back in the bot, she is a stranger: her data shows nothing of the group.
    again = await member.says("/data_saya")
    assert "Nama di daftar kelompok: 0" in (again.plain or "")
    async with db.begin() as session:
        fresh = await session.scalar(select(Person).where(Person.telegram_user_id == member.id))
        assert fresh is not None and fresh.erased_at is None  # a new person row, not the old one


async def test_coordinators_see_who_opened_what(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    facilitator = Phone(fake, setup.facilitator)
    coordinator = Phone(fake, fake.user(COORDINATOR_ID, "Pak", "Koordinator", language_code="id"))
    await coordinator.says("/start")
    empty = await coordinator.says("/jejak")
    assert "Belum ada yang membuka data pribadi" in (empty.plain or "")
    card = await facilitator.says("/kelompok")
    for label in ("Mawar 1", "Daftar anggota"):
        card = await facilitator.taps(card, label)
    assert "Ibu0 KPM" in " ".join(labels(card))
    trail = await coordinator.says("/jejak")
    assert "Bu Pendamping" in (trail.plain or "") and "membuka daftar anggota" in (
        trail.plain or ""
    )
    assert "hanya data di wilayah" in (trail.plain or "")  # her area's trail, and it says so
    refused = await facilitator.says("/jejak")
    assert "koordinator" in (refused.plain or "").lower()
