"""Due deliveries: enqueue them, claim what is due, record every outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus
from timekeeping.rules import CLAIM_LEASE

FINAL = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED)


@dataclass(frozen=True)
class DueDelivery:
    id: int
    key: str
    kind: str
    chat_id: int
    person_id: int | None
    group_id: int | None
    meeting_id: int | None
    announcement_id: int | None
    payload: dict[str, Any]
    due_at: datetime
    attempts: int

    @classmethod
    def of(cls, row: Delivery) -> DueDelivery:
        return cls(
            id=row.id,
            key=row.key,
            kind=row.kind,
            chat_id=row.chat_id,
            person_id=row.person_id,
            group_id=row.group_id,
            meeting_id=row.meeting_id,
            announcement_id=row.announcement_id,
            payload=dict(row.payload or {}),
            due_at=row.due_at,
            attempts=row.attempts,
        )


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    chat_id: int,
    due_at: datetime,
    person_id: int | None = None,
    group_id: int | None = None,
    meeting_id: int | None = None,
    announcement_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Add a delivery unless one with the same key exists; True when added."""
    exists = await session.scalar(select(Delivery.id).where(Delivery.key == key))
    if exists is not None:
        return False
    session.add(
        Delivery(
            key=key,
            kind=kind,
            chat_id=chat_id,
            due_at=due_at,
            person_id=person_id,
            group_id=group_id,
            meeting_id=meeting_id,
            announcement_id=announcement_id,
            payload=payload,
            status=DeliveryStatus.PENDING,
            attempts=0,
        )
    )
    await session.flush()
    return True


CLAIMED_COLUMNS = (
    Delivery.id,
    Delivery.key,
    Delivery.kind,
    Delivery.chat_id,
    Delivery.person_id,
    Delivery.group_id,
    Delivery.meeting_id,
    Delivery.announcement_id,
    Delivery.payload,
    Delivery.due_at,
    Delivery.attempts,
)


async def claim_due(db: SessionFactory, now: datetime, limit: int) -> list[DueDelivery]:
    """Mark up to `limit` due deliveries as being sent; a lease lets a crash be recovered.

    One statement: UPDATE ... WHERE id IN (the due ones) RETURNING what the composers need.
    (PostgreSQL skips rows another sender has locked; SQLite has one writer at a time.)"""
    async with db.begin() as session:
        due = (
            select(Delivery.id)
            .where(
                or_(
                    and_(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now),
                    and_(
                        Delivery.status == DeliveryStatus.SENDING,
                        Delivery.claimed_until < now,
                    ),
                )
            )
            .order_by(Delivery.due_at, Delivery.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        rows = await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(due.scalar_subquery()))
            .values(status=DeliveryStatus.SENDING, claimed_until=now + CLAIM_LEASE)
            .returning(*CLAIMED_COLUMNS),
            execution_options={"synchronize_session": False},
        )
        claimed = [
            DueDelivery(
                id=row.id,
                key=row.key,
                kind=row.kind,
                chat_id=row.chat_id,
                person_id=row.person_id,
                group_id=row.group_id,
                meeting_id=row.meeting_id,
                announcement_id=row.announcement_id,
                payload=dict(row.payload or {}),
                due_at=row.due_at,
                attempts=row.attempts,
            )
            for row in rows
        ]
        claimed.sort(key=lambda d: (d.due_at, d.id))
        return claimed


async def next_due_at(db: SessionFactory) -> datetime | None:
    async with db.begin() as session:
        earliest: datetime | None = await session.scalar(
            select(func.min(Delivery.due_at)).where(Delivery.status == DeliveryStatus.PENDING)
        )
        return earliest


async def _finish(session: AsyncSession, delivery_id: int, **values: Any) -> None:
    await session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(claimed_until=None, **values)
    )


async def mark_sent(
    session: AsyncSession, delivery_id: int, message_id: int | None, now: datetime
) -> None:
    await _finish(
        session,
        delivery_id,
        status=DeliveryStatus.SENT,
        sent_at=now,
        message_id=message_id,
        attempts=Delivery.attempts + 1,
        reason=None,
    )


async def mark_retry(
    session: AsyncSession, delivery_id: int, due_at: datetime, reason: str, count: bool = True
) -> None:
    values: dict[str, Any] = {
        "status": DeliveryStatus.PENDING,
        "due_at": due_at,
        "reason": reason[:200],
    }
    if count:
        values["attempts"] = Delivery.attempts + 1
    await _finish(session, delivery_id, **values)


async def mark_skipped(session: AsyncSession, delivery_id: int, reason: str) -> None:
    await _finish(session, delivery_id, status=DeliveryStatus.SKIPPED, reason=reason[:200])


async def mark_failed(session: AsyncSession, delivery_id: int, reason: str) -> None:
    await _finish(
        session,
        delivery_id,
        status=DeliveryStatus.FAILED,
        reason=reason[:200],
        attempts=Delivery.attempts + 1,
    )


async def move_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: everything still to send there follows it."""
    await session.execute(
        update(Delivery)
        .where(
            Delivery.chat_id == old_chat_id,
            Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
        )
        .values(chat_id=new_chat_id)
    )


async def drop_for_chat(session: AsyncSession, chat_id: int, reason: str) -> int:
    """Skip what was still to be sent to a chat the bot left, and free those keys: a chat
    linked to the group later is planned afresh (keys name the group, not the chat). Sends
    under way there are included: they meet the same 403 and keep the freed key."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
            Delivery.chat_id == chat_id,
        )
        .values(
            status=DeliveryStatus.SKIPPED,
            reason=reason,
            key=Delivery.key + f":{reason}:" + cast(Delivery.id, String),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def cancel_pending(session: AsyncSession, *conditions: Any, reason: str) -> int:
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, *conditions)
        .values(status=DeliveryStatus.SKIPPED, reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)
