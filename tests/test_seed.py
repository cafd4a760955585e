"""`p2k2 seed`: a small synthetic data set is consistent on both engines and usable by the app."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from devdata.seed import (
    COORDINATOR_USER_ID,
    SPECIAL,
    SeedError,
    SeedPlan,
    facilitator_user_id,
    group_chat_id,
    known_chats,
    member_user_id,
    person_name,
    seed,
)
from storage import meetings
from storage.db import SessionFactory
from storage.models import (
    Delivery,
    DeliveryStatus,
    Group,
    Meeting,
    Member,
    Person,
    Rsvp,
    StaffRole,
)
from timekeeping.clock import ManualClock

PLAN = SeedPlan(groups=23, members=6, months=3, telegram_share=0.5)


async def count(db: SessionFactory, model: type, *where: ColumnElement[bool]) -> int:
    async with db.begin() as session:
        found = await session.scalar(select(func.count()).select_from(model).where(*where))
        return int(found or 0)


async def test_seed_writes_a_consistent_data_set(
    engine: AsyncEngine, db: SessionFactory, clock: ManualClock
) -> None:
    summary = await seed(engine, PLAN, clock.now())

    assert summary.rows["groups"] == 23
    assert summary.rows["members"] == 23 * 6
    assert await count(db, Meeting) == 23 * (3 + 1)
    # One coordinator and a facilitator per 20 groups; every chair uses Telegram.
    assert await count(db, Person, Person.staff_role == StaffRole.FACILITATOR) == 2
    async with db.begin() as session:
        coordinator = await session.scalar(
            select(Person).where(Person.telegram_user_id == COORDINATOR_USER_ID)
        )
        assert coordinator is not None and coordinator.staff_role is StaffRole.COORDINATOR
        groups = list(await session.scalars(select(Group).order_by(Group.id)))
        assert [g.chat_id for g in groups] == [group_chat_id(i) for i in range(23)]
        for index, group in enumerate(groups):
            facilitator = await session.get_one(Person, group.facilitator_id)
            assert facilitator.telegram_user_id == facilitator_user_id(index // 20)
            assert group.chair_member_id is not None
            chair = await session.get_one(Member, group.chair_member_id)
            assert chair.group_id == group.id and chair.person_id is not None
        # Members with Telegram have the ids the emulator is told about.
        linked = (
            await session.execute(
                select(Member.programme_id, Person.telegram_user_id).join(
                    Person, Person.id == Member.person_id
                )
            )
        ).all()
        assert linked and all(tid == member_user_id(int(str(pid)[4:])) for pid, tid in linked)
        # Every RSVP is by a member of the meeting's own group.
        strays = await session.scalar(
            select(func.count())
            .select_from(Rsvp)
            .join(Meeting, Meeting.id == Rsvp.meeting_id)
            .join(Member, Member.id == Rsvp.member_id)
            .where(Member.group_id != Meeting.group_id)
        )
        assert strays == 0
        # History is sent; the upcoming meetings' reminders wait, none due yet.
        due = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= clock.now())
        )
        assert due == 0
        assert await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == DeliveryStatus.SENT)
        )

    chats = await known_chats(engine)
    assert {COORDINATOR_USER_ID, facilitator_user_id(0)} <= {u for u, _ in chats.users}
    assert len(chats.groups) == 23
    assert len(chats.users) == await count(db, Person, Person.telegram_user_id.is_not(None))

    # The app's own queries read the seeded meetings.
    async with db.begin() as session:
        upcoming = await session.scalar(
            select(Meeting.id).where(Meeting.starts_at > clock.now()).limit(1)
        )
    detail = await meetings.for_delivery(db, upcoming)
    assert detail is not None and detail.meeting.starts_at > clock.now()

    # The id sequences moved past the seeded rows: the app can add people afterwards.
    async with db.begin() as session:
        session.add(Person(telegram_user_id=42, name="Baru"))
    assert await count(db, Person, Person.telegram_user_id == 42) == 1


async def test_feature_tables_are_filled_when_present(
    engine: AsyncEngine, db: SessionFactory, clock: ManualClock
) -> None:
    summary = await seed(engine, PLAN, clock.now())
    for table in ("attendance", "confirmation_requests", "complaints"):
        if table in summary.skipped_tables:
            continue
        assert summary.rows[table] > 0, table
    if "attendance" not in summary.skipped_tables:
        assert summary.rows["attendance"] == 23 * 6 * 3


async def test_a_seeded_database_is_not_seeded_twice(
    engine: AsyncEngine, clock: ManualClock
) -> None:
    small = SeedPlan(groups=1, members=2, months=0)
    await seed(engine, small, clock.now())
    with pytest.raises(SeedError):
        await seed(engine, small, clock.now() + timedelta(days=1))


def test_names_include_ones_that_break_naive_code() -> None:
    rng = random.Random(1)
    names = {person_name(rng) for _ in range(2000)}
    assert {"Nur'aini", 'Siti "Ani" Rahayu', "Dewi & co"} <= names
    assert names & set(SPECIAL) and len(names) > 300
