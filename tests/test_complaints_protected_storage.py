"""Protected complaints at the storage level: who gets a delivery, who may act, what is counted.

A complaint about cuts from the aid or about the facilitator or the chair is for the
coordinators only; these checks pin the rows behind what the end-to-end tests see."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from storage import complaints
from storage.db import SessionFactory
from storage.deliveries import DueDelivery
from storage.deliveries.send_outcome import Outcome, Verdict
from storage.errors import NotAllowed, UseCaseError
from storage.models import Delivery
from storage.models.complaints import ComplaintCategory, ComplaintStatus
from storage.operations.delivery_outcomes import record_failure
from tests.test_complaints_storage import SLA, World, climb_through, world
from timekeeping.clock import ManualClock
from timekeeping.rules import MAX_ATTEMPTS


async def file_protected(
    db: SessionFactory,
    w: World,
    clock: ManualClock,
    category: ComplaintCategory = ComplaintCategory.LEVY,
    escalate_to: tuple[int, ...] = (),
) -> int:
    filed = await complaints.submit(
        db,
        w.member,
        group_id=w.group_id,
        category=category,
        text="Bantuan saya dipotong Rp50.000",
        attachments=[],
        discuss_anonymously=True,  # asked for, but never a meeting topic
        now=clock.now(),
        sla=SLA,
        escalate_to=escalate_to,
    )
    return filed.ticket.id


async def deliveries(db: SessionFactory) -> list[tuple[str, int, str]]:
    """Every message about a complaint (joins and plans queue others; the climb's steps
    send nothing)."""
    async with db.begin() as session:
        rows = await session.execute(
            select(Delivery.kind, Delivery.chat_id, Delivery.key)
            .where(Delivery.key.startswith("complaint:"), Delivery.kind != complaints.CLIMB_KIND)
            .order_by(Delivery.id)
        )
        return [(kind, chat, key) for kind, chat, key in rows.tuples()]


@pytest.mark.parametrize("category", [ComplaintCategory.LEVY, ComplaintCategory.ABOUT_STAFF])
async def test_only_coordinators_hear_of_it_and_only_they_may_act(
    db: SessionFactory, clock: ManualClock, category: ComplaintCategory
) -> None:
    w = await world(db, clock)
    complaint_id = await file_protected(db, w, clock, category)
    await climb_through(db, clock.now())
    rows = await deliveries(db)
    assert [(kind, chat) for kind, chat, _ in rows] == [
        (complaints.PROTECTED_KIND, 102),  # the coordinator, at once
        (complaints.ESCALATION_KIND, 102),  # and again at the SLA: nobody above is configured
    ]
    assert all(chat != 100 for _, chat, _ in rows)  # never the facilitator (telegram id 100)

    for actor in (w.facilitator, w.chair, w.neighbour, w.other_facilitator):
        with pytest.raises(NotAllowed):
            await complaints.ticket(db, actor, complaint_id)
    with pytest.raises(NotAllowed):
        await complaints.reply(db, w.facilitator, complaint_id, "Itu fitnah", clock.now())
    assert (await complaints.queue(db, w.facilitator)).total == 0
    assert await complaints.meeting_topics(db, w.facilitator, w.group_id) == []
    seen = await complaints.ticket(db, w.coordinator, complaint_id)
    assert seen.protected and not seen.discuss_anonymously
    assert (await complaints.queue(db, w.coordinator)).total == 1
    with pytest.raises(UseCaseError):
        await complaints.forward(db, w.coordinator, complaint_id, clock.now())

    # The member's own steps go to the coordinators, never to the facilitator.
    await complaints.add_more(db, w.member, complaint_id, clock.now(), text="Sudah tiga kali")
    more = [(kind, chat) for kind, chat, _ in await deliveries(db) if kind == complaints.MORE_KIND]
    assert more == [(complaints.MORE_KIND, 102)]


async def test_the_sla_escalation_goes_above_the_coordinators_when_configured(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    await file_protected(db, w, clock, escalate_to=(900, 901, 900))
    await climb_through(db, clock.now(), above=(900, 901, 900))
    rows = await deliveries(db)
    escalations = [chat for kind, chat, _ in rows if kind == complaints.ESCALATION_KIND]
    assert escalations == [900, 901]  # each once, not the coordinators again


async def test_handover_and_counts_leave_it_with_the_coordinators(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    await file_protected(db, w, clock)
    counts = {name: n for _, name, n in await complaints.open_counts(db, w.coordinator)}
    assert counts["Bu Rina"] == 0
    moved = await complaints.hand_over(
        db, w.coordinator, w.facilitator.person_id, w.other_facilitator.person_id, clock.now()
    )
    assert moved == 0
    assert (await complaints.queue(db, w.other_facilitator)).total == 0
    assert (await complaints.queue(db, w.coordinator, (ComplaintStatus.NEW,))).total == 1


async def test_a_failed_send_about_it_is_not_told_to_the_facilitator(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    complaint_id = await file_protected(db, w, clock)
    async with db.begin() as session:
        row = await session.scalar(
            select(Delivery).where(Delivery.kind == complaints.PROTECTED_KIND)
        )
        assert row is not None
        due = DueDelivery.of(row)
    gave_up = replace(due, attempts=MAX_ATTEMPTS - 1)
    await record_failure(db, gave_up, Outcome(Verdict.RETRY, "timeout"), clock.now())
    async with db.begin() as session:
        notices = await session.scalar(
            select(func.count(Delivery.id)).where(Delivery.key.startswith("notice:delivery"))
        )
    assert notices == 0
    # An ordinary complaint's failed send still reaches the facilitator.
    ordinary = (
        await complaints.submit(
            db,
            w.member,
            group_id=w.group_id,
            category=ComplaintCategory.CARD,
            text="Kartu tertelan",
            attachments=[],
            discuss_anonymously=False,
            now=clock.now(),
            sla=SLA,
        )
    ).ticket
    async with db.begin() as session:
        row = await session.scalar(
            select(Delivery).where(Delivery.key == f"complaint:{ordinary.id}:new")
        )
        assert row is not None
        due = replace(DueDelivery.of(row), attempts=MAX_ATTEMPTS - 1, chat_id=999)
    await record_failure(db, due, Outcome(Verdict.RETRY, "timeout"), clock.now())
    async with db.begin() as session:
        notices = await session.scalar(
            select(func.count(Delivery.id)).where(Delivery.key.startswith("notice:delivery"))
        )
    assert notices == 1 and complaint_id != ordinary.id
