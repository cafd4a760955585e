"""What use cases return about meetings: plain, frozen views that outlive the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import (
    Group,
    Meeting,
    MeetingStatus,
)
from storage.views import GroupView


@dataclass(frozen=True)
class MeetingView:
    id: int
    group_id: int
    group_name: str
    group_code: str
    timezone: str
    chat_id: int | None
    session_number: int
    starts_at: datetime
    duration_minutes: int
    venue: str | None
    cancelled: bool
    revision: int

    @classmethod
    def of(cls, meeting: Meeting, group: Group) -> MeetingView:
        return cls(
            id=meeting.id,
            group_id=group.id,
            group_name=group.name,
            group_code=group.code,
            timezone=group.timezone,
            chat_id=group.chat_id,
            session_number=meeting.session_number,
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
            venue=meeting.venue,
            cancelled=meeting.status is MeetingStatus.CANCELLED,
            revision=meeting.revision,
        )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Counts:
    coming: int
    not_coming: int


@dataclass(frozen=True)
class SchedulingStart:
    group: GroupView
    proposed_session: int


@dataclass(frozen=True)
class MeetingDetail:
    meeting: MeetingView
    counts: Counts


@dataclass(frozen=True)
class RsvpResult:
    meeting: MeetingView
    coming: bool
    counts: Counts
    # When and in which language the pressed private reminder was first worded (None: not
    # one of our reminders, or sent before this was recorded).
    worded_at: datetime | None = None
    worded_in: str | None = None
