"""Everything the bot holds about one person, for /data_saya: her right to know.

Each section is one table and lists every row about her: rows pointing at her person or at
her roster lines. Rows she wrote about other people as a chair or as staff (the attendance she
recorded, a claim someone else made to her line) are those people's data and are left out;
`NOT_SHOWN` names each such column with the reason, and tests/test_privacy_storage.py fails
when a new column pointing at a person is neither shown nor listed there."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory
from storage.models import (
    Attendance,
    AttendanceChange,
    AuditEntry,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ConfirmationMessage,
    ConfirmationRequest,
    Delivery,
    ErasureRequest,
    Group,
    JoinAttempt,
    JoinRequest,
    Meeting,
    MeetingPhoto,
    Member,
    Person,
    QuizAnswer,
    Rsvp,
    ticket_number,
)


@dataclass(frozen=True)
class Code:
    """A step or a kind stored as a short code, with the list it comes from: the view words it."""

    of: Literal["complaint_event", "audit", "confirmation_message", "delivery"]
    code: str


# A stored code (a status, a kind) stays an enum member or a Code here: the view words it.
Value = str | int | bool | datetime | enum.StrEnum | Code | None

# (table, column) pointing at a person or a roster line whose rows are not shown, and why.
NOT_SHOWN: dict[tuple[str, str], str] = {
    ("attendance", "recorded_by"): "attendance she recorded for others as chair",
    ("attendance_changes", "changed_by"): "attendance she changed for others as chair",
    ("roll_calls", "saved_by"): "a roll call of the whole group she saved as chair",
    ("attendance_locks", "locked_by"): "staff only",
    ("activity_descriptions", "edited_by"): "staff only",
    ("activity_end_times", "edited_by"): "staff only",
    ("meeting_rules", "updated_by"): "staff only",
    ("meetings", "created_by"): "staff only",
    ("invites", "created_by"): "staff only",
    ("announcements", "sender_id"): "staff only",
    ("groups", "facilitator_id"): "staff only",
    ("complaints", "facilitator_id"): "staff only",
    ("confirmation_requests", "requested_by"): "staff only",
    ("join_requests", "decided_by"): "joins of other people she confirmed as chair",
    ("join_requests", "member_id"): "claims by other people to her line: their data",
    ("erasure_requests", "decided_by"): "staff only",
}


@dataclass(frozen=True)
class Row:
    id: int
    fields: tuple[tuple[str, Value], ...]  # (label key under privacy.field, value)


@dataclass(frozen=True)
class Section:
    table: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class OwnData:
    name: str
    timezone: str
    sections: tuple[Section, ...]

    def ids(self, table: str) -> set[int]:
        return {row.id for s in self.sections if s.table == table for row in s.rows}

    def count(self, table: str) -> int:
        return len(self.ids(table))


def _row(id_: int, **fields: Value) -> Row:
    return Row(id_, tuple(fields.items()))


async def _section(session: AsyncSession, table: str, stmt: Select[Any], make: Any) -> Section:
    return Section(table, tuple(make(*found) for found in (await session.execute(stmt)).all()))


async def collect(db: SessionFactory, person_id: int, default_timezone: str) -> OwnData:
    """Every row about this person, table by table (one read transaction)."""
    async with db.begin() as session:
        person = await session.get_one(Person, person_id)
        lines = list(await session.scalars(select(Member).where(Member.person_id == person_id)))
        line_ids = [line.id for line in lines]
        groups = {
            g.id: g
            for g in await session.scalars(
                select(Group).where(Group.id.in_({line.group_id for line in lines}))
            )
        }
        timezone = next(iter(groups.values())).timezone if groups else default_timezone
        complaint_ids = list(
            await session.scalars(select(Complaint.id).where(Complaint.person_id == person_id))
        )
        sections = [
            Section(
                "people",
                (
                    _row(
                        person.id,
                        telegram_name=person.name,
                        telegram_id=person.telegram_user_id,
                        language=person.language,
                        private_reminders=person.private_reminders,
                        since=person.created_at,
                    ),
                ),
            ),
            Section(
                "members",
                tuple(
                    _row(
                        line.id,
                        group=groups[line.group_id].name,
                        roster_name=line.name,
                        programme_id=line.programme_id,
                        phone=line.phone,
                        chair=groups[line.group_id].chair_member_id == line.id,
                        active=line.active,
                    )
                    for line in lines
                ),
            ),
            Section(
                "groups",
                tuple(
                    _row(g.id, group=g.name, code=g.code, village=g.village, venue=g.venue)
                    for g in groups.values()
                ),
            ),
            await _section(
                session,
                "rsvps",
                select(Rsvp, Meeting)
                .join(Meeting, Meeting.id == Rsvp.meeting_id)
                .where(Rsvp.member_id.in_(line_ids))
                .order_by(Meeting.starts_at),
                lambda r, m: _row(
                    r.id,
                    meeting=m.starts_at,
                    session=m.session_number,
                    coming=r.coming,
                    at=r.answered_at,
                ),
            ),
            await _section(
                session,
                "attendance",
                select(Attendance, Meeting)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(Attendance.member_id.in_(line_ids))
                .order_by(Meeting.starts_at),
                lambda a, m: _row(
                    a.id,
                    meeting=m.starts_at,
                    session=m.session_number,
                    status=a.status,
                    at=a.recorded_at,
                ),
            ),
            await _section(
                session,
                "attendance_changes",
                select(AttendanceChange, Meeting)
                .join(Meeting, Meeting.id == AttendanceChange.meeting_id)
                .where(AttendanceChange.member_id.in_(line_ids))
                .order_by(AttendanceChange.id),
                lambda c, m: _row(
                    c.id,
                    meeting=m.starts_at,
                    status_before=c.old_status,
                    status=c.new_status,
                    at=c.changed_at,
                ),
            ),
            await _section(
                session,
                "complaints",
                select(Complaint).where(Complaint.id.in_(complaint_ids)).order_by(Complaint.id),
                lambda c: _row(
                    c.id,
                    ticket=ticket_number(c.id),
                    category=c.category,
                    status=c.status,
                    since=c.created_at,
                    at=c.updated_at,
                    deleted=c.purged_at,
                ),
            ),
            await _section(
                session,
                "complaint_messages",
                select(ComplaintMessage)
                .where(
                    or_(
                        ComplaintMessage.complaint_id.in_(complaint_ids),
                        ComplaintMessage.author_id == person_id,
                    )
                )
                .order_by(ComplaintMessage.id),
                lambda m: _row(
                    m.id,
                    ticket=ticket_number(m.complaint_id),
                    from_staff=m.from_staff,
                    kind=m.kind,
                    text=m.text,
                    file=m.file_name or m.file_id,
                    at=m.created_at,
                ),
            ),
            await _section(
                session,
                "complaint_events",
                select(ComplaintEvent)
                .where(
                    or_(
                        ComplaintEvent.complaint_id.in_(complaint_ids),
                        ComplaintEvent.actor_id == person_id,
                    )
                )
                .order_by(ComplaintEvent.id),
                lambda e: _row(
                    e.id,
                    ticket=ticket_number(e.complaint_id),
                    action=Code("complaint_event", e.action),
                    status=e.status,
                    at=e.at,
                ),
            ),
            await _section(
                session,
                "join_requests",
                select(JoinRequest, Group.name)
                .join(Group, Group.id == JoinRequest.group_id)
                .where(JoinRequest.person_id == person_id)
                .order_by(JoinRequest.id),
                lambda j, group: _row(
                    j.id,
                    group=group,
                    typed_name=j.typed_name,
                    status=j.status,
                    at=j.created_at,
                ),
            ),
            await _section(
                session,
                "join_attempts",
                select(JoinAttempt).where(JoinAttempt.person_id == person_id),
                lambda a: _row(a.id, action=a.kind, at=a.at),
            ),
            await _section(
                session,
                "quiz_answers",
                select(QuizAnswer).where(QuizAnswer.person_id == person_id),
                lambda q: _row(q.id, correct=q.correct, at=q.answered_at),
            ),
            await _section(
                session,
                "confirmation_requests",
                select(ConfirmationRequest, Meeting)
                .join(Meeting, Meeting.id == ConfirmationRequest.meeting_id)
                .where(ConfirmationRequest.chair_person_id == person_id),
                lambda c, m: _row(
                    c.id,
                    meeting=m.starts_at,
                    status=c.outcome,
                    attendees=c.attendees,
                    text=c.notes,
                    at=c.answered_at,
                ),
            ),
            await _section(
                session,
                "confirmation_messages",
                select(ConfirmationMessage).where(
                    ConfirmationMessage.chat_id == person.telegram_user_id
                ),
                lambda c: _row(
                    c.id, action=Code("confirmation_message", c.kind), message=c.message_id
                ),
            ),
            await _section(
                session,
                "meeting_photos",
                select(MeetingPhoto, Meeting)
                .join(Meeting, Meeting.id == MeetingPhoto.meeting_id)
                .where(MeetingPhoto.sent_by == person_id),
                lambda p, m: _row(p.id, meeting=m.starts_at, at=p.created_at),
            ),
            await _section(
                session,
                "deliveries",
                select(Delivery)
                .where(
                    or_(
                        Delivery.person_id == person_id,
                        Delivery.chat_id == person.telegram_user_id,
                    )
                )
                .order_by(Delivery.id),
                lambda d: _row(d.id, action=Code("delivery", d.kind), status=d.status, at=d.due_at),
            ),
            await _section(
                session,
                "erasure_requests",
                select(ErasureRequest).where(ErasureRequest.person_id == person_id),
                lambda e: _row(e.id, status=e.status, at=e.created_at),
            ),
            await _section(
                session,
                "audit_log",
                select(AuditEntry).where(AuditEntry.actor_id == person_id),
                lambda a: _row(a.id, action=Code("audit", a.action), at=a.at),
            ),
        ]
        return OwnData(
            lines[0].name if lines else person.name,
            timezone,
            tuple(s for s in sections if s.rows or s.table in _ALWAYS),
        )


# Shown even when empty, so she reads "none" rather than wonders.
_ALWAYS: Sequence[str] = ("people", "members", "rsvps", "attendance", "complaints")
