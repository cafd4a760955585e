"""The P2K2 activity record of a meeting: its description and attendance list."""

from __future__ import annotations

from handlers.base import Audience, Request, action
from handlers.reports.common import DESCRIPTION, END_TIME, send_parts
from handlers.steps import text_step
from storage.reports import activity_record
from storage.reports.activity_record import ActivityRecord
from timekeeping.months import month_of
from timekeeping.timefmt import format_date, format_time
from timekeeping.timeparse import utc_to_local
from views.activity_record import description
from views.buttons import (
    ASK_END_TIME,
    ATTENDANCE_LIST,
    EDIT_DESCRIPTION,
    GROUP_BUTTON,
    MENU_CANCEL,
    PHOTO_START,
    RECORD_BUTTON,
    SEE_PHOTO,
    SHOW_MENU,
    USE_DRAFT,
)
from views.keyboards import Key, Keyboard, button, rows
from views.reports import record_text
from views.screen import Screen
from views.split import split_html


def record_keyboard(request: Request, record: ActivityRecord) -> Keyboard:
    t = request.t
    edit: list[Key] = []
    if record.may_edit:
        edit.append(button(t("reports.buttons.edit"), EDIT_DESCRIPTION, record.meeting_id))
        edit.append(button(t("reports.buttons.end_time"), ASK_END_TIME, record.meeting_id))
        if record.description_edited:
            edit.append(button(t("reports.buttons.use_draft"), USE_DRAFT, record.meeting_id))
    photo = (
        []
        if record.cancelled
        else [button(t("reports.buttons.send_photo"), PHOTO_START, record.meeting_id)]
    )
    if record.photo is not None:
        photo.append(button(t("reports.buttons.see_photo"), SEE_PHOTO, record.meeting_id))
    back = []
    if record.may_edit:
        month = month_of(record.starts_at, record.timezone)
        back.append(button(t("reports.buttons.back_group"), GROUP_BUTTON, record.group_id, month))
    return rows(
        edit,
        [button(t("reports.buttons.attendance"), ATTENDANCE_LIST, record.meeting_id)],
        photo,
        back,
        [button(t("buttons.menu"), SHOW_MENU)],
    )


async def show_record(request: Request, record: ActivityRecord, note: str | None = None) -> None:
    await send_parts(
        request, split_html(record_text(request, record, note)), record_keyboard(request, record)
    )


@action()
async def record_button(request: Request) -> None:
    """A meeting's P2K2 activity record, in the government form's fields."""
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.pressed.arg(0)
    )
    await show_record(request, record)


@action(Audience.STAFF)
async def edit_description(request: Request) -> None:
    """Ask for the facilitator's own description; the current one is sent to copy."""
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.pressed.arg(0)
    )
    if not record.may_edit:
        await request.refuse("errors.not_your_group")
        return
    await request.expect(DESCRIPTION, {"meeting": record.meeting_id})
    await request.show(
        Screen(
            request.t("reports.ask_description", limit=activity_record.MAX_WORDS),
            rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
        ),
    )
    text = description(record, request.lang)
    await request.say(Screen(request.t("reports.record_description", text=text)))


async def _meeting_in_draft(request: Request) -> int | None:
    """The meeting a typed step is for; a draft without one is an old step, refused."""
    meeting_id = request.pending.draft.get("meeting")
    if isinstance(meeting_id, int):
        return meeting_id
    await request.expect(None)
    await request.refuse("errors.stale_button")
    return None


@text_step(DESCRIPTION)
async def typed_description(request: Request) -> None:
    """The new description (routed from free text): saved, then the record is shown."""
    meeting_id = await _meeting_in_draft(request)
    if meeting_id is None:
        return
    record = await activity_record.save_description(
        request.data.db, request.actor, meeting_id, request.text, request.data.clock.now()
    )
    await request.expect(None)
    words = activity_record.word_count(description(record, request.lang))
    await show_record(request, record, request.t("reports.description_saved", words=words))


@action(Audience.STAFF)
async def ask_end_time(request: Request) -> None:
    """Ask for the time the meeting really ended (the form's end time)."""
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.pressed.arg(0)
    )
    if not record.may_edit:
        await request.refuse("errors.not_your_group")
        return
    start = utc_to_local(record.starts_at, record.timezone)
    await request.expect(END_TIME, {"meeting": record.meeting_id})
    await request.show(
        Screen(
            request.t(
                "reports.ask_end_time",
                group=record.group_name,
                date=format_date(start.date(), request.lang),
                start=format_time(start.time(), request.lang),
            ),
            rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
        ),
    )


@text_step(END_TIME)
async def typed_end_time(request: Request) -> None:
    """The typed end time: saved and the record shown; a wrong time is asked again."""
    meeting_id = await _meeting_in_draft(request)
    if meeting_id is None:
        return
    record = await activity_record.save_end_time(
        request.data.db, request.actor, meeting_id, request.text, request.data.clock.now()
    )
    await request.expect(None)
    end = format_time(utc_to_local(record.ends_at, record.timezone).time(), request.lang)
    await show_record(request, record, request.t("reports.end_time_saved", end=end))


@action(Audience.STAFF)
async def use_draft(request: Request) -> None:
    """Go back to the drafted description."""
    record = await activity_record.reset_description(
        request.data.db, request.actor, request.pressed.arg(0), request.data.clock.now()
    )
    await show_record(request, record, request.t("reports.description_reset"))


@action()
async def attendance_list(request: Request) -> None:
    """Every member's status at the meeting (identifiers for staff only)."""
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.pressed.arg(0)
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
    back = rows([button(t("reports.buttons.record"), RECORD_BUTTON, record.meeting_id)])
    for index, part in enumerate(parts):
        await request.say(Screen(part, back if index == len(parts) - 1 else None))
