"""Attendance per member and meeting, its history, month locks, and chairs' confirmations."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, _enum, utcnow


class AttendanceStatus(enum.StrEnum):
    HADIR = "hadir"
    IZIN = "izin"
    SAKIT = "sakit"
    ALFA = "alfa"


class AttendanceSource(enum.StrEnum):
    CHAIR = "chair"
    FACILITATOR = "facilitator"
    SELF = "self"


class Attendance(Base):
    """One member's attendance at one meeting: the last change wins."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus))
    source: Mapped[AttendanceSource] = mapped_column(_enum(AttendanceSource))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceChange(Base):
    """Every change of an attendance line: who, when, from what to what."""

    __tablename__ = "attendance_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    old_status: Mapped[AttendanceStatus | None] = mapped_column(_enum(AttendanceStatus))
    new_status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus))
    source: Mapped[AttendanceSource] = mapped_column(_enum(AttendanceSource))
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RollCall(Base):
    """A roll call saved by the chair or facilitator (taps are stored one by one before)."""

    __tablename__ = "roll_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    saved_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceLock(Base):
    """A month of a group's attendance closed by the facilitator: no more corrections."""

    __tablename__ = "attendance_locks"
    __table_args__ = (UniqueConstraint("group_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    month: Mapped[int] = mapped_column(Integer)  # year * 100 + month, e.g. 202612
    locked_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    locked_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConfirmState(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class ConfirmOutcome(enum.StrEnum):
    HELD = "held"
    MOVED = "moved"
    NOT_HELD = "not_held"


class ConfirmStep(enum.StrEnum):
    """What the chair is asked next; each answer moves the request along."""

    OUTCOME = "outcome"
    COUNT = "count"
    INFO = "info"
    DATE = "date"
    NOTES = "notes"
    DONE = "done"


class ConfirmationRequest(Base):
    """A facilitator asks a chair: did the meeting happen, who came, was info passed on."""

    __tablename__ = "confirmation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    chair_person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    state: Mapped[ConfirmState] = mapped_column(_enum(ConfirmState), default=ConfirmState.OPEN)
    step: Mapped[ConfirmStep] = mapped_column(_enum(ConfirmStep), default=ConfirmStep.OUTCOME)
    outcome: Mapped[ConfirmOutcome | None] = mapped_column(_enum(ConfirmOutcome))
    moved_to: Mapped[date | None] = mapped_column(Date)
    attendees: Mapped[int | None] = mapped_column(Integer)
    info_passed: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    # The last request message sent; every one is also in confirmation_messages.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    nudges: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    chased_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class ConfirmationMessage(Base):
    """A bot message about a request, so a chair's reply to it finds the right request."""

    __tablename__ = "confirmation_messages"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("confirmation_requests.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
