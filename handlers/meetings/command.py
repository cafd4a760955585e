"""/jadwalkan CODE DD/MM/YYYY 09.00 venue: a meeting in one line."""

from __future__ import annotations

from handlers.base import Audience, Request, action
from handlers.meetings.common import CONFIRM_STEP, Draft, example_date
from handlers.meetings.flow import show_confirmation, show_saved, start_new_meeting
from storage import meetings
from views.screen import Screen

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
        await request.say(Screen(request.t("meetings.usage", example=example)))
        return
    code, day_text, time_text, venue_words = args[0], args[1], args[2], args[3:]
    line = meetings.OneLine(code, day_text, time_text, " ".join(venue_words) or None)
    offsets = data.settings.reminder_offsets
    result = await meetings.schedule_by_code(
        data.db, request.actor, line, data.clock.now(), offsets
    )
    group = result.start.group
    if result.problem is not None:
        example = await example_date(request, group.timezone)
        usage = request.t("meetings.usage", example=example)
        await request.say(Screen(request.t(result.problem, example=example) + "\n\n" + usage))
        return
    assert result.day is not None and result.at is not None
    draft: Draft = {
        "group": group.id,
        "gname": group.name,
        "tz": group.timezone,
        "usual": group.venue,
        "session": result.start.proposed_session,
        "date": result.day.isoformat(),
        "time": result.at.strftime("%H:%M"),
        "venue": result.venue,
    }
    if result.saved is None:
        # Another meeting that day, or a public holiday or cuti bersama: warn, then let the
        # facilitator save anyway with one tap; the draft is kept.
        await request.expect(CONFIRM_STEP, draft)
        await show_confirmation(request, draft, same_day=result.same_day)
        return
    await show_saved(request, result.saved, "meetings.saved")
