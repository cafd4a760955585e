"""When each kind of due message may go out: a send window, quiet hours and a priority.

A due delivery has a nominal time (the `due_at` its planner wrote). Under load the
dispatcher may not manage to send everything at that instant, so each kind gets a window
[start, deadline] around it: it never goes before `start`, it should never arrive after
`deadline`, and it goes at `due` when nothing presses (see timekeeping/send_planner.py for
the look-ahead that decides when to start early). Which kinds exist is
timekeeping/delivery_kinds.py; what their due times mean comes from
storage/deliveries/meeting_plan.py (reminders at the offsets of P2K2_REMINDER_OFFSETS, the
summary a day before, the recap at the meeting's end and the quiz polls a minute apart after
it), storage/confirmations/ (request, chase, escalation), storage/announcements.py and the
answer-like kinds (notice, link_hint, rsvp_refresh).

Pure: the standard library and the kinds (timekeeping/delivery_kinds.py) only, times are
aware datetimes, local time is the group's zone."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from timekeeping.delivery_kinds import DeliveryKind


class Priority(IntEnum):
    """Lower goes first when several items compete for the same seconds."""

    ANSWER = 0  # answers to what someone just did, RSVP count edits: never behind a wave
    REMINDER_GROUP = 1  # the group chat's copy goes before the members' private copies
    REMINDER_PRIVATE = 2
    CHASE = 3  # confirmation requests, chases, escalations, complaint traffic
    SUMMARY = 4
    RECAP = 5  # the recap and its quiz polls
    ANNOUNCEMENT = 6


@dataclass(frozen=True)
class QuietHours:
    """No private message between `start` and `end` local time (may cross midnight)."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


DEFAULT_QUIET_HOURS = QuietHours(time(21, 0), time(6, 0))
_QUIET = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*-\s*(\d{1,2})[.:](\d{2})\s*$")


def parse_quiet_hours(text: str) -> QuietHours | None:
    """`21.00-06.00` or `21:00-06:00` (Indonesian or English style), or `off` for none."""
    if text.strip().lower() in ("off", "none", "no", ""):
        return None
    match = _QUIET.match(text)
    if match is None:
        raise ValueError(f"quiet hours {text!r}: write them as 21.00-06.00, or off")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        raise ValueError(f"quiet hours {text!r}: two different times of day, e.g. 21.00-06.00")
    return QuietHours(time(h1, m1), time(h2, m2))


@dataclass(frozen=True)
class Policy:
    """The tunable parts; the defaults are the project's."""

    quiet: QuietHours | None = DEFAULT_QUIET_HOURS
    # A reminder shorter than a day may go this share of its offset early: 2 h -> from 2.5 h.
    early_share: float = 0.25
    # A private reminder moved out of the night must still arrive this long before the start.
    min_lead: timedelta = timedelta(minutes=30)
    min_window: timedelta = timedelta(
        minutes=10
    )  # a morning window shorter goes the evening before
    answer_slack: timedelta = timedelta(minutes=1)
    change_slack: timedelta = timedelta(minutes=10)
    chase_slack: timedelta = timedelta(hours=1)
    announcement_slack: timedelta = timedelta(hours=4)
    recap_slack: timedelta = timedelta(hours=1)  # at least; else until the evening


@dataclass(frozen=True)
class SendRules:
    """How windows are drawn in a running bot: the policy (quiet hours from P2K2_QUIET_HOURS)
    and the time zone of a chat that belongs to no group (P2K2_TIMEZONE). The bot builds them
    from its settings and its session factory carries them (storage/db.session_factory)."""

    policy: Policy = field(default_factory=Policy)
    timezone: str = "Asia/Jakarta"


@dataclass(frozen=True)
class Window:
    start: datetime
    due: datetime  # when it goes if nothing presses; start <= due <= deadline
    deadline: datetime
    priority: Priority


@dataclass(frozen=True)
class DueMessage:
    """What the window depends on: the kind, the nominal time, the chat and the meeting."""

    kind: DeliveryKind
    due_at: datetime
    private: bool  # a person's private chat (Telegram: chat id > 0), not a group chat
    meeting_starts_at: datetime | None = None
    reminder_offset: timedelta | None = None  # for reminders: how long before the start
    # When the delivery was written. A window that closed before then (a reminder folded into
    # one due at once, late in the evening) is replaced by the next one allowed.
    written_at: datetime | None = None


class UnknownKind(ValueError):
    """A due kind without a rule: give it one here before the dispatcher sends it."""


ANSWER_KINDS = frozenset(
    {
        DeliveryKind.NOTICE,
        DeliveryKind.LINK_HINT,
        DeliveryKind.RSVP_REFRESH,
        DeliveryKind.CONFIRM_ANSWERED,
        DeliveryKind.REPLAN,
    }
)
CHASE_KINDS = frozenset(
    {
        DeliveryKind.CONFIRM_REQUEST,
        DeliveryKind.CONFIRM_CHASE,
        DeliveryKind.CONFIRM_ESCALATION,
        DeliveryKind.COMPLAINT_NEW,
        DeliveryKind.COMPLAINT_MORE,
        DeliveryKind.COMPLAINT_UPDATE,
        DeliveryKind.COMPLAINT_ESCALATION,
        DeliveryKind.COMPLAINT_PROTECTED,
        DeliveryKind.COMPLAINT_CLIMB,
        DeliveryKind.ANNOUNCEMENT_REPORT,
        # Next month's proposed meetings to a facilitator, a week ahead: no hurry to the minute.
        DeliveryKind.MONTH_PLAN,
        # Someone waits to join, but the chair is a member: not in her quiet hours.
        DeliveryKind.JOIN_QUESTION,
        DeliveryKind.ERASURE_QUESTION,
    }
)
# The recap and its quiz polls, the evening after the meeting.
RECAP_KINDS = frozenset({DeliveryKind.RECAP, DeliveryKind.QUIZ})
# Kinds about a meeting still to come: their deadline is never after its start.
BEFORE_MEETING_KINDS = frozenset(
    {DeliveryKind.REMINDER, DeliveryKind.MEETING_CHANGED, DeliveryKind.SUMMARY}
)
DAY = timedelta(days=1)


def window(message: DueMessage, tz: ZoneInfo, policy: Policy = Policy()) -> Window:
    """The send window of one due message in the group's time zone `tz`."""
    due = message.due_at
    kind = message.kind
    if kind in ANSWER_KINDS:
        # An answer to what someone just did goes at once, night or day.
        return Window(due, due, due + policy.answer_slack, Priority.ANSWER)
    meeting = message.meeting_starts_at
    if kind == DeliveryKind.REMINDER:
        offset = message.reminder_offset
        if meeting is None or offset is None:
            raise ValueError("a reminder's window needs the meeting's start and the offset")
        if offset >= DAY:
            start, deadline = _day_window(due, tz, policy)
        else:
            start, deadline = due - offset * policy.early_share, due
        priority = Priority.REMINDER_PRIVATE if message.private else Priority.REMINDER_GROUP
        return _finish(message, start, deadline, priority, tz, policy)
    if kind == DeliveryKind.MEETING_CHANGED:
        priority = Priority.REMINDER_PRIVATE if message.private else Priority.REMINDER_GROUP
        return _finish(message, due, due + policy.change_slack, priority, tz, policy)
    if kind == DeliveryKind.SUMMARY:
        start, deadline = _day_window(due, tz, policy)
        return _finish(message, start, deadline, Priority.SUMMARY, tz, policy)
    if kind in RECAP_KINDS:
        # The evening after: any time from the meeting's end until the waking day ends. The
        # quiz polls share the recap's deadline; their own due times keep them in order.
        _, evening = _day_window(due, tz, policy)
        deadline = max(evening, due + policy.recap_slack)
        return _finish(message, due, deadline, Priority.RECAP, tz, policy)
    if kind in CHASE_KINDS:
        return _finish(message, due, due + policy.chase_slack, Priority.CHASE, tz, policy)
    if kind == DeliveryKind.ANNOUNCEMENT:
        deadline = due + policy.announcement_slack
        return _finish(message, due, deadline, Priority.ANNOUNCEMENT, tz, policy)
    raise UnknownKind(f"no send window for kind {kind!r}")


def _day_window(due: datetime, tz: ZoneInfo, policy: Policy) -> tuple[datetime, datetime]:
    """The waking hours of `due`'s local day (the whole day without quiet hours), widened to
    include `due` itself should a planner put it in the night."""
    local = due.astimezone(tz)
    day = local.date()
    if policy.quiet is None or policy.quiet.start <= policy.quiet.end:
        start = datetime.combine(day, time(0), tz)
        end = start + DAY
        if policy.quiet is not None:  # a quiet span inside the day, e.g. 12.00-13.00
            return min(start, due), max(end, due)
    else:
        start = datetime.combine(day, policy.quiet.end, tz)
        end = datetime.combine(day, policy.quiet.start, tz)
    return min(start.astimezone(UTC), due), max(end.astimezone(UTC), due)


def _finish(
    message: DueMessage,
    start: datetime,
    deadline: datetime,
    priority: Priority,
    tz: ZoneInfo,
    policy: Policy,
) -> Window:
    meeting = message.meeting_starts_at
    if meeting is not None and message.kind in BEFORE_MEETING_KINDS:
        deadline = max(min(deadline, meeting), start)  # before the meeting, never after
    if message.private and policy.quiet is not None:
        start, deadline = _out_of_quiet(start, deadline, meeting, tz, policy)
    written = message.written_at
    if written is not None and deadline < written:
        start = written
        if message.private and policy.quiet is not None:
            start = quiet_ends_after(written, tz, policy.quiet)
        deadline = start + policy.min_window
    due = min(max(message.due_at, start), deadline)
    return Window(start, due, deadline, priority)


def quiet_at(moment: datetime, tz: ZoneInfo, quiet: QuietHours | None) -> bool:
    return quiet is not None and quiet.contains(moment.astimezone(tz).time())


def quiet_ends_after(moment: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """The first moment at or after `moment` outside the quiet hours."""
    if not quiet_at(moment, tz, quiet):
        return moment
    local = moment.astimezone(tz)
    end = datetime.combine(local.date(), quiet.end, tz)
    if end <= local:
        end = datetime.combine(local.date() + DAY, quiet.end, tz)
    return end.astimezone(UTC)


def quiet_starts_after(moment: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """The next start of the quiet hours after `moment` (which is outside them)."""
    local = moment.astimezone(tz)
    start = datetime.combine(local.date(), quiet.start, tz)
    if start <= local:
        start = datetime.combine(local.date() + DAY, quiet.start, tz)
    return start.astimezone(UTC)


def quiet_started_before(moment: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """When the quiet hours that contain `moment` began."""
    local = moment.astimezone(tz)
    start = datetime.combine(local.date(), quiet.start, tz)
    if start > local:
        start = datetime.combine(local.date() - DAY, quiet.start, tz)
    return start.astimezone(UTC)


def _out_of_quiet(
    start: datetime,
    deadline: datetime,
    meeting: datetime | None,
    tz: ZoneInfo,
    policy: Policy,
) -> tuple[datetime, datetime]:
    """Move a private window out of the night: a window that starts in the quiet hours moves
    to the morning (keeping its length, but ending `min_lead` before the meeting); one that
    runs into them ends when they begin. A reminder whose morning window would be shorter
    than `min_window` goes the evening before."""
    quiet = policy.quiet
    assert quiet is not None
    length = deadline - start
    if quiet_at(start, tz, quiet):
        new_start = quiet_ends_after(start, tz, quiet)
        new_deadline = new_start + length
    else:
        new_start, new_deadline = start, deadline
    new_deadline = min(new_deadline, quiet_starts_after(new_start, tz, quiet))
    if meeting is not None and new_start > start:
        new_deadline = min(new_deadline, meeting - policy.min_lead)
        if new_deadline - new_start < policy.min_window:
            # The morning is too close to the meeting: the last waking stretch before the
            # night instead.
            evening = quiet_started_before(start, tz, quiet)
            return evening - max(length, policy.min_lead), evening
    return new_start, new_deadline
