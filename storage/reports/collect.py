"""Every group of a scope, month by month: the queries' counts put together as GroupMonth."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.actors import Actor
from storage.audit import Read, read_area, record_read, scope_detail
from storage.db import SessionFactory
from storage.models import (
    ActivityEndTime,
    Group,
    Meeting,
    Member,
    Person,
)
from storage.models.attendance import (
    AttendanceStatus,
    ConfirmState,
)
from storage.reports.model import GroupMonth, MeetingLine, MonthReport, StatusCounts
from storage.reports.months import check_month, month_window
from storage.reports.queries import (
    count_attendance,
    count_complaints,
    count_departed,
    count_quiz,
    count_rosters,
    count_rsvps,
    last_answers,
    meeting_ids_between,
    meeting_state,
)
from storage.reports.rollup import rollup_for
from storage.reports.scope import Scope, resolve_scope
from timekeeping.months import month_of, shift_month


async def collect(
    session: AsyncSession, scope: Scope, first: int, last: int, now: datetime
) -> dict[int, list[GroupMonth]]:
    """Every group in scope, month by month from `first` to `last` (inclusive)."""
    lo, hi = month_window(first, last)
    condition = scope.condition
    chair = aliased(Member)
    meeting_ids = meeting_ids_between(condition, lo, hi)
    group_ids = select(Group.id).where(condition)
    groups = (
        (
            await session.execute(
                select(Group, Person.name, chair.name)
                .join(Person, Person.id == Group.facilitator_id)
                .outerjoin(chair, chair.id == Group.chair_member_id)
                .where(
                    condition,
                    or_(
                        Group.active.is_(True),
                        Group.id.in_(select(Meeting.group_id).where(Meeting.id.in_(meeting_ids))),
                    ),
                )
            )
        )
        .tuples()
        .all()
    )
    zones = {group.id: group.timezone for group, _, _ in groups}
    meetings = await session.execute(
        select(
            Meeting.id,
            Meeting.group_id,
            Meeting.starts_at,
            Meeting.duration_minutes,
            Meeting.venue,
            Meeting.session_number,
            Meeting.status,
        )
        .join(Group, Group.id == Meeting.group_id)
        .where(condition, Meeting.starts_at >= lo, Meeting.starts_at < hi)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    attendance = await count_attendance(session, meeting_ids)
    departed = await count_departed(session, meeting_ids)
    rosters = await count_rosters(session, group_ids)
    rsvps = await count_rsvps(session, meeting_ids)
    requests = await last_answers(session, meeting_ids)
    quiz = await count_quiz(session, meeting_ids)
    ends = dict(
        (
            await session.execute(
                select(ActivityEndTime.meeting_id, ActivityEndTime.ends_at).where(
                    ActivityEndTime.meeting_id.in_(meeting_ids)
                )
            )
        )
        .tuples()
        .all()
    )
    opened, resolved = await count_complaints(session, group_ids, zones, lo, hi, scope.complaints)

    lines: dict[tuple[int, int], list[MeetingLine]] = defaultdict(list)
    for meeting in meetings:
        zone = zones.get(meeting.group_id)
        if zone is None:
            continue
        month = month_of(meeting.starts_at, zone)
        if not first <= month <= last:
            continue
        by_status = attendance.get(meeting.id, {})
        counts = StatusCounts(
            hadir=by_status.get(AttendanceStatus.HADIR, 0),
            izin=by_status.get(AttendanceStatus.IZIN, 0),
            sakit=by_status.get(AttendanceStatus.SAKIT, 0),
            alfa=by_status.get(AttendanceStatus.ALFA, 0),
            roster=rosters.get(meeting.group_id, (0, 0))[0] + departed.get(meeting.id, 0),
        )
        request = requests.get(meeting.id)
        answered = request is not None and request.state is ConfirmState.ANSWERED
        coming, not_coming = rsvps.get(meeting.id, [0, 0])
        lines[(meeting.group_id, month)].append(
            MeetingLine(
                id=meeting.id,
                group_id=meeting.group_id,
                month=month,
                starts_at=meeting.starts_at,
                duration_minutes=meeting.duration_minutes,
                venue=meeting.venue,
                session_number=meeting.session_number,
                state=meeting_state(meeting.status, meeting.starts_at, counts, request, now),
                attendance=counts,
                rsvp_coming=coming,
                rsvp_not_coming=not_coming,
                confirmation_open=request is not None and not answered,
                chair_attendees=request.attendees if request is not None and answered else None,
                info_passed=request.info_passed if request is not None and answered else None,
                chair_notes=request.notes if request is not None else None,
                quiz_participants=quiz.get(meeting.id, 0),
                written_end=ends.get(meeting.id),
            )
        )

    months: dict[int, list[GroupMonth]] = {}
    month = first
    while month <= last:
        months[month] = [
            GroupMonth(
                id=group.id,
                code=group.code,
                name=group.name,
                timezone=group.timezone,
                venue=group.venue,
                facilitator_id=group.facilitator_id,
                facilitator_name=facilitator,
                chair_name=chair_name,
                roster=rosters.get(group.id, (0, 0))[0],
                on_telegram=rosters.get(group.id, (0, 0))[1],
                meetings=tuple(lines.get((group.id, month), ())),
                complaints_opened=opened.get((group.id, month), 0),
                complaints_resolved=resolved.get((group.id, month), 0),
            )
            for group, facilitator, chair_name in groups
        ]
        month = shift_month(month, 1)
    return months


def natural(text: str) -> tuple[tuple[int, str], ...]:
    """A sort key that puts "Mawar 9" before "Mawar 10", as people count."""
    return tuple(
        (1, "") if not part else (0, f"{int(part):012d}") if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", text.casefold())
    )


def ordered_groups(groups: Iterable[GroupMonth]) -> tuple[GroupMonth, ...]:
    """Groups that still lack a confirmed meeting first, then by facilitator and name."""
    return tuple(
        sorted(
            groups,
            key=lambda g: (g.confirmed, natural(g.facilitator_name), natural(g.name), g.id),
        )
    )


async def month_report(
    db: SessionFactory,
    actor: Actor,
    month: int,
    now: datetime,
    *,
    group_code: str | None = None,
    group_id: int | None = None,
    sla: timedelta | None = None,
) -> MonthReport:
    """A month's report for a facilitator (their groups), a coordinator (all), or a chair;
    with the complaint SLA, a coordinator's also rolled up by area (storage/reports/rollup)."""
    check_month(month, now)
    async with db.begin() as session:
        scope = await resolve_scope(session, actor, group_code, group_id)
        record_read(
            session,
            actor,
            Read.REPORT,
            scope_detail(month, group_code, group_id),
            now,
            area_code=await read_area(session, actor, scope.group_id),
        )
        months = await collect(session, scope, month, month, now)
        whole = group_code is None and group_id is None
        rollup = (
            await rollup_for(session, actor, month, now, sla) if whole and sla is not None else None
        )
    return MonthReport(
        month,
        scope.audience,
        ordered_groups(months[month]),
        scope.include_ids,
        scope.rights,
        rollup,
    )
