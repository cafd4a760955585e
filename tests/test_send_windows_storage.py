"""The live claim honours send windows: early under load (never before the window), quiet
hours for private messages, answers first. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage import deliveries
from storage.db import SessionFactory, session_factory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.models import Delivery
from timekeeping.send_windows import Policy, SendRules

NIGHT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 22.00 WIB
MORNING = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 06.00 WIB the next day
MEETING = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # 09.00 WIB


@pytest.fixture
def db(engine: AsyncEngine) -> SessionFactory:
    """The project's rules, spelt out: quiet hours 21.00-06.00, Western Indonesian time."""
    return session_factory(engine, SendRules(Policy(), "Asia/Jakarta"))


async def reminder(db: SessionFactory, key: str, chat_id: int, offset: timedelta) -> None:
    async with db.begin() as session:
        await deliveries.enqueue(
            session,
            key=key,
            kind=DeliveryKind.REMINDER,
            chat_id=chat_id,
            due_at=MEETING - offset,
            payload={"offset": int(offset.total_seconds())},
            meeting_starts_at=MEETING,
        )


async def keys(db: SessionFactory, now: datetime, rate: float | None = None) -> list[str]:
    claimed = await deliveries.claim_due(db, now, 1000, rate=rate, tick=timedelta(seconds=10))
    async with db.begin() as session:
        for delivery in claimed:
            await deliveries.mark_sent(session, delivery.id, 1, now)
    return [d.key for d in claimed]


async def test_a_wave_starts_early_inside_its_window_and_never_before(db: SessionFactory) -> None:
    two_hours = timedelta(hours=2)
    for index in range(600):
        await reminder(db, f"r{index}", 1000 + index, two_hours)
    due = MEETING - two_hours  # 07.00 WIB; the window opens 30 minutes earlier
    # At 1 message a second, 600 reminders need 10 minutes before 07.00: none before 06.30...
    assert await keys(db, due - timedelta(minutes=31), rate=1.0) == []
    # ...and from 10 minutes before the deadline, each tick takes its share.
    assert len(await keys(db, due - timedelta(minutes=10), rate=1.0)) >= 10
    # Without the load they would wait for their time.
    assert await keys(db, due - timedelta(minutes=20), rate=1.0) == []


async def test_the_group_copy_goes_before_the_private_ones(db: SessionFactory) -> None:
    for index in range(3):
        await reminder(db, f"private{index}", 1000 + index, timedelta(hours=2))
    await reminder(db, "group", -100123, timedelta(hours=2))
    claimed = await keys(db, MEETING - timedelta(hours=2))
    assert claimed[0] == "group" and sorted(claimed[1:]) == ["private0", "private1", "private2"]


async def test_private_messages_wait_for_the_morning_but_answers_do_not(db: SessionFactory) -> None:
    async with db.begin() as session:
        await deliveries.enqueue(
            session, key="news", kind=DeliveryKind.ANNOUNCEMENT, chat_id=1001, due_at=NIGHT
        )
        await deliveries.enqueue(
            session, key="group-news", kind=DeliveryKind.ANNOUNCEMENT, chat_id=-1001, due_at=NIGHT
        )
        await deliveries.enqueue(
            session, key="answer", kind=DeliveryKind.NOTICE, chat_id=1001, due_at=NIGHT
        )
    assert await keys(db, NIGHT) == ["answer", "group-news"]
    assert await keys(db, MORNING - timedelta(minutes=1)) == []
    assert await keys(db, MORNING) == ["news"]


async def test_answers_go_before_a_wave_that_is_already_due(db: SessionFactory) -> None:
    for index in range(5):
        await reminder(db, f"r{index}", 1000 + index, timedelta(hours=2))
    async with db.begin() as session:
        await deliveries.enqueue(
            session,
            key="answer",
            kind=DeliveryKind.NOTICE,
            chat_id=555,
            due_at=MEETING - timedelta(hours=2),
        )
    claimed = await keys(db, MEETING - timedelta(hours=2))
    assert claimed[0] == "answer" and len(claimed) == 6


async def test_a_misspelt_kind_fails_where_it_is_enqueued(db: SessionFactory) -> None:
    with pytest.raises(ValueError):
        async with db.begin() as session:
            await deliveries.enqueue(
                session,
                key="x",
                kind="reminde",  # type: ignore[arg-type]
                chat_id=1,
                due_at=NIGHT,
            )


async def test_staff_are_told_at_night_members_are_not(db: SessionFactory) -> None:
    async with db.begin() as session:
        await deliveries.enqueue(
            session, key="to-staff", kind=DeliveryKind.COMPLAINT_NEW, chat_id=2001, due_at=NIGHT
        )
        await deliveries.enqueue(
            session, key="to-member", kind=DeliveryKind.COMPLAINT_UPDATE, chat_id=2002, due_at=NIGHT
        )
    assert await keys(db, NIGHT) == ["to-staff"]
    assert await keys(db, MORNING) == ["to-member"]


async def test_the_rules_come_with_the_session_factory(engine: AsyncEngine) -> None:
    # Two factories on one database: quiet hours off, and a chat without a group an hour
    # east (Central Indonesian time), where 06.00 comes an hour before it does in Jakarta.
    awake = session_factory(engine, SendRules(Policy(quiet=None), "Asia/Jakarta"))
    east = session_factory(engine, SendRules(Policy(), "Asia/Makassar"))
    async with awake.begin() as session:
        await deliveries.enqueue(
            session, key="awake", kind=DeliveryKind.ANNOUNCEMENT, chat_id=3001, due_at=NIGHT
        )
    async with east.begin() as session:
        await deliveries.enqueue(
            session, key="east", kind=DeliveryKind.ANNOUNCEMENT, chat_id=3002, due_at=NIGHT
        )
    assert await keys(awake, NIGHT) == ["awake"]
    assert await keys(east, MORNING - timedelta(hours=1, minutes=1)) == []
    assert await keys(east, MORNING - timedelta(hours=1)) == ["east"]


async def test_a_session_made_elsewhere_has_no_rules_to_guess(engine: AsyncEngine) -> None:
    with pytest.raises(LookupError, match="session_factory"):
        async with AsyncSession(engine) as session:
            await deliveries.enqueue(
                session, key="x", kind=DeliveryKind.NOTICE, chat_id=1, due_at=NIGHT
            )


async def test_many_enqueued_at_once_are_the_rows_enqueued_one_by_one(db: SessionFactory) -> None:
    """enqueue_many (an announcement's thousands of rows) writes what enqueue writes: the same
    windows (a private announcement at night waits for the morning), existing keys kept."""

    def planned(key: str, chat_id: int) -> deliveries.Planned:
        return deliveries.Planned(key, DeliveryKind.ANNOUNCEMENT, chat_id, NIGHT)

    async with db.begin() as session:
        assert await deliveries.enqueue(
            session, key="one:5", kind=DeliveryKind.ANNOUNCEMENT, chat_id=5, due_at=NIGHT
        )
        assert await deliveries.enqueue(
            session, key="one:-9", kind=DeliveryKind.ANNOUNCEMENT, chat_id=-9, due_at=NIGHT
        )
        rows = [planned("one:5", 5), planned("many:5", 5), planned("many:-9", -9)]
        assert await deliveries.enqueue_many(session, [*rows, planned("many:5", 5)]) == 2
        assert await deliveries.enqueue_many(session, rows) == 0
        found = {
            d.key: (d.due_at, d.send_from, d.send_by, d.priority, d.status)
            for d in await session.scalars(select(Delivery))
        }
    assert sorted(found) == ["many:-9", "many:5", "one:-9", "one:5"]
    assert found["many:5"] == found["one:5"] and found["many:-9"] == found["one:-9"]
    assert found["many:5"][1] == MORNING  # quiet hours: the private copy waits
    assert found["many:-9"][1] == NIGHT  # a group chat is not held
