"""The one table of report fields, read by the chat report, the spreadsheet, the CSV and the
roll-up by area.

A field is one figure of a month's report: its name, the text key of its header in files
(reports.x_...), how it is computed (for one meeting, for a group's month, for a set of
groups), whether it is a meeting's figure or only a month's, and the right a reader must hold
on the groups (storage/access.py RIGHTS, carried by MonthReport.rights) to see it. Who reads
which part:

    the chat report      `chat` of the meeting fields, in order (views/reports.meeting_lines)
    the summary sheet    every field with a `group` cell, in order, and its `total`
    a group's sheet      every field with a `meeting` cell: the roll call's counts, then the rest
    the per-pendamping   every field marked `per_facilitator`, from its `total`
    the CSV              every field marked `csv`, one line per member and meeting
    the roll-up          LEVEL_FIELDS below: one line per area in the chat, a sheet per level

A new figure ("number of photos") is one row here plus, if storage does not read it yet, its
query in storage/reports/queries.py and an attribute on MeetingLine."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from content.session_render import label as session_name
from content.session_render import session_label as session_label_of
from content.sessions import get_session
from content.texts import catalogue, normalise_language
from storage.access import Action
from storage.models.attendance import AttendanceStatus
from storage.reports import GroupMonth, MeetingLine, MeetingState, MonthReport, StatusCounts
from storage.reports.rollup import Row
from timekeeping.timefmt import format_datetime
from timekeeping.timeparse import utc_to_local


class Per(enum.StrEnum):
    MEETING = "meeting"  # a value for each meeting (a group sheet's row), folded for the month
    MONTH = "month"  # a value of the group's month only (its code, its chair, its complaints)


@dataclass(frozen=True)
class Share:
    """`part` of `whole`, written as a real number shown as a percentage, so a spreadsheet
    can add and average it and shows the same whole percentage as the chat report."""

    part: int
    whole: int


Value = str | int | float | Share | None
# The chat's line (or lines) for a meeting: given the text function, the language, the
# meeting and its group; None when the line has nothing to say.
ChatLine = Callable[[Callable[..., str], str, MeetingLine, GroupMonth], str | None]

# The chat report and the files show no counts for these: nothing happened, or never will.
NOT_HAPPENED = (MeetingState.PLANNED, MeetingState.CANCELLED)
STATUSES = (
    AttendanceStatus.HADIR,
    AttendanceStatus.IZIN,
    AttendanceStatus.SAKIT,
    AttendanceStatus.ALFA,
)


def label(lang: str, key: str, **params: object) -> str:
    """A text as plain words for a file (no HTML escaping: files are not Telegram messages)."""
    return catalogue(normalise_language(lang))[f"reports.{key}"].format(**params)


def share(counts: StatusCounts) -> Share | None:
    """Attendance as a share of the roster; None (an empty cell) with no one to count."""
    return Share(counts.hadir, counts.roster) if counts.roster else None


def happened(meeting: MeetingLine) -> bool:
    return meeting.state not in NOT_HAPPENED


def meeting_share(meeting: MeetingLine) -> Share | None:
    """A meeting's attendance only once it was held with a roll call: a meeting still ahead
    shows nothing rather than 0 %."""
    return share(meeting.attendance) if meeting.counted else None


def meeting_date(meeting: MeetingLine, timezone: str) -> str:
    return utc_to_local(meeting.starts_at, timezone).strftime("%d-%m-%Y")


def meeting_time(meeting: MeetingLine, timezone: str) -> str:
    start = utc_to_local(meeting.starts_at, timezone)
    end = utc_to_local(meeting.ends_at, timezone)
    return f"{start:%H.%M}-{end:%H.%M}"


def session_label(meeting: MeetingLine, lang: str) -> str:
    return label(lang, "x_session_number", session=session_label_of(meeting.session_number, lang))


def status_label(status: AttendanceStatus | None, lang: str) -> str:
    return label(lang, f"status_{status.value}") if status is not None else ""


def state_label(group: GroupMonth, lang: str) -> str:
    if not group.meetings:
        return label(lang, "state_none")
    return "; ".join(label(lang, f"state_{meeting.state.value}") for meeting in group.meetings)


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return label(lang, "x_yes" if value else "x_no")


def attendance_of(groups: Sequence[GroupMonth]) -> StatusCounts:
    counts = StatusCounts()
    for group in groups:
        counts += group.attendance
    return counts


def _joined(group: GroupMonth, part: Callable[[MeetingLine], str]) -> str:
    return "; ".join(part(meeting) for meeting in group.meetings)


def _chair_count(group: GroupMonth) -> int | None:
    reported = [m.chair_attendees for m in group.meetings if m.chair_attendees is not None]
    return sum(reported) if reported else None


def _info(group: GroupMonth, lang: str) -> str:
    info = [m.info_passed for m in group.meetings if m.info_passed is not None]
    return yes_no(all(info), lang) if info else ""


def _status(status: AttendanceStatus) -> Callable[[MeetingLine, GroupMonth, str], Value]:
    return lambda m, g, lang: m.attendance.of(status) if happened(m) else None


# -- the chat report's lines ------------------------------------------------------------------

NOTES_PREVIEW = 200
ICONS = {
    MeetingState.CONFIRMED: "✅",
    MeetingState.HELD: "🟡",
    MeetingState.NOT_HELD: "❌",
    MeetingState.MOVED: "↪️",
    MeetingState.PLANNED: "📅",
    MeetingState.NO_RECORD: "❔",
    MeetingState.CANCELLED: "🚫",
}


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _chat_state(t: Callable[..., str], lang: str, m: MeetingLine, g: GroupMonth) -> str:
    return t(
        "reports.meeting_state", icon=ICONS[m.state], state=t(f"reports.state_{m.state.value}")
    )


def _chat_chair(t: Callable[..., str], lang: str, m: MeetingLine, g: GroupMonth) -> str | None:
    if m.chair_attendees is not None:
        said = t("reports.chair_said", count=m.chair_attendees)
        if m.info_passed is not None:
            said += ", " + t("reports.chair_info_yes" if m.info_passed else "reports.chair_info_no")
        return said
    return t("reports.waiting_chair") if m.confirmation_open else None


def _chat_counts(t: Callable[..., str], lang: str, m: MeetingLine, g: GroupMonth) -> str | None:
    if not happened(m):
        return None
    c = m.attendance
    return t(
        "reports.meeting_counts",
        hadir=c.hadir,
        izin=c.izin,
        sakit=c.sakit,
        alfa=c.alfa,
        unmarked=c.unmarked,
        roster=c.roster,
    )


def _chat_rsvp(t: Callable[..., str], lang: str, m: MeetingLine, g: GroupMonth) -> str | None:
    if not (m.rsvp_coming or m.rsvp_not_coming):
        return None
    return t("reports.meeting_rsvp", coming=m.rsvp_coming, not_coming=m.rsvp_not_coming)


def _chat_notes(t: Callable[..., str], lang: str, m: MeetingLine, g: GroupMonth) -> str | None:
    if not m.chair_notes:
        return None
    return t("reports.meeting_notes", notes=shorten(m.chair_notes, NOTES_PREVIEW))


# -- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    header: str  # text key under reports.: the column's (or a group sheet row's) header
    per: Per
    # A group's month: its cell on the summary sheet (None: not on the summary).
    group: Callable[[GroupMonth, str], Value] | None = None
    # One meeting: its cell on the group's sheet and in the CSV (None: a month's figure only).
    meeting: Callable[[MeetingLine, GroupMonth, str], Value] | None = None
    # A set of groups: the summary's total line and the per-pendamping sheet.
    total: Callable[[Sequence[GroupMonth], str], Value] | None = None
    # The right she must hold on the report's groups to see it (storage/access.RIGHTS).
    right: Action = Action.READ
    width: int = 9  # of its column in a sheet
    chat: ChatLine | None = None  # its line in the chat report, for each meeting
    counts: bool = False  # one of the roll call's counts: the first block of a group sheet
    per_facilitator: bool = False  # a column of the per-pendamping sheet
    csv: bool = False  # a column of the CSV (one line per member and meeting)
    sheet_row: bool = True  # a row of a group sheet (the date heads its columns instead)


def _sum(part: Callable[[GroupMonth], int]) -> Callable[[Sequence[GroupMonth], str], Value]:
    return lambda groups, lang: sum(part(g) for g in groups)


FIELDS: tuple[Field, ...] = (
    Field(
        "code",
        "x_code",
        Per.MONTH,
        group=lambda g, lang: g.code,
        total=lambda gs, lang: label(lang, "x_total"),
        width=12,
    ),
    Field(
        "group",
        "x_group",
        Per.MONTH,
        group=lambda g, lang: g.name,
        total=lambda gs, lang: label(lang, "x_groups", count=len(gs)),
        width=24,
    ),
    Field(
        "facilitator",
        "x_facilitator",
        Per.MONTH,
        group=lambda g, lang: g.facilitator_name,
        width=20,
    ),
    Field("chair", "x_chair", Per.MONTH, group=lambda g, lang: g.chair_name or "", width=20),
    Field(
        "date",
        "x_date",
        Per.MEETING,
        group=lambda g, lang: _joined(g, lambda m: meeting_date(m, g.timezone)),
        meeting=lambda m, g, lang: meeting_date(m, g.timezone),
        width=12,
        sheet_row=False,
        chat=lambda t, lang, m, g: t(
            "reports.meeting_when",
            when=_format_when(m, g, lang),
            venue=m.venue or g.venue or "-",
        ),
        csv=True,
    ),
    Field(
        "time",
        "x_time",
        Per.MEETING,
        group=lambda g, lang: _joined(g, lambda m: meeting_time(m, g.timezone)),
        meeting=lambda m, g, lang: meeting_time(m, g.timezone),
        width=12,
        csv=True,
    ),
    Field(
        "venue",
        "x_venue",
        Per.MEETING,
        group=lambda g, lang: _joined(g, lambda m: m.venue or g.venue or ""),
        meeting=lambda m, g, lang: m.venue or g.venue or "",
        width=24,
    ),
    Field(
        "session",
        "x_session",
        Per.MEETING,
        group=lambda g, lang: _joined(g, lambda m: session_label(m, lang)),
        meeting=lambda m, g, lang: session_label(m, lang),
        width=10,
        chat=lambda t, lang, m, g: _session_line(t, lang, m),
        csv=True,
    ),
    Field(
        "state",
        "x_state",
        Per.MEETING,
        group=state_label,
        meeting=lambda m, g, lang: label(lang, f"state_{m.state.value}"),
        total=lambda gs, lang: label(
            lang, "x_confirmed_count", count=sum(1 for g in gs if g.confirmed)
        ),
        width=28,
        chat=_chat_state,
        csv=True,
    ),
    Field(
        "chair_count",
        "x_chair_count",
        Per.MEETING,
        group=lambda g, lang: _chair_count(g),
        meeting=lambda m, g, lang: m.chair_attendees,
        width=12,
        chat=_chat_chair,
    ),
    Field(
        "groups", "x_groups_count", Per.MONTH, total=lambda gs, lang: len(gs), per_facilitator=True
    ),
    Field(
        "confirmed",
        "x_confirmed",
        Per.MONTH,
        total=_sum(lambda g: int(g.confirmed)),
        per_facilitator=True,
    ),
    Field("held", "x_held", Per.MONTH, total=_sum(lambda g: int(g.held)), per_facilitator=True),
    Field(
        "roster",
        "x_roster",
        Per.MEETING,
        group=lambda g, lang: g.roster,
        meeting=lambda m, g, lang: m.attendance.roster,
        total=_sum(lambda g: g.roster),
        counts=True,
    ),
    Field(
        "hadir",
        "x_hadir",
        Per.MEETING,
        group=lambda g, lang: g.attendance.hadir,
        meeting=_status(AttendanceStatus.HADIR),
        total=lambda gs, lang: attendance_of(gs).hadir,
        counts=True,
        per_facilitator=True,
        chat=_chat_counts,
    ),
    Field(
        "izin",
        "x_izin",
        Per.MEETING,
        group=lambda g, lang: g.attendance.izin,
        meeting=_status(AttendanceStatus.IZIN),
        total=lambda gs, lang: attendance_of(gs).izin,
        counts=True,
    ),
    Field(
        "sakit",
        "x_sakit",
        Per.MEETING,
        group=lambda g, lang: g.attendance.sakit,
        meeting=_status(AttendanceStatus.SAKIT),
        total=lambda gs, lang: attendance_of(gs).sakit,
        counts=True,
    ),
    Field(
        "alfa",
        "x_alfa",
        Per.MEETING,
        group=lambda g, lang: g.attendance.alfa,
        meeting=_status(AttendanceStatus.ALFA),
        total=lambda gs, lang: attendance_of(gs).alfa,
        counts=True,
    ),
    Field(
        "unmarked",
        "x_unmarked",
        Per.MEETING,
        group=lambda g, lang: g.attendance.unmarked,
        meeting=lambda m, g, lang: m.attendance.unmarked if happened(m) else None,
        total=lambda gs, lang: attendance_of(gs).unmarked,
        counts=True,
    ),
    Field(
        "roster_counted",
        "x_roster_counted",
        Per.MONTH,
        total=lambda gs, lang: attendance_of(gs).roster,
        per_facilitator=True,
    ),
    Field(
        "rate",
        "x_rate",
        Per.MEETING,
        group=lambda g, lang: share(g.attendance),
        meeting=lambda m, g, lang: meeting_share(m),
        total=lambda gs, lang: share(attendance_of(gs)),
        counts=True,
        per_facilitator=True,
    ),
    Field(
        "rsvp_yes",
        "x_rsvp_yes",
        Per.MEETING,
        group=lambda g, lang: sum(m.rsvp_coming for m in g.meetings),
        meeting=lambda m, g, lang: m.rsvp_coming,
        total=_sum(lambda g: sum(m.rsvp_coming for m in g.meetings)),
        chat=_chat_rsvp,
    ),
    Field(
        "rsvp_no",
        "x_rsvp_no",
        Per.MEETING,
        group=lambda g, lang: sum(m.rsvp_not_coming for m in g.meetings),
        meeting=lambda m, g, lang: m.rsvp_not_coming,
        total=_sum(lambda g: sum(m.rsvp_not_coming for m in g.meetings)),
    ),
    Field(
        "info",
        "x_info",
        Per.MEETING,
        group=_info,
        meeting=lambda m, g, lang: yes_no(m.info_passed, lang),
        width=12,
    ),
    Field(
        "notes",
        "x_notes",
        Per.MEETING,
        group=lambda g, lang: "\n".join(m.chair_notes for m in g.meetings if m.chair_notes),
        meeting=lambda m, g, lang: m.chair_notes or "",
        width=40,
        chat=_chat_notes,
    ),
    # Complaint counts only for those who handle complaints: a chair's group of ten would
    # point at the member who complained.
    Field(
        "complaints_new",
        "x_complaints_new",
        Per.MONTH,
        group=lambda g, lang: g.complaints_opened,
        total=_sum(lambda g: g.complaints_opened),
        right=Action.COMPLAINTS,
        per_facilitator=True,
    ),
    Field(
        "complaints_done",
        "x_complaints_done",
        Per.MONTH,
        group=lambda g, lang: g.complaints_resolved,
        total=_sum(lambda g: g.complaints_resolved),
        right=Action.COMPLAINTS,
        per_facilitator=True,
    ),
    Field(
        "quiz",
        "x_quiz",
        Per.MEETING,
        group=lambda g, lang: g.quiz_participants,
        meeting=lambda m, g, lang: m.quiz_participants,
        total=_sum(lambda g: g.quiz_participants),
    ),
)


def _format_when(meeting: MeetingLine, group: GroupMonth, lang: str) -> str:
    return format_datetime(meeting.starts_at, group.timezone, lang)


def _session_line(t: Callable[..., str], lang: str, meeting: MeetingLine) -> str:
    try:
        session = get_session(meeting.session_number, lang)
    except KeyError:
        return t("reports.x_session_number", session=session_label_of(meeting.session_number, lang))
    if session.optional:  # the stunting material has no module number
        return t(
            "reports.meeting_session_supplementary",
            session=session_name(session, lang),
            title=session.title,
        )
    return t(
        "reports.meeting_session",
        session=session_name(session, lang),
        title=session.title,
        module=session.module_number,
    )


def visible(report: MonthReport) -> tuple[Field, ...]:
    """The fields this report's reader may see (MonthReport.rights, from storage/access.py)."""
    return tuple(field for field in FIELDS if field.right in report.rights)


def summary_fields(report: MonthReport) -> tuple[Field, ...]:
    return tuple(field for field in visible(report) if field.group is not None)


def per_facilitator_fields(report: MonthReport) -> tuple[Field, ...]:
    return tuple(field for field in visible(report) if field.per_facilitator)


def sheet_fields(report: MonthReport) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """A group sheet's rows under its members: the roll call's counts, then the rest."""
    rows = [f for f in visible(report) if f.meeting is not None and f.sheet_row]
    return (
        tuple(field for field in rows if field.counts),
        tuple(field for field in rows if not field.counts),
    )


def csv_fields(report: MonthReport) -> tuple[Field, ...]:
    return tuple(field for field in visible(report) if field.csv)


def chat_fields(report: MonthReport) -> tuple[Field, ...]:
    return tuple(field for field in visible(report) if field.chat is not None)


# -- the roll-up by area ----------------------------------------------------------------------


@dataclass(frozen=True)
class LevelField:
    """One figure of a line of the roll-up (storage/reports/rollup.Row)."""

    name: str
    header: str  # text key under reports.
    value: Callable[[Row], Value]
    right: Action = Action.READ
    width: int = 12


LEVEL_FIELDS: tuple[LevelField, ...] = (
    LevelField("groups", "x_groups_count", lambda r: r.groups),
    LevelField("confirmed", "x_confirmed", lambda r: r.confirmed),
    LevelField(
        "coverage",
        "x_coverage",
        lambda r: Share(r.confirmed, r.groups) if r.groups else None,
    ),
    LevelField("hadir", "x_hadir", lambda r: r.hadir),
    LevelField("roster_counted", "x_roster_counted", lambda r: r.roster),
    LevelField("rate", "x_rate", lambda r: Share(r.hadir, r.roster) if r.roster else None),
    LevelField("waiting", "x_waiting_chair", lambda r: r.confirmations_open),
    LevelField(
        "complaints_open", "x_complaints_open", lambda r: r.complaints_open, Action.COMPLAINTS
    ),
    LevelField(
        "complaints_overdue",
        "x_complaints_overdue",
        lambda r: r.complaints_overdue,
        Action.COMPLAINTS,
    ),
)
