"""Quick set-ups through the storage use cases, for tests about what happens afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from simulator.emulator import Chat, FakeTelegram, User
from storage import groups, onboarding, people, roster
from storage.actors import Actor, TelegramUser
from storage.db import SessionFactory
from storage.models import InviteKind, StaffRole
from storage.roster_file import RosterRow
from storage.views import GroupView
from timekeeping.clock import ManualClock


@dataclass
class GroupSetup:
    facilitator: User
    facilitator_actor: Actor
    group: GroupView
    chat: Chat
    members: list[User]


async def actor_for(db: SessionFactory, user: User, private_chat: bool = True) -> Actor:
    actor, _ = await people.identify(
        db,
        TelegramUser(user.id, user.first_name, user.language_code),
        (),
        "id",
        private_chat=private_chat,
    )
    return actor


async def group_with_chat(
    db: SessionFactory,
    fake: FakeTelegram,
    clock: ManualClock,
    *,
    name: str = "Mawar 1",
    members: int = 3,
    facilitator_id: int = 500,
    first_member_id: int = 600,
) -> GroupSetup:
    """A facilitator, a group bound to a group chat, members who opened a private chat."""
    facilitator = fake.user(facilitator_id, "Bu", "Pendamping")
    fake.private_chat(facilitator).started = True
    await people.add_staff(db, facilitator.id, "Bu Pendamping", StaffRole.FACILITATOR)
    boss = await actor_for(db, facilitator)
    links = await groups.create_group(
        db,
        boss,
        name=name,
        village=None,
        venue="Rumah Bu Siti",
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=timedelta(days=14),
    )
    chat = fake.group(f"Grup {name}", bot_status="member")
    await groups.bind_chat(db, boss, links.group.id, chat.id, chat.title, clock.now())
    users: list[User] = []
    rows = []
    for index in range(members):
        user = fake.user(first_member_id + index, f"Ibu{index}", "KPM")
        fake.private_chat(user).started = True
        users.append(user)
        rows.append(RosterRow(index + 2, f"Ibu{index} KPM", None, None, False))
    await roster.import_rows(db, boss, links.group.id, rows)
    _, listed = await roster.list_members(db, boss, links.group.id)
    by_name = {m.name: m for m in listed}
    for user in users:
        member_actor = await actor_for(db, user)
        member_id = by_name[f"{user.first_name} KPM"].id
        await onboarding.claim_member(
            db, member_actor, links.tokens[InviteKind.MEMBER], member_id, clock.now()
        )
    detail = await groups.group_detail(db, boss, links.group.id)
    return GroupSetup(facilitator, boss, detail.group, chat, users)
