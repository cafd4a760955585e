"""Meetings at the storage level, on SQLite and PostgreSQL: schedule, move, cancel, RSVP, quiz."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, text

from storage import deliveries, groups, meetings, people
from storage.actors import Actor, TelegramUser
from storage.db import SessionFactory
from storage.errors import NotAllowed, NotFound, TooLong, UseCaseError
from storage.meetings.errors import (
    AlreadyCancelled,
    DatePast,
    RsvpCancelled,
    RsvpNotMember,
    RsvpPast,
    TimePast,
    UnknownGroupCode,
)
from storage.models import (
    Delivery,
    DeliveryStatus,
    HandledUpdate,
    InviteKind,
    MeetingStatus,
    QuizAnswer,
    QuizPoll,
    Rsvp,
    StaffRole,
)
from storage.models import Meeting as MeetingRow
from tests.blocking import blocked_the_bot
from tests.joins import join_added
from timekeeping.clock import ManualClock
from timekeeping.delivery_kinds import DeliveryKind
from timekeeping.rules import RSVP_REFRESH_GAP
from timekeeping.timeparse import local_to_utc

OFFSETS = (timedelta(days=3), timedelta(days=1), timedelta(hours=2))
TTL = timedelta(days=14)
GROUP_CHAT = -4_000_000_777
TZ = "Asia/Jakarta"


async def person(db: SessionFactory, telegram_id: int, name: str) -> Actor:
    actor, _ = await people.identify(
        db, TelegramUser(telegram_id, name, "id"), (), "id", private_chat=True
    )
    return actor


async def staff(db: SessionFactory, telegram_id: int, name: str) -> Actor:
    await people.add_staff(db, telegram_id, name, StaffRole.FACILITATOR)
    return await person(db, telegram_id, name)


@dataclass
class World:
    facilitator: Actor
    group_id: int
    members: list[Actor]


async def world(db: SessionFactory, clock: ManualClock, chat: bool = True) -> World:
    owner = await staff(db, 100, "Bu Rina")
    links = await groups.create_group(
        db,
        owner,
        name="Mawar 1",
        village=None,
        venue="Rumah Bu Siti",
        timezone=TZ,
        now=clock.now(),
        ttl=TTL,
    )
    gid = links.group.id
    joined = []
    for telegram_id, name in ((201, "Siti"), (202, "Ani")):
        actor = await person(db, telegram_id, name)
        await join_added(db, actor, links.tokens[InviteKind.MEMBER], name, owner, clock.now())
        joined.append((await people.reload_actor(db, actor))[0])
    if chat:
        await groups.bind_chat(db, owner, gid, GROUP_CHAT, "Grup Mawar", clock.now())
    return World(owner, gid, joined)


def at(day: date, hour: int) -> datetime:
    return local_to_utc(day, time(hour), TZ)


def line(code: str, day: str = "12/12/2026", hour: str = "09.00") -> meetings.OneLine:
    return meetings.OneLine(code, day, hour, None)


async def rows(db: SessionFactory, meeting_id: int) -> list[Delivery]:
    async with db.begin() as session:
        return list(
            await session.scalars(
                select(Delivery).where(Delivery.meeting_id == meeting_id).order_by(Delivery.id)
            )
        )


async def schedule(db: SessionFactory, w: World, clock: ManualClock, starts_at: datetime) -> int:
    view = await meetings.schedule_meeting(
        db,
        w.facilitator,
        group_id=w.group_id,
        session_number=1,
        starts_at=starts_at,
        venue="Balai RW",
        now=clock.now(),
        offsets=OFFSETS,
    )
    return view.id


async def test_scheduling_plans_every_delivery_once(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    starts = at(date(2026, 12, 12), 9)
    view = await meetings.schedule_meeting(
        db,
        w.facilitator,
        group_id=w.group_id,
        session_number=1,
        starts_at=starts,
        venue="  Balai   RW 02 ",
        now=clock.now(),
        offsets=OFFSETS,
    )
    assert view.venue == "Balai RW 02"
    assert view.starts_at == datetime(2026, 12, 12, 2, 0, tzinfo=UTC)
    planned = await rows(db, view.id)
    kinds = Counter(r.kind for r in planned)
    assert kinds == {"reminder": 9, "summary": 1, "recap": 1, "quiz": len(view_quiz(1))}
    assert {r.chat_id for r in planned if r.kind == "reminder"} == {GROUP_CHAT, 201, 202}
    assert all(r.status is DeliveryStatus.PENDING for r in planned)

    # The next meeting proposes the next session in order.
    start = await meetings.start_scheduling(db, w.facilitator, w.group_id)
    assert start.proposed_session == 2


def view_quiz(number: int) -> tuple[object, ...]:
    from content.sessions import get_session

    return get_session(number, "id").quiz


async def test_members_who_turned_reminders_off_or_blocked_get_none(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    await blocked_the_bot(db, 202)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    chats = {r.chat_id for r in await rows(db, mid) if r.kind == "reminder"}
    assert chats == {GROUP_CHAT, 201}


async def test_someone_elses_group_is_refused(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    other = await staff(db, 300, "Pak Budi")
    with pytest.raises(NotAllowed):
        await meetings.schedule_meeting(
            db,
            other,
            group_id=w.group_id,
            session_number=1,
            starts_at=at(date(2026, 12, 12), 9),
            venue=None,
            now=clock.now(),
            offsets=OFFSETS,
        )
    # Another facilitator's code and a code that does not exist answer alike (no probing).
    with pytest.raises(UnknownGroupCode) as not_hers:
        await meetings.schedule_by_code(db, other, line("MAWAR1"), clock.now(), OFFSETS)
    with pytest.raises(UnknownGroupCode) as unknown:
        await meetings.schedule_by_code(db, other, line("NOPE"), clock.now(), OFFSETS)
    assert (not_hers.value.code, unknown.value.code) == ("MAWAR1", "NOPE")


async def test_bad_times_and_venues_are_refused(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    now = clock.now()
    with pytest.raises(TimePast):
        meetings.starts_at_of(date(2026, 12, 1), time(8), TZ, now)  # 08.00 WIB, now 09.00
    with pytest.raises(DatePast):
        meetings.check_date(date(2026, 11, 30), TZ, now)
    with pytest.raises(TooLong) as long_venue:
        await meetings.schedule_meeting(
            db,
            w.facilitator,
            group_id=w.group_id,
            session_number=1,
            starts_at=at(date(2026, 12, 12), 9),
            venue="x" * 1000,
            now=now,
            offsets=OFFSETS,
        )
    assert long_venue.value.length == 1000
    with pytest.raises(UseCaseError):
        await meetings.schedule_meeting(
            db,
            w.facilitator,
            group_id=w.group_id,
            session_number=99,
            starts_at=at(date(2026, 12, 12), 9),
            venue=None,
            now=now,
            offsets=OFFSETS,
        )
    async with db.begin() as session:
        assert (await session.scalars(select(MeetingRow))).first() is None


async def test_same_day_meetings_are_found_for_the_warning(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    first = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    same = await meetings.same_day_meetings(
        db, w.facilitator, w.group_id, at(date(2026, 12, 12), 23)
    )
    assert [m.id for m in same] == [first]
    assert not await meetings.same_day_meetings(
        db, w.facilitator, w.group_id, at(date(2026, 12, 13), 0)
    )
    assert not await meetings.same_day_meetings(
        db, w.facilitator, w.group_id, at(date(2026, 12, 12), 14), exclude=first
    )


async def test_one_line_saves_at_once_or_holds_for_a_warning(
    db: SessionFactory, clock: ManualClock
) -> None:
    """/jadwalkan in one line: read, checked and saved in one transaction; a day with a
    meeting already or a public holiday is held for the facilitator's "save anyway"."""
    w = await world(db, clock)
    now = clock.now()
    saved = await meetings.schedule_by_code(db, w.facilitator, line("mawar1"), now, OFFSETS)
    assert saved.saved is not None and saved.problem is None
    assert saved.saved.starts_at == at(date(2026, 12, 12), 9)
    assert saved.venue == "Rumah Bu Siti"  # the group's usual place
    assert {r.kind for r in await rows(db, saved.saved.id)} >= {"reminder"}

    again = await meetings.schedule_by_code(
        db, w.facilitator, line("MAWAR1", hour="14"), now, OFFSETS
    )
    assert again.saved is None and [m.id for m in again.same_day] == [saved.saved.id]

    christmas = await meetings.schedule_by_code(
        db, w.facilitator, line("MAWAR1", day="25/12/2026"), now, OFFSETS
    )
    assert christmas.saved is None and christmas.problem is None and not christmas.same_day

    unreadable = await meetings.schedule_by_code(
        db, w.facilitator, line("MAWAR1", day="besok pagi"), now, OFFSETS
    )
    assert unreadable.problem == "meetings.errors.date_format"
    async with db.begin() as session:
        assert len((await session.scalars(select(MeetingRow))).all()) == 1


async def test_reschedule_skips_the_old_plan_and_tells_members(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    await meetings.record_rsvp(db, w.members[0], mid, True, clock.now(), 201, None)
    view = await meetings.reschedule_meeting(
        db,
        w.facilitator,
        mid,
        starts_at=at(date(2026, 12, 14), 13),
        venue="Rumah Bu Ani",
        now=clock.now(),
        offsets=OFFSETS,
    )
    assert view.revision == 2 and view.venue == "Rumah Bu Ani"
    planned = await rows(db, mid)
    old = [r for r in planned if ":r1:" in r.key]
    new = [r for r in planned if ":r2:" in r.key]
    assert old and all(r.status is DeliveryStatus.SKIPPED for r in old)
    assert {r.reason for r in old} == {"rescheduled"}
    assert new and all(r.status is DeliveryStatus.PENDING for r in new)
    changed = [r for r in new if r.kind == "meeting_changed"]
    assert {r.chat_id for r in changed} == {GROUP_CHAT, 201, 202}
    assert {r.due_at for r in changed} == {clock.now()}
    async with db.begin() as session:
        assert (await session.scalars(select(Rsvp))).first() is None


async def test_cancel_skips_everything_pending(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    view = await meetings.cancel_meeting(db, w.facilitator, mid, clock.now())
    assert view.cancelled
    planned = await rows(db, mid)
    pending = [r for r in planned if r.status is DeliveryStatus.PENDING]
    assert {r.kind for r in pending} == {"meeting_changed"}
    assert {r.reason for r in planned if r.status is DeliveryStatus.SKIPPED} == {"cancelled"}
    with pytest.raises(AlreadyCancelled):
        await meetings.cancel_meeting(db, w.facilitator, mid, clock.now())
    async with db.begin() as session:
        row = await session.get_one(MeetingRow, mid)
        assert row.status is MeetingStatus.CANCELLED


async def test_rsvp_last_press_wins_and_strangers_are_refused(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    for coming in (True, False, True, True):
        result = await meetings.record_rsvp(db, w.members[0], mid, coming, clock.now(), 201, None)
    assert (result.counts.coming, result.counts.not_coming) == (1, 0)
    result = await meetings.record_rsvp(db, w.members[1], mid, False, clock.now(), 202, None)
    assert (result.counts.coming, result.counts.not_coming) == (1, 1)

    stranger = await person(db, 999, "Orang Lain")
    with pytest.raises(RsvpNotMember) as refused:
        await meetings.record_rsvp(db, stranger, mid, True, clock.now(), 999, None)
    assert isinstance(refused.value, NotAllowed) and refused.value.group == "Mawar 1"

    clock.set(at(date(2026, 12, 12), 9))
    with pytest.raises(RsvpPast):
        await meetings.record_rsvp(db, w.members[0], mid, True, clock.now(), 201, None)


async def test_rsvp_on_a_cancelled_meeting_is_refused(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    await meetings.cancel_meeting(db, w.facilitator, mid, clock.now())
    with pytest.raises(RsvpCancelled):
        await meetings.record_rsvp(db, w.members[0], mid, True, clock.now(), 201, None)


async def _send_group_reminder(
    db: SessionFactory, mid: int, message_id: int, now: datetime
) -> None:
    async with db.begin() as session:
        row = await session.scalar(
            select(Delivery).where(
                Delivery.meeting_id == mid,
                Delivery.kind == "reminder",
                Delivery.chat_id == GROUP_CHAT,
            )
        )
        assert row is not None
        await deliveries.mark_sent(session, row.id, message_id, now)


async def refreshes(db: SessionFactory) -> list[Delivery]:
    async with db.begin() as session:
        return list(await session.scalars(select(Delivery).where(Delivery.kind == "rsvp_refresh")))


async def test_a_burst_of_presses_is_one_refresh_then_spaced(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    await _send_group_reminder(db, mid, 555, clock.now())

    # A forged message id (not our reminder) is never edited.
    await meetings.record_rsvp(db, w.members[0], mid, True, clock.now(), GROUP_CHAT, 999)
    assert await refreshes(db) == []

    for index in range(20):
        await meetings.record_rsvp(
            db, w.members[index % 2], mid, index % 3 == 0, clock.now(), GROUP_CHAT, 555
        )
    (row,) = await refreshes(db)
    assert row.key == f"rsvp:{mid}:{GROUP_CHAT}:555"
    assert row.status is DeliveryStatus.PENDING and row.due_at == clock.now()
    assert row.payload is not None and row.payload["message_id"] == 555
    written_for = datetime.fromisoformat(row.payload["written_for"])
    assert written_for < at(date(2026, 12, 12), 9)  # the reminder's own time, for its wording

    async with db.begin() as session:
        await deliveries.mark_sent(session, row.id, 555, clock.now())
    sent_at = clock.now()
    clock.advance(timedelta(seconds=1))
    # A press in a private chat refreshes the group's latest reminder too.
    await meetings.record_rsvp(db, w.members[1], mid, True, clock.now(), 202, None)
    (row,) = await refreshes(db)
    assert row.status is DeliveryStatus.PENDING
    assert row.due_at == sent_at + RSVP_REFRESH_GAP


async def test_quiz_counts_are_kept_from_the_poll_and_nobody_is_named(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    async with db.begin() as session:
        await meetings.store_quiz_poll(session, "poll-1", mid, 0, 2)
    assert await meetings.record_quiz_counts(db, "poll-1", 3, [1, 0, 2])
    assert await meetings.record_quiz_counts(db, "poll-1", 4, [1, 0, 3])
    # An older update handled late does not take answers away (quiz answers are final).
    assert await meetings.record_quiz_counts(db, "poll-1", 3, [1, 0, 2])
    assert not await meetings.record_quiz_counts(db, "other", 1, [1])
    async with db.begin() as session:
        poll = await session.get_one(QuizPoll, "poll-1")
        answers = list(await session.scalars(select(QuizAnswer)))
    assert (poll.voters, poll.correct_voters) == (4, 3)
    assert answers == []


async def test_upcoming_shows_members_their_next_meeting_only(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    first = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    await schedule(db, w, clock, at(date(2027, 1, 9), 9))
    mine = await meetings.upcoming(db, w.members[0], clock.now())
    assert [m.id for m in mine] == [first]
    staff_view = await meetings.upcoming(db, w.facilitator, clock.now())
    assert len(staff_view) == 2
    group, view = await meetings.next_for_chat(db, GROUP_CHAT, clock.now())
    assert group is not None and view is not None and view.id == first


def group_press(
    telegram_id: int,
    mid: int,
    coming: bool,
    when: datetime,
    message_id: int | None = 555,
    app_language: str | None = None,
) -> meetings.GroupPress:
    user = TelegramUser(telegram_id, f"User {telegram_id}", app_language)
    return meetings.GroupPress(user, mid, coming, when, GROUP_CHAT, message_id)


async def test_presses_that_arrive_together_are_answered_each_in_one_transaction(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    other = await schedule(db, w, clock, at(date(2026, 12, 19), 9))
    await meetings.cancel_meeting(db, w.facilitator, other, clock.now())
    await _send_group_reminder(db, mid, 555, clock.now())
    await people.set_language(db, w.members[1].person_id, "en")
    await person(db, 999, "Orang Lain")
    now = clock.now()

    results = await meetings.press_rsvps(
        db,
        [
            group_press(201, mid, True, now),
            group_press(202, mid, True, now),
            group_press(999, mid, True, now, app_language="en"),  # known, not on this roster
            group_press(777, mid, True, now),  # never met the bot
            group_press(201, other, True, now),  # cancelled
            group_press(201, 10_000, True, now),  # no such meeting (forged data)
            group_press(201, mid, False, now),  # Siti changes her mind: the last press wins
            group_press(202, mid, True, now, message_id=999),  # not our message: not edited
        ],
        "id",
    )

    refusals = [None if r.refusal is None else type(r.refusal) for r in results]
    assert refusals == [
        None,
        None,
        RsvpNotMember,
        RsvpNotMember,
        RsvpCancelled,
        NotFound,
        None,
        None,
    ]
    refusal = results[2].refusal
    assert isinstance(refusal, RsvpNotMember) and refusal.group == "Mawar 1"
    # Each in the language chosen in the bot, else the Telegram app's, else the default.
    assert [r.language for r in results] == ["id", "en", "en", "id", "id", "id", "id", "en"]
    async with db.begin() as session:
        answers = {(row.member_id, row.coming) for row in await session.scalars(select(Rsvp))}
    assert len(answers) == 2 and {coming for _, coming in answers} == {True, False}
    (row,) = await refreshes(db)
    assert row.key == f"rsvp:{mid}:{GROUP_CHAT}:555" and row.status is DeliveryStatus.PENDING

    # A press after the start is refused; the answers already given stay.
    late = await meetings.press_rsvps(
        db, [group_press(201, mid, True, at(date(2026, 12, 12), 9))], "id"
    )
    assert isinstance(late[0].refusal, RsvpPast)
    assert await meetings.press_rsvps(db, [], "id") == []


async def test_an_edit_sent_with_counts_older_than_a_press_goes_again(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    await _send_group_reminder(db, mid, 555, clock.now())
    await meetings.press_rsvps(db, [group_press(201, mid, True, clock.now())], "id")
    (first,) = await refreshes(db)
    key = first.key
    # The dispatcher reads the counts for the edit; meanwhile it and the one after it are
    # both being sent (the one after read its counts before this press too).
    shown = await meetings.for_delivery(db, mid)
    assert shown is not None and shown.counts.coming == 1
    async with db.begin() as session:
        await deliveries.enqueue(
            session, key=f"{key}:again", kind=DeliveryKind.RSVP_REFRESH, chat_id=GROUP_CHAT,
            due_at=clock.now(), group_id=w.group_id, meeting_id=mid,
            payload={"message_id": 555},
        )  # fmt: skip
        for row in await session.scalars(select(Delivery).where(Delivery.kind == "rsvp_refresh")):
            row.status = DeliveryStatus.SENDING
    await meetings.press_rsvps(db, [group_press(202, mid, True, clock.now())], "id")
    assert {r.status for r in await refreshes(db)} == {DeliveryStatus.SENDING}

    # Both are recorded as sent with counts from before Ani's press: one goes again.
    for row in sorted(await refreshes(db), key=lambda r: r.key):
        async with db.begin() as session:
            await deliveries.mark_sent(session, row.id, 555, clock.now())
            await meetings.refresh_again_if_changed(session, row.id, row.key, shown, clock.now())
    again = [r for r in await refreshes(db) if r.status is DeliveryStatus.PENDING]
    assert [r.key for r in again] == [key]
    assert again[0].due_at == clock.now() + RSVP_REFRESH_GAP

    # Sent with the counts as they are now: nothing more.
    current = await meetings.for_delivery(db, mid)
    assert current is not None and current.counts.coming == 2
    async with db.begin() as session:
        await deliveries.mark_sent(session, again[0].id, 555, clock.now())
        await meetings.refresh_again_if_changed(session, again[0].id, key, current, clock.now())
    assert {r.status for r in await refreshes(db)} == {DeliveryStatus.SENT}


async def _waiting_on_a_lock(db: SessionFactory) -> bool:
    async with db.begin() as session:
        waiting = await session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


async def test_a_press_batch_and_a_sent_again_edit_take_the_refresh_rows_in_one_order(
    db: SessionFactory, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The dispatcher records the `:again` edit of a message as sent while a batch of presses
    on that message runs. The recording used to lock `:again` first and then the message's
    first refresh; the batch locks them the other way round, and PostgreSQL broke the cycle
    by failing one of the two (presses answered with an error)."""
    if db.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no row locks to take in an order")
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    await _send_group_reminder(db, mid, 555, clock.now())
    # The counts the `:again` edit shows were read before Ani's press.
    shown = await meetings.for_delivery(db, mid)
    assert shown is not None
    await meetings.press_rsvps(db, [group_press(201, mid, True, clock.now())], "id")
    (first,) = await refreshes(db)
    key = first.key
    async with db.begin() as session:
        await deliveries.enqueue(
            session, key=f"{key}:again", kind=DeliveryKind.RSVP_REFRESH, chat_id=GROUP_CHAT,
            due_at=clock.now(), group_id=w.group_id, meeting_id=mid,
            payload={"message_id": 555},
        )  # fmt: skip
        for row in await session.scalars(select(Delivery).where(Delivery.kind == "rsvp_refresh")):
            row.status = DeliveryStatus.SENDING
    again = next(r for r in await refreshes(db) if r.key == f"{key}:again")

    caplog.set_level(logging.INFO, logger="storage.db")
    async with db.begin() as recording:
        # The dispatcher's transaction for the sent `:again` edit, as scheduler/dispatcher.py
        # runs it: the edit's `before`, then the row marked sent.
        await meetings.lock_refreshes(recording, again.key)
        await deliveries.mark_sent(recording, again.id, 555, clock.now())
        # Meanwhile a batch of presses on the same message locks its refresh rows.
        batch = asyncio.create_task(
            meetings.press_rsvps(db, [group_press(202, mid, False, clock.now())], "id")
        )
        for _ in range(1_000):  # until the batch waits for a row this transaction holds
            if await _waiting_on_a_lock(db):
                break
        assert not batch.done()
        # The edit's `after`: Ani's answer came after the counts shown, so it reads (and
        # locks) the message's first refresh. In the old order the batch held it.
        await meetings.refresh_again_if_changed(recording, again.id, again.key, shown, clock.now())
    pressed = await batch

    assert pressed[0].refusal is None
    # Neither transaction was failed to break a cycle (a failed batch runs again, and says so).
    assert not [r for r in caplog.records if r.name == "storage.db"]
    async with db.begin() as session:
        answers = {row.coming for row in await session.scalars(select(Rsvp))}
    assert answers == {True, False}


async def test_a_press_whose_update_was_handled_before_is_not_recorded_again(
    db: SessionFactory, clock: ManualClock
) -> None:
    """The presses' update ids are recorded with the presses: a second instance given the same
    update at the same moment, or Telegram handing it out again, records nothing."""
    w = await world(db, clock)
    mid = await schedule(db, w, clock, at(date(2026, 12, 12), 9))
    await _send_group_reminder(db, mid, 555, clock.now())
    now = clock.now()

    def numbered(telegram_id: int, coming: bool, update_id: int) -> meetings.GroupPress:
        press = group_press(telegram_id, mid, coming, now)
        return meetings.GroupPress(
            press.user, mid, coming, now, press.chat_id, press.message_id, update_id
        )

    both = await asyncio.gather(
        *(meetings.press_rsvps(db, [numbered(201, True, 7)], "id") for _ in range(2))
    )
    assert sorted(result.repeated for (result,) in both) == [False, True]
    # A batch with a new press, a repeat of 7 (Siti "changing her mind": not acted on) and
    # the new one twice: each answered in its place.
    results = await meetings.press_rsvps(
        db, [numbered(202, True, 8), numbered(201, False, 7), numbered(202, False, 8)], "id"
    )
    assert [r.repeated for r in results] == [False, True, True]
    assert all(r.refusal is None for r in results)
    async with db.begin() as session:
        answers = {(row.member_id, row.coming) for row in await session.scalars(select(Rsvp))}
        handled = set(await session.scalars(select(HandledUpdate.update_id)))
    assert sorted(coming for _, coming in answers) == [True, True]
    assert handled == {7, 8}
