"""`p2k2 status`: who dispatches, the queue by kind, the oldest due item, recent failures."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from storage import deliveries
from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus, DispatcherHeartbeat
from storage.operations.status import dispatcher_status, render
from timekeeping.clock import ManualClock


async def add(
    db: SessionFactory,
    clock: ManualClock,
    key: str,
    kind: str,
    due_in: timedelta,
    status: DeliveryStatus = DeliveryStatus.PENDING,
    reason: str | None = None,
) -> None:
    async with db.begin() as session:
        await deliveries.enqueue(
            session, key=key, kind=kind, chat_id=77, due_at=clock.now() + due_in
        )
        await session.execute(
            update(Delivery)
            .where(Delivery.key == key)
            .values(
                status=status,
                reason=reason,
                sent_at=clock.now() if status is DeliveryStatus.SENT else None,
                attempts=3 if reason else 0,
            )
        )


async def test_an_empty_database_says_nobody_dispatches(
    db: SessionFactory, clock: ManualClock
) -> None:
    status = await dispatcher_status(db, clock.now())
    assert status.holder is None and not status.dispatching
    text = render(status)
    assert "no process has dispatched yet" in text
    assert "queue: empty" in text and "nothing is due" in text
    assert "failed for good in the last day: none" in text


async def test_status_shows_holder_queue_oldest_and_failures(
    db: SessionFactory, clock: ManualClock
) -> None:
    async with db.begin() as session:
        session.add(DispatcherHeartbeat(id=1, holder="host:123", ticked_at=clock.now()))
    await add(db, clock, "a", "reminder", -timedelta(minutes=5), reason="TimedOut: slow")
    await add(db, clock, "b", "reminder", -timedelta(minutes=1))
    await add(db, clock, "c", "reminder", timedelta(hours=3))
    await add(db, clock, "d", "notice", timedelta(0), DeliveryStatus.SENDING)
    await add(db, clock, "e", "notice", -timedelta(hours=2), DeliveryStatus.FAILED, "Boom")
    await add(db, clock, "f", "notice", -timedelta(hours=3), DeliveryStatus.FAILED, "Boom")
    await add(db, clock, "g", "notice", -timedelta(days=3), DeliveryStatus.FAILED, "Old")
    await add(db, clock, "h", "summary", -timedelta(hours=1), DeliveryStatus.SENT)

    clock.advance(timedelta(seconds=30))
    status = await dispatcher_status(db, clock.now())

    assert status.holder == "host:123" and status.dispatching
    queue = {line.kind: (line.pending, line.due, line.sending) for line in status.queue}
    assert queue == {"reminder": (3, 2, 0), "notice": (0, 0, 1)}
    assert status.oldest_due is not None and status.oldest_due.key == "a"
    assert [(f.kind, f.reason, f.count) for f in status.failures] == [("notice", "Boom", 2)]
    assert status.sent_last_day == 1

    text = render(status)
    assert "dispatching; last tick by host:123 30 s ago" in text
    assert "reminder" in text and "total" in text
    assert "oldest due: reminder to chat 77, due 5 min late (3 tries; TimedOut: slow)" in text
    assert "2  notice: Boom" in text and "Old" not in text

    # A heartbeat minutes old means the sender died or lost its lock.
    clock.advance(timedelta(minutes=10))
    stale = render(await dispatcher_status(db, clock.now()))
    assert "NOT dispatching (heartbeat is stale)" in stale
