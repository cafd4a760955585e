"""Composers by delivery kind: each feature registers how its deliveries are written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dispatch.message import ComposeContext, Outgoing, Skip
from storage.deliveries import DueDelivery

Composer = Callable[[ComposeContext, DueDelivery], Awaitable[Outgoing]]

COMPOSERS: dict[str, Composer] = {}


def composer(kind: str) -> Callable[[Composer], Composer]:
    def register(function: Composer) -> Composer:
        if kind in COMPOSERS:
            raise ValueError(f"two composers for {kind!r}")
        COMPOSERS[kind] = function
        return function

    return register


async def compose(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    found = COMPOSERS.get(delivery.kind)
    if found is None:
        return Skip(f"no composer for kind {delivery.kind}")
    return await found(context, delivery)
