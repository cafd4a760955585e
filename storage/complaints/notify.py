"""Who hears about a ticket: deliveries queued for the facilitator, the member, coordinators.

A protected complaint (constants.PROTECTED) never produces a delivery to the facilitator:
what the member adds, closes or reopens goes to the coordinators instead."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.access import coordinators_of
from storage.complaints.constants import ESCALATION_KIND, MORE_KIND, UPDATE_KIND, is_protected
from storage.delivery_kinds import DeliveryKind
from storage.models import Group, Person
from storage.models.complaints import Complaint, ComplaintEvent


async def _coordinators(session: AsyncSession, group_id: int) -> list[tuple[int, int, bool]]:
    """Active coordinators whose area holds the group, with a Telegram account: id, chat, and
    whether they can be told now (they have not blocked the bot)."""
    area_code = await session.scalar(select(Group.area_code).where(Group.id == group_id))
    rows = await session.execute(
        select(Person.id, Person.telegram_user_id, Person.blocked_bot_at).where(
            coordinators_of(area_code),
            Person.active.is_(True),
            Person.telegram_user_id.is_not(None),
        )
    )
    return [(row[0], row[1], row[2] is None) for row in rows]


async def _to_person(
    session: AsyncSession,
    complaint: Complaint,
    person_id: int,
    kind: DeliveryKind,
    key: str,
    now: datetime,
    payload: dict[str, Any],
) -> bool:
    """Queue a delivery to the person; True when someone reachable will get it (a Telegram
    account that has not blocked the bot), so the member is never told of a notice that
    cannot arrive."""
    found = (
        await session.execute(
            select(Person.telegram_user_id, Person.blocked_bot_at).where(Person.id == person_id)
        )
    ).first()
    if found is None or found[0] is None:
        return False
    chat, blocked_at = found
    await deliveries.enqueue(
        session,
        key=key,
        kind=kind,
        chat_id=chat,
        due_at=now,
        person_id=person_id,
        group_id=complaint.group_id,
        payload={"complaint_id": complaint.id, **payload},
    )
    return blocked_at is None


async def to_facilitator(
    session: AsyncSession,
    complaint: Complaint,
    kind: DeliveryKind,
    key: str,
    now: datetime,
    **payload: Any,
) -> bool:
    """True when the facilitator can be told (see _to_person)."""
    if is_protected(complaint.category):
        return False  # never to the facilitator: the complaint may be about them
    return await _to_person(session, complaint, complaint.facilitator_id, kind, key, now, payload)


async def member_step_to_facilitator(
    session: AsyncSession, complaint: Complaint, event: ComplaintEvent, now: datetime
) -> None:
    """The member added to the ticket, closed it or reopened it: whoever handles it is told
    (the facilitator, or every coordinator for a protected complaint)."""
    await session.flush()
    key = f"complaint:{complaint.id}:more:{event.id}"
    if is_protected(complaint.category):
        await to_coordinators(
            session, complaint, key, now, kind=MORE_KIND, event_id=event.id, coordinator=True
        )
        return
    await to_facilitator(session, complaint, MORE_KIND, key, now, event_id=event.id)


async def to_member(
    session: AsyncSession, complaint: Complaint, event: ComplaintEvent, now: datetime
) -> None:
    await session.flush()
    await _to_person(
        session,
        complaint,
        complaint.person_id,
        UPDATE_KIND,
        f"complaint:{complaint.id}:update:{event.id}",
        now,
        {"event_id": event.id},
    )


async def to_coordinators(
    session: AsyncSession,
    complaint: Complaint,
    key: str,
    due_at: datetime,
    *,
    kind: DeliveryKind = ESCALATION_KIND,
    **payload: Any,
) -> int:
    """Queue a delivery to every coordinator of the group's area; returns how many can be
    told (not blocked)."""
    reachable = 0
    for person_id, chat, can_be_told in await _coordinators(session, complaint.group_id):
        reachable += can_be_told
        await deliveries.enqueue(
            session,
            key=f"{key}:{person_id}",
            kind=kind,
            chat_id=chat,
            due_at=due_at,
            person_id=person_id,
            group_id=complaint.group_id,
            payload={"complaint_id": complaint.id, **payload},
        )
    return reachable


async def above_coordinators(
    session: AsyncSession,
    complaint: Complaint,
    key: str,
    due_at: datetime,
    chats: Iterable[int],
) -> None:
    """The level above the coordinators (P2K2_COMPLAINT_ESCALATION_IDS), by Telegram user id:
    told when no coordinator answered a protected complaint in time."""
    for chat in dict.fromkeys(chats):
        person_id = await session.scalar(select(Person.id).where(Person.telegram_user_id == chat))
        await deliveries.enqueue(
            session,
            key=f"{key}:above:{chat}",
            kind=ESCALATION_KIND,
            chat_id=chat,
            due_at=due_at,
            person_id=person_id,
            group_id=complaint.group_id,
            payload={"complaint_id": complaint.id, "above": True},
        )
