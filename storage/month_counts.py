"""Each group's month in figures (models/rollup.MonthCounts), kept in step with its rows.

The roll-up by area (storage/reports/rollup.py) adds up every group of a province or of the
country. Counting their roll-call lines and rosters at every /laporan took seconds for a
tenth of the country, so each group's month is counted here once, from its source rows, in
the transaction that changed them, and the roll-up adds up these rows.

`refresh` is the one place that counts: it recounts whole months of the given groups from
the meetings, attendance, roster and confirmations (never adjusts a figure by a difference),
so a figure cannot drift. The use cases that change what it counts call it at their end:

    attendance      a tap, "all the others present", a member's check-in
    confirmations   a chair asked, an answer finished, an answer reopened
    meetings        scheduled, moved (its old and its new month), cancelled
    roster          members added, deactivated or back, moved to another group (every month
                    of each group concerned: a meeting's roster is the roster of today)
    groups          placed in a desa (its time zone, so which month a meeting falls in)

`rebuild` counts everything again, for rows written around the use cases (the seeds).

Concurrent changes of one group are counted one after the other: `refresh` first locks the
groups' rows (PostgreSQL; SQLite has one writer), so the second recount sees the first's
rows once it committed, and the last recount written is a complete one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Group, Meeting, MeetingStatus, Member, MonthCounts
from storage.models.attendance import (
    Attendance,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from timekeeping.months import month_bounds, month_of, shift_month

COLUMNS = (
    "group_id",
    "month",
    "meetings",
    "confirmed",
    "roll_calls",
    "hadir",
    "roster",
    "confirmations_open",
)


def _month_case(zone: str, months: Sequence[int]) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    """For consecutive months in one zone: the condition on Meeting.starts_at that covers
    them, and the month each meeting falls in."""
    bounds = [(month, *month_bounds(month, zone)) for month in months]
    within = and_(Meeting.starts_at >= bounds[0][1], Meeting.starts_at < bounds[-1][2])
    month = case(
        *(
            (and_(Meeting.starts_at >= lo, Meeting.starts_at < hi), month)
            for month, lo, hi in bounds
        )
    )
    return within, month


def figures(condition: ColumnElement[bool], month: ColumnElement[Any]) -> Select[Any]:
    """(COLUMNS) per group and month for the meetings not cancelled of the groups and times
    `condition` (on Group and Meeting) selects; `month` names each meeting's month.

    The chat report's rules (storage/reports/collect.py): the chair's last answer decides a
    meeting; it is confirmed when that answer says held (or gives no outcome); its roll call
    counts when it was held or is not answered yet, out of the group's active roster plus
    the members recorded at it who left since; a confirmation is open when asked and none
    answered."""
    meetings = (
        select(Meeting.id.label("id"), Meeting.group_id.label("group_id"), month.label("month"))
        .join(Group, Group.id == Meeting.group_id)
        .where(condition, Meeting.status != MeetingStatus.CANCELLED)
        .cte("month_meetings")
    )
    answered = (
        select(
            ConfirmationRequest.meeting_id.label("meeting_id"),
            func.max(ConfirmationRequest.id).label("request_id"),
        )
        .join(meetings, meetings.c.id == ConfirmationRequest.meeting_id)
        .where(ConfirmationRequest.state == ConfirmState.ANSWERED)
        .group_by(ConfirmationRequest.meeting_id)
        .subquery("answered")
    )
    waiting = (
        select(ConfirmationRequest.meeting_id.label("meeting_id"))
        .join(meetings, meetings.c.id == ConfirmationRequest.meeting_id)
        .where(ConfirmationRequest.state == ConfirmState.OPEN)
        .distinct()
        .subquery("waiting")
    )
    lines = (
        select(
            Attendance.meeting_id.label("meeting_id"),
            func.sum(case((Attendance.status == AttendanceStatus.HADIR, 1), else_=0)).label(
                "hadir"
            ),
            func.sum(case((Member.active.is_(False), 1), else_=0)).label("departed"),
        )
        .join(meetings, meetings.c.id == Attendance.meeting_id)
        .join(Member, Member.id == Attendance.member_id)
        .group_by(Attendance.meeting_id)
        .subquery("lines")
    )
    rosters = (
        select(Member.group_id.label("group_id"), func.count(Member.id).label("members"))
        .where(Member.active.is_(True), Member.group_id.in_(select(meetings.c.group_id)))
        .group_by(Member.group_id)
        .subquery("rosters")
    )
    last = aliased(ConfirmationRequest, name="last_answer")
    answered_at_all = answered.c.request_id.is_not(None)
    confirmed = and_(
        answered_at_all, or_(last.outcome.is_(None), last.outcome == ConfirmOutcome.HELD)
    )
    # Held, or not answered yet (neither "not held" nor "moved"), with a line recorded.
    with_roll_call = and_(
        lines.c.meeting_id.is_not(None),
        or_(~answered_at_all, last.outcome.is_(None), last.outcome == ConfirmOutcome.HELD),
    )

    def count(when: ColumnElement[bool], value: Any = 1) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((when, value), else_=0)), 0)

    return (
        select(
            meetings.c.group_id,
            meetings.c.month,
            func.count(meetings.c.id),
            count(confirmed),
            count(with_roll_call),
            count(with_roll_call, lines.c.hadir),
            count(with_roll_call, func.coalesce(rosters.c.members, 0) + lines.c.departed),
            count(and_(waiting.c.meeting_id.is_not(None), ~answered_at_all)),
        )
        .select_from(meetings)
        .outerjoin(answered, answered.c.meeting_id == meetings.c.id)
        .outerjoin(last, last.id == answered.c.request_id)
        .outerjoin(waiting, waiting.c.meeting_id == meetings.c.id)
        .outerjoin(lines, lines.c.meeting_id == meetings.c.id)
        .outerjoin(rosters, rosters.c.group_id == meetings.c.group_id)
        .group_by(meetings.c.group_id, meetings.c.month)
    )


async def _count(
    session: AsyncSession, condition: ColumnElement[bool], zone: str, months: Sequence[int]
) -> None:
    within, month = _month_case(zone, months)
    await session.execute(
        insert(MonthCounts).from_select(
            COLUMNS, figures(and_(condition, Group.timezone == zone, within), month)
        )
    )


def _span(first: int, last: int) -> list[int]:
    months = [first]
    while months[-1] < last:
        months.append(shift_month(months[-1], 1))
    return months


async def _months_met(
    session: AsyncSession, condition: ColumnElement[bool], zone: str
) -> list[int]:
    """Every month from the first to the last meeting (not cancelled) of these groups."""
    first, last = (
        await session.execute(
            select(func.min(Meeting.starts_at), func.max(Meeting.starts_at))
            .join(Group, Group.id == Meeting.group_id)
            .where(condition, Group.timezone == zone, Meeting.status != MeetingStatus.CANCELLED)
        )
    ).one()
    if first is None or last is None:
        return []
    return _span(month_of(first, zone), month_of(last, zone))


async def refresh(
    session: AsyncSession, group_ids: Iterable[int], months: Iterable[int] | None = None
) -> None:
    """Count these months (None: every month) of these groups again from their rows."""
    ids = sorted(set(group_ids))
    if not ids:
        return
    await session.flush()
    # One recount of a group at a time (see the module's docstring); ids in order, so two
    # transactions locking several groups never wait on each other in a circle.
    zones = (
        await session.execute(
            select(Group.id, Group.timezone)
            .where(Group.id.in_(ids))
            .order_by(Group.id)
            .with_for_update(key_share=True)
        )
    ).tuples()
    by_zone: dict[str, list[int]] = defaultdict(list)
    for group_id, zone in zones:
        by_zone[zone].append(group_id)
    wanted = None if months is None else sorted(set(months))
    stale = delete(MonthCounts).where(MonthCounts.group_id.in_(ids))
    if wanted is not None:
        stale = stale.where(MonthCounts.month.in_(wanted))
    await session.execute(stale.execution_options(synchronize_session=False))
    for zone, members in by_zone.items():
        condition = Group.id.in_(members)
        for run in (
            _runs(wanted) if wanted is not None else [await _months_met(session, condition, zone)]
        ):
            if run:
                await _count(session, condition, zone, run)


def _runs(months: Sequence[int]) -> list[list[int]]:
    """Sorted months cut into runs of consecutive ones (one range of times each)."""
    runs: list[list[int]] = []
    for month in months:
        if runs and shift_month(runs[-1][-1], 1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


async def refresh_meeting(session: AsyncSession, group: Group, *starts: datetime) -> None:
    """Count again the month(s) a meeting of this group falls in (its old and new time)."""
    await refresh(session, [group.id], {month_of(at, group.timezone) for at in starts})


async def refresh_members(
    session: AsyncSession, member_ids: Iterable[int], also: Iterable[int] = ()
) -> None:
    """Count again every month of the groups these members are in or were recorded in (and
    of the groups `also`, a group one left): a meeting's roster is the group's roster of
    today plus those recorded who left since."""
    ids = sorted(set(member_ids))
    await session.flush()
    groups = set(also)
    if ids:
        groups.update(await session.scalars(select(Member.group_id).where(Member.id.in_(ids))))
    groups.update(
        await session.scalars(
            select(Meeting.group_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(Attendance.member_id.in_(ids))
            .distinct()
        )
    )
    await refresh(session, groups)


async def rebuild(session: AsyncSession) -> None:
    """Count every group's every month again (after rows were written around the use cases);
    a month at a time, so no statement holds the whole country's lines at once."""
    await session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Its estimates of these joins run to millions of rows, so PostgreSQL compiles each
        # statement (JIT): 2.5 of a province month's 3.1 s, for a plan of a few hash joins.
        await session.execute(text("SET LOCAL jit = off"))
    await session.execute(delete(MonthCounts).execution_options(synchronize_session=False))
    zones = list(await session.scalars(select(Group.timezone).distinct()))
    everything = Group.id.is_not(None)
    for zone in zones:
        for month in await _months_met(session, everything, zone):
            await _count(session, everything, zone, [month])
