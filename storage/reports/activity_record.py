"""The P2K2 activity record of one meeting, in the fields of the government's form.

Name of the activity, date, start and end time, venue, speaker, material, a description of
at most 500 words (until the facilitator writes their own, views/activity_record.py drafts it
from the session and the chair's notes), attendance per member, and the meeting photo with
its location. Storage holds the figures and the facilitator's words; the texts of the form
are worded in views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.actors import Actor
from storage.attendance import roll_rows
from storage.db import SessionFactory
from storage.errors import EmptyText, NotAllowed, NotFound, NotYourGroup, TooLong, UseCaseError
from storage.models import AuditEntry, Group, Meeting, MeetingStatus, Person
from storage.models.attendance import (
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmState,
)
from storage.models.reports import ActivityDescription, ActivityEndTime, MeetingPhoto
from storage.reports import StatusCounts
from timekeeping.timefmt import format_time
from timekeeping.timeparse import TimeInputError, local_to_utc, parse_time, utc_to_local

MAX_WORDS = 500
MAX_CHARS = 4000  # 500 words fit; anything longer is pasted by mistake
PHOTO_WINDOW = timedelta(days=45)  # how far back a photo may still be added to a meeting
PHOTO_CHOICES = 12


class TooManyWords(UseCaseError):
    """A description over the word limit."""

    def __init__(self, words: int, limit: int) -> None:
        super().__init__()
        self.words = words
        self.limit = limit


class EndTimeFormat(UseCaseError):
    """The typed end time is not a time."""


class EndBeforeStart(UseCaseError):
    """The end time is not after the start (nor within the longest meeting)."""

    def __init__(self, start: str) -> None:
        super().__init__()
        self.start = start  # the start as the person reads it, in her language


class PhotoStaffOfGroup(NotAllowed):
    """Only the group's facilitator or chair adds a meeting's photo."""


class PhotoCancelled(UseCaseError):
    """A photo for a cancelled meeting."""


class PhotoTooEarly(UseCaseError):
    """A photo for a meeting that has not started."""


class BadLocation(UseCaseError):
    """A location outside the earth's latitudes and longitudes."""


def word_count(text: str) -> int:
    return len(text.split())


def fit_words(text: str, limit: int = MAX_WORDS) -> str:
    words = text.split()
    return text if len(words) <= limit else " ".join(words[: limit - 1]) + " …"


@dataclass(frozen=True)
class RecordLine:
    member_id: int
    name: str
    programme_id: str | None
    status: AttendanceStatus | None


@dataclass(frozen=True)
class PhotoView:
    id: int
    file_id: str
    latitude: float | None
    longitude: float | None
    sent_by: str | None
    created_at: datetime


@dataclass(frozen=True)
class ActivityRecord:
    meeting_id: int
    group_id: int
    group_code: str
    group_name: str
    timezone: str
    session_number: int
    starts_at: datetime
    ends_at: datetime
    end_written: bool  # the facilitator wrote the real end; else start + the module's length
    planned_minutes: int
    venue: str | None
    speaker: str
    # The facilitator's own description; None until she writes one, and then views draft it
    # from the session and the chair's notes (views/activity_record.py).
    description: str | None
    description_edited: bool
    chair_notes: str | None
    lines: tuple[RecordLine, ...]
    counts: StatusCounts
    photo: PhotoView | None
    photos: int
    cancelled: bool
    may_edit: bool


# -- permissions --------------------------------------------------------------------------


def _is_staff_of(actor: Actor, group: Group) -> bool:
    return access.can(actor, access.Action.MANAGE, group)


async def _meeting(
    session: AsyncSession, actor: Actor, meeting_id: int, *, edit: bool = False
) -> tuple[Meeting, Group]:
    """The meeting if this person may see it (its group's staff or chair); edit: staff only."""
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    group = await session.get_one(Group, meeting.group_id)
    if _is_staff_of(actor, group):
        return meeting, group
    if edit or group.id not in actor.chair_of:
        raise NotYourGroup()
    return meeting, group


# -- reading ------------------------------------------------------------------------------


async def _record(
    session: AsyncSession, actor: Actor, meeting: Meeting, group: Group
) -> ActivityRecord:
    include_ids = access.can(actor, access.Action.PROGRAMME_IDS, group)
    lines = tuple(
        RecordLine(
            member.id,
            member.name,
            member.programme_id if include_ids else None,
            record.status if record else None,
        )
        for member, record in await roll_rows(session, meeting.id, group.id)
    )
    counts = StatusCounts(
        hadir=sum(1 for line in lines if line.status is AttendanceStatus.HADIR),
        izin=sum(1 for line in lines if line.status is AttendanceStatus.IZIN),
        sakit=sum(1 for line in lines if line.status is AttendanceStatus.SAKIT),
        alfa=sum(1 for line in lines if line.status is AttendanceStatus.ALFA),
        roster=len(lines),
    )
    speaker = await session.scalar(select(Person.name).where(Person.id == group.facilitator_id))
    stored = await session.scalar(
        select(ActivityDescription.text).where(ActivityDescription.meeting_id == meeting.id)
    )
    notes = None
    if stored is None:
        notes = await session.scalar(
            select(ConfirmationRequest.notes)
            .where(ConfirmationRequest.meeting_id == meeting.id)
            .order_by(
                (ConfirmationRequest.state == ConfirmState.ANSWERED).desc(),
                ConfirmationRequest.id.desc(),
            )
            .limit(1)
        )
    photo_rows = (
        (
            await session.execute(
                select(MeetingPhoto, Person.name)
                .outerjoin(Person, Person.id == MeetingPhoto.sent_by)
                .where(MeetingPhoto.meeting_id == meeting.id)
                .order_by(MeetingPhoto.id.desc())
            )
        )
        .tuples()
        .all()
    )
    written = await session.scalar(
        select(ActivityEndTime.ends_at).where(ActivityEndTime.meeting_id == meeting.id)
    )
    photo = None
    if photo_rows:
        latest, sender = photo_rows[0]
        photo = PhotoView(
            latest.id, latest.file_id, latest.latitude, latest.longitude, sender, latest.created_at
        )
    return ActivityRecord(
        meeting_id=meeting.id,
        group_id=group.id,
        group_code=group.code,
        group_name=group.name,
        timezone=group.timezone,
        session_number=meeting.session_number,
        starts_at=meeting.starts_at,
        ends_at=written or meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
        end_written=written is not None,
        planned_minutes=meeting.duration_minutes,
        venue=meeting.venue or group.venue,
        speaker=speaker or "",
        description=stored,
        description_edited=stored is not None,
        chair_notes=notes,
        lines=lines,
        counts=counts,
        photo=photo,
        photos=len(photo_rows),
        cancelled=meeting.status is MeetingStatus.CANCELLED,
        may_edit=_is_staff_of(actor, group),
    )


async def activity_record(db: SessionFactory, actor: Actor, meeting_id: int) -> ActivityRecord:
    async with db.begin() as session:
        meeting, group = await _meeting(session, actor, meeting_id)
        return await _record(session, actor, meeting, group)


# -- the description ----------------------------------------------------------------------


def clean_description(text: str) -> str:
    cleaned = "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()
    if not cleaned:
        raise EmptyText()
    words = word_count(cleaned)
    if words > MAX_WORDS:
        raise TooManyWords(words, MAX_WORDS)
    if len(cleaned) > MAX_CHARS:
        raise TooLong(MAX_CHARS, len(cleaned))
    return cleaned


async def save_description(
    db: SessionFactory, actor: Actor, meeting_id: int, text: str, now: datetime
) -> ActivityRecord:
    """The facilitator's own description replaces the draft (and any earlier edit)."""
    cleaned = clean_description(text)
    async with db.begin() as session:
        meeting, group = await _meeting(session, actor, meeting_id, edit=True)
        stored = await session.scalar(
            select(ActivityDescription)
            .where(ActivityDescription.meeting_id == meeting.id)
            .with_for_update()
        )
        if stored is None:
            session.add(
                ActivityDescription(
                    meeting_id=meeting.id, text=cleaned, edited_by=actor.person_id, edited_at=now
                )
            )
        else:
            stored.text, stored.edited_by, stored.edited_at = cleaned, actor.person_id, now
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="record.description",
                detail=f"{group.code} meeting {meeting.id} ({word_count(cleaned)} words)",
            )
        )
        await session.flush()
        return await _record(session, actor, meeting, group)


async def reset_description(
    db: SessionFactory, actor: Actor, meeting_id: int, now: datetime
) -> ActivityRecord:
    """Drop the edited text: the description is drafted again from the session and notes."""
    async with db.begin() as session:
        meeting, group = await _meeting(session, actor, meeting_id, edit=True)
        await session.execute(
            delete(ActivityDescription).where(ActivityDescription.meeting_id == meeting.id)
        )
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="record.description_reset",
                detail=f"{group.code} meeting {meeting.id}",
            )
        )
        return await _record(session, actor, meeting, group)


# -- the real end time ---------------------------------------------------------------------

# A meeting that "ended" more than this after it began was typed wrong (or is another day).
LONGEST_MEETING = timedelta(hours=8)


async def save_end_time(
    db: SessionFactory, actor: Actor, meeting_id: int, typed: str, now: datetime
) -> ActivityRecord:
    """The facilitator's real end time ("11.15") on the meeting's own day, after its start.

    The form asks for the start and end; the module's length is a plan, not what happened."""
    async with db.begin() as session:
        meeting, group = await _meeting(session, actor, meeting_id, edit=True)
        start = utc_to_local(meeting.starts_at, group.timezone)
        start_text = format_time(start.time(), actor.language)
        try:
            clock_time = parse_time(typed)
        except TimeInputError:
            raise EndTimeFormat() from None
        ends_at = local_to_utc(start.date(), clock_time, group.timezone)
        if not meeting.starts_at < ends_at <= meeting.starts_at + LONGEST_MEETING:
            raise EndBeforeStart(start_text)
        stored = await session.scalar(
            select(ActivityEndTime)
            .where(ActivityEndTime.meeting_id == meeting.id)
            .with_for_update()
        )
        if stored is None:
            session.add(
                ActivityEndTime(
                    meeting_id=meeting.id, ends_at=ends_at, edited_by=actor.person_id, edited_at=now
                )
            )
        else:
            stored.ends_at, stored.edited_by, stored.edited_at = ends_at, actor.person_id, now
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="record.end_time",
                detail=f"{group.code} meeting {meeting.id} ends {clock_time:%H:%M}",
            )
        )
        await session.flush()
        return await _record(session, actor, meeting, group)


# -- the photo ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoChoice:
    meeting_id: int
    group_name: str
    timezone: str
    session_number: int
    starts_at: datetime


async def photo_choices(db: SessionFactory, actor: Actor, now: datetime) -> list[PhotoChoice]:
    """Recent meetings (started, not cancelled) this person may add the photo to, newest first."""
    if not access.holds(actor, access.Action.PHOTO):
        raise PhotoStaffOfGroup()
    condition = access.group_condition(actor, access.Action.PHOTO)
    async with db.begin() as session:
        rows = await session.execute(
            select(Meeting, Group.name, Group.timezone)
            .join(Group, Group.id == Meeting.group_id)
            .where(
                condition,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at <= now,
                Meeting.starts_at >= now - PHOTO_WINDOW,
            )
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(PHOTO_CHOICES)
        )
        return [
            PhotoChoice(meeting.id, name, zone, meeting.session_number, meeting.starts_at)
            for meeting, name, zone in rows.tuples()
        ]


@dataclass(frozen=True)
class PhotoSaved:
    photo_id: int
    meeting_id: int
    group_name: str
    timezone: str
    starts_at: datetime
    session_number: int

    @classmethod
    def of(cls, photo: MeetingPhoto, meeting: Meeting, group: Group) -> PhotoSaved:
        return cls(
            photo.id,
            meeting.id,
            group.name,
            group.timezone,
            meeting.starts_at,
            meeting.session_number,
        )


async def _photo_meeting(
    session: AsyncSession, actor: Actor, meeting_id: int, now: datetime
) -> tuple[Meeting, Group]:
    """The meeting if this person may add a photo to it now: started and not cancelled."""
    meeting, group = await _meeting(session, actor, meeting_id)
    if meeting.status is MeetingStatus.CANCELLED:
        raise PhotoCancelled()
    if meeting.starts_at > now:
        raise PhotoTooEarly()
    return meeting, group


async def add_photo(
    db: SessionFactory,
    actor: Actor,
    meeting_id: int,
    file_id: str,
    file_unique_id: str | None,
    now: datetime,
) -> PhotoSaved:
    """Keep a photo of the meeting (the chair's or the facilitator's); the latest one counts."""
    async with db.begin() as session:
        meeting, group = await _photo_meeting(session, actor, meeting_id, now)
        photo = MeetingPhoto(
            meeting_id=meeting.id,
            file_id=file_id[:256],
            file_unique_id=(file_unique_id or None) and file_unique_id[:128],
            sent_by=actor.person_id,
            created_at=now,
        )
        session.add(photo)
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="record.photo",
                detail=f"{group.code} meeting {meeting.id}",
            )
        )
        await session.flush()
        return PhotoSaved.of(photo, meeting, group)


async def set_photo_location(
    db: SessionFactory, actor: Actor, photo_id: int, latitude: float, longitude: float
) -> PhotoSaved:
    """Where the photo was taken (the form asks for a photo with its location)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadLocation()
    async with db.begin() as session:
        photo = await session.get(MeetingPhoto, photo_id)
        if photo is None:
            raise NotFound()
        meeting, group = await _meeting(session, actor, photo.meeting_id)
        if photo.sent_by != actor.person_id and not _is_staff_of(actor, group):
            raise NotYourGroup()
        photo.latitude, photo.longitude = latitude, longitude
        return PhotoSaved.of(photo, meeting, group)


async def photo_target(
    db: SessionFactory, actor: Actor, meeting_id: int, now: datetime
) -> PhotoChoice:
    """The meeting a photo is about to be sent for, if this person may add one now."""
    async with db.begin() as session:
        meeting, group = await _photo_meeting(session, actor, meeting_id, now)
        return PhotoChoice(
            meeting.id, group.name, group.timezone, meeting.session_number, meeting.starts_at
        )
