"""Whose groups a report covers (storage/access.report_condition), narrowed to one group by a
typed code or a pressed button, and whether programme ids may be in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import NotYourGroup
from storage.models import (
    Group,
)
from storage.reports.errors import GroupNotYours, ReportsNotAllowed
from storage.roles import Role
from timekeeping.months import month_of


@dataclass(frozen=True)
class Scope:
    audience: Role
    condition: ColumnElement[bool]
    group_id: int | None = None
    # Programme ids (ID KPM) go into the report only when every group in it allows them
    # (storage/access.RIGHTS[PROGRAMME_IDS]: an allow-list, chairs are not on it).
    include_ids: bool = False
    # The complaints this person may know exist, to count (none for a chair: in a group of
    # ten, "1 opened" next to a name would say who complained).
    complaints: ColumnElement[bool] = field(default_factory=false)
    # What this person may do on every group of the report, as storage/access.RIGHTS grants
    # it to the capacity she reads the report in (report_condition): the report fields'
    # visibility (views/report_fields.py) reads it.
    rights: frozenset[access.Action] = frozenset()


async def resolve_scope(
    session: AsyncSession,
    actor: Actor,
    group_code: str | None = None,
    group_id: int | None = None,
) -> Scope:
    """The groups this person reports on (storage/access.report_condition); a code (typed) or
    an id (a button) narrows it."""
    audience = access.report_audience(actor)
    if audience is None:
        raise ReportsNotAllowed()
    condition = access.report_condition(actor)
    if group_code is not None:
        code = group_code.strip().upper()
        found = await session.scalar(select(Group.id).where(Group.code == code, condition))
        if found is None:
            raise GroupNotYours(group_code.strip()[:20])
        condition = Group.id == found
    elif group_id is not None:
        found = await session.scalar(select(Group.id).where(Group.id == group_id, condition))
        if found is None:
            raise NotYourGroup()
        condition = Group.id == found
    else:
        found = None
    without_ids = await session.scalar(
        select(Group.id)
        .where(condition, ~access.group_condition(actor, access.Action.PROGRAMME_IDS))
        .limit(1)
    )
    return Scope(
        audience,
        condition,
        found,
        without_ids is None,
        access.countable_complaints(actor),
        report_rights(audience),
    )


# The capacity a report is read in (storage/access.report_condition picks the strongest).
CAPACITY = {Role.COORDINATOR: "area", Role.FACILITATOR: "own", Role.CHAIR: "chair"}


def report_rights(audience: Role) -> frozenset[access.Action]:
    capacity = CAPACITY.get(audience)
    return frozenset(action for action, holders in access.RIGHTS.items() if capacity in holders)


async def home_month(db: SessionFactory, actor: Actor, now: datetime, default_zone: str) -> int:
    """This month where the person's groups are (the zone most of them are in).

    At 22.05 WIB on 30 November a facilitator in Java is still in November, although it is
    already December in Papua: her report defaults to November."""
    async with db.begin() as session:
        scope = await resolve_scope(session, actor)
        zone = await session.scalar(
            select(Group.timezone)
            .where(scope.condition, Group.active.is_(True))
            .group_by(Group.timezone)
            .order_by(func.count().desc(), Group.timezone)
            .limit(1)
        )
    return month_of(now, zone or default_zone)


async def group_for_code(db: SessionFactory, actor: Actor, code: str) -> int:
    """The id of one of this person's groups, by the code they typed."""
    async with db.begin() as session:
        scope = await resolve_scope(session, actor, group_code=code)
    assert scope.group_id is not None
    return scope.group_id
