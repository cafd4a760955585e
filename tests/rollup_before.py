"""The roll-up's figures as storage/reports/rollup.py counted them before each group's month
was kept in report_month_counts (commit 0dfe4fb): straight from the meetings, roll-call
lines, rosters and confirmations. Kept for tests/test_rollup_as_before.py, which checks
that the pre-aggregate changes no figure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.complaints.constants import OPEN
from storage.models import Group, Meeting, MeetingStatus, Member
from storage.models.attendance import (
    Attendance,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from storage.models.complaints import Complaint
from storage.reports.rollup import Row
from timekeeping.months import month_bounds


def _in_month(zones: Iterable[str], month: int) -> ColumnElement[bool]:
    """Meetings in the month as their group's zone counts it: one range per zone, so the
    start of the month in Papua and in Java are both exact, on either database."""
    parts = []
    for zone in zones:
        lo, hi = month_bounds(month, zone)
        parts.append(and_(Group.timezone == zone, Meeting.starts_at >= lo, Meeting.starts_at < hi))
    return or_(*parts) if parts else false()


# The chair's last answer per meeting decides its state (as in queries.last_answers).
_HELD_ANSWER = or_(
    ConfirmationRequest.outcome.is_(None), ConfirmationRequest.outcome == ConfirmOutcome.HELD
)


@dataclass(frozen=True)
class _Month:
    """What every query of a month shares: its meetings and each one's last answer."""

    in_month: ColumnElement[bool]
    meetings: Select[tuple[int]]
    last_answer: Subquery


async def _zones(session: AsyncSession, condition: ColumnElement[bool]) -> list[str]:
    return list((await session.scalars(select(Group.timezone).where(condition).distinct())).all())


def _month(condition: ColumnElement[bool], zones: Iterable[str], month: int) -> _Month:
    in_month = _in_month(zones, month)
    meetings = (
        select(Meeting.id)
        .join(Group, Group.id == Meeting.group_id)
        .where(condition, in_month, Meeting.status != MeetingStatus.CANCELLED)
    )
    last_answer = (
        select(
            ConfirmationRequest.meeting_id.label("meeting_id"),
            func.max(ConfirmationRequest.id).label("request_id"),
        )
        .where(
            ConfirmationRequest.state == ConfirmState.ANSWERED,
            ConfirmationRequest.meeting_id.in_(meetings),
        )
        .group_by(ConfirmationRequest.meeting_id)
        .subquery()
    )
    return _Month(in_month, meetings, last_answer)


def _attendance(
    keys: Sequence[ColumnElement[Any]], condition: ColumnElement[bool], month: _Month
) -> Select[Any]:
    """(keys..., hadir, roster) of the meetings held with a roll call: per meeting first
    (hadir, and those recorded who left since), then the group's active roster per meeting."""
    departed = select(Member.id).where(Member.active.is_(False))
    per_meeting = (
        select(
            Attendance.meeting_id.label("meeting_id"),
            func.sum(case((Attendance.status == AttendanceStatus.HADIR, 1), else_=0)).label(
                "hadir"
            ),
            # Without joining the members: those who left are few, looked up as a set.
            func.sum(case((Attendance.member_id.in_(departed), 1), else_=0)).label("departed"),
        )
        .where(Attendance.meeting_id.in_(month.meetings))
        .group_by(Attendance.meeting_id)
        .subquery()
    )
    rosters = (
        select(Member.group_id.label("group_id"), func.count(Member.id).label("members"))
        .join(Group, Group.id == Member.group_id)
        .where(condition, Member.active.is_(True))
        .group_by(Member.group_id)
        .subquery()
    )
    last_answer = month.last_answer
    not_held = (
        select(ConfirmationRequest.id)
        .where(
            ConfirmationRequest.id == last_answer.c.request_id,
            ConfirmationRequest.outcome.in_((ConfirmOutcome.NOT_HELD, ConfirmOutcome.MOVED)),
        )
        .exists()
    )
    return (
        select(
            *keys,
            func.sum(per_meeting.c.hadir),
            func.sum(func.coalesce(rosters.c.members, 0) + per_meeting.c.departed),
        )
        .select_from(Meeting)
        .join(Group, Group.id == Meeting.group_id)
        .join(per_meeting, per_meeting.c.meeting_id == Meeting.id)
        .outerjoin(rosters, rosters.c.group_id == Group.id)
        .outerjoin(last_answer, last_answer.c.meeting_id == Meeting.id)
        .where(condition, month.in_month, Meeting.status != MeetingStatus.CANCELLED, ~not_held)
        .group_by(*keys)
    )


async def _grouped(
    session: AsyncSession,
    keys: Sequence[ColumnElement[Any]],
    condition: ColumnElement[bool],
    month: int,
    now: datetime,
    sla: timedelta,
    complaints: ColumnElement[bool],
) -> dict[tuple[object, ...], Row]:
    """The figures grouped by every key at once: five grouped queries."""
    parts = _month(condition, await _zones(session, condition), month)
    in_month, last_answer = parts.in_month, parts.last_answer
    found: dict[tuple[object, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(rows: Iterable[Sequence[object]], *names: str) -> None:
        for row in rows:
            key = tuple(row[: len(keys)])
            for name, value in zip(names, row[len(keys) :], strict=True):
                found[key][name] += int(value or 0)  # type: ignore[call-overload]

    # Groups: the active ones, and any that met this month (as the chat report counts them).
    met = exists().where(
        Meeting.group_id == Group.id,
        in_month,
        Meeting.status != MeetingStatus.CANCELLED,
    )
    add(
        (
            await session.execute(
                select(*keys, func.count(Group.id))
                .where(condition, or_(Group.active.is_(True), met))
                .group_by(*keys)
            )
        ).all(),
        "groups",
    )
    # Groups with a confirmed meeting: the last answer says it was held.
    add(
        (
            await session.execute(
                select(*keys, func.count(func.distinct(Group.id)))
                .select_from(Meeting)
                .join(Group, Group.id == Meeting.group_id)
                .join(last_answer, last_answer.c.meeting_id == Meeting.id)
                .join(ConfirmationRequest, ConfirmationRequest.id == last_answer.c.request_id)
                .where(
                    condition,
                    in_month,
                    Meeting.status != MeetingStatus.CANCELLED,
                    _HELD_ANSWER,
                )
                .group_by(*keys)
            )
        ).all(),
        "confirmed",
    )
    # Attendance of the meetings held with a roll call.
    add((await session.execute(_attendance(keys, condition, parts))).all(), "hadir", "roster")
    # Confirmations outstanding: a request open, none answered.
    add(
        (
            await session.execute(
                select(*keys, func.count(func.distinct(Meeting.id)))
                .select_from(ConfirmationRequest)
                .join(Meeting, Meeting.id == ConfirmationRequest.meeting_id)
                .join(Group, Group.id == Meeting.group_id)
                .outerjoin(last_answer, last_answer.c.meeting_id == Meeting.id)
                .where(
                    condition,
                    in_month,
                    Meeting.status != MeetingStatus.CANCELLED,
                    ConfirmationRequest.state == ConfirmState.OPEN,
                    last_answer.c.request_id.is_(None),
                )
                .group_by(*keys)
            )
        ).all(),
        "confirmations_open",
    )
    # Complaints open now, and those open past the SLA: only those this person may know of.
    overdue = Complaint.created_at < now - sla
    add(
        (
            await session.execute(
                select(
                    *keys,
                    func.count(Complaint.id),
                    func.sum(case((overdue, 1), else_=0)),
                )
                .join(Group, Group.id == Complaint.group_id)
                .where(condition, complaints, Complaint.status.in_(OPEN))
                .group_by(*keys)
            )
        ).all(),
        "complaints_open",
        "complaints_overdue",
    )
    return {key: Row(None, "", **values) for key, values in found.items()}
