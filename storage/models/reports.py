"""What the P2K2 activity record keeps beyond attendance: the edited description, the photo."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ActivityDescription(Base):
    """The facilitator's own words for a meeting's description (the form's "uraian")."""

    __tablename__ = "activity_descriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    edited_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingPhoto(Base):
    """A photo of a meeting sent to the bot; Telegram keeps the file, we keep its id."""

    __tablename__ = "meeting_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    file_id: Mapped[str] = mapped_column(String(256))
    file_unique_id: Mapped[str | None] = mapped_column(String(128))
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActivityEndTime(Base):
    """The real end of a meeting as the facilitator wrote it on the activity record.

    Without it the record shows the start plus the session's length from the module, which is
    a plan, not what happened."""

    __tablename__ = "activity_end_times"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    ends_at: Mapped[datetime]
    edited_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
