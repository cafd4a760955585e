"""Use cases run from the command line, where the operator acts with full rights."""

from __future__ import annotations

from sqlalchemy import select

from storage import roster
from storage.actors import Actor
from storage.db import SessionFactory
from storage.models import Group, StaffRole
from storage.roster.roster_file import RosterRow

OPERATOR = Actor(
    person_id=0,
    telegram_user_id=0,
    name="operator",
    language="id",
    staff_role=StaffRole.COORDINATOR,
)


async def import_roster_by_code(
    db: SessionFactory, code: str, rows: list[RosterRow]
) -> roster.ImportSummary | None:
    async with db.begin() as session:
        group_id = await session.scalar(select(Group.id).where(Group.code == code.upper()))
    if group_id is None:
        return None
    return await roster.import_rows(db, OPERATOR, group_id, rows)
