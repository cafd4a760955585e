"""Typed-text steps: each feature registers the steps it answers, beside their handlers.

A person's pending step (`Person.awaiting`) names what her next typed message answers; the
text router (handlers/input.py) looks the step up here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.base import Request

StepHandler = Callable[[Request], Awaitable[None]]

TEXT_STEPS: dict[str, StepHandler] = {}


def text_step(*steps: str) -> Callable[[StepHandler], StepHandler]:
    """Register `handler` as the answer to typed text while any of `steps` is pending."""

    def register(handler: StepHandler) -> StepHandler:
        for step in steps:
            if step in TEXT_STEPS:
                raise ValueError(f"two handlers for the typed step {step!r}")
            TEXT_STEPS[step] = handler
        return handler

    return register
