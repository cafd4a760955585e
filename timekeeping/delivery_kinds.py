"""Every kind of due delivery, and whether it belongs to a meeting.

A new kind is added here, given a send window in timekeeping/send_windows.py, a composer in
scheduler/composers (checked when the dispatcher starts), and enqueued by a storage use case.
Kinds that belong to a meeting are dropped when the meeting is cancelled or moved, so nothing
about an old plan goes out.

It lives on the bottom floor so that the send windows name kinds by these members, not by
strings; storage/deliveries/delivery_kinds.py re-exports it. Pure: standard library only."""

from __future__ import annotations

import enum


class DeliveryKind(enum.StrEnum):
    meeting: bool

    def __new__(cls, value: str, meeting: bool = False) -> DeliveryKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.meeting = meeting
        return member

    # A meeting's own messages.
    REMINDER = "reminder", True
    SUMMARY = "summary", True
    RECAP = "recap", True
    QUIZ = "quiz", True
    MEETING_CHANGED = "meeting_changed", True
    RSVP_REFRESH = "rsvp_refresh"
    REPLAN = "replan"
    # People and groups.
    NOTICE = "notice"
    LINK_HINT = "link_hint"
    # "X says she is Siti Aminah": to the chair or the facilitator, with Benar / Bukan.
    JOIN_QUESTION = "join_question"
    # "Ibu X asks to erase her data": to her facilitator, with Hapus / Jangan dulu.
    ERASURE_QUESTION = "erasure_question"
    ANNOUNCEMENT = "announcement"
    ANNOUNCEMENT_REPORT = "announcement_report"
    # Confirmations with chairs.
    CONFIRM_REQUEST = "confirm_request"
    CONFIRM_CHASE = "confirm_chase"
    CONFIRM_ESCALATION = "confirm_escalation"
    CONFIRM_ANSWERED = "confirm_answered"
    # The monthly proposal of meetings from the groups' standing rules.
    MONTH_PLAN = "month_plan"
    # Complaints.
    COMPLAINT_NEW = "complaint_new"
    COMPLAINT_MORE = "complaint_more"
    COMPLAINT_UPDATE = "complaint_update"
    COMPLAINT_ESCALATION = "complaint_escalation"
    COMPLAINT_PROTECTED = "complaint_protected"
    # One step of an unanswered complaint's climb: sends nothing, queues the next level's
    # escalations when due (chat 0, like REPLAN).
    COMPLAINT_CLIMB = "complaint_climb"


MEETING_KINDS = tuple(kind for kind in DeliveryKind if kind.meeting)

# Kinds that go to staff (facilitators, coordinators and those above them): the quiet hours
# spare members at night, not the people whose work is to answer them.
TO_STAFF = frozenset(
    {
        DeliveryKind.COMPLAINT_NEW,
        DeliveryKind.COMPLAINT_MORE,
        DeliveryKind.COMPLAINT_ESCALATION,
        DeliveryKind.COMPLAINT_PROTECTED,
        DeliveryKind.COMPLAINT_CLIMB,
        DeliveryKind.CONFIRM_ESCALATION,
        DeliveryKind.CONFIRM_ANSWERED,
        DeliveryKind.ANNOUNCEMENT_REPORT,
        DeliveryKind.ERASURE_QUESTION,
    }
)
