"""A group's standing monthly meeting rule: "the 2nd Tuesday at 09.00 at the chair's house"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class MeetingRule(Base):
    """Either the nth weekday of the month (weekday, nth) or a fixed day of the month (day).

    nth is 1 to 5, or -1 for the last; the time is local to the group (minutes after
    midnight). Nothing is scheduled from a rule until the facilitator confirms a month."""

    __tablename__ = "meeting_rules"
    __table_args__ = (
        CheckConstraint(
            "(weekday IS NOT NULL AND nth IS NOT NULL AND day IS NULL)"
            " OR (weekday IS NULL AND nth IS NULL AND day IS NOT NULL)",
            name="one_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), unique=True)
    weekday: Mapped[int | None] = mapped_column(Integer)
    nth: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    minute_of_day: Mapped[int] = mapped_column(Integer)
    venue: Mapped[str | None] = mapped_column(String(300))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
