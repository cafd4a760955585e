"""A month's report as files: XLSX (a summary sheet and one sheet per group) and CSV.

Names are data, never formulas: a cell that a spreadsheet would run (it begins with = + - @,
a tab or a carriage return) is written as a plain string cell in XLSX, and with a leading
apostrophe in CSV. Commas, quotes and line breaks in names survive both formats."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from content.texts import catalogue, normalise_language
from storage.reports import ChartData, GroupMonth, MonthReport
from storage.reports.exports import ExportData, GroupSheet
from storage.reports.rollup import Level, LevelRows
from storage.roles import Role
from timekeeping.months import month_text
from timekeeping.timefmt import format_datetime, format_month
from views.charts import render_chart
from views.report_fields import (
    LEVEL_FIELDS,
    Share,
    Value,
    csv_fields,
    label,
    meeting_date,
    per_facilitator_fields,
    session_label,
    sheet_fields,
    status_label,
    summary_fields,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_LIMIT = 31
# A sheet per group suits a facilitator's 10-30 groups; a district's thousands would take
# minutes to write and be unusable, so larger exports carry the summary and a sheet per
# facilitator, and the member-by-meeting lines go in the CSV.
MAX_GROUP_SHEETS = 60
# Excel and LibreOffice show a share with this format rounded half up, as percent() does.
PERCENT_FORMAT = "0%"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# The chart is drawn 1080 px wide for phones; in a spreadsheet three quarters of that fits
# beside the columns on a laptop screen, and the full picture stays in the file for zooming.
CHART_SCALE = 0.75
ROW_PIXELS = 20  # a default spreadsheet row, to leave room below each image


def month_label(month: int, lang: str) -> str:
    return format_month(month, lang)


def safe_text(value: str) -> str:
    """For CSV: a leading apostrophe stops a spreadsheet from running the cell."""
    return "'" + value if value.startswith(RISKY_START) else value


def file_name(data: ExportData, extension: str, group_code: str | None = None) -> str:
    suffix = f"-{group_code.upper()}" if group_code else ""
    return f"p2k2-{month_text(data.report.month)}{suffix}.{extension}"


# -- XLSX -----------------------------------------------------------------------------------


class _Sheet:
    """A write-only sheet where every string is a string cell, whatever it begins with."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet

    def cell(self, value: Value, *, bold: bool = False) -> WriteOnlyCell | str | int | float | None:
        """A plain value where that is safe (openpyxl is slow with styled cells)."""
        if isinstance(value, Share):
            number = WriteOnlyCell(self.sheet, value=value.part / value.whole)
            number.number_format = PERCENT_FORMAT
            if bold:
                number.font = Font(bold=True)
            return number
        if isinstance(value, str):
            text = str(ILLEGAL_CHARACTERS_RE.sub("", value))
            if not (text.startswith(RISKY_START) or bold or "\n" in text):
                return text
            value = text
        elif not bold:
            return value
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            text = value
            # openpyxl reads a leading "=" as a formula; a string cell is never evaluated,
            # and the quote prefix keeps it text even when someone edits the cell.
            cell.data_type = "s"
            if text.startswith(RISKY_START):
                cell.quotePrefix = True
            if "\n" in text:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)
        return cell

    def row(self, values: Iterable[Value], *, bold: bool = False) -> None:
        self.sheet.append([self.cell(value, bold=bold) for value in values])

    def images(self, pngs: Sequence[bytes], first_row: int) -> int:
        """Pictures one under the other from `first_row` in column A; returns the rows used."""
        row = first_row
        for png in pngs:
            image = Image(io.BytesIO(png))
            image.width = round(image.width * CHART_SCALE)
            image.height = round(image.height * CHART_SCALE)
            self.sheet.add_image(image, f"A{row}")
            row += image.height // ROW_PIXELS + 2
        return row - first_row

    def widths(self, widths: Sequence[int]) -> None:
        for index, width in enumerate(widths):
            letter = _column_letter(index + 1)
            self.sheet.column_dimensions[letter].width = width


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_title(group: GroupMonth, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", f"{group.code} {group.name}")
    base = " ".join(base.split()).strip("'")[:SHEET_TITLE_LIMIT] or group.code
    title, number = base, 2
    while title.casefold() in taken:
        tail = f" ({number})"
        title = base[: SHEET_TITLE_LIMIT - len(tail)] + tail
        number += 1
    taken.add(title.casefold())
    return title


def summary_headers(lang: str, report: MonthReport) -> list[str]:
    return [label(lang, field.header) for field in summary_fields(report)]


def summary_row(group: GroupMonth, lang: str, report: MonthReport) -> list[Value]:
    return [field.group(group, lang) for field in summary_fields(report) if field.group]


def total_row(groups: Sequence[GroupMonth], lang: str, report: MonthReport) -> list[Value]:
    return [field.total(groups, lang) if field.total else "" for field in summary_fields(report)]


def _group_sheet(sheet: _Sheet, data: ExportData, group_sheet: GroupSheet, lang: str) -> None:
    group, meetings = group_sheet.group, group_sheet.meetings
    ids = data.include_ids
    sheet.row(
        [
            label(
                lang,
                "x_group_title",
                group=group.name,
                code=group.code,
                month=month_label(data.report.month, lang),
            )
        ],
        bold=True,
    )
    sheet.row(
        [
            label(
                lang,
                "x_group_people",
                facilitator=group.facilitator_name,
                chair=group.chair_name or "-",
            )
        ]
    )
    sheet.row([])
    lead = [label(lang, "x_number"), label(lang, "x_name")]
    if ids:
        lead.append(label(lang, "x_programme_id"))
    headers = [
        label(
            lang,
            "x_meeting_header",
            date=meeting_date(m, group.timezone),
            session=session_label(m, lang),
        )
        for m in meetings
    ]
    sheet.row([*lead, *headers, label(lang, "x_hadir_total")], bold=True)
    for number, member in enumerate(group_sheet.members, start=1):
        row: list[Value] = [number, member.name]
        if ids:
            row.append(member.programme_id or "")
        row.extend(status_label(status, lang) for status in member.statuses)
        row.append(member.hadir)
        sheet.row(row)
    sheet.row([])
    pad: list[Value] = [""] * (len(lead) - 1)
    counts, details = sheet_fields(data.report)
    for block in (counts, details):
        for field in block:
            assert field.meeting is not None
            cells = [field.meeting(m, group, lang) for m in meetings]
            sheet.row([label(lang, field.header), *pad, *cells])
        sheet.row([])
    sheet.widths([5, 32, *([18] if ids else []), *([16] * len(meetings)), 10])


def _facilitator_sheet(sheet: _Sheet, data: ExportData, lang: str) -> None:
    fields = per_facilitator_fields(data.report)
    headers = [label(lang, "x_facilitator"), *(label(lang, f.header) for f in fields)]
    sheet.row(headers, bold=True)
    for facilitator in data.report.facilitators:
        groups = facilitator.groups
        sheet.row([facilitator.name, *(f.total(groups, lang) if f.total else "" for f in fields)])
    sheet.widths([28, *(12 for _ in fields)])


def _level_sheet(sheet: _Sheet, data: ExportData, level: LevelRows, lang: str) -> None:
    """One level of a coordinator's roll-up: a line per area (or pendamping) and the total."""
    fields = [f for f in LEVEL_FIELDS if f.right in data.report.rights]
    name = label(lang, _level_title_key(level))
    month = month_label(data.report.month, lang)
    sheet.row([label(lang, "x_level_title", level=name, month=month)], bold=True)
    sheet.row([made_line(data, lang)])
    first = "x_facilitator" if level.level is Level.FACILITATOR else "x_area"
    code = [] if level.level is Level.FACILITATOR else [label(lang, "x_area_code")]
    sheet.row([label(lang, first), *code, *(label(lang, f.header) for f in fields)], bold=True)
    for row in level.rows:
        shown = row.name if row.placed else label(lang, "x_unplaced")
        codes: list[Value] = [] if level.level is Level.FACILITATOR else [row.key or ""]
        sheet.row([shown, *codes, *(f.value(row) for f in fields)])
    total = level.total
    pad: list[Value] = [""] * len(code)
    sheet.row([label(lang, "x_total"), *pad, *(f.value(total) for f in fields)], bold=True)
    sheet.widths([28, *([14] * len(code)), *(f.width for f in fields)])


def _level_title_key(level: LevelRows) -> str:
    if level.level is Level.FACILITATOR:
        return "x_per_facilitator"
    return f"x_level_{level.level.value}"


def _chart_below(summary: _Sheet, chart: ChartData, lang: str, rows_written: int) -> int:
    """The attendance chart under the summary table; returns the rows it took."""
    summary.row([])
    summary.row([catalogue(normalise_language(lang))["charts.in_summary"]], bold=True)
    # Blank rows under the pictures, so anything written after them starts below.
    taken = summary.images(render_chart(chart, lang), rows_written + 3)
    for _ in range(taken):
        summary.row([])
    return 2 + taken


def made_stamp(data: ExportData, lang: str) -> tuple[str, str]:
    """Who made the file and when (in the first group's zone), written in the file itself."""
    if data.made_at is None:
        return data.made_by, ""
    zone = data.report.groups[0].timezone if data.report.groups else "Asia/Jakarta"
    when = html.unescape(re.sub(r"<[^>]+>", "", format_datetime(data.made_at, zone, lang)))
    return data.made_by, when


def made_line(data: ExportData, lang: str) -> str:
    who, when = made_stamp(data, lang)
    return label(lang, "x_made", who=who, when=when)


def build_xlsx(data: ExportData, lang: str) -> bytes:
    """The workbook: a summary of every group, then one sheet per group with meetings."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    summary_title = label(lang, "x_summary")
    taken.add(summary_title.casefold())
    summary = _Sheet(book.create_sheet(summary_title))
    summary.row([label(lang, "x_title", month=month_label(data.report.month, lang))], bold=True)
    summary.row([made_line(data, lang)])
    report = data.report
    summary.row(summary_headers(lang, report), bold=True)
    for group in report.groups:
        summary.row(summary_row(group, lang, report))
    summary.row(total_row(report.groups, lang, report), bold=True)
    rows_written = 4 + len(data.report.groups)
    if data.chart is not None and not data.chart.empty:
        rows_written += _chart_below(summary, data.chart, lang, rows_written)
    summary.widths([field.width for field in summary_fields(report)])
    if data.rollup is not None:
        # A sheet per level of her area (a Korkab's kecamatan and pendamping).
        for level in data.rollup.levels:
            title = label(lang, _level_title_key(level))
            taken.add(title.casefold())
            _level_sheet(_Sheet(book.create_sheet(title)), data, level, lang)
    elif data.report.audience is Role.COORDINATOR:
        title = label(lang, "x_per_facilitator")
        taken.add(title.casefold())
        _facilitator_sheet(_Sheet(book.create_sheet(title)), data, lang)
    if len(data.sheets) > MAX_GROUP_SHEETS:
        summary.row([])
        summary.row([label(lang, "x_too_many_groups", limit=MAX_GROUP_SHEETS)])
    else:
        for group_sheet in data.sheets:
            sheet = _Sheet(book.create_sheet(sheet_title(group_sheet.group, taken)))
            _group_sheet(sheet, data, group_sheet, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- CSV ------------------------------------------------------------------------------------


def build_csv(data: ExportData, lang: str) -> bytes:
    """One line per member and meeting: easy to filter, pivot or import elsewhere."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    fields = csv_fields(data.report)
    headers = [label(lang, "x_code"), label(lang, "x_group"), label(lang, "x_name")]
    if data.include_ids:
        headers.append(label(lang, "x_programme_id"))
    headers += [label(lang, field.header) for field in fields]
    headers += [label(lang, "x_status"), label(lang, "x_made_by"), label(lang, "x_made_at")]
    writer.writerow(headers)
    made = list(made_stamp(data, lang))
    for sheet in data.sheets:
        group = sheet.group
        for member in sheet.members:
            for meeting, status in zip(sheet.meetings, member.statuses, strict=True):
                row: list[Value] = [group.code, group.name, member.name]
                if data.include_ids:
                    row.append(member.programme_id or "")
                row += [field.meeting(meeting, group, lang) for field in fields if field.meeting]
                row += [status_label(status, lang), *made]
                writer.writerow([safe_text("" if value is None else str(value)) for value in row])
    # A byte-order mark lets spreadsheet programs recognise UTF-8 names (é, ñ, ...).
    return out.getvalue().encode("utf-8-sig")


def build(data: ExportData, lang: str, kind: str) -> tuple[bytes, str]:
    """(content, MIME type) of the export in `kind` ("xlsx" or "csv")."""
    if kind == "csv":
        return build_csv(data, lang), CSV_MIME
    return build_xlsx(data, lang), XLSX_MIME
