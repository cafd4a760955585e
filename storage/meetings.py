"""Use cases for meetings: schedule, reschedule, cancel, show, RSVP and quiz answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from content.sessions import CORE_SESSION_COUNT, get_session, load_sessions, next_session_number
from scheduler.rules import next_refresh
from scheduler.timeparse import local_to_utc, utc_to_local
from storage import deliveries, meeting_plan
from storage.actors import Actor, TelegramUser
from storage.db import SessionFactory
from storage.errors import NotAllowed, NotFound, UseCaseError
from storage.groups import MAX_VENUE, clean_text, load_managed_group
from storage.models import (
    AuditEntry,
    Delivery,
    DeliveryStatus,
    Group,
    Meeting,
    MeetingStatus,
    Member,
    Person,
    QuizAnswer,
    QuizPoll,
    Rsvp,
)
from storage.people import telegram_language
from storage.views import GroupView

MAX_DAYS_AHEAD = 366
UPCOMING_LIMIT = 30


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


# -- scheduling -------------------------------------------------------------------------------


def _quiz_items(session_number: int) -> int:
    return len(get_session(session_number, "id").quiz)


def session_numbers() -> list[int]:
    return [s.number for s in load_sessions("id")]


async def _own_group(session: AsyncSession, actor: Actor, group_id: int) -> Group:
    group = await load_managed_group(session, actor, group_id)
    if not group.active:
        raise NotFound()
    return group


async def _proposed_session(session: AsyncSession, group_id: int) -> int:
    """The next core session after the group's last scheduled one (optional ones skipped)."""
    last = await session.scalar(
        select(Meeting.session_number)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.session_number <= CORE_SESSION_COUNT,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    return next_session_number(last)


async def start_scheduling(db: SessionFactory, actor: Actor, group_id: int) -> SchedulingStart:
    async with db.begin() as session:
        group = await _own_group(session, actor, group_id)
        return SchedulingStart(GroupView.of(group), await _proposed_session(session, group.id))


async def start_scheduling_by_code(db: SessionFactory, actor: Actor, code: str) -> SchedulingStart:
    async with db.begin() as session:
        group_id = await session.scalar(
            select(Group.id).where(func.upper(Group.code) == code.strip().upper())
        )
        if group_id is None:
            raise UseCaseError("meetings.errors.unknown_code", code=code)
        group = await _own_group(session, actor, group_id)
        return SchedulingStart(GroupView.of(group), await _proposed_session(session, group.id))


def check_date(day: date, group_timezone: str, now: datetime) -> None:
    """A chosen day must be today or later, and within a year."""
    today = utc_to_local(now, group_timezone).date()
    if day < today:
        raise UseCaseError("meetings.errors.date_past")
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise UseCaseError("meetings.errors.date_far")


def starts_at_of(day: date, at: time, group_timezone: str, now: datetime) -> datetime:
    check_date(day, group_timezone, now)
    starts_at = local_to_utc(day, at, group_timezone)
    if starts_at <= now:
        raise UseCaseError("meetings.errors.time_past")
    return starts_at


def clean_venue(text: str | None) -> str | None:
    return clean_text(text, MAX_VENUE) if text and text.strip() else None


async def _same_day(
    session: AsyncSession, group: Group, starts_at: datetime, exclude: int | None
) -> list[MeetingView]:
    day = utc_to_local(starts_at, group.timezone).date()
    start = local_to_utc(day, time(0), group.timezone)
    end = local_to_utc(day + timedelta(days=1), time(0), group.timezone)
    query = select(Meeting).where(
        Meeting.group_id == group.id,
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at >= start,
        Meeting.starts_at < end,
    )
    if exclude is not None:
        query = query.where(Meeting.id != exclude)
    return [MeetingView.of(m, group) for m in await session.scalars(query)]


async def same_day_meetings(
    db: SessionFactory,
    actor: Actor,
    group_id: int,
    starts_at: datetime,
    exclude: int | None = None,
) -> list[MeetingView]:
    """Other meetings of the group on that local day: worth a warning, not a refusal."""
    async with db.begin() as session:
        group = await _own_group(session, actor, group_id)
        return await _same_day(session, group, starts_at, exclude)


async def schedule_meeting(
    db: SessionFactory,
    actor: Actor,
    *,
    group_id: int,
    session_number: int,
    starts_at: datetime,
    venue: str | None,
    now: datetime,
    offsets: Iterable[timedelta],
) -> MeetingView:
    if session_number not in session_numbers():
        raise UseCaseError("meetings.errors.no_session")
    if starts_at <= now:
        raise UseCaseError("meetings.errors.time_past")
    venue = clean_venue(venue)
    async with db.begin() as session:
        group = await _own_group(session, actor, group_id)
        meeting = Meeting(
            group_id=group.id,
            session_number=session_number,
            starts_at=starts_at,
            duration_minutes=get_session(session_number, "id").duration_minutes,
            venue=venue,
            status=MeetingStatus.SCHEDULED,
            revision=1,
            created_by=actor.person_id,
            created_at=now,
            updated_at=now,
        )
        session.add(meeting)
        await session.flush()
        await meeting_plan.enqueue_plan(
            session, meeting, group, _quiz_items(session_number), offsets, now
        )
        session.add(
            AuditEntry(
                actor_id=actor.person_id,
                action="meeting.schedule",
                detail=f"{group.code} #{meeting.id} s{session_number} {starts_at.isoformat()}",
            )
        )
        return MeetingView.of(meeting, group)


async def _managed_meeting(
    session: AsyncSession, actor: Actor, meeting_id: int
) -> tuple[Meeting, Group]:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    group = await load_managed_group(session, actor, meeting.group_id)
    return meeting, group


def _changeable(meeting: Meeting, now: datetime) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        raise UseCaseError("meetings.errors.already_cancelled")
    if meeting.starts_at <= now:
        raise UseCaseError("meetings.errors.already_started")


async def _drop_pending(session: AsyncSession, meeting_id: int, reason: str) -> int:
    return await deliveries.cancel_pending(
        session,
        Delivery.meeting_id == meeting_id,
        Delivery.kind.in_(meeting_plan.MEETING_KINDS),
        reason=reason,
    )


async def reschedule_meeting(
    db: SessionFactory,
    actor: Actor,
    meeting_id: int,
    *,
    starts_at: datetime,
    venue: str | None,
    now: datetime,
    offsets: Iterable[timedelta],
) -> MeetingView:
    """A new time (and place): old deliveries skipped, new ones planned, members told.

    RSVPs are cleared, since "I will come" was said for the old time."""
    if starts_at <= now:
        raise UseCaseError("meetings.errors.time_past")
    venue = clean_venue(venue)
    async with db.begin() as session:
        meeting, group = await _managed_meeting(session, actor, meeting_id)
        _changeable(meeting, now)
        old_starts_at = meeting.starts_at
        meeting.starts_at = starts_at
        meeting.venue = venue
        meeting.revision += 1
        meeting.updated_at = now
        await _drop_pending(session, meeting.id, "rescheduled")
        await session.execute(delete(Rsvp).where(Rsvp.meeting_id == meeting.id))
        await session.flush()
        await meeting_plan.enqueue_plan(
            session, meeting, group, _quiz_items(meeting.session_number), offsets, now
        )
        await meeting_plan.enqueue_change(
            session, meeting, group, now, "rescheduled", old_starts_at
        )
        session.add(
            AuditEntry(
                actor_id=actor.person_id,
                action="meeting.reschedule",
                detail=f"{group.code} #{meeting.id} r{meeting.revision} {starts_at.isoformat()}",
            )
        )
        return MeetingView.of(meeting, group)


async def cancel_meeting(
    db: SessionFactory, actor: Actor, meeting_id: int, now: datetime
) -> MeetingView:
    async with db.begin() as session:
        meeting, group = await _managed_meeting(session, actor, meeting_id)
        _changeable(meeting, now)
        meeting.status = MeetingStatus.CANCELLED
        meeting.updated_at = now
        await _drop_pending(session, meeting.id, "cancelled")
        await session.flush()
        await meeting_plan.enqueue_change(session, meeting, group, now, "cancelled")
        session.add(
            AuditEntry(
                actor_id=actor.person_id,
                action="meeting.cancel",
                detail=f"{group.code} #{meeting.id}",
            )
        )
        return MeetingView.of(meeting, group)


# -- reading ----------------------------------------------------------------------------------


async def _counts(session: AsyncSession, meeting_id: int) -> Counts:
    rows = await session.execute(
        select(Rsvp.coming, func.count(Rsvp.id))
        .join(Member, Member.id == Rsvp.member_id)
        .where(Rsvp.meeting_id == meeting_id, Member.active.is_(True))
        .group_by(Rsvp.coming)
    )
    found = {bool(coming): int(count) for coming, count in rows.all()}
    return Counts(found.get(True, 0), found.get(False, 0))


async def meeting_detail(db: SessionFactory, actor: Actor, meeting_id: int) -> MeetingDetail:
    async with db.begin() as session:
        meeting, group = await _managed_meeting(session, actor, meeting_id)
        return MeetingDetail(MeetingView.of(meeting, group), await _counts(session, meeting.id))


def _upcoming_query(now: datetime) -> Select[tuple[Meeting, Group]]:
    # A meeting stays "next" until it ends, so /jadwal during the meeting still shows it.
    return (
        select(Meeting, Group)
        .join(Group, Group.id == Meeting.group_id)
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now - timedelta(hours=3),
            Group.active.is_(True),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )


async def upcoming(db: SessionFactory, actor: Actor, now: datetime) -> list[MeetingView]:
    """Facilitators: every coming meeting of their groups; others: their groups' next one."""
    async with db.begin() as session:
        query = _upcoming_query(now)
        if actor.is_facilitator:
            query = query.where(Group.facilitator_id == actor.person_id)
        elif not actor.is_coordinator:
            query = query.where(Group.id.in_(actor.member_of | actor.chair_of))
        views = [
            MeetingView.of(m, g)
            for m, g in (await session.execute(query.limit(UPCOMING_LIMIT))).tuples()
        ]
    views = [v for v in views if v.ends_at > now]
    if actor.is_staff:
        return views
    seen: set[int] = set()
    first: list[MeetingView] = []
    for view in views:
        if view.group_id not in seen:
            seen.add(view.group_id)
            first.append(view)
    return first


async def next_for_chat(
    db: SessionFactory, chat_id: int, now: datetime
) -> tuple[GroupView | None, MeetingView | None]:
    async with db.begin() as session:
        group = await session.scalar(select(Group).where(Group.chat_id == chat_id))
        if group is None:
            return None, None
        rows = (await session.execute(_upcoming_query(now).where(Group.id == group.id))).tuples()
        for meeting, owner in rows:
            view = MeetingView.of(meeting, owner)
            if view.ends_at > now:
                return GroupView.of(group), view
        return GroupView.of(group), None


async def for_delivery(db: SessionFactory, meeting_id: int | None) -> MeetingDetail | None:
    """The meeting as it is now, with RSVP counts, for a composer."""
    if meeting_id is None:
        return None
    async with db.begin() as session:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None:
            return None
        group = await session.get_one(Group, meeting.group_id)
        return MeetingDetail(MeetingView.of(meeting, group), await _counts(session, meeting.id))


async def still_member(db: SessionFactory, group_id: int, person_id: int | None) -> bool:
    if person_id is None:
        return True
    async with db.begin() as session:
        found = await session.scalar(
            select(Member.id).where(
                Member.group_id == group_id,
                Member.person_id == person_id,
                Member.active.is_(True),
            )
        )
        return found is not None


# -- RSVP ---------------------------------------------------------------------------------------
#
# A reminder in a group of 30 gets 30 presses within a minute, a city's 110 groups thousands:
# a press is one transaction of a few statements. On PostgreSQL the meeting row is locked (FOR
# NO KEY UPDATE, which foreign-key checks do not wait for) so presses on one meeting queue up
# and never both create its refresh row; the refresh row is locked so that the dispatcher's
# claim (SKIP LOCKED) leaves it until this press's answer is committed. On SQLite the first
# write takes the database's write lock, and the refresh row is read after it.


@dataclass(frozen=True)
class RsvpPress:
    """A press in a group, resolved in one transaction: the presser's language and whether
    it was refused (`refusal`, a text key and its parameters) or recorded."""

    language: str
    refusal: UseCaseError | None = None


@dataclass(frozen=True)
class _Ballot:
    """What a press needs to know, read in one statement."""

    meeting_id: int
    group_id: int
    group_name: str
    group_chat_id: int | None
    status: MeetingStatus
    starts_at: datetime
    person_language: str | None
    member_id: int | None


def _for_update(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# The statements of a press are built once: building a statement costs more than running it.
@cache
def _ballot_query(by_person_id: bool, for_update: bool) -> Select[Any]:
    """The meeting and its group, and the presser's active roster line in that group (if
    any); the presser is :person (a Person id) or :user (a Telegram user id)."""
    presser = (
        Person.id == bindparam("person")
        if by_person_id
        else Person.telegram_user_id == bindparam("user")
    )
    query = (
        select(
            Meeting.id,
            Meeting.group_id,
            Group.name,
            Group.chat_id,
            Meeting.status,
            Meeting.starts_at,
            Person.language,
            Member.id,
        )
        .join(Group, Group.id == Meeting.group_id)
        .outerjoin(Person, presser)
        .outerjoin(
            Member,
            and_(
                Member.person_id == Person.id,
                Member.group_id == Meeting.group_id,
                Member.active.is_(True),
            ),
        )
        .where(Meeting.id == bindparam("meeting"))
        .limit(1)
    )
    return query.with_for_update(of=Meeting, key_share=True) if for_update else query


# The same on SQLite and PostgreSQL: insert the answer, or change it (the last press wins).
_STORE_ANSWER = text(
    "INSERT INTO rsvps (meeting_id, member_id, coming, answered_at)"
    " VALUES (:meeting, :member, :coming, :answered_at)"
    " ON CONFLICT (meeting_id, member_id)"
    " DO UPDATE SET coming = excluded.coming, answered_at = excluded.answered_at"
).bindparams(
    bindparam("coming", type_=Rsvp.__table__.c.coming.type),
    bindparam("answered_at", type_=Rsvp.__table__.c.answered_at.type),
)


@cache
def _refresh_query(for_update: bool) -> Select[tuple[str, DeliveryStatus]]:
    """The refresh of the pressed message and the one that follows it while it is sent."""
    query = select(Delivery.key, Delivery.status).where(
        or_(Delivery.key == bindparam("key"), Delivery.key == bindparam("again"))
    )
    return query.with_for_update() if for_update else query


async def _ballot(
    session: AsyncSession, meeting_id: int, *, user: int | None = None, person: int | None = None
) -> _Ballot | None:
    query = _ballot_query(person is not None, _for_update(session))
    params = {"meeting": meeting_id, "user": user} if person is None else {"person": person}
    params["meeting"] = meeting_id
    row = (await session.execute(query, params)).first()
    return None if row is None else _Ballot(*row)


def _check_open(ballot: _Ballot | None, now: datetime) -> _Ballot:
    if ballot is None:
        raise NotFound()
    if ballot.status is MeetingStatus.CANCELLED:
        raise UseCaseError("meetings.rsvp.cancelled")
    if ballot.starts_at <= now:
        raise UseCaseError("meetings.rsvp.past")
    if ballot.member_id is None:
        raise NotAllowed("meetings.rsvp.not_member", group=ballot.group_name)
    return ballot


async def _record_press(
    session: AsyncSession,
    ballot: _Ballot,
    coming: bool,
    now: datetime,
    chat_id: int,
    message_id: int | None,
) -> None:
    await session.execute(
        _STORE_ANSWER,
        {
            "meeting": ballot.meeting_id,
            "member": ballot.member_id,
            "coming": coming,
            "answered_at": now,
        },
    )
    if chat_id < 0 and message_id is not None:
        # Most presses find the refresh of the pressed message already waiting: nothing to do.
        key = f"rsvp:{ballot.meeting_id}:{chat_id}:{message_id}"
        rows = await session.execute(
            _refresh_query(_for_update(session)), {"key": key, "again": f"{key}:again"}
        )
        if _refresh_waiting({row[0]: row[1] for row in rows.all()}, key):
            return
    target = await _group_message(session, ballot, chat_id, message_id)
    if target is not None:
        await _request_refresh(session, ballot, target, now)


def _refresh_waiting(found: dict[str, DeliveryStatus], key: str) -> bool:
    """Whether a queued edit will show this press's answer (see _request_refresh)."""
    status = found.get(key)
    if status is DeliveryStatus.SENDING:
        status = found.get(f"{key}:again")
    return status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


async def press_rsvp(
    db: SessionFactory,
    user: TelegramUser,
    meeting_id: int,
    coming: bool,
    now: datetime,
    chat_id: int,
    message_id: int | None,
    default_language: str,
) -> RsvpPress:
    """A press on a group reminder, in one transaction: who pressed (only this group's active
    roster members may answer), the answer (the last press wins), and a coalesced edit of the
    message's counts. Unknown users are not registered here: they are only told to join."""
    async with db.begin() as session:
        ballot = await _ballot(session, meeting_id, user=user.id)
        if ballot is not None and ballot.person_language:
            language = ballot.person_language
        elif ballot is None:
            chosen = await session.scalar(
                select(Person.language).where(Person.telegram_user_id == user.id)
            )
            language = chosen or telegram_language(user.language_code, default_language)
        else:
            language = telegram_language(user.language_code, default_language)
        try:
            await _record_press(session, _check_open(ballot, now), coming, now, chat_id, message_id)
        except UseCaseError as refusal:
            return RsvpPress(language, refusal)
        return RsvpPress(language)


async def record_rsvp(
    db: SessionFactory,
    actor: Actor,
    meeting_id: int,
    coming: bool,
    now: datetime,
    chat_id: int,
    message_id: int | None,
) -> RsvpResult:
    """The member's answer (the last press wins) and a coalesced edit of the group's counts,
    with the counts and the meeting to redraw the presser's own (private) copy."""
    async with db.begin() as session:
        ballot = await _ballot(session, meeting_id, person=actor.person_id)
        ballot = _check_open(ballot, now)
        await _record_press(session, ballot, coming, now, chat_id, message_id)
        meeting = await session.get_one(Meeting, meeting_id)
        group = await session.get_one(Group, ballot.group_id)
        return RsvpResult(
            MeetingView.of(meeting, group), coming, await _counts(session, meeting.id)
        )


@dataclass(frozen=True)
class ReminderMessage:
    chat_id: int
    message_id: int
    written_for: datetime  # the reminder's due time, so "3 hari lagi" stays as first written


async def _group_message(
    session: AsyncSession, ballot: _Ballot, chat_id: int, message_id: int | None
) -> ReminderMessage | None:
    """Which group reminder shows the counts: the one pressed, or the group's latest one.

    Only a message we sent as this meeting's reminder may be edited: callback data is
    untrusted, and editing any other message would overwrite it."""
    query = select(Delivery.chat_id, Delivery.message_id, Delivery.due_at).where(
        Delivery.meeting_id == ballot.meeting_id,
        Delivery.kind == "reminder",
        Delivery.status == DeliveryStatus.SENT,
        Delivery.chat_id < 0,
        Delivery.message_id.is_not(None),
    )
    if chat_id < 0:
        query = query.where(Delivery.chat_id == chat_id, Delivery.message_id == message_id)
    elif ballot.group_chat_id is not None:
        query = query.where(Delivery.chat_id == ballot.group_chat_id)
    else:
        return None
    row = (await session.execute(query.order_by(Delivery.sent_at.desc()).limit(1))).first()
    if row is None or row[1] is None:
        return None
    return ReminderMessage(int(row[0]), int(row[1]), row[2])


async def _request_refresh(
    session: AsyncSession, ballot: _Ballot, target: ReminderMessage, now: datetime
) -> None:
    """Upsert the one refresh of this message: pending presses share it, and edits in one
    chat keep a gap between them, so a burst of presses is a few edits, not one each."""
    chat_id, message_id = target.chat_id, target.message_id
    key = f"rsvp:{ballot.meeting_id}:{chat_id}:{message_id}"
    lookup = select(Delivery).where(Delivery.key == key)
    if _for_update(session):
        lookup = lookup.with_for_update()
    row = await session.scalar(lookup)
    if row is not None and row.status is DeliveryStatus.SENDING:
        # That edit may have read the counts before this press: a second row follows it,
        # so the message always ends with the final counts.
        key = f"{key}:again"
        lookup = select(Delivery).where(Delivery.key == key)
        if _for_update(session):
            lookup = lookup.with_for_update()
        row = await session.scalar(lookup)
    if row is not None and row.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
        return  # a pending edit composes the counts when it is sent
    last_sent = await session.scalar(
        select(func.max(Delivery.sent_at)).where(
            Delivery.kind == "rsvp_refresh", Delivery.chat_id == chat_id
        )
    )
    last_planned = await session.scalar(
        select(func.max(Delivery.due_at)).where(
            Delivery.kind == "rsvp_refresh",
            Delivery.chat_id == chat_id,
            Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
        )
    )
    last = max((t for t in (last_sent, last_planned) if t is not None), default=None)
    due = next_refresh(last, now)
    if row is None:
        await deliveries.enqueue(
            session,
            key=key,
            kind="rsvp_refresh",
            chat_id=chat_id,
            due_at=due,
            group_id=ballot.group_id,
            meeting_id=ballot.meeting_id,
            payload={"message_id": message_id, "written_for": target.written_for.isoformat()},
        )
        return
    row.status = DeliveryStatus.PENDING
    row.due_at = due
    row.attempts = 0
    row.reason = None


# -- quiz ---------------------------------------------------------------------------------------


async def store_quiz_poll(
    session: AsyncSession, poll_id: str, meeting_id: int, index: int, correct: int
) -> None:
    if await session.get(QuizPoll, poll_id) is None:
        session.add(
            QuizPoll(
                poll_id=poll_id, meeting_id=meeting_id, question_index=index, correct_option=correct
            )
        )


async def record_quiz_answer(
    db: SessionFactory, person_id: int, poll_id: str, options: list[int], now: datetime
) -> bool | None:
    """Whether the answer was right; None for polls that are not ours (or a retracted vote)."""
    async with db.begin() as session:
        poll = await session.get(QuizPoll, poll_id)
        if poll is None:
            return None
        answer = await session.scalar(
            select(QuizAnswer).where(
                QuizAnswer.poll_id == poll_id, QuizAnswer.person_id == person_id
            )
        )
        if not options:
            if answer is not None:
                await session.delete(answer)
            return None
        correct = options[0] == poll.correct_option
        if answer is None:
            session.add(
                QuizAnswer(
                    poll_id=poll_id,
                    person_id=person_id,
                    option=options[0],
                    correct=correct,
                    answered_at=now,
                )
            )
        else:
            answer.option, answer.correct, answer.answered_at = options[0], correct, now
        return correct
