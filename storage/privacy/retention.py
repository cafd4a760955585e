"""Keeping personal data no longer than needed: the daily retention job.

A complaint's texts, attachments and reasons are deleted `P2K2_RETENTION` after it ended
(resolved, closed or not handleable, and unchanged since); the ticket stays with its category,
dates and status for the programme's counts. The complaints of a person whose data was erased
are emptied as soon as they end, and also lose their roster line. Finished deliveries older
than 90 days lose their payload (names, texts, message ids). The job runs from the
dispatcher's housekeeping at most once a day, recorded in `housekeeping_runs`; a run that hit
its batch limit is continued soon after (storage/operations/housekeeping.AGAIN), so a large
backlog never holds a tick long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory
from storage.models import (
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintStatus,
    Delivery,
    DeliveryStatus,
    HousekeepingRun,
    Person,
)

JOB = "retention"
EVERY = timedelta(days=1)
PAYLOAD_KEEP = timedelta(days=90)
BATCH = 500  # complaints, or deliveries, per run
ENDED = (ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED, ComplaintStatus.CLOSED)
FINISHED = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED)


@dataclass(frozen=True)
class LastRun:
    ran_at: datetime
    detail: dict[str, Any]


async def purge_complaint(session: AsyncSession, complaint: Complaint, now: datetime) -> None:
    """Delete what was said on the ticket; keep category, dates and status."""
    await session.execute(
        update(ComplaintMessage)
        .where(ComplaintMessage.complaint_id == complaint.id)
        .values(text=None, file_id=None, file_name=None)
    )
    await session.execute(
        update(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint.id)
        .values(detail=None)
    )
    complaint.reject_reason = None
    complaint.purged_at = now


def complaints_due(now: datetime, keep: timedelta) -> Any:
    """Ended tickets not emptied yet whose time is up, or whose member was erased."""
    erased = select(Person.id).where(Person.erased_at.is_not(None))
    return (
        select(Complaint)
        .where(
            Complaint.purged_at.is_(None),
            Complaint.status.in_(ENDED),
            or_(Complaint.updated_at < now - keep, Complaint.person_id.in_(erased)),
        )
        .order_by(Complaint.id)
    )


async def run(db: SessionFactory, now: datetime, keep: timedelta, batch: int = BATCH) -> LastRun:
    """One batch of the job, in one transaction; recorded as the job's last run."""
    async with db.begin() as session:
        complaints = list(await session.scalars(complaints_due(now, keep).limit(batch)))
        erased = set(
            await session.scalars(
                select(Person.id).where(
                    Person.id.in_({c.person_id for c in complaints}),
                    Person.erased_at.is_not(None),
                )
            )
        )
        for complaint in complaints:
            await purge_complaint(session, complaint, now)
            if complaint.person_id in erased:
                complaint.member_id = None  # anonymised: no roster line names her
        old = list(
            await session.scalars(
                select(Delivery.id)
                .where(
                    and_(
                        Delivery.status.in_(FINISHED),
                        Delivery.due_at < now - PAYLOAD_KEEP,
                        Delivery.payload.is_not(None),
                    )
                )
                .limit(batch)
            )
        )
        if old:
            await session.execute(update(Delivery).where(Delivery.id.in_(old)).values(payload=None))
        detail = {
            "complaints": len(complaints),
            "payloads": len(old),
            "more": len(complaints) == batch or len(old) == batch,
        }
        record = await session.get(HousekeepingRun, JOB)
        if record is None:
            session.add(HousekeepingRun(job=JOB, ran_at=now, detail=detail))
        else:
            record.ran_at = now
            record.detail = detail
        return LastRun(now, detail)


async def run_if_due(db: SessionFactory, now: datetime, keep: timedelta) -> datetime:
    """Run once a day, or again at once while the last run left more to do; returns when to
    look next (the dispatcher keeps it to skip the read until then: the database decides)."""
    last = await last_run(db)
    if last is None or now - last.ran_at >= EVERY or last.detail.get("more"):
        last = await run(db, now, keep)
    return now if last.detail.get("more") else last.ran_at + EVERY


async def last_run(db: SessionFactory) -> LastRun | None:
    async with db.begin() as session:
        record = await session.get(HousekeepingRun, JOB)
        return LastRun(record.ran_at, dict(record.detail or {})) if record else None
