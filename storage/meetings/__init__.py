"""Use cases for meetings: schedule, reschedule, cancel, show, RSVP and quiz counts.

A group's standing monthly rule and the month's proposal built from it are recurring (not
re-exported here: it imports the scheduling use cases)."""

from storage.meetings.presses import GroupPress, RsvpPress, press_rsvps
from storage.meetings.quiz import (
    record_quiz_counts,
    store_quiz_poll,
)
from storage.meetings.reading import (
    UPCOMING_LIMIT,
    for_delivery,
    meeting_detail,
    next_for_chat,
    rsvp_counts,
    still_member,
    upcoming,
)
from storage.meetings.rsvp import (
    ReminderMessage,
    lock_refreshes,
    record_rsvp,
    refresh_again_if_changed,
)
from storage.meetings.scheduling import (
    MAX_DAYS_AHEAD,
    OneLine,
    OneLineResult,
    cancel_meeting,
    check_date,
    clean_venue,
    managed_meeting,
    reschedule_meeting,
    same_day_meetings,
    schedule_by_code,
    schedule_meeting,
    session_numbers,
    start_scheduling,
    starts_at_of,
)
from storage.meetings.views import (
    Counts,
    MeetingDetail,
    MeetingView,
    RsvpResult,
    SchedulingStart,
)

__all__ = [
    "MAX_DAYS_AHEAD",
    "UPCOMING_LIMIT",
    "Counts",
    "GroupPress",
    "MeetingDetail",
    "MeetingView",
    "OneLine",
    "OneLineResult",
    "ReminderMessage",
    "RsvpPress",
    "RsvpResult",
    "SchedulingStart",
    "cancel_meeting",
    "check_date",
    "clean_venue",
    "for_delivery",
    "lock_refreshes",
    "managed_meeting",
    "meeting_detail",
    "next_for_chat",
    "press_rsvps",
    "record_quiz_counts",
    "record_rsvp",
    "refresh_again_if_changed",
    "reschedule_meeting",
    "rsvp_counts",
    "same_day_meetings",
    "schedule_by_code",
    "schedule_meeting",
    "session_numbers",
    "start_scheduling",
    "starts_at_of",
    "still_member",
    "store_quiz_poll",
    "upcoming",
]
