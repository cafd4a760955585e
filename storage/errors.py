"""Errors a use case reports to its handler; each maps to one text in content/texts."""

from __future__ import annotations


class UseCaseError(Exception):
    """A refusal the user can act on; `key` names the text that explains it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotAllowed(UseCaseError):
    def __init__(self, key: str = "errors.not_allowed", **params: object) -> None:
        super().__init__(key, **params)


class NotFound(UseCaseError):
    def __init__(self, key: str = "errors.stale_button", **params: object) -> None:
        super().__init__(key, **params)
