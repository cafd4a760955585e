"""What a member may know about their own groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from storage.actors import Actor
from storage.db import SessionFactory
from storage.models import Group, Member, Person


@dataclass(frozen=True)
class MyGroup:
    group_id: int
    name: str
    code: str
    venue: str | None
    facilitator: str
    chair: str | None
    member_name: str


async def my_groups(db: SessionFactory, actor: Actor) -> list[MyGroup]:
    chair = aliased(Member)
    async with db.begin() as session:
        rows = await session.execute(
            select(Group, Person.name, chair.name, Member.name)
            .join(Member, Member.group_id == Group.id)
            .join(Person, Person.id == Group.facilitator_id)
            .outerjoin(chair, chair.id == Group.chair_member_id)
            .where(
                Member.person_id == actor.person_id, Member.active.is_(True), Group.active.is_(True)
            )
            .order_by(Group.name)
        )
        return [
            MyGroup(group.id, group.name, group.code, group.venue, facilitator, chair_name, mine)
            for group, facilitator, chair_name, mine in rows
        ]
