"""Staff of an area, end to end: a pendamping places groups in her kecamatan only; invites
name the area and stay inside the inviter's; a viewer reads and is told she cannot change."""

from __future__ import annotations

from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage import people
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import Assignment, AssignmentRole, Group, StaffRole
from storage.models import Person as PersonRow
from tests.e2e.harness import Person, RunningBot, labels, links_in
from tests.e2e.test_areas_access import SLICE
from tests.e2e.test_complaints import forged_answer
from timekeeping.clock import ManualClock


async def staff(
    fake: FakeTelegram, db: SessionFactory, user_id: int, role: StaffRole, area: str | None
) -> Person:
    person = Person(fake, fake.user(user_id, "Staf", str(area), language_code="id"))
    fake.private_chat(person.user).started = True
    await people.add_staff(db, user_id, f"Staf {area}", role, area)
    return person


async def opens(fake: FakeTelegram, user_id: int, link: str) -> str:
    newcomer = Person(fake, fake.user(user_id, "Baru", "Staf", language_code="id"))
    fake.private_chat(newcomer.user).started = True
    return (await newcomer.says("/start " + link.rsplit("=", 1)[1])).plain or ""


async def assignments(db: SessionFactory, user_id: int) -> list[tuple[AssignmentRole, str | None]]:
    async with db.begin() as session:
        rows = await session.execute(
            select(Assignment.role, Assignment.area_code)
            .join(PersonRow, PersonRow.id == Assignment.person_id)
            .where(PersonRow.telegram_user_id == user_id)
        )
        return list(rows.tuples())


async def test_a_pendamping_of_a_kecamatan_places_groups_there_only(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    rina = await staff(fake, db, 520, StaffRole.FACILITATOR, "32.79.01")
    menu = await rina.says("/start")
    assert "Pendamping PKH Kecamatan Banjar, Kota Banjar" in (menu.plain or "")
    assert "Pendamping PKH Kecamatan Banjar" in ((await rina.says("/help")).plain or "")

    await rina.says("/buat_kelompok")
    await rina.says("Melati")
    nothing = await rina.says("kertasari ciamis")  # a desa of Ciamis: not hers
    assert "Tidak ada desa/kelurahan yang mirip" in (nothing.plain or "")
    found = await rina.says("mekarsary banjar")  # misspelt
    assert labels(found)[0].startswith("Mekarsari, Banjar, Kota Banjar")
    assert all("Banjar" in label for label in labels(found)[:-2])
    refused = await forged_answer(fake, rina, found, "gpc:3207:11001")  # Ciamis, by hand
    assert "di luar kecamatan tempat Ibu/Bapak bertugas" in refused
    assert "(Kecamatan Banjar, Kota Banjar)" in refused
    step = await rina.taps(found, "Mekarsari, Banjar")
    step = await rina.taps(step, "Lewati")
    await rina.taps(step, "Simpan")
    async with db.begin() as session:
        melati = await session.scalar(select(Group).where(Group.name == "Melati"))
    assert melati is not None and melati.area_code == "32.79.01.1002"

    # A pendamping with no kecamatan works as before: she may place a group anywhere.
    free = await staff(fake, db, 521, StaffRole.FACILITATOR, None)
    assert "Peran Ibu/Bapak: Pendamping PKH" in ((await free.says("/start")).plain or "")
    await free.says("/buat_kelompok")
    await free.says("Kenanga")
    found = await free.says("kertasari ciamis")
    assert labels(found)[0].startswith("Kertasari, Ciamis")


async def test_invites_name_the_area_and_stay_inside_the_inviters(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    korkab = await staff(fake, db, 3001, StaffRole.COORDINATOR, "32.79")
    korwil = await staff(fake, db, 3002, StaffRole.COORDINATOR, "32")

    # A Korkab names the kecamatan; a misspelt name offers those inside her area.
    asked = (await korkab.says("/undang")).plain or ""
    assert "Sebutkan kecamatan" in asked and "/undang Banjar" in asked
    options = await korkab.says("/undang Banjr")
    assert labels(options)[0].startswith("Banjar, Kota Banjar")
    invite = await korkab.taps(options, "Banjar, Kota Banjar")
    assert "pendamping PKH baru di Banjar, Kota Banjar, Jawa Barat" in (invite.plain or "")
    welcome = await opens(fake, 4001, links_in(invite)[0])
    assert "terdaftar sebagai pendamping" in welcome
    assert "Wilayah: Banjar, Kota Banjar, Jawa Barat" in welcome
    assert "Pendamping PKH Kecamatan Banjar, Kota Banjar" in welcome
    assert await assignments(db, 4001) == [(AssignmentRole.PENDAMPING, "32.79.01")]

    # Outside her area, by name, by code, by a button pressed by hand; a code that does not
    # exist; a Korkab inviting a Korkab.
    outside = (await korkab.says("/undang Cikoneng")).plain or ""
    assert "Tidak ada kecamatan bernama" in outside and "Cikoneng, Kabupaten Ciamis" in outside
    outside = (await korkab.says("/undang 32.07.02")).plain or ""
    assert "di luar wilayah Ibu/Bapak (Kota Banjar)" in outside
    menu = await korkab.says("/start")
    assert "di luar wilayah" in await forged_answer(fake, korkab, menu, "fik:320702")
    missing = (await korkab.says("/undang 32.79.09")).plain or ""
    assert "Kode 32.79.09 tidak ada" in missing and "Pataruman, Kota Banjar" in missing
    assert "Korkab diundang oleh koordinator wilayah" in (
        (await korkab.says("/undang_korkab Kota Banjar")).plain or ""
    )

    # A Korwil invites a Korkab into a kabupaten/kota of her province, not outside it.
    invite = await korwil.says("/undang_korkab Kabupaten Ciamis")
    assert "koordinator PKH baru untuk Kabupaten Ciamis, Jawa Barat" in (invite.plain or "")
    welcome = await opens(fake, 4002, links_in(invite)[0])
    assert "Koordinator PKH Kabupaten Ciamis" in welcome
    assert await assignments(db, 4002) == [(AssignmentRole.KORKAB, "32.07")]
    assert "di luar wilayah" in ((await korwil.says("/undang_korkab 51.71")).plain or "")
    menu = await korwil.says("/start")
    assert "di luar wilayah" in await forged_answer(fake, korwil, menu, "fkk:5171")
    assert "bukan kabupaten/kota" in ((await korwil.says("/undang_korkab 32.79.01")).plain or "")


async def test_a_viewer_reads_and_is_told_she_cannot_change(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    viewer = await staff(fake, db, 3003, StaffRole.VIEWER, "32.79")
    menu = await viewer.says("/start")
    assert "pemantau program" in (menu.plain or "")
    assert "Pemantau program PKH Kota Banjar" in (menu.plain or "")
    assert "Pemantau program PKH Kota Banjar" in ((await viewer.says("/help")).plain or "")
    for command in ("/siaran", "/keluhan_masuk", "/buat_kelompok", "/undang"):
        assert "hanya bisa membaca" in ((await viewer.says(command)).plain or ""), command
    assert "Belum ada pendamping" in ((await viewer.says("/pendamping")).plain or "")
