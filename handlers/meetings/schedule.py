"""/jadwal: the coming meetings, one meeting's card, rescheduling and cancelling."""

from __future__ import annotations

from content.session_render import session_label
from handlers.base import Audience, Request, action
from handlers.meetings.common import DATE_STEP, Draft
from handlers.meetings.flow import ask_date
from storage import access, meetings
from storage.meetings import MeetingView
from timekeeping.timefmt import format_day_button
from timekeeping.timeparse import (
    utc_to_local,
)
from views import meetings as render
from views.buttons import (
    ASK_CANCEL,
    MEETINGS_CANCEL,
    NEW_MEETING,
    SHOW_MEETING,
    SHOW_MENU,
    SHOW_SCHEDULE,
    START_RESCHEDULE,
)
from views.keyboards import Keyboard, button, column, rows
from views.screen import Screen

# -- the schedule, one meeting, moving and cancelling ---------------------------------------------


@action(private_only=False)
async def show_schedule(request: Request) -> None:
    """/jadwal: in a group chat that group's next meeting; privately, one's own meetings."""
    data, now = request.data, request.data.clock.now()
    if not request.is_private:
        chat = request.update.effective_chat
        assert chat is not None
        group, view = await meetings.next_for_chat(data.db, chat.id, now)
        if group is None:
            await request.say(Screen(request.t("meetings.chat_not_bound")))
        elif view is None:
            await request.say(Screen(request.t("meetings.chat_none", group=group.name)))
        else:
            await request.say(
                Screen(request.t("meetings.next_title") + "\n" + render.card(view, request.lang))
            )
        return
    found = await meetings.upcoming(data.db, request.actor, now)
    menu_row = [button(request.t("buttons.menu"), SHOW_MENU)]
    if access.may(request.actor, access.Duty.STAFF):
        if not found:
            schedule_row = (
                [button(request.t("buttons.schedule"), NEW_MEETING)]
                if access.may(request.actor, access.Duty.FACILITATE)
                else []
            )
            await request.show(
                Screen(request.t("meetings.upcoming_none_staff"), rows(schedule_row, menu_row))
            )
            return
        buttons = [button(_meeting_label(request, v), SHOW_MEETING, v.id) for v in found]
        await request.show(
            Screen(
                request.t("meetings.upcoming_staff", count=len(found)),
                rows(*column(buttons, 1), menu_row),
            ),
        )
        return
    if not found:
        await request.show(Screen(request.t("meetings.upcoming_none"), rows(menu_row)))
        return
    parts = [request.t("meetings.next_title")] + [render.card(v, request.lang) for v in found]
    await request.show(Screen("\n\n".join(parts), rows(menu_row)))


def _meeting_label(request: Request, view: MeetingView) -> str:
    local = utc_to_local(view.starts_at, view.timezone)
    day = format_day_button(local.date(), request.lang)
    session = session_label(view.session_number, request.lang)
    return f"{day} {local:%H.%M} · {view.group_name} · {session}"


def _meeting_markup(request: Request, view: MeetingView) -> Keyboard:
    t_ = request.t
    back = [button(t_("buttons.meetings"), SHOW_SCHEDULE)]
    if view.cancelled or view.starts_at <= request.data.clock.now():
        return rows(back)
    return rows(
        [button(t_("buttons.reschedule"), START_RESCHEDULE, view.id)],
        [button(t_("buttons.cancel_meeting"), ASK_CANCEL, view.id)],
        back,
    )


@action(Audience.STAFF)
async def show_meeting(request: Request) -> None:
    """One meeting with its RSVP counts, and what can be done with it."""
    detail = await meetings.meeting_detail(request.data.db, request.actor, request.pressed.arg(0))
    counts = request.t(
        "meetings.counts", coming=detail.counts.coming, not_coming=detail.counts.not_coming
    )
    await request.show(
        Screen(
            f"{render.card(detail.meeting, request.lang)}\n{counts}",
            _meeting_markup(request, detail.meeting),
        ),
    )


@action(Audience.FACILITATOR)
async def start_reschedule(request: Request) -> None:
    """Move a meeting: the same date, time and venue steps, then save as a new revision."""
    detail = await meetings.meeting_detail(request.data.db, request.actor, request.pressed.arg(0))
    view = detail.meeting
    if view.cancelled:
        await request.refuse("meetings.errors.already_cancelled")
        return
    if view.starts_at <= request.data.clock.now():
        await request.refuse("meetings.errors.already_started")
        return
    draft: Draft = {
        "meeting": view.id,
        "group": view.group_id,
        "gname": view.group_name,
        "tz": view.timezone,
        "usual": view.venue,
        "session": view.session_number,
    }
    await request.expect(DATE_STEP, draft)
    await ask_date(request, draft)


@action(Audience.FACILITATOR)
async def ask_cancel(request: Request) -> None:
    """Ask before cancelling: members will be told."""
    detail = await meetings.meeting_detail(request.data.db, request.actor, request.pressed.arg(0))
    view = detail.meeting
    await request.show(
        Screen(
            request.t("meetings.cancel_confirm", card=render.card(view, request.lang)),
            rows(
                [button(request.t("buttons.cancel_yes"), MEETINGS_CANCEL, view.id)],
                [button(request.t("buttons.keep_meeting"), SHOW_MEETING, view.id)],
            ),
        ),
    )


@action(Audience.FACILITATOR)
async def cancel(request: Request) -> None:
    """Cancel the meeting: its reminders are dropped and members are told."""
    data = request.data
    view = await meetings.cancel_meeting(
        data.db, request.actor, request.pressed.arg(0), data.clock.now()
    )
    await request.show(
        Screen(
            request.t("meetings.cancelled", card=render.card(view, request.lang)),
            rows(
                [button(request.t("buttons.meetings"), SHOW_SCHEDULE)],
                [button(request.t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )
