"""Moving a ticket along: staff answers, statuses and forwarding, the member's verdict, and
the record that it was escalated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.complaints.access import for_member, for_staff
from storage.complaints.constants import (
    MAX_REASON,
    MAX_REPLY,
    STAFF_STATUSES,
    is_protected,
)
from storage.complaints.errors import (
    AlreadyClosed,
    AlreadyWithCoordinators,
    NobodyAbove,
    NotResolved,
    NotYours,
    SameStatus,
)
from storage.complaints.history import EventAction, add_event, add_message, clean_complaint_text
from storage.complaints.notify import member_step_to_facilitator, to_member
from storage.complaints.reading import build_ticket
from storage.complaints.routing import forward_up
from storage.complaints.views import Ticket
from storage.db import SessionFactory
from storage.models.complaints import Complaint, ComplaintEvent, ComplaintStatus, ticket_number


def _acknowledge(complaint: Complaint, now: datetime) -> None:
    if complaint.acknowledged_at is None:
        complaint.acknowledged_at = now


def _still_open(complaint: Complaint) -> None:
    if complaint.status is ComplaintStatus.CLOSED:
        raise AlreadyClosed(ticket_number(complaint.id))


async def reply(
    db: SessionFactory, actor: Actor, complaint_id: int, text: str, now: datetime
) -> Ticket:
    """A staff answer, relayed to the member."""
    body = clean_complaint_text(text, MAX_REPLY)
    async with db.begin() as session:
        complaint = await for_staff(session, actor, complaint_id)
        _still_open(complaint)
        message = await add_message(
            session, complaint, actor.person_id, now, text=body, from_staff=True
        )
        _acknowledge(complaint, now)
        if complaint.status is ComplaintStatus.NEW:
            complaint.status = ComplaintStatus.RECEIVED
        event = add_event(session, complaint, actor.person_id, "reply", now, message_id=message.id)
        await to_member(session, complaint, event, now)
        return await build_ticket(session, complaint)


async def set_status(
    db: SessionFactory,
    actor: Actor,
    complaint_id: int,
    status: ComplaintStatus,
    now: datetime,
    reason: str | None = None,
) -> Ticket:
    """Received, in progress, resolved, or rejected with a reason; the member is told."""
    if status not in STAFF_STATUSES:
        raise NotYours()
    if status is ComplaintStatus.REJECTED:
        reason = clean_complaint_text(reason or "", MAX_REASON)
    async with db.begin() as session:
        complaint = await for_staff(session, actor, complaint_id)
        _still_open(complaint)
        if complaint.status is status:
            raise SameStatus()
        complaint.status = status
        complaint.reject_reason = reason if status is ComplaintStatus.REJECTED else None
        _acknowledge(complaint, now)
        event = add_event(
            session, complaint, actor.person_id, "status", now, status=status, detail=reason
        )
        await to_member(session, complaint, event, now)
        return await build_ticket(session, complaint)


async def forward(
    db: SessionFactory,
    actor: Actor,
    complaint_id: int,
    now: datetime,
    above: tuple[int, ...] = (),
) -> Ticket:
    """The facilitator asks the level above her to look at it: the nearest that can be
    reached (the Korkab, else the Korwil, ...; `above` is the level above the top area).
    Refused, with nothing changed, when nobody above can be reached."""
    async with db.begin() as session:
        complaint = await for_staff(session, actor, complaint_id)
        _still_open(complaint)
        if is_protected(complaint.category):
            raise AlreadyWithCoordinators()
        _acknowledge(complaint, now)
        if complaint.status is ComplaintStatus.NEW:
            complaint.status = ComplaintStatus.RECEIVED
        event = add_event(session, complaint, actor.person_id, "forwarded", now)
        await session.flush()
        told = await forward_up(
            session, complaint, f"complaint:{complaint.id}:forward:{event.id}", now, above
        )
        if told is None:
            raise NobodyAbove()
        await to_member(session, complaint, event, now)
        return await build_ticket(session, complaint)


async def member_verdict(
    db: SessionFactory, actor: Actor, complaint_id: int, solved: bool, now: datetime
) -> Ticket:
    """After "resolved" the member closes it, or reopens it (also after a rejection)."""
    async with db.begin() as session:
        complaint = await for_member(session, actor, complaint_id)
        allowed = (
            (ComplaintStatus.RESOLVED,)
            if solved
            else (
                ComplaintStatus.RESOLVED,
                ComplaintStatus.REJECTED,
            )
        )
        if complaint.status not in allowed:
            raise NotResolved(ticket_number(complaint.id))
        if solved:
            complaint.status = ComplaintStatus.CLOSED
            event = add_event(
                session, complaint, actor.person_id, "closed", now, status=ComplaintStatus.CLOSED
            )
        else:
            complaint.status = ComplaintStatus.IN_PROGRESS
            event = add_event(
                session,
                complaint,
                actor.person_id,
                "reopened",
                now,
                status=ComplaintStatus.IN_PROGRESS,
            )
        await member_step_to_facilitator(session, complaint, event, now)
        return await build_ticket(session, complaint)


async def record_escalation(
    session: AsyncSession, complaint_id: int, now: datetime, level: str | None = None
) -> None:
    """Called once an escalation message went out: keep it in the history, once per level
    (the first climb is "escalated"; a later one names its level, "escalated_korwil")."""
    complaint = await session.get(Complaint, complaint_id)
    if complaint is None:
        return
    if complaint.escalated_at is None:
        complaint.escalated_at = now
        add_event(session, complaint, None, "escalated", now)
        return
    action: EventAction
    match level:
        case "korwil":
            action = "escalated_korwil"
        case "whole":
            action = "escalated_whole"
        case "above":
            action = "escalated_above"
        case _:
            return
    if await session.scalar(
        select(ComplaintEvent.id).where(
            ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.action == action
        )
    ):
        return
    add_event(session, complaint, None, action, now)
