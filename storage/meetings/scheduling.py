"""Use cases that schedule, reschedule and cancel meetings, each in one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from content.sessions import CORE_SESSION_COUNT, get_session, load_sessions, next_session_number
from storage import deliveries, month_counts
from storage.actors import Actor
from storage.db import SessionFactory
from storage.deliveries import meeting_plan
from storage.deliveries.delivery_kinds import MEETING_KINDS
from storage.errors import NotFound
from storage.groups import MAX_VENUE, clean_text, load_managed_group, managed_group_by_code
from storage.meetings.errors import (
    AlreadyCancelled,
    AlreadyStarted,
    DateFar,
    DatePast,
    NoSession,
    TimePast,
    UnknownGroupCode,
)
from storage.meetings.views import MeetingView, SchedulingStart
from storage.models import (
    AuditEntry,
    Delivery,
    Group,
    Meeting,
    MeetingStatus,
    Rsvp,
)
from storage.views import GroupView
from timekeeping.holidays import holiday_on
from timekeeping.timeparse import (
    DateInputError,
    TimeInputError,
    local_to_utc,
    parse_date,
    parse_time,
    utc_to_local,
)

MAX_DAYS_AHEAD = 366


# -- scheduling -------------------------------------------------------------------------------


def _quiz_items(session_number: int) -> int:
    return len(get_session(session_number, "id").quiz)


def session_numbers() -> list[int]:
    return [s.number for s in load_sessions("id")]


async def _own_group(session: AsyncSession, actor: Actor, group_id: int) -> Group:
    group = await load_managed_group(session, actor, group_id)
    if not group.active:
        raise NotFound()
    return group


async def proposed_session(session: AsyncSession, group_id: int) -> int:
    """The next core session after the group's last scheduled one (optional ones skipped)."""
    last = await session.scalar(
        select(Meeting.session_number)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.session_number <= CORE_SESSION_COUNT,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    return next_session_number(last)


async def start_scheduling(db: SessionFactory, actor: Actor, group_id: int) -> SchedulingStart:
    async with db.begin() as session:
        group = await _own_group(session, actor, group_id)
        return SchedulingStart(GroupView.of(group), await proposed_session(session, group.id))


def check_date(day: date, group_timezone: str, now: datetime) -> None:
    """A chosen day must be today or later, and within a year."""
    today = utc_to_local(now, group_timezone).date()
    if day < today:
        raise DatePast()
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise DateFar()


def starts_at_of(day: date, at: time, group_timezone: str, now: datetime) -> datetime:
    check_date(day, group_timezone, now)
    starts_at = local_to_utc(day, at, group_timezone)
    if starts_at <= now:
        raise TimePast()
    return starts_at


def clean_venue(text: str | None) -> str | None:
    return clean_text(text, MAX_VENUE) if text and text.strip() else None


async def _same_day(
    session: AsyncSession, group: Group, starts_at: datetime, exclude: int | None
) -> list[MeetingView]:
    day = utc_to_local(starts_at, group.timezone).date()
    start = local_to_utc(day, time(0), group.timezone)
    end = local_to_utc(day + timedelta(days=1), time(0), group.timezone)
    query = select(Meeting).where(
        Meeting.group_id == group.id,
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at >= start,
        Meeting.starts_at < end,
    )
    if exclude is not None:
        query = query.where(Meeting.id != exclude)
    return [MeetingView.of(m, group) for m in await session.scalars(query)]


async def same_day_meetings(
    db: SessionFactory,
    actor: Actor,
    group_id: int,
    starts_at: datetime,
    exclude: int | None = None,
) -> list[MeetingView]:
    """Other meetings of the group on that local day: worth a warning, not a refusal."""
    async with db.begin() as session:
        group = await _own_group(session, actor, group_id)
        return await _same_day(session, group, starts_at, exclude)


async def schedule_meeting(
    db: SessionFactory,
    actor: Actor,
    *,
    group_id: int,
    session_number: int,
    starts_at: datetime,
    venue: str | None,
    now: datetime,
    offsets: Iterable[timedelta],
) -> MeetingView:
    if session_number not in session_numbers():
        raise NoSession()
    if starts_at <= now:
        raise TimePast()
    venue = clean_venue(venue)
    async with db.begin() as session:
        group = await _own_group(session, actor, group_id)
        meeting = await add_meeting(
            session, actor, group, session_number, starts_at, venue, now, offsets
        )
        return MeetingView.of(meeting, group)


@dataclass(frozen=True)
class OneLine:
    """/jadwalkan CODE DATE TIME [VENUE], as typed."""

    code: str
    day: str
    time: str
    venue: str | None  # None: the group's usual place


@dataclass(frozen=True)
class OneLineResult:
    """What became of a one-line /jadwalkan: saved, held for a warning, or not understood."""

    start: SchedulingStart
    problem: str | None = None  # the text key of a date or time that could not be read
    day: date | None = None
    at: time | None = None
    venue: str | None = None
    same_day: list[MeetingView] = field(default_factory=list)
    saved: MeetingView | None = None


async def schedule_by_code(
    db: SessionFactory, actor: Actor, line: OneLine, now: datetime, offsets: Iterable[timedelta]
) -> OneLineResult:
    """A meeting from one typed line, in one transaction: the group found by its code, the
    date read in the group's time zone, and the meeting saved with its deliveries, unless the
    day is a public holiday or cuti bersama or the group meets that day already (then it is
    held, and the facilitator saves it anyway with one tap)."""
    # The holiday lookup below runs inside the transaction; the first look at a year takes a
    # moment of CPU, so the years a meeting can fall in are computed first, in a thread.
    for year in (now.year, now.year + 1):
        await asyncio.to_thread(holiday_on, date(year, 1, 1))
    async with db.begin() as session:
        found = await managed_group_by_code(session, actor, line.code)
        if found is None:
            raise UnknownGroupCode(line.code.strip()[:20])
        group = await _own_group(session, actor, found.id)
        start = SchedulingStart(GroupView.of(group), await proposed_session(session, group.id))
        try:
            day = parse_date(line.day, utc_to_local(now, group.timezone).date())
        except DateInputError as exc:
            return OneLineResult(start, problem=f"meetings.errors.date_{exc.code}")
        try:
            at = parse_time(line.time)
        except TimeInputError as exc:
            return OneLineResult(start, problem=f"meetings.errors.time_{exc.code}")
        starts_at = starts_at_of(day, at, group.timezone, now)
        venue = clean_venue(line.venue) if line.venue else group.venue
        same_day = await _same_day(session, group, starts_at, None)
        if same_day or holiday_on(day) is not None:
            return OneLineResult(start, day=day, at=at, venue=venue, same_day=same_day)
        if start.proposed_session not in session_numbers():
            raise NoSession()
        meeting = await add_meeting(
            session,
            actor,
            group,
            start.proposed_session,
            starts_at,
            clean_venue(venue),
            now,
            offsets,
        )
        saved = MeetingView.of(meeting, group)
        return OneLineResult(start, day=day, at=at, venue=venue, saved=saved)


async def add_meeting(
    session: AsyncSession,
    actor: Actor,
    group: Group,
    session_number: int,
    starts_at: datetime,
    venue: str | None,
    now: datetime,
    offsets: Iterable[timedelta],
) -> Meeting:
    """A new meeting and its reminders, summary, recap and quiz, in the caller's transaction."""
    meeting = Meeting(
        group_id=group.id,
        session_number=session_number,
        starts_at=starts_at,
        duration_minutes=get_session(session_number, "id").duration_minutes,
        venue=venue,
        status=MeetingStatus.SCHEDULED,
        revision=1,
        created_by=actor.person_id,
        created_at=now,
        updated_at=now,
    )
    session.add(meeting)
    await session.flush()
    await month_counts.refresh_meeting(session, group, starts_at)
    await meeting_plan.enqueue_plan(
        session, meeting, group, _quiz_items(session_number), offsets, now
    )
    session.add(
        AuditEntry(
            actor_id=actor.person_id,
            action="meeting.schedule",
            detail=f"{group.code} #{meeting.id} s{session_number} {starts_at.isoformat()}",
        )
    )
    return meeting


async def managed_meeting(
    session: AsyncSession, actor: Actor, meeting_id: int
) -> tuple[Meeting, Group]:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    group = await load_managed_group(session, actor, meeting.group_id)
    return meeting, group


def _changeable(meeting: Meeting, now: datetime) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        raise AlreadyCancelled()
    if meeting.starts_at <= now:
        raise AlreadyStarted()


async def _drop_pending(session: AsyncSession, meeting_id: int, reason: str) -> int:
    return await deliveries.cancel_pending(
        session,
        Delivery.meeting_id == meeting_id,
        Delivery.kind.in_(MEETING_KINDS),
        reason=reason,
    )


async def reschedule_meeting(
    db: SessionFactory,
    actor: Actor,
    meeting_id: int,
    *,
    starts_at: datetime,
    venue: str | None,
    now: datetime,
    offsets: Iterable[timedelta],
) -> MeetingView:
    """A new time (and place): old deliveries skipped, new ones planned, members told.

    RSVPs are cleared, since "I will come" was said for the old time."""
    if starts_at <= now:
        raise TimePast()
    venue = clean_venue(venue)
    async with db.begin() as session:
        meeting, group = await managed_meeting(session, actor, meeting_id)
        _changeable(meeting, now)
        old_starts_at = meeting.starts_at
        meeting.starts_at = starts_at
        meeting.venue = venue
        meeting.revision += 1
        meeting.updated_at = now
        await _drop_pending(session, meeting.id, "rescheduled")
        await session.execute(delete(Rsvp).where(Rsvp.meeting_id == meeting.id))
        await session.flush()
        await meeting_plan.enqueue_plan(
            session, meeting, group, _quiz_items(meeting.session_number), offsets, now
        )
        await meeting_plan.enqueue_change(
            session, meeting, group, now, "rescheduled", old_starts_at
        )
        await month_counts.refresh_meeting(session, group, old_starts_at, starts_at)
        session.add(
            AuditEntry(
                actor_id=actor.person_id,
                action="meeting.reschedule",
                detail=f"{group.code} #{meeting.id} r{meeting.revision} {starts_at.isoformat()}",
            )
        )
        return MeetingView.of(meeting, group)


async def cancel_meeting(
    db: SessionFactory, actor: Actor, meeting_id: int, now: datetime
) -> MeetingView:
    async with db.begin() as session:
        meeting, group = await managed_meeting(session, actor, meeting_id)
        _changeable(meeting, now)
        meeting.status = MeetingStatus.CANCELLED
        meeting.updated_at = now
        await _drop_pending(session, meeting.id, "cancelled")
        await session.flush()
        await meeting_plan.enqueue_change(session, meeting, group, now, "cancelled")
        await month_counts.refresh_meeting(session, group, meeting.starts_at)
        session.add(
            AuditEntry(
                actor_id=actor.person_id,
                action="meeting.cancel",
                detail=f"{group.code} #{meeting.id}",
            )
        )
        return MeetingView.of(meeting, group)
