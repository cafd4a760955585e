"""The per-month aggregation queries: grouped counts over the month's meetings, one query per
kind of figure for every group in scope, never one query per group."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Group,
    Meeting,
    MeetingStatus,
    Member,
    QuizPoll,
    Rsvp,
)
from storage.models.attendance import (
    Attendance,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from storage.models.complaints import Complaint, ComplaintEvent, ComplaintStatus
from storage.reports.model import MeetingState, StatusCounts
from storage.reports.months import WESTMOST
from timekeeping.months import month_of


def meeting_ids_between(
    condition: ColumnElement[bool], lo: datetime, hi: datetime
) -> Select[tuple[int]]:
    return (
        select(Meeting.id)
        .join(Group, Group.id == Meeting.group_id)
        .where(condition, Meeting.starts_at >= lo, Meeting.starts_at < hi)
    )


async def count_attendance(
    session: AsyncSession, meeting_ids: Select[tuple[int]]
) -> dict[int, dict[AttendanceStatus, int]]:
    rows = await session.execute(
        select(Attendance.meeting_id, Attendance.status, func.count(Attendance.id))
        .where(Attendance.meeting_id.in_(meeting_ids))
        .group_by(Attendance.meeting_id, Attendance.status)
    )
    found: dict[int, dict[AttendanceStatus, int]] = defaultdict(dict)
    for meeting_id, status, count in rows.tuples():
        found[meeting_id][status] = count
    return found


async def count_departed(session: AsyncSession, meeting_ids: Select[tuple[int]]) -> dict[int, int]:
    """Members who left since, but were recorded at the meeting: they stay on its roster."""
    rows = await session.execute(
        select(Attendance.meeting_id, func.count(Attendance.id))
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.meeting_id.in_(meeting_ids), Member.active.is_(False))
        .group_by(Attendance.meeting_id)
    )
    return dict(rows.tuples().all())


async def count_rosters(
    session: AsyncSession, group_ids: Select[tuple[int]]
) -> dict[int, tuple[int, int]]:
    rows = await session.execute(
        select(Member.group_id, func.count(Member.id), func.count(Member.person_id))
        .where(Member.group_id.in_(group_ids), Member.active.is_(True))
        .group_by(Member.group_id)
    )
    return {group_id: (total, telegram) for group_id, total, telegram in rows.tuples()}


async def count_rsvps(
    session: AsyncSession, meeting_ids: Select[tuple[int]]
) -> dict[int, list[int]]:
    rows = await session.execute(
        select(Rsvp.meeting_id, Rsvp.coming, func.count(Rsvp.id))
        .where(Rsvp.meeting_id.in_(meeting_ids))
        .group_by(Rsvp.meeting_id, Rsvp.coming)
    )
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for meeting_id, coming, count in rows.tuples():
        found[meeting_id][0 if coming else 1] += count
    return found


@dataclass(frozen=True)
class Answer:
    state: ConfirmState
    outcome: ConfirmOutcome | None
    attendees: int | None
    info_passed: bool | None
    notes: str | None


async def last_answers(session: AsyncSession, meeting_ids: Select[tuple[int]]) -> dict[int, Answer]:
    """Per meeting the request that speaks for it: the last answered, else the last open."""
    rows = await session.execute(
        select(
            ConfirmationRequest.meeting_id,
            ConfirmationRequest.state,
            ConfirmationRequest.outcome,
            ConfirmationRequest.attendees,
            ConfirmationRequest.info_passed,
            ConfirmationRequest.notes,
        )
        .where(ConfirmationRequest.meeting_id.in_(meeting_ids))
        .order_by(ConfirmationRequest.id)
    )
    found: dict[int, Answer] = {}
    for meeting_id, state, outcome, attendees, info_passed, notes in rows.tuples():
        kept = found.get(meeting_id)
        if (
            kept is None
            or state is ConfirmState.ANSWERED
            or kept.state is not ConfirmState.ANSWERED
        ):
            found[meeting_id] = Answer(state, outcome, attendees, info_passed, notes)
    return found


async def count_quiz(session: AsyncSession, meeting_ids: Select[tuple[int]]) -> dict[int, int]:
    """Per meeting, the most answers any one quiz question got.

    The polls are anonymous, so who answered is unknown and answers to different questions
    cannot be added up as people: the busiest question is the honest lower bound."""
    rows = await session.execute(
        select(QuizPoll.meeting_id, func.max(QuizPoll.voters))
        .where(QuizPoll.meeting_id.in_(meeting_ids))
        .group_by(QuizPoll.meeting_id)
    )
    return {meeting: int(voters or 0) for meeting, voters in rows.tuples().all()}


async def count_complaints(
    session: AsyncSession,
    group_ids: Select[tuple[int]],
    zones: dict[int, str],
    lo: datetime,
    hi: datetime,
    countable: ColumnElement[bool],
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Complaints opened and resolved per (group, month), months in the group's zone.

    Only those the person may know exist (Scope.complaints): facilitators never count
    protected complaints (about them, or cuts from the aid), and chairs count none."""
    visible: list[ColumnElement[bool]] = [Complaint.group_id.in_(group_ids), countable]
    opened: dict[tuple[int, int], int] = defaultdict(int)
    for group_id, created_at in (
        await session.execute(
            select(Complaint.group_id, Complaint.created_at).where(
                *visible,
                Complaint.created_at >= lo,
                Complaint.created_at < hi,
            )
        )
    ).tuples():
        opened[(group_id, month_of(created_at, zones.get(group_id, WESTMOST)))] += 1
    resolved_ids: dict[tuple[int, int], set[int]] = defaultdict(set)
    for complaint_id, group_id, at in (
        await session.execute(
            select(Complaint.id, Complaint.group_id, ComplaintEvent.at)
            .join(ComplaintEvent, ComplaintEvent.complaint_id == Complaint.id)
            .where(
                *visible,
                ComplaintEvent.status == ComplaintStatus.RESOLVED,
                ComplaintEvent.at >= lo,
                ComplaintEvent.at < hi,
            )
        )
    ).tuples():
        resolved_ids[(group_id, month_of(at, zones.get(group_id, WESTMOST)))].add(complaint_id)
    return opened, {key: len(ids) for key, ids in resolved_ids.items()}


def meeting_state(
    status: MeetingStatus,
    starts_at: datetime,
    counts: StatusCounts,
    request: Answer | None,
    now: datetime,
) -> MeetingState:
    if status is MeetingStatus.CANCELLED:
        return MeetingState.CANCELLED
    if request is not None and request.state is ConfirmState.ANSWERED:
        return {
            ConfirmOutcome.HELD: MeetingState.CONFIRMED,
            ConfirmOutcome.NOT_HELD: MeetingState.NOT_HELD,
            ConfirmOutcome.MOVED: MeetingState.MOVED,
            None: MeetingState.CONFIRMED,
        }[request.outcome]
    if counts.recorded:
        return MeetingState.HELD
    return MeetingState.PLANNED if starts_at > now else MeetingState.NO_RECORD
