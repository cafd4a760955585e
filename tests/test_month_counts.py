"""Each group's month in figures (storage/month_counts.py) equals a fresh count from the
source rows after every kind of change, on both engines: random sequences of the real use
cases (meetings scheduled, moved and cancelled, roll-call taps and corrections, "all the
others", check-ins, chairs asked, answering and reopening, members added, removed, back and
moved, groups placed in a desa of another time zone), checked after every step against a
count written here in Python from the chat report's rules. The migration's backfill (0019)
and `rebuild` count the same."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import attendance, confirmations, groups, migrate, month_counts, roster
from storage.actors import Actor
from storage.areas.codes import ZONES
from storage.confirmations.confirmation_words import reopen_answer
from storage.db import SessionFactory
from storage.errors import UseCaseError
from storage.meetings import scheduling
from storage.models import (
    Area,
    Group,
    Meeting,
    MeetingStatus,
    Member,
    MonthCounts,
    Person,
    StaffRole,
)
from storage.models.attendance import (
    Attendance,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from storage.roster.roster_file import RosterRow
from timekeeping.months import month_of

DAY = timedelta(days=1)
AREAS = [
    ("32", "Jawa Barat", 1, None),
    ("32.79", "Kota Banjar", 2, "32"),
    ("32.79.01", "Banjar", 3, "32.79"),
    ("32.79.01.1001", "Banjar", 4, "32.79.01"),
    ("73", "Sulawesi Selatan", 1, None),
    ("73.71", "Kota Makassar", 2, "73"),
    ("73.71.01", "Mariso", 3, "73.71"),
    ("73.71.01.1001", "Bontorannu", 4, "73.71.01"),
]
DESA = ["32.79.01.1001", "73.71.01.1001"]  # WIB and WITA
# Meeting times around the turns of the months, where WIB (UTC+7), WITA (UTC+8) and UTC
# disagree on the month: 30 November 16.30 UTC is 1 December in Makassar, 23.30 in Jakarta.
TIMES = [
    datetime(2026, 11, 12, 2, 0, tzinfo=UTC),
    datetime(2026, 11, 30, 16, 30, tzinfo=UTC),
    datetime(2026, 11, 30, 17, 30, tzinfo=UTC),
    datetime(2026, 12, 9, 3, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
    datetime(2027, 1, 14, 2, 0, tzinfo=UTC),
]
STATUSES = list(AttendanceStatus)
Key = tuple[int, int]
Figures = tuple[int, int, int, int, int, int]


@dataclass
class World:
    coordinator: Actor
    chairs: dict[int, Actor]  # by group id
    member: Actor  # has Telegram, checks herself in
    group_ids: list[int]
    chair_members: set[int]


def _actor(
    person: Person,
    role: StaffRole | None,
    chair_of: frozenset[int] = frozenset(),
    member_of: frozenset[int] = frozenset(),
) -> Actor:
    return Actor(
        person.id, person.telegram_user_id or 0, person.name, "id", role, chair_of, member_of
    )


async def build(db: SessionFactory) -> World:
    async with db.begin() as session:
        session.add_all([Area(code=c, name=n, level=lv, parent_code=p) for c, n, lv, p in AREAS])
        boss = Person(telegram_user_id=1, name="Bu Pusat", staff_role=StaffRole.COORDINATOR)
        session.add(boss)
        await session.flush()
        chairs: dict[int, Actor] = {}
        group_ids, chair_members = [], set()
        member_person = Person(telegram_user_id=9, name="Nur")
        session.add(member_person)
        for n, (code, zone, area) in enumerate(
            [("MAWAR", "Asia/Jakarta", DESA[0]), ("MELATI", "Asia/Makassar", DESA[1])]
        ):
            group = Group(
                code=code,
                name=code.title(),
                timezone=zone,
                area_code=area,
                facilitator_id=boss.id,
                active=True,
            )
            chair = Person(telegram_user_id=100 + n, name=f"Ketua {code}")
            session.add_all([group, chair])
            await session.flush()
            lines = [Member(group_id=group.id, name=f"{code} {k}", active=True) for k in range(4)]
            lines[0].person_id = chair.id
            if n == 0:
                lines[1].person_id = member_person.id
            session.add_all(lines)
            await session.flush()
            group.chair_member_id = lines[0].id
            chairs[group.id] = _actor(chair, None, frozenset({group.id}), frozenset({group.id}))
            group_ids.append(group.id)
            chair_members.add(lines[0].id)
        member = _actor(member_person, None, member_of=frozenset({group_ids[0]}))
        return World(_actor(boss, StaffRole.COORDINATOR), chairs, member, group_ids, chair_members)


async def stored(db: SessionFactory) -> dict[Key, Figures]:
    async with db.begin() as session:
        rows = await session.scalars(select(MonthCounts))
        return {
            (r.group_id, r.month): (
                r.meetings,
                r.confirmed,
                r.roll_calls,
                r.hadir,
                r.roster,
                r.confirmations_open,
            )
            for r in rows
        }


async def counted(db: SessionFactory) -> dict[Key, Figures]:
    """Every group's months counted here from the rows, one meeting at a time."""
    async with db.begin() as session:
        zones = dict((await session.execute(select(Group.id, Group.timezone))).tuples().all())
        members = (await session.execute(select(Member.id, Member.group_id, Member.active))).all()
        lines = (await session.execute(select(Attendance))).scalars().all()
        requests = (await session.execute(select(ConfirmationRequest))).scalars().all()
        meetings = (await session.execute(select(Meeting))).scalars().all()
    active = defaultdict(int)
    for _, group_id, is_active in members:
        active[group_id] += bool(is_active)
    left = {member_id for member_id, _, is_active in members if not is_active}
    by_meeting = defaultdict(list)
    for line in lines:
        by_meeting[line.meeting_id].append(line)
    asked = defaultdict(list)
    for request in requests:
        asked[request.meeting_id].append(request)
    found: dict[Key, list[int]] = {}
    for meeting in meetings:
        if meeting.status is MeetingStatus.CANCELLED:
            continue
        zone = zones[meeting.group_id]
        key = (meeting.group_id, month_of(meeting.starts_at, zone))
        figures = found.setdefault(key, [0] * 6)
        answered = [r for r in asked[meeting.id] if r.state is ConfirmState.ANSWERED]
        last = max(answered, key=lambda r: r.id) if answered else None
        held = last is None or last.outcome in (None, ConfirmOutcome.HELD)
        figures[0] += 1
        figures[1] += last is not None and held
        recorded = by_meeting[meeting.id]
        if recorded and held:
            figures[2] += 1
            figures[3] += sum(1 for line in recorded if line.status is AttendanceStatus.HADIR)
            figures[4] += active[meeting.group_id] + sum(
                1 for line in recorded if line.member_id in left
            )
        open_ = any(r.state is ConfirmState.OPEN for r in asked[meeting.id])
        figures[5] += open_ and last is None
    return {key: tuple(values) for key, values in found.items()}  # type: ignore[misc]


class Steps:
    """The use cases, each with what it needs picked at random."""

    def __init__(self, db: SessionFactory, world: World, rng: random.Random) -> None:
        self.db, self.w, self.rng = db, world, rng
        self.names = 0

    async def _meetings(self, scheduled_only: bool = False) -> list[Meeting]:
        async with self.db.begin() as session:
            query = select(Meeting).order_by(Meeting.id)
            if scheduled_only:
                query = query.where(Meeting.status == MeetingStatus.SCHEDULED)
            return list(await session.scalars(query))

    async def _members(self, group_id: int | None = None) -> list[Member]:
        async with self.db.begin() as session:
            query = select(Member).order_by(Member.id)
            if group_id is not None:
                query = query.where(Member.group_id == group_id)
            return [m for m in await session.scalars(query) if m.id not in self.w.chair_members]

    async def schedule(self) -> str:
        starts_at = self.rng.choice(TIMES)
        group_id = self.rng.choice(self.w.group_ids)
        await scheduling.schedule_meeting(
            self.db,
            self.w.coordinator,
            group_id=group_id,
            session_number=1,
            starts_at=starts_at,
            venue=None,
            now=starts_at - DAY,
            offsets=[],
        )
        return f"schedule {group_id} {starts_at}"

    async def reschedule(self) -> str:
        meetings = await self._meetings(scheduled_only=True)
        if not meetings:
            return "reschedule: none"
        meeting, to = self.rng.choice(meetings), self.rng.choice(TIMES)
        await scheduling.reschedule_meeting(
            self.db,
            self.w.coordinator,
            meeting.id,
            starts_at=to,
            venue=None,
            now=min(meeting.starts_at, to) - DAY,
            offsets=[],
        )
        return f"reschedule {meeting.id} {to}"

    async def cancel(self) -> str:
        meetings = await self._meetings(scheduled_only=True)
        if not meetings:
            return "cancel: none"
        meeting = self.rng.choice(meetings)
        await scheduling.cancel_meeting(
            self.db, self.w.coordinator, meeting.id, meeting.starts_at - DAY
        )
        return f"cancel {meeting.id}"

    async def tap(self) -> str:
        meetings = await self._meetings()
        if not meetings:
            return "tap: none"
        meeting = self.rng.choice(meetings)
        members = await self._members(meeting.group_id)
        if not members:
            return "tap: nobody"
        member, status = self.rng.choice(members), self.rng.choice(STATUSES)
        by = self.rng.choice([self.w.coordinator, self.w.chairs[meeting.group_id]])
        await attendance.set_status(self.db, by, meeting.id, member.id, status, meeting.starts_at)
        return f"tap {meeting.id} {member.id} {status}"

    async def all_others(self) -> str:
        meetings = await self._meetings()
        if not meetings:
            return "all: none"
        meeting, status = self.rng.choice(meetings), self.rng.choice(STATUSES)
        await attendance.mark_unmarked(
            self.db, self.w.coordinator, meeting.id, status, meeting.starts_at
        )
        return f"all {meeting.id} {status}"

    async def check_in(self) -> str:
        meetings = [m for m in await self._meetings(True) if m.group_id == self.w.group_ids[0]]
        if not meetings:
            return "check in: none"
        meeting = self.rng.choice(meetings)
        await attendance.check_in(
            self.db, self.w.member, meeting.id, meeting.starts_at + timedelta(minutes=5)
        )
        return f"check in {meeting.id}"

    async def ask(self) -> str:
        meetings = await self._meetings(scheduled_only=True)
        if not meetings:
            return "ask: none"
        meeting = self.rng.choice(meetings)
        await confirmations.ask(
            self.db,
            self.w.coordinator,
            meeting.group_id,
            meeting.starts_at + timedelta(hours=3),
            DAY,
            2 * DAY,
        )
        return f"ask {meeting.id}"

    async def _requests(self, state: ConfirmState) -> list[ConfirmationRequest]:
        async with self.db.begin() as session:
            return list(
                await session.scalars(
                    select(ConfirmationRequest)
                    .where(ConfirmationRequest.state == state)
                    .order_by(ConfirmationRequest.id)
                )
            )

    async def answer(self) -> str:
        waiting = await self._requests(ConfirmState.OPEN)
        if not waiting:
            return "answer: none"
        request = self.rng.choice(waiting)
        chair, rid, now = self.w.chairs[request.group_id], request.id, TIMES[-1]
        outcome = self.rng.choice(list(ConfirmOutcome))
        await confirmations.answer_outcome(self.db, chair, rid, outcome, now)
        if outcome is ConfirmOutcome.HELD:
            await confirmations.answer_count(self.db, chair, rid, 1, now)
            await confirmations.answer_info(self.db, chair, rid, True, now)
        elif outcome is ConfirmOutcome.MOVED:
            await confirmations.answer_date(self.db, chair, rid, None, now)
        await confirmations.add_notes(self.db, chair, rid, None, now)
        return f"answer {rid} {outcome}"

    async def reopen(self) -> str:
        answered = await self._requests(ConfirmState.ANSWERED)
        if not answered:
            return "reopen: none"
        request = self.rng.choice(answered)
        await reopen_answer(self.db, self.w.chairs[request.group_id], request.id, TIMES[-1])
        return f"reopen {request.id}"

    async def in_or_out(self) -> str:
        member = self.rng.choice(await self._members())
        await roster.set_member_active(self.db, self.w.coordinator, member.id, not member.active)
        return f"member {member.id} active={not member.active}"

    async def move(self) -> str:
        member = self.rng.choice(await self._members())
        (to,) = [g for g in self.w.group_ids if g != member.group_id]
        await roster.move_member(self.db, self.w.coordinator, member.id, to)
        return f"move {member.id} to {to}"

    async def add(self) -> str:
        self.names += 1
        group_id = self.rng.choice(self.w.group_ids)
        row = RosterRow(1, f"Baru {self.names}", None, None, False)
        await roster.import_rows(self.db, self.w.coordinator, group_id, [row])
        return f"add to {group_id}"

    async def place(self) -> str:
        group_id, desa = self.rng.choice(self.w.group_ids), self.rng.choice(DESA)
        await groups.place_group(self.db, self.w.coordinator, group_id, desa)
        return f"place {group_id} in {desa}"

    async def zone(self) -> str:
        group_id, zone = self.rng.choice(self.w.group_ids), self.rng.choice(ZONES)
        await groups.set_timezone(self.db, self.w.coordinator, group_id, zone)
        return f"zone {group_id} {zone}"


# Changes of attendance come most often, as in life.
WEIGHTS = {
    "schedule": 3,
    "reschedule": 1,
    "cancel": 1,
    "tap": 5,
    "all_others": 2,
    "check_in": 1,
    "ask": 3,
    "answer": 3,
    "reopen": 1,
    "in_or_out": 2,
    "move": 1,
    "add": 1,
    "place": 1,
    "zone": 1,
}


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_counts_follow_every_change(db: SessionFactory, seed: int) -> None:
    world = await build(db)
    steps = Steps(db, world, random.Random(seed))
    names, weights = list(WEIGHTS), list(WEIGHTS.values())
    done: list[str] = []
    for n in range(60):
        step = "schedule" if n < 3 else steps.rng.choices(names, weights)[0]
        try:
            done.append(await getattr(steps, step)())
        except UseCaseError as refused:  # refused (not hers, locked, closed): nothing changed
            done.append(f"{step} refused: {type(refused).__name__}")
        assert await stored(db) == await counted(db), done
    # What the random walk went through, so a pass means something.
    kinds = {line.split()[0] for line in done if "none" not in line and "refused" not in line}
    assert {"schedule", "tap", "ask", "answer"} <= kinds, "\n".join(done)
    assert await stored(db), done


async def test_rebuild_and_the_migration_count_the_same(
    db: SessionFactory, engine: AsyncEngine, database_url: str
) -> None:
    world = await build(db)
    steps = Steps(db, world, random.Random(7))
    for step in ["schedule"] * 4 + ["tap", "all_others", "ask", "answer", "ask", "move"] * 3:
        try:
            await getattr(steps, step)()
        except UseCaseError:
            pass
    expected = await counted(db)
    assert expected and await stored(db) == expected
    async with db.begin() as session:
        await month_counts.rebuild(session)
    assert await stored(db) == expected

    # 0019 run again over these rows: down to 0018 (the table dropped), up to head.
    config = migrate.alembic_config(database_url)

    def down(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, "0018")

    async with engine.begin() as connection:
        await connection.run_sync(down)
    await migrate.upgrade(engine)
    assert await stored(db) == expected
