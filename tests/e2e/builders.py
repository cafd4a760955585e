"""Quick set-ups through the storage use cases, for tests about what happens afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator.emulator import Chat, FakeTelegram, User
from storage import groups, joining, people, roster
from storage.actors import Actor, TelegramUser
from storage.db import SessionFactory
from storage.joining import Asked
from storage.models import InviteKind, StaffRole
from storage.roster.roster_file import RosterRow
from storage.views import GroupView, MemberView
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


def kpm_number(index: int) -> str:
    return f"3201{index:012d}"


async def join_with_digits(
    db: SessionFactory, person: Actor, token: str, line: MemberView, now: datetime
) -> None:
    """Join as anyone would: the link, her roster line, the last digits of its number."""
    step = await joining.choose(db, person, token, line.id, now)
    assert step.asked is Asked.DIGITS, "the line needs a number for this shortcut"
    answer = await joining.check_digits(db, person, step.request_id, line.programme_id or "", now)
    assert answer.joined is not None


async def join_confirmed_by(
    db: SessionFactory, person: Actor, token: str, line_id: int, confirmer: Actor, now: datetime
) -> None:
    """Join a line without digits: she asks, the facilitator (or chair) answers Benar."""
    step = await joining.choose(db, person, token, line_id, now)
    if step.asked is Asked.DIGITS:
        step = await joining.ask_a_person(db, person, step.request_id, now)
    await joining.answer(db, confirmer, step.request_id, True, now)


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
        rows.append(RosterRow(index + 2, f"Ibu{index} KPM", kpm_number(index), None, False))
    await roster.import_rows(db, boss, links.group.id, rows)
    _, listed = await roster.list_members(db, boss, links.group.id)
    by_name = {m.name: m for m in listed}
    for user in users:
        member_actor = await actor_for(db, user)
        line = by_name[f"{user.first_name} KPM"]
        await join_with_digits(db, member_actor, links.tokens[InviteKind.MEMBER], line, clock.now())
    detail = await groups.group_detail(db, boss, links.group.id)
    return GroupSetup(facilitator, boss, detail.group, chat, users)
