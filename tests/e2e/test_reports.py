"""Reports end to end: two taps to a spreadsheet, the same numbers as the chat, bad input,
the chart, the chair's meeting photo with its location, and the edited description."""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime

from openpyxl import load_workbook

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Group, Meeting, MeetingStatus, Member, Person, StaffRole
from storage.models.attendance import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
    ConfirmStep,
)
from tests.e2e.harness import Person as TgPerson
from tests.e2e.harness import RunningBot, callback_of, labels
from timekeeping.clock import ManualClock

MEETING = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # Saturday 5 December 2026, 09.00 WIB
LATER = datetime(2026, 12, 20, 3, 0, tzinfo=UTC)
GROUPS = 10
ROSTER = 6
COUNTS = re.compile(
    r"Hadir (\d+) · Izin (\d+) · Sakit (\d+) · Alfa (\d+) · Belum dicatat (\d+) — dari (\d+)"
)


@dataclass
class Scene:
    facilitator: TgPerson
    chair: TgPerson
    member: TgPerson
    meeting_ids: list[int]


async def scene(db: SessionFactory, clock: ManualClock, people: object) -> Scene:
    """Ten groups of six, each met on 5 December; eight chairs confirmed, two did not."""
    make = people  # the e2e PeopleFactory
    facilitator = make("Bu", "Rina")  # type: ignore[operator]
    chair = make("Siti")  # type: ignore[operator]
    member = make("Nur")  # type: ignore[operator]
    statuses = [
        AttendanceStatus.HADIR,
        AttendanceStatus.IZIN,
        AttendanceStatus.SAKIT,
        AttendanceStatus.ALFA,
    ]
    meeting_ids = []
    async with db.begin() as session:
        rows = {}
        for key, person, role in (
            ("fac", facilitator, StaffRole.FACILITATOR),
            ("chair", chair, None),
            ("member", member, None),
        ):
            row = Person(telegram_user_id=person.id, name=person.user.first_name, staff_role=role)
            session.add(row)
            await session.flush()
            rows[key] = row.id
        other = Person(telegram_user_id=9, name="Pak Lain", staff_role=StaffRole.FACILITATOR)
        session.add(other)
        await session.flush()
        session.add(
            Group(code="LAIN", name="Lain", timezone="Asia/Jakarta", facilitator_id=other.id)
        )
        for index in range(GROUPS):
            group = Group(
                code=f"MW{index}",
                name=f"Mawar {index + 1}",
                venue="Rumah Ketua",
                timezone="Asia/Jakarta",
                facilitator_id=rows["fac"],
            )
            session.add(group)
            await session.flush()
            members = [
                Member(
                    group_id=group.id,
                    name=f"Ibu {index}-{n}" if n else '=cmd|" /C calc"!A0, "Ani"',
                    programme_id=f"PKH{index:02d}{n:02d}",
                )
                for n in range(ROSTER)
            ]
            if index == 0:
                members[1].person_id, members[2].person_id = rows["chair"], rows["member"]
            session.add_all(members)
            await session.flush()
            if index == 0:
                group.chair_member_id = members[1].id
            meeting = Meeting(
                group_id=group.id,
                session_number=index % 14 + 1,
                starts_at=MEETING,
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
            )
            session.add(meeting)
            await session.flush()
            meeting_ids.append(meeting.id)
            # Group i: the first ROSTER - 1 - i % 3 members recorded, in turn Hadir/Izin/...
            for n, person in enumerate(members[: ROSTER - 1 - index % 3]):
                status = statuses[0] if n < 2 else statuses[n % 4]
                session.add(
                    Attendance(
                        meeting_id=meeting.id,
                        member_id=person.id,
                        status=status,
                        source=AttendanceSource.CHAIR,
                    )
                )
            if index < GROUPS - 2:
                session.add(
                    ConfirmationRequest(
                        meeting_id=meeting.id,
                        group_id=group.id,
                        chair_person_id=rows["chair"],
                        state=ConfirmState.ANSWERED,
                        step=ConfirmStep.DONE,
                        outcome=ConfirmOutcome.HELD,
                        attendees=4,
                        info_passed=True,
                        notes=f"Catatan kelompok {index + 1}",
                    )
                )
    clock.set(LATER)
    for person in (facilitator, chair, member):
        await person.says("/start")
    return Scene(facilitator, chair, member, meeting_ids)


async def until_button(
    fake: FakeTelegram, person: TgPerson, first: SentMessage, text: str
) -> list[SentMessage]:
    """The messages of a multi-part answer, up to the one carrying the button `text`."""
    found = [first]
    while not any(text.casefold() in label.casefold() for label in labels(found[-1])):
        found.append(await fake.wait_for_message(person.chat, timeout=10))
    return found


def chat_counts(parts: list[SentMessage]) -> dict[str, tuple[int, ...]]:
    """Per group code, the attendance the chat report shows."""
    found: dict[str, tuple[int, ...]] = {}
    code = None
    for line in "\n".join(p.plain or "" for p in parts).splitlines():
        head = re.fullmatch(r"Mawar \d+ \((MW\d)\)", line.strip())
        if head:
            code = head.group(1)
        counts = COUNTS.search(line)
        if counts and code:
            found[code] = tuple(int(n) for n in counts.groups())
    return found


async def test_two_taps_to_a_spreadsheet_with_the_chat_reports_numbers(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people)
    menu = s.facilitator.last()
    first = await s.facilitator.taps(menu, "Laporan")  # tap 1
    parts = await until_button(fake, s.facilitator, first, "Excel")
    text = "\n".join(p.plain or "" for p in parts)
    assert "Laporan P2K2 — Desember 2026" in text
    assert "2 kelompok belum punya pertemuan yang dikonfirmasi ketua" in text
    # The two unconfirmed groups come first.
    order = re.findall(r"Mawar (\d+) \(MW\d\)", text)
    assert order[:2] == ["9", "10"] and len(order) == GROUPS
    shown = chat_counts(parts)
    assert len(shown) == GROUPS

    fake.mark_read(s.facilitator.chat)
    await fake.press(s.facilitator.user, parts[-1], callback_of(parts[-1], "Excel"))  # tap 2
    document = await fake.wait_for_message(s.facilitator.chat, timeout=20)
    assert document.document is not None and document.document.filename == "p2k2-2026-12.xlsx"
    assert "10 kelompok" in (document.plain or "")
    book = load_workbook(io.BytesIO(document.document_bytes or b""))
    assert len(book.sheetnames) == GROUPS + 1
    rows = [list(r) for r in book["Ringkasan"].iter_rows(values_only=True)]
    headers = rows[2]
    sheet_counts = {}
    for row in rows[3 : 3 + GROUPS]:
        values = dict(zip(headers, row, strict=True))
        sheet_counts[values["Kode"]] = (
            values["Hadir"],
            values["Izin"],
            values["Sakit"],
            values["Alfa"],
            values["Belum dicatat"],
            values["Anggota"],
        )
    assert sheet_counts == shown
    group_sheet = book["MW0 Mawar 1"]
    name = group_sheet.cell(row=5, column=2)
    assert name.value == '=cmd|" /C calc"!A0, "Ani"' and name.data_type == "s"
    assert group_sheet.cell(row=4, column=3).value == "ID KPM"


async def test_bad_input_gets_a_clear_answer(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people)
    f = s.facilitator
    assert "bulan 13 tidak ada" in ((await f.says("/laporan 13-2026")).plain or "")
    word = (await f.says("/laporan mawar")).plain or ""
    assert "Tidak ada kelompok Ibu/Bapak dengan kode mawar" in word and "2026-11" in word
    assert "bukan bulan" in ((await f.says("/laporan 2026-1x")).plain or "")
    assert "belum tiba" in ((await f.says("/laporan 2027-05")).plain or "")
    empty = await f.says("/laporan 2026-10")
    assert "Tidak ada pertemuan pada Oktober 2026" in (empty.plain or "")
    assert any("September 2026" in label for label in labels(empty))
    not_mine = await f.says("/ekspor 2026-12 LAIN")
    assert "Tidak ada kelompok Ibu/Bapak dengan kode LAIN" in (not_mine.plain or "")
    nothing = await f.says("/ekspor 2026-10 xlsx")
    assert "Tidak ada pertemuan pada 2026-10" in (nothing.plain or "")
    # A member (not a chair) forging an export button is refused.
    fake.mark_read(s.member.chat)
    query = await fake.press(s.member.user, s.member.last(), "rx:1:202612", forged=True)
    await fake.wait_for_call("answerCallbackQuery", count=1, timeout=10)
    assert "pendamping, koordinator, dan ketua" in (fake.callback_answers[query].text or "")


async def test_months_in_words_and_the_month_where_the_person_is(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people)
    f = s.facilitator
    for words in ("desember 2026", "des", "12/2026", "Desember MW0"):
        first = await f.says(f"/laporan {words}")
        assert "Laporan P2K2 — Desember 2026" in (first.plain or ""), words
        await until_button(fake, f, first, "Excel")
    # 22.05 WIB on 30 November: December already in Papua, still November for her groups
    # in Java, so that is the month she is offered.
    clock.set(datetime(2026, 11, 30, 15, 5, tzinfo=UTC))
    pick = await f.says("/ekspor")
    assert "Unduh laporan November 2026" in (pick.plain or "")
    report = await f.says("/laporan")
    assert "Desember 2026" not in (report.plain or "")


async def test_group_export_and_chart(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people)
    pick = await s.facilitator.says("/ekspor 2026-12 mw3")
    assert "Desember 2026" in (pick.plain or "")
    document = await s.facilitator.taps(pick, "CSV")
    assert document.document is not None and document.document.filename == "p2k2-2026-12-MW3.csv"
    lines = (document.document_bytes or b"").decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kode,Kelompok,Nama,ID KPM") and len(lines) == 1 + ROSTER
    assert lines[1].startswith('MW3,Mawar 4,"\'=cmd|"" /C calc""!A0, ""Ani"""')

    chart = await s.facilitator.says("/grafik")
    assert chart.photo is not None and chart.photo.content is not None
    assert chart.photo.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "6 bulan terakhir" in (chart.plain or "")
    width, height = struct.unpack(">II", chart.photo.content[16:24])
    assert width == 1080 and 1000 < height < 2000  # ten rows, tall enough to read on a phone


async def test_chair_sends_the_photo_and_the_facilitator_edits_the_record(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people)
    fake.mark_read(s.chair.chat)
    await fake.send_photo(s.chair.user)
    which = await fake.wait_for_message(s.chair.chat, timeout=10)
    assert "Ini foto pertemuan?" in (which.plain or "")
    saved = await s.chair.taps(which, "Mawar 1")
    assert "Foto disimpan" in (saved.plain or "") and "lokasi" in (saved.plain or "")
    fake.mark_read(s.chair.chat)
    await fake.send_location(s.chair.user, -6.9, 107.6)
    located = await fake.wait_for_message(s.chair.chat, timeout=10)
    assert "Lokasi disimpan" in (located.plain or "")

    # The facilitator finds the record from the report: group, then meeting.
    report = await s.facilitator.says("/laporan 2026-12")
    parts = await until_button(fake, s.facilitator, report, "Mawar 1")
    exact = next(data for text, data in parts[-1].buttons if text == "📝 Mawar 1")
    group = await s.facilitator.taps(parts[-1], exact or "")
    record = await s.facilitator.taps(group, "05/12")
    text = record.plain or ""
    assert "Catatan kegiatan P2K2" in text and "Narasumber: Bu" in text
    assert "dengan lokasi" in text and "Catatan kelompok 1" in text
    assert "Waktu: 09.00–11.00 WIB" in text
    ask = await s.facilitator.taps(record, "Ubah uraian")
    assert "paling banyak 500 kata" in (ask.plain or "")
    current = await fake.wait_for_message(s.facilitator.chat, timeout=10)
    assert "Catatan kelompok 1" in (current.plain or "")
    too_long = await s.facilitator.says("kata " * 600)
    assert "600 kata" in (too_long.plain or "")
    done = await s.facilitator.says("Pertemuan lancar, 4 ibu bertanya soal KKS.")
    assert "Uraian disimpan (7 kata)" in (done.plain or "")
    assert "ditulis pendamping" in (done.plain or "")
    photo = await s.facilitator.taps(done, "Lihat foto")
    assert photo.photo is not None and "maps.google.com/?q=-6.900000,107.600000" in (
        photo.plain or ""
    )
    members = await s.facilitator.taps(done, "Daftar hadir")
    assert "PKH0000" in (members.plain or "") and "Hadir" in (members.plain or "")

    # The chair sees the record without identifiers and cannot edit it.
    fake.mark_read(s.chair.chat)
    await fake.press(s.chair.user, located, callback_of(located, "catatan kegiatan"))
    chair_view = await fake.wait_for_message(s.chair.chat, timeout=10)
    assert "Ubah uraian" not in labels(chair_view)
    attendance = await s.chair.taps(chair_view, "Daftar hadir")
    assert "PKH" not in (attendance.plain or "")
