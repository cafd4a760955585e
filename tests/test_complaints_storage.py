"""Complaint tickets at the storage level: lifecycle, permissions, escalation rows, handover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from storage import complaints, groups, people, roster
from storage.actors import Actor, TelegramUser
from storage.complaints import Attachment
from storage.db import SessionFactory
from storage.deliveries import DueDelivery
from storage.errors import EmptyText, NotAllowed, TooLong, UseCaseError
from storage.models import Delivery, DeliveryStatus, InviteKind, StaffRole
from storage.models.complaints import AttachmentKind, ComplaintCategory, ComplaintStatus
from storage.operations.delivery_outcomes import record_skip
from tests.joins import join_added
from timekeeping.clock import ManualClock

TTL = timedelta(days=14)
SLA = timedelta(days=3)


async def person(db: SessionFactory, telegram_id: int, name: str) -> Actor:
    actor, _ = await people.identify(
        db, TelegramUser(telegram_id, name, "id"), (), "id", private_chat=True
    )
    return actor


async def staff(db: SessionFactory, telegram_id: int, name: str, role: StaffRole) -> Actor:
    await people.add_staff(db, telegram_id, name, role)
    return await person(db, telegram_id, name)


@dataclass
class World:
    facilitator: Actor
    other_facilitator: Actor
    coordinator: Actor
    member: Actor
    chair: Actor
    neighbour: Actor
    group_id: int
    other_group_id: int


async def world(db: SessionFactory, clock: ManualClock) -> World:
    facilitator = await staff(db, 100, "Bu Rina", StaffRole.FACILITATOR)
    other = await staff(db, 101, "Pak Budi", StaffRole.FACILITATOR)
    coordinator = await staff(db, 102, "Pak Koor", StaffRole.COORDINATOR)
    links = await groups.create_group(
        db,
        facilitator,
        name="Mawar 1",
        village=None,
        venue=None,
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=TTL,
    )
    other_links = await groups.create_group(
        db,
        other,
        name="Melati",
        village=None,
        venue=None,
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=TTL,
    )
    member_token = links.tokens[InviteKind.MEMBER]
    member = await person(db, 201, "Siti")
    now = clock.now()
    await join_added(db, member, member_token, "Siti Aminah", facilitator, now)
    chair = await person(db, 202, "Dewi")
    await join_added(db, chair, links.tokens[InviteKind.CHAIR], "Dewi Lestari", facilitator, now)
    neighbour = await person(db, 203, "Nur")
    await join_added(db, neighbour, member_token, "Nur", facilitator, now)
    await person(db, 204, "Lain")
    lain = await person(db, 204, "Lain")
    await join_added(db, lain, other_links.tokens[InviteKind.MEMBER], "Lain", other, now)
    return World(
        facilitator=(await people.reload_actor(db, facilitator))[0],
        other_facilitator=other,
        coordinator=coordinator,
        member=(await people.reload_actor(db, member))[0],
        chair=(await people.reload_actor(db, chair))[0],
        neighbour=(await people.reload_actor(db, neighbour))[0],
        group_id=links.group.id,
        other_group_id=other_links.group.id,
    )


async def file(
    db: SessionFactory, w: World, clock: ManualClock, text: str = "Bantuan belum cair"
) -> int:
    filed = await complaints.submit(
        db,
        w.member,
        group_id=w.group_id,
        category=ComplaintCategory.AID,
        text=text,
        attachments=[Attachment(AttachmentKind.PHOTO, "photo-1")],
        discuss_anonymously=True,
        now=clock.now(),
        sla=SLA,
    )
    return filed.ticket.id


async def climbed(db: SessionFactory, now: datetime, above: tuple[int, ...] = ()) -> list[str]:
    """Run the climb steps due at `now` as the dispatcher does (the complaint_climb composer:
    climb_step, then the row is recorded as skipped with what it did); what each did."""
    async with db.begin() as session:
        due = [
            DueDelivery.of(row)
            for row in await session.scalars(
                select(Delivery)
                .where(
                    Delivery.kind == complaints.CLIMB_KIND,
                    Delivery.status == DeliveryStatus.PENDING,
                    Delivery.due_at <= now,
                )
                .order_by(Delivery.id)
            )
        ]
    done = []
    for delivery in due:
        told = complaints.Level.named(delivery.payload["told"])
        assert told is not None
        step = await complaints.climb_step(
            db,
            delivery.payload["complaint_id"],
            told,
            delivery.payload["step"],
            now,
            SLA,
            above,
        )
        await record_skip(db, delivery, f"climb: {step}")
        done.append(step)
    return done


async def climb_through(
    db: SessionFactory, filed_at: datetime, above: tuple[int, ...] = (), steps: int = 5
) -> list[str]:
    """Every step of the climbs, one SLA after another from the filing, unanswered."""
    done = []
    for step in range(1, steps + 1):
        done += await climbed(db, filed_at + SLA * step, above)
    return done


async def deliveries_of(db: SessionFactory, kind: str) -> list[Delivery]:
    async with db.begin() as session:
        return list(
            await session.scalars(
                select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id)
            )
        )


async def test_lifecycle_from_filing_to_closing(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    complaint_id = await file(db, w, clock, "Bantuan <b>belum</b> cair & kartu hilang")

    ticket = await complaints.ticket(db, w.member, complaint_id)
    assert ticket.number == f"K-{complaint_id:04d}"
    assert ticket.status is ComplaintStatus.NEW
    assert ticket.member_text == "Bantuan <b>belum</b> cair & kartu hilang"
    assert [f.kind for f in ticket.files] == [AttachmentKind.PHOTO]
    assert ticket.facilitator_id == w.facilitator.person_id

    (new,) = await deliveries_of(db, complaints.NEW_KIND)
    assert new.chat_id == 100 and new.due_at == clock.now()
    # The climb's first step, one SLA later: who it tells is decided then.
    (climb,) = await deliveries_of(db, complaints.CLIMB_KIND)
    assert climb.chat_id == 0 and climb.due_at == clock.now() + SLA
    assert climb.payload == {"complaint_id": complaint_id, "told": "pendamping", "step": 1}
    filed_at = clock.now()

    clock.advance(timedelta(hours=1))
    await complaints.reply(db, w.facilitator, complaint_id, "Saya cek ke bank", clock.now())
    await complaints.set_status(
        db, w.facilitator, complaint_id, ComplaintStatus.RESOLVED, clock.now()
    )
    updates = await deliveries_of(db, complaints.UPDATE_KIND)
    assert [d.chat_id for d in updates] == [201, 201]
    # Answered in time: the climb stops there, nobody above is told.
    assert await climb_through(db, filed_at) == ["acknowledged in time"]
    assert await deliveries_of(db, complaints.ESCALATION_KIND) == []

    ticket = await complaints.ticket(db, w.facilitator, complaint_id)
    assert ticket.acknowledged_at == clock.now()
    assert [e.action for e in ticket.events] == ["filed", "reply", "status"]
    assert ticket.events[1].actor_name == "Bu Rina"
    assert ticket.events[1].message_text == "Saya cek ke bank"

    # Not solved: reopened; then resolved again and closed by the member.
    reopened = await complaints.member_verdict(db, w.member, complaint_id, False, clock.now())
    assert reopened.status is ComplaintStatus.IN_PROGRESS
    await complaints.add_more(db, w.member, complaint_id, clock.now(), text="Masih belum")
    await complaints.set_status(
        db, w.facilitator, complaint_id, ComplaintStatus.RESOLVED, clock.now()
    )
    closed = await complaints.member_verdict(db, w.member, complaint_id, True, clock.now())
    assert closed.status is ComplaintStatus.CLOSED
    with pytest.raises(complaints.AlreadyClosed) as refused:
        await complaints.reply(db, w.facilitator, complaint_id, "lagi", clock.now())
    assert refused.value.number == closed.number
    with pytest.raises(UseCaseError):
        await complaints.add_more(db, w.member, complaint_id, clock.now(), text="lagi")
    assert [d.chat_id for d in await deliveries_of(db, complaints.MORE_KIND)] == [100, 100, 100]


async def test_only_member_facilitator_and_coordinators_see_a_ticket(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    complaint_id = await file(db, w, clock)
    assert (await complaints.ticket(db, w.coordinator, complaint_id)).id == complaint_id
    for outsider in (w.chair, w.neighbour, w.other_facilitator):
        with pytest.raises(complaints.NotYours):
            await complaints.ticket(db, outsider, complaint_id)
    # A ticket that does not exist reads the same as someone else's.
    with pytest.raises(complaints.NotYours):
        await complaints.ticket(db, w.member, complaint_id + 999)

    # A facilitator of another group cannot answer, change or forward it.
    with pytest.raises(NotAllowed):
        await complaints.reply(db, w.other_facilitator, complaint_id, "hai", clock.now())
    with pytest.raises(NotAllowed):
        await complaints.set_status(
            db, w.other_facilitator, complaint_id, ComplaintStatus.RESOLVED, clock.now()
        )
    with pytest.raises(NotAllowed):
        await complaints.forward(db, w.other_facilitator, complaint_id, clock.now())
    # A member cannot act as staff, nor add to another member's ticket.
    with pytest.raises(NotAllowed):
        await complaints.reply(db, w.member, complaint_id, "hai", clock.now())
    with pytest.raises(NotAllowed):
        await complaints.add_more(db, w.neighbour, complaint_id, clock.now(), text="hai")
    with pytest.raises(NotAllowed):
        await complaints.member_verdict(db, w.neighbour, complaint_id, True, clock.now())

    assert [t.id for t in (await complaints.queue(db, w.facilitator)).tickets] == [complaint_id]
    assert (await complaints.queue(db, w.other_facilitator)).total == 0
    assert (await complaints.queue(db, w.coordinator)).total == 1
    with pytest.raises(NotAllowed):
        await complaints.queue(db, w.chair)
    assert [t.id for t in await complaints.my_tickets(db, w.member)] == [complaint_id]
    assert await complaints.my_tickets(db, w.neighbour) == ()


async def test_queue_is_oldest_first_and_filters_by_status(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    first = await file(db, w, clock, "satu")
    clock.advance(timedelta(minutes=5))
    second = await file(db, w, clock, "dua")
    await complaints.set_status(db, w.facilitator, second, ComplaintStatus.IN_PROGRESS, clock.now())
    everything = await complaints.queue(db, w.facilitator)
    assert [t.id for t in everything.tickets] == [first, second]
    working = await complaints.queue(db, w.facilitator, (ComplaintStatus.IN_PROGRESS,))
    assert [t.id for t in working.tickets] == [second]
    paged = await complaints.queue(db, w.facilitator, page=1, size=1)
    assert [t.id for t in paged.tickets] == [second] and paged.total == 2


async def test_rejecting_needs_a_reason_and_the_member_may_reopen(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    complaint_id = await file(db, w, clock)
    with pytest.raises(EmptyText):
        await complaints.set_status(
            db, w.facilitator, complaint_id, ComplaintStatus.REJECTED, clock.now(), reason="  "
        )
    rejected = await complaints.set_status(
        db,
        w.facilitator,
        complaint_id,
        ComplaintStatus.REJECTED,
        clock.now(),
        reason="Bukan wilayah PKH",
    )
    assert rejected.reject_reason == "Bukan wilayah PKH"
    with pytest.raises(UseCaseError):
        await complaints.member_verdict(db, w.member, complaint_id, True, clock.now())
    reopened = await complaints.member_verdict(db, w.member, complaint_id, False, clock.now())
    assert reopened.status is ComplaintStatus.IN_PROGRESS


async def test_a_member_who_left_cannot_file_but_keeps_their_tickets(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    complaint_id = await file(db, w, clock)
    _, members = await roster.list_members(db, w.facilitator, w.group_id)
    siti = next(m for m in members if m.name == "Siti Aminah")
    await roster.set_member_active(db, w.facilitator, siti.id, False)
    with pytest.raises(complaints.NotInGroup):
        await file(db, w, clock)
    # Filing for a group one never belonged to is refused the same way.
    with pytest.raises(UseCaseError):
        await complaints.submit(
            db,
            w.neighbour,
            group_id=w.other_group_id,
            category=ComplaintCategory.OTHER,
            text="x",
            attachments=[],
            discuss_anonymously=False,
            now=clock.now(),
            sla=SLA,
        )
    assert (await complaints.ticket(db, w.member, complaint_id)).id == complaint_id
    await complaints.reply(db, w.facilitator, complaint_id, "Tetap saya urus", clock.now())


async def test_meeting_topics_show_no_names(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    await file(db, w, clock, "Kartu KKS tertelan ATM")
    await complaints.submit(
        db,
        w.neighbour,
        group_id=w.group_id,
        category=ComplaintCategory.HEALTH,
        text="Puskesmas menolak",
        attachments=[],
        discuss_anonymously=False,
        now=clock.now(),
        sla=SLA,
    )
    topics = await complaints.meeting_topics(db, w.facilitator, w.group_id)
    # The kind of problem and the ticket, never the member's words to read out.
    assert [(topic.number, topic.category) for topic in topics] == [
        ("K-0001", ComplaintCategory.AID)
    ]
    assert "Kartu KKS" not in repr(topics)
    with pytest.raises(NotAllowed):
        await complaints.meeting_topics(db, w.chair, w.group_id)
    with pytest.raises(NotAllowed):
        await complaints.meeting_topics(db, w.other_facilitator, w.group_id)


async def test_handover_moves_open_tickets_to_another_facilitator(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    open_id = await file(db, w, clock)
    closed_id = await file(db, w, clock)
    await complaints.set_status(db, w.facilitator, closed_id, ComplaintStatus.RESOLVED, clock.now())
    await complaints.member_verdict(db, w.member, closed_id, True, clock.now())
    with pytest.raises(NotAllowed):
        await complaints.hand_over(
            db, w.facilitator, w.facilitator.person_id, w.other_facilitator.person_id, clock.now()
        )
    moved = await complaints.hand_over(
        db, w.coordinator, w.facilitator.person_id, w.other_facilitator.person_id, clock.now()
    )
    assert moved == 1
    ticket = await complaints.ticket(db, w.other_facilitator, open_id)
    assert ticket.facilitator_id == w.other_facilitator.person_id
    assert ticket.events[-1].action == "handed_over"
    await complaints.reply(db, w.other_facilitator, open_id, "Saya yang urus", clock.now())
    (notice,) = [
        row
        for row in await deliveries_of(db, "notice")
        if (row.payload or {}).get("text") == "complaints.handed_over_notice"
    ]
    assert notice.chat_id == 101
    with pytest.raises(UseCaseError):
        await complaints.hand_over(
            db, w.coordinator, w.facilitator.person_id, w.member.person_id, clock.now()
        )


async def test_text_limits_are_explained(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    with pytest.raises(EmptyText):
        await file(db, w, clock, "   ")
    with pytest.raises(TooLong) as long:
        await file(db, w, clock, "x" * (complaints.MAX_TEXT + 1))
    assert long.value.limit == complaints.MAX_TEXT
