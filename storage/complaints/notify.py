"""Who hears about a ticket: deliveries queued for the facilitator, the member, coordinators.

A protected complaint (constants.PROTECTED) never produces a delivery to the facilitator:
what the member adds, closes or reopens goes to the coordinators instead."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.complaints.constants import MORE_KIND, UPDATE_KIND, is_protected
from storage.complaints.routing import route_of
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.models import Person
from storage.models.complaints import Complaint, ComplaintEvent


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
    (the facilitator, or for a protected complaint the nearest coordinators who can be
    reached, by the routing rule)."""
    await session.flush()
    key = f"complaint:{complaint.id}:more:{event.id}"
    if is_protected(complaint.category):
        found = await route_of(session, complaint, ())
        readers = found.first
        for person_id, chat in readers.people if readers else ():
            await deliveries.enqueue(
                session,
                key=f"{key}:{person_id}",
                kind=MORE_KIND,
                chat_id=chat,
                due_at=now,
                person_id=person_id,
                group_id=complaint.group_id,
                payload={"complaint_id": complaint.id, "event_id": event.id, "coordinator": True},
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
