"""The dispatcher's heartbeat: which process sends, and when it last ticked (`p2k2 status`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DispatcherHeartbeat


async def beat(session: AsyncSession, holder: str, now: datetime) -> None:
    """One row, updated in place every tick; inserted by the first tick ever."""
    result = await session.execute(
        update(DispatcherHeartbeat)
        .where(DispatcherHeartbeat.id == 1)
        .values(holder=holder, ticked_at=now)
    )
    if not getattr(result, "rowcount", 0):
        session.add(DispatcherHeartbeat(id=1, holder=holder, ticked_at=now))
