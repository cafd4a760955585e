"""A reminder's words are said from the moment it was composed, kept in its delivery row."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from storage import deliveries, meetings
from storage.db import SessionFactory
from storage.meetings.rsvp import WORDED_AT, WORDED_IN, worded_at
from storage.models import Delivery
from tests.test_meetings_storage import GROUP_CHAT, at, schedule, world
from timekeeping.clock import ManualClock

DUE = datetime(2026, 12, 12, 0, 0, tzinfo=UTC)


def test_worded_at_prefers_the_recorded_moment_then_the_send_then_the_due_time() -> None:
    composed = DUE + timedelta(seconds=40)
    sent = DUE + timedelta(seconds=43)
    assert worded_at({WORDED_AT: composed.isoformat()}, sent, DUE) == composed
    assert worded_at({"revision": 1}, sent, DUE) == sent
    assert worded_at(None, None, DUE) == DUE


async def _reminder(db: SessionFactory, meeting_id: int, chat_id: int) -> Delivery:
    async with db.begin() as session:
        row = await session.scalar(
            select(Delivery).where(
                Delivery.meeting_id == meeting_id,
                Delivery.kind == "reminder",
                Delivery.chat_id == chat_id,
            )
        )
    assert row is not None
    return row


async def test_count_edits_and_private_redraws_use_the_moment_it_was_worded(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    composed = clock.now() + timedelta(seconds=40)
    sent = composed + timedelta(seconds=9)  # the send waited its turn after composing
    for chat_id, message_id in ((GROUP_CHAT, 555), (201, 77)):
        row = await _reminder(db, mid, chat_id)
        payload = {**(row.payload or {}), WORDED_AT: composed.isoformat(), WORDED_IN: "en"}
        async with db.begin() as session:
            await deliveries.mark_sent(session, row.id, message_id, sent, payload=payload)
        kept = await _reminder(db, mid, chat_id)
        assert kept.payload is not None and kept.payload["revision"] == payload["revision"]

    await meetings.record_rsvp(db, w.members[0], mid, True, sent, GROUP_CHAT, 555)
    async with db.begin() as session:
        (refresh,) = await session.scalars(select(Delivery).where(Delivery.kind == "rsvp_refresh"))
    assert refresh.payload is not None
    assert datetime.fromisoformat(refresh.payload["written_for"]) == composed

    result = await meetings.record_rsvp(db, w.members[0], mid, False, sent, 201, 77)
    assert (result.worded_at, result.worded_in) == (composed, "en")
    # A message that is not one of our reminders is redrawn from now, as before.
    other = await meetings.record_rsvp(db, w.members[0], mid, False, sent, 201, 78)
    assert (other.worded_at, other.worded_in) == (None, None)
