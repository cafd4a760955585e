"""The facilitator's board for a month: per group, the meeting, confirmation, attendance, RSVPs.

Complaints are not counted here yet: they belong to the complaints feature."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.actors import Actor
from storage.attendance import hadir_counts, locked_groups
from storage.db import SessionFactory
from storage.errors import CoordinatorsOnly, FacilitatorsOnly, NotFound
from storage.models import Group, Meeting, MeetingStatus, Member, Person, Rsvp, StaffRole
from storage.models.attendance import (
    Attendance,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
    RollCall,
)
from timekeeping.months import month_bounds

NOT_ASKED, OPEN, ANSWERED = "not_asked", "open", "answered"


@dataclass(frozen=True)
class BoardLine:
    group_id: int
    group_name: str
    timezone: str
    meeting_id: int | None
    starts_at: datetime | None
    started: bool
    confirmation: str  # not_asked, open, answered
    outcome: ConfirmOutcome | None
    attendees: int | None
    info_passed: bool | None
    hadir: int | None
    roster: int
    roll_call_saved: bool
    rsvp_yes: int
    rsvp_no: int


@dataclass(frozen=True)
class Board:
    facilitator_id: int
    facilitator_name: str
    month: int
    lines: tuple[BoardLine, ...]
    locked: bool
    # Whether the reader may act on it (chase chairs, lock the month): not a viewer.
    may_act: bool = True

    def count(self, confirmation: str) -> int:
        return sum(1 for line in self.lines if line.confirmation == confirmation)


@dataclass(frozen=True)
class FacilitatorSummary:
    facilitator_id: int
    name: str
    groups: int
    answered: int
    open: int
    not_asked: int
    hadir: int
    roster: int


def _may_see(actor: Actor, facilitator_id: int) -> None:
    if not access.may_oversee(actor, facilitator_id, act=False):
        raise FacilitatorsOnly()


async def _month_meeting(
    session: AsyncSession, group: Group, month: int, now: datetime
) -> Meeting | None:
    """The month's meeting: the latest that has started, else the first still to come."""
    start, end = month_bounds(month, group.timezone)
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(
                Meeting.group_id == group.id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    started = [m for m in meetings if m.starts_at <= now]
    if started:
        return started[-1]
    return meetings[0] if meetings else None


async def _board(session: AsyncSession, facilitator: Person, month: int, now: datetime) -> Board:
    groups = list(
        await session.scalars(
            select(Group)
            .where(Group.facilitator_id == facilitator.id, Group.active.is_(True))
            .order_by(Group.name, Group.id)
        )
    )
    roster_rows = await session.execute(
        select(Member.group_id, func.count(Member.id))
        .where(Member.group_id.in_([g.id for g in groups]), Member.active.is_(True))
        .group_by(Member.group_id)
    )
    rosters = {group_id: count for group_id, count in roster_rows.tuples()}
    meetings = {g.id: await _month_meeting(session, g, month, now) for g in groups}
    meeting_ids = [m.id for m in meetings.values() if m is not None]
    hadir = await hadir_counts(session, meeting_ids)
    saved = set(
        await session.scalars(
            select(RollCall.meeting_id).where(RollCall.meeting_id.in_(meeting_ids))
        )
    )
    with_attendance = set(
        await session.scalars(
            select(func.distinct(Attendance.meeting_id)).where(
                Attendance.meeting_id.in_(meeting_ids)
            )
        )
    )
    rsvps: dict[tuple[int, bool], int] = {
        (meeting_id, coming): count
        for meeting_id, coming, count in (
            await session.execute(
                select(Rsvp.meeting_id, Rsvp.coming, func.count(Rsvp.id))
                .where(Rsvp.meeting_id.in_(meeting_ids))
                .group_by(Rsvp.meeting_id, Rsvp.coming)
            )
        ).tuples()
    }
    latest: dict[int, ConfirmationRequest] = {}
    if meeting_ids:
        for request in await session.scalars(
            select(ConfirmationRequest)
            .where(ConfirmationRequest.meeting_id.in_(meeting_ids))
            .order_by(ConfirmationRequest.id)
        ):
            latest[request.meeting_id] = request
    lines = []
    for group in groups:
        meeting = meetings[group.id]
        found = latest.get(meeting.id) if meeting else None
        confirmation = NOT_ASKED
        if found is not None:
            confirmation = ANSWERED if found.state is ConfirmState.ANSWERED else OPEN
        lines.append(
            BoardLine(
                group_id=group.id,
                group_name=group.name,
                timezone=group.timezone,
                meeting_id=meeting.id if meeting else None,
                starts_at=meeting.starts_at if meeting else None,
                started=meeting is not None and meeting.starts_at <= now,
                confirmation=confirmation,
                outcome=found.outcome if confirmation == ANSWERED and found else None,
                attendees=found.attendees if found else None,
                info_passed=found.info_passed if confirmation == ANSWERED and found else None,
                hadir=hadir.get(meeting.id, 0)
                if meeting is not None and meeting.id in with_attendance
                else None,
                roster=int(rosters.get(group.id, 0)),
                roll_call_saved=meeting is not None and meeting.id in saved,
                rsvp_yes=rsvps.get((meeting.id, True), 0) if meeting else 0,
                rsvp_no=rsvps.get((meeting.id, False), 0) if meeting else 0,
            )
        )
    locked_ids = await locked_groups(session, [g.id for g in groups], month)
    return Board(
        facilitator_id=facilitator.id,
        facilitator_name=facilitator.name,
        month=month,
        lines=tuple(lines),
        locked=bool(groups) and len(locked_ids) == len(groups),
    )


async def facilitator_board(
    db: SessionFactory, actor: Actor, facilitator_id: int, month: int, now: datetime
) -> Board:
    _may_see(actor, facilitator_id)
    if not 1 <= month % 100 <= 12:
        raise NotFound()
    async with db.begin() as session:
        facilitator = await session.get(Person, facilitator_id)
        if (
            facilitator is None
            or facilitator.staff_role is not StaffRole.FACILITATOR
            or not await access.oversees(session, actor, facilitator_id, act=False)
        ):
            raise NotFound()
        board = await _board(session, facilitator, month, now)
        return replace(board, may_act=access.may_oversee(actor, facilitator_id))


async def coordinator_overview(
    db: SessionFactory, actor: Actor, month: int, now: datetime
) -> list[FacilitatorSummary]:
    """The same board, one line per facilitator."""
    if not access.may(actor, access.Duty.OVERSEE):
        raise CoordinatorsOnly()
    if not 1 <= month % 100 <= 12:
        raise NotFound()
    async with db.begin() as session:
        facilitators = await session.scalars(
            select(Person)
            .where(
                Person.staff_role == StaffRole.FACILITATOR,
                Person.active.is_(True),
                access.facilitators_condition(actor, act=False),
            )
            .order_by(Person.name, Person.id)
        )
        summaries = []
        for facilitator in list(facilitators):
            board = await _board(session, facilitator, month, now)
            summaries.append(
                FacilitatorSummary(
                    facilitator_id=facilitator.id,
                    name=facilitator.name,
                    groups=len(board.lines),
                    answered=board.count(ANSWERED),
                    open=board.count(OPEN),
                    not_asked=board.count(NOT_ASKED),
                    hadir=sum(line.hadir or 0 for line in board.lines),
                    roster=sum(line.roster for line in board.lines),
                )
            )
        return summaries
