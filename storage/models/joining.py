"""Joining a group is confirmed: a person who says she is a roster line waits for the proof.

A member or chair link travels (WhatsApp groups, a relative's phone), so holding it proves
nothing. A join request records who says she is which roster line (or asks to be added) until
the last digits of the line's number, the chair or the facilitator confirm it. Attempts count
the searches and wrong digits of a person, so guessing stops at a limit."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, _enum, utcnow


class JoinCheck(enum.StrEnum):
    """How a group's joins are confirmed (the facilitator's choice per group)."""

    DIGITS = "digits"  # the last four digits where the roster line has a number, else a person
    PERSON = "person"  # always the chair (or the facilitator when there is no chair)


class JoinWay(enum.StrEnum):
    DIGITS = "digits"  # she types the last four digits of the line's number
    PERSON = "person"  # the chair or the facilitator answers Benar / Bukan
    ADD = "add"  # her name is not on the roster: the facilitator adds it or not


class JoinStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    CANCELLED = "cancelled"  # replaced by a newer request, stopped at a limit, or the line gone


class AttemptKind(enum.StrEnum):
    SEARCH = "search"
    DIGITS = "digits"  # a wrong one
    REQUEST = "request"  # a question put to the chair or the facilitator


class JoinRequest(Base):
    """One person saying she is one roster line of a group (or asking to be added)."""

    __tablename__ = "join_requests"
    __table_args__ = (Index("ix_join_requests_group_status", "group_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    invite_id: Mapped[int] = mapped_column(ForeignKey("invites.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    typed_name: Mapped[str | None] = mapped_column(String(200))
    as_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    way: Mapped[JoinWay] = mapped_column(_enum(JoinWay))
    status: Mapped[JoinStatus] = mapped_column(_enum(JoinStatus), default=JoinStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class JoinAttempt(Base):
    """One search, wrong number or question by a person: counted over the last day."""

    __tablename__ = "join_attempts"
    __table_args__ = (Index("ix_join_attempts_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[AttemptKind] = mapped_column(_enum(AttemptKind))
    at: Mapped[datetime] = mapped_column(default=utcnow)
