"""Wording a refusal: the text key and its values for each typed error storage raises.

One entry per error class, grouped by feature; `words` looks along the class's bases, so a
feature's refusal may fall back on a shared one. tests/test_refusals.py checks that every
typed refusal of storage has its words here."""

from __future__ import annotations

from collections.abc import Callable

from content.sessions import CORE_SESSION_COUNT
from storage import attendance, confirmations, groups, joining, roster
from storage.complaints import errors as complaint
from storage.errors import (
    CoordinatorsOnly,
    EmptyText,
    FacilitatorsOnly,
    NotAllowed,
    NotFound,
    NotYourGroup,
    TooLong,
    UseCaseError,
)
from storage.groups import places
from storage.joining import Stopped, onboarding, staff_invites
from storage.meetings.errors import (
    AlreadyCancelled,
    AlreadyStarted,
    DateFar,
    DatePast,
    NoSession,
    RsvpCancelled,
    RsvpNotMember,
    RsvpPast,
    TimePast,
    UnknownGroupCode,
)
from storage.meetings.recurring import (
    DayOutsideMonth,
    InactiveGroup,
    MonthOutOfRange,
    UnknownRuleGroupCode,
)
from storage.privacy import correction, erasure
from storage.reports import errors as report
from storage.reports.activity_record import (
    BadLocation,
    EndBeforeStart,
    EndTimeFormat,
    PhotoCancelled,
    PhotoStaffOfGroup,
    PhotoTooEarly,
    TooManyWords,
)
from storage.reports.exports import NoMeetings
from timekeeping.months import month_text

Words = tuple[str, dict[str, object]]


def _plain(key: str) -> Callable[[UseCaseError], Words]:
    return lambda _error: (key, {})


def _with(key: str, *fields: str) -> Callable[[UseCaseError], Words]:
    """The text `key` with the refusal's fields of these names as its values."""
    return lambda error: (key, {name: getattr(error, name) for name in fields})


def _no_meetings(error: UseCaseError) -> Words:
    assert isinstance(error, NoMeetings)
    return "reports.no_meetings", {"month": month_text(error.month)}


def _outside_area(error: UseCaseError) -> Words:
    assert isinstance(error, places.OutsideArea)
    if error.kecamatan:
        return "places.outside_kecamatan", {"place": error.place, "areas": error.areas}
    return "places.outside", {"place": error.place}


def _too_long(error: UseCaseError) -> Words:
    assert isinstance(error, TooLong)
    return "errors.too_long", {"limit": error.limit, "length": error.length}


def _unknown_code(error: UseCaseError) -> Words:
    assert isinstance(error, UnknownGroupCode)
    return "meetings.errors.unknown_code", {"code": error.code}


def _rsvp_not_member(error: UseCaseError) -> Words:
    assert isinstance(error, RsvpNotMember)
    return "meetings.rsvp.not_member", {"group": error.group}


def _inactive_group(error: UseCaseError) -> Words:
    assert isinstance(error, InactiveGroup)
    return "recurring.errors.inactive_group", {"group": error.group}


def _rule_code(error: UseCaseError) -> Words:
    assert isinstance(error, UnknownRuleGroupCode)
    return "recurring.errors.unknown_code", {"code": error.code}


def _stopped(error: UseCaseError) -> Words:
    assert isinstance(error, Stopped)
    return "joining.stopped", {"facilitator": error.facilitator}


def _too_many_words(error: UseCaseError) -> Words:
    assert isinstance(error, TooManyWords)
    return "reports.too_many_words", {"words": error.words, "limit": error.limit}


def _end_before_start(error: UseCaseError) -> Words:
    assert isinstance(error, EndBeforeStart)
    return "reports.end_before_start", {"start": error.start}


def _future_month(error: UseCaseError) -> Words:
    assert isinstance(error, report.FutureMonth)
    return "reports.future_month", {"month": month_text(error.month)}


WORDS: dict[type[UseCaseError], Callable[[UseCaseError], Words]] = {
    # shared
    NotAllowed: _plain("errors.not_allowed"),
    NotFound: _plain("errors.stale_button"),
    NotYourGroup: _plain("errors.not_your_group"),
    FacilitatorsOnly: _plain("errors.facilitators_only"),
    CoordinatorsOnly: _plain("errors.coordinators_only"),
    EmptyText: _plain("errors.empty_text"),
    TooLong: _too_long,
    # meetings
    DatePast: _plain("meetings.errors.date_past"),
    DateFar: _plain("meetings.errors.date_far"),
    TimePast: _plain("meetings.errors.time_past"),
    # The text names the last core session (raising it with no values failed to render).
    NoSession: lambda _error: ("meetings.errors.no_session", {"last": CORE_SESSION_COUNT}),
    UnknownGroupCode: _unknown_code,
    AlreadyCancelled: _plain("meetings.errors.already_cancelled"),
    AlreadyStarted: _plain("meetings.errors.already_started"),
    RsvpCancelled: _plain("meetings.rsvp.cancelled"),
    RsvpPast: _plain("meetings.rsvp.past"),
    RsvpNotMember: _rsvp_not_member,
    # groups and rosters
    groups.ChatBoundElsewhere: _with("errors.chat_bound_elsewhere", "group"),
    roster.SameGroup: _plain("errors.same_group"),
    roster.AlreadyInGroup: _with("errors.already_in_group", "group"),
    places.UnknownPlace: _plain("places.unknown"),
    places.OutsideArea: _outside_area,
    onboarding.AlreadyCoordinator: _plain("errors.already_coordinator"),
    onboarding.ChairLinkNotForMembers: _plain("onboarding.chair_link_not_for_members"),
    # privacy
    correction.NoGroupToCorrect: _plain("privacy.correct_no_group"),
    erasure.StaffCannotErase: _plain("privacy.erase_staff"),
    erasure.ErasureAnswered: _plain("privacy.erase_answered_already"),
    # exports
    NoMeetings: _no_meetings,
    # confirmations
    confirmations.CountNegative: _plain("confirm.count_negative"),
    confirmations.NotYourRequest: _plain("confirm.not_your_request"),
    confirmations.AlreadyConfirmed: _plain("confirm.already_answered"),
    confirmations.WrongStep: _plain("confirm.wrong_step"),
    confirmations.CountTooHigh: _with("confirm.count_too_high", "count", "roster"),
    # attendance
    attendance.ChairOnly: _plain("attendance.chair_only"),
    attendance.NoMeeting: _with("attendance.no_meeting", "group"),
    attendance.Locked: _plain("attendance.locked"),
    attendance.UnmarkedLeft: _with("attendance.unmarked_left", "count"),
    attendance.NotMember: _plain("attendance.not_member"),
    attendance.CheckinClosed: _plain("attendance.checkin_closed"),
    # the activity record (meeting photo, description, end time)
    TooManyWords: _too_many_words,
    EndTimeFormat: _plain("reports.end_time_format"),
    EndBeforeStart: _end_before_start,
    PhotoStaffOfGroup: _plain("reports.photo_staff_of_group"),
    PhotoCancelled: _plain("reports.photo_cancelled"),
    PhotoTooEarly: _plain("reports.photo_too_early"),
    BadLocation: _plain("reports.bad_location"),
    # joining
    Stopped: _stopped,
    joining.NameNotInGroup: _plain("errors.name_not_in_group"),
    joining.AlreadyYou: _with("joining.already_you", "group"),
    joining.NameTaken: _plain("errors.name_taken"),
    joining.NotYourRequest: _plain("joining.not_yours"),
    joining.AlreadyAnswered: _plain("joining.already_answered"),
    joining.LineTaken: _plain("joining.line_taken"),
    joining.NotLinked: _plain("joining.not_linked"),
    # recurring meetings
    InactiveGroup: _inactive_group,
    UnknownRuleGroupCode: _rule_code,
    MonthOutOfRange: _plain("recurring.errors.month_range"),
    DayOutsideMonth: _plain("recurring.errors.day_outside_month"),
    # complaints
    complaint.NotYours: _plain("complaints.not_yours"),
    complaint.NotInGroup: _plain("complaints.not_in_group"),
    complaint.TooManyFiles: _with("complaints.too_many_files", "limit"),
    complaint.NotOpen: _with("complaints.not_open", "number"),
    complaint.AlreadyClosed: _with("complaints.already_closed", "number"),
    complaint.NotResolved: _with("complaints.not_resolved", "number"),
    complaint.SameStatus: _plain("complaints.same_status"),
    complaint.AlreadyWithCoordinators: _plain("complaints.already_with_coordinators"),
    complaint.NobodyAbove: _plain("complaints.nobody_above"),
    complaint.SameFacilitator: _plain("complaints.same_facilitator"),
    complaint.NotAFacilitator: _plain("complaints.not_a_facilitator"),
    # reports
    report.ReportsNotAllowed: _plain("reports.not_allowed"),
    report.GroupNotYours: _with("reports.group_not_yours", "code"),
    report.BadMonth: _with("reports.bad_month", "text"),
    report.NoSuchMonth: _with("reports.no_such_month", "text", "month"),
    report.FutureMonth: _future_month,
    # inviting staff (storage/access.invite_refusal decides)
    staff_invites.NeedsKecamatan: _plain("staff.needs_kecamatan"),
    staff_invites.NotKecamatan: _with("staff.not_kecamatan", "place"),
    staff_invites.NotKabupaten: _with("staff.not_kabupaten", "place"),
    staff_invites.OutsideArea: _with("staff.outside_area", "place", "areas"),
    staff_invites.KorwilOnly: _plain("staff.korwil_only"),
    staff_invites.NoSuchCode: _with("staff.no_such_code", "code", "nearest"),
    staff_invites.AlreadyFacilitator: _plain("staff.already_facilitator"),
    staff_invites.AlreadyEverywhere: _plain("staff.already_everywhere"),
}


def words(error: UseCaseError) -> Words:
    """The text key and values that explain `error` to the person."""
    if error.key:
        return error.key, dict(error.params)
    for kind in type(error).__mro__:
        word = WORDS.get(kind)
        if word is not None:
            return word(error)
    raise LookupError(f"no words for {type(error).__name__} (views/refusals.py)")
