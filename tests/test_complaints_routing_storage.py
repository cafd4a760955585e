"""The complaint routing rule at the storage level, on both databases: who is told at once,
who after the SLA, the climb past a level nobody can be reached at, never the pendamping for
a protected complaint, the truthful answer when nobody is reachable, a forward, and a
coordinator who leaves her area."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from storage import complaints, people
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import Delivery, Group, Person, StaffRole
from storage.models.complaints import ComplaintCategory, ComplaintEvent
from tests.blocking import blocked_the_bot
from tests.test_complaints_storage import SLA, World, climb_through, person, world
from timekeeping.clock import ManualClock

SLICE = Path(__file__).parent / "data" / "wilayah_slice.csv"
BANJAR_DESA = "32.79.01.1002"
FACILITATOR, WHOLE = 100, 102  # tests.test_complaints_storage.world
KORKAB_BANJAR, KORKAB_CIAMIS, KORWIL_JABAR = 300, 301, 302


async def placed(db: SessionFactory, clock: ManualClock, without: tuple[int, ...] = ()) -> World:
    """The world's group placed in Kota Banjar, with a Korkab of Kota Banjar, one of
    Kabupaten Ciamis and a Korwil of Jawa Barat (less those `without`); the world's
    coordinator covers the whole deployment."""
    await import_areas(db, read_rows(SLICE.read_bytes()))
    w = await world(db, clock)
    async with db.begin() as session:
        await session.execute(
            update(Group).where(Group.id == w.group_id).values(area_code=BANJAR_DESA)
        )
    for telegram_id, name, area in (
        (KORKAB_BANJAR, "Bu Korkab Banjar", "32.79"),
        (KORKAB_CIAMIS, "Pak Korkab Ciamis", "32.07"),
        (KORWIL_JABAR, "Bu Korwil Jabar", "32"),
    ):
        if telegram_id in without:
            continue
        await people.add_staff(db, telegram_id, name, StaffRole.COORDINATOR, area)
        await person(db, telegram_id, name)  # she has opened the bot
    return w


async def file(
    db: SessionFactory,
    w: World,
    clock: ManualClock,
    category: ComplaintCategory,
    above: tuple[int, ...] = (),
) -> complaints.Filed:
    return await complaints.submit(
        db,
        w.member,
        group_id=w.group_id,
        category=category,
        text="Bantuan saya dipotong",
        attachments=[],
        discuss_anonymously=False,
        now=clock.now(),
        sla=SLA,
        escalate_to=above,
    )


async def rows(db: SessionFactory, complaint_id: int) -> list[tuple[str, int, datetime]]:
    """(kind, chat, due) of every message about the complaint, in order (not the climb's
    steps, which send nothing: see `steps`)."""
    async with db.begin() as session:
        found = await session.execute(
            select(Delivery.kind, Delivery.chat_id, Delivery.due_at)
            .where(
                Delivery.key.startswith(f"complaint:{complaint_id}:"),
                Delivery.kind != complaints.CLIMB_KIND,
            )
            .order_by(Delivery.due_at, Delivery.chat_id)
        )
        return [(kind, chat, due.replace(tzinfo=None)) for kind, chat, due in found.tuples()]


async def steps(db: SessionFactory, complaint_id: int) -> list[tuple[int, datetime, str | None]]:
    """(step, due, what it did) of the complaint's climb steps, in order."""
    async with db.begin() as session:
        found = await session.execute(
            select(Delivery.payload, Delivery.due_at, Delivery.reason)
            .where(
                Delivery.key.startswith(f"complaint:{complaint_id}:"),
                Delivery.kind == complaints.CLIMB_KIND,
            )
            .order_by(Delivery.due_at)
        )
        return [
            (payload["step"], due.replace(tzinfo=None), reason)
            for payload, due, reason in found.tuples()
        ]


async def actions(db: SessionFactory, complaint_id: int) -> list[str]:
    async with db.begin() as session:
        return list(
            await session.scalars(
                select(ComplaintEvent.action)
                .where(ComplaintEvent.complaint_id == complaint_id)
                .order_by(ComplaintEvent.id)
            )
        )


def at(clock: ManualClock, steps: int = 0) -> datetime:
    return (clock.now() + SLA * steps).replace(tzinfo=None)


async def test_an_ordinary_complaint_climbs_pendamping_korkab_korwil_whole(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await placed(db, clock)
    filed = await file(db, w, clock, ComplaintCategory.AID)
    route = filed.route
    assert route is not None
    assert [r.level for r in route.levels] == [
        complaints.Level.PENDAMPING,
        complaints.Level.KORKAB,
        complaints.Level.KORWIL,
        complaints.Level.WHOLE,
    ]
    assert route.levels[1].names == ("Kota Banjar",) and route.levels[2].names == ("Jawa Barat",)
    # At the filing: the pendamping now, and the climb's first step one SLA later.
    assert await rows(db, filed.ticket.id) == [(complaints.NEW_KIND, FACILITATOR, at(clock))]
    assert await steps(db, filed.ticket.id) == [(1, at(clock, 1), None)]
    await climb_through(db, clock.now())
    assert await steps(db, filed.ticket.id) == [
        (1, at(clock, 1), "climb: told korkab"),
        (2, at(clock, 2), "climb: told korwil"),
        (3, at(clock, 3), "climb: told whole"),
        (4, at(clock, 4), "climb: nobody above"),
    ]
    assert await rows(db, filed.ticket.id) == [
        (complaints.NEW_KIND, FACILITATOR, at(clock)),
        (complaints.ESCALATION_KIND, KORKAB_BANJAR, at(clock, 1)),
        (complaints.ESCALATION_KIND, KORWIL_JABAR, at(clock, 2)),
        (complaints.ESCALATION_KIND, WHOLE, at(clock, 3)),
    ]  # never the Korkab of Ciamis
    # What the member reads before sending is the same rule: readers_of gives this route.
    before = await complaints.readers_of(db, w.member, w.group_id, ComplaintCategory.AID)
    assert before == route


@pytest.mark.parametrize("category", [ComplaintCategory.LEVY, ComplaintCategory.ABOUT_STAFF])
async def test_a_protected_complaint_goes_to_the_korkab_at_once_never_the_pendamping(
    db: SessionFactory, clock: ManualClock, category: ComplaintCategory
) -> None:
    w = await placed(db, clock)
    filed = await file(db, w, clock, category, above=(777,))
    assert filed.handler_told
    await climb_through(db, clock.now(), above=(777,))
    assert [step for step, _, _ in await steps(db, filed.ticket.id)] == [1, 2, 3]  # no 4th
    found = await rows(db, filed.ticket.id)
    assert found == [
        (complaints.PROTECTED_KIND, KORKAB_BANJAR, at(clock)),
        (complaints.ESCALATION_KIND, KORWIL_JABAR, at(clock, 1)),
        (complaints.ESCALATION_KIND, WHOLE, at(clock, 2)),
        (complaints.ESCALATION_KIND, 777, at(clock, 3)),  # the level above the top area
    ]
    assert FACILITATOR not in {chat for _, chat, _ in found}
    # Not even when every coordinator is out of reach: it never falls back to her.
    for telegram_id in (KORKAB_BANJAR, KORWIL_JABAR, WHOLE):
        await blocked_the_bot(db, telegram_id)
    again = await file(db, w, clock, category)
    assert not again.handler_told and await rows(db, again.ticket.id) == []


async def test_a_level_nobody_can_be_reached_at_is_climbed_at_once(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await placed(db, clock)
    await blocked_the_bot(db, KORKAB_BANJAR)
    levy = await file(db, w, clock, ComplaintCategory.LEVY)
    await climb_through(db, clock.now())
    assert await rows(db, levy.ticket.id) == [
        (complaints.PROTECTED_KIND, KORWIL_JABAR, at(clock)),
        (complaints.ESCALATION_KIND, WHOLE, at(clock, 1)),
    ]
    assert "climbed" in await actions(db, levy.ticket.id)

    await blocked_the_bot(db, FACILITATOR)
    async with db.begin() as session:  # and the Korwil is no longer active
        await session.execute(
            update(Person).where(Person.telegram_user_id == KORWIL_JABAR).values(active=False)
        )
    aid = await file(db, w, clock, ComplaintCategory.AID)
    await climb_through(db, clock.now())
    assert await rows(db, aid.ticket.id) == [
        (complaints.ESCALATION_KIND, WHOLE, at(clock)),
        (complaints.ESCALATION_KIND, WHOLE, at(clock, 1)),  # reminded: nobody above her
    ]
    assert await steps(db, aid.ticket.id) == [(1, at(clock, 1), "climb: reminded whole")]
    async with db.begin() as session:
        payload = await session.scalar(
            select(Delivery.payload).where(
                Delivery.key.startswith(f"complaint:{aid.ticket.id}:climbed:")
            )
        )
    assert payload is not None and payload["climbed"] is True  # "came straight to you"
    assert aid.route is not None and [r.level for r in aid.route.levels] == [complaints.Level.WHOLE]


async def test_a_korkab_added_after_the_filing_is_told_when_the_climb_reaches_her_level(
    db: SessionFactory, clock: ManualClock
) -> None:
    """Who a step tells is decided when it is due: Kota Banjar had no Korkab at the filing,
    the one added a day later is told at the first step, the Korwil one SLA later."""
    w = await placed(db, clock, without=(KORKAB_BANJAR,))
    filed = await file(db, w, clock, ComplaintCategory.AID)
    assert filed.route is not None
    assert [r.level for r in filed.route.levels] == [
        complaints.Level.PENDAMPING,
        complaints.Level.KORWIL,
        complaints.Level.WHOLE,
    ]
    await people.add_staff(db, KORKAB_BANJAR, "Bu Korkab Banjar", StaffRole.COORDINATOR, "32.79")
    await person(db, KORKAB_BANJAR, "Bu Korkab Banjar")

    assert await climb_through(db, clock.now()) == [
        "told korkab",
        "told korwil",
        "told whole",
        "nobody above",
    ]
    assert await rows(db, filed.ticket.id) == [
        (complaints.NEW_KIND, FACILITATOR, at(clock)),
        (complaints.ESCALATION_KIND, KORKAB_BANJAR, at(clock, 1)),
        (complaints.ESCALATION_KIND, KORWIL_JABAR, at(clock, 2)),
        (complaints.ESCALATION_KIND, WHOLE, at(clock, 3)),
    ]
    async with db.begin() as session:
        payload = await session.scalar(
            select(Delivery.payload).where(
                Delivery.key.like(f"complaint:{filed.ticket.id}:escalate:korkab:%")
            )
        )
    # The same key and payload as a step planned at the filing: the composer's words hold.
    assert payload == {"complaint_id": filed.ticket.id, "level": "korkab"}


async def test_a_climb_step_run_twice_queues_nothing_twice(
    db: SessionFactory, clock: ManualClock
) -> None:
    """A crash after a step's transaction and before its row was marked: the dispatcher runs
    it again, and nobody is told twice."""
    w = await placed(db, clock)
    filed = await file(db, w, clock, ComplaintCategory.AID)
    later = clock.now() + SLA
    for _ in range(2):
        await complaints.climb_step(
            db, filed.ticket.id, complaints.Level.PENDAMPING, 1, later, SLA, ()
        )
    again = await complaints.climb_step(
        db, filed.ticket.id, complaints.Level.PENDAMPING, 1, later, SLA, ()
    )
    assert again == "done already"
    assert await rows(db, filed.ticket.id) == [
        (complaints.NEW_KIND, FACILITATOR, at(clock)),
        (complaints.ESCALATION_KIND, KORKAB_BANJAR, at(clock, 1)),
    ]
    assert [(step, due) for step, due, _ in await steps(db, filed.ticket.id)] == [
        (1, at(clock, 1)),
        (2, at(clock, 2)),
    ]


async def test_nobody_reachable_is_said_and_kept_in_the_history(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)  # no areas: the deployment's one coordinator
    for telegram_id in (FACILITATOR, WHOLE):
        await blocked_the_bot(db, telegram_id)
    filed = await file(db, w, clock, ComplaintCategory.CARD)
    assert not filed.handler_told and filed.route == complaints.Route()
    assert await rows(db, filed.ticket.id) == []
    assert await actions(db, filed.ticket.id) == ["filed", "unreached"]
    # The level above the top area counts when configured.
    above = await file(db, w, clock, ComplaintCategory.CARD, above=(777,))
    assert above.handler_told
    assert await rows(db, above.ticket.id) == [(complaints.ESCALATION_KIND, 777, at(clock))]
    assert await steps(db, above.ticket.id) == []  # nothing is above the level above


async def test_a_forward_goes_to_the_nearest_level_above_that_can_be_reached(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await placed(db, clock)
    filed = await file(db, w, clock, ComplaintCategory.AID)
    await blocked_the_bot(db, KORKAB_BANJAR)
    await complaints.forward(db, w.facilitator, filed.ticket.id, clock.now())
    async with db.begin() as session:
        forwarded = list(
            await session.scalars(
                select(Delivery.chat_id).where(
                    Delivery.key.startswith(f"complaint:{filed.ticket.id}:forward:")
                )
            )
        )
    assert forwarded == [KORWIL_JABAR]

    for telegram_id in (KORWIL_JABAR, WHOLE):
        await blocked_the_bot(db, telegram_id)
    second = await file(db, w, clock, ComplaintCategory.AID)
    with pytest.raises(complaints.NobodyAbove):
        await complaints.forward(db, w.facilitator, second.ticket.id, clock.now())
    assert "forwarded" not in await actions(db, second.ticket.id)  # nothing changed


async def test_a_korkab_removed_leaves_her_complaints_to_the_level_above_and_tells_it(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await placed(db, clock)
    levy = await file(db, w, clock, ComplaintCategory.LEVY)
    named = await people.remove_staff(db, KORKAB_BANJAR, "32.79", now=clock.now())
    assert named == 1
    async with db.begin() as session:
        notices = (
            await session.execute(
                select(Delivery.chat_id, Delivery.payload).where(
                    Delivery.key.startswith("complaints:coordinator_left:")
                )
            )
        ).all()
    assert [chat for chat, _ in notices] == [KORWIL_JABAR]
    assert notices[0][1]["params"]["numbers"] == levy.ticket.number
    assert notices[0][1]["params"]["areas"] == "Kota Banjar"
    assert "coordinator_left" in await actions(db, levy.ticket.id)
    # Nothing moved: the Korwil opens it in her queue; the Korkab no longer does.
    korwil = await person(db, KORWIL_JABAR, "Bu Korwil Jabar")
    queue = await complaints.queue(db, korwil)
    assert [t.number for t in queue.tickets] == [levy.ticket.number]
    with pytest.raises(people.AreaRefused):  # she no longer covers it: said, not ignored
        await people.remove_staff(db, KORKAB_BANJAR, "32.79", now=clock.now())
