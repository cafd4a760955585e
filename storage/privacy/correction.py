"""A member asks her facilitator to correct what the roster holds about her."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.complaints.history import clean_complaint_text
from storage.db import SessionFactory
from storage.deliveries.notices import send_notice
from storage.errors import UseCaseError
from storage.models import AuditEntry, Group, Member, Person


class NoGroupToCorrect(UseCaseError):
    """A correction asked by someone on no roster."""


MAX_TEXT = 1000


@dataclass(frozen=True)
class Facilitator:
    name: str
    group: str


async def _line(session: AsyncSession, person_id: int) -> tuple[Member, Group, Person]:
    line = await session.scalar(
        select(Member)
        .where(Member.person_id == person_id)
        .order_by(Member.active.desc(), Member.id)
        .limit(1)
    )
    if line is None:
        raise NoGroupToCorrect()
    group = await session.get_one(Group, line.group_id)
    return line, group, await session.get_one(Person, group.facilitator_id)


async def facilitator(db: SessionFactory, actor: Actor) -> Facilitator:
    """Who will correct her data (refused when she is on no roster)."""
    async with db.begin() as session:
        _, group, person = await _line(session, actor.person_id)
        return Facilitator(person.name, group.name)


async def ask(db: SessionFactory, actor: Actor, text: str, now: datetime) -> Facilitator:
    """Send her words to the facilitator of her group."""
    body = clean_complaint_text(text, MAX_TEXT)
    async with db.begin() as session:
        line, group, person = await _line(session, actor.person_id)
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="privacy.correct",
                detail=group.code,
                area_code=group.area_code,
            )
        )
        await session.flush()
        await send_notice(
            session,
            person,
            key=f"correct:{actor.person_id}:{now.isoformat()}",
            text="privacy.correct_notice",
            params={"member": line.name, "group": group.name, "text": body},
            now=now,
            group_id=group.id,
        )
        return Facilitator(person.name, group.name)
