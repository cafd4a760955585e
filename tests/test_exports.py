"""XLSX and CSV exports read back: the report's numbers, names intact, formulas neutralised."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cli import main as cli
from cli import offline
from storage import reports
from storage.db import SessionFactory, create_engine, session_factory
from storage.reports import GroupMonth, exports
from storage.reports.errors import GroupNotYours
from tests.test_cli import ALIASES
from tests.test_reports_storage import NOW, TRICKY, build_world
from timekeeping.clock import ManualClock
from views.exports import build_csv, build_xlsx, safe_text, sheet_title

OPERATOR_NOW = datetime(2026, 12, 15, 3, 0, tzinfo=UTC)  # the operator runs the export


def _rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _summary(content: bytes) -> dict[str, dict[str, Any]]:
    """The summary sheet as {group code: {column header: value}}."""
    book = load_workbook(io.BytesIO(content))
    rows = _rows(book["Ringkasan"])
    headers = rows[2]
    return {row[0]: dict(zip(headers, row, strict=True)) for row in rows[3:] if row[0]}


async def test_the_workbook_has_the_reports_numbers(db: SessionFactory) -> None:
    world = await build_world(db)
    report = await reports.month_report(db, world.facilitator, 202612, NOW)
    data = await exports.export_month(db, world.facilitator, 202612, NOW)
    content = build_xlsx(data, "id")
    summary = _summary(content)
    assert list(summary) == ["MELATI", "MAWAR1", "Jumlah"]  # unconfirmed first, then a total
    for group in report.groups:
        row = summary[group.code]
        counts = group.attendance
        assert row["Kelompok"] == group.name
        assert row["Anggota"] == group.roster
        assert (row["Hadir"], row["Izin"], row["Sakit"], row["Alfa"]) == (
            counts.hadir,
            counts.izin,
            counts.sakit,
            counts.alfa,
        )
        assert row["Belum dicatat"] == counts.unmarked
        # A real number shown as a percentage (Excel rounds it half up, as the chat does).
        expected = counts.hadir / counts.roster if counts.roster else None
        assert row["Kehadiran (%)"] == pytest.approx(expected)
        assert row["Keluhan baru"] == group.complaints_opened
        assert row["Keluhan selesai"] == group.complaints_resolved
        assert row["Jawaban kuis (soal terbanyak, tanpa nama)"] == group.quiz_participants
    mawar = summary["MAWAR1"]
    assert (mawar["Hadir"], mawar["Datang menurut ketua"]) == (3, 4)
    assert mawar["Kehadiran (%)"] == pytest.approx(3 / 7)
    assert mawar["Tanggal"] == "05-12-2026" and mawar["Waktu"] == "09.00-11.00"
    assert mawar["Keadaan"] == "Terlaksana, dikonfirmasi ketua"
    assert "KKS" in mawar["Catatan ketua"]
    assert summary["MELATI"]["Keadaan"] == "Dibatalkan"
    assert summary["Jumlah"]["Hadir"] == report.attendance.hadir == 3


async def test_group_sheet_lists_members_by_meeting_with_names_kept(db: SessionFactory) -> None:
    world = await build_world(db)
    data = await exports.export_month(db, world.facilitator, 202612, NOW)
    book = load_workbook(io.BytesIO(build_xlsx(data, "id")))
    # Melati's only meeting was cancelled: no sheet; Mawar has one.
    assert book.sheetnames == ["Ringkasan", "MAWAR1 Mawar Satu"]
    sheet = book["MAWAR1 Mawar Satu"]
    rows = _rows(sheet)
    assert rows[3] == ["No", "Nama", "ID KPM", "05-12-2026 Sesi 3", "Jumlah hadir"]
    members = {row[1]: row for row in rows[4:11]}
    assert set(members) == {*TRICKY, "Yang Pindah"}
    assert members['Siti, "Ani"\nBaru'][3] == "Hadir"
    assert members["Rina"][3] is None  # not recorded
    assert members["Yang Pindah"][3] == "Alfa"
    assert members["Dewi"][2] == "PKH-MAWAR1-004"
    # A name that looks like a formula is a string cell, never a formula.
    for row in sheet.iter_rows(min_row=5, max_row=11):
        name = row[1]
        assert name.data_type == "s", name.value
        if str(name.value).startswith(("=", "+", "@")):
            assert name.quotePrefix
    totals = {row[0]: row[3] for row in rows[12:20] if row[0]}
    assert totals == {
        "Hadir": 3,
        "Izin": 1,
        "Sakit": 1,
        "Alfa": 1,
        "Belum dicatat": 1,
        "Anggota": 7,
        "Kehadiran (%)": pytest.approx(3 / 7),
    }
    (rate_row,) = [r for r in sheet.iter_rows() if r[0].value == "Kehadiran (%)"]
    assert rate_row[3].number_format == "0%"
    with zipfile.ZipFile(io.BytesIO(build_xlsx(data, "id"))) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist() if "sheet" in name)
    assert b"<f>" not in xml  # no formula anywhere in the workbook


async def test_the_summary_sheet_carries_the_attendance_chart(db: SessionFactory) -> None:
    world = await build_world(db)
    data = await exports.export_month(db, world.facilitator, 202612, NOW, with_chart=True)
    assert data.chart is not None and data.chart.months[-1] == 202612
    content = build_xlsx(data, "id")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        media = [name for name in archive.namelist() if name.startswith("xl/media/")]
        assert len(media) == 1
        png = archive.read(media[0])
        drawings = [name for name in archive.namelist() if name.startswith("xl/drawings/drawing")]
        assert drawings == ["xl/drawings/drawing1.xml"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 1080
    book = load_workbook(io.BytesIO(content))
    summary = book["Ringkasan"]
    [image] = summary._images  # on the summary sheet, below the table and its title
    rows = _rows(summary)
    title_row = next(i for i, row in enumerate(rows) if row[0] == "Grafik kehadiran 6 bulan")
    assert title_row > 3 + len(data.report.groups)
    assert image.anchor._from.row == title_row + 1  # zero-based: the row after the title
    # The figures read the same as without the chart.
    assert _summary(content)["MAWAR1"]["Kehadiran (%)"] == pytest.approx(3 / 7)
    plain = await exports.export_month(db, world.facilitator, 202612, NOW)
    assert plain.chart is None
    with zipfile.ZipFile(io.BytesIO(build_xlsx(plain, "id"))) as archive:
        assert not [name for name in archive.namelist() if name.startswith("xl/media/")]


async def test_chairs_exports_carry_no_programme_identifiers(db: SessionFactory) -> None:
    world = await build_world(db)
    data = await exports.export_month(db, world.chair, 202612, NOW)
    assert not data.include_ids
    content = build_xlsx(data, "en")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist())
    assert b"PKH-" not in xml and b"KPM ID" not in xml
    # No complaint counts for a chair: in a group of ten, "1 new" points at a member.
    assert b"Complaints" not in xml
    text = build_csv(data, "en").decode("utf-8-sig")
    assert "PKH" not in text
    staff = build_csv(await exports.export_month(db, world.facilitator, 202612, NOW), "en")
    assert "PKH-MAWAR1-000" in staff.decode("utf-8-sig")


async def test_csv_keeps_names_whole_and_defuses_formulas(db: SessionFactory) -> None:
    world = await build_world(db)
    data = await exports.export_month(db, world.facilitator, 202612, NOW)
    content = build_csv(data, "id")
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    header, body = lines[0], lines[1:]
    assert header == [
        "Kode",
        "Kelompok",
        "Nama",
        "ID KPM",
        "Tanggal",
        "Waktu",
        "Sesi",
        "Keadaan",
        "Kehadiran",
        "Dibuat oleh",  # who made the file and when, on every line (accountable access)
        "Dibuat pada",
    ]
    assert {(row[9], row[10]) for row in body} == {
        (world.facilitator.name, "Minggu, 20 Desember 2026 pukul 12.00 WIB")
    }
    names = {row[2]: row for row in body}
    assert len(body) == 7  # seven members, one meeting
    assert names['Siti, "Ani"\nBaru'][8] == "Hadir"
    assert "'" + TRICKY[1] in names  # =HYPERLINK(...) cannot run
    assert "'+62 812 555" in names and "'@SUM(A1)" in names
    assert names["Rina"][8] == ""
    assert sum(row[8] == "Hadir" for row in body) == 3


def test_safe_text_prefixes_what_a_spreadsheet_would_run() -> None:
    for risky in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert safe_text(risky) == "'" + risky
    assert safe_text("Ani, Budi") == "Ani, Budi"


def test_sheet_titles_are_valid_and_unique() -> None:
    def group(code: str, name: str) -> GroupMonth:
        return GroupMonth(
            code.__hash__() & 0xFFFF, code, name, "Asia/Jakarta", None, 1, "F", None, 0, 0, (), 0, 0
        )

    taken: set[str] = {"ringkasan"}
    first = sheet_title(group("AB", "Kel [1]/2: Mawar*? sangat panjang sekali namanya"), taken)
    second = sheet_title(group("AB", "Kel [1]/2: Mawar*? sangat panjang sekali namanya"), taken)
    for title in (first, second):
        assert len(title) <= 31 and not set(title) & set("[]:*?/\\")
    assert first != second


async def test_a_month_without_meetings_has_nothing_to_export(db: SessionFactory) -> None:
    world = await build_world(db)
    with pytest.raises(exports.NoMeetings) as caught:
        await exports.export_month(db, world.facilitator, 202610, NOW)
    assert caught.value.month == 202610
    with pytest.raises(GroupNotYours):
        await exports.export_month(db, world.facilitator, 202612, NOW, group_code="ANGGREK")


# -- the command line (runs its own event loop, so these tests are not async) --------------


@pytest.fixture
def seeded(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    # The operator's clock, fixed: the test must not depend on the day it runs.
    monkeypatch.setattr(offline, "CLOCK", ManualClock(OPERATOR_NOW))

    async def build() -> None:
        engine = create_engine(database_url)
        try:
            await build_world(session_factory(engine))
        finally:
            await engine.dispose()

    asyncio.run(build())
    return database_url


def test_cli_exports_a_month(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The operator's clock says mid-December 2026: November has passed.
    out = tmp_path / "nov.xlsx"
    assert cli.main(["export", "--month", "2026-11", "--out", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames[0] == "Ringkasan" and "MAWAR1 Mawar Satu" in book.sheetnames
    rows = _rows(book["MAWAR1 Mawar Satu"])
    assert rows[3][2] == "ID KPM"  # the operator sees identifiers
    assert "groups" in capsys.readouterr().out
    csv_out = tmp_path / "mawar.csv"
    argv = ["export", "--month", "11-2026", "--group", "mawar1", "--out", str(csv_out)]
    assert cli.main(argv) == 0
    lines = csv_out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kode,Kelompok,Nama,ID KPM")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--month", "13-2026"], "there is no month 13"),
        (["--month", "2026-11", "--group", "NOPE"], "no group with the code NOPE"),
        (["--month", "2026-09"], "No meetings in 2026-09"),
        (["--month", "2030-01"], "2030-01 has not come yet"),
    ],
)
def test_cli_explains_bad_input(
    seeded: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    out = tmp_path / "x.xlsx"
    assert cli.main(["export", *argv, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
