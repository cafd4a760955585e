"""/laporan, /ekspor, /grafik, /foto: the month's report, its files, its chart, the record.

A facilitator taps "Laporan" and gets this month's report with an Excel button: two taps to a
spreadsheet of all their groups. Each group leads to its meetings' P2K2 activity records,
whose description the facilitator can rewrite and whose photo the chair can send."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.charts import render_chart
from bot.context import BotContext
from bot.exports import build, file_name, month_label
from bot.keyboards import button, column, rows
from bot.outbox.split import split_html
from bot.timefmt import format_date, format_datetime, format_time, tz_abbreviation
from content.sessions import get_session
from content.texts import Html
from handlers.base import Audience, Request, action
from scheduler.timeparse import utc_to_local
from storage import activity_record, exports, reports
from storage.activity_record import ActivityRecord, PhotoChoice
from storage.attendance import month_of, shift_month
from storage.errors import UseCaseError
from storage.reports import GroupMonth, MeetingLine, MeetingState, MonthReport

DESCRIPTION = "report_description"
PHOTO, PHOTO_PICK, LOCATION = "report_photo", "report_photo_pick", "report_location"
KINDS = {1: "xlsx", 2: "csv"}
GROUP_BUTTONS = 40
UNCONFIRMED_LINES = 25
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


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    def on(name: str, callback: Any) -> CallbackQueryHandler[BotContext, None]:
        return CallbackQueryHandler(callback, pattern=rf"^{name}(:|$)")

    return [
        CommandHandler("laporan", report_command),
        CommandHandler("ekspor", export_command),
        CommandHandler("grafik", chart),
        CommandHandler("foto", photo_start),
        on("rp", report_button),
        on("rpg", group_button),
        on("rx", export_button),
        on("rc", chart),
        on("rr", record_button),
        on("rre", edit_description),
        on("rrd", use_draft),
        on("rra", attendance_list),
        on("rph", photo_start),
        on("rpk", photo_picked),
        on("rpl", photo_done),
        on("rpv", see_photo),
    ]


def _month_name(request: Request, month: int) -> str:
    return month_label(month, request.lang)


def _chat_id(request: Request) -> int:
    chat = request.update.effective_chat
    assert chat is not None
    return chat.id


async def _send_parts(
    request: Request, parts: tuple[str, ...], markup: InlineKeyboardMarkup | None
) -> None:
    """One part edits the pressed message; longer texts go out as several messages."""
    if len(parts) == 1:
        await request.show(parts[0], markup)
        return
    await request.ack()
    for index, part in enumerate(parts):
        await request.say(part, markup if index == len(parts) - 1 else None)


# -- the monthly report -------------------------------------------------------------------


def _looks_like_month(token: str) -> bool:
    return any(ch.isdigit() for ch in token) and any(ch in "-/." for ch in token)


def _parse_args(request: Request) -> tuple[int | None, str | None, str | None]:
    """(month, group code, file kind) from "/ekspor 2026-11 MAWAR1 csv", in any order."""
    month: int | None = None
    code: str | None = None
    kind: str | None = None
    for token in request.args:
        lowered = token.lower()
        if lowered in ("xlsx", "excel", "csv"):
            kind = "csv" if lowered == "csv" else "xlsx"
        elif _looks_like_month(token) or (token.isdigit() and len(token) >= 5):
            month = reports.parse_month(token)
        elif code is None:
            code = token
        else:
            raise UseCaseError("reports.too_many_args", text=" ".join(request.args)[:60])
    return month, code, kind


@action(Audience.STAFF)
async def report_command(request: Request) -> None:
    """/laporan [YYYY-MM] [CODE]: the month's report (this month by default)."""
    month, code, _ = _parse_args(request)
    await _show_report(request, month, code)


@action(Audience.STAFF)
async def report_button(request: Request) -> None:
    """The report button (no month: this month) or a month's arrow."""
    assert request.callback is not None
    month = request.callback.arg_or(0, 0)
    if month and not 1 <= month % 100 <= 12:
        await request.refuse("errors.stale_button")
        return
    await _show_report(request, month or None, None)


async def _show_report(request: Request, month: int | None, code: str | None) -> None:
    now = request.data.clock.now()
    db, actor = request.data.db, request.actor
    fallback = None
    if month is None:
        month = reports.current_month(now)
        report = await reports.month_report(db, actor, month, now, group_code=code)
        if report.meetings == 0:
            earlier = await reports.month_report(
                db, actor, shift_month(month, -1), now, group_code=code
            )
            if earlier.meetings:
                fallback, report = month, earlier
    else:
        report = await reports.month_report(db, actor, month, now, group_code=code)
    parts = _render_report(request, report, fallback)
    await _send_parts(request, split_html(parts), _report_keyboard(request, report, now))


def _rate_text(request: Request, hadir: int, roster: int) -> str:
    value = reports.rate(hadir, roster)
    if value is None:
        return request.t("reports.rate_none")
    return request.t("reports.rate_value", rate=value, hadir=hadir, roster=roster)


def _render_report(request: Request, report: MonthReport, fallback: int | None) -> str:
    t = request.t
    month = _month_name(request, report.month)
    title_key = {
        reports.Audience.COORDINATOR: "reports.title_all",
        reports.Audience.FACILITATOR: "reports.title",
        reports.Audience.CHAIR: "reports.title_chair",
    }[report.audience]
    lines = [t(title_key, month=month)]
    if fallback is not None:
        lines.append(t("reports.fallback_previous", current=_month_name(request, fallback)))
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
            rate=Html(_rate_text(request, counts.hadir, counts.roster)),
        )
    )
    unconfirmed = report.unconfirmed
    if report.audience is reports.Audience.COORDINATOR:
        return "\n".join([*lines, "", _coordinator_body(request, report)])
    lines.append(
        t("reports.unconfirmed_first", count=len(unconfirmed))
        if unconfirmed
        else t("reports.all_confirmed")
    )
    blocks = [_group_block(request, group) for group in report.groups]
    return "\n".join(lines) + "\n\n" + "\n\n".join(blocks) + "\n\n" + t("reports.next_steps")


def _coordinator_body(request: Request, report: MonthReport) -> str:
    t = request.t
    unconfirmed = report.unconfirmed
    lines = []
    if unconfirmed:
        lines.append(t("reports.unconfirmed_title", count=len(unconfirmed)))
        for group in unconfirmed[:UNCONFIRMED_LINES]:
            state = (
                t(f"reports.state_{group.meetings[-1].state.value}")
                if group.meetings
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
    lines.append(t("reports.per_facilitator"))
    for facilitator in report.facilitators:
        counts = facilitator.attendance
        lines.append(
            t(
                "reports.facilitator_line",
                name=facilitator.name,
                groups=len(facilitator.groups),
                confirmed=facilitator.confirmed,
                rate=Html(_rate_text(request, counts.hadir, counts.roster)),
                opened=facilitator.complaints_opened,
                resolved=facilitator.complaints_resolved,
            )
        )
    return "\n".join(lines)


def _session_line(request: Request, meeting: MeetingLine) -> str:
    try:
        session = get_session(meeting.session_number, request.lang)
    except KeyError:
        return request.t("reports.x_session_number", number=meeting.session_number)
    return request.t(
        "reports.meeting_session",
        number=session.number,
        title=session.title,
        module=session.module_number,
    )


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _meeting_lines(request: Request, group: GroupMonth, meeting: MeetingLine) -> list[str]:
    t = request.t
    lines = [
        t(
            "reports.meeting_when",
            when=format_datetime(meeting.starts_at, group.timezone, request.lang),
            venue=meeting.venue or group.venue or "-",
        ),
        _session_line(request, meeting),
        t(
            "reports.meeting_state",
            icon=ICONS[meeting.state],
            state=t(f"reports.state_{meeting.state.value}"),
        ),
    ]
    if meeting.chair_attendees is not None:
        said = t("reports.chair_said", count=meeting.chair_attendees)
        if meeting.info_passed is not None:
            info = "reports.chair_info_yes" if meeting.info_passed else "reports.chair_info_no"
            said += ", " + t(info)
        lines.append(said)
    elif meeting.confirmation_open:
        lines.append(t("reports.waiting_chair"))
    if meeting.state not in (MeetingState.PLANNED, MeetingState.CANCELLED):
        counts = meeting.attendance
        lines.append(
            t(
                "reports.meeting_counts",
                hadir=counts.hadir,
                izin=counts.izin,
                sakit=counts.sakit,
                alfa=counts.alfa,
                unmarked=counts.unmarked,
                roster=counts.roster,
            )
        )
    if meeting.rsvp_coming or meeting.rsvp_not_coming:
        lines.append(
            t(
                "reports.meeting_rsvp",
                coming=meeting.rsvp_coming,
                not_coming=meeting.rsvp_not_coming,
            )
        )
    if meeting.chair_notes:
        lines.append(t("reports.meeting_notes", notes=_shorten(meeting.chair_notes, NOTES_PREVIEW)))
    return lines


def _group_block(request: Request, group: GroupMonth) -> str:
    t = request.t
    lines = [t("reports.group_head", group=group.name, code=group.code)]
    if not group.meetings:
        lines.append(t("reports.group_none"))
    for meeting in group.meetings:
        lines += _meeting_lines(request, group, meeting)
    lines.append(
        t(
            "reports.group_extras",
            opened=group.complaints_opened,
            resolved=group.complaints_resolved,
            quiz=group.quiz_participants,
        )
    )
    return "\n".join(lines)


def _report_keyboard(request: Request, report: MonthReport, now: Any) -> InlineKeyboardMarkup:
    t, month = request.t, report.month
    files = (
        [
            button(t("reports.buttons.xlsx"), "rx", 1, month),
            button(t("reports.buttons.csv"), "rx", 2, month),
        ]
        if report.meetings
        else []
    )
    groups = []
    if report.audience is not reports.Audience.COORDINATOR:
        groups = [
            button(t("reports.buttons.group", group=g.name), "rpg", g.id, month)
            for g in report.groups[:GROUP_BUTTONS]
        ]
    previous, following = shift_month(month, -1), shift_month(month, 1)
    arrows = [
        button(t("reports.buttons.previous", month=_month_name(request, previous)), "rp", previous)
    ]
    if following <= reports.current_month(now):
        arrows.append(
            button(
                t("reports.buttons.next", month=_month_name(request, following)), "rp", following
            )
        )
    return rows(
        files,
        [button(t("reports.buttons.chart"), "rc")],
        *column(groups, 2),
        arrows,
        [button(t("buttons.menu"), "mn")],
    )


@action(Audience.STAFF)
async def group_button(request: Request) -> None:
    """One group's month: its meetings, each leading to the activity record."""
    assert request.callback is not None
    group_id, month = request.callback.arg(0), request.callback.arg(1)
    if not 1 <= month % 100 <= 12:
        await request.refuse("errors.stale_button")
        return
    now = request.data.clock.now()
    report = await reports.month_report(
        request.data.db, request.actor, month, now, group_id=group_id
    )
    if not report.groups:
        await request.refuse("errors.stale_button")
        return
    group = report.groups[0]
    t = request.t
    text = "\n\n".join(
        [
            t(
                "reports.group_title",
                group=group.name,
                code=group.code,
                month=_month_name(request, month),
            ),
            _group_block(request, group),
            t("reports.group_pick_meeting") if group.meetings else "",
        ]
    ).strip()
    meetings = [
        button(
            t(
                "reports.buttons.meeting",
                date=utc_to_local(m.starts_at, group.timezone).strftime("%d/%m"),
                session=m.session_number,
            ),
            "rr",
            m.id,
        )
        for m in group.meetings
    ]
    files = (
        [button(t("reports.buttons.group_xlsx"), "rx", 1, month, group.id)]
        if report.meetings
        else []
    )
    await _send_parts(
        request,
        split_html(text),
        rows(
            *column(meetings, 1),
            files,
            [button(t("reports.buttons.back_report"), "rp", month)],
            [button(t("buttons.menu"), "mn")],
        ),
    )


# -- exports ------------------------------------------------------------------------------


@action()
async def export_command(request: Request) -> None:
    """/ekspor [YYYY-MM] [CODE] [xlsx|csv]: pick a format, or get the file at once."""
    month, code, kind = _parse_args(request)
    now = request.data.clock.now()
    month = month or reports.current_month(now)
    reports.check_month(month, now)
    group_id = await reports.group_for_code(request.data.db, request.actor, code) if code else 0
    if kind is not None:
        await _send_export(request, kind, month, group_id)
        return
    extra = (group_id,) if group_id else ()
    await request.say(
        request.t("reports.export_pick", month=_month_name(request, month)),
        rows(
            [
                button(request.t("reports.buttons.xlsx"), "rx", 1, month, *extra),
                button(request.t("reports.buttons.csv"), "rx", 2, month, *extra),
            ],
            [button(request.t("buttons.menu"), "mn")],
        ),
    )


@action()
async def export_button(request: Request) -> None:
    """An export button: the file, sent as a document."""
    assert request.callback is not None
    kind = KINDS.get(request.callback.arg(0))
    month = request.callback.arg(1)
    if kind is None or not 1 <= month % 100 <= 12:
        await request.refuse("errors.stale_button")
        return
    await _send_export(request, kind, month, request.callback.arg_or(2, 0))


async def _send_export(request: Request, kind: str, month: int, group_id: int) -> None:
    data = await exports.export_month(
        request.data.db,
        request.actor,
        month,
        request.data.clock.now(),
        group_id=group_id or None,
    )
    await request.ack()
    content, _ = await asyncio.to_thread(build, data, request.lang, kind)
    code = data.report.groups[0].code if group_id and data.report.groups else None
    month_name = _month_name(request, month)
    if kind == "csv":
        caption = request.t(
            "reports.export_caption_csv",
            month=month_name,
            rows=sum(len(s.members) * len(s.meetings) for s in data.sheets),
        )
    else:
        caption = request.t(
            "reports.export_caption",
            month=month_name,
            groups=len(data.report.groups),
            sheets=len(data.sheets),
        )
    await request.context.bot.send_document(
        _chat_id(request),
        InputFile(content, filename=file_name(data, kind, code)),
        caption=caption,
        parse_mode=ParseMode.HTML,
    )


# -- the chart ----------------------------------------------------------------------------


@action()
async def chart(request: Request) -> None:
    """/grafik: attendance per group (per facilitator for coordinators) over six months."""
    data = await reports.attendance_chart(request.data.db, request.actor, request.data.clock.now())
    if not any(value is not None for s in data.series for _, value in s.points):
        await request.show(
            request.t("reports.chart_empty"), rows([button(request.t("buttons.menu"), "mn")])
        )
        return
    await request.ack()
    images = await asyncio.to_thread(render_chart, data, request.lang)
    caption = request.t(
        "reports.chart_caption",
        first=_month_name(request, data.months[0]),
        last=_month_name(request, data.months[-1]),
    )
    for index, image in enumerate(images):
        await request.context.bot.send_photo(
            _chat_id(request),
            InputFile(image, filename=f"grafik-{index + 1}.png"),
            caption=caption if index == len(images) - 1 else None,
            parse_mode=ParseMode.HTML,
        )


# -- the activity record ------------------------------------------------------------------


def _record_text(request: Request, record: ActivityRecord, note: str | None = None) -> str:
    t, lang = request.t, request.lang
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
            activity=record.activity_name(lang),
            date=format_date(start.date(), lang),
            start=format_time(start.time(), lang),
            end=format_time(end.time(), lang),
            zone=tz_abbreviation(record.timezone, record.starts_at),
            venue=record.venue or "-",
            speaker=record.speaker or "-",
            material=record.material(lang),
            hadir=counts.hadir,
            izin=counts.izin,
            sakit=counts.sakit,
            alfa=counts.alfa,
            unmarked=counts.unmarked,
            roster=counts.roster,
        )
    )
    if record.photo is None:
        lines.append(t("reports.record_photo_no"))
    elif record.photo.latitude is not None:
        lines.append(t("reports.record_photo_located", count=record.photos))
    else:
        lines.append(t("reports.record_photo_yes", count=record.photos))
    words = activity_record.word_count(record.description)
    key = (
        "reports.record_description_edited"
        if record.description_edited
        else "reports.record_description_draft"
    )
    lines += ["", t(key, words=words), t("reports.record_description", text=record.description)]
    return "\n".join(lines)


def _record_keyboard(request: Request, record: ActivityRecord) -> InlineKeyboardMarkup:
    t = request.t
    edit: list[InlineKeyboardButton] = []
    if record.may_edit:
        edit.append(button(t("reports.buttons.edit"), "rre", record.meeting_id))
        if record.description_edited:
            edit.append(button(t("reports.buttons.use_draft"), "rrd", record.meeting_id))
    photo = (
        []
        if record.cancelled
        else [button(t("reports.buttons.send_photo"), "rph", record.meeting_id)]
    )
    if record.photo is not None:
        photo.append(button(t("reports.buttons.see_photo"), "rpv", record.meeting_id))
    back = []
    if record.may_edit:
        month = month_of(record.starts_at, record.timezone)
        back.append(button(t("reports.buttons.back_group"), "rpg", record.group_id, month))
    return rows(
        edit,
        [button(t("reports.buttons.attendance"), "rra", record.meeting_id)],
        photo,
        back,
        [button(t("buttons.menu"), "mn")],
    )


async def _show_record(request: Request, record: ActivityRecord, note: str | None = None) -> None:
    await _send_parts(
        request, split_html(_record_text(request, record, note)), _record_keyboard(request, record)
    )


@action()
async def record_button(request: Request) -> None:
    """A meeting's P2K2 activity record, in the government form's fields."""
    assert request.callback is not None
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.callback.arg(0)
    )
    await _show_record(request, record)


@action(Audience.STAFF)
async def edit_description(request: Request) -> None:
    """Ask for the facilitator's own description; the current one is sent to copy."""
    assert request.callback is not None
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.callback.arg(0)
    )
    if not record.may_edit:
        await request.refuse("errors.not_your_group")
        return
    await request.expect(DESCRIPTION, {"meeting": record.meeting_id})
    await request.show(
        request.t("reports.ask_description", limit=activity_record.MAX_WORDS),
        rows([button(request.t("buttons.cancel"), "x")]),
    )
    await request.say(request.t("reports.record_description", text=record.description))


async def typed_description(request: Request) -> None:
    """The new description (routed from free text): saved, then the record is shown."""
    meeting_id = request.pending.draft.get("meeting")
    if not isinstance(meeting_id, int):
        await request.expect(None)
        await request.refuse("errors.stale_button")
        return
    record = await activity_record.save_description(
        request.data.db, request.actor, meeting_id, request.text, request.data.clock.now()
    )
    await request.expect(None)
    words = activity_record.word_count(record.description)
    await _show_record(request, record, request.t("reports.description_saved", words=words))


@action(Audience.STAFF)
async def use_draft(request: Request) -> None:
    """Go back to the drafted description."""
    assert request.callback is not None
    record = await activity_record.reset_description(
        request.data.db, request.actor, request.callback.arg(0), request.data.clock.now()
    )
    await _show_record(request, record, request.t("reports.description_reset"))


@action()
async def attendance_list(request: Request) -> None:
    """Every member's status at the meeting (identifiers for staff only)."""
    assert request.callback is not None
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.callback.arg(0)
    )
    t = request.t
    start = utc_to_local(record.starts_at, record.timezone)
    lines = [
        t(
            "reports.record_attendance_title",
            group=record.group_name,
            date=format_date(start.date(), request.lang),
        )
    ]
    for number, line in enumerate(record.lines, start=1):
        status = (
            t(f"reports.status_{line.status.value}")
            if line.status is not None
            else t("reports.record_unmarked")
        )
        if line.programme_id:
            lines.append(
                t(
                    "reports.record_attendance_line_id",
                    number=number,
                    name=line.name,
                    pid=line.programme_id,
                    status=status,
                )
            )
        else:
            lines.append(
                t("reports.record_attendance_line", number=number, name=line.name, status=status)
            )
    await request.ack()
    parts = split_html("\n".join(lines))
    back = rows([button(t("reports.buttons.record"), "rr", record.meeting_id)])
    for index, part in enumerate(parts):
        await request.say(part, back if index == len(parts) - 1 else None)


# -- the meeting photo --------------------------------------------------------------------


def _when(request: Request, choice: PhotoChoice) -> str:
    return format_datetime(choice.starts_at, choice.timezone, request.lang)


async def _ask_photo(request: Request, choice: PhotoChoice) -> None:
    await request.expect(PHOTO, {"meeting": choice.meeting_id})
    await request.show(
        request.t("reports.photo_ask", group=choice.group_name, date=_when(request, choice)),
        rows([button(request.t("buttons.cancel"), "x")]),
    )


def _choice_buttons(
    request: Request, choices: list[PhotoChoice], action_name: str
) -> list[list[InlineKeyboardButton]]:
    return column(
        [
            button(
                f"{c.group_name} · {utc_to_local(c.starts_at, c.timezone):%d/%m}",
                action_name,
                c.meeting_id,
            )
            for c in choices
        ],
        1,
    )


@action()
async def photo_start(request: Request) -> None:
    """/foto or a photo button: which meeting (if several), then wait for the photo."""
    now = request.data.clock.now()
    callback = request.callback
    meeting_id = callback.arg_or(0, 0) if callback is not None else 0
    if meeting_id:
        await _ask_photo(
            request,
            await activity_record.photo_target(request.data.db, request.actor, meeting_id, now),
        )
        return
    choices = await activity_record.photo_choices(request.data.db, request.actor, now)
    if not choices:
        await request.show(
            request.t("reports.photo_none"), rows([button(request.t("buttons.menu"), "mn")])
        )
        return
    if len(choices) == 1:
        await _ask_photo(request, choices[0])
        return
    await request.show(
        request.t("reports.photo_pick"),
        rows(*_choice_buttons(request, choices, "rph"), [button(request.t("buttons.cancel"), "x")]),
    )


async def media_received(request: Request) -> bool:
    """A photo or location for the meeting photo (routed from handlers/input.py).

    True when it was ours: a step waiting for it, or a photo a chair or facilitator sent
    out of the blue (they are asked which meeting it belongs to; the photo is kept)."""
    message = request.update.effective_message
    if message is None:
        return False
    step, draft = request.pending.awaiting, request.pending.draft
    if message.location is not None and step == LOCATION:
        photo_id = draft.get("photo")
        if not isinstance(photo_id, int):
            return False
        saved = await activity_record.set_photo_location(
            request.data.db,
            request.actor,
            photo_id,
            message.location.latitude,
            message.location.longitude,
        )
        await request.expect(None)
        await request.say(
            request.t("reports.location_saved"), _after_photo(request, saved.meeting_id)
        )
        return True
    if not message.photo:
        if step == PHOTO:
            await request.say(
                request.t("reports.photo_expected"),
                rows([button(request.t("buttons.cancel"), "x")]),
            )
            return True
        return False
    largest = message.photo[-1]
    if step in (PHOTO, LOCATION) and isinstance(draft.get("meeting"), int):
        await _store_photo(request, int(draft["meeting"]), largest.file_id, largest.file_unique_id)
        return True
    if step is not None or not (request.actor.is_facilitator or request.actor.chair_of):
        return False
    choices = await activity_record.photo_choices(
        request.data.db, request.actor, request.data.clock.now()
    )
    if not choices:
        return False
    await request.expect(PHOTO_PICK, {"file": largest.file_id, "unique": largest.file_unique_id})
    await request.say(
        request.t("reports.photo_which"),
        rows(*_choice_buttons(request, choices, "rpk"), [button(request.t("buttons.cancel"), "x")]),
    )
    return True


async def _store_photo(
    request: Request, meeting_id: int, file_id: str, unique_id: str | None
) -> None:
    saved = await activity_record.add_photo(
        request.data.db, request.actor, meeting_id, file_id, unique_id, request.data.clock.now()
    )
    await request.expect(LOCATION, {"meeting": saved.meeting_id, "photo": saved.photo_id})
    when = format_datetime(saved.starts_at, saved.timezone, request.lang)
    await request.show(
        request.t("reports.photo_saved", group=saved.group_name, date=when),
        rows([button(request.t("reports.buttons.done"), "rpl")]),
    )


def _after_photo(request: Request, meeting_id: int) -> InlineKeyboardMarkup:
    return rows(
        [button(request.t("reports.buttons.record"), "rr", meeting_id)],
        [button(request.t("buttons.menu"), "mn")],
    )


@action()
async def photo_picked(request: Request) -> None:
    """The meeting an unasked-for photo belongs to: store it."""
    assert request.callback is not None
    file_id = request.pending.draft.get("file")
    unique = request.pending.draft.get("unique")
    if request.pending.awaiting != PHOTO_PICK or not isinstance(file_id, str):
        await request.refuse("errors.stale_button")
        return
    await _store_photo(
        request, request.callback.arg(0), file_id, unique if isinstance(unique, str) else None
    )


@action()
async def photo_done(request: Request) -> None:
    """No location: the photo is kept, the step ends."""
    meeting_id = request.pending.draft.get("meeting")
    await request.expect(None)
    markup = (
        _after_photo(request, meeting_id)
        if isinstance(meeting_id, int)
        else rows([button(request.t("buttons.menu"), "mn")])
    )
    await request.show(request.t("reports.photo_done"), markup)


@action()
async def see_photo(request: Request) -> None:
    """Send the meeting's latest photo again (Telegram keeps the file)."""
    assert request.callback is not None
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.callback.arg(0)
    )
    await request.ack()
    if record.photo is None:
        await request.say(request.t("reports.record_photo_no"))
        return
    start = utc_to_local(record.starts_at, record.timezone)
    params = {"group": record.group_name, "date": format_date(start.date(), request.lang)}
    photo = record.photo
    if photo.latitude is not None and photo.longitude is not None:
        caption = request.t(
            "reports.photo_caption_located",
            **params,
            lat=f"{photo.latitude:.6f}",
            lon=f"{photo.longitude:.6f}",
        )
    else:
        caption = request.t("reports.photo_caption", **params)
    await request.context.bot.send_photo(
        _chat_id(request), photo.file_id, caption=caption, parse_mode=ParseMode.HTML
    )


async def typed_while_photo(request: Request) -> None:
    """Text while a photo or its location is awaited: say what is needed, keep the step."""
    if request.pending.awaiting == LOCATION:
        await request.say(
            request.t("reports.photo_saved_hint"),
            rows([button(request.t("reports.buttons.done"), "rpl")]),
        )
        return
    await request.say(
        request.t("reports.photo_expected"), rows([button(request.t("buttons.cancel"), "x")])
    )
