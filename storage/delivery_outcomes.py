"""Record what happened to a send, with its consequences, in one transaction each."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.db import SessionFactory
from storage.deliveries import DueDelivery
from storage.groups import unlink_in
from storage.models import Group, Person
from storage.notices import send_notice
from storage.send_outcome import Outcome, Verdict
from timekeeping.rules import backoff, gives_up


async def record_sent(
    db: SessionFactory, delivery: DueDelivery, message_id: int | None, now: datetime
) -> None:
    async with db.begin() as session:
        await deliveries.mark_sent(session, delivery.id, message_id, now)


async def record_failure(
    db: SessionFactory, delivery: DueDelivery, outcome: Outcome, now: datetime
) -> None:
    async with db.begin() as session:
        match outcome.verdict:
            case Verdict.WAIT:
                wait = timedelta(seconds=max(outcome.retry_after, 1.0))
                await deliveries.mark_retry(
                    session, delivery.id, now + wait, outcome.reason, count=False
                )
            case Verdict.RETRY:
                attempts = delivery.attempts + 1
                if gives_up(attempts):
                    await deliveries.mark_failed(session, delivery.id, outcome.reason)
                    await _tell_facilitator(session, delivery, "delivery.failed", now)
                else:
                    await deliveries.mark_retry(
                        session, delivery.id, now + backoff(attempts), outcome.reason
                    )
            case Verdict.BLOCKED:
                await session.execute(
                    update(Person)
                    .where(Person.telegram_user_id == delivery.chat_id)
                    .values(blocked_bot_at=now, private_chat_open=False)
                )
                await deliveries.mark_skipped(session, delivery.id, "blocked")
            case Verdict.REMOVED:
                # Unlinking skips this send too and frees its key for a chat linked later.
                await unlink_in(session, delivery.chat_id, now)
                await deliveries.mark_skipped(session, delivery.id, "removed")
            case Verdict.MOVED:
                assert outcome.new_chat_id is not None
                await session.execute(
                    update(Group)
                    .where(Group.chat_id == delivery.chat_id)
                    .values(chat_id=outcome.new_chat_id)
                )
                await deliveries.move_chat(session, delivery.chat_id, outcome.new_chat_id)
                await deliveries.mark_retry(session, delivery.id, now, outcome.reason, count=False)
            case Verdict.GONE:
                await deliveries.mark_skipped(session, delivery.id, "chat not found")
            case Verdict.BROKEN:
                await deliveries.mark_failed(session, delivery.id, outcome.reason)


async def record_defer(
    db: SessionFactory, delivery: DueDelivery, until: datetime, reason: str
) -> None:
    async with db.begin() as session:
        await deliveries.mark_retry(session, delivery.id, until, reason, count=False)


async def record_skip(db: SessionFactory, delivery: DueDelivery, reason: str) -> None:
    async with db.begin() as session:
        await deliveries.mark_skipped(session, delivery.id, reason)


async def _tell_facilitator(
    session: AsyncSession,
    delivery: DueDelivery,
    text_key: str,
    now: datetime,
) -> None:
    """A failure that needs a person reaches the group's facilitator, through the dispatcher."""
    group = await session.get(Group, delivery.group_id) if delivery.group_id else None
    if group is None:
        return
    facilitator = await session.get(Person, group.facilitator_id)
    if facilitator is None or facilitator.telegram_user_id is None:
        return
    if facilitator.telegram_user_id == delivery.chat_id:
        return  # the facilitator's own chat is the one failing; nobody else to tell
    await send_notice(
        session,
        facilitator,
        key=f"notice:{text_key}:{delivery.id}",
        text=text_key,
        params={"group": group.name, "what": delivery.kind},
        now=now,
        group_id=group.id,
    )
