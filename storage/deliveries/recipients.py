"""Whether a person can be written to privately, and in which language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storage.db import SessionFactory
from storage.models import Member, Person


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


async def private_states(
    db: SessionFactory, telegram_user_ids: list[int]
) -> dict[int, PrivateState]:
    """private_state of many people in one query; those without a person are left out."""
    async with db.begin() as session:
        rows = await session.execute(
            select(
                Person.telegram_user_id,
                Person.blocked_bot_at,
                Person.language,
                Person.private_reminders,
            ).where(Person.telegram_user_id.in_(telegram_user_ids))
        )
        return {
            int(user_id): PrivateState(blocked is not None, language, bool(reminders))
            for user_id, blocked, language, reminders in rows
        }


async def reminder_recipient(
    db: SessionFactory, telegram_user_id: int, group_id: int, person_id: int | None
) -> tuple[PrivateState | None, bool]:
    """A member's private chat in one transaction: its state, and whether the person
    (`person_id`; None: nobody in particular) is still an active member of the group."""
    async with db.begin() as session:
        row = (
            await session.execute(
                select(Person.blocked_bot_at, Person.language, Person.private_reminders).where(
                    Person.telegram_user_id == telegram_user_id
                )
            )
        ).first()
        state = None if row is None else PrivateState(row[0] is not None, row[1], bool(row[2]))
        if person_id is None:
            return state, True
        member = await session.scalar(
            select(Member.id).where(
                Member.group_id == group_id,
                Member.person_id == person_id,
                Member.active.is_(True),
            )
        )
        return state, member is not None
