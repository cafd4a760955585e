"""A leaving facilitator's open tickets move to another (coordinators only); a leaving
coordinator's are named to the level above her."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.access import Action, Duty, facilitators_condition, may, readable_groups
from storage.actors import Actor
from storage.complaints.constants import OPEN, PROTECTED
from storage.complaints.errors import NotAFacilitator, SameFacilitator
from storage.complaints.history import add_event
from storage.complaints.routing import route
from storage.complaints.views import Level
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.deliveries.notices import send_notice
from storage.errors import CoordinatorsOnly
from storage.models import Area, AssignmentRole, Group, Person, StaffRole
from storage.models.complaints import Complaint, ticket_number


async def open_counts(db: SessionFactory, actor: Actor) -> list[tuple[int, str, int]]:
    """The area's facilitators with their number of open tickets there (coordinators only)."""
    if not may(actor, Duty.COORDINATE):
        raise CoordinatorsOnly()
    async with db.begin() as session:
        rows = await session.execute(
            select(Person.id, Person.name, func.count(Complaint.id))
            .outerjoin(
                Complaint,
                (Complaint.facilitator_id == Person.id)
                & Complaint.status.in_(OPEN)
                & Complaint.category.not_in(PROTECTED)
                & Complaint.group_id.in_(readable_groups(actor, Action.MANAGE)),
            )
            .where(Person.staff_role == StaffRole.FACILITATOR, facilitators_condition(actor))
            .group_by(Person.id, Person.name)
            .order_by(Person.name)
        )
        return [(row[0], row[1], row[2]) for row in rows]


async def hand_over(
    db: SessionFactory, actor: Actor, from_id: int, to_id: int, now: datetime
) -> int:
    """Move a leaving facilitator's open tickets to another; returns how many moved.

    Only tickets of groups in the coordinator's area move, and only to a facilitator with a
    group there (every facilitator, for a coordinator of the whole deployment). Protected
    complaints stay with the coordinators: no facilitator ever receives them."""
    if not may(actor, Duty.COORDINATE):
        raise CoordinatorsOnly()
    if from_id == to_id:
        raise SameFacilitator()
    async with db.begin() as session:
        source = await session.get(Person, from_id)
        target = await session.get(Person, to_id)
        if (
            source is None
            or target is None
            or target.staff_role is not StaffRole.FACILITATOR
            or not target.active
            or await session.scalar(
                select(Person.id).where(Person.id == to_id, facilitators_condition(actor))
            )
            is None
        ):
            raise NotAFacilitator()
        moved = list(
            await session.scalars(
                select(Complaint).where(
                    Complaint.facilitator_id == from_id,
                    Complaint.status.in_(OPEN),
                    Complaint.category.not_in(PROTECTED),
                    Complaint.group_id.in_(readable_groups(actor, Action.MANAGE)),
                )
            )
        )
        for complaint in moved:
            complaint.facilitator_id = to_id
            add_event(
                session,
                complaint,
                actor.person_id,
                "handed_over",
                now,
                detail=f"{source.name} → {target.name}",
            )
        if moved and target.telegram_user_id is not None:
            await session.flush()
            await send_notice(
                session,
                target,
                key=f"complaints:handover:{from_id}:{to_id}:{now.isoformat()}",
                text="complaints.handed_over_notice",
                params={"count": len(moved), "name": source.name},
                now=now,
            )
        return len(moved)


async def coordinator_leaves(
    session: AsyncSession,
    person: Person,
    lost: list[tuple[AssignmentRole, str | None]],
    now: datetime,
    above: tuple[int, ...] = (),
) -> int:
    """A coordinator left some of her areas (removed, or moved elsewhere): the open complaints
    of the groups there stay where they are, visible by area to the levels above her, and the
    nearest level above that can be reached is told which ones, so none is left unread
    silently. Called after her assignments changed. Returns how many complaints were named."""
    named: dict[tuple[int | None, int], tuple[Level, list[str], set[str]]] = {}
    count = 0
    for role, code in lost:
        start = (
            Level.KORWIL
            if role is AssignmentRole.KORKAB and code is not None
            else Level.WHOLE
            if code is not None
            else Level.ABOVE
        )
        area_name = (
            await session.scalar(select(Area.name).where(Area.code == code)) if code else None
        ) or (code or "-")
        where: list[ColumnElement[bool]] = [Complaint.status.in_(OPEN)]
        if code is not None:
            where.append(or_(Group.area_code == code, Group.area_code.like(code + ".%")))
        rows = await session.execute(
            select(Complaint, Group).join(Group, Group.id == Complaint.group_id).where(*where)
        )
        for complaint, group in rows.tuples():
            found = await route(
                session, group, complaint.facilitator_id, complaint.category, above, start=start
            )
            readers = next(
                (r for r in found.levels if any(p != person.id for p, _ in r.people)), None
            )
            add_event(session, complaint, None, "coordinator_left", now, detail=person.name)
            count += 1
            if readers is None:
                continue
            for person_id, chat in readers.people:
                if person_id == person.id:
                    continue
                entry = named.setdefault((person_id, chat), (readers.level, [], set()))
                entry[1].append(ticket_number(complaint.id))
                entry[2].add(area_name)
    for (person_id, chat), (level, numbers, areas) in named.items():
        await deliveries.enqueue(
            session,
            key=f"complaints:coordinator_left:{person.id}:{chat}:{now.isoformat()}",
            kind=DeliveryKind.NOTICE,
            chat_id=chat,
            person_id=person_id,
            due_at=now,
            payload={
                "text": (
                    "complaints.coordinator_left_notice_above"
                    if level is Level.ABOVE
                    else "complaints.coordinator_left_notice"
                ),
                "params": {
                    "name": person.name,
                    "areas": ", ".join(sorted(areas)),
                    "count": len(numbers),
                    "numbers": ", ".join(numbers),
                },
            },
        )
    return count
