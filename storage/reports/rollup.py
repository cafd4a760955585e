"""A coordinator's month rolled up by area: a Korkab's kabupaten/kota by kecamatan and by
pendamping, a Korwil's province (or her kabupaten/kota) by kabupaten/kota, the whole deployment
by province.

Everything is counted in SQL, grouped on prefixes of the groups' area codes (substr: "32.79.01"
is the kecamatan of "32.79.01.1001"), so a province of thousands of groups comes back as a few
dozen rows and no group is loaded into Python. The rows are grouped once by every key the
levels need (kecamatan and pendamping together, for a Korkab) and each level adds them up:
every group sits in exactly one row, so the sums are exact.

A group not placed in an area (Group.area_code NULL) has a NULL prefix: it comes back as a row
of its own, "belum ditempatkan", never dropped.

The figures follow the chat report's rules (storage/reports/collect.py): a meeting belongs to
the month of its group's time zone; it is confirmed when the chair's last answer says it was
held; its attendance counts when it was held (or not answered yet) with a roll call, out of
the roster (active members plus those who left since but were recorded at it)."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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

from storage import access
from storage.actors import Actor
from storage.audit import Read, record_read, scope_detail
from storage.complaints.constants import OPEN
from storage.db import SessionFactory
from storage.models import Area, Group, Meeting, MeetingStatus, Member, Person
from storage.models.attendance import (
    Attendance,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from storage.models.complaints import Complaint
from storage.reports.errors import ReportsNotAllowed
from storage.reports.model import ChartData, Point, Series
from storage.reports.months import chart_months, check_month, current_month
from storage.roles import Role
from timekeeping.months import month_bounds, shift_month
from timekeeping.numbers import percent


class Level(enum.StrEnum):
    """A level of the roll-up; the value names its texts (reports.level_<value>)."""

    PROVINCE = "province"
    REGENCY = "regency"  # kabupaten/kota
    DISTRICT = "district"  # kecamatan
    FACILITATOR = "facilitator"  # pendamping


# How many characters of a dotted area code name the area of each level ("32", "32.79",
# "32.79.01").
PREFIX = {Level.PROVINCE: 2, Level.REGENCY: 5, Level.DISTRICT: 8}


def levels_for(actor: Actor) -> tuple[Level, ...]:
    """The levels a coordinator's report shows, one below the area she covers.

    The whole deployment: by province. A province, or several kabupaten/kota (a Korwil): by
    kabupaten/kota. One kabupaten/kota or less (a Korkab): by kecamatan and by pendamping.
    Others have no roll-up (a facilitator's report lists her groups one by one)."""
    if not access.may(actor, access.Duty.COORDINATE):
        return ()
    if actor.areas is None:
        return (Level.PROVINCE,)
    regencies = {code[:5] for code in actor.areas}
    if any(len(code) <= 2 for code in actor.areas) or len(regencies) > 1:
        return (Level.REGENCY,)
    return (Level.DISTRICT, Level.FACILITATOR)


@dataclass(frozen=True)
class Row:
    """One line of a level: an area (its code), a pendamping (her id as text), or the groups
    not placed in an area (key None)."""

    key: str | None
    name: str
    groups: int = 0
    confirmed: int = 0  # groups with a meeting the chair confirmed this month
    hadir: int = 0
    roster: int = 0  # of the meetings held with a roll call
    confirmations_open: int = 0  # meetings whose chair has not answered yet
    complaints_open: int = 0
    complaints_overdue: int = 0  # open longer than the complaint SLA

    @property
    def placed(self) -> bool:
        return self.key is not None

    @property
    def coverage(self) -> int | None:
        """Groups with a confirmed meeting, as a whole percentage of all groups."""
        return percent(self.confirmed, self.groups)

    @property
    def rate(self) -> int | None:
        return percent(self.hadir, self.roster)

    def __add__(self, other: Row) -> Row:
        return Row(
            self.key,
            self.name,
            self.groups + other.groups,
            self.confirmed + other.confirmed,
            self.hadir + other.hadir,
            self.roster + other.roster,
            self.confirmations_open + other.confirmations_open,
            self.complaints_open + other.complaints_open,
            self.complaints_overdue + other.complaints_overdue,
        )


@dataclass(frozen=True)
class LevelRows:
    level: Level
    rows: tuple[Row, ...]  # by name; the groups not placed last

    @property
    def total(self) -> Row:
        return sum(self.rows, Row(None, ""))


@dataclass(frozen=True)
class Rollup:
    month: int
    levels: tuple[LevelRows, ...] = ()
    # Whether the complaint counts include protected complaints (cuts from the aid, about
    # staff): storage/access.py decides; a coordinator sees those of her area.
    protected_counted: bool = False
    area_names: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total(self) -> Row:
        return self.levels[0].total if self.levels else Row(None, "")


# -- the queries ----------------------------------------------------------------------------


def _key(level: Level) -> ColumnElement[Any]:
    if level is Level.FACILITATOR:
        return Group.facilitator_id.label(level.value)
    return func.substr(Group.area_code, 1, PREFIX[level]).label(level.value)


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


async def _names(session: AsyncSession, level: Level, keys: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({key for key in keys if key is not None})
    if not wanted:
        return {}
    if level is Level.FACILITATOR:
        rows = await session.execute(
            select(Person.id, Person.name).where(Person.id.in_([int(key) for key in wanted]))
        )
        return {str(person_id): name for person_id, name in rows.tuples()}
    areas = await session.execute(select(Area.code, Area.name).where(Area.code.in_(wanted)))
    return dict(areas.tuples().all())


async def collect_rollup(
    session: AsyncSession,
    actor: Actor,
    month: int,
    now: datetime,
    sla: timedelta,
    levels: Sequence[Level] | None = None,
) -> Rollup:
    """The month of this coordinator's area, level by level, in one transaction."""
    levels = tuple(levels_for(actor) if levels is None else levels)
    if not levels:
        return Rollup(month)
    keys = [_key(level) for level in levels]
    grouped = await _grouped(
        session,
        keys,
        access.report_condition(actor),
        month,
        now,
        sla,
        access.countable_complaints(actor),
    )
    result = []
    for index, level in enumerate(levels):
        summed: dict[str | None, Row] = {}
        for key, row in grouped.items():
            value = key[index]
            name = None if value is None else str(value)
            summed[name] = summed.get(name, Row(name, "")) + row
        names = await _names(session, level, summed)
        rows = [
            Row(key, names.get(key or "", key or ""), *figures(row)) for key, row in summed.items()
        ]
        rows.sort(key=lambda r: (r.key is None, r.name.casefold(), r.key or ""))
        result.append(LevelRows(level, tuple(rows)))
    # The counts hold protected complaints when this person may read those of her area.
    protected = access.holds(actor, access.Action.PROTECTED)
    return Rollup(month, tuple(result), protected, actor.area_names)


def figures(row: Row) -> tuple[int, ...]:
    return (
        row.groups,
        row.confirmed,
        row.hadir,
        row.roster,
        row.confirmations_open,
        row.complaints_open,
        row.complaints_overdue,
    )


async def month_rollup(
    db: SessionFactory, actor: Actor, month: int, now: datetime, sla: timedelta
) -> Rollup:
    """The roll-up of a coordinator's month (/laporan, /ekspor, /grafik); refused to others."""
    if not access.may(actor, access.Duty.COORDINATE):
        raise ReportsNotAllowed()
    check_month(month, now)
    async with db.begin() as session:
        record_read(
            session,
            actor,
            Read.REPORT,
            scope_detail(month, None, None),
            now,
            area_code=access.reader_area(actor),
        )
        return await collect_rollup(session, actor, month, now, sla)


async def _placed(session: AsyncSession, actor: Actor) -> bool:
    """Whether any of her groups is placed in an area: a deployment that set no areas keeps
    its report per pendamping, where a roll-up by area would be one line."""
    found = await session.scalar(
        select(Group.id)
        .where(access.report_condition(actor), Group.area_code.is_not(None))
        .limit(1)
    )
    return found is not None


async def rollup_for(
    session: AsyncSession, actor: Actor, month: int, now: datetime, sla: timedelta
) -> Rollup | None:
    """The roll-up for a coordinator's report or file, None when there is nothing to roll up
    (not a coordinator, or none of her groups placed in an area)."""
    if not levels_for(actor) or not await _placed(session, actor):
        return None
    return await collect_rollup(session, actor, month, now, sla)


async def rollup_chart(
    db: SessionFactory, actor: Actor, now: datetime, last: int | None = None
) -> ChartData | None:
    """Six months of attendance per area of her first level (kecamatan for a Korkab), one
    grouped query a month; None when there is no roll-up (storage/reports/charts.py then
    draws per group or per pendamping)."""
    first, last = chart_months(last or current_month(now))
    async with db.begin() as session:
        if not levels_for(actor) or not await _placed(session, actor):
            return None
        level = levels_for(actor)[0]
        condition = access.report_condition(actor)
        zones = await _zones(session, condition)
        key = _key(level)
        by_key: dict[str | None, dict[int, tuple[int, int]]] = defaultdict(dict)
        months: list[int] = []
        month = first
        while month <= last:
            months.append(month)
            rows = await session.execute(
                _attendance([key], condition, _month(condition, zones, month))
            )
            for value, hadir, roster in rows.tuples():
                name = None if value is None else str(value)
                by_key[name][month] = (int(hadir or 0), int(roster or 0))
            month = shift_month(month, 1)
        # Every area with a group, even one without a roll call in six months (a row of dashes).
        for value in await session.scalars(select(key).where(condition).distinct()):
            by_key.setdefault(None if value is None else str(value), {})
        names = await _names(session, level, by_key)
    series = [
        Series(
            names.get(name or "", name) if name is not None else "",
            tuple(Point(m, *by_key[name].get(m, (0, 0))) for m in months),
        )
        for name in by_key
    ]
    series.sort(key=lambda s: (s.label == "", s.label.casefold()))
    return ChartData(Role.COORDINATOR, tuple(months), tuple(series), by=level.value)
