"""Personal data at the storage level (issue 21): a person's own data is complete, erasure
leaves nothing of her Telegram identity anywhere, and retention deletes only what is due.

The checks enumerate the models' tables and columns rather than a list kept by hand: a new
table that points at a person, or holds a Telegram id, fails here until it is shown to her
and erased (or listed in NOT_SHOWN with its reason)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, get_args

import pytest
from sqlalchemy import BigInteger, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from content.texts import LANGUAGES, catalogue
from storage import audit, complaints, deliveries, groups, people, reports, roster
from storage.actors import Actor, TelegramUser
from storage.complaints import Attachment
from storage.complaints.history import EventAction
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.deliveries.notices import send_notice
from storage.errors import NotAllowed
from storage.models import (
    AttemptKind,
    Attendance,
    AttendanceChange,
    AttendanceSource,
    AttendanceStatus,
    Base,
    Complaint,
    ConfirmationMessage,
    ConfirmationRequest,
    Delivery,
    DeliveryStatus,
    ErasureStatus,
    InviteKind,
    JoinAttempt,
    Meeting,
    Member,
    Person,
    QuizAnswer,
    QuizPoll,
    Rsvp,
    StaffRole,
)
from storage.models.complaints import AttachmentKind, ComplaintCategory, ComplaintStatus
from storage.operations.status import dispatcher_status, render
from storage.privacy import erasure, own_data, retention
from storage.reports import exports
from tests.joins import join_added
from timekeeping.clock import ManualClock

SLA = timedelta(days=3)
YEAR = timedelta(days=365)
HER_TELEGRAM_ID = 987_654_321_012  # distinctive: found nowhere by chance
HER_FILES = ("photo-of-her-kks", "voice-of-her-complaint", "document-of-hers")


@dataclass
class World:
    facilitator: Actor
    member: Actor
    neighbour: Actor
    group_id: int
    line_ids: list[int]
    meeting_id: int
    closed_complaint: int
    open_complaint: int


async def actor(db: SessionFactory, telegram_id: int, name: str) -> Actor:
    found, _ = await people.identify(
        db, TelegramUser(telegram_id, name, "id"), (), "id", private_chat=True
    )
    return found


async def world(db: SessionFactory, clock: ManualClock) -> World:
    """A member with a row in every table that can hold something of hers."""
    await people.add_staff(db, 100, "Bu Rina", StaffRole.FACILITATOR)
    facilitator = await actor(db, 100, "Bu Rina")
    now = clock.now()
    links = await groups.create_group(
        db,
        facilitator,
        name="Mawar 1",
        village="Sukamaju",
        venue=None,
        timezone="Asia/Jakarta",
        now=now,
        ttl=timedelta(days=14),
    )
    token = links.tokens[InviteKind.MEMBER]
    member = await actor(db, HER_TELEGRAM_ID, "Siti")
    await join_added(db, member, token, "Siti Aminah", facilitator, now)
    neighbour = await actor(db, 201, "Nur")
    await join_added(db, neighbour, token, "Nur Hasanah", facilitator, now)
    member = (await people.reload_actor(db, member))[0]
    neighbour = (await people.reload_actor(db, neighbour))[0]
    gid = links.group.id

    closed = await complaints.submit(
        db,
        member,
        group_id=gid,
        category=ComplaintCategory.CARD,
        text="Kartu KKS saya tertelan ATM",
        attachments=[
            Attachment(AttachmentKind.PHOTO, HER_FILES[0]),
            Attachment(AttachmentKind.VOICE, HER_FILES[1]),
        ],
        discuss_anonymously=False,
        now=now,
        sla=SLA,
    )
    await complaints.reply(db, facilitator, closed.ticket.id, "Sudah saya urus, Bu", now)
    await complaints.set_status(db, facilitator, closed.ticket.id, ComplaintStatus.RESOLVED, now)
    await complaints.member_verdict(db, member, closed.ticket.id, True, now)
    still_open = await complaints.submit(
        db,
        member,
        group_id=gid,
        category=ComplaintCategory.AID,
        text="Bantuan belum cair",
        attachments=[Attachment(AttachmentKind.DOCUMENT, HER_FILES[2], "surat.pdf")],
        discuss_anonymously=False,
        now=now,
        sla=SLA,
    )

    async with db.begin() as session:
        lines = list(await session.scalars(select(Member).where(Member.group_id == gid)))
        mine = [line.id for line in lines if line.person_id == member.person_id]
        theirs = next(line.id for line in lines if line.person_id == neighbour.person_id)
        meeting = Meeting(
            group_id=gid,
            session_number=1,
            starts_at=now - timedelta(days=2),
            created_by=facilitator.person_id,
        )
        session.add(meeting)
        await session.flush()
        for line_id in (mine[0], theirs):
            session.add(
                Rsvp(meeting_id=meeting.id, member_id=line_id, coming=True, answered_at=now)
            )
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    member_id=line_id,
                    status=AttendanceStatus.HADIR,
                    source=AttendanceSource.SELF,
                    recorded_by=member.person_id if line_id in mine else neighbour.person_id,
                )
            )
            session.add(
                AttendanceChange(
                    meeting_id=meeting.id,
                    member_id=line_id,
                    new_status=AttendanceStatus.HADIR,
                    source=AttendanceSource.SELF,
                )
            )
        session.add(
            QuizPoll(poll_id="poll-1", meeting_id=meeting.id, question_index=0, correct_option=1)
        )
        await session.flush()
        session.add(
            QuizAnswer(poll_id="poll-1", person_id=member.person_id, option=1, correct=True)
        )
        request = ConfirmationRequest(
            meeting_id=meeting.id, group_id=gid, chair_person_id=member.person_id, notes="Sudah bu"
        )
        session.add(request)
        await session.flush()
        session.add(
            ConfirmationMessage(
                request_id=request.id, chat_id=HER_TELEGRAM_ID, message_id=77, kind="request"
            )
        )
        session.add(JoinAttempt(person_id=member.person_id, kind=AttemptKind.SEARCH, at=now))
        her = await session.get_one(Person, member.person_id)
        await send_notice(
            session, her, key="hello", text="joining.already_you", params={"group": "x"}, now=now
        )
        await deliveries.enqueue(
            session,
            key="reminder-copy",
            kind=DeliveryKind.NOTICE,
            chat_id=HER_TELEGRAM_ID,
            due_at=now,
            payload={"text": "joining.already_you", "params": {"group": "x"}},
        )
    return World(
        facilitator,
        member,
        neighbour,
        gid,
        mine,
        meeting.id,
        closed.ticket.id,
        still_open.ticket.id,
    )


def _pointing_columns() -> list[tuple[str, str, str]]:
    """(table, column, target table) for every column that points at a person or a line."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name in ("people", "members"):
                    found.append((table.name, column.name, fk.column.table.name))
    return found


async def test_her_own_data_holds_every_row_about_her(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    data = await own_data.collect(db, w.member.person_id, "Asia/Jakarta")
    checked = 0
    async with db.begin() as session:
        for table_name, column_name, target in _pointing_columns():
            if (table_name, column_name) in own_data.NOT_SHOWN:
                continue
            table = Base.metadata.tables[table_name]
            column = table.c[column_name]
            wanted = [w.member.person_id] if target == "people" else w.line_ids
            pk = next(iter(table.primary_key.columns))
            about_her = set(await session.scalars(select(pk).where(column.in_(wanted))))
            missing = about_her - data.ids(table_name)
            assert not missing, f"{table_name}.{column_name}: rows {missing} not shown to her"
            checked += len(about_her)
        # Columns holding a Telegram id: her rows there are shown too.
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, BigInteger) and not column.primary_key:
                    pk = next(iter(table.primary_key.columns))
                    hers = set(await session.scalars(select(pk).where(column == HER_TELEGRAM_ID)))
                    if table.name == "people":
                        hers -= {w.member.person_id}
                        assert data.ids("people") == {w.member.person_id}
                    assert hers <= data.ids(table.name), f"{table.name}.{column.name}"
    assert checked >= 15  # the world above really has rows about her everywhere
    for table in (
        "members",
        "rsvps",
        "attendance",
        "complaints",
        "complaint_messages",
        "quiz_answers",
        "confirmation_requests",
        "confirmation_messages",
        "join_requests",
        "join_attempts",
        "deliveries",
    ):
        assert data.count(table) > 0, table
    # Her neighbour's rows are not hers.
    assert data.count("rsvps") == 1 and data.count("attendance") == 1
    assert data.count("members") == 1
    from views.privacy import file_text

    text = file_text("id", data, clock.now(), YEAR)
    for file_id in HER_FILES[:2]:
        assert file_id in text
    assert "surat.pdf" in text  # a document is shown by its name
    assert "Kartu KKS saya tertelan ATM" in text and "Nur Hasanah" not in text
    # Stored codes (statuses, kinds) are worded as the rest of the bot words them, never raw.
    codes = [
        value
        for section in data.sections
        for row in section.rows
        for _, value in row.fields
        if isinstance(value, enum.StrEnum | own_data.Code)
    ]
    assert len({type(code) for code in codes}) >= 6
    for code in codes:
        raw = code.code if isinstance(code, own_data.Code) else code.value
        assert not re.search(rf": {re.escape(raw)}(;|$)", text, re.MULTILINE), code
    assert "Status: Hadir" in text or "status: Hadir" in text


def _cells(value: Any) -> str:
    return "" if value is None else str(value)


async def _everywhere(session: AsyncSession, needles: tuple[str, ...]) -> list[str]:
    """Every (table.column) holding one of the needles, in any column of any table."""
    found = []
    for table in Base.metadata.sorted_tables:
        rows = (await session.execute(select(table))).all()
        for row in rows:
            for column, value in zip(table.columns, row, strict=True):
                if any(needle in _cells(value) for needle in needles):
                    found.append(f"{table.name}.{column.name}={value!r}")
    return found


async def test_erasure_leaves_no_telegram_id_chat_id_or_attachment_of_hers(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    now = clock.now()
    # The columns that can hold a Telegram id or a chat id, from the models: each is looked at.
    id_columns = {
        f"{t.name}.{c.name}"
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, BigInteger) or "chat" in c.name or "telegram" in c.name
    }
    assert {
        "people.telegram_user_id",
        "deliveries.chat_id",
        "confirmation_messages.chat_id",
    } <= id_columns
    async with db.begin() as session:
        assert await _everywhere(session, (str(HER_TELEGRAM_ID),))

    asked = await erasure.request(db, w.member, now)
    assert asked.asked is erasure.Asked.FACILITATOR and asked.facilitator == "Bu Rina"
    async with db.begin() as session:
        question = await session.scalar(
            select(Delivery).where(Delivery.kind == DeliveryKind.ERASURE_QUESTION)
        )
        assert question is not None and question.chat_id == 100
        request_id = question.payload["request_id"] if question.payload else 0
    # Nobody but her facilitator (or a coordinator) may erase her.
    try:
        await erasure.answer(db, w.neighbour, request_id, True, now)
        raise AssertionError("a member erased another")
    except NotAllowed:
        pass
    done = await erasure.answer(db, w.facilitator, request_id, True, now)
    assert done.status is ErasureStatus.DONE and done.member_name == "Siti Aminah"

    async with db.begin() as session:
        assert await _everywhere(session, (str(HER_TELEGRAM_ID),)) == []
        # The closed complaint's attachments are gone; the open one's wait for its end.
        assert await _everywhere(session, HER_FILES[:2]) == []
        assert len(await _everywhere(session, HER_FILES[2:])) == 1
        line = await session.get_one(Member, w.line_ids[0])
        assert line.name == "Siti Aminah" and line.person_id is None  # the programme's record
        assert await session.scalar(select(Attendance).where(Attendance.member_id == line.id))
        assert not await session.scalar(select(Rsvp).where(Rsvp.member_id == line.id))
        her = await session.get_one(Person, w.member.person_id)
        assert her.telegram_user_id is None and her.name == "-" and her.erased_at == now
        closed = await session.get_one(Complaint, w.closed_complaint)
        assert closed.member_id is None and closed.status is ComplaintStatus.CLOSED
        assert closed.category is ComplaintCategory.CARD
    # The facilitator ends the open complaint; the next retention run empties it.
    await complaints.set_status(
        db, w.facilitator, w.open_complaint, ComplaintStatus.REJECTED, now, reason="Bukan wewenang"
    )
    await retention.run(db, now, YEAR)
    async with db.begin() as session:
        assert await _everywhere(session, HER_FILES) == []
        assert await _everywhere(session, ("Bantuan belum cair", "Bukan wewenang")) == []
        ended = await session.get_one(Complaint, w.open_complaint)
        assert ended.member_id is None and ended.purged_at == now
    # A second answer to the same request is refused.
    try:
        await erasure.answer(db, w.facilitator, request_id, True, now)
        raise AssertionError("answered twice")
    except erasure.ErasureAnswered:
        pass


async def test_a_refused_erasure_tells_her_and_keeps_everything(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    now = clock.now()
    await erasure.request(db, w.member, now)
    await erasure.request(db, w.member, now)  # asking twice makes one request
    async with db.begin() as session:
        asks = list(
            await session.scalars(
                select(Delivery).where(Delivery.kind == DeliveryKind.ERASURE_QUESTION)
            )
        )
        assert len(asks) == 1 and asks[0].payload
        request_id = asks[0].payload["request_id"]
    answered = await erasure.answer(db, w.facilitator, request_id, False, now)
    assert answered.status is ErasureStatus.REFUSED
    async with db.begin() as session:
        her = await session.get_one(Person, w.member.person_id)
        assert her.telegram_user_id == HER_TELEGRAM_ID and her.erased_at is None
        told = await session.scalar(
            select(Delivery).where(Delivery.key == f"erase:{request_id}:refused")
        )
        assert told is not None and told.chat_id == HER_TELEGRAM_ID


async def test_someone_on_no_roster_is_erased_at_once_and_staff_are_not(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    stranger = await actor(db, 777_777_777_701, "Orang lewat")
    done = await erasure.request(db, stranger, clock.now())
    assert done.asked is erasure.Asked.ERASED
    async with db.begin() as session:
        assert await _everywhere(session, ("777777777701",)) == []
    try:
        await erasure.request(db, w.facilitator, clock.now())
        raise AssertionError("staff erased")
    except erasure.StaffCannotErase:
        pass


async def _ended_at(db: SessionFactory, complaint_id: int, when: Any) -> None:
    async with db.begin() as session:
        await session.execute(
            update(Complaint).where(Complaint.id == complaint_id).values(updated_at=when)
        )


async def test_retention_deletes_only_what_is_due(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    now = clock.now()
    # Closed 400 days ago: due. The open one, filed long ago: not due (it has not ended).
    await _ended_at(db, w.closed_complaint, now - timedelta(days=400))
    await _ended_at(db, w.open_complaint, now - timedelta(days=500))
    young = await complaints.submit(
        db,
        w.neighbour,
        group_id=w.group_id,
        category=ComplaintCategory.AID,
        text="Keluhan tetangga",
        attachments=[Attachment(AttachmentKind.PHOTO, "neighbour-photo")],
        discuss_anonymously=False,
        now=now,
        sla=SLA,
    )
    await complaints.set_status(db, w.facilitator, young.ticket.id, ComplaintStatus.RESOLVED, now)
    await _ended_at(db, young.ticket.id, now - timedelta(days=300))  # ended, not a year yet
    async with db.begin() as session:
        rows = list(await session.scalars(select(Delivery).order_by(Delivery.id)))
        old_sent, recent_sent, old_pending = rows[0], rows[1], rows[2]
        for row, status, age in (
            (old_sent, DeliveryStatus.SENT, 100),
            (recent_sent, DeliveryStatus.SENT, 10),
            (old_pending, DeliveryStatus.PENDING, 100),
        ):
            row.status = status
            row.due_at = now - timedelta(days=age)
            row.payload = {"text": "x"}
        ids = (old_sent.id, recent_sent.id, old_pending.id)

    assert await retention.run_if_due(db, now, YEAR) == now + timedelta(days=1)
    async with db.begin() as session:
        purged = await session.get_one(Complaint, w.closed_complaint)
        assert purged.purged_at == now and purged.status is ComplaintStatus.CLOSED
        assert purged.category is ComplaintCategory.CARD and purged.member_id is not None
        found = await _everywhere(session, (*HER_FILES, "Kartu KKS", "Sudah saya urus"))
        assert found == [f"complaint_messages.file_id='{HER_FILES[2]}'"]
        assert await _everywhere(session, ("neighbour-photo", "Keluhan tetangga"))
        payloads = {
            d.id: d.payload
            for d in await session.scalars(select(Delivery).where(Delivery.id.in_(ids)))
        }
        assert payloads == {ids[0]: None, ids[1]: {"text": "x"}, ids[2]: {"text": "x"}}
    last = await retention.last_run(db)
    assert last is not None and last.detail == {"complaints": 1, "payloads": 1, "more": False}
    shown = render(await dispatcher_status(db, now + timedelta(hours=1)))
    assert "retention: last run 60 min ago" in shown
    assert "complaints emptied: 1, delivery payloads pruned: 1" in shown
    # Once a day: a second look the same day does nothing.
    assert await retention.run_if_due(db, now + timedelta(hours=5), YEAR) == now + timedelta(days=1)
    assert (await retention.last_run(db)).ran_at == now  # type: ignore[union-attr]


async def test_retention_works_in_batches(db: SessionFactory, clock: ManualClock) -> None:
    w = await world(db, clock)
    now = clock.now()
    await complaints.set_status(
        db, w.facilitator, w.open_complaint, ComplaintStatus.REJECTED, now, reason="x"
    )
    for complaint_id in (w.closed_complaint, w.open_complaint):
        await _ended_at(db, complaint_id, now - timedelta(days=400))
    first = await retention.run(db, now, YEAR, batch=1)
    assert first.detail["more"] is True and first.detail["complaints"] == 1
    # More to do: the next tick continues without waiting a day.
    assert await retention.run_if_due(db, now, YEAR) == now + timedelta(days=1)
    async with db.begin() as session:
        left = await session.scalar(select(Complaint).where(Complaint.purged_at.is_(None)))
        assert left is None


async def test_reads_of_personal_data_are_in_the_coordinators_trail(
    db: SessionFactory, clock: ManualClock
) -> None:
    w = await world(db, clock)
    now = clock.now()
    await people.add_staff(db, 300, "Pak Koor", StaffRole.COORDINATOR)
    coordinator = await actor(db, 300, "Pak Koor")
    # Her own ticket is hers to read: not a line in the trail.
    await complaints.ticket(db, w.member, w.closed_complaint, now=now)
    assert (await audit.trail(db, coordinator)).lines == ()

    await complaints.ticket(db, w.facilitator, w.open_complaint, now=now)
    await complaints.ticket(
        db, w.facilitator, w.open_complaint, now=now, reading=audit.Read.ATTACHMENTS
    )
    group, _ = await roster.list_members(db, w.facilitator, w.group_id, now=now)
    data = await exports.export_month(db, w.facilitator, 202611, now, group_id=w.group_id)
    await reports.month_report(db, coordinator, 202611, now)
    found = await audit.trail(db, coordinator)
    number = f"K-{w.open_complaint:04d}"
    assert [(line.who, line.action, line.detail) for line in found.lines][:5] == [
        ("Pak Koor", "read.report", "2026-11"),
        ("Bu Rina", "read.export", f"2026-11 #{w.group_id}"),
        ("Bu Rina", "read.roster", group.code),
        ("Bu Rina", "read.attachments", number),
        ("Bu Rina", "read.complaint", number),
    ]
    assert all(line.at == now for line in found.lines[:5])
    # The file says who made it and when.
    assert data.made_by == "Bu Rina" and data.made_at == now
    from views.exports import build_csv

    header, first = build_csv(data, "id").decode("utf-8-sig").splitlines()[:2]
    assert header.endswith("Dibuat oleh,Dibuat pada")
    assert first.endswith(',Bu Rina,"Selasa, 1 Desember 2026 pukul 09.00 WIB"'), first
    # Only coordinators read the trail.
    for reader in (w.facilitator, w.member):
        with pytest.raises(NotAllowed):
            await audit.trail(db, reader)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_kind_of_message_and_step_has_words(lang: str) -> None:
    words = catalogue(lang)
    kinds = {
        "privacy.value.delivery_kind": [kind.value for kind in DeliveryKind],
        "privacy.value.message": ["answer", "request", "chase", "escalation", "answered"],
        "complaints.event": list(get_args(EventAction)),
    }
    missing = [f"{prefix}.{code}" for prefix, codes in kinds.items() for code in codes]
    assert [key for key in missing if key not in words] == []
