"""The attendance chart's numbers: six months, per group or per facilitator."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from storage.actors import Actor
from storage.db import SessionFactory
from storage.reports.collect import collect, natural
from storage.reports.model import ChartData, GroupMonth, Point, Series, StatusCounts
from storage.reports.months import chart_months, current_month
from storage.reports.rollup import rollup_chart
from storage.reports.scope import resolve_scope
from storage.roles import Role


def chart_from(months: dict[int, list[GroupMonth]], audience: Role) -> ChartData:
    """Per group, or per facilitator for coordinators, month by month."""
    ordered = tuple(sorted(months))
    keyed: dict[tuple[int, str], dict[int, StatusCounts]] = defaultdict(dict)
    for month, groups in months.items():
        for group in groups:
            key = (
                (group.facilitator_id, group.facilitator_name)
                if audience is Role.COORDINATOR
                else (group.id, group.name)
            )
            keyed[key][month] = keyed[key].get(month, StatusCounts()) + group.attendance
    series = []
    for (_, label), by_month in keyed.items():
        counts = [(month, by_month.get(month, StatusCounts())) for month in ordered]
        points = tuple(Point(month, c.hadir, c.roster) for month, c in counts)
        series.append(Series(label, points))
    series.sort(key=lambda s: (natural(s.label), s.label))
    return ChartData(audience, ordered, tuple(series))


async def attendance_chart(
    db: SessionFactory, actor: Actor, now: datetime, last: int | None = None
) -> ChartData:
    """Attendance over six months ending with `last` (this month by default): per group,
    or per facilitator for coordinators."""
    rolled = await rollup_chart(db, actor, now, last)
    if rolled is not None:  # a coordinator whose groups are placed: per area
        return rolled
    first, last = chart_months(last or current_month(now))
    async with db.begin() as session:
        scope = await resolve_scope(session, actor)
        months = await collect(session, scope, first, last, now)
    return chart_from(months, scope.audience)
