"""The roll-up read from each group's month in figures (report_month_counts) gives every
figure of every line the roll-up counted from the source rows before (tests/rollup_before.py),
on a province written by `p2k2 seed --scale` and then changed through the use cases, on both
engines: two Korkab, the Korwil and a coordinator of the whole deployment, three months."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from devdata.areas import Scale, seed_scale
from storage import access, attendance, roster
from storage.actors import Actor, cover_whole_deployment, load_actor
from storage.areas.importing import VENDORED, import_areas, read_rows
from storage.db import SessionFactory
from storage.models import Assignment, AssignmentRole, Meeting, Member, Person, StaffRole
from storage.models.attendance import AttendanceStatus
from storage.reports.months import current_month
from storage.reports.rollup import _key, collect_rollup, figures, levels_for
from tests import rollup_before
from timekeeping.clock import ManualClock
from timekeeping.months import shift_month

# Kota Banjar and Kabupaten Ciamis of Jawa Barat.
SMALL = Scale(groups=240, members=4_800, months=3, province="32")
SLA = timedelta(days=3)


async def _load_areas(db: SessionFactory) -> None:
    rows = read_rows(VENDORED.read_bytes())
    wanted = {
        code: name
        for code, name in rows.items()
        if code == "32" or code.startswith(("32.79", "32.07"))
    }
    await import_areas(db, wanted)


async def _coordinators(db: SessionFactory) -> list[Actor]:
    async with db.begin() as session:
        ids = list(
            await session.scalars(
                select(Assignment.person_id)
                .where(Assignment.role.in_([AssignmentRole.KORKAB, AssignmentRole.KORWIL]))
                .order_by(Assignment.role, Assignment.area_code)
            )
        )
        whole = Person(name="Pusat", staff_role=StaffRole.COORDINATOR, telegram_user_id=77)
        session.add(whole)
        await session.flush()
        await cover_whole_deployment(session, whole.id)
        ids.append(whole.id)
        return [await load_actor(session, await session.get_one(Person, i), "id") for i in ids]


async def _changes(db: SessionFactory, boss: Actor) -> None:
    """Changes through the use cases after the seed: corrections, members leaving."""
    async with db.begin() as session:
        meetings = list(await session.scalars(select(Meeting).order_by(Meeting.id).limit(40)))
        members = list(await session.scalars(select(Member).order_by(Member.id).limit(400)))
    by_group: dict[int, list[Member]] = {}
    for member in members:
        by_group.setdefault(member.group_id, []).append(member)
    for n, meeting in enumerate(meetings):
        lines = by_group.get(meeting.group_id, [])
        if len(lines) > 2:
            status = AttendanceStatus.ALFA if n % 2 else AttendanceStatus.SAKIT
            await attendance.set_status(
                db, boss, meeting.id, lines[1].id, status, meeting.starts_at
            )
            if n % 3 == 0:
                await roster.set_member_active(db, boss, lines[2].id, False)


async def test_the_rollup_gives_the_figures_it_gave_before(
    engine: AsyncEngine, db: SessionFactory, clock: ManualClock
) -> None:
    await _load_areas(db)
    now = clock.now()
    await seed_scale(engine, SMALL, now)
    coordinators = await _coordinators(db)
    assert [len(levels_for(c)) for c in coordinators] == [2, 2, 1, 1]
    this_month = current_month(now)
    await _changes(db, coordinators[-1])
    compared = 0
    for coordinator in coordinators:
        levels = levels_for(coordinator)
        for month in (shift_month(this_month, -2), shift_month(this_month, -1), this_month):
            async with db.begin() as session:
                rollup = await collect_rollup(session, coordinator, month, now, SLA)
                before = await rollup_before._grouped(
                    session,
                    [_key(level) for level in levels],
                    access.report_condition(coordinator),
                    month,
                    now,
                    SLA,
                    access.countable_complaints(coordinator),
                )
            for index, level in enumerate(rollup.levels):
                summed: dict[str | None, tuple[int, ...]] = {}
                for key, row in before.items():
                    name = None if key[index] is None else str(key[index])
                    old = summed.get(name, (0,) * 7)
                    summed[name] = tuple(a + b for a, b in zip(old, figures(row), strict=True))
                now_figures = {row.key: figures(row) for row in level.rows}
                assert now_figures == summed, (coordinator.area_names, month, level.level)
                compared += len(now_figures)
    assert compared > 20  # kecamatan, pendamping, kabupaten/kota, the province: lines compared
