"""The access matrix of the README, cell by cell, through the real handlers.

Six people of one deployment: a pendamping of Kecamatan Banjar, the Korkab of Kota Banjar
(32.79), the Korwil of Jawa Barat (32), a viewer of Kota Banjar, the chair and a member of a
group in Banjar. For every thing (a group's card, its links, its roster, a member's ID KPM,
the status board and its lock, the report, the export, an ordinary and a protected
complaint, a meeting and its cancelling, the RSVPs and one's own answer, the roll call and
a mark on it, one's own check-in, asking the chair to confirm, the chair's request and her
answer, an announcement) each person presses the button that does it, by hand (forged
callback data, as anyone can send), for her own group in Banjar, for a group in Kabupaten
Ciamis (the Korwil's province, outside the Korkab's and the viewer's kabupaten/kota) and
for a group in Bali, outside every area here. A cell marked open must open; every other
cell must not, and a press that acts must change nothing. The test is parametrised by
person, so a wrong cell names who, where and what.

Probes run in the order of their names on one world per person: those that act on the
meeting under way (check-in, roll call) come before the status board's month lock, which
would shut them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from simulator.emulator import FakeTelegram
from storage import complaints, people
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import (
    Announcement,
    Attendance,
    AttendanceLock,
    ComplaintCategory,
    ConfirmationRequest,
    Group,
    Invite,
    Meeting,
    MeetingStatus,
    Member,
    Rsvp,
    StaffRole,
)
from storage.models.attendance import AttendanceSource, ConfirmState, ConfirmStep
from tests.e2e.builders import GroupSetup, actor_for, group_with_chat
from tests.e2e.harness import Person, RunningBot
from tests.e2e.test_areas_access import SLICE
from tests.e2e.test_complaints import SLA
from timekeeping.clock import ManualClock

MONTH = 202612
MEETING = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # to come: read, answered (RSVP)
SPARE = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)  # to come: cancelled by whoever may
HELD = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)  # under way at the test clock's start
LAST_MONTH = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # its chair is asked to confirm it
BANJAR_DESA, CIAMIS_DESA = "32.79.01.1002", "32.07.01.1001"  # Mekarsari; Ciamis
BALI_DESA = "51.71.01.1001"  # Serangan

# A busy machine (the suite on two workers) can take seconds to answer one press.
SETTLE = 30.0

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
        ("meeting", "read"),
        ("meeting", "act"),
        ("rsvp", "read"),
        ("roll call", "read"),
        ("roll call", "act"),
        ("confirmation", "act"),
        ("announcement", "act"),
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
        ("meeting", "read"),
        ("rsvp", "read"),
        ("roll call", "read"),
        ("roll call", "act"),
        ("confirmation", "act"),
        ("announcement", "act"),
    },
    "viewer": {
        ("group card", "read"),
        ("status board", "read"),
        ("report", "read"),
        ("export", "read"),
        ("meeting", "read"),
    },
    # A chair reads her group's month by /laporan (tests/e2e/test_reports.py), not the staff's
    # per-group page; her export has no ID KPM. She is also a member of her group: she
    # answers its meetings and checks in like any member.
    "chair": {
        ("export", "read"),
        ("meeting", "read"),
        ("rsvp", "act"),
        ("roll call", "read"),
        ("roll call", "act"),
        ("check-in", "act"),
        ("confirmation answer", "read"),
        ("confirmation answer", "act"),
    },
    "member": {
        ("meeting", "read"),
        ("rsvp", "act"),
        ("check-in", "act"),
    },
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
    meetings: dict[datetime, int]  # MEETING, SPARE, HELD, LAST_MONTH: the meeting's id
    request: int  # the chair's open confirmation request about LAST_MONTH's meeting


@dataclass
class World:
    bot: RunningBot
    fake: FakeTelegram
    db: SessionFactory
    people: dict[str, Person]
    banjar: Place
    ciamis: Place  # Kabupaten Ciamis: the Korwil's province, not the Korkab's kabupaten/kota
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
        chair = await session.get_one(Member, first)
        assert chair.person_id is not None
        meetings = {}
        for number, starts_at in enumerate((LAST_MONTH, HELD, MEETING, SPARE), start=1):
            meeting = Meeting(
                group_id=group.id,
                session_number=number,
                starts_at=starts_at,
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
            )
            session.add(meeting)
            await session.flush()
            meetings[starts_at] = meeting.id
        request = ConfirmationRequest(
            meeting_id=meetings[LAST_MONTH],
            group_id=group.id,
            chair_person_id=chair.person_id,
            requested_by=setup.facilitator_actor.person_id,
            state=ConfirmState.OPEN,
            step=ConfirmStep.OUTCOME,
            nudges=0,
            created_at=clock.now() - timedelta(days=5),
        )
        session.add(request)
        await session.flush()
        request_id = request.id
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
    return Place(
        setup,
        setup.facilitator_actor.person_id,
        first,
        tickets[0],
        tickets[1],
        meetings,
        request_id,
    )


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
    ciamis = await _place(db, fake, clock, "Ciamis Satu", CIAMIS_DESA, 510)
    bali = await _place(db, fake, clock, "Serangan Satu", BALI_DESA, 520)
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
    return World(bot, fake, db, cast, banjar, ciamis, bali)


async def _press(world: World, person: Person, data: str) -> list[str]:
    """Press crafted data under her menu; the texts that appeared or changed after it."""
    menu = await person.says("/start")
    before = {m.message_id: m.plain for m in world.fake.messages(person.chat)}
    await world.fake.press(person.user, menu, data, forged=True)
    await world.bot.settle(timeout=SETTLE)
    return [
        m.plain or m.caption or ""
        for m in world.fake.messages(person.chat)
        if before.get(m.message_id, None) != m.plain or m.message_id not in before
    ]


async def _said(world: World, person: Person, command: str) -> list[str]:
    """Type a command; the texts that appeared after it."""
    before = {m.message_id for m in world.fake.messages(person.chat)}
    await person.says(command)
    await world.bot.settle(timeout=SETTLE)
    return [m.plain or "" for m in world.fake.messages(person.chat) if m.message_id not in before]


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


async def meeting(world: World, person: Person, place: Place) -> bool:
    """The meeting's card (staff, by its button) or the coming meetings (/jadwal: the others
    read the next meeting of each group they read)."""
    group = place.setup.group
    shown = await _shows(world, person, f"wm:{place.meetings[MEETING]}", group.name)
    listed = any(group.name in text for text in await _said(world, person, "/jadwal"))
    return shown or listed


async def meeting_cancel(world: World, person: Person, place: Place) -> bool:
    spare = place.meetings[SPARE]
    await _press(world, person, f"wcy:{spare}")
    cancelled = select(func.count(Meeting.id)).where(
        Meeting.id == spare, Meeting.status == MeetingStatus.CANCELLED
    )
    return await _count(world, cancelled) > 0


async def rsvps(world: World, person: Person, place: Place) -> bool:
    """The answers so far, counted on the meeting's card."""
    return await _shows(world, person, f"wm:{place.meetings[MEETING]}", "Akan datang")


async def rsvp_answer(world: World, person: Person, place: Place) -> bool:
    """Her own answer to the meeting, pressed in her private chat."""
    meeting_id = place.meetings[MEETING]
    answers = select(func.count(Rsvp.id)).where(Rsvp.meeting_id == meeting_id)
    before = await _count(world, answers)
    await _press(world, person, f"rv:{meeting_id}:1")
    return await _count(world, answers) > before


async def roll_call(world: World, person: Person, place: Place) -> bool:
    return await _shows(world, person, f"abp:{place.meetings[HELD]}:0", "Daftar hadir")


async def roll_call_mark(world: World, person: Person, place: Place) -> bool:
    """Mark the chair's line Hadir (code 1, the first of the cycle)."""
    held = place.meetings[HELD]
    marked = select(func.count(Attendance.id)).where(
        Attendance.meeting_id == held,
        Attendance.member_id == place.member_id,
        Attendance.source != AttendanceSource.SELF,
    )
    before = await _count(world, marked)
    await _press(world, person, f"abt:{held}:{place.member_id}:1:0")
    return await _count(world, marked) > before


async def check_in(world: World, person: Person, place: Place) -> bool:
    """ "Saya hadir": her own line, at the meeting under way."""
    held = place.meetings[HELD]
    own = select(func.count(Attendance.id)).where(
        Attendance.meeting_id == held, Attendance.source == AttendanceSource.SELF
    )
    before = await _count(world, own)
    await _press(world, person, f"ahy:{held}")
    return await _count(world, own) > before


async def confirmation_ask(world: World, person: Person, place: Place) -> bool:
    """Ask the group's chair whether this month's meeting (under way) was held."""
    group_id = place.setup.group.id
    asked = select(func.count(ConfirmationRequest.id)).where(
        ConfirmationRequest.group_id == group_id
    )
    before = await _count(world, asked)
    await _press(world, person, f"cfqg:{group_id}")
    return await _count(world, asked) > before


async def confirmation_read(world: World, person: Person, place: Place) -> bool:
    """The chair's open request, at its first question."""
    return await _shows(world, person, f"cfo:{place.request}", place.setup.group.name)


async def confirmation_answer(world: World, person: Person, place: Place) -> bool:
    """The chair answers "held" (outcome 1)."""
    answered = select(func.count(ConfirmationRequest.id)).where(
        ConfirmationRequest.id == place.request, ConfirmationRequest.outcome.is_not(None)
    )
    await _press(world, person, f"cfa:{place.request}:1")
    return await _count(world, answered) > 0


async def announcement(world: World, person: Person, place: Place) -> bool:
    """/siaran to the groups she may reach, with a forged press adding the group (twice, so
    a group she may reach ends chosen as before); True when it went to this group."""
    group_id = place.setup.group.id
    await _press(world, person, "an")
    await _press(world, person, f"ant:{group_id}")
    await _press(world, person, f"ant:{group_id}")
    await _press(world, person, "ann")
    await person.says("Besok kerja bakti.")
    await world.bot.settle(timeout=SETTLE)
    await _press(world, person, "ans")
    async with world.db.begin() as session:
        sent = await session.scalars(select(Announcement.group_ids))
        return any(group_id in chosen.get("ids", []) for chosen in sent)


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
    ("meeting", "read"): meeting,
    ("meeting", "act"): meeting_cancel,
    ("rsvp", "read"): rsvps,
    ("rsvp", "act"): rsvp_answer,
    ("roll call", "read"): roll_call,
    ("roll call", "act"): roll_call_mark,
    ("check-in", "act"): check_in,
    ("confirmation", "act"): confirmation_ask,
    ("confirmation answer", "read"): confirmation_read,
    ("confirmation answer", "act"): confirmation_answer,
    ("announcement", "act"): announcement,
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
        # The Korwil of Jawa Barat covers Kabupaten Ciamis as she covers Kota Banjar; nobody
        # else here (the Korkab and the viewer are of Kota Banjar) sees or does anything there.
        opened = await probe(world, person, world.ciamis)
        if opened != (role == "korwil" and cell in OPEN[role]):
            wrong.append(("Ciamis", *cell, "opened" if opened else "refused"))
        opened = await probe(world, person, world.banjar)
        if opened != (cell in OPEN[role]):
            wrong.append(("Banjar", *cell, "opened" if opened else "refused"))
    assert wrong == []
