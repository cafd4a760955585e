"""Read a group's member list from the CSV or XLSX file a facilitator uploads.

Facilitators export these from Excel, Google Sheets or the programme's own system, so the
reader accepts Indonesian or English headers, a title row above the header, ";" as the
delimiter (Indonesian Excel) and Windows encodings. Bad rows are reported beside the good
ones so one typo does not make the whole upload fail. Cell text is kept as data: escaping
for Telegram happens where it is displayed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000
MAX_NAME_LENGTH = 100
# A roster sheet has at most MAX_ROWS names, a title block and some blank lines; anything
# written below this line of a sheet is not a roster (a styled row 1,048,576 is a trick).
MAX_SHEET_LINE = 10_000
# Reading a real roster takes well under a second; a file that takes longer is refused
# rather than holding a worker for everyone else's uploads.
PARSE_SECONDS = 10.0

# Rows a title block above the header may take up before we give up looking for one.
_HEADER_SEARCH_ROWS = 10
_MAX_COLUMNS = 64
# An XLSX is a zip; this bounds what a small upload may inflate to.
_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
_CSV_DELIMITERS = (";", ",", "\t")
_SEP_DIRECTIVE_DELIMITERS = frozenset({";", ",", "\t", "|", ":"})
# Splits nothing: input containing NUL is rejected as binary before the CSV reader runs.
_SINGLE_COLUMN = "\x00"

_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"%PDF",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"RIFF",
    b"OggS",
)

# Unicode category Cc except tab, line feed and carriage return.
_CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

RosterErrorCode = Literal["unsupported", "empty", "no_name_column", "too_large", "too_slow"]
RowErrorCode = Literal[
    "empty_name", "name_too_long", "duplicate_name", "duplicate_id", "error_value"
]

# What Excel shows in a cell whose formula failed (data_only reads the shown value); such a
# cell is a broken row, never a member's name or id.
_EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)


class RosterFileError(Exception):
    """The file as a whole cannot be used; `code` says why."""

    def __init__(self, code: RosterErrorCode) -> None:
        super().__init__(code)
        self.code: RosterErrorCode = code


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    programme_id: str | None
    phone: str | None
    is_chair: bool


@dataclass(frozen=True)
class RowError:
    """A skipped row. `detail` is untranslated data for the message, not prose:
    the name's length for "name_too_long", the line of the first occurrence for the
    duplicate codes, and "" for "empty_name"."""

    line: int
    code: RowErrorCode
    detail: str


@dataclass(frozen=True)
class RosterParseResult:
    rows: tuple[RosterRow, ...]
    errors: tuple[RowError, ...]


@dataclass(frozen=True)
class _Columns:
    name: int
    programme_id: int | None = None
    phone: int | None = None
    chair: int | None = None


# Listed in order of preference when a sheet has several matching columns. P2K2 is
# attended by the pengurus (usually the mother), who is not always the household's
# registered head in "Nama KPM".
_NAME_HEADERS = (
    "nama pengurus",
    "nama kpm",
    "nama",
    "nama lengkap",
    "nama anggota",
    "name",
    "full name",
)
_ID_HEADERS = (
    "id kpm",
    "no kpm",
    "nomor kpm",
    "id pkh",
    "programme id",
    "program id",
    "id",
    "nik",
)
_PHONE_HEADERS = (
    "no hp",
    "hp",
    "nomor hp",
    "telepon",
    "no telepon",
    "nomor telepon",
    "telp",
    "no telp",
    "no wa",
    "wa",
    "whatsapp",
    "phone",
)
_CHAIR_HEADERS = ("ketua", "ketua kelompok", "chair")
_CHAIR_MARKS = frozenset({"ya", "iya", "y", "yes", "1", "x", "v", "true", "ketua", "✓", "✔", "√"})

_Row = tuple[int, tuple[str, ...]]


class _Deadline:
    """Checked between rows: a parse past its time ends with "too_slow"."""

    def __init__(self, seconds: float | None) -> None:
        self.until = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        if self.until is not None and time.monotonic() > self.until:
            raise RosterFileError("too_slow")


def parse_roster(
    data: bytes, filename: str, time_limit: float | None = PARSE_SECONDS
) -> RosterParseResult:
    """Parse roster bytes. The format is judged by content, not by `filename`, because
    phones and chat apps rename files freely; the name is accepted for callers' logs.

    CPU-bound and blocking: the bot calls it in a worker thread (handlers/roster.py)."""
    if len(data) > MAX_BYTES:
        raise RosterFileError("too_large")
    deadline = _Deadline(time_limit)
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data, deadline)
    else:
        rows = _csv_rows(_decode_text(data), deadline)
    return _validate(*_locate_columns(rows))


def _locate_columns(rows: Sequence[_Row]) -> tuple[_Columns, Sequence[_Row]]:
    if not rows:
        raise RosterFileError("empty")
    header = _find_header(rows)
    if header is not None:
        index, columns = header
        data_rows = rows[index + 1 :]
    else:
        used = {i for _, cells in rows for i, cell in enumerate(cells) if cell}
        if len(used) != 1:
            raise RosterFileError("no_name_column")
        columns, data_rows = _Columns(name=used.pop()), rows
    if not data_rows:
        raise RosterFileError("empty")
    if len(data_rows) > MAX_ROWS:
        raise RosterFileError("too_large")
    return columns, data_rows


def _find_header(rows: Sequence[_Row]) -> tuple[int, _Columns] | None:
    for index, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns = _columns_from_header(cells)
        if columns is not None:
            return index, columns
    return None


def _columns_from_header(cells: Sequence[str]) -> _Columns | None:
    headers = [_header_key(cell) for cell in cells]
    name = _find_column(headers, _NAME_HEADERS)
    if name is None:
        return None
    return _Columns(
        name=name,
        programme_id=_find_column(headers, _ID_HEADERS),
        phone=_find_column(headers, _PHONE_HEADERS),
        chair=_find_column(headers, _CHAIR_HEADERS),
    )


def _header_key(cell: str) -> str:
    # "No. HP", "Nama_KPM" and "ID KPM*" all mean what their letters say.
    letters = "".join(ch if ch.isalnum() else " " for ch in cell.casefold())
    return " ".join(letters.split())


def _find_column(headers: Sequence[str], aliases: Sequence[str]) -> int | None:
    for alias in aliases:
        if alias in headers:
            return headers.index(alias)
    return None


def _validate(columns: _Columns, rows: Iterable[_Row]) -> RosterParseResult:
    kept: list[RosterRow] = []
    errors: list[RowError] = []
    first_line_of_name: dict[str, int] = {}
    first_line_of_id: dict[str, int] = {}
    for line, cells in rows:
        name = _collapse(_cell(cells, columns.name))
        programme_id = _collapse(_cell(cells, columns.programme_id)) or None
        broken = next((v for v in (name, programme_id) if v and v.upper() in _EXCEL_ERRORS), None)
        if broken is not None:
            errors.append(RowError(line, "error_value", broken))
            continue
        if not name:
            errors.append(RowError(line, "empty_name", ""))
            continue
        if len(name) > MAX_NAME_LENGTH:
            errors.append(RowError(line, "name_too_long", str(len(name))))
            continue
        name_key = _name_key(name)
        if name_key in first_line_of_name:
            errors.append(RowError(line, "duplicate_name", str(first_line_of_name[name_key])))
            continue
        id_key = "".join(programme_id.split()).casefold() if programme_id else None
        if id_key is not None and id_key in first_line_of_id:
            errors.append(RowError(line, "duplicate_id", str(first_line_of_id[id_key])))
            continue
        first_line_of_name[name_key] = line
        if id_key is not None:
            first_line_of_id[id_key] = line
        kept.append(
            RosterRow(
                line=line,
                name=name,
                programme_id=programme_id,
                phone=_clean_phone(_cell(cells, columns.phone)),
                is_chair=_cell(cells, columns.chair).casefold() in _CHAIR_MARKS,
            )
        )
    return RosterParseResult(rows=tuple(kept), errors=tuple(errors))


def _cell(cells: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def _clean_phone(text: str) -> str | None:
    phone = _collapse(text)
    # Spreadsheets store 0812... as the number 812..., dropping the mobile prefix's 0.
    if phone.isdigit() and phone.startswith("8") and 9 <= len(phone) <= 12:
        phone = "0" + phone
    return phone or None


def _decode_text(data: bytes) -> str:
    if data.startswith(_BINARY_SIGNATURES):
        raise RosterFileError("unsupported")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export: UTF-16 with a BOM, tab-delimited.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise RosterFileError("unsupported") from None
    else:
        text = _decode_8bit(data)
    if _looks_binary(text):
        raise RosterFileError("unsupported")
    return text


def _decode_8bit(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = len(_CONTROL_CHARACTERS.findall(text))
    # A stray control character or two turns up in real exports; binary has them everywhere.
    return controls > 1 + len(text) // 100


def _csv_rows(text: str, deadline: _Deadline) -> list[_Row]:
    text, delimiter = _split_sep_directive(text)
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
    return _bounded(_csv_records(text, delimiter), deadline)


def _split_sep_directive(text: str) -> tuple[str, str | None]:
    # Excel honours (and hides) a first line "sep=;", so its rows are numbered without it.
    first, _, rest = text.partition("\n")
    directive = first.rstrip("\r")
    if directive.lower().startswith("sep=") and directive[4:] in _SEP_DIRECTIVE_DELIMITERS:
        return rest, directive[4:]
    return text, None


def _sniff_delimiter(text: str) -> str:
    best: tuple[int, str] | None = None
    for delimiter in _CSV_DELIMITERS:
        sample = _first_rows(_csv_records(text, delimiter), _HEADER_SEARCH_ROWS)
        for _, cells in sample:
            if _columns_from_header(cells) is not None:
                width = len(cells)
                if best is None or width > best[0]:
                    best = (width, delimiter)
                break
    if best is None:
        for delimiter in _CSV_DELIMITERS:
            width = _first_record_width(text, delimiter)
            if best is None or width > best[0]:
                best = (width, delimiter)
    # One column (for example just "Nama") must not be split at commas inside names.
    if best is None or best[0] <= 1:
        return _SINGLE_COLUMN
    return best[1]


def _first_record_width(text: str, delimiter: str) -> int:
    # Counts empty cells too, so a padded title row such as "Daftar;;;" reveals its delimiter.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        for record in reader:
            if len(record) > 1 or (record and record[0].strip()):
                return len(record)
    except csv.Error:
        raise RosterFileError("unsupported") from None
    return 0


def _csv_records(text: str, delimiter: str) -> Iterator[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        # Spreadsheet rows, not text lines: a quoted cell spanning lines is still one row.
        for line, record in enumerate(reader, start=1):
            cells = tuple(cell.strip() for cell in record[:_MAX_COLUMNS])
            if any(cells):
                yield line, cells
    except csv.Error:
        raise RosterFileError("unsupported") from None


def _first_rows(rows: Iterator[_Row], count: int) -> list[_Row]:
    taken: list[_Row] = []
    for row in rows:
        taken.append(row)
        if len(taken) >= count:
            break
    return taken


def _bounded(rows: Iterable[_Row], deadline: _Deadline) -> list[_Row]:
    """Collect non-empty rows, stopping as soon as there are more than any roster may have."""
    collected: list[_Row] = []
    for row in rows:
        collected.append(row)
        if len(collected) > MAX_ROWS + _HEADER_SEARCH_ROWS:
            raise RosterFileError("too_large")
        if len(collected) % 100 == 1:
            deadline.check()
    return collected


def _xlsx_rows(data: bytes, deadline: _Deadline) -> list[_Row]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise RosterFileError("unsupported") from None
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise RosterFileError("unsupported")
    if sum(entry.file_size for entry in entries) > _MAX_UNZIPPED_BYTES:
        raise RosterFileError("too_large")
    return _read_first_sheet(data, deadline)


def _read_first_sheet(data: bytes, deadline: _Deadline) -> list[_Row]:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it skips; only values matter here.
            warnings.simplefilter("ignore")
            # data_only: a cell holding =PROPER(B2) should give the name Excel showed.
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not workbook.worksheets:
                    raise RosterFileError("empty")
                sheet = workbook.worksheets[0]
                return _bounded(_xlsx_records(_existing_rows(sheet), deadline), deadline)
            finally:
                workbook.close()
    except RosterFileError:
        raise
    except Exception:
        # openpyxl raises many unrelated types (KeyError, XML errors...) on malformed files.
        raise RosterFileError("unsupported") from None


def _existing_rows(sheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The rows the sheet's XML holds, with their real line numbers, and nothing else.

    ReadOnlyWorksheet.iter_rows fills every missing row up to the last one written, so an
    otherwise empty file with one styled row 1,048,576 made it produce a million empty rows
    (seconds of CPU for a 1.5 KB upload); its declared size is no help either (generators
    write wrong ones). openpyxl's own row parser, which iter_rows uses underneath, yields
    only the rows present. (openpyxl 3.1; the names below are its read-only internals.)"""
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        yield from parser.parse()


def _xlsx_records(
    rows: Iterable[tuple[int, list[dict[str, Any]]]], deadline: _Deadline
) -> Iterator[_Row]:
    for count, (line, cells_xml) in enumerate(rows):
        if count % 100 == 0:
            deadline.check()
        values = [""] * _MAX_COLUMNS
        for cell in cells_xml:
            column = int(cell["column"])
            if 1 <= column <= _MAX_COLUMNS:
                values[column - 1] = _xlsx_text(cell["value"])
        if not any(values):
            continue  # a styled or emptied row: nothing to read, wherever it is
        if line > MAX_SHEET_LINE:
            raise RosterFileError("too_large")
        while values and not values[-1]:
            values.pop()
        yield line, tuple(values)


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, float):
        # Long ids typed as numbers arrive as floats; show their digits, never 3.2e+15.
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()
