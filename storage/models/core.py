"""The core tables: people and their roles, groups (kelompok), the roster, invites,
meetings, RSVPs, deliveries, announcements and quizzes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, _enum, utcnow
from storage.models.joining import JoinCheck


class StaffRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    VIEWER = "viewer"  # reads the programme's numbers (reports, board), changes nothing


class InviteKind(enum.StrEnum):
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"  # a Korkab, invited by a Korwil into a kabupaten/kota
    MEMBER = "member"
    CHAIR = "chair"
    GROUP_CHAT = "group_chat"


class Person(Base):
    """Anyone who has talked to the bot or was registered by a coordinator."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    staff_role: Mapped[StaffRole | None] = mapped_column(_enum(StaffRole))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    private_chat_open: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_bot_at: Mapped[datetime | None]
    private_reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    # The command menu last set for this person's private chat, so it is set again only
    # when their role changes.
    menu: Mapped[str | None] = mapped_column(String(20))
    # What the next free text from this person answers ("group_name", "roster_rename:12"...)
    # and what they typed so far: kept in the database so a restart loses nothing.
    awaiting: Mapped[str | None] = mapped_column(String(64))
    draft: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the person's data was erased at her request (/hapus_data): the row stays for
    # the records that point at it, without her name or Telegram identity.
    erased_at: Mapped[datetime | None]


class Group(Base):
    """A kelompok of KPM families run by one facilitator."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    village: Mapped[str | None] = mapped_column(String(200))  # the place as typed
    # The desa/kelurahan the group belongs to (models/areas.Area.code): what coordinators'
    # areas and roll-ups read. None for a group placed before areas existed. Indexed for
    # prefixes ("32.79.%"): on PostgreSQL with the pattern operator class, since LIKE cannot
    # use an index in the database's collation.
    area_code: Mapped[str | None] = mapped_column(String(13))
    venue: Mapped[str | None] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_title: Mapped[str | None] = mapped_column(String(256))
    chair_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", use_alter=True, ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # How a person who opens a member or chair link proves she is the roster line she names.
    join_check: Mapped[JoinCheck] = mapped_column(
        _enum(JoinCheck), default=JoinCheck.DIGITS, server_default=JoinCheck.DIGITS.value
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    facilitator: Mapped[Person] = relationship(foreign_keys=[facilitator_id], lazy="raise")

    __table_args__ = (
        Index(
            "ix_groups_area_code",
            "area_code",
            postgresql_ops={"area_code": "varchar_pattern_ops"},
        ),
    )


class Member(Base):
    """A roster line: a KPM family's representative, with or without a Telegram account."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    programme_id: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invite(Base):
    """A deep-link token: random, expiring, limited in uses, revocable."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[InviteKind] = mapped_column(_enum(InviteKind))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    max_uses: Mapped[int | None] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None]
    # A staff invite's area: the kecamatan a pendamping will work in, the kabupaten/kota a
    # Korkab will cover (None: a pendamping without a kecamatan, as before areas existed).
    area_code: Mapped[str | None] = mapped_column(String(13))


class AuditEntry(Base):
    """Who changed what and when, for the facilitator's and coordinator's trust."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    # The area of what was read (a group's desa, or the reader's area for a read of several
    # groups); None: the whole deployment's coordinators only (storage/access.trail_condition).
    area_code: Mapped[str | None] = mapped_column(String(13))


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Meeting(Base):
    """One month's P2K2 session of a group: when, where, which session."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    session_number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    venue: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus), default=MeetingStatus.SCHEDULED
    )
    # Bumped on every reschedule so the deliveries of the old time are told apart.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rsvp(Base):
    """A member's answer to "will you come?": the last press wins."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    coming: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class Delivery(Base):
    """A message due at a time: the dispatcher is the only thing that sends these."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcements.id"), index=True)
    payload: Mapped[dict[str, Any] | None]
    # When it goes if nothing presses; never before send_from, and by send_by if the rate
    # allows (the dispatcher starts early within the window when a wave needs it).
    due_at: Mapped[datetime]
    send_from: Mapped[datetime]
    send_by: Mapped[datetime] = mapped_column(index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_deliveries_status_due_at", "status", "due_at"),
        # The look-ahead counts pending rows by deadline every tick (deliveries._forced).
        Index("ix_deliveries_status_send_by", "status", "send_by", "priority"),
    )


class Announcement(Base):
    """A /siaran message from a facilitator or coordinator to groups."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    group_ids: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reported_at: Mapped[datetime | None]


class QuizPoll(Base):
    """A quiz poll sent after a meeting, so answers can be traced to the meeting."""

    __tablename__ = "quiz_polls"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    question_index: Mapped[int] = mapped_column(Integer)
    correct_option: Mapped[int] = mapped_column(Integer)
    # The polls are anonymous (a wrong answer must not be seen by the neighbours), so Telegram
    # sends no answers per person, only the poll's counts: the last counts seen are kept.
    voters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    correct_voters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class QuizAnswer(Base):
    """Answers per person from the time quiz polls were not anonymous; kept, no longer written."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("poll_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[str] = mapped_column(ForeignKey("quiz_polls.poll_id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    option: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class HandledUpdate(Base):
    """A Telegram update already acted on: a second delivery of it (two pollers, a webhook
    retried after a timeout, a restart before the offset was confirmed) is skipped."""

    __tablename__ = "handled_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(index=True)


class DispatcherHeartbeat(Base):
    """Which process dispatches, and when it last ticked (for `p2k2 status`)."""

    __tablename__ = "dispatcher_heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    ticked_at: Mapped[datetime]
