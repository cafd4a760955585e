"""One step of an unanswered complaint's climb, decided when it is due.

The filing tells the route's first level and plans step 1 one SLA later
(routing.send_along). When a step is due and nobody answered, the route is computed again
from the level above the last one told: its first level that can be reached now is told, and
the next step is planned one SLA later. So a coordinator added to an area after the filing,
or a level nobody could be reached at then, is told in its turn; one taken off since is not.
When nothing above can be reached at step 1, the level told at the filing is reminded once,
if it is a coordinator level ("still unanswered"); then the climb ends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.complaints.constants import ESCALATION_KIND, OPEN
from storage.complaints.routing import climb_key, plan_climb, route, tell
from storage.complaints.views import Level, Route
from storage.db import SessionFactory
from storage.models import Delivery, Group
from storage.models.complaints import Complaint

# Levels reminded once when nobody above them can be reached.
_REMINDED = (Level.KORKAB, Level.KORWIL, Level.WHOLE)


async def climb_step(
    db: SessionFactory,
    complaint_id: int,
    told: Level,
    step: int,
    now: datetime,
    sla: timedelta,
    above: Iterable[int],
) -> str:
    """Run step `step` of the complaint's climb (`told`: the level told last), in one
    transaction; returns what it did, for the delivery's record. Run twice (a crash before
    the step's row was marked), it queues nothing new: every key it writes is the step's."""
    async with db.begin() as session:
        complaint = await session.get(Complaint, complaint_id)
        if complaint is None:
            return "complaint gone"
        if complaint.acknowledged_at is not None:
            return "acknowledged in time"
        if complaint.status not in OPEN:
            return "no longer open"
        if await _planned(session, climb_key(complaint.id, step + 1)):
            return "done already"
        group = await session.get_one(Group, complaint.group_id)
        found = Route()
        if told is not Level.ABOVE:
            # From the level told itself when it may be reminded: one look serves both.
            start = told if told in _REMINDED else Level(told + 1)
            found = await route(
                session, group, complaint.facilitator_id, complaint.category, above, start=start
            )
        up = next((readers for readers in found.levels if readers.level > told), None)
        if up is not None:
            await tell(session, complaint, up, now, ESCALATION_KIND)
            if up.level is not Level.ABOVE:
                await plan_climb(session, complaint, up.level, step + 1, now + sla)
            return f"told {up.level.key}"
        same = found.first
        if step == 1 and told in _REMINDED and same is not None and same.level is told:
            # Nobody above: the same level again, "still unanswered".
            await tell(session, complaint, same, now, ESCALATION_KIND)
            return f"reminded {told.key}"
        return "nobody above"


async def _planned(session: AsyncSession, key: str) -> bool:
    return await session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None
