"""Use cases for attendance: the chair's roll call, members' own check-in, month locks.

Each tap is stored at once for one member, so two people editing the same roll call never
overwrite each other's other lines: the last tap on a member wins, nothing else is lost."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access, month_counts
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import FacilitatorsOnly, NotAllowed, NotFound, NotYourGroup, UseCaseError
from storage.models import AuditEntry, Group, Meeting, MeetingStatus, Member, Person
from storage.models.attendance import (
    Attendance,
    AttendanceChange,
    AttendanceLock,
    AttendanceSource,
    AttendanceStatus,
    RollCall,
)
from timekeeping.months import month_of


class ChairOnly(NotAllowed):
    """Only the group's chair (or facilitator) takes the roll call."""


class NoMeeting(UseCaseError):
    """No meeting of the group to take the roll call of."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group


class Locked(UseCaseError):
    """The month's attendance is locked."""


class UnmarkedLeft(UseCaseError):
    """The roll call is saved with members not marked."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class NotMember(NotAllowed):
    """A check-in by someone not on the roster."""


class CheckinClosed(UseCaseError):
    """A check-in outside the meeting's check-in time."""


# The roll call opens a little before the start (people arrive early) and stays the
# meeting's until the next one; members may check themselves in around the meeting.
ROLL_CALL_EARLY = timedelta(hours=1)
CHECKIN_BEFORE = timedelta(minutes=30)
CHECKIN_AFTER = timedelta(minutes=30)
CYCLE = (
    AttendanceStatus.HADIR,
    AttendanceStatus.IZIN,
    AttendanceStatus.SAKIT,
    AttendanceStatus.ALFA,
)
STATUS_CODES = {status: index + 1 for index, status in enumerate(CYCLE)}


def next_status(current: AttendanceStatus | None) -> AttendanceStatus:
    """One tap moves Hadir -> Izin -> Sakit -> Alfa -> Hadir; an unmarked line becomes Hadir."""
    if current is None:
        return CYCLE[0]
    return CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)]


def status_of_code(code: int) -> AttendanceStatus:
    """The status a button's number stands for; forged numbers are refused."""
    if not 1 <= code <= len(CYCLE):
        raise NotFound()
    return CYCLE[code - 1]


def checkin_open(starts_at: datetime, duration_minutes: int, now: datetime) -> bool:
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    return starts_at - CHECKIN_BEFORE <= now <= ends_at + CHECKIN_AFTER


@dataclass(frozen=True)
class MeetingRef:
    id: int
    group_id: int
    group_name: str
    timezone: str
    session_number: int
    starts_at: datetime
    duration_minutes: int

    @classmethod
    def of(cls, meeting: Meeting, group: Group) -> MeetingRef:
        return cls(
            id=meeting.id,
            group_id=group.id,
            group_name=group.name,
            timezone=group.timezone,
            session_number=meeting.session_number,
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
        )


@dataclass(frozen=True)
class RollLine:
    member_id: int
    name: str
    has_telegram: bool
    status: AttendanceStatus | None
    source: AttendanceSource | None
    # Only for a member without Telegram: the chair or facilitator can call her. This is the
    # one use of the roster's phone numbers (issue 21, no more collected than is used).
    phone: str | None = None


@dataclass(frozen=True)
class RollCallView:
    meeting: MeetingRef
    lines: tuple[RollLine, ...]
    locked: bool
    saved_at: datetime | None

    def count(self, status: AttendanceStatus | None) -> int:
        return sum(1 for line in self.lines if line.status is status)

    @property
    def unmarked(self) -> int:
        return self.count(None)


@dataclass(frozen=True)
class GroupChoice:
    group_id: int
    group_name: str
    meeting: MeetingRef | None


# -- permissions -------------------------------------------------------------------------


def source_for(actor: Actor, group: Group) -> AttendanceSource:
    """Facilitator (or coordinator) or chair of this group; anyone else is refused."""
    source = access.roll_call_source(actor, group)
    if source is not None:
        return source
    if access.may(actor, access.Duty.FACILITATE):
        raise NotYourGroup()
    raise ChairOnly()


async def _meeting_and_group(
    session: AsyncSession, actor: Actor, meeting_id: int
) -> tuple[Meeting, Group, AttendanceSource]:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    group = await session.get_one(Group, meeting.group_id)
    return meeting, group, source_for(actor, group)


async def current_meeting(session: AsyncSession, group_id: int, now: datetime) -> Meeting | None:
    """The group's meeting under way or most recently held (not cancelled)."""
    meeting: Meeting | None = await session.scalar(
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now + ROLL_CALL_EARLY,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    return meeting


async def _is_locked(session: AsyncSession, group: Group, meeting: Meeting) -> bool:
    found = await session.scalar(
        select(AttendanceLock.id).where(
            AttendanceLock.group_id == group.id,
            AttendanceLock.month == month_of(meeting.starts_at, group.timezone),
        )
    )
    return found is not None


async def roll_rows(
    session: AsyncSession, meeting_id: int, group_id: int
) -> Sequence[tuple[Member, Attendance | None]]:
    """The meeting's roll call lines by name: each member with her record, if any."""
    rows = await session.execute(
        select(Member, Attendance)
        .outerjoin(
            Attendance,
            and_(Attendance.member_id == Member.id, Attendance.meeting_id == meeting_id),
        )
        .where(
            Member.group_id == group_id,
            # A member who left keeps her line if she was recorded at this meeting.
            (Member.active.is_(True)) | (Attendance.id.is_not(None)),
        )
        .order_by(func.lower(Member.name), Member.id)
    )
    return rows.tuples().all()


async def _view(session: AsyncSession, meeting: Meeting, group: Group) -> RollCallView:
    rows = await roll_rows(session, meeting.id, group.id)
    lines = tuple(
        RollLine(
            member_id=member.id,
            name=member.name,
            has_telegram=member.person_id is not None,
            status=record.status if record else None,
            source=record.source if record else None,
            phone=member.phone if member.person_id is None else None,
        )
        for member, record in rows
    )
    saved_at = await session.scalar(
        select(RollCall.saved_at).where(RollCall.meeting_id == meeting.id)
    )
    return RollCallView(
        MeetingRef.of(meeting, group), lines, await _is_locked(session, group, meeting), saved_at
    )


# -- reading ------------------------------------------------------------------------------


async def roll_call_choices(db: SessionFactory, actor: Actor, now: datetime) -> list[GroupChoice]:
    """The groups whose roll call this person may take, each with its current meeting."""
    async with db.begin() as session:
        query = select(Group).where(Group.active.is_(True)).order_by(Group.name, Group.id)
        query = query.where(
            access.group_condition(actor, access.Action.MANAGE) | Group.id.in_(actor.chair_of)
        )
        choices = []
        for group in await session.scalars(query):
            meeting = await current_meeting(session, group.id, now)
            choices.append(
                GroupChoice(
                    group.id, group.name, MeetingRef.of(meeting, group) if meeting else None
                )
            )
        return choices


async def open_roll_call(
    db: SessionFactory, actor: Actor, group_id: int, now: datetime
) -> RollCallView:
    async with db.begin() as session:
        group = await session.get(Group, group_id)
        if group is None:
            raise NotFound()
        source_for(actor, group)
        meeting = await current_meeting(session, group.id, now)
        if meeting is None:
            raise NoMeeting(group.name)
        return await _view(session, meeting, group)


async def roll_call(db: SessionFactory, actor: Actor, meeting_id: int) -> RollCallView:
    async with db.begin() as session:
        meeting, group, _ = await _meeting_and_group(session, actor, meeting_id)
        return await _view(session, meeting, group)


# -- changing -----------------------------------------------------------------------------


async def _record(
    session: AsyncSession,
    meeting_id: int,
    member_id: int,
    status: AttendanceStatus,
    source: AttendanceSource,
    person_id: int | None,
    now: datetime,
    *,
    only_if_unmarked: bool = False,
) -> bool:
    """Set one line, inserting it race-free; True when it changed (history is kept)."""
    values: dict[str, Any] = {
        "meeting_id": meeting_id,
        "member_id": member_id,
        "status": status,
        "source": source,
        "recorded_by": person_id,
        "recorded_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    inserted = await session.execute(
        insert(Attendance)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["meeting_id", "member_id"])
    )
    if int(getattr(inserted, "rowcount", 0) or 0) == 1:
        old = None
    else:
        row = await session.scalar(
            select(Attendance)
            .where(Attendance.meeting_id == meeting_id, Attendance.member_id == member_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert row is not None
        if only_if_unmarked or (row.status is status and row.source is source):
            return False
        old = row.status
        row.status, row.source, row.recorded_by, row.recorded_at = (
            status,
            source,
            person_id,
            now,
        )
    session.add(
        AttendanceChange(
            meeting_id=meeting_id,
            member_id=member_id,
            old_status=old,
            new_status=status,
            source=source,
            changed_by=person_id,
            changed_at=now,
        )
    )
    return True


async def _editable(
    session: AsyncSession, actor: Actor, meeting_id: int
) -> tuple[Meeting, Group, AttendanceSource]:
    meeting, group, source = await _meeting_and_group(session, actor, meeting_id)
    if await _is_locked(session, group, meeting):
        raise Locked()
    return meeting, group, source


async def set_status(
    db: SessionFactory,
    actor: Actor,
    meeting_id: int,
    member_id: int,
    status: AttendanceStatus,
    now: datetime,
) -> RollCallView:
    async with db.begin() as session:
        meeting, group, source = await _editable(session, actor, meeting_id)
        member = await session.get(Member, member_id)
        if member is None or member.group_id != group.id:
            raise NotFound()
        if await _record(session, meeting.id, member.id, status, source, actor.person_id, now):
            await month_counts.refresh_meeting(session, group, meeting.starts_at)
        return await _view(session, meeting, group)


async def mark_unmarked(
    db: SessionFactory, actor: Actor, meeting_id: int, status: AttendanceStatus, now: datetime
) -> tuple[RollCallView, int]:
    """Give every line nobody marked yet this status ("all present"); marked lines stay."""
    async with db.begin() as session:
        meeting, group, source = await _editable(session, actor, meeting_id)
        marked = select(Attendance.member_id).where(Attendance.meeting_id == meeting.id)
        members = await session.scalars(
            select(Member.id).where(
                Member.group_id == group.id, Member.active.is_(True), Member.id.not_in(marked)
            )
        )
        changed = 0
        for member_id in list(members):
            if await _record(
                session,
                meeting.id,
                member_id,
                status,
                source,
                actor.person_id,
                now,
                only_if_unmarked=True,
            ):
                changed += 1
        if changed:
            await month_counts.refresh_meeting(session, group, meeting.starts_at)
        return await _view(session, meeting, group), changed


async def save_roll_call(
    db: SessionFactory, actor: Actor, meeting_id: int, now: datetime, *, unmarked_as_alfa: bool
) -> RollCallView:
    """Close this round of the roll call; unmarked lines must be settled (as Alfa) first."""
    if unmarked_as_alfa:
        await mark_unmarked(db, actor, meeting_id, AttendanceStatus.ALFA, now)
    async with db.begin() as session:
        meeting, group, _ = await _editable(session, actor, meeting_id)
        view = await _view(session, meeting, group)
        if view.unmarked:
            raise UnmarkedLeft(view.unmarked)
        saved = await session.scalar(select(RollCall).where(RollCall.meeting_id == meeting.id))
        if saved is None:
            session.add(RollCall(meeting_id=meeting.id, saved_by=actor.person_id, saved_at=now))
        else:
            saved.saved_by, saved.saved_at = actor.person_id, now
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="attendance.save",
                detail=f"{group.code} meeting {meeting.id} "
                f"hadir {view.count(AttendanceStatus.HADIR)}/{len(view.lines)}",
            )
        )
        await session.flush()
        return await _view(session, meeting, group)


@dataclass(frozen=True)
class CheckIn:
    meeting: MeetingRef
    status: AttendanceStatus
    by_self: bool
    already: bool


async def checkin_meetings(db: SessionFactory, actor: Actor, now: datetime) -> list[MeetingRef]:
    """The meetings of this member's groups open for check-in right now."""
    async with db.begin() as session:
        found = []
        for group in await session.scalars(select(Group).where(Group.id.in_(actor.member_of))):
            meeting = await current_meeting(session, group.id, now)
            if meeting is not None and checkin_open(
                meeting.starts_at, meeting.duration_minutes, now
            ):
                found.append(MeetingRef.of(meeting, group))
        return found


async def check_in(db: SessionFactory, actor: Actor, meeting_id: int, now: datetime) -> CheckIn:
    """A member says "I am here": recorded as Hadir unless the chair already recorded her."""
    async with db.begin() as session:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None or meeting.status is not MeetingStatus.SCHEDULED:
            raise NotFound()
        group = await session.get_one(Group, meeting.group_id)
        member = await session.scalar(
            select(Member).where(
                Member.group_id == group.id,
                Member.person_id == actor.person_id,
                Member.active.is_(True),
            )
        )
        if member is None:
            raise NotMember()
        if not checkin_open(meeting.starts_at, meeting.duration_minutes, now):
            raise CheckinClosed()
        if await _is_locked(session, group, meeting):
            raise Locked()
        existing = await session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.member_id == member.id
            )
        )
        ref = MeetingRef.of(meeting, group)
        if existing is not None:
            # The chair's roll call is the final word: a check-in never overrides it.
            return CheckIn(ref, existing.status, existing.source is AttendanceSource.SELF, True)
        await _record(
            session,
            meeting.id,
            member.id,
            AttendanceStatus.HADIR,
            AttendanceSource.SELF,
            actor.person_id,
            now,
        )
        await month_counts.refresh_meeting(session, group, meeting.starts_at)
        return CheckIn(ref, AttendanceStatus.HADIR, True, False)


# -- month locks --------------------------------------------------------------------------


def check_may_lock(actor: Actor, facilitator_id: int, month: int) -> None:
    """Only a coordinator or the facilitator herself locks her groups' month."""
    if not access.may_oversee(actor, facilitator_id):
        raise FacilitatorsOnly()
    if not 1 <= month % 100 <= 12:
        raise NotFound()


async def set_month_lock(
    db: SessionFactory, actor: Actor, facilitator_id: int, month: int, locked: bool, now: datetime
) -> int:
    """Lock (or reopen) a month of attendance for all of a facilitator's groups."""
    check_may_lock(actor, facilitator_id, month)
    async with db.begin() as session:
        if not await access.oversees(session, actor, facilitator_id):
            raise NotFound()
        group_ids = list(
            await session.scalars(select(Group.id).where(Group.facilitator_id == facilitator_id))
        )
        if locked:
            have = await locked_groups(session, group_ids, month)
            for group_id in group_ids:
                if group_id not in have:
                    session.add(
                        AttendanceLock(
                            group_id=group_id, month=month, locked_by=actor.person_id, locked_at=now
                        )
                    )
        else:
            await session.execute(
                delete(AttendanceLock).where(
                    AttendanceLock.month == month, AttendanceLock.group_id.in_(group_ids)
                )
            )
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="attendance.lock" if locked else "attendance.unlock",
                detail=f"facilitator {facilitator_id} month {month}",
            )
        )
        return len(group_ids)


async def locked_groups(session: AsyncSession, group_ids: Iterable[int], month: int) -> set[int]:
    return set(
        await session.scalars(
            select(AttendanceLock.group_id).where(
                AttendanceLock.month == month, AttendanceLock.group_id.in_(list(group_ids))
            )
        )
    )


async def hadir_counts(session: AsyncSession, meeting_ids: Iterable[int]) -> dict[int, int]:
    rows = await session.execute(
        select(Attendance.meeting_id, func.count(Attendance.id))
        .where(
            Attendance.meeting_id.in_(list(meeting_ids)),
            Attendance.status == AttendanceStatus.HADIR,
        )
        .group_by(Attendance.meeting_id)
    )
    return {meeting_id: count for meeting_id, count in rows.tuples()}


@dataclass(frozen=True)
class Change:
    member_name: str
    old_status: AttendanceStatus | None
    new_status: AttendanceStatus
    source: AttendanceSource
    changed_by: str | None
    changed_at: datetime


async def history(db: SessionFactory, actor: Actor, meeting_id: int) -> list[Change]:
    """Every change of this meeting's attendance, oldest first: who, when, what."""
    async with db.begin() as session:
        await _meeting_and_group(session, actor, meeting_id)
        rows = await session.execute(
            select(AttendanceChange, Member.name, Person.name)
            .join(Member, Member.id == AttendanceChange.member_id)
            .outerjoin(Person, Person.id == AttendanceChange.changed_by)
            .where(AttendanceChange.meeting_id == meeting_id)
            .order_by(AttendanceChange.changed_at, AttendanceChange.id)
        )
        return [
            Change(
                member, change.old_status, change.new_status, change.source, who, change.changed_at
            )
            for change, member, who in rows.tuples()
        ]
