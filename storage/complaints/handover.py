"""A leaving facilitator's open tickets move to another (coordinators only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from storage.access import Action, facilitators_condition, readable_groups
from storage.actors import Actor
from storage.complaints.constants import OPEN, PROTECTED
from storage.complaints.history import add_event
from storage.db import SessionFactory
from storage.errors import NotAllowed, UseCaseError
from storage.models import Person, StaffRole
from storage.models.complaints import Complaint
from storage.notices import send_notice


async def open_counts(db: SessionFactory, actor: Actor) -> list[tuple[int, str, int]]:
    """The area's facilitators with their number of open tickets there (coordinators only)."""
    if not actor.is_coordinator:
        raise NotAllowed("errors.coordinators_only")
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
    if not actor.is_coordinator:
        raise NotAllowed("errors.coordinators_only")
    if from_id == to_id:
        raise UseCaseError("complaints.same_facilitator")
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
            raise UseCaseError("complaints.not_a_facilitator")
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
