"""Pending joins as the people who answer them see them, and who may answer them.

Kept apart from storage/joining/ (the use cases) so the group card (storage/groups/__init__.py)
can list a group's pending joins without importing the use cases that import it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Group, JoinRequest, JoinStatus, JoinWay, Member, Person

PENDING_SHOWN = 5  # on the group card; the rest wait their turn


@dataclass(frozen=True)
class PendingJoin:
    """One person's claim, for the chair or the facilitator who answers it."""

    id: int
    group_id: int
    group_name: str
    way: JoinWay
    status: JoinStatus
    as_chair: bool
    telegram_name: str  # what the person calls herself on Telegram: not checked by anyone
    name: str  # the roster line she says she is, or the name she asks to be added under


async def load(session: AsyncSession, request: JoinRequest) -> PendingJoin:
    group = await session.get_one(Group, request.group_id)
    person = await session.get_one(Person, request.person_id)
    member = await session.get(Member, request.member_id) if request.member_id else None
    return PendingJoin(
        id=request.id,
        group_id=group.id,
        group_name=group.name,
        way=request.way,
        status=request.status,
        as_chair=request.as_chair,
        telegram_name=person.name,
        name=member.name if member is not None else (request.typed_name or ""),
    )


async def waiting_for_people(session: AsyncSession, group_id: int) -> list[PendingJoin]:
    """The group's joins waiting for the chair's or the facilitator's answer, oldest first."""
    found = await session.scalars(
        select(JoinRequest)
        .where(
            JoinRequest.group_id == group_id,
            JoinRequest.status == JoinStatus.PENDING,
            JoinRequest.way != JoinWay.DIGITS,
        )
        .order_by(JoinRequest.id)
    )
    return [await load(session, request) for request in found]


async def chair_person(session: AsyncSession, group: Group) -> Person | None:
    """The person linked to the group's chair line, if there is one."""
    if group.chair_member_id is None:
        return None
    chair = await session.get(Member, group.chair_member_id)
    if chair is None or chair.person_id is None or not chair.active:
        return None
    return await session.get(Person, chair.person_id)


async def may_answer(
    session: AsyncSession, person_id: int, request: JoinRequest, group: Group
) -> bool:
    """Only the group's facilitator, or its chair for a member's claim to a roster line.

    Adding a name to the roster and making someone chair are the facilitator's decisions; no
    one answers her own claim (a chair who opened her group's member link again)."""
    if person_id == request.person_id:
        return False
    if person_id == group.facilitator_id:
        return True
    if request.way is not JoinWay.PERSON or request.as_chair:
        return False
    chair = await chair_person(session, group)
    return chair is not None and chair.id == person_id
