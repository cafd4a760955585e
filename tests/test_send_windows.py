"""Send windows, quiet hours and priorities: pure rules, tested on fixed moments."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import scheduler.composers  # noqa: F401  (registers every composer)
from scheduler.registry import COMPOSERS
from timekeeping.delivery_kinds import DeliveryKind
from timekeeping.send_windows import (
    DueMessage,
    Policy,
    Priority,
    QuietHours,
    UnknownKind,
    parse_quiet_hours,
    window,
)

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
HOUR = timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = WIB) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=tz).astimezone(UTC)


def reminder(meeting: datetime, offset: timedelta, private: bool) -> DueMessage:
    return DueMessage(DeliveryKind.REMINDER, meeting - offset, private, meeting, offset)


def test_a_two_hour_reminder_may_go_from_two_and_a_half_hours_before() -> None:
    meeting = at(2, 9)
    w = window(reminder(meeting, 2 * HOUR, private=False), WIB)
    assert (w.start, w.due, w.deadline) == (at(2, 6, 30), at(2, 7), at(2, 7))
    assert w.priority is Priority.REMINDER_GROUP


def test_a_day_before_reminder_may_go_any_time_in_the_waking_day_before() -> None:
    meeting = at(2, 13)
    w = window(reminder(meeting, 24 * HOUR, private=True), WIB)
    assert (w.start, w.due, w.deadline) == (at(1, 6), at(1, 13), at(1, 21))
    assert w.priority is Priority.REMINDER_PRIVATE


def test_waking_hours_are_the_groups_own_local_time() -> None:
    meeting = at(2, 10, tz=WIT)
    w = window(reminder(meeting, 24 * HOUR, private=True), WIT)
    assert (w.start, w.deadline) == (at(1, 6, tz=WIT), at(1, 21, tz=WIT))
    assert w.start == at(1, 4)  # 06.00 WIT is 04.00 WIB


def test_a_private_reminder_due_in_the_night_waits_for_the_morning() -> None:
    meeting = at(2, 7)  # due 05.00, window 04.30-05.00: all in the quiet hours
    w = window(reminder(meeting, 2 * HOUR, private=True), WIB)
    assert (w.start, w.deadline) == (at(2, 6), at(2, 6, 30))
    group = window(reminder(meeting, 2 * HOUR, private=False), WIB)
    assert (group.start, group.deadline) == (at(2, 4, 30), at(2, 5))  # no quiet for groups


def test_a_window_moved_to_the_morning_still_ends_well_before_the_meeting() -> None:
    meeting = at(2, 8)  # a 4-hour window 04.00-06.00 moves to 06.00, ends 07.30
    wide = Policy(early_share=1.0)
    w = window(reminder(meeting, 2 * HOUR, private=True), WIB, wide)
    assert (w.start, w.deadline) == (at(2, 6), at(2, 7, 30))


def test_a_reminder_written_after_its_evening_window_waits_for_the_morning() -> None:
    meeting = at(2, 8)
    folded = DueMessage(
        DeliveryKind.REMINDER, at(1, 22), True, meeting, 24 * HOUR, written_at=at(1, 22)
    )
    w = window(folded, WIB)
    assert (w.start, w.due) == (at(2, 6), at(2, 6))
    assert w.deadline == at(2, 6, 10)


def test_when_the_morning_is_too_close_to_the_meeting_it_goes_the_evening_before() -> None:
    meeting = at(2, 6, 30)
    w = window(reminder(meeting, 2 * HOUR, private=True), WIB)
    assert (w.start, w.deadline) == (at(1, 20, 30), at(1, 21))


def test_a_window_running_into_the_night_ends_when_the_quiet_hours_begin() -> None:
    w = window(DueMessage(DeliveryKind.ANNOUNCEMENT, at(2, 20), private=True), WIB)
    assert (w.start, w.deadline) == (at(2, 20), at(2, 21))


def test_an_announcement_queued_at_night_goes_in_the_morning() -> None:
    w = window(DueMessage(DeliveryKind.ANNOUNCEMENT, at(2, 23), private=True), WIB)
    assert (w.start, w.due, w.deadline) == (at(3, 6), at(3, 6), at(3, 10))
    assert w.priority is Priority.ANNOUNCEMENT
    group = window(DueMessage(DeliveryKind.ANNOUNCEMENT, at(2, 23), private=False), WIB)
    assert group.start == at(2, 23)


def test_answers_go_at_once_even_at_night() -> None:
    answers = (
        DeliveryKind.NOTICE,
        DeliveryKind.RSVP_REFRESH,
        DeliveryKind.LINK_HINT,
        DeliveryKind.CONFIRM_ANSWERED,
    )
    for kind in answers:
        w = window(DueMessage(kind, at(2, 23), private=True), WIB)
        assert (w.start, w.priority) == (at(2, 23), Priority.ANSWER)
        assert w.deadline - w.start <= timedelta(minutes=1)


def test_quiet_hours_are_configurable_and_can_be_off() -> None:
    late = Policy(quiet=QuietHours(time(22), time(5)))
    w = window(DueMessage(DeliveryKind.CONFIRM_CHASE, at(2, 21, 30), private=True), WIB, late)
    assert w.start == at(2, 21, 30)
    off = window(
        DueMessage(DeliveryKind.CONFIRM_CHASE, at(2, 23), private=True), WIB, Policy(quiet=None)
    )
    assert off.start == at(2, 23)


def test_the_recap_may_go_until_the_evening_and_the_quiz_keeps_its_order() -> None:
    recap = window(DueMessage(DeliveryKind.RECAP, at(2, 11), private=False), WIB)
    quiz = window(DueMessage(DeliveryKind.QUIZ, at(2, 11, 1), private=False), WIB)
    assert (recap.start, recap.deadline) == (at(2, 11), at(2, 21))
    assert quiz.start > recap.start and quiz.deadline == recap.deadline
    late = window(DueMessage(DeliveryKind.RECAP, at(2, 20, 30), private=False), WIB)
    assert late.deadline == at(2, 21, 30)  # at least an hour


def test_a_summary_never_goes_after_the_meeting_starts() -> None:
    meeting = at(2, 8)
    w = window(
        DueMessage(DeliveryKind.SUMMARY, at(1, 8), private=False, meeting_starts_at=meeting), WIB
    )
    assert (w.start, w.due, w.deadline) == (at(1, 6), at(1, 8), at(1, 21))
    soon = at(1, 20)  # set the evening before: the summary is due at once
    w = window(
        DueMessage(DeliveryKind.SUMMARY, at(1, 19), private=False, meeting_starts_at=soon), WIB
    )
    assert w.deadline == soon


def test_priorities_put_answers_and_reminders_before_the_bulk() -> None:
    assert Priority.ANSWER < Priority.REMINDER_GROUP < Priority.REMINDER_PRIVATE
    assert Priority.REMINDER_PRIVATE < Priority.SUMMARY < Priority.RECAP < Priority.ANNOUNCEMENT


def test_every_kind_the_dispatcher_composes_has_a_window() -> None:
    meeting = at(9, 9)
    assert {"reminder", "summary", "recap", "quiz", "announcement"} <= set(COMPOSERS)
    for kind in COMPOSERS:
        message = DueMessage(kind, at(2, 9), False, meeting, timedelta(days=1))
        w = window(message, WIB)
        assert w.start <= w.due <= w.deadline, kind


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(UnknownKind):
        window(DueMessage("carrier_pigeon", at(2, 9), private=True), WIB)  # type: ignore[arg-type]


def test_every_kind_has_a_window_in_a_group_chat_and_a_private_one() -> None:
    meeting = at(9, 9)
    for kind in DeliveryKind:
        for private in (False, True):
            w = window(DueMessage(kind, at(2, 9), private, meeting, timedelta(days=1)), WIB)
            assert w.start <= w.due <= w.deadline, kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21.00-06.00", QuietHours(time(21), time(6))),
        ("22:30 - 05:15", QuietHours(time(22, 30), time(5, 15))),
        ("off", None),
    ],
)
def test_quiet_hours_parse(text: str, expected: QuietHours | None) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize("text", ["21-6", "25.00-06.00", "21.00-21.00", "malam"])
def test_quiet_hours_refuse_what_is_not_two_times(text: str) -> None:
    with pytest.raises(ValueError, match=r"21\.00-06\.00"):
        parse_quiet_hours(text)


def _inside_one_waking_stretch(start: datetime, deadline: datetime, tz: ZoneInfo) -> bool:
    """No moment from start up to the deadline falls in the quiet hours (21.00-06.00): the
    start is awake, and the deadline comes by that evening's 21.00. Exact, and without
    walking the stretch minute by minute (thousands of windows are checked)."""
    if start >= deadline:
        return True
    local = start.astimezone(tz)
    if QuietHours(time(21), time(6)).contains(local.time()):
        return False
    return deadline <= local.replace(hour=21, minute=0, second=0, microsecond=0)


@pytest.mark.parametrize("tz", [WIB, WIT])
def test_no_private_window_touches_the_quiet_hours_whenever_it_falls_due(tz: ZoneInfo) -> None:
    kinds = [
        DeliveryKind.MEETING_CHANGED,
        DeliveryKind.ANNOUNCEMENT,
        DeliveryKind.CONFIRM_CHASE,
        DeliveryKind.COMPLAINT_NEW,
        DeliveryKind.SUMMARY,
    ]
    for minutes in range(0, 2 * 24 * 60, 20):
        due = at(2, 0, tz=tz) + timedelta(minutes=minutes)
        for meeting_hours in (0.5, 1, 2, 5, 11, 26, 73):
            meeting = due + timedelta(hours=meeting_hours)
            messages = [DueMessage(kind, due, True, meeting) for kind in kinds]
            for offset in (timedelta(days=3), timedelta(days=1), 2 * HOUR):
                # A reminder's due time is the meeting less the offset; one whose time had
                # passed when the meeting was set is folded into one due at once (`due`).
                messages.append(
                    DueMessage(DeliveryKind.REMINDER, meeting - offset, True, meeting, offset)
                )
                messages.append(DueMessage(DeliveryKind.REMINDER, due, True, meeting, offset, due))
            for message in messages:
                w = window(message, tz)
                where = f"{message.kind} due {message.due_at:%d %H:%M} meeting {meeting:%d %H:%M}"
                assert w.start <= w.due <= w.deadline, where
                assert _inside_one_waking_stretch(w.start, w.deadline, tz), where
                assert not QuietHours(time(21), time(6)).contains(w.start.astimezone(tz).time())
                if message.written_at is not None:
                    assert w.deadline >= message.written_at, where
