"""Monthly reports, the activity record and the chart's numbers, on both engines."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage import reports
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import EmptyText, NotAllowed, NotFound, UseCaseError
from storage.models import (
    Group,
    Meeting,
    MeetingStatus,
    Member,
    Person,
    QuizPoll,
    Rsvp,
    StaffRole,
)
from storage.models.attendance import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
    ConfirmStep,
)
from storage.models.complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
)
from storage.reports import MeetingState, activity_record
from storage.reports.errors import BadMonth, FutureMonth, GroupNotYours, NoSuchMonth
from storage.roles import Role
from views import activity_record as worded

NOW = datetime(2026, 12, 20, 5, 0, tzinfo=UTC)
DEC_5 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # Saturday 5 December, 09.00 WIB
NOV_7 = datetime(2026, 11, 7, 2, 0, tzinfo=UTC)
H, IZ, S, A = (
    AttendanceStatus.HADIR,
    AttendanceStatus.IZIN,
    AttendanceStatus.SAKIT,
    AttendanceStatus.ALFA,
)
# Names that break CSV files or spreadsheets if they are not handled.
TRICKY = [
    'Siti, "Ani"\nBaru',
    '=HYPERLINK("http://evil.example","klik")',
    "+62 812 555",
    "@SUM(A1)",
    "Dewi",
    "Rina",
]


@dataclass
class World:
    coordinator: Actor
    facilitator: Actor
    other_facilitator: Actor
    chair: Actor
    member: Actor
    mawar: int  # F1's group with a confirmed December meeting
    melati: int  # F1's group with no December meeting
    anggrek: int  # F2's group, held but not confirmed
    mawar_members: list[int]
    december: int  # Mawar's December meeting
    november: int
    cancelled: int


def actor(person: Person, role: StaffRole | None = None, **kw: frozenset[int]) -> Actor:
    return Actor(
        person_id=person.id,
        telegram_user_id=person.telegram_user_id or 0,
        name=person.name,
        language="id",
        staff_role=role,
        **kw,
    )


async def _person(session: AsyncSession, name: str, tg: int, role: StaffRole | None) -> Person:
    person = Person(telegram_user_id=tg, name=name, staff_role=role, active=True)
    session.add(person)
    await session.flush()
    return person


async def _group(session: AsyncSession, code: str, name: str, facilitator: Person) -> Group:
    group = Group(
        code=code,
        name=name,
        venue="Rumah Bu Siti",
        timezone="Asia/Jakarta",
        facilitator_id=facilitator.id,
        active=True,
    )
    session.add(group)
    await session.flush()
    return group


async def _members(
    session: AsyncSession, group: Group, names: list[str], persons: dict[int, Person] | None = None
) -> list[Member]:
    made = []
    for index, name in enumerate(names):
        member = Member(
            group_id=group.id,
            name=name,
            programme_id=f"PKH-{group.code}-{index:03d}",
            person_id=(persons or {}).get(index, None) and (persons or {})[index].id,
            active=True,
        )
        session.add(member)
        made.append(member)
    await session.flush()
    return made


async def _meeting(
    session: AsyncSession,
    group: Group,
    starts_at: datetime,
    session_number: int = 3,
    status: MeetingStatus = MeetingStatus.SCHEDULED,
) -> Meeting:
    meeting = Meeting(
        group_id=group.id,
        session_number=session_number,
        starts_at=starts_at,
        duration_minutes=120,
        venue="Balai Desa",
        status=status,
        revision=1,
    )
    session.add(meeting)
    await session.flush()
    return meeting


def _mark(
    session: AsyncSession, meeting: Meeting, member: Member, status: AttendanceStatus
) -> None:
    session.add(
        Attendance(
            meeting_id=meeting.id,
            member_id=member.id,
            status=status,
            source=AttendanceSource.CHAIR,
            recorded_at=meeting.starts_at,
        )
    )


async def build_world(db: SessionFactory, names: list[str] | None = None) -> World:
    async with db.begin() as session:
        boss = await _person(session, "Pak Koordinator", 1, StaffRole.COORDINATOR)
        f1 = await _person(session, "Bu Ani", 2, StaffRole.FACILITATOR)
        f2 = await _person(session, "Pak Budi", 3, StaffRole.FACILITATOR)
        siti = await _person(session, "Siti", 10, None)
        rina = await _person(session, "Rina", 11, None)
        mawar = await _group(session, "MAWAR1", "Mawar Satu", f1)
        melati = await _group(session, "MELATI", "Melati", f1)
        anggrek = await _group(session, "ANGGREK", "Anggrek", f2)
        people = await _members(session, mawar, names or TRICKY, {4: siti, 5: rina})
        mawar.chair_member_id = people[4].id
        gone = Member(group_id=mawar.id, name="Yang Pindah", active=False)
        session.add(gone)
        await _members(session, melati, ["Ayu", "Bunga", "Citra", "Dina"])
        anggrek_people = await _members(session, anggrek, ["Eka", "Fitri", "Gita"])
        await session.flush()

        december = await _meeting(session, mawar, DEC_5)
        for member, status in zip(people, [H, H, H, IZ, S], strict=False):
            _mark(session, december, member, status)
        _mark(session, december, gone, A)  # left since, but was recorded: stays on the roster
        november = await _meeting(session, mawar, NOV_7, session_number=2)
        _mark(session, november, people[0], H)
        _mark(session, november, people[1], H)
        cancelled = await _meeting(
            session, melati, DEC_5 + timedelta(days=3), status=MeetingStatus.CANCELLED
        )
        held = await _meeting(session, anggrek, DEC_5 + timedelta(days=1))
        _mark(session, held, anggrek_people[0], H)
        _mark(session, held, anggrek_people[1], A)

        session.add_all(
            [
                Rsvp(meeting_id=december.id, member_id=people[0].id, coming=True),
                Rsvp(meeting_id=december.id, member_id=people[1].id, coming=True),
                Rsvp(meeting_id=december.id, member_id=people[2].id, coming=False),
            ]
        )
        session.add(
            ConfirmationRequest(
                meeting_id=december.id,
                group_id=mawar.id,
                chair_person_id=siti.id,
                state=ConfirmState.ANSWERED,
                step=ConfirmStep.DONE,
                outcome=ConfirmOutcome.HELD,
                attendees=4,
                info_passed=True,
                notes="Ibu-ibu antusias; ada yang tanya soal kartu KKS.",
                created_at=DEC_5,
                answered_at=DEC_5 + timedelta(days=1),
            )
        )
        session.add(
            ConfirmationRequest(
                meeting_id=held.id,
                group_id=anggrek.id,
                chair_person_id=siti.id,
                state=ConfirmState.OPEN,
                step=ConfirmStep.OUTCOME,
                created_at=DEC_5,
            )
        )
        for created, resolved in (
            (DEC_5, DEC_5 + timedelta(days=2)),
            (DEC_5 + timedelta(days=1), None),
            (NOV_7, None),
        ):
            complaint = Complaint(
                person_id=siti.id,
                group_id=mawar.id,
                facilitator_id=f1.id,
                category=ComplaintCategory.CARD,
                status=ComplaintStatus.RESOLVED if resolved else ComplaintStatus.NEW,
                created_at=created,
                updated_at=resolved or created,
            )
            session.add(complaint)
            await session.flush()
            if resolved:
                session.add(
                    ComplaintEvent(
                        complaint_id=complaint.id,
                        actor_id=f1.id,
                        at=resolved,
                        action="status",
                        status=ComplaintStatus.RESOLVED,
                    )
                )
        session.add_all(
            [
                # Anonymous polls: only counts. Two answered the first question, one the
                # second; the meeting counts the busiest question, not 3 "people".
                QuizPoll(
                    poll_id="p1",
                    meeting_id=december.id,
                    question_index=0,
                    correct_option=1,
                    voters=2,
                    correct_voters=1,
                ),
                QuizPoll(
                    poll_id="p2",
                    meeting_id=december.id,
                    question_index=1,
                    correct_option=0,
                    voters=1,
                    correct_voters=0,
                ),
            ]
        )
        await session.flush()
        return World(
            coordinator=actor(boss, StaffRole.COORDINATOR),
            facilitator=actor(f1, StaffRole.FACILITATOR),
            other_facilitator=actor(f2, StaffRole.FACILITATOR),
            chair=actor(siti, chair_of=frozenset({mawar.id}), member_of=frozenset({mawar.id})),
            member=actor(rina, member_of=frozenset({mawar.id})),
            mawar=mawar.id,
            melati=melati.id,
            anggrek=anggrek.id,
            mawar_members=[m.id for m in people],
            december=december.id,
            november=november.id,
            cancelled=cancelled.id,
        )


# -- months -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month"),
    [("2026-12", 202612), ("12-2026", 202612), ("2026/1", 202601), (" 1/2027 ", 202701)],
)
def test_months_are_read_in_either_order(text: str, month: int) -> None:
    assert reports.parse_month(text) == month


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("13-2026", NoSuchMonth),
        ("2026-00", NoSuchMonth),
        ("desember", BadMonth),
        ("12-26", BadMonth),
        ("2026-123", BadMonth),
        ("", BadMonth),
    ],
)
def test_bad_months_are_refused_with_a_reason(text: str, kind: type[UseCaseError]) -> None:
    with pytest.raises(kind):
        reports.parse_month(text)


async def test_a_future_month_is_refused(db: SessionFactory) -> None:
    world = await build_world(db)
    with pytest.raises(FutureMonth) as caught:
        await reports.month_report(db, world.facilitator, 202701, NOW)
    assert caught.value.month == 202701
    # The current month is fine even where it began earliest (east Indonesia).
    new_year_in_papua = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # 01.00 WIT on 1 January
    report = await reports.month_report(db, world.facilitator, 202701, new_year_in_papua)
    assert report.meetings == 0


# -- the facilitator's report ---------------------------------------------------------------


async def test_facilitator_report_counts_everything_once(db: SessionFactory) -> None:
    world = await build_world(db)
    report = await reports.month_report(db, world.facilitator, 202612, NOW)
    assert report.audience is Role.FACILITATOR and report.include_ids
    # Melati has no confirmed meeting (its only one was cancelled): listed first.
    assert [g.name for g in report.groups] == ["Melati", "Mawar Satu"]
    melati, mawar = report.groups
    assert [m.state for m in melati.meetings] == [MeetingState.CANCELLED]
    assert not melati.confirmed and melati.attendance.roster == 0 and melati.rate is None
    assert mawar.confirmed and mawar.roster == 6 and mawar.on_telegram == 2
    (meeting,) = mawar.meetings
    assert meeting.state is MeetingState.CONFIRMED
    counts = meeting.attendance
    assert (counts.hadir, counts.izin, counts.sakit, counts.alfa) == (3, 1, 1, 1)
    assert counts.roster == 7 and counts.unmarked == 1  # six active + one who left since
    assert (meeting.rsvp_coming, meeting.rsvp_not_coming) == (2, 1)
    assert meeting.chair_attendees == 4 and meeting.info_passed is True
    assert meeting.chair_notes is not None and "KKS" in meeting.chair_notes
    assert meeting.quiz_participants == 2
    assert (mawar.complaints_opened, mawar.complaints_resolved) == (2, 1)
    assert mawar.rate == 43  # 3 of 7
    assert report.meetings == 1  # the cancelled one is not a meeting


async def test_a_month_without_meetings_is_an_empty_report(db: SessionFactory) -> None:
    world = await build_world(db)
    report = await reports.month_report(db, world.facilitator, 202610, NOW)
    assert report.meetings == 0
    assert {g.name for g in report.groups} == {"Mawar Satu", "Melati"}
    assert all(not g.meetings for g in report.groups)


async def test_a_group_code_narrows_the_report_and_must_be_yours(db: SessionFactory) -> None:
    world = await build_world(db)
    report = await reports.month_report(db, world.facilitator, 202612, NOW, group_code="mawar1")
    assert [g.code for g in report.groups] == ["MAWAR1"]
    for code in ("ANGGREK", "NOPE"):  # another facilitator's, and one that does not exist
        with pytest.raises(GroupNotYours) as caught:
            await reports.month_report(db, world.facilitator, 202612, NOW, group_code=code)
        assert caught.value.code == code
    with pytest.raises(NotAllowed):
        await reports.month_report(db, world.facilitator, 202612, NOW, group_id=world.anggrek)


async def test_coordinator_report_rolls_up_per_facilitator(db: SessionFactory) -> None:
    world = await build_world(db)
    report = await reports.month_report(db, world.coordinator, 202612, NOW)
    assert report.audience is Role.COORDINATOR
    assert [g.name for g in report.unconfirmed] == ["Melati", "Anggrek"]
    assert [g.name for g in report.groups][:2] == ["Melati", "Anggrek"]
    anggrek = report.groups[1]
    assert anggrek.meetings[0].state is MeetingState.HELD
    assert anggrek.meetings[0].confirmation_open
    by_name = {f.name: f for f in report.facilitators}
    assert (len(by_name["Bu Ani"].groups), by_name["Bu Ani"].confirmed) == (2, 1)
    assert (len(by_name["Pak Budi"].groups), by_name["Pak Budi"].confirmed) == (1, 0)
    assert by_name["Pak Budi"].rate == 33  # 1 of 3
    assert by_name["Bu Ani"].complaints_opened == 2
    # Those with more unconfirmed groups come first; here one each, so by name.
    assert [f.name for f in report.facilitators] == ["Bu Ani", "Pak Budi"]


async def test_chairs_see_their_group_without_identifiers_members_see_nothing(
    db: SessionFactory,
) -> None:
    world = await build_world(db)
    report = await reports.month_report(db, world.chair, 202612, NOW)
    assert report.audience is Role.CHAIR and not report.include_ids
    assert [g.name for g in report.groups] == ["Mawar Satu"]
    with pytest.raises(NotAllowed):
        await reports.month_report(db, world.member, 202612, NOW)


async def test_chart_series_per_group_and_per_facilitator(db: SessionFactory) -> None:
    world = await build_world(db)
    chart = await reports.attendance_chart(db, world.facilitator, NOW)
    assert chart.months == (202607, 202608, 202609, 202610, 202611, 202612)
    series = {s.label: {p.month: p for p in s.points} for s in chart.series}
    november = series["Mawar Satu"][202611]
    assert (november.hadir, november.roster, november.rate) == (2, 6, 33)
    assert series["Mawar Satu"][202612].rate == 43
    # No roll call in October: missing (no roster to count against), not 0%.
    assert series["Mawar Satu"][202610].roster == 0 and series["Mawar Satu"][202610].rate is None
    assert {p.rate for p in series["Melati"].values()} == {None}
    assert not chart.empty
    earlier = await reports.attendance_chart(db, world.facilitator, NOW, last=202608)
    assert earlier.months == (202603, 202604, 202605, 202606, 202607, 202608)
    assert earlier.empty
    overall = await reports.attendance_chart(db, world.coordinator, NOW)
    assert {s.label for s in overall.series} == {"Bu Ani", "Pak Budi"}


# -- the activity record --------------------------------------------------------------------


async def test_record_has_the_form_fields_and_a_draft_description(db: SessionFactory) -> None:
    world = await build_world(db)
    record = await activity_record.activity_record(db, world.facilitator, world.december)
    assert worded.activity_name(record, "id").startswith("Pertemuan P2K2 Kelompok Mawar Satu")
    assert "Sesi 3" in worded.material(record, "id") and "Modul 1" in worded.material(record, "id")
    # The stunting material is copied into the facilitator's report as what it is.
    stunting = replace(record, session_number=15)
    assert worded.material(stunting, "id") == "Materi tambahan: Mengenal dan Mencegah Stunting"
    assert (
        worded.material(stunting, "en")
        == "Supplementary material: Understanding and Preventing Stunting"
    )
    for lang in ("id", "en"):
        intro = worded.draft_description(lang, "Mawar", 15, record.counts, None)
        assert "6" not in intro.split(".")[0] and "15" not in intro.split(".")[0], intro
    assert record.speaker == "Bu Ani" and record.venue == "Balai Desa"
    assert record.ends_at - record.starts_at == timedelta(minutes=120)
    assert (record.counts.hadir, record.counts.roster) == (3, 7)
    assert [line.name for line in record.lines][:1] == ["+62 812 555"]
    assert all(line.programme_id for line in record.lines if line.name in TRICKY)
    assert not record.description_edited and record.description is None
    draft = worded.description(record, "id")
    assert "KKS" in draft  # the chair's notes
    assert "Hadir 3 dari 7" in draft
    assert activity_record.word_count(draft) <= activity_record.MAX_WORDS
    chair_view = await activity_record.activity_record(db, world.chair, world.december)
    assert not chair_view.may_edit and all(line.programme_id is None for line in chair_view.lines)
    with pytest.raises(NotAllowed):
        await activity_record.activity_record(db, world.other_facilitator, world.december)
    with pytest.raises(NotAllowed):
        await activity_record.activity_record(db, world.member, world.december)


async def test_description_is_edited_limited_and_reset(db: SessionFactory) -> None:
    world = await build_world(db)
    text = "Pertemuan berjalan lancar.\nIbu-ibu aktif bertanya."
    record = await activity_record.save_description(
        db, world.facilitator, world.december, text, NOW
    )
    assert record.description == text and record.description_edited
    again = await activity_record.activity_record(db, world.facilitator, world.december)
    assert again.description == text
    with pytest.raises(activity_record.TooManyWords) as caught:
        await activity_record.save_description(
            db, world.facilitator, world.december, "kata " * 501, NOW
        )
    assert caught.value.words == 501
    with pytest.raises(EmptyText):
        await activity_record.save_description(db, world.facilitator, world.december, "  ", NOW)
    with pytest.raises(NotAllowed):
        await activity_record.save_description(db, world.chair, world.december, "x", NOW)
    reset = await activity_record.reset_description(db, world.facilitator, world.december, NOW)
    assert not reset.description_edited and "KKS" in worded.description(reset, "id")


def test_a_long_draft_is_cut_to_500_words() -> None:
    from storage.reports import StatusCounts

    draft = worded.draft_description(
        "id", "Mawar", 3, StatusCounts(3, 0, 0, 0, 5), "catatan " * 900
    )
    assert activity_record.word_count(draft) == activity_record.MAX_WORDS
    assert draft.endswith("…")


async def test_photo_with_location_from_the_chair(db: SessionFactory) -> None:
    world = await build_world(db)
    choices = await activity_record.photo_choices(db, world.chair, NOW)
    assert [c.meeting_id for c in choices] == [world.december, world.november]  # newest first
    saved = await activity_record.add_photo(
        db, world.chair, world.december, "file-1", "uniq-1", NOW
    )
    located = await activity_record.set_photo_location(db, world.chair, saved.photo_id, -6.2, 106.8)
    assert located.meeting_id == world.december
    record = await activity_record.activity_record(db, world.facilitator, world.december)
    assert record.photo is not None and record.photo.file_id == "file-1"
    assert (record.photo.latitude, record.photo.longitude) == (-6.2, 106.8)
    assert record.photo.sent_by == "Siti" and record.photos == 1
    with pytest.raises(activity_record.BadLocation):
        await activity_record.set_photo_location(db, world.chair, saved.photo_id, 95.0, 0.0)
    with pytest.raises(NotAllowed):
        await activity_record.set_photo_location(db, world.member, saved.photo_id, 1.0, 1.0)


async def test_photo_is_refused_where_it_does_not_belong(db: SessionFactory) -> None:
    world = await build_world(db)
    with pytest.raises(activity_record.PhotoCancelled):
        await activity_record.add_photo(db, world.facilitator, world.cancelled, "f", None, NOW)
    with pytest.raises(activity_record.PhotoTooEarly):
        await activity_record.add_photo(
            db, world.chair, world.december, "f", None, DEC_5 - timedelta(days=1)
        )
    with pytest.raises(NotAllowed):
        await activity_record.add_photo(db, world.member, world.december, "f", None, NOW)
    with pytest.raises(NotAllowed):
        await activity_record.add_photo(db, world.other_facilitator, world.december, "f", None, NOW)
    with pytest.raises(NotFound):
        await activity_record.add_photo(db, world.facilitator, 999_999, "f", None, NOW)
    with pytest.raises(NotAllowed):
        await activity_record.photo_choices(db, world.coordinator, NOW)
