"""Record what happened to a send, with its consequences, in one transaction each."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.complaints.constants import is_protected
from storage.db import SessionFactory
from storage.deliveries import DueDelivery
from storage.deliveries.notices import KIND, send_notice
from storage.deliveries.send_outcome import Outcome, Verdict
from storage.groups import unlink_in
from storage.models import Group, Person
from storage.models.complaints import Complaint
from timekeeping.rules import NOTICE_AFTER_FLOOD, backoff, gives_up, gives_up_waiting


async def record_failure(
    db: SessionFactory, delivery: DueDelivery, outcome: Outcome, now: datetime
) -> None:
    async with db.begin() as session:
        match outcome.verdict:
            case Verdict.WAIT:
                # Every try counts, a 429 too: a send that keeps meeting flood control ends
                # (failed, and the facilitator told) instead of going on for ever.
                wait = timedelta(seconds=max(outcome.retry_after, 1.0))
                if gives_up_waiting(delivery.attempts + 1):
                    await deliveries.mark_failed(session, delivery.id, outcome.reason)
                    await _tell_facilitator(
                        session, delivery, "delivery.failed_flood", now, later=wait
                    )
                else:
                    await deliveries.mark_retry(session, delivery.id, now + wait, outcome.reason)
            case Verdict.RETRY:
                attempts = delivery.attempts + 1
                if gives_up(attempts) or gives_up_waiting(attempts):
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
                await deliveries.mark_retry(session, delivery.id, now, outcome.reason)
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
    later: timedelta | None = None,
) -> None:
    """A failure that needs a person reaches the group's facilitator, through the dispatcher.

    `later`: the failing chat is still there, only busy (flood control), so when it is the
    facilitator's own chat the notice goes there too, after the flood is over."""
    if delivery.kind == KIND and str(delivery.payload.get("text", "")).startswith("delivery."):
        return  # a failure notice that failed: telling about it would only add to the flood
    group = await session.get(Group, delivery.group_id) if delivery.group_id else None
    if group is None or await _about_protected_complaint(session, delivery):
        return
    facilitator = await session.get(Person, group.facilitator_id)
    if facilitator is None or facilitator.telegram_user_id is None:
        return
    due = now
    if facilitator.telegram_user_id == delivery.chat_id:
        if later is None:
            return  # the facilitator's own chat is the one failing; nobody else to tell
        due = now + max(later, NOTICE_AFTER_FLOOD)
    parts = _parts(delivery)
    await send_notice(
        session,
        facilitator,
        key=f"notice:{text_key}:{delivery.id}",
        text=text_key,
        params={"group": group.name, "what": delivery.kind, **parts},
        now=due,
        group_id=group.id,
    )


async def _about_protected_complaint(session: AsyncSession, delivery: DueDelivery) -> bool:
    """A complaint about the facilitator or the chair (or cuts from the aid) never reaches the
    facilitator, not even as a notice that some message about it failed."""
    complaint_id = delivery.payload.get("complaint_id")
    if not isinstance(complaint_id, int):
        return False
    category = await session.scalar(select(Complaint.category).where(Complaint.id == complaint_id))
    return category is not None and is_protected(category)


def _parts(delivery: DueDelivery) -> dict[str, int]:
    progress = delivery.payload.get(deliveries.PARTS_SENT)
    if isinstance(progress, dict):
        return {"sent": int(progress.get("sent", 0)), "parts": int(progress.get("of", 1))}
    return {"sent": 0, "parts": 1}
