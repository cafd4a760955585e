"""Meetings: schedule one step by step or in one line, see the schedule, move or cancel it,
answer "will you come?", and the quiz answers after the meeting.

The scheduling steps keep everything entered so far in the person's draft (in the database),
so a wrong date or a restart loses nothing:
group -> session -> date -> time -> venue -> confirm -> save."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, PollAnswerHandler

from bot.callbacks import unpack
from bot.context import BotContext
from bot.keyboards import button, column, rows
from bot.outbox import meetings as render
from bot.timefmt import format_date, format_datetime, format_day_button
from content.sessions import get_session, load_sessions
from content.texts import t
from handlers.base import Audience, Request, action, alert
from scheduler.timeparse import (
    DateInputError,
    TimeInputError,
    local_to_utc,
    parse_date,
    parse_time,
    utc_to_local,
)
from storage import groups, meetings
from storage.actors import TelegramUser
from storage.errors import UseCaseError
from storage.meetings import MeetingView
from storage.people import telegram_language

log = logging.getLogger(__name__)

SESSION_STEP = "meet_session"
DATE_STEP = "meet_date"
TIME_STEP = "meet_time"
VENUE_STEP = "meet_venue"
CONFIRM_STEP = "meet_confirm"
STEPS = (SESSION_STEP, DATE_STEP, TIME_STEP, VENUE_STEP, CONFIRM_STEP)
TIME_CHOICES = ((8, 0), (9, 0), (10, 0), (13, 0), (14, 0), (15, 0))
DAYS_OFFERED = 14

Draft = dict[str, Any]


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    def on(action_: str, callback: Any) -> CallbackQueryHandler[BotContext, None]:
        return CallbackQueryHandler(callback, pattern=rf"^{action_}(:|$)")

    return [
        CommandHandler("jadwalkan", schedule_command),
        CommandHandler("jadwal", show_schedule),
        on("wn", new_meeting),
        on("wg", group_picked),
        on("wl", session_list),
        on("ws", session_picked),
        on("wd", date_picked),
        on("wb", back_to_date),
        on("wt", time_picked),
        on("wv", usual_venue),
        on("wok", save),
        on("wj", show_schedule),
        on("wm", show_meeting),
        on("wr", start_reschedule),
        on("wc", ask_cancel),
        on("wcy", cancel),
        on(render.RSVP_ACTION, rsvp_pressed),
        PollAnswerHandler(quiz_answered),
    ]


# -- helpers ----------------------------------------------------------------------------------


def _cancel_button(request: Request) -> InlineKeyboardButton:
    return button(request.t("buttons.cancel"), "x")


def _draft(request: Request, *steps: str) -> Draft | None:
    """The scheduling draft if the person is at one of `steps` (else the button is stale)."""
    if request.pending.awaiting not in steps or "group" not in request.pending.draft:
        return None
    return dict(request.pending.draft)


def _day(draft: Draft) -> date:
    return date.fromisoformat(str(draft["date"]))


def _starts_at(draft: Draft) -> datetime:
    return local_to_utc(_day(draft), time.fromisoformat(str(draft["time"])), str(draft["tz"]))


def _today(request: Request, tz: str) -> date:
    return utc_to_local(request.data.clock.now(), tz).date()


def _title(request: Request, number: int) -> str:
    return get_session(number, request.lang).title


# -- step 1: the group --------------------------------------------------------------------------


@action(Audience.FACILITATOR)
async def new_meeting(request: Request) -> None:
    """Start scheduling: the facilitator's groups as buttons (straight on when there is one)."""
    await _new_meeting(request)


async def _new_meeting(request: Request) -> None:
    own = await groups.list_groups(request.data.db, request.actor)
    if not own:
        await request.show(
            request.t("meetings.no_groups"),
            rows([button(request.t("buttons.new_group"), "gn")], [_cancel_button(request)]),
        )
        return
    if len(own) == 1:
        await _start_group(request, own[0].id)
        return
    buttons = [button(f"{g.name} ({g.code})", "wg", g.id) for g in own]
    await request.show(
        request.t("meetings.pick_group"), rows(*column(buttons, 1), [_cancel_button(request)])
    )


@action(Audience.FACILITATOR)
async def group_picked(request: Request) -> None:
    """The group is chosen: propose the next session in order."""
    assert request.callback is not None
    await _start_group(request, request.callback.arg(0))


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
        request.t(
            "meetings.pick_session",
            group=group.name,
            number=number,
            title=_title(request, number),
        ),
        rows(
            [button(f"✅ {number}. {_title(request, number)}", "ws", number)],
            [button(request.t("buttons.other_session"), "wl")],
            [_cancel_button(request)],
        ),
    )


# -- step 2: the session ------------------------------------------------------------------------


@action(Audience.FACILITATOR)
async def session_list(request: Request) -> None:
    """Every session (14 core and the optional one) as buttons."""
    draft = _draft(request, SESSION_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    await _show_sessions(request, draft)


async def _show_sessions(request: Request, draft: Draft, error: str | None = None) -> None:
    sessions = load_sessions(request.lang)
    buttons = [button(f"{s.number}. {s.title}", "ws", s.number) for s in sessions]
    text = request.t("meetings.session_list", group=draft["gname"], last=sessions[-1].number)
    await _answer(request, text, rows(*column(buttons, 1), [_cancel_button(request)]), error)


@action(Audience.FACILITATOR)
async def session_picked(request: Request) -> None:
    """A session button: go on to the date."""
    assert request.callback is not None
    draft = _draft(request, SESSION_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    await _choose_session(request, draft, request.callback.arg(0))


async def typed_session(request: Request) -> None:
    """A session number typed instead of tapped."""
    draft = dict(request.pending.draft)
    text = request.text.strip()
    await _choose_session(request, draft, int(text) if text.isdigit() else -1)


async def _choose_session(request: Request, draft: Draft, number: int) -> None:
    numbers = meetings.session_numbers()
    if number not in numbers:
        await _show_sessions(
            request, draft, request.t("meetings.errors.no_session", last=numbers[-1])
        )
        return
    draft["session"] = number
    await request.expect(DATE_STEP, draft)
    await _ask_date(request, draft)


# -- step 3: the date ---------------------------------------------------------------------------


async def _answer(
    request: Request, text: str, markup: InlineKeyboardMarkup, error: str | None
) -> None:
    """Ask the step's question; after a typed mistake, say what was wrong first."""
    if error is not None:
        await request.say(f"{error}\n\n{text}", markup)
    else:
        await request.show(text, markup)


async def _ask_date(request: Request, draft: Draft, error: str | None = None) -> None:
    today = _today(request, str(draft["tz"]))
    days = [today + timedelta(days=n) for n in range(1, DAYS_OFFERED + 1)]
    buttons = [
        button(format_day_button(d, request.lang), "wd", int(d.strftime("%Y%m%d"))) for d in days
    ]
    text = request.t("meetings.ask_date", group=draft["gname"], number=draft["session"])
    await _answer(request, text, rows(*column(buttons, 3), [_cancel_button(request)]), error)


@action(Audience.FACILITATOR)
async def date_picked(request: Request) -> None:
    """A day button: check it and ask the time."""
    assert request.callback is not None
    draft = _draft(request, DATE_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    raw = str(request.callback.arg(0))
    try:
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        meetings.check_date(day, str(draft["tz"]), request.data.clock.now())
    except (ValueError, UseCaseError):
        # An old day button, from a message shown days ago: show today's choices.
        await _ask_date(request, draft)
        return
    await _set_date(request, draft, day)


async def typed_date(request: Request) -> None:
    """A date typed as 25/12/2026, 25-12-2026, 25/12 or "besok"."""
    draft = dict(request.pending.draft)
    try:
        day = parse_date(request.text, _today(request, str(draft["tz"])))
        meetings.check_date(day, str(draft["tz"]), request.data.clock.now())
    except DateInputError as exc:
        await _ask_date(request, draft, request.t(f"meetings.errors.date_{exc.code}"))
        return
    except UseCaseError as exc:
        await _ask_date(request, draft, request.t(exc.key, **exc.params))
        return
    await _set_date(request, draft, day)


async def _set_date(request: Request, draft: Draft, day: date) -> None:
    draft["date"] = day.isoformat()
    await request.expect(TIME_STEP, draft)
    await _ask_time(request, draft)


@action(Audience.FACILITATOR)
async def back_to_date(request: Request) -> None:
    """From the confirmation, choose the date again (the rest is kept)."""
    draft = _draft(request, TIME_STEP, VENUE_STEP, CONFIRM_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    await request.expect(DATE_STEP, draft)
    await _ask_date(request, draft)


# -- step 4: the time ---------------------------------------------------------------------------


async def _ask_time(request: Request, draft: Draft, error: str | None = None) -> None:
    sep = "." if request.lang != "en" else ":"
    buttons = [button(f"{h:02d}{sep}{m:02d}", "wt", h * 100 + m) for h, m in TIME_CHOICES]
    text = request.t("meetings.ask_time", date=format_date(_day(draft), request.lang))
    markup = rows(
        *column(buttons, 3),
        [button(request.t("buttons.change_date"), "wb")],
        [_cancel_button(request)],
    )
    await _answer(request, text, markup, error)


@action(Audience.FACILITATOR)
async def time_picked(request: Request) -> None:
    """A time button: check it is still ahead, then ask the venue."""
    assert request.callback is not None
    draft = _draft(request, TIME_STEP)
    if draft is None:
        await request.refuse("errors.stale_button")
        return
    hour, minute = divmod(request.callback.arg(0), 100)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        await request.refuse("errors.stale_button")
        return
    await _set_time(request, draft, time(hour, minute), typed=False)


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
        meetings.starts_at_of(_day(draft), at, str(draft["tz"]), request.data.clock.now())
    except UseCaseError as exc:
        message = request.t(exc.key, **exc.params)
        if typed:
            await _ask_time(request, draft, message)
        else:
            await request.refuse(exc.key, **exc.params)
        return
    draft["time"] = at.strftime("%H:%M")
    await request.expect(VENUE_STEP, draft)
    await _ask_venue(request, draft)


# -- step 5: the venue --------------------------------------------------------------------------


async def _ask_venue(request: Request, draft: Draft, error: str | None = None) -> None:
    when = format_datetime(_starts_at(draft), str(draft["tz"]), request.lang)
    usual = draft.get("usual")
    key = "meetings.ask_venue_usual" if usual else "meetings.ask_venue"
    usual_row = [button(request.t("buttons.use_venue", venue=str(usual)), "wv")] if usual else []
    markup = rows(
        usual_row, [button(request.t("buttons.change_date"), "wb")], [_cancel_button(request)]
    )
    await _answer(request, request.t(key, when=when), markup, error)


@action(Audience.FACILITATOR)
async def usual_venue(request: Request) -> None:
    """Take the group's usual place (or the meeting's current one when moving it)."""
    draft = _draft(request, VENUE_STEP)
    if draft is None or not draft.get("usual"):
        await request.refuse("errors.stale_button")
        return
    await _set_venue(request, draft, str(draft["usual"]))


async def typed_venue(request: Request) -> None:
    """A place typed by the facilitator (at most 300 characters)."""
    draft = dict(request.pending.draft)
    try:
        venue = meetings.clean_venue(request.text)
    except UseCaseError as exc:
        await _ask_venue(request, draft, request.t(exc.key, **exc.params))
        return
    await _set_venue(request, draft, venue)


async def _set_venue(request: Request, draft: Draft, venue: str | None) -> None:
    draft["venue"] = venue
    await request.expect(CONFIRM_STEP, draft)
    await _confirm(request, draft)


# -- confirm and save ---------------------------------------------------------------------------


async def _confirm(request: Request, draft: Draft, error: str | None = None) -> None:
    starts_at = _starts_at(draft)
    tz = str(draft["tz"])
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
        number=number,
        title=_title(request, number),
        when=format_datetime(starts_at, tz, request.lang),
        venue=draft.get("venue") or request.t("meetings.venue_unknown"),
    )
    save_key = "buttons.save"
    if same_day:
        other = format_datetime(same_day[0].starts_at, tz, request.lang)
        text += "\n\n" + request.t("meetings.same_day_warning", when=other)
        save_key = "buttons.save_anyway"
    markup = rows(
        [button(request.t(save_key), "wok")],
        [button(request.t("buttons.change_date"), "wb")],
        [_cancel_button(request)],
    )
    await _answer(request, text, markup, error)


async def typed_at_confirm(request: Request) -> None:
    """Text while the confirmation waits: keep the draft and point at the buttons."""
    await _confirm(request, dict(request.pending.draft), request.t("meetings.confirm_hint"))


@action(Audience.FACILITATOR)
async def save(request: Request) -> None:
    """Save the meeting (or the new time of a moved one) and plan its reminders."""
    draft = _draft(request, CONFIRM_STEP)
    if draft is None or "time" not in draft:
        await request.refuse("errors.stale_button")
        return
    await _save(request, draft)


async def _save(request: Request, draft: Draft) -> None:
    data = request.data
    now, offsets = data.clock.now(), data.settings.reminder_offsets
    try:
        if draft.get("meeting"):
            view = await meetings.reschedule_meeting(
                data.db,
                request.actor,
                int(draft["meeting"]),
                starts_at=_starts_at(draft),
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
                starts_at=_starts_at(draft),
                venue=draft.get("venue"),
                now=now,
                offsets=offsets,
            )
            key = "meetings.saved"
    except UseCaseError as exc:
        if exc.key != "meetings.errors.time_past":
            raise
        # The chosen time passed while the confirmation waited: ask the date again.
        await request.expect(DATE_STEP, draft)
        await _ask_date(request, draft, request.t(exc.key))
        return
    await request.expect(None)
    text = request.t(key, card=render.card(view, request.lang))
    if view.chat_id is None:
        text += "\n\n" + request.t("meetings.saved_no_chat")
    await request.show(text, _saved_markup(request, view))


def _saved_markup(request: Request, view: MeetingView) -> InlineKeyboardMarkup:
    t_ = request.t
    return rows(
        [button(t_("buttons.reschedule"), "wr", view.id)],
        [button(t_("buttons.schedule_another"), "wn"), button(t_("buttons.meetings"), "wj")],
        [button(t_("buttons.menu"), "mn")],
    )


# -- the one-line form ----------------------------------------------------------------------------


@action(Audience.FACILITATOR)
async def schedule_command(request: Request) -> None:
    """/jadwalkan alone starts the buttons; /jadwalkan CODE DATE TIME [VENUE] does it at once."""
    args = request.args
    if not args:
        await _new_meeting(request)
        return
    if len(args) < 3:
        await request.say(request.t("meetings.usage"))
        return
    code, day_text, time_text, venue_words = args[0], args[1], args[2], args[3:]
    data = request.data
    start = await meetings.start_scheduling_by_code(data.db, request.actor, code)
    group, now = start.group, data.clock.now()
    try:
        day = parse_date(day_text, utc_to_local(now, group.timezone).date())
    except DateInputError as exc:
        await request.say(
            request.t(f"meetings.errors.date_{exc.code}") + "\n\n" + request.t("meetings.usage")
        )
        return
    try:
        at = parse_time(time_text)
    except TimeInputError as exc:
        await request.say(
            request.t(f"meetings.errors.time_{exc.code}") + "\n\n" + request.t("meetings.usage")
        )
        return
    meetings.starts_at_of(day, at, group.timezone, now)
    venue = meetings.clean_venue(" ".join(venue_words)) if venue_words else group.venue
    draft: Draft = {
        "group": group.id,
        "gname": group.name,
        "tz": group.timezone,
        "usual": group.venue,
        "session": start.proposed_session,
        "date": day.isoformat(),
        "time": at.strftime("%H:%M"),
        "venue": venue,
    }
    same_day = await meetings.same_day_meetings(data.db, request.actor, group.id, _starts_at(draft))
    if same_day:
        # Warn, then let the facilitator save anyway with one tap; the draft is kept.
        await request.expect(CONFIRM_STEP, draft)
        await _confirm(request, draft)
        return
    await _save(request, draft)


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
            await request.say(request.t("meetings.chat_not_bound"))
        elif view is None:
            await request.say(request.t("meetings.chat_none", group=group.name))
        else:
            await request.say(
                request.t("meetings.next_title") + "\n" + render.card(view, request.lang)
            )
        return
    found = await meetings.upcoming(data.db, request.actor, now)
    menu_row = [button(request.t("buttons.menu"), "mn")]
    if request.actor.is_staff:
        if not found:
            schedule_row = (
                [button(request.t("buttons.schedule"), "wn")]
                if request.actor.is_facilitator
                else []
            )
            await request.show(
                request.t("meetings.upcoming_none_staff"), rows(schedule_row, menu_row)
            )
            return
        buttons = [button(_meeting_label(request, v), "wm", v.id) for v in found]
        await request.show(
            request.t("meetings.upcoming_staff", count=len(found)),
            rows(*column(buttons, 1), menu_row),
        )
        return
    if not found:
        await request.show(request.t("meetings.upcoming_none"), rows(menu_row))
        return
    parts = [request.t("meetings.next_title")] + [render.card(v, request.lang) for v in found]
    await request.show("\n\n".join(parts), rows(menu_row))


def _meeting_label(request: Request, view: MeetingView) -> str:
    local = utc_to_local(view.starts_at, view.timezone)
    day = format_day_button(local.date(), request.lang)
    return f"{day} {local:%H.%M} · {view.group_name} · {view.session_number}"


def _meeting_markup(request: Request, view: MeetingView) -> InlineKeyboardMarkup:
    t_ = request.t
    back = [button(t_("buttons.meetings"), "wj")]
    if view.cancelled or view.starts_at <= request.data.clock.now():
        return rows(back)
    return rows(
        [button(t_("buttons.reschedule"), "wr", view.id)],
        [button(t_("buttons.cancel_meeting"), "wc", view.id)],
        back,
    )


@action(Audience.STAFF)
async def show_meeting(request: Request) -> None:
    """One meeting with its RSVP counts, and what can be done with it."""
    assert request.callback is not None
    detail = await meetings.meeting_detail(request.data.db, request.actor, request.callback.arg(0))
    counts = request.t(
        "meetings.counts", coming=detail.counts.coming, not_coming=detail.counts.not_coming
    )
    await request.show(
        f"{render.card(detail.meeting, request.lang)}\n{counts}",
        _meeting_markup(request, detail.meeting),
    )


@action(Audience.FACILITATOR)
async def start_reschedule(request: Request) -> None:
    """Move a meeting: the same date, time and venue steps, then save as a new revision."""
    assert request.callback is not None
    detail = await meetings.meeting_detail(request.data.db, request.actor, request.callback.arg(0))
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
    await _ask_date(request, draft)


@action(Audience.FACILITATOR)
async def ask_cancel(request: Request) -> None:
    """Ask before cancelling: members will be told."""
    assert request.callback is not None
    detail = await meetings.meeting_detail(request.data.db, request.actor, request.callback.arg(0))
    view = detail.meeting
    await request.show(
        request.t("meetings.cancel_confirm", card=render.card(view, request.lang)),
        rows(
            [button(request.t("buttons.cancel_yes"), "wcy", view.id)],
            [button(request.t("buttons.keep_meeting"), "wm", view.id)],
        ),
    )


@action(Audience.FACILITATOR)
async def cancel(request: Request) -> None:
    """Cancel the meeting: its reminders are dropped and members are told."""
    assert request.callback is not None
    data = request.data
    view = await meetings.cancel_meeting(
        data.db, request.actor, request.callback.arg(0), data.clock.now()
    )
    await request.show(
        request.t("meetings.cancelled", card=render.card(view, request.lang)),
        rows(
            [button(request.t("buttons.meetings"), "wj")], [button(request.t("buttons.menu"), "mn")]
        ),
    )


# -- RSVP and quiz answers ------------------------------------------------------------------------


async def rsvp_pressed(update: Update, context: BotContext) -> None:
    """Hadir / Tidak bisa: recorded at once; the group message's counts follow shortly.

    A group reminder gets a whole group's presses within a minute, so a press there skips the
    generic `action` wrapper (which registers the sender and loads their roles, a transaction
    of its own): one transaction finds the presser on this group's roster, records the answer
    and queues the edit; then the press is answered. Presses on one's own private copy go
    through `action` (it notes that the private chat is open) and redraw that copy."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        await rsvp_in_private(update, context)
        return
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or user.is_bot:
        return
    data = context.bot_data
    callback = unpack(query.data)
    if callback is None or len(callback.args) < 2:
        language = telegram_language(user.language_code, data.settings.language)
        await alert(query, t(language, "errors.stale_button"))
        return
    message = query.message if isinstance(query.message, Message) else None
    press = await meetings.press_rsvp(
        data.db,
        TelegramUser(user.id, user.full_name, user.language_code),
        callback.arg(0),
        callback.arg(1) == 1,
        data.clock.now(),
        chat.id,
        message.message_id if message is not None else None,
        data.settings.language,
    )
    if press.refusal is not None:
        refusal = press.refusal
        if not await alert(query, t(press.language, refusal.key, **refusal.params)):
            log.info("could not tell %s why their press was refused: %s", user.id, refusal.key)
        return
    key = "meetings.rsvp.recorded_yes" if callback.arg(1) == 1 else "meetings.rsvp.recorded_no"
    await query.answer(t(press.language, key))


@action(private_only=False)
async def rsvp_in_private(request: Request) -> None:
    """A press on one's own copy of a reminder: recorded, and that copy redrawn at once."""
    query = request.update.callback_query
    assert query is not None and request.callback is not None
    meeting_id, coming = request.callback.arg(0), request.callback.arg(1) == 1
    message = query.message if isinstance(query.message, Message) else None
    chat = request.update.effective_chat
    assert chat is not None
    result = await meetings.record_rsvp(
        request.data.db,
        request.actor,
        meeting_id,
        coming,
        request.data.clock.now(),
        chat.id,
        message.message_id if message is not None else None,
    )
    key = "meetings.rsvp.recorded_yes" if coming else "meetings.rsvp.recorded_no"
    await query.answer(request.t(key))
    if request.is_private and message is not None:
        # One's own copy is edited here; only group messages need the coalesced edit.
        detail = meetings.MeetingDetail(result.meeting, result.counts)
        text, markup = render.reminder(detail, request.lang, request.data.clock.now())
        try:
            await message.edit_text(text, parse_mode="HTML", reply_markup=markup)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise


@action(private_only=False)
async def quiz_answered(request: Request) -> None:
    """An answer to one of our quiz polls; answers to other polls are ignored."""
    answer = request.update.poll_answer
    if answer is None:
        return
    await meetings.record_quiz_answer(
        request.data.db,
        request.actor.person_id,
        answer.poll_id,
        list(answer.option_ids),
        request.data.clock.now(),
    )
