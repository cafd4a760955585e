"""A month's report as files: XLSX (a summary sheet and one sheet per group) and CSV.

Names are data, never formulas: a cell that a spreadsheet would run (it begins with = + - @,
a tab or a carriage return) is written as a plain string cell in XLSX, and with a leading
apostrophe in CSV. Commas, quotes and line breaks in names survive both formats."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from content.session_render import session_label as session_label_of
from content.texts import catalogue, normalise_language
from storage.exports import ExportData, GroupSheet
from storage.models.attendance import AttendanceStatus
from storage.reports import ChartData, GroupMonth, MeetingLine, MeetingState, StatusCounts
from storage.roles import Role
from timekeeping.months import month_text
from timekeeping.timefmt import format_datetime, format_month
from timekeeping.timeparse import utc_to_local
from views.charts import render_chart

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_LIMIT = 31
# A sheet per group suits a facilitator's 10-30 groups; a district's thousands would take
# minutes to write and be unusable, so larger exports carry the summary and a sheet per
# facilitator, and the member-by-meeting lines go in the CSV.
MAX_GROUP_SHEETS = 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
STATUSES = (
    AttendanceStatus.HADIR,
    AttendanceStatus.IZIN,
    AttendanceStatus.SAKIT,
    AttendanceStatus.ALFA,
)
# Excel and LibreOffice show a share with this format rounded half up, as percent() does.
PERCENT_FORMAT = "0%"
# The chat report shows no counts for these either: nothing has happened yet, or never will.
NOT_HAPPENED = (MeetingState.PLANNED, MeetingState.CANCELLED)


@dataclass(frozen=True)
class Share:
    """`part` of `whole`, written as a real number shown as a percentage, so a spreadsheet
    can add and average it and shows the same whole percentage as the chat report."""

    part: int
    whole: int


Value = str | int | float | Share | None


def share(counts: StatusCounts) -> Share | None:
    """Attendance as a share of the roster; None (an empty cell) with no one to count."""
    return Share(counts.hadir, counts.roster) if counts.roster else None


def happened(meeting: MeetingLine) -> bool:
    return meeting.state not in NOT_HAPPENED


def meeting_share(meeting: MeetingLine) -> Share | None:
    """A meeting's attendance only once it was held with a roll call: a meeting still ahead
    shows nothing rather than 0 %."""
    return share(meeting.attendance) if meeting.counted else None


# The chart is drawn 1080 px wide for phones; in a spreadsheet three quarters of that fits
# beside the columns on a laptop screen, and the full picture stays in the file for zooming.
CHART_SCALE = 0.75
ROW_PIXELS = 20  # a default spreadsheet row, to leave room below each image


def label(lang: str, key: str, **params: object) -> str:
    """A text as plain words for a file (no HTML escaping: files are not Telegram messages)."""
    return catalogue(normalise_language(lang))[f"reports.{key}"].format(**params)


def month_label(month: int, lang: str) -> str:
    return format_month(month, lang)


def status_label(status: AttendanceStatus | None, lang: str) -> str:
    return label(lang, f"status_{status.value}") if status is not None else ""


def meeting_date(meeting: MeetingLine, timezone: str) -> str:
    return utc_to_local(meeting.starts_at, timezone).strftime("%d-%m-%Y")


def meeting_time(meeting: MeetingLine, timezone: str) -> str:
    start = utc_to_local(meeting.starts_at, timezone)
    end = utc_to_local(meeting.ends_at, timezone)
    return f"{start:%H.%M}-{end:%H.%M}"


def session_label(meeting: MeetingLine, lang: str) -> str:
    return label(lang, "x_session_number", session=session_label_of(meeting.session_number, lang))


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


def state_label(group: GroupMonth, lang: str) -> str:
    if not group.meetings:
        return label(lang, "state_none")
    return "; ".join(label(lang, f"state_{meeting.state.value}") for meeting in group.meetings)


def _yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return label(lang, "x_yes" if value else "x_no")


def _joined(group: GroupMonth, part: Callable[[MeetingLine], str]) -> str:
    return "; ".join(part(meeting) for meeting in group.meetings)


def _chair_count(group: GroupMonth) -> int | None:
    reported = [m.chair_attendees for m in group.meetings if m.chair_attendees is not None]
    return sum(reported) if reported else None


def _info(group: GroupMonth, lang: str) -> str:
    info = [m.info_passed for m in group.meetings if m.info_passed is not None]
    return _yes_no(all(info), lang) if info else ""


def _attendance(groups: Sequence[GroupMonth]) -> StatusCounts:
    counts = StatusCounts()
    for group in groups:
        counts += group.attendance
    return counts


def _blank(groups: Sequence[GroupMonth], lang: str) -> Value:
    return ""


@dataclass(frozen=True)
class Column:
    """One column of the summary sheet: its header, a group's cell, the total, its width."""

    header: str  # a text key under reports.
    cell: Callable[[GroupMonth, str], Value]
    total: Callable[[Sequence[GroupMonth], str], Value] = _blank
    width: int = 9
    staff_only: bool = False  # complaint counts: a chair's group of ten would point at a member


# The summary sheet, left to right: a new column is one line here.
SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column(
        "x_code",
        lambda g, lang: g.code,
        lambda gs, lang: label(lang, "x_total"),
        12,
    ),
    Column(
        "x_group",
        lambda g, lang: g.name,
        lambda gs, lang: label(lang, "x_groups", count=len(gs)),
        24,
    ),
    Column("x_facilitator", lambda g, lang: g.facilitator_name, width=20),
    Column("x_chair", lambda g, lang: g.chair_name or "", width=20),
    Column("x_date", lambda g, lang: _joined(g, lambda m: meeting_date(m, g.timezone)), width=12),
    Column("x_time", lambda g, lang: _joined(g, lambda m: meeting_time(m, g.timezone)), width=12),
    Column("x_venue", lambda g, lang: _joined(g, lambda m: m.venue or g.venue or ""), width=24),
    Column("x_session", lambda g, lang: _joined(g, lambda m: session_label(m, lang)), width=10),
    Column(
        "x_state",
        state_label,
        lambda gs, lang: label(lang, "x_confirmed_count", count=sum(1 for g in gs if g.confirmed)),
        28,
    ),
    Column("x_roster", lambda g, lang: g.roster, lambda gs, lang: sum(g.roster for g in gs)),
    Column("x_hadir", lambda g, lang: g.attendance.hadir, lambda gs, lang: _attendance(gs).hadir),
    Column("x_izin", lambda g, lang: g.attendance.izin, lambda gs, lang: _attendance(gs).izin),
    Column("x_sakit", lambda g, lang: g.attendance.sakit, lambda gs, lang: _attendance(gs).sakit),
    Column("x_alfa", lambda g, lang: g.attendance.alfa, lambda gs, lang: _attendance(gs).alfa),
    Column(
        "x_unmarked",
        lambda g, lang: g.attendance.unmarked,
        lambda gs, lang: _attendance(gs).unmarked,
    ),
    Column("x_rate", lambda g, lang: share(g.attendance), lambda gs, lang: share(_attendance(gs))),
    Column(
        "x_rsvp_yes",
        lambda g, lang: sum(m.rsvp_coming for m in g.meetings),
        lambda gs, lang: sum(m.rsvp_coming for g in gs for m in g.meetings),
    ),
    Column(
        "x_rsvp_no",
        lambda g, lang: sum(m.rsvp_not_coming for m in g.meetings),
        lambda gs, lang: sum(m.rsvp_not_coming for g in gs for m in g.meetings),
    ),
    Column("x_chair_count", lambda g, lang: _chair_count(g), lambda gs, lang: None, 12),
    Column("x_info", _info, width=12),
    Column(
        "x_notes",
        lambda g, lang: "\n".join(m.chair_notes for m in g.meetings if m.chair_notes),
        width=40,
    ),
    Column(
        "x_complaints_new",
        lambda g, lang: g.complaints_opened,
        lambda gs, lang: sum(g.complaints_opened for g in gs),
        staff_only=True,
    ),
    Column(
        "x_complaints_done",
        lambda g, lang: g.complaints_resolved,
        lambda gs, lang: sum(g.complaints_resolved for g in gs),
        staff_only=True,
    ),
    Column(
        "x_quiz",
        lambda g, lang: g.quiz_participants,
        lambda gs, lang: sum(g.quiz_participants for g in gs),
    ),
)


def summary_columns(audience: Role) -> tuple[Column, ...]:
    """The summary's columns for this reader: a chair's has no complaint counts."""
    if audience is Role.CHAIR:
        return tuple(column for column in SUMMARY_COLUMNS if not column.staff_only)
    return SUMMARY_COLUMNS


def summary_headers(lang: str, audience: Role) -> list[str]:
    return [label(lang, column.header) for column in summary_columns(audience)]


def summary_row(group: GroupMonth, lang: str, audience: Role) -> list[Value]:
    return [column.cell(group, lang) for column in summary_columns(audience)]


def total_row(groups: Sequence[GroupMonth], lang: str, audience: Role) -> list[Value]:
    return [column.total(groups, lang) for column in summary_columns(audience)]


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
    for status in STATUSES:
        counts = (m.attendance.of(status) if happened(m) else None for m in meetings)
        sheet.row([status_label(status, lang), *pad, *counts])
    unmarked = (m.attendance.unmarked if happened(m) else None for m in meetings)
    sheet.row([label(lang, "x_unmarked"), *pad, *unmarked])
    sheet.row([label(lang, "x_roster"), *pad, *(m.attendance.roster for m in meetings)])
    sheet.row([label(lang, "x_rate"), *pad, *(meeting_share(m) for m in meetings)])
    sheet.row([])
    details: list[tuple[str, list[Value]]] = [
        ("x_state", [label(lang, f"state_{m.state.value}") for m in meetings]),
        ("x_time", [meeting_time(m, group.timezone) for m in meetings]),
        ("x_venue", [m.venue or group.venue or "" for m in meetings]),
        ("x_session", [session_label(m, lang) for m in meetings]),
        ("x_rsvp_yes", [m.rsvp_coming for m in meetings]),
        ("x_rsvp_no", [m.rsvp_not_coming for m in meetings]),
        ("x_chair_count", [m.chair_attendees for m in meetings]),
        ("x_info", [_yes_no(m.info_passed, lang) for m in meetings]),
        ("x_notes", [m.chair_notes or "" for m in meetings]),
        ("x_quiz", [m.quiz_participants for m in meetings]),
    ]
    for key, values in details:
        sheet.row([label(lang, key), *pad, *values])
    sheet.widths([5, 32, *([18] if ids else []), *([16] * len(meetings)), 10])


def _facilitator_sheet(sheet: _Sheet, data: ExportData, lang: str) -> None:
    keys = ("x_facilitator", "x_groups_count", "x_confirmed", "x_held")
    sheet.row(
        [
            *(label(lang, key) for key in keys),
            label(lang, "x_hadir"),
            label(lang, "x_roster_counted"),
            label(lang, "x_rate"),
            label(lang, "x_complaints_new"),
            label(lang, "x_complaints_done"),
        ],
        bold=True,
    )
    for facilitator in data.report.facilitators:
        counts = facilitator.attendance
        sheet.row(
            [
                facilitator.name,
                len(facilitator.groups),
                facilitator.confirmed,
                facilitator.held,
                counts.hadir,
                counts.roster,
                share(counts),
                facilitator.complaints_opened,
                facilitator.complaints_resolved,
            ]
        )
    sheet.widths([28, 10, 12, 12, 10, 12, 12, 12, 12])


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
    audience = data.report.audience
    summary.row(summary_headers(lang, audience), bold=True)
    for group in data.report.groups:
        summary.row(summary_row(group, lang, audience))
    summary.row(total_row(data.report.groups, lang, audience), bold=True)
    rows_written = 4 + len(data.report.groups)
    if data.chart is not None and not data.chart.empty:
        rows_written += _chart_below(summary, data.chart, lang, rows_written)
    summary.widths([column.width for column in summary_columns(audience)])
    if data.report.audience is Role.COORDINATOR:
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
    headers = [label(lang, "x_code"), label(lang, "x_group"), label(lang, "x_name")]
    if data.include_ids:
        headers.append(label(lang, "x_programme_id"))
    headers += [
        label(lang, "x_date"),
        label(lang, "x_time"),
        label(lang, "x_session"),
        label(lang, "x_state"),
        label(lang, "x_status"),
        label(lang, "x_made_by"),
        label(lang, "x_made_at"),
    ]
    writer.writerow(headers)
    made = list(made_stamp(data, lang))
    for sheet in data.sheets:
        group = sheet.group
        for member in sheet.members:
            for meeting, status in zip(sheet.meetings, member.statuses, strict=True):
                row = [group.code, group.name, member.name]
                if data.include_ids:
                    row.append(member.programme_id or "")
                row += [
                    meeting_date(meeting, group.timezone),
                    meeting_time(meeting, group.timezone),
                    session_label(meeting, lang),
                    label(lang, f"state_{meeting.state.value}"),
                    status_label(status, lang),
                    *made,
                ]
                writer.writerow([safe_text(value) for value in row])
    # A byte-order mark lets spreadsheet programs recognise UTF-8 names (é, ñ, ...).
    return out.getvalue().encode("utf-8-sig")


def build(data: ExportData, lang: str, kind: str) -> tuple[bytes, str]:
    """(content, MIME type) of the export in `kind` ("xlsx" or "csv")."""
    if kind == "csv":
        return build_csv(data, lang), CSV_MIME
    return build_xlsx(data, lang), XLSX_MIME
