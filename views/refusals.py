"""Wording a refusal: the text key and its values for each typed error storage raises.

One entry per error class, grouped by feature; `words` looks along the class's bases, so a
feature's refusal may fall back on a shared one. tests/test_refusals.py checks that every
typed refusal of storage has its words here."""

from __future__ import annotations

from collections.abc import Callable

from content.sessions import CORE_SESSION_COUNT
from storage.activity_record import (
    BadLocation,
    EndBeforeStart,
    EndTimeFormat,
    PhotoCancelled,
    PhotoStaffOfGroup,
    PhotoTooEarly,
    TooManyWords,
)
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
from storage.joining import Stopped
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
from storage.recurring import DayOutsideMonth, InactiveGroup, MonthOutOfRange, UnknownRuleGroupCode

Words = tuple[str, dict[str, object]]


def _plain(key: str) -> Callable[[UseCaseError], Words]:
    return lambda _error: (key, {})


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
    # recurring meetings
    InactiveGroup: _inactive_group,
    UnknownRuleGroupCode: _rule_code,
    MonthOutOfRange: _plain("recurring.errors.month_range"),
    DayOutsideMonth: _plain("recurring.errors.day_outside_month"),
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
