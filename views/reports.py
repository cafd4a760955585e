"""The month's report as people read it: totals, per group, per facilitator, the activity record."""

from __future__ import annotations

from content.texts import Html
from storage import reports
from storage.access import Action
from storage.reports import GroupMonth, MeetingLine, MonthReport, activity_record
from storage.reports.activity_record import ActivityRecord
from storage.reports.rollup import Rollup
from storage.roles import Role
from timekeeping.numbers import format_number, format_percent
from timekeeping.timefmt import format_date, format_time, tz_abbreviation
from timekeeping.timeparse import utc_to_local
from views.activity_record import activity_name, description, material
from views.exports import month_label
from views.reader import Reader
from views.report_fields import chat_fields

UNCONFIRMED_LINES = 25


def month_name(reader: Reader, month: int) -> str:
    return month_label(month, reader.lang)


def rate_text(reader: Reader, hadir: int, roster: int) -> str:
    value = reports.rate(hadir, roster)
    if value is None:
        return reader.t("reports.rate_none")
    lang = reader.lang
    return reader.t(
        "reports.rate_value",
        rate=format_percent(value, lang),
        hadir=format_number(hadir, lang),
        roster=format_number(roster, lang),
    )


def render_report(reader: Reader, report: MonthReport, fallback: int | None) -> str:
    t = reader.t
    month = month_name(reader, report.month)
    title_key = {
        Role.COORDINATOR: "reports.title_all",
        Role.FACILITATOR: "reports.title",
        Role.CHAIR: "reports.title_chair",
    }[report.audience]
    if report.rollup is not None and report.rollup.area_names:  # a coordinator of an area
        lines = [t("reports.title_area", month=month, area=", ".join(report.rollup.area_names))]
    else:
        lines = [t(title_key, month=month)]
    if fallback is not None:
        lines.append(t("reports.fallback_previous", current=month_name(reader, fallback)))
    if not report.groups:
        return "\n".join([*lines, t("reports.no_groups")])
    if report.meetings == 0:
        return "\n".join([*lines, "", t("reports.no_meetings", month=month)])
    counts = report.attendance
    lines.append(
        t(
            "reports.totals",
            groups=len(report.groups),
            confirmed=sum(1 for g in report.groups if g.confirmed),
            held=sum(1 for g in report.groups if g.held),
            rate=Html(rate_text(reader, counts.hadir, counts.roster)),
        )
    )
    unconfirmed = report.unconfirmed
    if report.audience is Role.COORDINATOR:
        return "\n".join([*lines, "", coordinator_body(reader, report)])
    lines.append(
        t("reports.unconfirmed_first", count=len(unconfirmed))
        if unconfirmed
        else t("reports.all_confirmed")
    )
    blocks = [group_block(reader, group, report) for group in report.groups]
    steps = "reports.next_steps_chair" if report.audience is Role.CHAIR else "reports.next_steps"
    return "\n".join(lines) + "\n\n" + "\n\n".join(blocks) + "\n\n" + t(steps)


def coordinator_body(reader: Reader, report: MonthReport) -> str:
    t = reader.t
    unconfirmed = report.unconfirmed
    lines = []
    if unconfirmed:
        lines.append(t("reports.unconfirmed_title", count=len(unconfirmed)))
        for group in unconfirmed[:UNCONFIRMED_LINES]:
            month_state = group.month_state
            state = (
                t(f"reports.state_{month_state.value}")
                if month_state is not None
                else t("reports.state_none")
            )
            lines.append(
                t(
                    "reports.unconfirmed_line",
                    group=group.name,
                    code=group.code,
                    facilitator=group.facilitator_name,
                    state=state,
                )
            )
        if len(unconfirmed) > UNCONFIRMED_LINES:
            lines.append(t("reports.unconfirmed_more", count=len(unconfirmed) - UNCONFIRMED_LINES))
        lines.append("")
    else:
        lines += [t("reports.all_confirmed"), ""]
    if report.rollup is not None:
        lines += rollup_lines(reader, report.rollup)
        return "\n".join(lines)
    lines.append(t("reports.per_facilitator"))
    for facilitator in report.facilitators:
        counts = facilitator.attendance
        lines.append(
            t(
                "reports.facilitator_line",
                name=facilitator.name,
                groups=len(facilitator.groups),
                confirmed=facilitator.confirmed,
                rate=Html(rate_text(reader, counts.hadir, counts.roster)),
                opened=facilitator.complaints_opened,
                resolved=facilitator.complaints_resolved,
            )
        )
    return "\n".join(lines)


def rollup_lines(reader: Reader, rollup: Rollup) -> list[str]:
    """A coordinator's month by area, level by level: one line per area (or pendamping), the
    groups not placed in an area on a line of their own."""
    t, lang = reader.t, reader.lang
    lines: list[str] = []
    for level in rollup.levels:
        lines.append(t(f"reports.level_{level.level.value}"))
        for row in level.rows:
            text = t(
                "reports.rollup_line",
                name=row.name if row.placed else t("reports.rollup_unplaced"),
                groups=format_number(row.groups, lang),
                confirmed=format_number(row.confirmed, lang),
                coverage=format_percent(row.coverage, lang) or "-",
                rate=Html(rate_text(reader, row.hadir, row.roster)),
                waiting=format_number(row.confirmations_open, lang),
            )
            complaints = t(
                "reports.rollup_complaints",
                open=format_number(row.complaints_open, lang),
                overdue=format_number(row.complaints_overdue, lang),
            )
            lines.append(f"{text}, {complaints}")
        lines.append("")
    lines.append(
        t("reports.rollup_protected") if rollup.protected_counted else t("reports.rollup_ordinary")
    )
    return lines


def meeting_lines(
    reader: Reader, group: GroupMonth, meeting: MeetingLine, report: MonthReport
) -> list[str]:
    """A meeting's lines: one per report field that has a chat line and something to say."""
    lines = []
    for field in chat_fields(report):
        assert field.chat is not None
        line = field.chat(reader.t, reader.lang, meeting, group)
        if line is not None:
            lines.append(line)
    return lines


def group_block(reader: Reader, group: GroupMonth, report: MonthReport) -> str:
    t = reader.t
    lines = [t("reports.group_head", group=group.name, code=group.code)]
    if not group.meetings:
        lines.append(t("reports.group_none"))
    for meeting in group.meetings:
        lines += meeting_lines(reader, group, meeting, report)
    quiz = t("reports.group_quiz", quiz=group.quiz_participants)
    if Action.COMPLAINTS not in report.rights:
        # No complaint counts for a chair: in a group of 10 to 30, "1 new" points at a member.
        lines.append(quiz)
    else:
        complaints = t(
            "reports.group_complaints",
            opened=group.complaints_opened,
            resolved=group.complaints_resolved,
        )
        lines.append(f"{complaints} · {quiz}")
    return "\n".join(lines)


# -- the activity record ------------------------------------------------------------------


def record_text(reader: Reader, record: ActivityRecord, note: str | None = None) -> str:
    t, lang = reader.t, reader.lang
    start = utc_to_local(record.starts_at, record.timezone)
    end = utc_to_local(record.ends_at, record.timezone)
    counts = record.counts
    lines = [note] if note else []
    lines.append(t("reports.record_title"))
    if record.cancelled:
        lines.append(t("reports.record_cancelled"))
    lines.append(
        t(
            "reports.record_fields",
            activity=activity_name(record, lang),
            date=format_date(start.date(), lang),
            start=format_time(start.time(), lang),
            end=format_time(end.time(), lang),
            zone=tz_abbreviation(record.timezone, record.starts_at),
            venue=record.venue or "-",
            speaker=record.speaker or "-",
            material=material(record, lang),
            hadir=counts.hadir,
            izin=counts.izin,
            sakit=counts.sakit,
            alfa=counts.alfa,
            unmarked=counts.unmarked,
            roster=counts.roster,
        )
    )
    if record.end_written:
        lines.append(t("reports.record_end_set"))
    elif record.may_edit:
        lines.append(t("reports.record_end_planned", minutes=record.planned_minutes))
    if record.photo is None:
        lines.append(t("reports.record_photo_no"))
    elif record.photo.latitude is not None:
        lines.append(t("reports.record_photo_located", count=record.photos))
    else:
        lines.append(t("reports.record_photo_yes", count=record.photos))
    text = description(record, lang)
    words = activity_record.word_count(text)
    key = (
        "reports.record_description_edited"
        if record.description_edited
        else "reports.record_description_draft"
    )
    lines += ["", t(key, words=words), t("reports.record_description", text=text)]
    return "\n".join(lines)
