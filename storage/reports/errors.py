"""Why a report use case says no (views/refusals.py words each one)."""

from __future__ import annotations

from storage.errors import NotAllowed, UseCaseError


class ReportsNotAllowed(NotAllowed):
    """Reports are for facilitators, coordinators and group chairs (the roll-up for
    coordinators)."""


class GroupNotYours(UseCaseError):
    """A typed group code names no group this person reports on."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code  # as typed, cut to 20 characters


class BadMonth(UseCaseError):
    """What was typed is not a year and a month."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text  # as typed, cut to 20 characters


class NoSuchMonth(UseCaseError):
    """A year and a month whose month is not 1 to 12."""

    def __init__(self, text: str, month: int) -> None:
        super().__init__()
        self.text = text
        self.month = month


class FutureMonth(UseCaseError):
    """A month that has not begun anywhere in Indonesia yet."""

    def __init__(self, month: int) -> None:
        super().__init__()
        self.month = month  # 202612
