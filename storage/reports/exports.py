"""What a month's spreadsheet holds: the report's numbers and, per group, members by meetings.

The numbers come from storage.reports.collect, the same as the chat report's, so a
facilitator who compares the two sees the same figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.audit import Read, read_area, record_read, scope_detail
from storage.db import SessionFactory
from storage.errors import UseCaseError
from storage.models import Group, Member
from storage.models.attendance import Attendance, AttendanceStatus
from storage.reports import (
    ChartData,
    GroupMonth,
    MeetingLine,
    MeetingState,
    MonthReport,
    Scope,
    chart_from,
    chart_months,
    check_month,
    collect,
    meeting_ids_between,
    month_window,
    natural,
    ordered_groups,
    resolve_scope,
)
from storage.reports.rollup import Rollup, rollup_for


class NoMeetings(UseCaseError):
    """No meeting in the month to export."""

    def __init__(self, month: int) -> None:
        super().__init__()
        self.month = month


@dataclass(frozen=True)
class MemberRow:
    name: str
    programme_id: str | None  # None unless the export goes to staff
    statuses: tuple[AttendanceStatus | None, ...]  # one per meeting of the sheet

    @property
    def hadir(self) -> int:
        return sum(1 for status in self.statuses if status is AttendanceStatus.HADIR)


@dataclass(frozen=True)
class GroupSheet:
    group: GroupMonth
    meetings: tuple[MeetingLine, ...]  # the month's meetings that were not cancelled
    members: tuple[MemberRow, ...]


@dataclass(frozen=True)
class ExportData:
    report: MonthReport
    sheets: tuple[GroupSheet, ...]
    chart: ChartData | None = None  # six months up to the report's, for the summary sheet
    # Who made the file and when, written in it (accountable access, issue 21).
    made_by: str = ""
    made_at: datetime | None = None
    # A coordinator's month by area, a sheet per level (None: not a coordinator, or her
    # groups are not placed in areas).
    rollup: Rollup | None = None

    @property
    def include_ids(self) -> bool:
        return self.report.include_ids


async def _member_rows(
    session: AsyncSession, scope: Scope, month: int, groups: tuple[GroupMonth, ...]
) -> dict[int, list[tuple[int, str, str | None, bool]]]:
    """Every group's members (id, name, programme id, active), in roll-call order."""
    rows = await session.execute(
        select(Member.id, Member.group_id, Member.name, Member.programme_id, Member.active)
        .join(Group, Group.id == Member.group_id)
        .where(scope.condition)
        .order_by(Member.group_id, func.lower(Member.name), Member.id)
    )
    wanted = {group.id for group in groups}
    found: dict[int, list[tuple[int, str, str | None, bool]]] = defaultdict(list)
    for member_id, group_id, name, programme_id, active in rows.tuples():
        if group_id in wanted:
            found[group_id].append((member_id, name, programme_id, active))
    return found


async def _statuses(
    session: AsyncSession, scope: Scope, month: int
) -> dict[tuple[int, int], AttendanceStatus]:
    lo, hi = month_window(month, month)
    rows = await session.execute(
        select(Attendance.meeting_id, Attendance.member_id, Attendance.status).where(
            Attendance.meeting_id.in_(meeting_ids_between(scope.condition, lo, hi))
        )
    )
    return {(meeting_id, member_id): status for meeting_id, member_id, status in rows.tuples()}


async def export_month(
    db: SessionFactory,
    actor: Actor,
    month: int,
    now: datetime,
    *,
    group_code: str | None = None,
    group_id: int | None = None,
    with_chart: bool = False,
    sla: timedelta | None = None,
) -> ExportData:
    """The month's report plus every group's members by meetings, for XLSX or CSV; with the
    attendance chart's numbers of the six months up to it (read in the same pass)."""
    check_month(month, now)
    first = chart_months(month)[0] if with_chart else month
    async with db.begin() as session:
        scope = await resolve_scope(session, actor, group_code, group_id)
        record_read(
            session,
            actor,
            Read.EXPORT,
            scope_detail(month, group_code, group_id),
            now,
            area_code=await read_area(session, actor, scope.group_id),
        )
        months = await collect(session, scope, first, month, now)
        groups = ordered_groups(months[month])
        report = MonthReport(month, scope.audience, groups, scope.include_ids, scope.rights)
        if report.meetings == 0:
            raise NoMeetings(month)
        members = await _member_rows(session, scope, month, groups)
        statuses = await _statuses(session, scope, month)
        whole = group_code is None and group_id is None
        rollup = (
            await rollup_for(session, actor, month, now, sla) if whole and sla is not None else None
        )
    sheets = []
    for group in sorted(groups, key=lambda g: (natural(g.name), g.code)):
        meetings = tuple(m for m in group.meetings if m.state is not MeetingState.CANCELLED)
        if not meetings:
            continue
        rows = []
        for member_id, name, programme_id, active in members.get(group.id, []):
            marks = tuple(statuses.get((m.id, member_id)) for m in meetings)
            if not active and all(mark is None for mark in marks):
                continue
            rows.append(MemberRow(name, programme_id if report.include_ids else None, marks))
        sheets.append(GroupSheet(group, meetings, tuple(rows)))
    chart = chart_from(months, scope.audience) if with_chart else None
    return ExportData(report, tuple(sheets), chart, made_by=actor.name, made_at=now, rollup=rollup)
