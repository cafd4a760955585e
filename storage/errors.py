"""Refusals a use case reports to its handler.

A refusal is typed: its class says what went wrong and its fields carry what the message
needs; views/refusals.py words it for the person (storage names no text). A handler that
refuses what it parsed itself may still name its text: `UseCaseError("feature.key", **params)`."""

from __future__ import annotations


class UseCaseError(Exception):
    """A refusal the user can act on. `key` is set only by the text-naming form handlers use."""

    def __init__(self, key: str = "", **params: object) -> None:
        super().__init__(key or type(self).__name__)
        self.key = key
        self.params = params


class NotAllowed(UseCaseError):
    """The person may not do this; a subclass says why."""


class NotFound(UseCaseError):
    """What a button or link names is gone, or never was (callback data is untrusted)."""


class NotYourGroup(NotAllowed):
    """The group is not one the person works with."""


class FacilitatorsOnly(NotAllowed):
    """Only a facilitator (pendamping) may do this."""


class CoordinatorsOnly(NotAllowed):
    """Only a coordinator may do this."""


class EmptyText(UseCaseError):
    """The person sent nothing but spaces where a text was asked for."""


class TooLong(UseCaseError):
    """A text over its limit (characters)."""

    def __init__(self, limit: int, length: int) -> None:
        super().__init__()
        self.limit = limit
        self.length = length
