"""Coordinators of an area see their area only, end to end through the fake Bot API.

A Korkab of Kota Banjar (32.79) and one of Kabupaten Ciamis (32.07), both in Jawa Barat: each
is told of, lists, opens and counts the complaints of her own kabupaten/kota only, protected
or not; her reports, exports and charts hold her groups only; forged buttons that name the
other's ticket or group are refused. The coordinator of the whole deployment still sees all."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage import complaints, people, reports
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import ComplaintCategory, Group, Meeting, MeetingStatus, StaffRole
from tests.e2e.builders import GroupSetup, actor_for, group_with_chat
from tests.e2e.harness import COORDINATOR_ID, Person, RunningBot, callback_of, labels
from tests.e2e.test_complaints import SLA, forged_answer, texts
from timekeeping.clock import ManualClock

SLICE = Path(__file__).parents[1] / "data" / "wilayah_slice.csv"
MEETING = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
BANJAR_DESA, CIAMIS_DESA = "32.79.01.1002", "32.07.01.1001"  # Mekarsari; Ciamis
REFUSED = "tidak bisa dibuka dari akun ini"


async def placed_group(
    db: SessionFactory, fake: FakeTelegram, clock: ManualClock, name: str, desa: str, base: int
) -> GroupSetup:
    setup = await group_with_chat(
        db, fake, clock, name=name, facilitator_id=base, first_member_id=base + 100
    )
    async with db.begin() as session:
        group = await session.get_one(Group, setup.group.id)
        group.area_code = desa
        session.add(
            Meeting(
                group_id=group.id,
                session_number=1,
                starts_at=MEETING,
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
            )
        )
    return setup


async def file(
    db: SessionFactory, setup: GroupSetup, clock: ManualClock, category: ComplaintCategory
) -> int:
    filed = await complaints.submit(
        db,
        await actor_for(db, setup.members[0]),
        group_id=setup.group.id,
        category=category,
        text="Keluhan untuk diuji",
        attachments=[],
        discuss_anonymously=False,
        now=clock.now(),
        sla=SLA,
    )
    return filed.ticket.id


async def korkab(fake: FakeTelegram, db: SessionFactory, user_id: int, area: str) -> Person:
    person = Person(fake, fake.user(user_id, "Korkab", area, language_code="id"))
    fake.private_chat(person.user).started = True
    await people.add_staff(db, user_id, f"Korkab {area}", StaffRole.COORDINATOR, area)
    return person


async def test_a_korkab_of_kota_banjar_sees_nothing_of_kabupaten_ciamis(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    ciamis = await placed_group(db, fake, clock, "Ciamis Satu", CIAMIS_DESA, 510)
    everyone = Person(fake, fake.user(COORDINATOR_ID, "Pak", "Koordinator", language_code="id"))
    await everyone.says("/start")  # P2K2_ADMIN_IDS: a coordinator of the whole deployment
    of_banjar = await korkab(fake, db, 3001, "32.79")
    of_ciamis = await korkab(fake, db, 3002, "32.07")

    banjar_ordinary = await file(db, banjar, clock, ComplaintCategory.CARD)  # K-0001
    banjar_levy = await file(db, banjar, clock, ComplaintCategory.LEVY)  # K-0002
    ciamis_ordinary = await file(db, ciamis, clock, ComplaintCategory.AID)  # K-0003
    ciamis_levy = await file(db, ciamis, clock, ComplaintCategory.ABOUT_STAFF)  # K-0004
    await bot.dispatch()

    # Told at once of a protected complaint: only the coordinators of the group's area.
    assert any("K-0002" in text for text in texts(fake, of_banjar.id))
    assert not any("K-0004" in text for text in texts(fake, of_banjar.id))
    assert any("K-0004" in text for text in texts(fake, of_ciamis.id))
    assert not any("K-0002" in text for text in texts(fake, of_ciamis.id))
    # The coordinator of the whole deployment is the level above the Korwil (none here): she
    # is told only after the SLA, though she may open them in her queue at any time.
    seen_by_all = " ".join(texts(fake, everyone.id))
    assert "K-0002" not in seen_by_all and "K-0004" not in seen_by_all

    # The queue lists the area's tickets, protected or not, and nothing else.
    inbox = " ".join(labels(await of_banjar.says("/keluhan_masuk")))
    assert "K-0001" in inbox and "K-0002" in inbox
    assert "K-0003" not in inbox and "K-0004" not in inbox
    inbox = " ".join(labels(await of_ciamis.says("/keluhan_masuk")))
    assert "K-0003" in inbox and "K-0004" in inbox and "K-0001" not in inbox
    inbox = " ".join(labels(await everyone.says("/keluhan_masuk")))
    assert all(f"K-000{n}" in inbox for n in (1, 2, 3, 4))

    # Forged buttons naming Ciamis' tickets: refused as if they did not exist.
    menu = await of_banjar.says("/start")
    # Her menu names her role and area.
    assert "Peran Ibu/Bapak: Koordinator PKH Kota Banjar" in (menu.plain or "")
    assert "Koordinator PKH seluruh daerah" in ((await everyone.says("/start")).plain or "")
    menu = await of_banjar.says("/start")
    for ticket in (ciamis_ordinary, ciamis_levy):
        for data in (f"klv:{ticket}", f"klp:{ticket}", f"klu:{ticket}:2", f"klf:{ticket}"):
            assert REFUSED in await forged_answer(fake, of_banjar, menu, data)
    opened = await of_banjar.taps(await of_banjar.says("/keluhan_masuk"), "K-0002")
    assert "Keluhan untuk diuji" in (opened.plain or "")
    assert banjar_ordinary and banjar_levy

    # Before sending, a member reads who will read it, by role and area.
    member = Person(fake, banjar.members[1])
    categories = await member.says("/keluhan")
    assert "langsung ke Koordinator PKH Kota Banjar, tidak ke" in (categories.plain or "")
    await member.taps(categories, "Potongan atau pungutan")
    review = await member.taps(await member.says("Ketua minta uang"), "Lanjut")
    assert "sekarang: Koordinator PKH Kota Banjar;" in (review.plain or "")
    assert "koordinator PKH seluruh daerah, bila belum ditanggapi dalam 3 hari" in (
        review.plain or ""
    )
    sent = await member.taps(review, "Kirim keluhan")
    assert "terkirim ke Koordinator PKH Kota Banjar." in (sent.plain or "")

    # Reports, exports and charts: her groups only; a forged group button is refused.
    report = (await of_banjar.says("/laporan 2026-12")).plain or ""
    assert "Banjar Satu" in report and "Ciamis Satu" not in report
    assert "Ciamis Satu" in ((await of_ciamis.says("/laporan 2026-12")).plain or "")
    whole = (await everyone.says("/laporan 2026-12")).plain or ""
    assert "Banjar Satu" in whole and "Ciamis Satu" in whole
    refusal = await forged_answer(fake, of_banjar, menu, f"rpg:{ciamis.group.id}:202612")
    assert "bukan kelompok" in refusal
    pick = await of_banjar.says("/ekspor 2026-12")
    fake.mark_read(of_banjar.chat)
    await fake.press(of_banjar.user, pick, callback_of(pick, "Excel"))
    document = await fake.wait_for_message(
        of_banjar.chat, lambda m: m.document is not None, timeout=20
    )
    book = load_workbook(io.BytesIO(document.document_bytes or b""))
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "Banjar Satu" in cells and "Ciamis Satu" not in cells
    documents = sum(m.document is not None for m in fake.messages(of_banjar.chat))
    forged = await forged_answer(fake, of_banjar, menu, f"rx:1:202612:{ciamis.group.id}")
    assert "bukan kelompok" in forged
    await bot.settle()
    assert sum(m.document is not None for m in fake.messages(of_banjar.chat)) == documents
    chart = await reports.attendance_chart(
        db, await actor_for(db, of_banjar.user), clock.now(), 202612
    )
    # A Korkab's chart rolls up by kecamatan: Kota Banjar's only, nothing of Ciamis.
    assert chart.by == "district"
    assert [s.label for s in chart.series] == ["Banjar"]
    ciamis_facilitator = await actor_for(db, ciamis.facilitator)
    async with db.begin() as session:
        places = dict((await session.execute(select(Group.name, Group.area_code))).tuples().all())
    assert places == {"Banjar Satu": BANJAR_DESA, "Ciamis Satu": CIAMIS_DESA}
    assert ciamis_facilitator.person_id != banjar.facilitator_actor.person_id


async def test_a_facilitator_places_her_group_by_typing_part_of_the_desa(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    facilitator = Person(fake, fake.user(520, "Bu", "Rina", language_code="id"))
    fake.private_chat(facilitator.user).started = True
    await people.add_staff(db, facilitator.id, "Bu Rina", StaffRole.FACILITATOR)

    step = await facilitator.says("/buat_kelompok")
    step = await facilitator.says("Melati")
    step = await facilitator.says("mekarsary banjar")  # misspelt, with its kecamatan
    assert "Pilih desa/kelurahan" in (step.plain or "")
    assert labels(step)[0] == "Mekarsari, Banjar, Kota Banjar, Jawa Barat"
    assert len(labels(step)) <= 5 + 2  # a handful of places, keep-the-text, cancel
    refused = await forged_answer(fake, facilitator, step, "gpc:3278:11002")  # no such code
    assert "tidak ada di daftar" in refused
    step = await facilitator.taps(step, "Mekarsari, Banjar")
    assert "tempat pertemuan" in (step.plain or "")
    step = await facilitator.says("Rumah Bu Ani")
    assert "Mekarsari, Banjar, Kota Banjar" in (step.plain or "")
    created = await facilitator.taps(step, "Simpan")
    assert "dibuat" in (created.plain or "")

    # A group in Bali: its time zone follows the province (WITA), not the deployment's WIB.
    step = await facilitator.says("/buat_kelompok")
    step = await facilitator.says("Kenanga")
    nothing = await facilitator.says("qwxz")
    assert "Tidak ada desa/kelurahan yang mirip" in (nothing.plain or "")
    step = await facilitator.taps(nothing, "Pakai tulisan ini saja")
    step = await facilitator.taps(step, "Lewati")
    created = await facilitator.taps(step, "Simpan")
    async with db.begin() as session:
        kenanga = await session.scalar(select(Group).where(Group.name == "Kenanga"))
        melati = await session.scalar(select(Group).where(Group.name == "Melati"))
    assert kenanga is not None and kenanga.area_code is None and kenanga.village == "qwxz"
    assert melati is not None and melati.area_code == BANJAR_DESA
    assert melati.timezone == "Asia/Jakarta"

    # Placing an existing group from its card: only inside the provinces she works in now.
    card = await facilitator.says("/kelompok")
    card = await facilitator.taps(card, "Kenanga")
    assert "belum dipilih dari daftar resmi" in (card.plain or "")
    ask = await facilitator.taps(card, "Desa/kelurahan")
    found = await facilitator.says("Sanur")
    assert "Tidak ada desa/kelurahan yang mirip" in (found.plain or "")  # Bali: not her area
    outside = await forged_answer(fake, facilitator, ask, f"gpe:{kenanga.id}:5171:11001")
    assert "di luar wilayah" in outside
    found = await facilitator.says("kertasari ciamis")
    placed = await facilitator.taps(found, "Kertasari, Ciamis")
    assert "tersimpan" in (placed.plain or "")
    assert "Wilayah: Kertasari, Ciamis, Kabupaten Ciamis, Jawa Barat (WIB)" in (placed.plain or "")
    someone = Person(fake, fake.user(530, "Bu", "Lain", language_code="id"))
    fake.private_chat(someone.user).started = True
    await people.add_staff(db, someone.id, "Bu Lain", StaffRole.FACILITATOR)
    menu = await someone.says("/start")
    refused = await forged_answer(fake, someone, menu, f"gpe:{kenanga.id}:9171:11001")
    assert "bukan kelompok" in refused
    step = await someone.says("/buat_kelompok")
    step = await someone.says("Anggrek")
    step = await someone.says("sanur")
    step = await someone.taps(step, "Sanur, Denpasar Selatan")
    step = await someone.taps(step, "Lewati")
    await someone.taps(step, "Simpan")
    async with db.begin() as session:
        anggrek = await session.scalar(select(Group).where(Group.name == "Anggrek"))
    assert anggrek is not None and anggrek.timezone == "Asia/Makassar"


async def test_the_status_board_and_announcements_of_a_korkab_hold_her_area_only(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    ciamis = await placed_group(db, fake, clock, "Ciamis Satu", CIAMIS_DESA, 510)
    of_banjar = await korkab(fake, db, 3001, "32.79")
    ciamis_facilitator = await actor_for(db, ciamis.facilitator)

    overview = await of_banjar.says("/status 2026-12")
    assert len([label for label in labels(overview) if "Pendamping" in label]) == 1
    board = await of_banjar.taps(overview, "Bu Pendamping")
    assert "Banjar Satu" in (board.plain or "") and "Ciamis Satu" not in (board.plain or "")
    fake.mark_read(of_banjar.chat)
    forged = f"sbf:{ciamis_facilitator.person_id}:202612"
    answer = await forged_answer(fake, of_banjar, overview, forged)
    assert "Ciamis" not in answer
    for data in (
        f"sbl:{ciamis_facilitator.person_id}:202612",
        f"sbc:{ciamis.facilitator_actor.person_id}:202612",
    ):
        assert "Ciamis" not in await forged_answer(fake, of_banjar, overview, data)
    await bot.settle()
    shown = [m.plain or "" for m in fake.messages(of_banjar.chat)]
    assert not any("Ciamis Satu" in text for text in shown)
    assert not any("Tidak ada ketua yang perlu diingatkan" in text for text in shown)

    ask = await of_banjar.says("/siaran")
    assert "(1)" in (ask.plain or "")  # her one group, not the deployment's two
    preview = await of_banjar.says("Pertemuan bulan ini diundur")
    sent = await of_banjar.taps(preview, "Kirim sekarang")
    assert sent is not None
    await bot.dispatch()
    assert any("diundur" in text for text in texts(fake, banjar.chat.id))
    assert not any("diundur" in text for text in texts(fake, ciamis.chat.id))
