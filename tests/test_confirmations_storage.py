"""Confirmation requests: asking, answering step by step, reply matching, chase rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.confirmations import parse_count, parse_yes_no
from storage import attendance, confirmations
from storage.db import SessionFactory
from storage.errors import NotAllowed
from storage.models import Delivery, DeliveryStatus
from storage.models.attendance import ConfirmationRequest, ConfirmOutcome, ConfirmStep
from storage.reports import status_board
from tests.test_attendance_storage import add_meeting, build
from timekeeping.chasing import chase_plan, may_nudge
from timekeeping.clock import ManualClock
from timekeeping.months import month_of

DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20", 20),
        ("20 orang", 20),
        (" 7 ", 7),
        ("-3", -3),
        ("dua puluh", 20),
        ("dua puluh lima orang", 25),
        ("sebelas", 11),
        ("dua belas", 12),
        ("sepuluh", 10),
        ("seratus dua puluh", 120),
        ("nol", 0),
        ("banyak", None),
        ("dua tiga", None),
        ("20 atau 21", None),
        ("", None),
    ],
)
def test_counts_in_digits_and_words(text: str, value: int | None) -> None:
    assert parse_count(text) == value


def test_yes_no_and_chase_plan() -> None:
    assert parse_yes_no("Sudah") is True and parse_yes_no("belum.") is False
    assert parse_yes_no("mungkin") is None
    assert parse_yes_no("Sudah bu 🙏") is True and parse_yes_no("blm pak") is False
    assert parse_yes_no("sudah, belum") is None
    start = datetime(2026, 12, 1, tzinfo=UTC)
    plan = chase_plan(start, timedelta(hours=24), timedelta(hours=48))
    assert (plan.chase_at - start, plan.escalate_at - start) == (DAY, 2 * DAY)
    # An escalation set shorter than the chase still comes after it.
    assert chase_plan(
        start, timedelta(hours=5), timedelta(hours=2)
    ).escalate_at == start + timedelta(hours=5)
    assert may_nudge(None, start) and not may_nudge(start, start + timedelta(minutes=30))


async def _deliveries(db: SessionFactory) -> dict[str, tuple[str, DeliveryStatus]]:
    async with db.begin() as session:
        rows = await session.scalars(select(Delivery))
        return {d.key: (d.kind, d.status) for d in rows}


async def test_ask_enqueues_request_chase_and_escalation_once(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await build(db, clock)
    now = clock.now()
    lines = await confirmations.ask(db, w.facilitator, None, now, DAY, 2 * DAY)
    assert {(line.group_name, line.result) for line in lines} == {
        ("Mawar 1", "sent"),
        ("Melati", "no_meeting"),
    }
    queued = await _deliveries(db)
    assert sorted(kind for kind, _ in queued.values()) == [
        "confirm_chase",
        "confirm_escalation",
        "confirm_request",
    ]
    again = await confirmations.ask(db, w.facilitator, w.group_id, now, DAY, 2 * DAY)
    assert [line.result for line in again] == ["already_open"]
    assert len(await _deliveries(db)) == 3
    with pytest.raises(NotAllowed):
        await confirmations.ask(db, w.chair, w.group_id, now, DAY, 2 * DAY)


async def test_chair_answers_step_by_step(db: SessionFactory, clock: ManualClock) -> None:
    w = await build(db, clock)
    now = clock.now()
    await confirmations.ask(db, w.facilitator, w.group_id, now, DAY, 2 * DAY)
    (view,) = await confirmations.open_for_chair(db, w.chair)
    rid = view.id
    await attendance.mark_unmarked(
        db, w.chair, w.meeting_id, attendance.AttendanceStatus.HADIR, now
    )
    # Someone else (a member, another group's chair) cannot answer it.
    for intruder in (w.member, w.stranger, w.facilitator):
        with pytest.raises(NotAllowed):
            await confirmations.answer_outcome(db, intruder, rid, ConfirmOutcome.HELD, now)
    view = await confirmations.answer_outcome(db, w.chair, rid, ConfirmOutcome.HELD, now)
    assert view.step is ConfirmStep.COUNT and view.roll_call_hadir == 30
    with pytest.raises(confirmations.CountTooHigh):
        await confirmations.answer_count(db, w.chair, rid, 31, now)
    with pytest.raises(confirmations.CountNegative):
        await confirmations.answer_count(db, w.chair, rid, -1, now)
    with pytest.raises(confirmations.WrongStep):
        await confirmations.answer_info(db, w.chair, rid, True, now)
    view = await confirmations.answer_count(db, w.chair, rid, 28, now)
    view = await confirmations.answer_info(db, w.chair, rid, True, now)
    assert view.step is ConfirmStep.NOTES and not view.answered
    view = await confirmations.add_notes(db, w.chair, rid, "Hujan, dua orang telat", now)
    assert view.answered and view.attendees == 28 and view.info_passed is True
    assert view.notes == "Hujan, dua orang telat"
    queued = await _deliveries(db)
    assert queued[f"confirm:{rid}:chase"][1] is DeliveryStatus.SKIPPED
    assert queued[f"confirm:{rid}:escalate"][1] is DeliveryStatus.SKIPPED
    assert queued[f"confirm:{rid}:answered"] == ("confirm_answered", DeliveryStatus.PENDING)
    with pytest.raises(confirmations.AlreadyConfirmed):
        await confirmations.answer_outcome(db, w.chair, rid, ConfirmOutcome.NOT_HELD, now)
    late = await confirmations.late_note(db, w.chair, rid, "Lupa: Bu Ani sakit", now)
    assert late.notes == "Hujan, dua orang telat\n+ Lupa: Bu Ani sakit"


async def test_replies_find_their_request_among_several(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await build(db, clock)
    now = clock.now()
    second = await add_meeting(db, w.group_id, now - timedelta(minutes=5), session_number=2)
    await confirmations.ask(db, w.facilitator, w.group_id, now, DAY, 2 * DAY)
    first_view = (await confirmations.open_for_chair(db, w.chair))[0]
    # An earlier meeting of the month was asked about first: ask explicitly for it too.
    async with db.begin() as session:
        session.add(
            ConfirmationRequest(
                meeting_id=w.meeting_id if first_view.meeting.id == second else second,
                group_id=w.group_id,
                chair_person_id=w.chair.person_id,
                created_at=now,
            )
        )
    one, two = await confirmations.open_for_chair(db, w.chair)
    await confirmations.remember_message(db, one.id, 502, 11, "request")
    await confirmations.remember_message(db, two.id, 502, 12, "request")
    found = await confirmations.request_for_reply(db, w.chair, 502, 11)
    assert found is not None and found.id == one.id
    found = await confirmations.request_for_reply(db, w.chair, 502, 12)
    assert found is not None and found.id == two.id
    assert await confirmations.request_for_reply(db, w.chair, 502, 99) is None
    with pytest.raises(NotAllowed):
        await confirmations.request_for_reply(db, w.stranger, 502, 11)


async def test_nudges_and_board(db: SessionFactory, clock: ManualClock) -> None:
    w = await build(db, clock)
    now = clock.now()
    month = month_of(now, "Asia/Jakarta")
    board = await status_board.facilitator_board(
        db, w.facilitator, w.facilitator.person_id, month, now
    )
    assert [(line.group_name, line.confirmation) for line in board.lines] == [
        ("Mawar 1", "not_asked"),
        ("Melati", "not_asked"),
    ]
    await confirmations.ask(db, w.facilitator, None, now, DAY, 2 * DAY)
    # Just sent: a "chase now" within the hour is held back.
    assert await confirmations.nudge_open(
        db, w.facilitator, w.facilitator.person_id, month, now
    ) == (0, 1)
    later = now + timedelta(hours=2)
    assert await confirmations.nudge_open(
        db, w.facilitator, w.facilitator.person_id, month, later
    ) == (1, 0)
    assert any(key.endswith(":nudge:1") for key in await _deliveries(db))
    with pytest.raises(NotAllowed):
        await confirmations.nudge_open(db, w.chair, w.facilitator.person_id, month, later)
    await attendance.set_status(
        db, w.chair, w.meeting_id, w.member_ids[0], attendance.AttendanceStatus.HADIR, now
    )
    board = await status_board.facilitator_board(
        db, w.facilitator, w.facilitator.person_id, month, later
    )
    mawar = board.lines[0]
    assert (mawar.confirmation, mawar.hadir, mawar.roster) == ("open", 1, 30)
    with pytest.raises(NotAllowed):
        await status_board.facilitator_board(db, w.chair, w.facilitator.person_id, month, later)
