"""Roster files sent to the bot: wrong, empty, duplicated, XLSX, and a file for one of two
groups. Every problem is explained and nothing the facilitator sent is lost."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from storage.models import Group, Member
from tests.e2e.harness import Person as User
from tests.e2e.harness import RunningBot
from tests.e2e.test_onboarding import create_group, facilitator_from_invite

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


async def roster_of(db: SessionFactory, group_name: str) -> dict[str, tuple[str | None, bool]]:
    async with db.begin() as session:
        group = await session.scalar(select(Group).where(Group.name == group_name))
        assert group is not None
        members = await session.scalars(select(Member).where(Member.group_id == group.id))
        return {m.name: (m.programme_id, m.id == group.chair_member_id) for m in members}


async def facilitator_with_group(coordinator: User, people: Any, *names: str) -> User:
    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    for name in names or ("Mawar 1",):
        await create_group(facilitator, name)
    return facilitator


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_bad_files_are_explained_and_the_step_is_kept(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_group(coordinator, people)
    asked = await facilitator.taps(facilitator.last(), "Kirim file daftar")
    assert "Mawar 1" in (asked.plain or "")
    answer = await facilitator.sends_file("anggota.csv", PNG)
    assert "bukan CSV atau Excel" in (answer.plain or "")
    answer = await facilitator.sends_file("anggota.csv", b"")
    assert "kosong" in (answer.plain or "")
    answer = await facilitator.sends_file("anggota.csv", b"nama;id kpm\n")
    assert "kosong" in (answer.plain or "")
    answer = await facilitator.sends_file("anggota.xlsx", b"PK\x03\x04 not really a zip")
    assert "bukan CSV atau Excel" in (answer.plain or "")
    answer = await facilitator.sends_file("anggota.csv", b"no hp;alamat\n0812;Jl. Mawar\n")
    assert "kolom <b>nama</b>" in (answer.text or "")
    # Text while a file is expected: a reminder, the step stays.
    answer = await facilitator.says("Siti")
    assert "menunggu file" in (answer.plain or "")
    assert await roster_of(db, "Mawar 1") == {}
    # The step was kept: the good file goes to the same group.
    answer = await facilitator.sends_file(
        "anggota.csv", b"nama,id kpm\nSiti,1\nDewi,2\nSiti,3\n Dewi ,4\n,5\n"
    )
    text = answer.plain or ""
    assert "2 anggota baru" in text
    assert "3 baris tidak dimasukkan" in text
    assert "Baris 4: nama sama dengan baris 2" in text
    assert "Baris 5: nama sama dengan baris 3" in text
    assert "Baris 6: nama kosong" in text
    assert await roster_of(db, "Mawar 1") == {"Siti": ("1", False), "Dewi": ("2", False)}
    # The same file again updates, never duplicates.
    again = await facilitator.sends_file("anggota.csv", b"nama\nsiti\nDEWI\nRina\n")
    assert "1 anggota baru, 2 diperbarui" in (again.plain or "")
    assert set(await roster_of(db, "Mawar 1")) == {"Siti", "Dewi", "Rina"}


async def test_xlsx_roster_with_chair_and_special_names(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_group(coordinator, people)
    data = xlsx(
        [
            ["Daftar KPM Kelompok Mawar 1"],
            ["No", "Nama", "ID KPM", "No HP", "Ketua"],
            [1, "Siti <Aminah> & co", 3201010101010001, "081234", "ya"],
            [2, "Dewi *Lestari* 🌸", "3201010101010002", None, None],
            [3, "B" * 150, "3201010101010003", None, None],
        ]
    )
    answer = await facilitator.sends_file("Daftar KPM.xlsx", data)
    text = answer.plain or ""
    assert "2 anggota baru" in text
    assert "Ketua: Siti <Aminah> & co" in text
    assert "Baris 5: nama terlalu panjang" in text
    assert await roster_of(db, "Mawar 1") == {
        "Siti <Aminah> & co": ("3201010101010001", True),
        "Dewi *Lestari* 🌸": ("3201010101010002", False),
    }
    roster = await facilitator.taps(answer, "Daftar anggota")
    assert "Siti <Aminah> & co ⭐" in [label for label, _ in roster.buttons]


async def test_file_for_one_of_two_groups_asks_which_and_keeps_it(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_group(coordinator, people, "Mawar 1", "Melati 2")
    await facilitator.says("/batal")
    asked = await facilitator.sends_file("anggota.csv", b"nama\nSiti\nDewi\n")
    assert "Untuk kelompok mana" in (asked.plain or "")
    assert [label for label, _ in asked.buttons][:2] == ["Mawar 1 (MAWAR1)", "Melati 2 (MELATI)"]
    # Something else in between does not lose the file.
    answer = await facilitator.says("halo")
    assert "belum paham" in (answer.plain or "")
    await facilitator.says("/kelompok")
    imported = await facilitator.taps(asked, "Melati 2")
    assert "Melati 2" in (imported.plain or "") and "2 anggota baru" in (imported.plain or "")
    assert set(await roster_of(db, "Melati 2")) == {"Siti", "Dewi"}
    assert await roster_of(db, "Mawar 1") == {}
    # The question's buttons are used up now: a second tap imports nothing twice.
    before = await roster_of(db, "Mawar 1")
    answers = len(fake.calls_to("answerCallbackQuery"))
    query = await fake.press(facilitator.user, asked, asked.buttons[0][1] or "")
    await fake.wait_for_call("answerCallbackQuery", count=answers + 1)
    answer = fake.callback_answers[query].text or ""
    assert "sudah lama atau tidak berlaku" in answer
    assert await roster_of(db, "Mawar 1") == before
