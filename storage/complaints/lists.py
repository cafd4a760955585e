"""Lists of tickets: the member's own, the staff queue, and the meeting's anonymous topics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.access import Action, Duty, can, complaint_condition, may
from storage.actors import Actor
from storage.complaints.constants import OPEN, PAGE, PROTECTED
from storage.complaints.reading import coordinators_acted_last
from storage.complaints.views import MeetingTopic, Queue, TicketSummary
from storage.db import SessionFactory
from storage.errors import FacilitatorsOnly, NotYourGroup
from storage.models import Group, Person
from storage.models.complaints import Complaint, ComplaintStatus, ticket_number


async def _summaries(session: AsyncSession, result: Any) -> tuple[TicketSummary, ...]:
    rows = list(result)
    by_coordinators = await coordinators_acted_last(session, (c.id for c, _, _ in rows))
    return tuple(
        TicketSummary(
            c.id,
            ticket_number(c.id),
            c.category,
            c.status,
            c.created_at,
            group_name,
            member_name,
            c.discuss_anonymously,
            c.acknowledged_at is not None,
            c.id in by_coordinators,
        )
        for c, group_name, member_name in rows
    )


def _summary_query() -> Any:
    return (
        select(Complaint, Group.name, Person.name)
        .join(Group, Group.id == Complaint.group_id)
        .join(Person, Person.id == Complaint.person_id)
    )


async def my_tickets(db: SessionFactory, actor: Actor) -> tuple[TicketSummary, ...]:
    """The member's own tickets, newest first."""
    async with db.begin() as session:
        rows = await session.execute(
            _summary_query()
            .where(Complaint.person_id == actor.person_id)
            .order_by(Complaint.id.desc())
            .limit(30)
        )
        return await _summaries(session, rows)


async def queue(
    db: SessionFactory,
    actor: Actor,
    statuses: tuple[ComplaintStatus, ...] = OPEN,
    page: int = 0,
    size: int = PAGE,
) -> Queue:
    """Tickets this person handles, oldest first: a facilitator's groups' and those handed to
    her, a coordinator's area's (storage/access.complaint_condition).

    A facilitator's queue never holds a protected complaint (it may be about them)."""
    if not may(actor, Duty.STAFF):
        raise FacilitatorsOnly()
    async with db.begin() as session:
        where: list[Any] = [Complaint.status.in_(statuses), complaint_condition(actor)]
        total = (
            await session.scalar(
                select(func.count(Complaint.id))
                .join(Group, Group.id == Complaint.group_id)
                .where(*where)
            )
            or 0
        )
        pages = max(1, -(-total // size))
        page = min(max(page, 0), pages - 1)
        rows = await session.execute(
            _summary_query()
            .where(*where)
            .order_by(Complaint.created_at, Complaint.id)
            .offset(page * size)
            .limit(size)
        )
        return Queue(await _summaries(session, rows), total, page)


async def meeting_topics(db: SessionFactory, actor: Actor, group_id: int) -> list[MeetingTopic]:
    """Open tickets the member allowed the facilitator to raise at the meeting.

    The member was promised the facilitator raises the problem in their own words without
    saying who: so the topics carry the kind of problem and the ticket to read, never the
    member's text to read out. Protected complaints are never meeting topics."""
    async with db.begin() as session:
        group = await session.get(Group, group_id)
        if group is None or not can(actor, Action.COMPLAINTS, group):
            raise NotYourGroup()
        complaints = await session.scalars(
            select(Complaint)
            .where(
                Complaint.group_id == group_id,
                Complaint.discuss_anonymously.is_(True),
                Complaint.status.in_(OPEN),
                Complaint.category.not_in(PROTECTED),
            )
            .order_by(Complaint.created_at, Complaint.id)
        )
        return [MeetingTopic(c.id, ticket_number(c.id), c.category) for c in complaints]
