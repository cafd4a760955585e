"""The roll-up by area (storage/reports/rollup.py) on a small hierarchy built by hand, on both
engines: two kabupaten/kota of Jawa Barat, three kecamatan, a group not placed in any area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage import month_counts, reports
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import NotAllowed
from storage.models import Area, Group, Meeting, MeetingStatus, Member, Person, StaffRole
from storage.models.attendance import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from storage.models.complaints import Complaint, ComplaintCategory, ComplaintStatus
from storage.reports.rollup import Level, figures, levels_for, month_rollup

NOW = datetime(2026, 12, 20, 5, 0, tzinfo=UTC)
SLA = timedelta(days=3)
H, A = AttendanceStatus.HADIR, AttendanceStatus.ALFA
AREAS = [
    ("32", "Jawa Barat", 1, None),
    ("32.79", "Kota Banjar", 2, "32"),
    ("32.79.01", "Banjar", 3, "32.79"),
    ("32.79.02", "Pataruman", 3, "32.79"),
    ("32.79.01.1001", "Banjar", 4, "32.79.01"),
    ("32.79.02.1001", "Hegarsari", 4, "32.79.02"),
    ("32.07", "Kabupaten Ciamis", 2, "32"),
    ("32.07.01", "Ciamis", 3, "32.07"),
    ("32.07.01.2001", "Kertasari", 4, "32.07.01"),
]


@dataclass
class World:
    korkab: Actor  # Kota Banjar
    korwil: Actor  # Jawa Barat
    whole: Actor  # the whole deployment
    facilitator: Actor
    ani: int
    budi: int


def _actor(person: Person, role: StaffRole, areas: frozenset[str] | None = None) -> Actor:
    return Actor(
        person_id=person.id,
        telegram_user_id=person.telegram_user_id or 0,
        name=person.name,
        language="id",
        staff_role=role,
        areas=areas,
    )


async def _person(session: AsyncSession, name: str, tg: int, role: StaffRole | None) -> Person:
    person = Person(telegram_user_id=tg, name=name, staff_role=role, active=True)
    session.add(person)
    await session.flush()
    return person


async def _group(
    session: AsyncSession, code: str, area: str | None, facilitator: Person, members: int
) -> tuple[Group, list[Member]]:
    group = Group(
        code=code,
        name=code.title(),
        area_code=area,
        timezone="Asia/Jakarta",
        facilitator_id=facilitator.id,
        active=True,
    )
    session.add(group)
    await session.flush()
    people = [Member(group_id=group.id, name=f"{code} {n}", active=True) for n in range(members)]
    session.add_all(people)
    await session.flush()
    return group, people


async def _meeting(
    session: AsyncSession,
    group: Group,
    starts_at: datetime,
    marks: list[tuple[Member, AttendanceStatus]],
    status: MeetingStatus = MeetingStatus.SCHEDULED,
) -> Meeting:
    meeting = Meeting(group_id=group.id, session_number=3, starts_at=starts_at, status=status)
    session.add(meeting)
    await session.flush()
    for member, mark in marks:
        session.add(
            Attendance(
                meeting_id=meeting.id,
                member_id=member.id,
                status=mark,
                source=AttendanceSource.CHAIR,
            )
        )
    return meeting


def _request(
    session: AsyncSession, meeting: Meeting, chair: Person, outcome: ConfirmOutcome | None
) -> None:
    session.add(
        ConfirmationRequest(
            meeting_id=meeting.id,
            group_id=meeting.group_id,
            chair_person_id=chair.id,
            state=ConfirmState.OPEN if outcome is None else ConfirmState.ANSWERED,
            outcome=outcome,
        )
    )


def _complaint(
    session: AsyncSession,
    group: Group,
    member: Person,
    category: ComplaintCategory,
    status: ComplaintStatus,
    age: timedelta,
) -> None:
    session.add(
        Complaint(
            person_id=member.id,
            group_id=group.id,
            facilitator_id=group.facilitator_id,
            category=category,
            status=status,
            created_at=NOW - age,
        )
    )


async def build(db: SessionFactory) -> World:
    async with db.begin() as session:
        session.add_all([Area(code=c, name=n, level=lv, parent_code=p) for c, n, lv, p in AREAS])
        korkab = await _person(session, "Bu Korkab", 1, StaffRole.COORDINATOR)
        korwil = await _person(session, "Pak Korwil", 2, StaffRole.COORDINATOR)
        whole = await _person(session, "Bu Pusat", 3, StaffRole.COORDINATOR)
        ani = await _person(session, "Bu Ani", 4, StaffRole.FACILITATOR)
        budi = await _person(session, "Pak Budi", 5, StaffRole.FACILITATOR)
        chair = await _person(session, "Ketua", 6, None)
        siti = await _person(session, "Siti", 7, None)

        banjar, banjar_people = await _group(session, "BANJAR1", "32.79.01.1001", ani, 4)
        hegar, hegar_people = await _group(session, "HEGAR1", "32.79.02.1001", ani, 3)
        kerta, kerta_people = await _group(session, "KERTA1", "32.07.01.2001", budi, 2)
        loose, loose_people = await _group(session, "LEPAS1", None, ani, 2)
        # An inactive group that did not meet is not counted; one that met would be.
        quiet, _ = await _group(session, "SEPI1", "32.79.01.1001", ani, 1)
        quiet.active = False

        # Banjar: held and confirmed, 3 of 4 present.
        held = await _meeting(
            session,
            banjar,
            datetime(2026, 12, 5, 2, 0, tzinfo=UTC),
            [
                (banjar_people[0], H),
                (banjar_people[1], H),
                (banjar_people[2], H),
                (banjar_people[3], A),
            ],
        )
        _request(session, held, chair, ConfirmOutcome.HELD)
        # November's meeting is another month: not counted in December.
        old = await _meeting(
            session, banjar, datetime(2026, 11, 7, 2, 0, tzinfo=UTC), [(banjar_people[0], H)]
        )
        _request(session, old, chair, ConfirmOutcome.HELD)
        # Hegarsari: at 06.00 WIB on 1 December (still 30 November in UTC), a roll call of 2
        # present of 3, the chair has not answered yet.
        waiting = await _meeting(
            session,
            hegar,
            datetime(2026, 11, 30, 23, 0, tzinfo=UTC),
            [(hegar_people[0], H), (hegar_people[1], H)],
        )
        _request(session, waiting, chair, None)
        # Kertasari: the chair says it did not happen; its roll call does not count.
        missed = await _meeting(
            session, kerta, datetime(2026, 12, 6, 2, 0, tzinfo=UTC), [(kerta_people[0], H)]
        )
        _request(session, missed, chair, ConfirmOutcome.NOT_HELD)
        # A cancelled meeting counts for nothing.
        await _meeting(
            session,
            kerta,
            datetime(2026, 12, 8, 2, 0, tzinfo=UTC),
            [],
            status=MeetingStatus.CANCELLED,
        )
        # The group not placed: confirmed, 1 of 2 present.
        placed_nowhere = await _meeting(
            session, loose, datetime(2026, 12, 9, 2, 0, tzinfo=UTC), [(loose_people[0], H)]
        )
        _request(session, placed_nowhere, chair, ConfirmOutcome.HELD)

        other, protected = ComplaintCategory.OTHER, ComplaintCategory.LEVY
        new, done = ComplaintStatus.NEW, ComplaintStatus.RESOLVED
        _complaint(session, banjar, siti, other, new, timedelta(days=5))  # overdue
        _complaint(session, banjar, siti, protected, new, timedelta(days=1))
        _complaint(session, hegar, siti, other, done, timedelta(days=9))  # resolved: not open
        _complaint(session, kerta, siti, other, ComplaintStatus.IN_PROGRESS, timedelta(days=4))
        _complaint(session, loose, siti, other, new, timedelta(hours=2))
        # Rows written here, not through the use cases: the groups' months counted once.
        await month_counts.rebuild(session)
        return World(
            korkab=_actor(korkab, StaffRole.COORDINATOR, frozenset({"32.79"})),
            korwil=_actor(korwil, StaffRole.COORDINATOR, frozenset({"32"})),
            whole=_actor(whole, StaffRole.COORDINATOR, None),
            facilitator=_actor(ani, StaffRole.FACILITATOR),
            ani=ani.id,
            budi=budi.id,
        )


async def test_levels_follow_the_area_covered(db: SessionFactory) -> None:
    world = await build(db)
    assert levels_for(world.korkab) == (Level.DISTRICT, Level.FACILITATOR)
    assert levels_for(world.korwil) == (Level.REGENCY,)
    assert levels_for(world.whole) == (Level.PROVINCE,)
    two = Actor(1, 1, "x", "id", StaffRole.COORDINATOR, areas=frozenset({"32.79", "32.07"}))
    assert levels_for(two) == (Level.REGENCY,)
    assert levels_for(world.facilitator) == ()


async def test_korkab_by_kecamatan_and_by_pendamping(db: SessionFactory) -> None:
    world = await build(db)
    rollup = await month_rollup(db, world.korkab, 202612, NOW, SLA)
    districts, facilitators = rollup.levels
    assert districts.level is Level.DISTRICT
    # (groups, confirmed, hadir, roster, confirmations open, complaints open, overdue)
    assert [(r.key, r.name, figures(r)) for r in districts.rows] == [
        ("32.79.01", "Banjar", (1, 1, 3, 4, 0, 2, 1)),
        ("32.79.02", "Pataruman", (1, 0, 2, 3, 1, 0, 0)),
    ]
    assert [(r.name, figures(r)) for r in facilitators.rows] == [
        ("Bu Ani", (2, 1, 5, 7, 1, 2, 1)),
    ]
    # Kabupaten Ciamis and the group not placed are outside her area.
    assert figures(rollup.total) == (2, 1, 5, 7, 1, 2, 1)
    assert rollup.total.coverage == 50
    assert rollup.total.rate == 71
    assert rollup.protected_counted


async def test_korwil_by_kabupaten_kota(db: SessionFactory) -> None:
    world = await build(db)
    rollup = await month_rollup(db, world.korwil, 202612, NOW, SLA)
    (regencies,) = rollup.levels
    assert [(r.key, r.name, figures(r)) for r in regencies.rows] == [
        ("32.07", "Kabupaten Ciamis", (1, 0, 0, 0, 0, 1, 1)),
        ("32.79", "Kota Banjar", (2, 1, 5, 7, 1, 2, 1)),
    ]


async def test_whole_deployment_by_province_with_groups_not_placed(db: SessionFactory) -> None:
    world = await build(db)
    rollup = await month_rollup(db, world.whole, 202612, NOW, SLA)
    (provinces,) = rollup.levels
    assert [(r.key, r.name, figures(r)) for r in provinces.rows] == [
        ("32", "Jawa Barat", (3, 1, 5, 7, 1, 3, 2)),
        (None, "", (1, 1, 1, 2, 0, 1, 0)),
    ]
    assert not provinces.rows[-1].placed


async def test_rollup_agrees_with_the_month_report(db: SessionFactory) -> None:
    """The roll-up counts in SQL what the chat report counts group by group."""
    world = await build(db)
    for coordinator in (world.korkab, world.korwil, world.whole):
        rollup = await month_rollup(db, coordinator, 202612, NOW, SLA)
        report = await reports.month_report(db, coordinator, 202612, NOW)
        total = rollup.total
        assert total.groups == len(report.groups)
        assert total.confirmed == sum(1 for g in report.groups if g.confirmed)
        assert (total.hadir, total.roster) == (report.attendance.hadir, report.attendance.roster)
        open_requests = sum(1 for g in report.groups for m in g.meetings if m.confirmation_open)
        assert total.confirmations_open == open_requests


async def test_november_is_its_own_month(db: SessionFactory) -> None:
    world = await build(db)
    rollup = await month_rollup(db, world.korkab, 202611, NOW, SLA)
    assert figures(rollup.levels[0].rows[0])[:4] == (1, 1, 1, 4)


async def test_only_coordinators_get_a_rollup(db: SessionFactory) -> None:
    world = await build(db)
    with pytest.raises(NotAllowed):
        await month_rollup(db, world.facilitator, 202612, NOW, SLA)
