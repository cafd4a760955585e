"""Roll calls, self check-in, locks and history on both engines."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage import attendance
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import NotAllowed, NotFound
from storage.models import Group, Meeting, MeetingStatus, Member, Person, StaffRole
from storage.models.attendance import AttendanceChange, AttendanceSource, AttendanceStatus
from timekeeping.clock import ManualClock
from timekeeping.months import month_of, shift_month

H, IZ, S, A = (
    AttendanceStatus.HADIR,
    AttendanceStatus.IZIN,
    AttendanceStatus.SAKIT,
    AttendanceStatus.ALFA,
)


@dataclass
class World:
    facilitator: Actor
    chair: Actor
    member: Actor
    stranger: Actor
    group_id: int
    other_group_id: int
    member_ids: list[int]
    meeting_id: int


async def add_person(session: object, name: str, tg: int, role: StaffRole | None = None) -> Person:
    person = Person(telegram_user_id=tg, name=name, staff_role=role, active=True)
    session.add(person)  # type: ignore[attr-defined]
    await session.flush()  # type: ignore[attr-defined]
    return person


async def add_meeting(
    db: SessionFactory, group_id: int, starts_at: datetime, session_number: int = 1
) -> int:
    async with db.begin() as session:
        meeting = Meeting(
            group_id=group_id,
            session_number=session_number,
            starts_at=starts_at,
            duration_minutes=120,
            status=MeetingStatus.SCHEDULED,
            revision=1,
        )
        session.add(meeting)
        await session.flush()
        return meeting.id


async def build(db: SessionFactory, clock: ManualClock, roster: int = 30) -> World:
    async with db.begin() as session:
        fac = await add_person(session, "Bu Rina", 501, StaffRole.FACILITATOR)
        chair_p = await add_person(session, "Siti", 502)
        member_p = await add_person(session, "Nur", 503)
        stranger_p = await add_person(session, "Orang", 504)
        group = Group(code="MAWAR", name="Mawar 1", timezone="Asia/Jakarta", facilitator_id=fac.id)
        other = Group(code="MELATI", name="Melati", timezone="Asia/Jakarta", facilitator_id=fac.id)
        session.add_all([group, other])
        await session.flush()
        members = [
            Member(group_id=group.id, name=f"Anggota {n:02d}", active=True) for n in range(roster)
        ]
        members[0].person_id, members[0].name = chair_p.id, "Siti"
        members[1].person_id, members[1].name = member_p.id, "Nur"
        session.add_all(members)
        session.add(Member(group_id=other.id, name="Stranger", person_id=stranger_p.id))
        await session.flush()
        group.chair_member_id = members[0].id
        ids = [m.id for m in members]
        gid, oid = group.id, other.id
    meeting_id = await add_meeting(db, gid, clock.now() - timedelta(minutes=10))

    def actor(p_id: int, name: str, **kw: object) -> Actor:
        return Actor(p_id, 500 + p_id, name, "id", None, **kw)  # type: ignore[arg-type]

    async with db.begin() as session:
        fac_id = await session.scalar(select(Person.id).where(Person.telegram_user_id == 501))
        ids_by_tg = {
            tg: await session.scalar(select(Person.id).where(Person.telegram_user_id == tg))
            for tg in (502, 503, 504)
        }
    assert fac_id is not None
    return World(
        facilitator=Actor(fac_id, 501, "Bu Rina", "id", StaffRole.FACILITATOR),
        chair=Actor(
            ids_by_tg[502] or 0, 502, "Siti", "id", None, frozenset({gid}), frozenset({gid})
        ),
        member=Actor(ids_by_tg[503] or 0, 503, "Nur", "id", None, frozenset(), frozenset({gid})),
        stranger=Actor(
            ids_by_tg[504] or 0, 504, "Orang", "id", None, frozenset({oid}), frozenset({oid})
        ),
        group_id=gid,
        other_group_id=oid,
        member_ids=ids,
        meeting_id=meeting_id,
    )


def test_cycle_and_codes() -> None:
    assert attendance.next_status(None) is H
    assert [attendance.next_status(s) for s in (H, IZ, S, A)] == [IZ, S, A, H]
    assert attendance.status_of_code(attendance.STATUS_CODES[S]) is S
    with pytest.raises(NotFound):
        attendance.status_of_code(9)
    assert shift_month(202612, 1) == 202701
    assert shift_month(202601, -1) == 202512


async def test_chair_takes_a_roll_call_of_thirty(db: SessionFactory, clock: ManualClock) -> None:
    w = await build(db, clock)
    now = clock.now()
    view = await attendance.open_roll_call(db, w.chair, w.group_id, now)
    assert len(view.lines) == 30 and view.unmarked == 30
    view, changed = await attendance.mark_unmarked(db, w.chair, w.meeting_id, H, now)
    assert changed == 30 and view.count(H) == 30
    for member_id, status in zip(w.member_ids[2:5], (IZ, S, A), strict=True):
        view = await attendance.set_status(db, w.chair, w.meeting_id, member_id, status, now)
    view = await attendance.save_roll_call(db, w.chair, w.meeting_id, now, unmarked_as_alfa=False)
    assert (view.count(H), view.count(IZ), view.count(S), view.count(A)) == (27, 1, 1, 1)
    assert view.saved_at == now
    sources = {line.source for line in view.lines}
    assert sources == {AttendanceSource.CHAIR}


async def test_other_groups_chair_and_members_are_refused(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await build(db, clock)
    now = clock.now()
    with pytest.raises(NotAllowed):
        await attendance.open_roll_call(db, w.stranger, w.group_id, now)
    with pytest.raises(NotAllowed):
        await attendance.set_status(db, w.member, w.meeting_id, w.member_ids[1], H, now)
    # A member of another group cannot be slipped into this roll call.
    async with db.begin() as session:
        outsider = await session.scalar(
            select(Member.id).where(Member.group_id == w.other_group_id)
        )
    assert outsider is not None
    with pytest.raises(NotFound):
        await attendance.set_status(db, w.chair, w.meeting_id, outsider, H, now)


async def test_concurrent_taps_keep_every_member(db: SessionFactory, clock: ManualClock) -> None:
    """Chair and facilitator tap at once: each member keeps the last tap; nothing is lost."""
    w = await build(db, clock)
    now = clock.now()
    m = w.member_ids
    await asyncio.gather(
        *(attendance.set_status(db, w.chair, w.meeting_id, mid, IZ, now) for mid in m[2:12]),
        *(attendance.set_status(db, w.facilitator, w.meeting_id, mid, S, now) for mid in m[12:22]),
    )
    later = now + timedelta(seconds=5)
    await attendance.set_status(db, w.facilitator, w.meeting_id, m[2], A, later)
    view = await attendance.roll_call(db, w.chair, w.meeting_id)
    status = {line.member_id: line.status for line in view.lines}
    assert status[m[2]] is A
    assert all(status[mid] is IZ for mid in m[3:12])
    assert all(status[mid] is S for mid in m[12:22])
    # Both insert the same line at the same moment: one row, two history entries.
    await asyncio.gather(
        attendance.set_status(db, w.chair, w.meeting_id, m[25], H, now),
        attendance.set_status(db, w.facilitator, w.meeting_id, m[25], S, now),
    )
    view = await attendance.roll_call(db, w.chair, w.meeting_id)
    assert {line.member_id for line in view.lines} == set(m)
    assert next(line for line in view.lines if line.member_id == m[25]).status in (H, S)


async def test_self_checkin_and_the_chair_has_the_last_word(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await build(db, clock)
    now = clock.now()
    (offered,) = await attendance.checkin_meetings(db, w.member, now)
    assert offered.id == w.meeting_id
    result = await attendance.check_in(db, w.member, w.meeting_id, now)
    assert result.status is H and not result.already
    view = await attendance.roll_call(db, w.chair, w.meeting_id)
    line = next(line for line in view.lines if line.member_id == w.member_ids[1])
    assert line.source is AttendanceSource.SELF
    # The chair corrects her; a second check-in does not override the chair.
    await attendance.set_status(db, w.chair, w.meeting_id, w.member_ids[1], IZ, now)
    again = await attendance.check_in(db, w.member, w.meeting_id, now)
    assert again.already and again.status is IZ and not again.by_self
    # "All present" does not overwrite lines already marked.
    view, _ = await attendance.mark_unmarked(db, w.chair, w.meeting_id, H, now)
    assert next(x for x in view.lines if x.member_id == w.member_ids[1]).status is IZ
    # Outside the meeting window, and for non-members, check-in is refused.
    with pytest.raises(NotAllowed):
        await attendance.check_in(db, w.stranger, w.meeting_id, now)
    with pytest.raises(attendance.CheckinClosed):
        await attendance.check_in(db, w.member, w.meeting_id, now + timedelta(hours=5))
    assert await attendance.checkin_meetings(db, w.member, now + timedelta(hours=5)) == []


async def test_month_lock_stops_corrections_and_history_records_who(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await build(db, clock, roster=5)
    now = clock.now()
    await attendance.set_status(db, w.chair, w.meeting_id, w.member_ids[3], H, now)
    await attendance.set_status(db, w.facilitator, w.meeting_id, w.member_ids[3], A, now)
    with pytest.raises(attendance.UnmarkedLeft):
        await attendance.save_roll_call(db, w.chair, w.meeting_id, now, unmarked_as_alfa=False)
    saved = await attendance.save_roll_call(db, w.chair, w.meeting_id, now, unmarked_as_alfa=True)
    assert saved.count(A) == 5
    month = month_of(now, "Asia/Jakarta")
    with pytest.raises(NotAllowed):
        await attendance.set_month_lock(db, w.chair, w.facilitator.person_id, month, True, now)
    assert (
        await attendance.set_month_lock(
            db, w.facilitator, w.facilitator.person_id, month, True, now
        )
        == 2
    )
    with pytest.raises(attendance.Locked):
        await attendance.set_status(db, w.chair, w.meeting_id, w.member_ids[3], H, now)
    view = await attendance.roll_call(db, w.chair, w.meeting_id)
    assert view.locked
    await attendance.set_month_lock(db, w.facilitator, w.facilitator.person_id, month, False, now)
    await attendance.set_status(db, w.chair, w.meeting_id, w.member_ids[3], H, now)
    changes = await attendance.history(db, w.facilitator, w.meeting_id)
    mine = [c for c in changes if c.member_name == "Anggota 03"]
    assert [(c.old_status, c.new_status, c.changed_by) for c in mine] == [
        (None, H, "Siti"),
        (H, A, "Bu Rina"),
        (A, H, "Siti"),
    ]
    async with db.begin() as session:
        total = await session.scalar(select(func.count(AttendanceChange.id)))
    assert total == 3 + 4  # three taps on her, four unmarked saved as Alfa


async def test_no_meeting_yet(db: SessionFactory, clock: ManualClock) -> None:
    w = await build(db, clock)
    with pytest.raises(attendance.NoMeeting):
        await attendance.open_roll_call(db, w.chair, w.group_id, clock.now() - timedelta(days=2))
    choices = await attendance.roll_call_choices(db, w.chair, clock.now())
    assert [(c.group_id, c.meeting is not None) for c in choices] == [(w.group_id, True)]
