"""Composers by delivery kind: each feature registers how its deliveries are written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from scheduler.message import ComposeContext, Outgoing, Skip
from storage.deliveries import DueDelivery
from storage.deliveries.delivery_kinds import DeliveryKind

Composer = Callable[[ComposeContext, DueDelivery], Awaitable[Outgoing]]

COMPOSERS: dict[DeliveryKind, Composer] = {}


def composer(kind: DeliveryKind) -> Callable[[Composer], Composer]:
    def register(function: Composer) -> Composer:
        if kind in COMPOSERS:
            raise ValueError(f"two composers for {kind!r}")
        COMPOSERS[kind] = function
        return function

    return register


def check_every_kind_composed() -> None:
    """At start-up: a kind without a composer would be skipped at run time, silently."""
    missing = [kind.value for kind in DeliveryKind if kind not in COMPOSERS]
    if missing:
        raise RuntimeError(f"delivery kinds without a composer: {', '.join(missing)}")


async def compose(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    try:
        found = COMPOSERS.get(DeliveryKind(delivery.kind))
    except ValueError:
        found = None
    if found is None:
        return Skip(f"no composer for kind {delivery.kind}")
    return await found(context, delivery)
