"""The dispatcher's housekeeping: jobs on their own cadence, when each is due read from the
database.

A tick with nothing to send used to prune the handled updates every time (a DELETE over an
indexed range, every 10 s) and to look up the retention job's last run, in transactions of
their own: most of an idle tick (benchmarks/scale.py). Now the heartbeat's transaction also
reads `housekeeping_runs` (a row a job), and a job runs only when its last run there is older
than its cadence (or than AGAIN, when that run left more to do). The due time lives in the
database, not in the process: a restarted sender, or the standby that takes over, continues
the same cadence."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory
from storage.models import HousekeepingRun
from storage.operations import handled_updates, heartbeat
from storage.privacy import retention

PRUNE_HANDLED = "handled_updates"
# Updates are kept two days (handled_updates.KEEP): pruning hourly keeps the table within an
# hour of that.
PRUNE_EVERY = timedelta(hours=1)
EVERY: dict[str, timedelta] = {PRUNE_HANDLED: PRUNE_EVERY, retention.JOB: retention.EVERY}
# A run that stopped at its batch limit goes on this much later, not at the next tick: a year
# of deliveries past their 90 days (benchmarks/scale.py) is over a thousand batches, and one
# at every tick made each tick several times slower for hours.
AGAIN = timedelta(seconds=30)


async def beat(db: SessionFactory, holder: str, now: datetime) -> list[str]:
    """The dispatcher's heartbeat; returns the housekeeping jobs due now, read in the same
    transaction."""
    async with db.begin() as session:
        await heartbeat.beat(session, holder, now)
        runs = {
            job: (ran_at, detail or {})
            for job, ran_at, detail in await session.execute(
                select(HousekeepingRun.job, HousekeepingRun.ran_at, HousekeepingRun.detail)
            )
        }
    due = []
    for job, every in EVERY.items():
        last = runs.get(job)
        if last is None or now - last[0] >= (AGAIN if last[1].get("more") else every):
            due.append(job)
    return due


async def run(db: SessionFactory, now: datetime, jobs: list[str], keep: timedelta) -> None:
    """Run the given jobs (as `beat` returned them), each in its own transaction with its
    record; `keep` is how long ended complaints keep their texts (P2K2_RETENTION)."""
    if PRUNE_HANDLED in jobs:
        async with db.begin() as session:
            pruned = await handled_updates.prune(session, now)
            await _record(session, PRUNE_HANDLED, now, {"pruned": pruned})
    if retention.JOB in jobs:
        await retention.run(db, now, keep)


async def _record(session: AsyncSession, job: str, now: datetime, detail: dict[str, int]) -> None:
    record = await session.get(HousekeepingRun, job)
    if record is None:
        session.add(HousekeepingRun(job=job, ran_at=now, detail=detail))
    else:
        record.ran_at = now
        record.detail = detail
