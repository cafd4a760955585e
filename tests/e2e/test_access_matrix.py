"""The access matrix of the README, cell by cell, through the real handlers.

Six people of one deployment: a pendamping of Kecamatan Banjar, the Korkab of Kota Banjar
(32.79), the Korwil of Jawa Barat (32), a viewer of Kota Banjar, the chair and a member of a
group in Banjar. For every thing (a group's card, its links, its roster, a member's ID KPM,
the status board and its lock, the report, the export, an ordinary and a protected
complaint) each person presses the button that opens it, by hand (forged callback data, as
anyone can send), for her own group in Banjar and for a group in Bali, outside every area
here. A cell marked open must open; every other cell must not, and a press that acts must
change nothing. The test is parametrised by person, so a wrong cell names who and what."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from simulator.emulator import FakeTelegram
from storage import complaints, people
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import (
    AttendanceLock,
    ComplaintCategory,
    Group,
    Invite,
    Meeting,
    MeetingStatus,
    Member,
    StaffRole,
)
from tests.e2e.builders import GroupSetup, actor_for, group_with_chat
from tests.e2e.harness import Person, RunningBot
from tests.e2e.test_areas_access import SLICE
from tests.e2e.test_complaints import SLA
from timekeeping.clock import ManualClock

MONTH = 202612
MEETING = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
BANJAR_DESA, BALI_DESA = "32.79.01.1002", "51.71.01.1001"  # Mekarsari; Serangan

ROLES = ("pendamping", "korkab", "korwil", "viewer", "chair", "member")

# What opens for each person on her own group in Banjar: (thing, read/act). The README's
# access matrix; nothing opens on the group in Bali for anyone.
OPEN: dict[str, set[tuple[str, str]]] = {
    "pendamping": {
        ("group card", "read"),
        ("group links", "act"),
        ("roster", "read"),
        ("programme ids", "read"),
        ("status board", "read"),
        ("status board", "act"),
        ("report", "read"),
        ("export", "read"),
        ("complaint", "read"),
    },
    "korkab": {
        ("group card", "read"),
        ("group links", "act"),
        ("roster", "read"),
        ("programme ids", "read"),
        ("status board", "read"),
        ("status board", "act"),
        ("report", "read"),
        ("export", "read"),
        ("complaint", "read"),
        ("protected complaint", "read"),
    },
    "viewer": {
        ("group card", "read"),
        ("status board", "read"),
        ("report", "read"),
        ("export", "read"),
    },
    # A chair reads her group's month by /laporan (tests/e2e/test_reports.py), not the staff's
    # per-group page; her export has no ID KPM.
    "chair": {("export", "read")},
    "member": set(),
}
OPEN["korwil"] = OPEN["korkab"]
CELLS = sorted({cell for cells in OPEN.values() for cell in cells})


@dataclass
class Place:
    setup: GroupSetup
    facilitator_id: int
    member_id: int
    ordinary: int  # a ticket
    protected: int


@dataclass
class World:
    bot: RunningBot
    fake: FakeTelegram
    db: SessionFactory
    people: dict[str, Person]
    banjar: Place
    bali: Place


async def _place(
    db: SessionFactory, fake: FakeTelegram, clock: ManualClock, name: str, desa: str, base: int
) -> Place:
    setup = await group_with_chat(
        db, fake, clock, name=name, facilitator_id=base, first_member_id=base + 100
    )
    async with db.begin() as session:
        group = await session.get_one(Group, setup.group.id)
        group.area_code = desa
        first = await session.scalar(
            select(Member.id).where(Member.group_id == group.id).order_by(Member.id)
        )
        assert first is not None
        group.chair_member_id = first
        session.add(
            Meeting(
                group_id=group.id,
                session_number=1,
                starts_at=MEETING,
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
            )
        )
    tickets = []
    for category, text in (
        (ComplaintCategory.CARD, f"Kartu hilang di {name}"),
        (ComplaintCategory.LEVY, f"Pungutan di {name}"),
    ):
        filed = await complaints.submit(
            db,
            await actor_for(db, setup.members[1]),
            group_id=setup.group.id,
            category=category,
            text=text,
            attachments=[],
            discuss_anonymously=False,
            now=clock.now(),
            sla=SLA,
        )
        tickets.append(filed.ticket.id)
    return Place(setup, setup.facilitator_actor.person_id, first, tickets[0], tickets[1])


async def _staff(
    fake: FakeTelegram, db: SessionFactory, user_id: int, role: StaffRole, area: str
) -> Person:
    person = Person(fake, fake.user(user_id, "Staf", area, language_code="id"))
    fake.private_chat(person.user).started = True
    await people.add_staff(db, user_id, f"Staf {area}", role, area)
    return person


@pytest.fixture
async def world(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> World:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await _place(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    bali = await _place(db, fake, clock, "Serangan Satu", BALI_DESA, 510)
    # The Banjar group's facilitator becomes a pendamping of Kecamatan Banjar.
    await people.add_staff(db, 500, "Bu Pendamping", StaffRole.FACILITATOR, "32.79.01")
    pendamping = Person(fake, banjar.setup.facilitator)
    cast = {
        "pendamping": pendamping,
        "korkab": await _staff(fake, db, 3001, StaffRole.COORDINATOR, "32.79"),
        "korwil": await _staff(fake, db, 3002, StaffRole.COORDINATOR, "32"),
        "viewer": await _staff(fake, db, 3003, StaffRole.VIEWER, "32.79"),
        "chair": Person(fake, banjar.setup.members[0]),
        "member": Person(fake, banjar.setup.members[2]),
    }
    await bot.dispatch()
    return World(bot, fake, db, cast, banjar, bali)


async def _press(world: World, person: Person, data: str) -> list[str]:
    """Press crafted data under her menu; the texts that appeared or changed after it."""
    menu = await person.says("/start")
    before = {m.message_id: m.plain for m in world.fake.messages(person.chat)}
    await world.fake.press(person.user, menu, data, forged=True)
    await world.bot.settle()
    return [
        m.plain or m.caption or ""
        for m in world.fake.messages(person.chat)
        if before.get(m.message_id, None) != m.plain or m.message_id not in before
    ]


def _documents(world: World, person: Person) -> int:
    return sum(m.document is not None for m in world.fake.messages(person.chat))


async def _count(world: World, query: object) -> int:
    async with world.db.begin() as session:
        return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


Probe = Callable[[World, Person, Place], Awaitable[bool]]


async def _shows(world: World, person: Person, data: str, needle: str) -> bool:
    return any(needle in text for text in await _press(world, person, data))


async def group_card(world: World, person: Person, place: Place) -> bool:
    group = place.setup.group
    return await _shows(world, person, f"g:{group.id}", group.code)


async def group_links(world: World, person: Person, place: Place) -> bool:
    """Renewing the links acts: the old invites are revoked."""
    group_id = place.setup.group.id
    revoked = select(func.count(Invite.id)).where(
        Invite.group_id == group_id, Invite.revoked_at.is_not(None)
    )
    before = await _count(world, revoked)
    await _press(world, person, f"grny:{group_id}")
    return await _count(world, revoked) > before


async def roster(world: World, person: Person, place: Place) -> bool:
    group = place.setup.group
    return await _shows(world, person, f"ros:{group.id}:0", group.name)


async def programme_ids(world: World, person: Person, place: Place) -> bool:
    return await _shows(world, person, f"m:{place.member_id}", "ID KPM")


async def board(world: World, person: Person, place: Place) -> bool:
    return await _shows(
        world, person, f"sbf:{place.facilitator_id}:{MONTH}", place.setup.group.name
    )


async def board_lock(world: World, person: Person, place: Place) -> bool:
    locks = select(func.count(AttendanceLock.id)).where(
        AttendanceLock.group_id == place.setup.group.id
    )
    before = await _count(world, locks)
    await _press(world, person, f"sbly:{place.facilitator_id}:{MONTH}")
    return await _count(world, locks) > before


async def report(world: World, person: Person, place: Place) -> bool:
    group = place.setup.group
    return await _shows(world, person, f"rpg:{group.id}:{MONTH}", group.name)


async def export(world: World, person: Person, place: Place) -> bool:
    before = _documents(world, person)
    await _press(world, person, f"rx:1:{MONTH}:{place.setup.group.id}")
    return _documents(world, person) > before


async def complaint(world: World, person: Person, place: Place) -> bool:
    return await _shows(world, person, f"klv:{place.ordinary}", "Kartu hilang")


async def protected_complaint(world: World, person: Person, place: Place) -> bool:
    return await _shows(world, person, f"klv:{place.protected}", "Pungutan")


PROBES: dict[tuple[str, str], Probe] = {
    ("group card", "read"): group_card,
    ("group links", "act"): group_links,
    ("roster", "read"): roster,
    ("programme ids", "read"): programme_ids,
    ("status board", "read"): board,
    ("status board", "act"): board_lock,
    ("report", "read"): report,
    ("export", "read"): export,
    ("complaint", "read"): complaint,
    ("protected complaint", "read"): protected_complaint,
}


def test_every_cell_has_a_probe() -> None:
    assert set(CELLS) <= set(PROBES)


@pytest.mark.parametrize("role", ROLES)
async def test_each_cell_opens_for_her_own_area_only(world: World, role: str) -> None:
    person = world.people[role]
    wrong = []
    for cell, probe in sorted(PROBES.items()):
        if await probe(world, person, world.bali):
            wrong.append(("Bali", *cell, "opened"))
        opened = await probe(world, person, world.banjar)
        if opened != (cell in OPEN[role]):
            wrong.append(("Banjar", *cell, "opened" if opened else "refused"))
    assert wrong == []
