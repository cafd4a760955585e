"""Scheduling a meeting with buttons: group, session, date, time, venue, confirm and save."""

from __future__ import annotations

from datetime import date, time, timedelta

from content.session_render import session_button, session_label
from content.sessions import CORE_SESSION_COUNT, load_sessions
from handlers.base import Audience, Request, action
from handlers.meetings.common import (
    CONFIRM_STEP,
    DATE_STEP,
    DAYS_OFFERED,
    SESSION_STEP,
    TIME_CHOICES,
    TIME_STEP,
    VENUE_STEP,
    Draft,
    cancel_button,
    current_draft,
    draft_day,
    draft_starts_at,
    example_date,
    holiday_warning,
    holidays_of,
    local_today,
    session_title,
)
from handlers.steps import text_step
from storage import groups, meetings
from storage.errors import UseCaseError
from storage.meetings import MeetingView
from storage.meetings.errors import TimePast
from timekeeping.timefmt import format_date, format_datetime, format_day_button
from timekeeping.timeparse import (
    DateInputError,
    TimeInputError,
    parse_date,
    parse_time,
    utc_to_local,
)
from views import meetings as render
from views.buttons import (
    BACK_TO_DATE,
    DATE_PICKED,
    GROUP_PICKED,
    MEETINGS_SAVE,
    MEETINGS_TIME_PICKED,
    MEETINGS_USUAL_VENUE,
    NEW_GROUP,
    NEW_MEETING,
    SESSION_LIST,
    SESSION_PICKED,
    SHOW_MENU,
    SHOW_SCHEDULE,
    START_RESCHEDULE,
)
from views.keyboards import Keyboard, button, column, rows
from views.screen import Screen

LAST_TODAY = time(21, 0)  # after this, today is no longer offered as a meeting day

# -- step 1: the group --------------------------------------------------------------------------


@action(Audience.FACILITATOR)
async def new_meeting(request: Request) -> None:
    """Start scheduling: the facilitator's groups as buttons (straight on when there is one)."""
    await start_new_meeting(request)


async def start_new_meeting(request: Request) -> None:
    own = await groups.list_groups(request.data.db, request.actor)
    if not own:
        await request.show(
            Screen(
                request.t("meetings.no_groups"),
                rows([button(request.t("buttons.new_group"), NEW_GROUP)], [cancel_button(request)]),
            ),
        )
        return
    if len(own) == 1:
        await _start_group(request, own[0].id)
        return
    buttons = [button(f"{g.name} ({g.code})", GROUP_PICKED, g.id) for g in own]
    await request.show(
        Screen(
            request.t("meetings.pick_group"), rows(*column(buttons, 1), [cancel_button(request)])
        )
    )


@action(Audience.FACILITATOR)
async def group_picked(request: Request) -> None:
    """The group is chosen: propose the next session in order."""
    await _start_group(request, request.pressed.arg(0))


async def _start_group(request: Request, group_id: int) -> None:
    start = await meetings.start_scheduling(request.data.db, request.actor, group_id)
    group = start.group
    draft: Draft = {
        "group": group.id,
        "gname": group.name,
        "tz": group.timezone,
        "usual": group.venue,
        "session": start.proposed_session,
    }
    await request.expect(SESSION_STEP, draft)
    number = start.proposed_session
    await request.show(
        Screen(
            request.t(
                "meetings.pick_session",
                group=group.name,
                session=session_label(number, request.lang),
                title=session_title(request, number),
            ),
            rows(
                [button(f"✅ {number}. {session_title(request, number)}", SESSION_PICKED, number)],
                [button(request.t("buttons.other_session"), SESSION_LIST)],
                [cancel_button(request)],
            ),
        ),
    )


# -- step 2: the session ------------------------------------------------------------------------


@action(Audience.FACILITATOR)
async def session_list(request: Request) -> None:
    """Every session (14 core and the optional one) as buttons."""
    draft = current_draft(request, SESSION_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    await _show_sessions(request, draft)


async def _show_sessions(request: Request, draft: Draft, error: str | None = None) -> None:
    sessions = load_sessions(request.lang)
    buttons = [button(session_button(s), SESSION_PICKED, s.number) for s in sessions]
    text = request.t("meetings.session_list", group=draft["gname"], last=CORE_SESSION_COUNT)
    await _answer(request, text, rows(*column(buttons, 1), [cancel_button(request)]), error)


@action(Audience.FACILITATOR)
async def session_picked(request: Request) -> None:
    """A session button: go on to the date."""
    draft = current_draft(request, SESSION_STEP)
    number = request.pressed.arg(0)
    # Our buttons carry real session numbers; any other number is forged or stale.
    if draft is None or number not in meetings.session_numbers():
        await request.refuse("errors.stale_button")
        return
    await _choose_session(request, draft, number)


@text_step(SESSION_STEP)
async def typed_session(request: Request) -> None:
    """A session number typed instead of tapped."""
    draft = dict(request.pending.draft)
    text = request.text.strip()
    number = int(text) if text.isdigit() else -1
    # Typed numbers are the 14 numbered sessions; the stunting material (numbered 15 only
    # inside the bot) is chosen with its ➕ button.
    if not 1 <= number <= CORE_SESSION_COUNT:
        await _show_sessions(
            request, draft, request.t("meetings.errors.no_session", last=CORE_SESSION_COUNT)
        )
        return
    await _choose_session(request, draft, number)


async def _choose_session(request: Request, draft: Draft, number: int) -> None:
    draft["session"] = number
    await request.expect(DATE_STEP, draft)
    await ask_date(request, draft)


# -- step 3: the date ---------------------------------------------------------------------------


async def _answer(request: Request, text: str, markup: Keyboard, error: str | None) -> None:
    """Ask the step's question; after a typed mistake, say what was wrong first."""
    if error is not None:
        await request.ack()  # a pressed button's spinner stops even when we answer anew
        await request.say(Screen(f"{error}\n\n{text}", markup))
    else:
        await request.show(Screen(text, markup))


async def ask_date(request: Request, draft: Draft, error: str | None = None) -> None:
    now = utc_to_local(request.data.clock.now(), str(draft["tz"]))
    today = now.date()
    # Today too, for a meeting later today, while there is still some of the day left.
    first = 0 if now.time() < LAST_TODAY else 1
    days = [today + timedelta(days=n) for n in range(first, DAYS_OFFERED + 1)]
    holidays = await holidays_of(days, request.lang)
    buttons = [
        button(
            ("🔴 " if d in holidays else "")
            + (
                request.t("recurring.today_button", day=format_day_button(d, request.lang))
                if d == today
                else format_day_button(d, request.lang)
            ),
            DATE_PICKED,
            int(d.strftime("%Y%m%d")),
        )
        for d in days
    ]
    session = session_label(int(draft["session"]), request.lang)
    text = request.t(
        "meetings.ask_date",
        group=draft["gname"],
        session=session,
        example=await example_date(request, str(draft["tz"])),
        holidays=request.t("meetings.holidays_marked") if holidays else "",
    )
    await _answer(request, text, rows(*column(buttons, 3), [cancel_button(request)]), error)


@action(Audience.FACILITATOR)
async def date_picked(request: Request) -> None:
    """A day button: check it and ask the time."""
    draft = current_draft(request, DATE_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    raw = str(request.pressed.arg(0))
    try:
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        meetings.check_date(day, str(draft["tz"]), request.data.clock.now())
    except (ValueError, UseCaseError):
        # An old day button, from a message shown days ago: show today's choices.
        await ask_date(request, draft)
        return
    await _set_date(request, draft, day)


@text_step(DATE_STEP)
async def typed_date(request: Request) -> None:
    """A date typed as 12/01/2027, 12-01-2027, 12/1 or "besok"."""
    draft = dict(request.pending.draft)
    try:
        day = parse_date(request.text, local_today(request, str(draft["tz"])))
        meetings.check_date(day, str(draft["tz"]), request.data.clock.now())
    except DateInputError as exc:
        example = await example_date(request, str(draft["tz"]))
        await ask_date(
            request, draft, request.t(f"meetings.errors.date_{exc.code}", example=example)
        )
        return
    except UseCaseError as exc:
        await ask_date(request, draft, request.refusal(exc))
        return
    await _set_date(request, draft, day)


async def _set_date(request: Request, draft: Draft, day: date) -> None:
    draft["date"] = day.isoformat()
    await request.expect(TIME_STEP, draft)
    await _ask_time(request, draft)


@action(Audience.FACILITATOR)
async def back_to_date(request: Request) -> None:
    """From the confirmation, choose the date again (the rest is kept)."""
    draft = current_draft(request, TIME_STEP, VENUE_STEP, CONFIRM_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    await request.expect(DATE_STEP, draft)
    await ask_date(request, draft)


# -- step 4: the time ---------------------------------------------------------------------------


async def _ask_time(request: Request, draft: Draft, error: str | None = None) -> None:
    sep = "." if request.lang != "en" else ":"
    buttons = [
        button(f"{h:02d}{sep}{m:02d}", MEETINGS_TIME_PICKED, h * 100 + m) for h, m in TIME_CHOICES
    ]
    text = request.t("meetings.ask_time", date=format_date(draft_day(draft), request.lang))
    holiday = (await holidays_of([draft_day(draft)], request.lang)).get(draft_day(draft))
    if holiday is not None:  # a one-off meeting on a holiday: say so before going on
        text = holiday_warning(request, holiday) + "\n\n" + text
    markup = rows(
        *column(buttons, 3),
        [button(request.t("buttons.change_date"), BACK_TO_DATE)],
        [cancel_button(request)],
    )
    await _answer(request, text, markup, error)


@action(Audience.FACILITATOR)
async def time_picked(request: Request) -> None:
    """A time button: check it is still ahead, then ask the venue."""
    draft = current_draft(request, TIME_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    hour, minute = divmod(request.pressed.arg(0), 100)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        await request.refuse("errors.stale_button")
        return
    await _set_time(request, draft, time(hour, minute), typed=False)


@text_step(TIME_STEP)
async def typed_time(request: Request) -> None:
    """A time typed as 09:00, 09.00 or 9."""
    draft = dict(request.pending.draft)
    try:
        at = parse_time(request.text)
    except TimeInputError as exc:
        await _ask_time(request, draft, request.t(f"meetings.errors.time_{exc.code}"))
        return
    await _set_time(request, draft, at, typed=True)


async def _set_time(request: Request, draft: Draft, at: time, typed: bool) -> None:
    try:
        meetings.starts_at_of(draft_day(draft), at, str(draft["tz"]), request.data.clock.now())
    except UseCaseError as exc:
        if typed:
            await _ask_time(request, draft, request.refusal(exc))
        else:
            await request.refuse_error(exc)
        return
    draft["time"] = at.strftime("%H:%M")
    await request.expect(VENUE_STEP, draft)
    await _ask_venue(request, draft)


# -- step 5: the venue --------------------------------------------------------------------------


async def _ask_venue(request: Request, draft: Draft, error: str | None = None) -> None:
    when = format_datetime(draft_starts_at(draft), str(draft["tz"]), request.lang)
    usual = draft.get("usual")
    key = "meetings.ask_venue_usual" if usual else "meetings.ask_venue"
    usual_row = (
        [button(request.t("buttons.use_venue", venue=str(usual)), MEETINGS_USUAL_VENUE)]
        if usual
        else []
    )
    markup = rows(
        usual_row,
        [button(request.t("buttons.change_date"), BACK_TO_DATE)],
        [cancel_button(request)],
    )
    await _answer(request, request.t(key, when=when), markup, error)


@action(Audience.FACILITATOR)
async def usual_venue(request: Request) -> None:
    """Take the group's usual place (or the meeting's current one when moving it)."""
    draft = current_draft(request, VENUE_STEP)
    if draft is None or not draft.get("usual"):
        await request.refuse("errors.stale_button")
        return
    await _set_venue(request, draft, str(draft["usual"]))


@text_step(VENUE_STEP)
async def typed_venue(request: Request) -> None:
    """A place typed by the facilitator (at most 300 characters)."""
    draft = dict(request.pending.draft)
    try:
        venue = meetings.clean_venue(request.text)
    except UseCaseError as exc:
        await _ask_venue(request, draft, request.refusal(exc))
        return
    await _set_venue(request, draft, venue)


async def _set_venue(request: Request, draft: Draft, venue: str | None) -> None:
    draft["venue"] = venue
    await request.expect(CONFIRM_STEP, draft)
    await show_confirmation(request, draft)


# -- confirm and save ---------------------------------------------------------------------------


async def show_confirmation(
    request: Request,
    draft: Draft,
    error: str | None = None,
    *,
    same_day: list[MeetingView] | None = None,
) -> None:
    """The draft to confirm, with its warnings (`same_day` when the caller has read it)."""
    starts_at = draft_starts_at(draft)
    tz = str(draft["tz"])
    if same_day is None:
        same_day = await meetings.same_day_meetings(
            request.data.db,
            request.actor,
            int(draft["group"]),
            starts_at,
            exclude=draft.get("meeting"),
        )
    key = "meetings.confirm_reschedule" if draft.get("meeting") else "meetings.confirm"
    number = int(draft["session"])
    text = request.t(
        key,
        group=draft["gname"],
        session=session_label(number, request.lang),
        title=session_title(request, number),
        when=format_datetime(starts_at, tz, request.lang),
        venue=draft.get("venue") or request.t("meetings.venue_unknown"),
    )
    save_key = "buttons.save"
    holiday = (await holidays_of([draft_day(draft)], request.lang)).get(draft_day(draft))
    if holiday is not None:
        text += "\n\n" + holiday_warning(request, holiday)
        save_key = "buttons.save_anyway"
    if same_day:
        other = format_datetime(same_day[0].starts_at, tz, request.lang)
        text += "\n\n" + request.t("meetings.same_day_warning", when=other)
        save_key = "buttons.save_anyway"
    markup = rows(
        [button(request.t(save_key), MEETINGS_SAVE)],
        [button(request.t("buttons.change_date"), BACK_TO_DATE)],
        [cancel_button(request)],
    )
    await _answer(request, text, markup, error)


@text_step(CONFIRM_STEP)
async def typed_at_confirm(request: Request) -> None:
    """Text while the confirmation waits: keep the draft and point at the buttons."""
    await show_confirmation(
        request, dict(request.pending.draft), request.t("meetings.confirm_hint")
    )


@action(Audience.FACILITATOR)
async def save(request: Request) -> None:
    """Save the meeting (or the new time of a moved one) and plan its reminders."""
    draft = current_draft(request, CONFIRM_STEP)
    if draft is None or "time" not in draft:
        await request.refuse("errors.stale_button")
        return
    await save_draft(request, draft)


async def save_draft(request: Request, draft: Draft) -> None:
    data = request.data
    now, offsets = data.clock.now(), data.settings.reminder_offsets
    try:
        if draft.get("meeting"):
            view = await meetings.reschedule_meeting(
                data.db,
                request.actor,
                int(draft["meeting"]),
                starts_at=draft_starts_at(draft),
                venue=draft.get("venue"),
                now=now,
                offsets=offsets,
            )
            key = "meetings.rescheduled"
        else:
            view = await meetings.schedule_meeting(
                data.db,
                request.actor,
                group_id=int(draft["group"]),
                session_number=int(draft["session"]),
                starts_at=draft_starts_at(draft),
                venue=draft.get("venue"),
                now=now,
                offsets=offsets,
            )
            key = "meetings.saved"
    except TimePast as exc:
        # The chosen time passed while the confirmation waited: ask the date again.
        await request.expect(DATE_STEP, draft)
        await ask_date(request, draft, request.refusal(exc))
        return
    await show_saved(request, view, key)


async def show_saved(request: Request, view: MeetingView, key: str) -> None:
    """The saved (or moved) meeting's card; the scheduling steps are over."""
    await request.expect(None)
    text = request.t(key, card=render.card(view, request.lang))
    if view.chat_id is None:
        text += "\n\n" + request.t("meetings.saved_no_chat")
    await request.show(Screen(text, _saved_markup(request, view)))


def _saved_markup(request: Request, view: MeetingView) -> Keyboard:
    t_ = request.t
    return rows(
        [button(t_("buttons.reschedule"), START_RESCHEDULE, view.id)],
        [
            button(t_("buttons.schedule_another"), NEW_MEETING),
            button(t_("buttons.meetings"), SHOW_SCHEDULE),
        ],
        [button(t_("buttons.menu"), SHOW_MENU)],
    )
