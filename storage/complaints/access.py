"""Who may see or act on a ticket, and who may file one for a group.

Every refusal uses the same text whether the ticket exists or not, so ticket numbers
cannot be probed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.access import complaint_condition
from storage.actors import Actor
from storage.complaints.errors import NotInGroup, NotYours
from storage.models import Group, Member
from storage.models.complaints import Complaint


async def find_complaint(session: AsyncSession, complaint_id: int) -> Complaint:
    complaint = await session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotYours()
    return complaint


async def is_handler(session: AsyncSession, actor: Actor, complaint: Complaint) -> bool:
    """A coordinator whose area holds the ticket's group, the ticket's facilitator, or the
    group's current facilitator (storage/access.complaint_condition).

    A protected complaint (about the facilitator, the chair, or cuts from the aid) is for
    coordinators only: no facilitator handles it, not even after a handover."""
    found = await session.scalar(
        select(Complaint.id).where(Complaint.id == complaint.id, complaint_condition(actor))
    )
    return found is not None


async def for_staff(session: AsyncSession, actor: Actor, complaint_id: int) -> Complaint:
    complaint = await find_complaint(session, complaint_id)
    if not await is_handler(session, actor, complaint):
        raise NotYours()
    return complaint


async def for_member(session: AsyncSession, actor: Actor, complaint_id: int) -> Complaint:
    complaint = await find_complaint(session, complaint_id)
    if complaint.person_id != actor.person_id:
        raise NotYours()
    return complaint


async def membership(session: AsyncSession, actor: Actor, group_id: int) -> Member:
    member = await session.scalar(
        select(Member)
        .join(Group, Group.id == Member.group_id)
        .where(
            Member.person_id == actor.person_id,
            Member.group_id == group_id,
            Member.active.is_(True),
            Group.active.is_(True),
        )
    )
    if member is None:
        raise NotInGroup()
    return member
