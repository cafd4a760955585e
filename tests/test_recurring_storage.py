"""Standing rules and the month's proposal, on both engines: what is proposed, flagged,
scheduled, and when the next proposal is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from storage.db import SessionFactory
from storage.errors import NotAllowed
from storage.meetings import recurring
from storage.models import Delivery, Group, Meeting, MeetingStatus
from tests.test_reports_storage import build_world
from timekeeping.monthplan import Flag
from timekeeping.recurrence import DayOfMonth, NthWeekday

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 09.00 WIB
OFFSETS = (timedelta(days=1), timedelta(hours=2))
TUESDAY = 1


def wib(month: int, day: int, hour: int, year: int = 2027) -> datetime:
    return datetime(year, month, day, hour - 7, tzinfo=UTC)


async def month_plans(db: SessionFactory) -> list[tuple[str, datetime]]:
    async with db.begin() as session:
        rows = await session.scalars(select(Delivery).where(Delivery.kind == "month_plan"))
        return sorted((d.key.split(":")[-1], d.due_at) for d in rows)


async def test_a_clash_with_another_group_and_a_group_already_scheduled(
    db: SessionFactory,
) -> None:
    world = await build_world(db)
    f = world.facilitator
    await recurring.set_rule(db, f, world.mawar, NthWeekday(TUESDAY, 2), time(9), "Rumah", NOW)
    await recurring.set_rule(db, f, world.melati, DayOfMonth(12), time(10), None, NOW)
    proposal = await recurring.propose_month(db, f, 202701, NOW)
    mawar, melati = (proposal.item(world.mawar), proposal.item(world.melati))
    assert mawar is not None and melati is not None
    # Tuesday 12 January: 09.00-11.00 and 10.00 overlap; both are flagged, neither moved.
    assert mawar.proposal.day == melati.proposal.day == date(2027, 1, 12)
    assert Flag.CLASH in mawar.proposal.flags and Flag.CLASH in melati.proposal.flags
    assert mawar.proposal.clashes_with == (world.melati,)
    assert melati.rule.place == "Rumah Bu Siti"  # no place of its own: the group's usual one

    # Melati gets a January meeting by hand: it is left alone and no longer clashes...
    async with db.begin() as session:
        mawar_group = await session.get_one(Group, world.mawar)
        mawar_group.chat_id = -100_777  # Mawar's Telegram group, for its reminders
        session.add(
            Meeting(
                group_id=world.melati,
                session_number=4,
                starts_at=wib(1, 19, 9),
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
            )
        )
    proposal = await recurring.propose_month(db, f, 202701, NOW)
    mawar, melati = (proposal.item(world.mawar), proposal.item(world.melati))
    assert melati is not None and melati.already == wib(1, 19, 9) and not melati.to_schedule
    assert mawar is not None and mawar.proposal.flags == frozenset()
    # ... and one tap schedules Mawar only, with its reminders; a second tap nothing more.
    done = await recurring.confirm_month(db, f, 202701, {}, NOW, OFFSETS)
    assert [i.group_id for i in done.scheduled] == [world.mawar]
    again = await recurring.confirm_month(db, f, 202701, {}, NOW, OFFSETS)
    assert again.scheduled == ()
    async with db.begin() as session:
        january = (
            await session.scalars(select(Meeting).where(Meeting.group_id == world.mawar))
        ).all()
        reminders = (
            await session.scalars(select(Delivery).where(Delivery.kind == "reminder"))
        ).all()
    assert [m.starts_at for m in january if m.starts_at.year == 2027] == [wib(1, 12, 9)]
    assert {(r.chat_id, r.due_at) for r in reminders} == {
        (-100_777, wib(1, 11, 9)),
        (-100_777, wib(1, 12, 7)),
    }


async def test_the_next_proposal_is_due_a_week_ahead_or_the_month_after(
    db: SessionFactory,
) -> None:
    world = await build_world(db)
    f = world.facilitator
    await recurring.set_rule(db, f, world.mawar, NthWeekday(TUESDAY, 2), time(9), None, NOW)
    assert await month_plans(db) == [("202701", wib(12, 25, 8, year=2026))]
    # Set again after 25 December 08.00: January's moment has passed, February's is planned.
    late = wib(12, 26, 9, year=2026)
    await recurring.set_rule(db, f, world.mawar, NthWeekday(TUESDAY, 3), time(9), None, late)
    assert await month_plans(db) == [
        ("202701", wib(12, 25, 8, year=2026)),
        ("202702", wib(1, 25, 8)),
    ]


async def test_only_the_groups_own_facilitator_sets_rules_and_gets_proposals(
    db: SessionFactory,
) -> None:
    world = await build_world(db)
    with pytest.raises(NotAllowed):
        await recurring.set_rule(
            db, world.other_facilitator, world.mawar, DayOfMonth(3), time(9), None, NOW
        )
    with pytest.raises(NotAllowed):
        await recurring.propose_month(db, world.chair, 202701, NOW)
    empty = await recurring.propose_month(db, world.other_facilitator, 202701, NOW)
    assert empty.items == ()
