"""Roster files that try to cost the bot: far styled rows, far names, formula errors, time."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from storage.roster import roster_file
from storage.roster.roster_file import RosterFileError, parse_roster

LAST_EXCEL_ROW = 1_048_576


def crafted_xlsx(far_row: int = LAST_EXCEL_ROW, far_value: str | None = None) -> bytes:
    """A three-name roster whose only far row is styled (empty) or holds a value."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Nama", "ID KPM"], ["Siti Aminah", "3201"], ["Dewi Lestari", "3202"]):
        sheet.append(row)
    far = sheet.cell(row=far_row, column=1, value=far_value)
    far.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_styled_last_row_is_not_read_as_a_million_empty_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = crafted_xlsx()
    assert len(data) < 10_000
    converted = 0
    real = roster_file._xlsx_text

    def counting(value: object) -> str:
        nonlocal converted
        converted += 1
        return real(value)

    monkeypatch.setattr(roster_file, "_xlsx_text", counting)
    result = parse_roster(data, "anggota.xlsx")
    assert [row.name for row in result.rows] == ["Siti Aminah", "Dewi Lestari"]
    assert not result.errors
    assert converted < 20  # the cells that exist, not 64 per missing row


@pytest.mark.parametrize("far_row", [roster_file.MAX_SHEET_LINE + 1, LAST_EXCEL_ROW])
def test_a_name_far_below_the_roster_makes_the_file_too_large(far_row: int) -> None:
    with pytest.raises(RosterFileError) as raised:
        parse_roster(crafted_xlsx(far_row, "Nama Tersembunyi"), "anggota.xlsx")
    assert raised.value.code == "too_large"


def test_rows_keep_their_sheet_line_numbers_across_gaps() -> None:
    data = crafted_xlsx(5_000, "Rina Wati")
    result = parse_roster(data, "anggota.xlsx")
    assert [(row.line, row.name) for row in result.rows] == [
        (2, "Siti Aminah"),
        (3, "Dewi Lestari"),
        (5_000, "Rina Wati"),
    ]


def test_excel_error_values_are_bad_rows_not_names() -> None:
    data = xlsx(
        [
            ["Nama", "ID KPM"],
            ["Siti Aminah", "3201"],
            ["#DIV/0!", "3202"],
            ["#N/A", None],
            ["Dewi Lestari", "#REF!"],
        ]
    )
    result = parse_roster(data, "anggota.xlsx")
    assert [row.name for row in result.rows] == ["Siti Aminah"]
    assert [(e.line, e.code, e.detail) for e in result.errors] == [
        (3, "error_value", "#DIV/0!"),
        (4, "error_value", "#N/A"),
        (5, "error_value", "#REF!"),
    ]


def test_excel_error_values_in_a_csv_export_are_bad_rows_too() -> None:
    result = parse_roster(b"nama;id kpm\nSiti;1\n#N/A;2\n#VALUE!;3\n", "anggota.csv")
    assert [row.name for row in result.rows] == ["Siti"]
    assert [e.code for e in result.errors] == ["error_value", "error_value"]


@pytest.mark.parametrize("data", [crafted_xlsx(), b"nama\nSiti\nDewi\n"])
def test_a_parse_past_its_time_is_refused(data: bytes) -> None:
    with pytest.raises(RosterFileError) as raised:
        parse_roster(data, "anggota", time_limit=-1.0)  # already past: no waiting in a test
    assert raised.value.code == "too_slow"
