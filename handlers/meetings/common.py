"""What the scheduling steps share: the step names, the draft and its date and time."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, time
from typing import Any

from content.sessions import get_session
from handlers.base import Request
from timekeeping.holidays import Holiday, example_day, holiday_on
from timekeeping.timefmt import format_date
from timekeeping.timeparse import (
    local_to_utc,
    utc_to_local,
)
from views.buttons import MENU_CANCEL
from views.keyboards import Key, button

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


# -- helpers ----------------------------------------------------------------------------------


def cancel_button(request: Request) -> Key:
    return button(request.t("buttons.cancel"), MENU_CANCEL)


def current_draft(request: Request, *steps: str) -> Draft | None:
    """The scheduling draft if the person is at one of `steps` (else the button is stale)."""
    if request.pending.awaiting not in steps or "group" not in request.pending.draft:
        return None
    return dict(request.pending.draft)


def draft_day(draft: Draft) -> date:
    return date.fromisoformat(str(draft["date"]))


def draft_starts_at(draft: Draft) -> datetime:
    return local_to_utc(draft_day(draft), time.fromisoformat(str(draft["time"])), str(draft["tz"]))


def local_today(request: Request, tz: str) -> date:
    return utc_to_local(request.data.clock.now(), tz).date()


async def example_date(request: Request, tz: str) -> str:
    """ "12/01/2027": a working day about a week ahead, for "for example" in a text.

    Holidays are computed in a thread: the first look at a year takes a moment of CPU."""
    day = await asyncio.to_thread(example_day, local_today(request, tz))
    return f"{day:%d/%m/%Y}"


async def holidays_of(days: list[date], lang: str) -> dict[date, Holiday]:
    """The public holidays and cuti bersama among `days` (computed in a thread, as above)."""

    def look() -> dict[date, Holiday]:
        found = {day: holiday_on(day, lang) for day in days}
        return {day: holiday for day, holiday in found.items() if holiday is not None}

    return await asyncio.to_thread(look)


def holiday_warning(request: Request, holiday: Holiday) -> str:
    key = "meetings.leave_warning" if holiday.collective_leave else "meetings.holiday_warning"
    return request.t(key, date=format_date(holiday.day, request.lang), holiday=holiday.name)


def session_title(request: Request, number: int) -> str:
    return get_session(number, request.lang).title
