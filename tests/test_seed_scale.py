"""`p2k2 seed --scale`: a province or the country written by the database itself, here at a
tiny scale on both engines: the hierarchy is whole and the access module reads it."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from devdata.areas import SCALES, Scale, seed_scale
from devdata.seed import SeedError
from storage import access
from storage.actors import load_actor
from storage.areas.importing import VENDORED, import_areas, read_rows
from storage.db import SessionFactory
from storage.models import (
    Area,
    Assignment,
    Complaint,
    Group,
    Meeting,
    Member,
    Person,
    StaffRole,
)
from storage.models.attendance import Attendance, ConfirmationRequest, RollCall
from timekeeping.clock import ManualClock

# Kota Banjar alone: 25 desa/kelurahan, so 45 groups wrap around them.
TINY = Scale(groups=45, members=140, months=2, province="32")


async def load_banjar(db: SessionFactory) -> set[str]:
    rows = read_rows(VENDORED.read_bytes())
    wanted = {c: n for c, n in rows.items() if c == "32" or c.startswith("32.79")}
    await import_areas(db, wanted)
    return {code for code in wanted if code.count(".") == 3}


async def test_a_tiny_province_is_a_whole_hierarchy(
    engine: AsyncEngine, db: SessionFactory, clock: ManualClock
) -> None:
    desa = await load_banjar(db)
    rows = await seed_scale(engine, TINY, clock.now())

    assert rows["groups"] == 45 and rows["members"] == 140
    assert rows["meetings"] == rows["roll_calls"] == rows["confirmation_requests"] == 90
    assert rows["attendance"] == 2 * 140
    # 3 pendamping, a Korkab of Kota Banjar, a Korwil of Jawa Barat, a chair per group.
    assert rows["people"] == 3 + 1 + 1 + 45 and rows["assignments"] == 2
    async with db.begin() as session:
        groups = list(await session.scalars(select(Group).order_by(Group.id)))
        assert {g.area_code for g in groups} == desa  # every desa used, none made up
        sizes = Counter((await session.scalars(select(Member.group_id))).all())
        assert set(sizes.values()) <= {3, 4} and sum(sizes.values()) == 140
        for group in groups:
            assert group.chair_member_id is not None
            chair = await session.get_one(Member, group.chair_member_id)
            assert chair.group_id == group.id and chair.person_id is not None
            first = await session.scalar(
                select(func.min(Member.id)).where(Member.group_id == group.id)
            )
            assert chair.id == first
            facilitator = await session.get_one(Person, group.facilitator_id)
            assert facilitator.staff_role is StaffRole.FACILITATOR
        # Every attendance row is a member of the meeting's own group.
        strays = await session.scalar(
            select(func.count())
            .select_from(Attendance)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .join(Member, Member.id == Attendance.member_id)
            .where(Member.group_id != Meeting.group_id)
        )
        assert strays == 0
        assert await session.scalar(select(func.count()).select_from(RollCall)) == 90
        latest = max((await session.scalars(select(Meeting.starts_at))).all())
        assert latest < clock.now()
        # One group in ten still owes the latest month's confirmation.
        owed = await session.scalar(
            select(func.count())
            .select_from(ConfirmationRequest)
            .where(ConfirmationRequest.state == "open")
        )
        assert owed == sum(1 for g in groups if g.id % 10 == 0)
        complaints = await session.scalar(select(func.count()).select_from(Complaint))
        assert complaints == rows["complaints"] and complaints > 0
        # The coordinators of the scale: the access module gives each every seeded group.
        assigned = await session.execute(select(Assignment.area_code, Assignment.person_id))
        roles = {code: person_id for code, person_id in assigned.tuples()}
        assert set(roles) == {"32", "32.79"}
        for person_id in roles.values():
            actor = await load_actor(session, await session.get_one(Person, person_id), "id")
            readable = await session.scalar(
                select(func.count()).select_from(access.readable_groups(actor).subquery())
            )
            assert readable == 45
        names = {
            code: name
            for code, name in (await session.execute(select(Area.code, Area.name))).tuples()
        }
        assert names["32.79"] == "Kota Banjar"
        # The sequences moved past the seeded ids: the app can add people.
        session.add(Person(name="Baru", telegram_user_id=5))
        await session.flush()

    with pytest.raises(SeedError):
        await seed_scale(engine, TINY, clock.now())


def test_the_named_scales_are_the_issue_s() -> None:
    assert SCALES["province"] == Scale(3_400, 100_000, 6, "32")
    assert SCALES["country"] == Scale(330_000, 10_000_000, 6, None)
