"""/daftar_hadir (alias /absen): the chair's (or facilitator's) roll call; members' "Saya hadir".

One tap per member cycles Hadir -> Izin -> Sakit -> Alfa; each button carries the status it
sets (not "next"), so two people tapping from different screens end with the last tap."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from content.session_render import session_label
from handlers.base import Request, action, on_button
from handlers.context import BotContext
from storage import access, attendance
from storage.attendance import (
    STATUS_CODES,
    CheckIn,
    RollCallView,
    next_status,
    status_of_code,
)
from storage.models.attendance import AttendanceSource, AttendanceStatus
from timekeeping.timefmt import format_datetime, time_until
from views.buttons import (
    ALL_PRESENT,
    ATTENDANCE_SAVE,
    CHECKIN,
    CHECKIN_OFFER,
    OPEN_GROUP,
    ROLL_CALL,
    ROLL_CALL_TAP,
    SAVE_AS_ALFA,
    SHOW_HISTORY,
    SHOW_MENU,
    SHOW_PAGE,
)
from views.keyboards import Key, button, column, page_slice, rows
from views.screen import Screen

PAGE = 10
HISTORY_SHOWN = 30


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:

    return [
        # "Absen" reads as "absent" in standard Indonesian: the command is /daftar_hadir;
        # /absen stays as an alias for people who learned it.
        CommandHandler(["daftar_hadir", "absen"], absen),
        on_button(ROLL_CALL, absen),
        on_button(OPEN_GROUP, open_group),
        on_button(SHOW_PAGE, show_page),
        on_button(ROLL_CALL_TAP, tap),
        on_button(ALL_PRESENT, all_present),
        on_button(ATTENDANCE_SAVE, save),
        on_button(SAVE_AS_ALFA, save_as_alfa),
        on_button(SHOW_HISTORY, show_history),
        on_button(CHECKIN_OFFER, checkin_offer),
        on_button(CHECKIN, checkin),
    ]


def badge(request: Request, status: AttendanceStatus | None) -> str:
    return request.t(f"attendance.badge.{status.value if status else 'none'}")


def roll_call_screen(
    request: Request, view: RollCallView, page: int, note: str | None = None
) -> Screen:
    t, meeting = request.t, view.meeting
    page, start, end = page_slice(len(view.lines), page, PAGE)
    pages = max(1, -(-len(view.lines) // PAGE))
    parts = [note] if note else []
    parts.append(
        t(
            "attendance.title",
            group=meeting.group_name,
            when=format_datetime(meeting.starts_at, meeting.timezone, request.lang),
            session=session_label(meeting.session_number, request.lang),
        )
    )
    parts.append(
        t(
            "attendance.counts",
            hadir=view.count(AttendanceStatus.HADIR),
            izin=view.count(AttendanceStatus.IZIN),
            sakit=view.count(AttendanceStatus.SAKIT),
            alfa=view.count(AttendanceStatus.ALFA),
            none=view.unmarked,
        )
    )
    if view.saved_at is not None:
        parts.append(
            t(
                "attendance.saved_at",
                when=format_datetime(view.saved_at, meeting.timezone, request.lang),
            )
        )
    mid = meeting.id
    keyboard: list[list[Key]] = []
    if view.locked:
        parts.append(t("attendance.locked_note"))
        # Names are the roster's text: escaped, or a name like "</pre>" breaks the message.
        lines = [
            f"{badge(request, line.status)} {html.escape(line.name, quote=False)}"
            for line in view.lines[start:end]
        ]
        parts.append("\n".join(lines))
    else:
        parts.append(t("attendance.how_to", page=page + 1, pages=pages))
        for line in view.lines[start:end]:
            self_mark = (
                " " + t("attendance.self_mark") if line.source is AttendanceSource.SELF else ""
            )
            code = STATUS_CODES[next_status(line.status)]
            keyboard.append(
                [
                    button(
                        f"{badge(request, line.status)} {line.name}{self_mark}",
                        ROLL_CALL_TAP,
                        mid,
                        line.member_id,
                        code,
                        page,
                    )
                ]
            )
    callable_lines = [line for line in view.lines[start:end] if line.phone]
    if callable_lines:
        parts.append(
            t("attendance.call_title")
            + "\n"
            + "\n".join(
                t("attendance.call_line", name=line.name, phone=line.phone)
                for line in callable_lines
            )
        )
    paging = []
    if start > 0:
        paging.append(button(f"◀️ {page}/{pages}", SHOW_PAGE, mid, page - 1))
    if end < len(view.lines):
        paging.append(button(f"{page + 2}/{pages} ▶️", SHOW_PAGE, mid, page + 1))
    keyboard.append(paging)
    if not view.locked:
        if view.unmarked:
            keyboard.append([button(t("attendance.buttons.all_present"), ALL_PRESENT, mid, page)])
        keyboard.append([button(t("attendance.buttons.save"), ATTENDANCE_SAVE, mid)])
    keyboard.append(
        [
            button(t("attendance.buttons.history"), SHOW_HISTORY, mid),
            button(t("buttons.menu"), SHOW_MENU),
        ]
    )
    return Screen("\n\n".join(parts), rows(*keyboard))


@action()
async def absen(request: Request) -> None:
    """Chairs and staff: pick the group and take its roll call; members: check in."""
    actor, data = request.actor, request.data
    if not (access.may(actor, access.Duty.STAFF) or actor.is_chair):
        await _offer_checkin(request)
        return
    choices = await attendance.roll_call_choices(data.db, actor, data.clock.now())
    if not choices:
        await request.show(
            Screen(
                request.t("attendance.no_groups"),
                rows([button(request.t("buttons.menu"), SHOW_MENU)]),
            )
        )
        return
    ready = [c for c in choices if c.meeting is not None]
    if len(choices) == 1 or (len(ready) == 1 and not access.may(actor, access.Duty.STAFF)):
        await _open(request, (ready or choices)[0].group_id)
        return
    buttons = [
        button(
            c.group_name
            if c.meeting
            else f"{c.group_name} {request.t('attendance.no_meeting_mark')}",
            OPEN_GROUP,
            c.group_id,
        )
        for c in choices
    ]
    await request.show(
        Screen(
            request.t("attendance.pick_group"),
            rows(*column(buttons, 1), [button(request.t("buttons.menu"), SHOW_MENU)]),
        ),
    )


async def _open(request: Request, group_id: int) -> None:
    view = await attendance.open_roll_call(
        request.data.db, request.actor, group_id, request.data.clock.now()
    )
    await request.show(roll_call_screen(request, view, 0))


@action()
async def open_group(request: Request) -> None:
    """The roll call of the chosen group's current meeting."""
    await _open(request, request.pressed["group"])


@action()
async def show_page(request: Request) -> None:
    """Another page of the roll call, fresh from the database."""
    view = await attendance.roll_call(request.data.db, request.actor, request.pressed["meeting"])
    await request.show(roll_call_screen(request, view, request.pressed.get("page", 0)))


@action()
async def tap(request: Request) -> None:
    """One member's status, stored at once; the page is redrawn with everyone's latest."""
    callback = request.pressed
    view = await attendance.set_status(
        request.data.db,
        request.actor,
        callback["meeting"],
        callback["member"],
        status_of_code(callback["status"]),
        request.data.clock.now(),
    )
    await request.show(roll_call_screen(request, view, callback.get("page", 0)))


@action()
async def all_present(request: Request) -> None:
    """Everyone not marked yet becomes Hadir; lines someone already marked stay as they are."""
    callback = request.pressed
    view, changed = await attendance.mark_unmarked(
        request.data.db,
        request.actor,
        callback["meeting"],
        AttendanceStatus.HADIR,
        request.data.clock.now(),
    )
    note = request.t("attendance.marked_all", count=changed)
    await request.show(roll_call_screen(request, view, callback.get("page", 0), note))


@action()
async def save(request: Request) -> None:
    """Save; if some lines are unmarked, ask first whether they are Alfa."""
    callback = request.pressed
    view = await attendance.roll_call(request.data.db, request.actor, callback["meeting"])
    if view.unmarked:
        await request.show(
            Screen(
                request.t("attendance.confirm_alfa", count=view.unmarked),
                rows(
                    [
                        button(
                            request.t("attendance.buttons.save_alfa"), SAVE_AS_ALFA, view.meeting.id
                        )
                    ],
                    [
                        button(
                            request.t("attendance.buttons.back_to_list"),
                            SHOW_PAGE,
                            view.meeting.id,
                            0,
                        )
                    ],
                ),
            ),
        )
        return
    await _save(request, callback["meeting"], unmarked_as_alfa=False)


@action()
async def save_as_alfa(request: Request) -> None:
    """Save, recording the members nobody marked as Alfa."""
    await _save(request, request.pressed["meeting"], unmarked_as_alfa=True)


async def _save(request: Request, meeting_id: int, *, unmarked_as_alfa: bool) -> None:
    view = await attendance.save_roll_call(
        request.data.db,
        request.actor,
        meeting_id,
        request.data.clock.now(),
        unmarked_as_alfa=unmarked_as_alfa,
    )
    note = request.t("attendance.saved") + "\n" + request.t("attendance.saved_hint")
    await request.show(roll_call_screen(request, view, 0, note))


@action()
async def show_history(request: Request) -> None:
    """Who changed which line and when (the latest changes)."""
    meeting_id = request.pressed["group"]
    view = await attendance.roll_call(request.data.db, request.actor, meeting_id)
    changes = await attendance.history(request.data.db, request.actor, meeting_id)
    t, tz = request.t, view.meeting.timezone
    lines = [t("attendance.history_title", group=view.meeting.group_name)]
    for change in changes[-HISTORY_SHOWN:]:
        lines.append(
            t(
                "attendance.history_line",
                when=format_datetime(change.changed_at, tz, request.lang),
                member=change.member_name,
                old=badge(request, change.old_status),
                new=badge(request, change.new_status),
                who=change.changed_by or t("attendance.someone"),
            )
        )
    if not changes:
        lines.append(t("attendance.history_empty"))
    await request.show(
        Screen(
            "\n".join(lines),
            rows([button(t("attendance.buttons.back_to_list"), SHOW_PAGE, meeting_id, 0)]),
        ),
    )


@action()
async def checkin_offer(request: Request) -> None:
    """A member's "Saya hadir": offered only while a meeting of her group is on."""
    await _offer_checkin(request)


def _checkin_key(meeting: attendance.MeetingRef, now: datetime) -> str:
    if now < meeting.starts_at:
        return "attendance.checkin_ask_soon"
    if now > meeting.starts_at + timedelta(minutes=meeting.duration_minutes):
        return "attendance.checkin_ask_after"
    return "attendance.checkin_ask"


async def _offer_checkin(request: Request) -> None:
    meetings = await attendance.checkin_meetings(
        request.data.db, request.actor, request.data.clock.now()
    )
    menu = [button(request.t("buttons.menu"), SHOW_MENU)]
    if not meetings:
        await request.show(Screen(request.t("attendance.checkin_none"), rows(menu)))
        return
    now = request.data.clock.now()
    # Check-in opens before the start and closes after the end: "sedang berlangsung" is said
    # only while the meeting's own time runs.
    parts = [
        request.t(
            _checkin_key(m, now),
            group=m.group_name,
            when=format_datetime(m.starts_at, m.timezone, request.lang),
            relative=time_until(m.starts_at, now, m.timezone, request.lang),
        )
        for m in meetings
    ]
    buttons = [
        button(
            request.t("attendance.buttons.checkin")
            + (f" · {m.group_name}" if len(meetings) > 1 else ""),
            CHECKIN,
            m.id,
        )
        for m in meetings
    ]
    await request.show(Screen("\n\n".join(parts), rows(*column(buttons, 1), menu)))


@action()
async def checkin(request: Request) -> None:
    """Record the member herself as Hadir, unless the chair already recorded her."""
    result = await attendance.check_in(
        request.data.db, request.actor, request.pressed["meeting"], request.data.clock.now()
    )
    await request.show(
        Screen(_checkin_text(request, result), rows([button(request.t("buttons.menu"), SHOW_MENU)]))
    )


def _checkin_text(request: Request, result: CheckIn) -> str:
    group = result.meeting.group_name
    if not result.already:
        return request.t("attendance.checkin_done", group=group)
    if result.by_self:
        return request.t("attendance.checkin_again", group=group)
    status = request.t(f"attendance.status.{result.status.value}")
    return request.t("attendance.checkin_already", status=status)
