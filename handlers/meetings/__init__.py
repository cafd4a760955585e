"""Meetings: scheduling (buttons or one line), the schedule, RSVPs and quiz answers."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, PollHandler

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
from views import meetings as render


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
        PollHandler(quiz_counted),
    ]


__all__ = ["STEPS", "handlers"]
