"""Complaints that protect the person who complains, end to end through the fake Bot API.

A member complains about cuts taken from her aid (or about her facilitator or chair): the
complaint goes straight to the coordinators, who are told at once; the facilitator sees
nothing of it, in her queue, notices, meeting topics, export, report counts or on handover;
unanswered, it goes above the coordinators. The intake says truthfully who reads what, every
member sees the official channels outside the bot, and status words say what happened."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from simulator.emulator import FakeTelegram
from storage import complaints, people, reports
from storage.db import SessionFactory
from storage.models import ComplaintEvent, Group, Meeting, MeetingStatus, Member, StaffRole
from tests.blocking import blocked_the_bot
from tests.e2e import harness
from tests.e2e.builders import GroupSetup, actor_for, group_with_chat
from tests.e2e.harness import (
    COORDINATOR_ID,
    Person,
    RunningBot,
    TelegramTime,
    callback_of,
    labels,
)
from tests.e2e.test_complaints import SLA, file_directly, forged_answer, texts
from timekeeping.clock import ManualClock

ABOVE_ID = 777  # the PKH officer above the coordinators (P2K2_COMPLAINT_ESCALATION_IDS)
MEETING = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # in the clock's month, December 2026
LEVY_TEXT = "Ketua minta Rp50.000 dari bantuan saya setiap pencairan"


@pytest.fixture
async def bot_above(
    fake: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    db: SessionFactory,
    clock: ManualClock,
    telegram_time: TelegramTime,
) -> AsyncIterator[RunningBot]:
    """The bot with a level above the coordinators configured."""
    settings = harness.test_settings(
        fake, database_url, P2K2_COMPLAINT_ESCALATION_IDS=str(ABOVE_ID)
    )
    running = RunningBot(fake, settings, engine, db, clock, telegram_time)
    await running.start()
    yield running
    await running.stop()


async def world(
    fake: FakeTelegram, db: SessionFactory, clock: ManualClock, lang: str = "id"
) -> tuple[GroupSetup, Person, Person, Person, Person]:
    """A group with a chair and a meeting this month; member, facilitator, chair, coordinator."""
    setup = await group_with_chat(db, fake, clock)
    coordinator = Person(fake, fake.user(COORDINATOR_ID, "Pak", "Koordinator", language_code=lang))
    await coordinator.says("/start")
    member, chair = Person(fake, setup.members[0]), Person(fake, setup.members[1])
    async with db.begin() as session:
        group = await session.get_one(Group, setup.group.id)
        group.chair_member_id = await session.scalar(
            select(Member.id).where(Member.group_id == group.id, Member.name == "Ibu1 KPM")
        )
        session.add(
            Meeting(
                group_id=group.id,
                session_number=1,
                starts_at=MEETING,
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
            )
        )
    if lang != "id":
        for user in (member.user, coordinator.user):
            await people.set_language(db, (await actor_for(db, user)).person_id, lang)
    return setup, member, Person(fake, setup.facilitator), chair, coordinator


def about(number: str, chat_texts: list[str]) -> list[str]:
    return [text for text in chat_texts if number in text]


async def export_counts(fake: FakeTelegram, facilitator: Person) -> int:
    """The "Keluhan baru" total of the facilitator's XLSX for the month."""
    pick = await facilitator.says("/ekspor 2026-12")
    fake.mark_read(facilitator.chat)
    await fake.press(facilitator.user, pick, callback_of(pick, "Excel"))
    document = await fake.wait_for_message(
        facilitator.chat, lambda m: m.document is not None, timeout=20
    )
    book = load_workbook(io.BytesIO(document.document_bytes or b""))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(rows) if "Keluhan baru" in row)
    column = rows[header_index].index("Keluhan baru")
    return sum(
        int(row[column])
        for row in rows[header_index + 1 :]
        if row[0] and row[0] != "Jumlah" and isinstance(row[column], int)
    )


async def test_a_levy_complaint_reaches_only_the_coordinators_and_goes_above_them(
    bot_above: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    bot = bot_above
    setup, member, facilitator, chair, coordinator = await world(fake, db, clock)
    above = Person(fake, fake.user(ABOVE_ID, "Bu", "Provinsi"))
    fake.private_chat(above.user).started = True

    categories = await member.says("/keluhan")
    intake = categories.plain or ""
    assert "langsung ke koordinator PKH seluruh daerah, tidak ke pendamping" in intake
    assert "tidak ke pendamping atau ketua" in intake
    channels = await member.taps(categories, "Layanan pengaduan")
    for fact in ("171", "lapor.go.id", "SAPA 129", "WhatsApp 08111-129-129"):
        assert fact in (channels.plain or "")
    describe = await member.taps(categories, "Potongan atau pungutan")
    attach = await member.says(LEVY_TEXT)
    review = await member.taps(attach, "Lanjut")
    told = review.plain or ""
    assert "sekarang: koordinator PKH seluruh daerah" in told
    assert "Tidak ke pendamping (Bu Pendamping)" in told
    assert "petugas PKH di atas koordinator, bila belum ditanggapi dalam 3 hari" in told
    # Never a meeting topic: the facilitator who would raise it must not see it.
    assert not any("pertemuan" in label for label in labels(review))
    assert "Ceritakan" in (describe.plain or "")
    sent = await member.taps(review, "Kirim keluhan")
    assert "terkirim ke koordinator PKH seluruh daerah" in (sent.plain or "")
    assert "naik ke petugas PKH di atas koordinator" in (sent.plain or "")
    assert "K-0001" in (sent.plain or "")
    ordinary = await file_directly(db, member.user, setup.group.id, clock)  # K-0002, a KKS card

    # The coordinator is told at once; the facilitator only of the ordinary one.
    await bot.dispatch()
    told_coordinator = about("K-0001", texts(fake, coordinator.id))
    assert len(told_coordinator) == 1
    assert "Langsung ke koordinator" in told_coordinator[0] and LEVY_TEXT in told_coordinator[0]
    assert about("K-0002", texts(fake, facilitator.id))
    assert not about("K-0001", texts(fake, facilitator.id))

    # Not in the facilitator's queue, card, meeting topics; the chair cannot open it either.
    inbox = await facilitator.says("/keluhan_masuk")
    assert "K-0002" in " ".join(labels(inbox)) and "K-0001" not in " ".join(labels(inbox))
    for data in ("klv:1", "klp:1", "klh:1", "klu:1:0"):
        assert "tidak bisa dibuka dari akun ini" in await forged_answer(
            fake, facilitator, inbox, data
        )
    topics = await facilitator.taps(inbox, "Untuk pertemuan")
    assert "K-0001" not in (topics.plain or "") and LEVY_TEXT not in (topics.plain or "")
    chair_menu = await chair.says("/start")
    assert "tidak bisa dibuka dari akun ini" in await forged_answer(
        fake, chair, chair_menu, "klv:1"
    )

    # What the member adds reaches the coordinators, never the facilitator.
    mine = await member.says("/keluhanku")
    ticket = await member.taps(mine, "K-0001")
    assert "Yang menangani: koordinator PKH wilayah kelompok ini" in (ticket.plain or "")
    await member.taps(ticket, "Tambah keterangan")
    await member.says("Sudah tiga kali dipotong")
    await bot.dispatch()
    assert any("Sudah tiga kali" in text for text in about("K-0001", texts(fake, coordinator.id)))
    assert not about("K-0001", texts(fake, facilitator.id))

    # Report counts and the export: the facilitator counts only K-0002, the chair none.
    fake.mark_read(facilitator.chat)
    await fake.send_text(facilitator.user, "/laporan 2026-12")
    report = await fake.wait_for_message(
        facilitator.chat, lambda m: "Keluhan:" in (m.plain or ""), timeout=20
    )
    assert "Keluhan: 1 baru" in (report.plain or "")
    assert await export_counts(fake, facilitator) == 1
    month = reports.current_month(clock.now())
    chair_actor = await actor_for(db, chair.user)
    chair_report = await reports.month_report(db, chair_actor, month, clock.now())
    # In a group of 10 to 30, "1 new" would point at a member: a chair sees no counts.
    assert sum(g.complaints_opened for g in chair_report.groups) == 0
    fake.mark_read(chair.chat)
    await fake.send_text(chair.user, "/laporan 2026-12")
    chair_text = await fake.wait_for_message(
        chair.chat, lambda m: "Kuis" in (m.plain or ""), timeout=20
    )
    assert "Keluhan" not in (chair_text.plain or "")
    coordinator_actor = await actor_for(db, coordinator.user)
    whole = await reports.month_report(db, coordinator_actor, month, clock.now())
    assert sum(g.complaints_opened for g in whole.groups) == 2

    # Unanswered after the SLA: up to the level above the coordinators, once, without buttons.
    clock.advance(SLA + timedelta(minutes=1))
    await bot.dispatch()
    await bot.dispatch()  # the climb's step queued it: sent on the next tick
    escalated = about("K-0001", texts(fake, above.id))
    assert len(escalated) == 1
    assert "belum dijawab koordinator" in escalated[0] and LEVY_TEXT in escalated[0]
    assert not [m for m in fake.messages(above.chat) if m.buttons]
    assert len([t for t in about("K-0001", texts(fake, coordinator.id)) if "⏰" in t]) == 0
    assert not about("K-0001", texts(fake, facilitator.id))
    clock.advance(SLA)
    await bot.dispatch()
    await bot.dispatch()
    assert len(about("K-0001", texts(fake, above.id))) == 1

    # Handover moves the ordinary complaint only.
    other = await group_with_chat(
        db, fake, clock, name="Melati", facilitator_id=501, first_member_id=700
    )
    moved = await complaints.hand_over(
        db,
        coordinator_actor,
        setup.facilitator_actor.person_id,
        other.facilitator_actor.person_id,
        clock.now(),
    )
    assert moved == 1
    other_inbox = await Person(fake, other.facilitator).says("/keluhan_masuk")
    assert "K-0001" not in " ".join(labels(other_inbox))
    assert ordinary == 2

    # The coordinator answers: the member reads the coordinator's name, not the facilitator's.
    notice = next(
        m for m in fake.messages(coordinator.chat) if "Langsung ke koordinator" in (m.plain or "")
    )
    await coordinator.taps(notice, "Balas")
    await coordinator.says("Kami akan cek ke lapangan tanpa menyebut nama Ibu")
    await bot.dispatch()
    reply = await fake.wait_for_message(member.chat, lambda m: "Balasan dari" in (m.plain or ""))
    assert "Balasan dari Pak" in (reply.plain or "")
    assert "Bu Pendamping" not in (reply.plain or "")
    assert not about("K-0001", texts(fake, facilitator.id))


async def test_status_words_say_what_happened(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup, member, facilitator, _, _ = await world(fake, db, clock)
    await file_directly(db, member.user, setup.group.id, clock)
    await bot.dispatch()
    notice = await fake.wait_for_message(facilitator.chat, lambda m: "K-0001" in (m.plain or ""))
    choices = await facilitator.taps(notice, "Ubah status")
    assert {"sudah ditanggapi pendamping", "tidak bisa diurus pendamping"} <= set(labels(choices))
    await facilitator.taps(choices, "sudah ditanggapi pendamping")
    await bot.dispatch()
    read = await fake.wait_for_message(member.chat, lambda m: "Status keluhan" in (m.plain or ""))
    assert "sudah ditanggapi pendamping" in (read.plain or "")

    choices = await facilitator.taps(notice, "Ubah status")
    asked = await facilitator.taps(choices, "tidak bisa diurus")
    assert "ke mana ia bisa membawanya" in (asked.plain or "")
    await facilitator.says("Kartu KKS diurus bank penyalur, datang ke kantor BRI")
    await bot.dispatch()
    refused = await fake.wait_for_message(
        member.chat, lambda m: "tidak bisa mengurus" in (m.plain or "")
    )
    body = refused.plain or ""
    assert "bukan keputusan tentang bantuan" in body and "kantor BRI" in body
    assert "171" in body and "lapor.go.id" in body
    everything = " ".join(texts(fake, member.id)).lower()
    assert "diterima" not in everything and "ditolak" not in everything


async def test_intake_says_who_reads_and_the_meeting_topic_is_not_read_out(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    _, member, facilitator, _, _ = await world(fake, db, clock)
    categories = await member.says("/keluhan")
    await member.taps(categories, "Sekolah")
    attach = await member.says("Anak saya di kelas 3 belum dapat seragam")
    review = await member.taps(attach, "Lanjut")
    who = review.plain or ""
    assert "sekarang: pendamping Bu Pendamping" in who
    assert "koordinator PKH seluruh daerah, bila pendamping meneruskannya" in who
    assert "belum menanggapinya dalam 3 hari" in who and "pendamping lain" in who
    review = await member.taps(review, "Izinkan dibahas di pertemuan")
    assert "kata-katanya sendiri" in (review.plain or "")
    await member.taps(review, "Kirim keluhan")
    inbox = await facilitator.says("/keluhan_masuk")
    topics = await facilitator.taps(inbox, "Untuk pertemuan")
    shown = topics.plain or ""
    assert "Sekolah anak (K-0001)" in shown and "kata-kata Anda sendiri" in shown
    assert "seragam" not in shown


async def test_in_english_about_the_facilitator_goes_to_every_coordinator(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup, member, facilitator, _, coordinator = await world(fake, db, clock, lang="en")
    second = Person(
        fake, fake.user(COORDINATOR_ID + 1, "Second", "Coordinator", language_code="en")
    )
    fake.private_chat(second.user).started = True
    await people.add_staff(db, second.id, "Second Coordinator", StaffRole.COORDINATOR)
    await people.set_language(db, (await actor_for(db, second.user)).person_id, "en")

    categories = await member.says("/keluhan")
    assert "go straight to the PKH coordinators of the whole deployment" in (categories.plain or "")
    channels = await member.taps(categories, "Complaint services")
    for fact in ("171", "lapor.go.id", "SAPA 129", "08111-129-129"):
        assert fact in (channels.plain or "")
    await member.taps(categories, "About the facilitator or the chair")
    attach = await member.says("The facilitator threatens to remove me from PKH")
    review = await member.taps(attach, "Next")
    assert "Not to the facilitator (Bu Pendamping)" in (review.plain or "")
    assert "nobody has responded within 3 days, they are reminded" in (review.plain or "")
    sent = await member.taps(review, "Send complaint")
    assert "sent to the PKH coordinators of the whole deployment" in (sent.plain or "")

    await bot.dispatch()
    for person in (coordinator, second):
        notices = about("K-0001", texts(fake, person.id))
        assert len(notices) == 1 and "Straight to the coordinators" in notices[0]
    assert not about("K-0001", texts(fake, facilitator.id))

    clock.advance(SLA + timedelta(minutes=1))
    await bot.dispatch()
    await bot.dispatch()  # the climb's step queued it: sent on the next tick
    for person in (coordinator, second):
        late = [t for t in about("K-0001", texts(fake, person.id)) if "⏰" in t]
        assert len(late) == 1 and "not been answered by any coordinator" in late[0]
    assert not about("K-0001", texts(fake, facilitator.id))

    notice = next(m for m in fake.messages(coordinator.chat) if "Straight to" in (m.plain or ""))
    choices = await coordinator.taps(notice, "Change status")
    assert "responded to by a coordinator" in labels(choices)
    asked = await coordinator.taps(choices, "cannot handle")
    assert "where they can take it" in (asked.plain or "")
    await coordinator.says("This needs the district social affairs office")
    await bot.dispatch()
    refused = await fake.wait_for_message(member.chat, lambda m: "cannot handle" in (m.plain or ""))
    body = refused.plain or ""
    assert "PKH coordinators cannot handle" in body and "SAPA 129" in body
    assert "rejected" not in " ".join(texts(fake, member.id)).lower()
    mine = await member.says("/keluhanku")
    card = await member.taps(mine, "K-0001")
    assert "Status: the coordinators cannot handle it" in (card.plain or "")
    assert "Handled by: the PKH coordinators of this group's area" in (card.plain or "")
    assert "Bu Pendamping" not in (card.plain or "")
    assert setup.group.id


async def test_a_coordinator_answering_after_the_sla_is_named_in_the_status_words(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup, member, facilitator, _, coordinator = await world(fake, db, clock)
    await file_directly(db, member.user, setup.group.id, clock)
    clock.advance(SLA + timedelta(minutes=1))
    await bot.dispatch()
    await bot.dispatch()  # the climb's step queued it: sent on the next tick
    escalation = await fake.wait_for_message(
        coordinator.chat, lambda m: "belum dijawab" in (m.plain or "")
    )
    choices = await coordinator.taps(escalation, "Ubah status")
    assert "sudah ditanggapi koordinator" in labels(choices)
    await coordinator.taps(choices, "sudah ditanggapi koordinator")
    await bot.dispatch()
    told = await fake.wait_for_message(member.chat, lambda m: "Status keluhan" in (m.plain or ""))
    assert "sudah ditanggapi koordinator" in (told.plain or "")
    mine = await member.says("/keluhanku")
    card = await member.taps(mine, "K-0001")
    assert "Status: sudah ditanggapi koordinator" in (card.plain or "")
    # The facilitator then answers: the words name the facilitator again.
    notice = await fake.wait_for_message(facilitator.chat, lambda m: "K-0001" in (m.plain or ""))
    await facilitator.taps(notice, "Balas")
    await facilitator.says("Maaf terlambat, saya urus besok")
    mine = await member.says("/keluhanku")
    card = await member.taps(mine, "K-0001")
    assert "Status: sudah ditanggapi pendamping" in (card.plain or "")


async def test_sent_is_said_only_when_someone_can_be_told(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    """A facilitator, or every coordinator, who blocked the bot cannot be told: the member
    reads that, and where else to take the complaint, instead of "terkirim"."""
    _, member, facilitator, _, coordinator = await world(fake, db, clock)
    await actor_for(db, facilitator.user)  # known to the bot before she blocks it
    for person in (facilitator, coordinator):
        await blocked_the_bot(db, person.user.id)

    categories = await member.says("/keluhan")
    await member.taps(categories, "KKS")
    attach = await member.says("Kartu KKS tertelan ATM")
    review = await member.taps(attach, "Lanjut")
    sent = (await member.taps(review, "Kirim keluhan")).plain or ""
    assert "Keluhan tersimpan" in sent and "K-0001" in sent
    assert "terkirim" not in sent
    assert "tidak ada petugas PKH yang bisa saya beri tahu" in sent
    assert "171" in sent and "lapor.go.id" in sent
    async with db.begin() as session:
        routed = await session.scalar(
            select(ComplaintEvent.action).where(
                ComplaintEvent.complaint_id == 1, ComplaintEvent.action == "unreached"
            )
        )
    assert routed == "unreached"  # kept in the ticket's history

    categories = await member.says("/keluhan")
    await member.taps(categories, "Potongan atau pungutan")
    attach = await member.says(LEVY_TEXT)
    review = await member.taps(attach, "Lanjut")
    sent = (await member.taps(review, "Kirim keluhan")).plain or ""
    assert "K-0002" in sent and "terkirim" not in sent
    assert "tidak ada koordinator PKH yang bisa saya beri tahu" in sent
    assert "Pendamping dan ketua kelompok tidak diberi tahu" in sent
    assert "171" in sent

    # Once the facilitator talks to the bot again, the next complaint is "sent" to her.
    await facilitator.says("/start")
    categories = await member.says("/keluhan")
    await member.taps(categories, "Sekolah")
    attach = await member.says("Anak saya belum dapat seragam")
    review = await member.taps(attach, "Lanjut")
    sent = (await member.taps(review, "Kirim keluhan")).plain or ""
    assert "Keluhan terkirim ke pendamping Bu Pendamping" in sent
    assert "Bila pendamping meneruskannya atau belum menanggapinya dalam 3 hari" not in sent
    # The coordinator still blocks the bot: nobody above, and the text says nothing of one.
