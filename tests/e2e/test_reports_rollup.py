"""A Korkab's month rolled up by kecamatan and by pendamping, end to end: /laporan as she reads
it in the chat, and /ekspor's workbook with a sheet per level."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage import month_counts
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import ComplaintCategory, Meeting, Member
from storage.models.attendance import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from tests.e2e.harness import RunningBot, callback_of
from tests.e2e.test_areas_access import (
    BANJAR_DESA,
    CIAMIS_DESA,
    MEETING,
    SLICE,
    file,
    korkab,
    placed_group,
)
from timekeeping.clock import ManualClock

PATARUMAN_DESA = "32.79.02.1002"


async def held(
    db: SessionFactory, group_id: int, present: int, answer: ConfirmOutcome | None
) -> None:
    """The group's meeting held with `present` of its members there, and the chair's answer
    (None: asked, not answered yet)."""
    async with db.begin() as session:
        meeting = await session.scalar(select(Meeting).where(Meeting.group_id == group_id))
        assert meeting is not None
        members = (await session.scalars(select(Member).where(Member.group_id == group_id))).all()
        chair = await session.scalar(select(Member.person_id).where(Member.group_id == group_id))
        assert chair is not None
        for index, member in enumerate(members):
            status = AttendanceStatus.HADIR if index < present else AttendanceStatus.ALFA
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    member_id=member.id,
                    status=status,
                    source=AttendanceSource.FACILITATOR,
                    recorded_at=MEETING,
                )
            )
        session.add(
            ConfirmationRequest(
                meeting_id=meeting.id,
                group_id=group_id,
                chair_person_id=chair,
                state=ConfirmState.OPEN if answer is None else ConfirmState.ANSWERED,
                outcome=answer,
            )
        )
        # Written here, not through the use cases: the group's months counted again.
        await month_counts.refresh(session, [group_id])


async def test_a_korkab_reads_her_kabupaten_by_kecamatan_and_pendamping(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    pataruman = await placed_group(db, fake, clock, "Pataruman Satu", PATARUMAN_DESA, 520)
    ciamis = await placed_group(db, fake, clock, "Ciamis Satu", CIAMIS_DESA, 510)
    await held(db, banjar.group.id, 2, ConfirmOutcome.HELD)
    await held(db, pataruman.group.id, 3, None)
    await held(db, ciamis.group.id, 1, ConfirmOutcome.HELD)
    await file(db, banjar, clock, ComplaintCategory.LEVY)  # protected: hers to count
    await file(db, ciamis, clock, ComplaintCategory.CARD)  # another kabupaten
    clock.advance(timedelta(days=9))  # 10 December: the complaints are past the 3-day SLA
    await file(db, pataruman, clock, ComplaintCategory.CARD)  # new today
    await bot.dispatch()
    of_banjar = await korkab(fake, db, 3001, "32.79")

    report = await of_banjar.says("/laporan")
    text = report.plain or ""
    print(text)  # read as a coordinator would (pytest -s)
    assert text.startswith("📊 Laporan P2K2 — Desember 2026 (Kota Banjar)")
    assert "Per kecamatan" in text and "Per pendamping" in text
    lines = text.splitlines()
    banjar_line = next(line for line in lines if line.startswith("• Banjar:"))
    assert "1 kelompok, 1 dikonfirmasi ketua (100%)" in banjar_line
    assert "kehadiran 67% (2 dari 3)" in banjar_line
    assert "keluhan 1 terbuka (1 lewat batas waktu)" in banjar_line
    pataruman_line = next(line for line in lines if line.startswith("• Pataruman:"))
    assert "0 dikonfirmasi ketua (0%)" in pataruman_line
    assert "1 menunggu jawaban ketua" in pataruman_line
    assert "keluhan 1 terbuka (0 lewat batas waktu)" in pataruman_line
    assert "Ciamis" not in text  # another kabupaten
    assert "termasuk keluhan yang dilindungi" in text

    fake.mark_read(of_banjar.chat)
    await fake.press(of_banjar.user, report, callback_of(report, "Excel"))
    document = await fake.wait_for_message(
        of_banjar.chat, lambda m: m.document is not None, timeout=20
    )
    book = load_workbook(io.BytesIO(document.document_bytes or b""))
    assert "Per kecamatan" in book.sheetnames and "Per pendamping" in book.sheetnames
    rows = [list(r) for r in book["Per kecamatan"].iter_rows(values_only=True)]
    headers = rows[2]
    table = {row[0]: dict(zip(headers, row, strict=True)) for row in rows[3:] if row[0]}
    assert set(table) == {"Banjar", "Pataruman", "Jumlah"}
    assert table["Banjar"]["Kode wilayah"] == "32.79.01"
    assert table["Banjar"]["Kelompok dikonfirmasi (%)"] == 1
    assert table["Pataruman"]["Menunggu jawaban ketua"] == 1
    assert table["Jumlah"]["Kelompok"] == 2
    assert table["Jumlah"]["Hadir"] == 5
    assert table["Jumlah"]["Keluhan terbuka"] == 2
    assert table["Jumlah"]["Keluhan lewat batas waktu"] == 1
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "Ciamis" not in cells
