"""A coordinator's month rolled up by area: a Korkab's kabupaten/kota by kecamatan and by
pendamping, a Korwil's province (or her kabupaten/kota) by kabupaten/kota, the whole deployment
by province.

Everything is added up in SQL from each group's month in figures (report_month_counts, kept
by storage/month_counts.py in the transactions that change them), grouped on prefixes of the
groups' area codes (substr: "32.79.01" is the kecamatan of "32.79.01.1001"), so a province of
thousands of groups comes back as a few dozen rows, no group is loaded into Python and no
roll-call line is read. The rows are grouped once by every key the levels need (kecamatan
and pendamping together, for a Korkab) and each level adds them up: every group sits in
exactly one row, so the sums are exact.

A group not placed in an area (Group.area_code NULL) has a NULL prefix: it comes back as a row
of its own, "belum ditempatkan", never dropped.

The figures follow the chat report's rules (storage/reports/collect.py): a meeting belongs to
the month of its group's time zone; it is confirmed when the chair's last answer says it was
held; its attendance counts when it was held (or not answered yet) with a roll call, out of
the roster (active members plus those who left since but were recorded at it). Complaints
are counted here, live: they depend on the time and on who reads."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
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
from storage.models import Area, Group, MonthCounts, Person
from storage.models.complaints import Complaint
from storage.reports.errors import ReportsNotAllowed
from storage.reports.model import ChartData, Point, Series
from storage.reports.months import chart_months, check_month, current_month
from storage.roles import Role
from timekeeping.months import shift_month
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


def _month_joined(month: int) -> ColumnElement[bool]:
    return and_(MonthCounts.group_id == Group.id, MonthCounts.month == month)


async def _grouped(
    session: AsyncSession,
    keys: Sequence[ColumnElement[Any]],
    condition: ColumnElement[bool],
    month: int,
    now: datetime,
    sla: timedelta,
    complaints: ColumnElement[bool],
) -> dict[tuple[object, ...], Row]:
    """The figures grouped by every key at once: the groups' months (storage/month_counts.py)
    added up, and the complaints open now."""
    found: dict[tuple[object, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(rows: Iterable[Sequence[object]], *names: str) -> None:
        for row in rows:
            key = tuple(row[: len(keys)])
            for name, value in zip(names, row[len(keys) :], strict=True):
                found[key][name] += int(value or 0)  # type: ignore[call-overload]

    # Groups: the active ones, and any that met this month (as the chat report counts them);
    # a group met when it has a month row (a meeting not cancelled).
    met = MonthCounts.group_id.is_not(None)
    add(
        (
            await session.execute(
                select(
                    *keys,
                    func.count(Group.id),
                    func.sum(case((MonthCounts.confirmed > 0, 1), else_=0)),
                    func.sum(MonthCounts.hadir),
                    func.sum(MonthCounts.roster),
                    func.sum(MonthCounts.confirmations_open),
                )
                .select_from(Group)
                .outerjoin(MonthCounts, _month_joined(month))
                .where(condition, or_(Group.active.is_(True), met))
                .group_by(*keys)
            )
        ).all(),
        "groups",
        "confirmed",
        "hadir",
        "roster",
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


def _span(first: int, last: int) -> Iterable[int]:
    month = first
    while month <= last:
        yield month
        month = shift_month(month, 1)


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
    grouped query over the groups' months; None when there is no roll-up
    (storage/reports/charts.py then draws per group or per pendamping)."""
    first, last = chart_months(last or current_month(now))
    async with db.begin() as session:
        if not levels_for(actor) or not await _placed(session, actor):
            return None
        level = levels_for(actor)[0]
        condition = access.report_condition(actor)
        key = _key(level)
        months = list(_span(first, last))
        by_key: dict[str | None, dict[int, tuple[int, int]]] = defaultdict(dict)
        rows = await session.execute(
            select(
                key, MonthCounts.month, func.sum(MonthCounts.hadir), func.sum(MonthCounts.roster)
            )
            .select_from(MonthCounts)
            .join(Group, Group.id == MonthCounts.group_id)
            .where(condition, MonthCounts.month >= first, MonthCounts.month <= last)
            .group_by(key, MonthCounts.month)
            .having(func.sum(MonthCounts.roll_calls) > 0)
        )
        for value, month, hadir, roster in rows.tuples():
            name = None if value is None else str(value)
            by_key[name][month] = (int(hadir or 0), int(roster or 0))
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
