"""Complaints (keluhan): a member's ticket, what was said on it, and every step taken."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, _enum, utcnow


class ComplaintCategory(enum.StrEnum):
    AID = "aid"
    CARD = "card"
    DATA = "data"
    HEALTH = "health"
    SCHOOL = "school"
    MONEY = "money"
    OTHER = "other"
    # About the people who run the group, or cuts taken from the aid: these go to the
    # coordinators only (storage/complaints/constants.py PROTECTED), never to the
    # facilitator or the chair, who may be the very people complained about.
    LEVY = "levy"
    ABOUT_STAFF = "about_staff"


# The categories routed to coordinators only (see ComplaintCategory): here, beside the enum, so
# storage/access.py can read it without importing the complaints feature.
PROTECTED_CATEGORIES = (ComplaintCategory.LEVY, ComplaintCategory.ABOUT_STAFF)


class ComplaintStatus(enum.StrEnum):
    NEW = "new"
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    CLOSED = "closed"


class AttachmentKind(enum.StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    VOICE = "voice"
    DOCUMENT = "document"


class Complaint(Base):
    """A ticket: one member's problem, handled by the facilitator of their group."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    # Who handles it: the group's facilitator when filed, another one after a handover.
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    category: Mapped[ComplaintCategory] = mapped_column(_enum(ComplaintCategory))
    status: Mapped[ComplaintStatus] = mapped_column(
        _enum(ComplaintStatus), default=ComplaintStatus.NEW
    )
    # "May be discussed at the meeting without my name".
    discuss_anonymously: Mapped[bool] = mapped_column(Boolean, default=False)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When its texts and attachments were deleted (retention, or its member's erasure): the
    # ticket stays with its category, dates and status.
    purged_at: Mapped[datetime | None]

    @property
    def number(self) -> str:
        return ticket_number(self.id)


def ticket_number(complaint_id: int) -> str:
    """The number people read and say aloud: K-0012."""
    return f"K-{complaint_id:04d}"


class ComplaintMessage(Base):
    """Something said on a ticket: the member's text or file, or a staff reply."""

    __tablename__ = "complaint_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    from_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[AttachmentKind] = mapped_column(_enum(AttachmentKind))
    text: Mapped[str | None] = mapped_column(Text)
    # Telegram's file id: the bot can send the file again without storing it.
    file_id: Mapped[str | None] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplaintEvent(Base):
    """One step in a ticket's history: who did what, and when."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[ComplaintStatus | None] = mapped_column(_enum(ComplaintStatus))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_messages.id"))
    detail: Mapped[str | None] = mapped_column(Text)
