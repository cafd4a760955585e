"""/jadwalkan CODE DD/MM/YYYY 09.00 venue: a meeting in one line."""

from __future__ import annotations

from handlers.base import Audience, Request, action
from handlers.meetings.common import (
    CONFIRM_STEP,
    Draft,
    draft_starts_at,
    example_date,
    holidays_of,
)
from handlers.meetings.flow import save_draft, show_confirmation, start_new_meeting
from storage import meetings
from timekeeping.timeparse import (
    DateInputError,
    TimeInputError,
    parse_date,
    parse_time,
    utc_to_local,
)

# -- the one-line form ----------------------------------------------------------------------------


@action(Audience.FACILITATOR)
async def schedule_command(request: Request) -> None:
    """/jadwalkan alone starts the buttons; /jadwalkan CODE DATE TIME [VENUE] does it at once."""
    args = request.args
    if not args:
        await start_new_meeting(request)
        return
    data = request.data
    if len(args) < 3:
        example = await example_date(request, data.settings.timezone)
        await request.say(request.t("meetings.usage", example=example))
        return
    code, day_text, time_text, venue_words = args[0], args[1], args[2], args[3:]
    start = await meetings.start_scheduling_by_code(data.db, request.actor, code)
    group, now = start.group, data.clock.now()
    example = await example_date(request, group.timezone)
    usage = request.t("meetings.usage", example=example)
    try:
        day = parse_date(day_text, utc_to_local(now, group.timezone).date())
    except DateInputError as exc:
        error = request.t(f"meetings.errors.date_{exc.code}", example=example)
        await request.say(error + "\n\n" + usage)
        return
    try:
        at = parse_time(time_text)
    except TimeInputError as exc:
        await request.say(request.t(f"meetings.errors.time_{exc.code}") + "\n\n" + usage)
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
    same_day = await meetings.same_day_meetings(
        data.db, request.actor, group.id, draft_starts_at(draft)
    )
    if same_day or await holidays_of([day], request.lang):
        # Another meeting that day, or a public holiday or cuti bersama: warn, then let the
        # facilitator save anyway with one tap; the draft is kept.
        await request.expect(CONFIRM_STEP, draft)
        await show_confirmation(request, draft)
        return
    await save_draft(request, draft)
