from __future__ import annotations

import dataclasses
import io
import os
import zipfile
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from storage.roster.roster_file import (
    MAX_BYTES,
    MAX_ROWS,
    RosterFileError,
    RosterParseResult,
    RosterRow,
    RowError,
    parse_roster,
)


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def _xlsx(rows: Sequence[Sequence[object]], title: str = "Anggota") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _names(result: RosterParseResult) -> list[str]:
    return [row.name for row in result.rows]


def _file_error(data: bytes, filename: str = "roster.csv") -> str:
    with pytest.raises(RosterFileError) as info:
        parse_roster(data, filename)
    return info.value.code


# --- CSV ---------------------------------------------------------------------------------


def test_semicolon_csv_with_bom_from_indonesian_excel() -> None:
    data = b"\xef\xbb\xbf" + _csv(
        "Nama KPM;ID KPM;No. HP;Ketua\r\n"
        "Siti Aminah;3201010101010001;081234567890;ya\r\n"
        "Dewi Lestari;3201010101010002;;\r\n"
    )
    result = parse_roster(data, "kelompok.csv")
    assert result.errors == ()
    assert result.rows == (
        RosterRow(2, "Siti Aminah", "3201010101010001", "081234567890", True),
        RosterRow(3, "Dewi Lestari", "3201010101010002", None, False),
    )


def test_comma_csv_with_quoted_commas_quotes_and_newlines() -> None:
    data = _csv(
        "name,phone\n"
        '"Aminah, S.Pd",0811\n'
        '"Ibu ""Ani"" Rahayu",0812\n'
        '"Sri\nWahyuni",0813\n'
        "Nur'aini,0814\n"
    )
    result = parse_roster(data, "roster.csv")
    assert _names(result) == ["Aminah, S.Pd", 'Ibu "Ani" Rahayu', "Sri Wahyuni", "Nur'aini"]
    assert [row.line for row in result.rows] == [2, 3, 4, 5]


def test_quoted_newline_counts_as_one_spreadsheet_row() -> None:
    data = _csv('nama\n"Sri\nWahyuni"\nDewi\n')
    assert [row.line for row in parse_roster(data, "r.csv").rows] == [2, 3]


def test_tab_delimited() -> None:
    data = _csv("Nama\tHP\nSiti\t0811\nDewi\t0812\n")
    result = parse_roster(data, "r.txt")
    assert _names(result) == ["Siti", "Dewi"]
    assert [row.phone for row in result.rows] == ["0811", "0812"]


def test_excel_unicode_text_export_utf16() -> None:
    data = "Nama\tNIK\r\nSiti Aminah\t3201\r\n".encode("utf-16")
    assert parse_roster(data, "r.txt").rows == (RosterRow(2, "Siti Aminah", "3201", None, False),)


def test_excel_sep_directive_is_honoured_and_not_counted_as_a_row() -> None:
    data = _csv("sep=|\r\nnama|hp\r\nSiti; A, B|0811\r\n")
    assert parse_roster(data, "r.csv").rows == (RosterRow(2, "Siti; A, B", None, "0811", False),)


def test_unusable_sep_directive_is_just_a_line() -> None:
    data = _csv('sep="\nnama;hp\nSiti;0811\n')
    assert parse_roster(data, "r.csv").rows == (RosterRow(3, "Siti", None, "0811", False),)


def test_cp1252_fallback() -> None:
    data = _csv("Nama;HP\nJosé Marçal;0811\nAnn’s;0812\n", encoding="cp1252")
    assert _names(parse_roster(data, "r.csv")) == ["José Marçal", "Ann’s"]


def test_latin1_fallback_for_bytes_cp1252_leaves_undefined() -> None:
    data = b"Nama\nAb\x81c\n"
    assert _names(parse_roster(data, "r.csv")) == ["Ab\x81c"]


def test_headers_are_case_and_punctuation_insensitive() -> None:
    data = _csv("NO_KPM;  NAMA PENGURUS ;Telepon;KETUA\n123;Siti;0811;Y\n")
    assert parse_roster(data, "r.csv").rows == (RosterRow(2, "Siti", "123", "0811", True),)


@pytest.mark.parametrize("header", ["id", "id kpm", "no kpm", "nik", "id pkh", "program id"])
def test_programme_id_aliases(header: str) -> None:
    data = _csv(f"nama;{header}\nSiti;P-7\n")
    assert parse_roster(data, "r.csv").rows[0].programme_id == "P-7"


@pytest.mark.parametrize("header", ["hp", "no hp", "telepon", "phone"])
def test_phone_aliases(header: str) -> None:
    data = _csv(f"nama,{header}\nSiti,0811\n")
    assert parse_roster(data, "r.csv").rows[0].phone == "0811"


@pytest.mark.parametrize(
    ("mark", "is_chair"),
    [
        ("ya", True),
        ("Y", True),
        ("yes", True),
        ("1", True),
        ("x", True),
        ("TRUE", True),
        ("", False),
        ("tidak", False),
        ("0", False),
    ],
)
def test_chair_marker(mark: str, is_chair: bool) -> None:
    data = _csv(f"nama;chair\nSiti;{mark}\n")
    assert parse_roster(data, "r.csv").rows[0].is_chair is is_chair


def test_pengurus_name_preferred_over_household_name() -> None:
    data = _csv("Nama KPM;Nama Pengurus\nBapak Budi;Ibu Siti\n")
    assert _names(parse_roster(data, "r.csv")) == ["Ibu Siti"]


def test_title_rows_above_the_header_are_skipped() -> None:
    data = _csv("Daftar KPM Kelompok Mawar;;\n;;\nNama;NIK;HP\nSiti;1;0811\n")
    assert parse_roster(data, "r.csv").rows == (RosterRow(4, "Siti", "1", "0811", False),)


def test_empty_lines_are_skipped_but_keep_line_numbers() -> None:
    data = _csv("nama;hp\n\nSiti;0811\n;;\n   \nDewi;0812\n")
    assert [(row.line, row.name) for row in parse_roster(data, "r.csv").rows] == [
        (3, "Siti"),
        (6, "Dewi"),
    ]


def test_names_collapse_whitespace_and_keep_everything_else() -> None:
    data = _csv('nama\n"  Siti \t  Aminah  "\n=HYPERLINK("x")\n+62 Ibu\n🌸 Dewi 🌸\n<b>Ani</b>\n')
    assert _names(parse_roster(data, "r.csv")) == [
        "Siti Aminah",
        '=HYPERLINK("x")',
        "+62 Ibu",
        "🌸 Dewi 🌸",
        "<b>Ani</b>",
    ]


def test_formula_looking_name_in_first_column_without_header() -> None:
    data = _csv("=cmd|' /C calc'!A0\nSiti\n")
    assert _names(parse_roster(data, "r.csv")) == ["=cmd|' /C calc'!A0", "Siti"]


def test_single_column_without_header_is_a_list_of_names() -> None:
    data = _csv("Siti Aminah\nDewi, S.Pd\n\nRina\n")
    result = parse_roster(data, "r.csv")
    assert [(row.line, row.name) for row in result.rows] == [
        (1, "Siti Aminah"),
        (2, "Dewi, S.Pd"),
        (4, "Rina"),
    ]


def test_single_name_column_header_does_not_split_names_at_commas() -> None:
    data = _csv("Nama\nDewi, S.Pd\nRina; Bu\n")
    assert _names(parse_roster(data, "r.csv")) == ["Dewi, S.Pd", "Rina; Bu"]


def test_padded_single_header_cell_still_reveals_the_delimiter() -> None:
    data = _csv("Nama;;\nSiti, A;0811;ya\n")
    assert _names(parse_roster(data, "r.csv")) == ["Siti, A"]


def test_stray_control_character_in_text_is_tolerated() -> None:
    # Mac Excel writes a line break inside a cell as a vertical tab.
    data = _csv("nama;hp\nSiti\x0bAminah;0811\nDewi;0812\n")
    assert _names(parse_roster(data, "r.csv")) == ["Siti Aminah", "Dewi"]


def test_phone_that_lost_its_leading_zero_gets_it_back() -> None:
    data = _csv("nama;hp\nSiti;81234567890\nDewi;6281234567890\nRina;0812 3456 789\n")
    assert [row.phone for row in parse_roster(data, "r.csv").rows] == [
        "081234567890",
        "6281234567890",
        "0812 3456 789",
    ]


# --- row errors --------------------------------------------------------------------------


def test_duplicate_names_keep_the_first_and_report_the_later() -> None:
    data = _csv("nama;id\nSiti Aminah;1\nDewi;2\n  siti   AMINAH ;3\n")
    result = parse_roster(data, "r.csv")
    assert _names(result) == ["Siti Aminah", "Dewi"]
    assert result.errors == (RowError(4, "duplicate_name", "2"),)


def test_duplicate_ids_keep_the_first_and_report_the_later() -> None:
    data = _csv("nama;id\nSiti;3201 0001\nDewi;32010001\nRina;\nAni;\n")
    result = parse_roster(data, "r.csv")
    assert _names(result) == ["Siti", "Rina", "Ani"]
    assert result.errors == (RowError(3, "duplicate_id", "2"),)


def test_name_too_long() -> None:
    data = _csv(f"nama;id\n{'a' * 200};1\n{'b' * 100};2\n")
    result = parse_roster(data, "r.csv")
    assert _names(result) == ["b" * 100]
    assert result.errors == (RowError(2, "name_too_long", "200"),)


def test_name_length_is_measured_after_collapsing_whitespace() -> None:
    words = ["ab"] * 30
    data = _csv("nama\n" + "    ".join(words) + "\n")
    assert parse_roster(data, "r.csv").rows[0].name == " ".join(words)


def test_empty_name_with_other_cells_filled() -> None:
    data = _csv("nama;hp\n;0811\nSiti;0812\n")
    result = parse_roster(data, "r.csv")
    assert _names(result) == ["Siti"]
    assert result.errors == (RowError(2, "empty_name", ""),)


def test_good_rows_survive_alongside_every_kind_of_bad_row() -> None:
    data = _csv(f"nama;id\nSiti;1\n;2\n{'x' * 101};3\nSITI;4\nDewi;1\nRina;5\n")
    result = parse_roster(data, "r.csv")
    assert [(row.line, row.name) for row in result.rows] == [(2, "Siti"), (7, "Rina")]
    assert [(error.line, error.code) for error in result.errors] == [
        (3, "empty_name"),
        (4, "name_too_long"),
        (5, "duplicate_name"),
        (6, "duplicate_id"),
    ]


def test_result_types_are_frozen() -> None:
    row = RosterRow(2, "Siti", None, None, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.name = "Dewi"  # type: ignore[misc]


# --- whole-file errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1legacy xls",
        b"PK\x03\x04 not really a zip",
        os.urandom(4096),
        bytes(range(256)) * 4,
    ],
    ids=["png", "pdf", "jpeg", "xls", "broken-zip", "random", "all-bytes"],
)
def test_non_roster_content_is_unsupported_whatever_the_name(data: bytes) -> None:
    assert _file_error(data, "roster.csv") == "unsupported"


def test_zip_that_is_not_a_workbook_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert _file_error(buffer.getvalue(), "roster.xlsx") == "unsupported"


def test_workbook_with_broken_parts_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-xml")
    assert _file_error(buffer.getvalue(), "roster.xlsx") == "unsupported"


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b";;;\n;;\n", b"nama;hp\n", b"Nama\n\n\n"]
)
def test_empty(data: bytes) -> None:
    assert _file_error(data) == "empty"


def test_no_name_column() -> None:
    assert _file_error(_csv("id;hp\n1;0811\n2;0812\n")) == "no_name_column"


def test_headerless_multi_column_has_no_name_column() -> None:
    assert _file_error(_csv("Siti;0811\nDewi;0812\n")) == "no_name_column"


def test_too_many_rows() -> None:
    rows = "".join(f"Ibu {i}\n" for i in range(MAX_ROWS + 1))
    assert _file_error(_csv("nama\n" + rows)) == "too_large"


def test_exactly_the_row_limit_is_fine() -> None:
    rows = "".join(f"Ibu {i}\n" for i in range(MAX_ROWS))
    assert len(parse_roster(_csv("nama\n" + rows), "r.csv").rows) == MAX_ROWS


def test_too_many_bytes() -> None:
    data = _csv("nama\nSiti\n") + b" " * MAX_BYTES
    assert _file_error(data) == "too_large"


def test_error_carries_its_code() -> None:
    error = RosterFileError("empty")
    assert (error.code, str(error)) == ("empty", "empty")


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_first_sheet_with_numeric_ids_and_phones() -> None:
    data = _xlsx(
        [
            ["Nama KPM", "ID KPM", "No HP", "Ketua"],
            ["Siti Aminah", 3201010101010001, 81234567890, True],
            ["Dewi Lestari", 3201010101010002.0, "0812-1111-2222", None],
            ["Rina", "P-0003", None, "x"],
        ]
    )
    result = parse_roster(data, "roster.xlsx")
    assert result.errors == ()
    assert result.rows == (
        RosterRow(2, "Siti Aminah", "3201010101010001", "081234567890", True),
        RosterRow(3, "Dewi Lestari", "3201010101010002", "0812-1111-2222", False),
        RosterRow(4, "Rina", "P-0003", None, True),
    )


def test_xlsx_reads_only_the_first_sheet() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(["Nama"])
    first.append(["Siti"])
    second = workbook.create_sheet("Lain")
    second.append(["Nama"])
    second.append(["Dewi"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _names(parse_roster(buffer.getvalue(), "r.xlsx")) == ["Siti"]


def test_xlsx_line_numbers_are_spreadsheet_rows_with_gaps() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "Daftar anggota Kelompok Melati"
    sheet["A3"] = "Nama"
    sheet["B3"] = "NIK"
    sheet["A4"] = "Siti"
    sheet["A7"] = "  Dewi   Lestari "
    sheet["B7"] = 3201010101010007
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_roster(buffer.getvalue(), "r.xlsx")
    assert [(row.line, row.name, row.programme_id) for row in result.rows] == [
        (4, "Siti", None),
        (7, "Dewi Lestari", "3201010101010007"),
    ]


def test_xlsx_header_not_in_first_column() -> None:
    data = _xlsx([["No", "Nama", "HP"], [1, "Siti", "0811"], [2, "Dewi", None]])
    assert _names(parse_roster(data, "r.xlsx")) == ["Siti", "Dewi"]


def test_xlsx_row_errors_and_good_rows_together() -> None:
    data = _xlsx([["name"], ["Siti"], ["z" * 200], ["siti"], ["Dewi"]])
    result = parse_roster(data, "r.xlsx")
    assert _names(result) == ["Siti", "Dewi"]
    assert result.errors == (
        RowError(3, "name_too_long", "200"),
        RowError(4, "duplicate_name", "2"),
    )


def test_xlsx_single_column_without_header() -> None:
    data = _xlsx([["Siti"], ["Dewi, S.Pd"]])
    assert _names(parse_roster(data, "r.xlsx")) == ["Siti", "Dewi, S.Pd"]


def test_xlsx_detected_by_content_even_when_named_csv() -> None:
    data = _xlsx([["Nama"], ["Siti"]])
    assert _names(parse_roster(data, "roster.csv")) == ["Siti"]


def test_xlsx_empty_sheet() -> None:
    assert _file_error(_xlsx([]), "r.xlsx") == "empty"


def test_xlsx_header_only() -> None:
    assert _file_error(_xlsx([["Nama", "HP"]]), "r.xlsx") == "empty"


def test_xlsx_without_name_column() -> None:
    assert _file_error(_xlsx([["ID", "HP"], [1, 2]]), "r.xlsx") == "no_name_column"


def test_xlsx_too_many_rows() -> None:
    data = _xlsx([["Nama"]] + [[f"Ibu {i}"] for i in range(MAX_ROWS + 1)])
    assert _file_error(data, "r.xlsx") == "too_large"
