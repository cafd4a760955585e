"""Handled update ids and the claims a new sender releases, on both databases."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from storage import deliveries
from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus, HandledUpdate
from storage.operations import handled_updates
from timekeeping.clock import ManualClock


async def test_an_update_is_new_once_also_twice_in_one_batch(
    db: SessionFactory, clock: ManualClock
) -> None:
    assert await handled_updates.first_times(db, [10, 11], clock.now()) == [True, True]
    assert await handled_updates.first_times(db, [11, 12, 12, 10], clock.now()) == [
        False,
        True,
        False,
        False,
    ]
    assert await handled_updates.first_times(db, [], clock.now()) == []


async def test_two_instances_recording_the_same_update_at_once_act_once(
    db: SessionFactory, clock: ManualClock
) -> None:
    answers = await asyncio.gather(
        *(handled_updates.first_times(db, [77], clock.now()) for _ in range(4))
    )
    assert sorted(answer for (answer,) in answers) == [False, False, False, True]


async def test_ids_older_than_two_days_are_pruned(db: SessionFactory, clock: ManualClock) -> None:
    await handled_updates.first_times(db, [1], clock.now())
    clock.advance(timedelta(days=1))
    await handled_updates.first_times(db, [2], clock.now())
    clock.advance(timedelta(days=1, minutes=1))
    async with db.begin() as session:
        assert await handled_updates.prune(session, clock.now()) == 1
    async with db.begin() as session:
        assert list(await session.scalars(select(HandledUpdate.update_id))) == [2]


async def test_a_new_sender_releases_every_claim_at_once(
    db: SessionFactory, clock: ManualClock
) -> None:
    async with db.begin() as session:
        for key in ("a", "b", "c"):
            await deliveries.enqueue(
                session, key=key, kind="notice", chat_id=77, due_at=clock.now()
            )
    claimed = await deliveries.claim_due(db, clock.now(), 2)  # a sender that then died
    assert len(claimed) == 2
    assert await deliveries.claim_due(db, clock.now(), 10) != []  # the third only
    assert await deliveries.release_claims(db) == 3
    async with db.begin() as session:
        waiting = await session.scalar(
            select(func.count()).where(
                Delivery.status == DeliveryStatus.PENDING, Delivery.claimed_until.is_(None)
            )
        )
    assert waiting == 3
    assert len(await deliveries.claim_due(db, clock.now(), 10)) == 3  # due again, now
