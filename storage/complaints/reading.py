"""One ticket as a view: for its member, its facilitator, a coordinator or the dispatcher."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.actors import Actor
from storage.audit import Read, read_area, record_read
from storage.complaints.access import find_complaint, is_handler
from storage.complaints.errors import NotYours
from storage.complaints.routing import route, still_reached
from storage.complaints.views import Level, Route, Ticket, TicketEvent, TicketMessage
from storage.db import SessionFactory
from storage.models import Group, Member, Person, StaffRole
from storage.models.complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintMessage,
    ticket_number,
)

# The steps that read or decide on a ticket: whoever took the last of them is who the member
# hears "sudah dibaca ..." or "tidak bisa diurus ..." from.
STAFF_ACTIONS = ("reply", "status", "forwarded")


async def coordinators_acted_last(session: AsyncSession, complaint_ids: Iterable[int]) -> set[int]:
    """The tickets among these whose last staff step was a coordinator's."""
    ids = list(complaint_ids)
    if not ids:
        return set()
    last = (
        select(ComplaintEvent.complaint_id, func.max(ComplaintEvent.id).label("last_id"))
        .where(ComplaintEvent.complaint_id.in_(ids), ComplaintEvent.action.in_(STAFF_ACTIONS))
        .group_by(ComplaintEvent.complaint_id)
        .subquery()
    )
    rows = await session.scalars(
        select(ComplaintEvent.complaint_id)
        .join(last, last.c.last_id == ComplaintEvent.id)
        .join(Person, Person.id == ComplaintEvent.actor_id)
        .where(Person.staff_role == StaffRole.COORDINATOR)
    )
    return set(rows)


async def build_ticket(session: AsyncSession, complaint: Complaint) -> Ticket:
    member_person = await session.get_one(Person, complaint.person_id)
    facilitator = await session.get_one(Person, complaint.facilitator_id)
    group = await session.get_one(Group, complaint.group_id)
    member_name = member_person.name
    if complaint.member_id is not None:
        roster_name = await session.scalar(
            select(Member.name).where(Member.id == complaint.member_id)
        )
        member_name = roster_name or member_name
    author = aliased(Person)
    messages = [
        TicketMessage(
            m.id, name, m.from_staff, m.kind, m.text, m.file_id, m.file_name, m.created_at
        )
        for m, name in await session.execute(
            select(ComplaintMessage, author.name)
            .join(author, author.id == ComplaintMessage.author_id)
            .where(ComplaintMessage.complaint_id == complaint.id)
            .order_by(ComplaintMessage.id)
        )
    ]
    texts = {m.id: m.text for m in messages}
    events = [
        TicketEvent(
            e.id,
            e.at,
            name,
            e.action,
            e.status,
            e.detail,
            texts.get(e.message_id) if e.message_id else None,
            role is StaffRole.COORDINATOR,
        )
        for e, name, role in await session.execute(
            select(ComplaintEvent, author.name, author.staff_role)
            .outerjoin(author, author.id == ComplaintEvent.actor_id)
            .where(ComplaintEvent.complaint_id == complaint.id)
            .order_by(ComplaintEvent.id)
        )
    ]
    return Ticket(
        id=complaint.id,
        number=ticket_number(complaint.id),
        category=complaint.category,
        status=complaint.status,
        created_at=complaint.created_at,
        acknowledged_at=complaint.acknowledged_at,
        escalated_at=complaint.escalated_at,
        discuss_anonymously=complaint.discuss_anonymously,
        reject_reason=complaint.reject_reason,
        person_id=complaint.person_id,
        member_name=member_name,
        member_telegram_id=member_person.telegram_user_id,
        group_id=group.id,
        group_name=group.name,
        timezone=group.timezone,
        facilitator_id=facilitator.id,
        facilitator_name=facilitator.name,
        facilitator_telegram_id=facilitator.telegram_user_id,
        messages=tuple(messages),
        events=tuple(events),
        coordinator_acted_last=bool(await coordinators_acted_last(session, [complaint.id])),
    )


async def ticket(
    db: SessionFactory,
    actor: Actor,
    complaint_id: int,
    *,
    now: datetime | None = None,
    reading: Read = Read.COMPLAINT,
) -> Ticket:
    """One ticket, for its member, its facilitator or a coordinator. Given `now`, a reader
    other than its member is written in the audit log (who opened it, or its files)."""
    async with db.begin() as session:
        complaint = await find_complaint(session, complaint_id)
        mine = complaint.person_id == actor.person_id
        if not mine and not await is_handler(session, actor, complaint):
            raise NotYours()
        if now is not None and not mine:
            record_read(
                session,
                actor,
                reading,
                ticket_number(complaint.id),
                now,
                area_code=await read_area(session, actor, complaint.group_id),
            )
        return await build_ticket(session, complaint)


async def load_ticket(db: SessionFactory, complaint_id: int) -> Ticket | None:
    """A ticket for the dispatcher's composers (no actor: deliveries are already addressed)."""
    async with db.begin() as session:
        complaint = await session.get(Complaint, complaint_id)
        return None if complaint is None else await build_ticket(session, complaint)


async def load_event(db: SessionFactory, event_id: int) -> TicketEvent | None:
    async with db.begin() as session:
        event = await session.get(ComplaintEvent, event_id)
        if event is None:
            return None
        actor = await session.get(Person, event.actor_id) if event.actor_id else None
        name = actor.name if actor else None
        by_coordinator = actor is not None and actor.staff_role is StaffRole.COORDINATOR
        text = None
        if event.message_id is not None:
            text = await session.scalar(
                select(ComplaintMessage.text).where(ComplaintMessage.id == event.message_id)
            )
        return TicketEvent(
            event.id, event.at, name, event.action, event.status, event.detail, text, by_coordinator
        )


async def readers_of(
    db: SessionFactory,
    actor: Actor,
    group_id: object,
    category: ComplaintCategory,
    above: tuple[int, ...] = (),
) -> Route | None:
    """Who would read a complaint of this category about one of the member's groups, if sent
    now: the same rule the filing uses (storage/complaints/routing.py), so what the member
    reads before sending is what happens. None for a group that is not hers."""
    if not isinstance(group_id, int) or group_id not in actor.member_of:
        return None
    async with db.begin() as session:
        group = await session.get(Group, group_id)
        if group is None:
            return None
        return await route(session, group, group.facilitator_id, category, above)


async def still_at_level(
    db: SessionFactory,
    complaint_id: int,
    level_key: str,
    person_id: int | None,
    chat: int,
    above: Iterable[int],
) -> bool:
    """Whether an escalation row (one planned at the filing by earlier versions, say) still
    goes to someone of that level now (storage/complaints/routing.still_reached); True for a
    level this rule does not know."""
    level = Level.named(level_key)
    if level is None:
        return True
    async with db.begin() as session:
        complaint = await session.get(Complaint, complaint_id)
        if complaint is None:
            return False
        return await still_reached(session, complaint, level, person_id, chat, above)
