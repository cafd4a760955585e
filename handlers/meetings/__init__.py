"""Meetings: scheduling (buttons or one line), the schedule, RSVPs and quiz answers."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, PollHandler

from handlers.base import on_button
from handlers.context import BotContext
from handlers.meetings.command import schedule_command
from handlers.meetings.common import STEPS
from handlers.meetings.flow import (
    back_to_date,
    date_picked,
    group_picked,
    new_meeting,
    save,
    session_list,
    session_picked,
    time_picked,
    usual_venue,
)
from handlers.meetings.rsvp import quiz_counted, rsvp_pressed
from handlers.meetings.schedule import (
    ask_cancel,
    cancel,
    show_meeting,
    show_schedule,
    start_reschedule,
)
from views.buttons import (
    ASK_CANCEL,
    BACK_TO_DATE,
    DATE_PICKED,
    GROUP_PICKED,
    MEETINGS_CANCEL,
    MEETINGS_SAVE,
    MEETINGS_TIME_PICKED,
    MEETINGS_USUAL_VENUE,
    NEW_MEETING,
    RSVP_PRESSED,
    SESSION_LIST,
    SESSION_PICKED,
    SHOW_MEETING,
    SHOW_SCHEDULE,
    START_RESCHEDULE,
)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:

    return [
        CommandHandler("jadwalkan", schedule_command),
        CommandHandler("jadwal", show_schedule),
        on_button(NEW_MEETING, new_meeting),
        on_button(GROUP_PICKED, group_picked),
        on_button(SESSION_LIST, session_list),
        on_button(SESSION_PICKED, session_picked),
        on_button(DATE_PICKED, date_picked),
        on_button(BACK_TO_DATE, back_to_date),
        on_button(MEETINGS_TIME_PICKED, time_picked),
        on_button(MEETINGS_USUAL_VENUE, usual_venue),
        on_button(MEETINGS_SAVE, save),
        on_button(SHOW_SCHEDULE, show_schedule),
        on_button(SHOW_MEETING, show_meeting),
        on_button(START_RESCHEDULE, start_reschedule),
        on_button(ASK_CANCEL, ask_cancel),
        on_button(MEETINGS_CANCEL, cancel),
        on_button(RSVP_PRESSED, rsvp_pressed),
        PollHandler(quiz_counted),
    ]


__all__ = ["STEPS", "handlers"]
