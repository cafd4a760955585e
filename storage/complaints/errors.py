"""Why a complaint use case says no (views/refusals.py words each one).

Every refusal to see or act on a ticket is `NotYours`, whether the ticket exists or not, so
ticket numbers cannot be probed."""

from __future__ import annotations

from storage.errors import NotAllowed, UseCaseError


class NotYours(NotAllowed):
    """The ticket is not one this person filed or handles (or there is no such ticket)."""


class NotInGroup(UseCaseError):
    """The member files for a group she is not (or no longer) an active member of."""


class TooManyFiles(UseCaseError):
    """More files than a ticket takes at once."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit


class NotOpen(UseCaseError):
    """The member adds to a ticket that is no longer open."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number  # the ticket as people read it, K-0012


class AlreadyClosed(UseCaseError):
    """Staff act on a ticket the member has closed."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number  # the ticket as people read it, K-0012


class NotResolved(UseCaseError):
    """The member closes or reopens a ticket that was not resolved (or rejected)."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number  # the ticket as people read it, K-0012


class SameStatus(UseCaseError):
    """The ticket has that status already."""


class AlreadyWithCoordinators(UseCaseError):
    """A protected complaint is forwarded: it is with the coordinators from the start."""


class NobodyAbove(UseCaseError):
    """Forwarding found nobody above who can be reached; nothing changed."""


class SameFacilitator(UseCaseError):
    """A handover from a facilitator to herself."""


class NotAFacilitator(UseCaseError):
    """A handover to someone who is not an active facilitator of the coordinator's area."""
