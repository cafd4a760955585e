"""When things are due and how long to wait before trying again: pure functions of time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

SUMMARY_BEFORE = timedelta(days=1)
MAX_ATTEMPTS = 8
# A 429 says when to try again and is no sign the chat is broken, so it is allowed more
# tries than an error; but every try counts, so a send that keeps meeting flood control
# (a chat flooded by someone else, a long message) ends with an outcome, never loops.
MAX_FLOOD_ATTEMPTS = 20
# A failure notice to the very chat that is flood-limited waits until the flood is over.
NOTICE_AFTER_FLOOD = timedelta(minutes=15)
BASE_BACKOFF = timedelta(seconds=15)
MAX_BACKOFF = timedelta(hours=1)
CLAIM_LEASE = timedelta(minutes=2)
RSVP_REFRESH_GAP = timedelta(seconds=4)  # a group allows about 20 sends or edits a minute
QUIZ_GAP = timedelta(minutes=1)  # quiz polls follow the recap one by one, in order
LATE_AFTER_MEETING = timedelta(days=3)  # a recap or quiz this late is no longer worth sending


def reminder_times(
    starts_at: datetime, offsets: Iterable[timedelta], now: datetime
) -> list[tuple[timedelta, datetime]]:
    """The reminders still worth sending: due before the meeting starts and not yet past.

    A reminder whose time already passed when the meeting was set is folded into one sent
    now, so a meeting scheduled for tomorrow still gets one reminder, not three at once."""
    if starts_at <= now:
        return []
    future = [(offset, starts_at - offset) for offset in offsets if starts_at - offset > now]
    missed = [offset for offset in offsets if starts_at - offset <= now]
    if missed and not future:
        return [(min(missed), now)]
    return sorted(future, key=lambda item: item[1])


def summary_time(starts_at: datetime, now: datetime) -> datetime | None:
    """The module summary goes out the day before; a meeting set for sooner gets it now."""
    if starts_at <= now:
        return None
    return max(starts_at - SUMMARY_BEFORE, now)


def recap_time(starts_at: datetime, duration_minutes: int) -> datetime:
    return starts_at + timedelta(minutes=duration_minutes)


def quiz_time(starts_at: datetime, duration_minutes: int, index: int) -> datetime:
    """Quiz poll `index` (0-based) comes a minute after the recap and after the one before."""
    return recap_time(starts_at, duration_minutes) + QUIZ_GAP * (index + 1)


def after_meeting_still_useful(starts_at: datetime, duration_minutes: int, now: datetime) -> bool:
    """A recap or quiz held up by downtime is still sent for a few days, then dropped."""
    return now <= recap_time(starts_at, duration_minutes) + LATE_AFTER_MEETING


def reminder_still_useful(starts_at: datetime, now: datetime) -> bool:
    """A reminder that came due while the bot was down is sent only if the meeting is ahead."""
    return now < starts_at


def reminder_superseded(
    starts_at: datetime, offset: timedelta, offsets: Iterable[timedelta], now: datetime
) -> bool:
    """After downtime several reminders may be due at once: only the latest one is sent."""
    return any(later < offset and starts_at - later <= now for later in offsets)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff for network errors and 5xx: 15 s, 30 s, 1 min, ... capped at 1 h."""
    delay: timedelta = BASE_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


def gives_up_waiting(attempts: int) -> bool:
    """After this many tries, counting 429s and errors alike, a send stops waiting."""
    return attempts >= MAX_FLOOD_ATTEMPTS


def next_refresh(last_refresh: datetime | None, now: datetime) -> datetime:
    """Coalesce RSVP count edits: at most one edit of a group message every few seconds."""
    if last_refresh is None:
        return now
    return max(now, last_refresh + RSVP_REFRESH_GAP)
