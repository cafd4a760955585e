"""Telegram updates already acted on: each update is handled once, however often it arrives.

Telegram hands an update out again when its offset was not confirmed (a restart between
handling it and the next getUpdates), when a webhook answer timed out, or to a second poller.
The id is recorded before the update is acted on (the ids of updates arriving together in one
transaction, handlers/once.py): a second arrival finds it and is skipped. A press on a group
reminder, the update that comes in thousands at once, is recorded instead in the transaction
that records the press (storage/meetings/presses.py): one transaction per batch instead of
two, and the record and the action commit or fail together. A process killed
between the record and the action loses that one update (the person sends it again); it is
never acted on twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Table, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from storage.db import SessionFactory
from storage.models import HandledUpdate

# Telegram keeps an unconfirmed update for 24 hours, and after a week without updates it may
# start the ids anywhere (Bot API, Update: "update_id"); two days covers every redelivery and
# keeps the table small.
KEEP = timedelta(days=2)


async def first_times(db: SessionFactory, update_ids: Sequence[int], now: datetime) -> list[bool]:
    """Record the updates in one transaction; for each, False when it was recorded before (a
    redelivery: skip it). An id twice in the list is new at most once."""
    if not update_ids:
        return []
    async with db.begin() as session:
        return await record(session, update_ids, now)


async def record(session: AsyncSession, update_ids: Sequence[int], now: datetime) -> list[bool]:
    """first_times inside the caller's transaction: the ids count as handled only if it
    commits. The ids are inserted in ascending order, so two instances recording overlapping
    batches wait for each other in one order (PostgreSQL makes an insert wait for another
    transaction's uncommitted row with the same id)."""
    if not update_ids:
        return []
    unique = sorted(set(update_ids))
    rows = [{"update_id": uid, "handled_at": now} for uid in unique]
    # One statement, built once per dialect and executed for every id (SQLAlchemy sends
    # them as one multi-row INSERT): a statement built per call cost more than running it.
    added = set(await session.scalars(_insert(session.get_bind().dialect.name), rows))
    answers = []
    for update_id in update_ids:
        answers.append(update_id in added)
        added.discard(update_id)  # a second copy in the same list is a redelivery too
    return answers


@cache
def _insert(dialect: str) -> ReturningInsert[tuple[int]]:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = HandledUpdate.__table__
    assert isinstance(table, Table)
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(table.c.update_id)
    )


async def prune(session: AsyncSession, now: datetime) -> int:
    """Forget updates handled more than KEEP ago (the dispatcher's housekeeping)."""
    result = await session.execute(
        delete(HandledUpdate).where(HandledUpdate.handled_at < now - KEEP)
    )
    return int(getattr(result, "rowcount", 0) or 0)
