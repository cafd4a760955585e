"""Why scheduling a meeting or answering its RSVP was refused (views/refusals.py words them)."""

from __future__ import annotations

from storage.errors import NotAllowed, UseCaseError


class DatePast(UseCaseError):
    """The chosen day is before today (in the group's time zone)."""


class DateFar(UseCaseError):
    """The chosen day is more than MAX_DAYS_AHEAD away."""


class TimePast(UseCaseError):
    """The chosen moment has passed."""


class NoSession(UseCaseError):
    """The session number is not one of the P2K2 sessions."""


class UnknownGroupCode(UseCaseError):
    """A typed group code that names none of the facilitator's groups."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


class AlreadyCancelled(UseCaseError):
    """The meeting was cancelled already."""


class AlreadyStarted(UseCaseError):
    """The meeting has started: it can no longer be moved or cancelled."""


class RsvpCancelled(UseCaseError):
    """An RSVP press for a cancelled meeting."""


class RsvpPast(UseCaseError):
    """An RSVP press after the meeting started."""


class RsvpNotMember(NotAllowed):
    """The person who pressed is not a member of the group."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group
