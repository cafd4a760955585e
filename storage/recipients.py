"""Whether a person can be written to privately, and in which language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storage.db import SessionFactory
from storage.models import Person


@dataclass(frozen=True)
class PrivateState:
    blocked: bool
    language: str | None
    wants_reminders: bool


async def private_state(db: SessionFactory, telegram_user_id: int) -> PrivateState | None:
    async with db.begin() as session:
        row = (
            await session.execute(
                select(Person.blocked_bot_at, Person.language, Person.private_reminders).where(
                    Person.telegram_user_id == telegram_user_id
                )
            )
        ).first()
        if row is None:
            return None
        return PrivateState(row[0] is not None, row[1], bool(row[2]))
