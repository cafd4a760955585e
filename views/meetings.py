"""A meeting as people read it: the card, the reminder with its RSVP buttons."""

from __future__ import annotations

from datetime import datetime

from content.session_render import label
from content.sessions import get_session
from content.texts import Html, t
from storage.meetings import Counts, MeetingDetail, MeetingView
from timekeeping.timefmt import format_datetime, time_until
from views.buttons import RSVP_PRESSED
from views.keyboards import Keyboard, button, rows
from views.screen import Screen

# -- rendering, shared with the handlers ----------------------------------------------------


def when(meeting: MeetingView, lang: str) -> str:
    return format_datetime(meeting.starts_at, meeting.timezone, lang)


def venue(meeting: MeetingView, lang: str) -> str:
    return meeting.venue or t(lang, "meetings.venue_unknown")


def card(meeting: MeetingView, lang: str) -> Html:
    """Group, time, place and session in a few lines (HTML, parameters escaped)."""
    session = get_session(meeting.session_number, lang)
    text = t(
        lang,
        "meetings.card",
        group=meeting.group_name,
        when=when(meeting, lang),
        venue=venue(meeting, lang),
        session=label(session, lang),
        title=session.title,
    )
    if meeting.cancelled:
        text += "\n" + t(lang, "meetings.card_cancelled")
    return Html(text)


def rsvp_markup(meeting: MeetingView, counts: Counts, lang: str) -> Keyboard:
    return rows(
        [
            button(t(lang, "buttons.rsvp_yes", count=counts.coming), RSVP_PRESSED, meeting.id, 1),
            button(
                t(lang, "buttons.rsvp_no", count=counts.not_coming), RSVP_PRESSED, meeting.id, 0
            ),
        ]
    )


def reminder(detail: MeetingDetail, lang: str, worded_at: datetime) -> Screen:
    """The reminder with RSVP buttons showing the current counts.

    `worded_at` is the moment its time words are said from: when the reminder was first
    sent, also when its counts are redrawn later, so "3 menit lagi" never changes."""
    meeting = detail.meeting
    session = get_session(meeting.session_number, lang)
    params: dict[str, object] = {
        "group": meeting.group_name,
        "when": when(meeting, lang),
        "venue": venue(meeting, lang),
        "session": label(session, lang),
        "title": session.title,
        "aim": session.aim,
    }
    if meeting.starts_at > worded_at:
        relative = time_until(meeting.starts_at, worded_at, meeting.timezone, lang)
        text = t(lang, "meetings.reminder", relative=relative, **params)
    else:
        text = t(lang, "meetings.reminder_now", **params)
    return Screen(text, rsvp_markup(meeting, detail.counts, lang))
