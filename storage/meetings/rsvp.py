"""RSVP answers on reminders: recorded with set-based statements, with a coalesced count edit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.actors import Actor
from storage.db import SessionFactory, retrying
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.errors import NotFound
from storage.meetings.errors import RsvpCancelled, RsvpNotMember, RsvpPast
from storage.meetings.reading import rsvp_counts
from storage.meetings.views import MeetingDetail, MeetingView, RsvpResult
from storage.models import (
    Delivery,
    DeliveryStatus,
    Group,
    Meeting,
    MeetingStatus,
    Member,
    Person,
    Rsvp,
)
from timekeeping.rules import next_refresh

# The payload keys where the dispatcher keeps the moment and the language a reminder's
# words were written in.
WORDED_AT = "worded_at"
WORDED_IN = "worded_in"


# -- RSVP ---------------------------------------------------------------------------------------
#
# A reminder in a group of 30 gets 30 presses within a minute, a city's 110 groups thousands.
# Presses in group chats that arrive together are recorded together (storage/meetings/
# presses.py): one transaction of a few set-based statements for all of them. A press on one's
# own private copy is recorded alone, by the same statements. On PostgreSQL the meeting rows
# are locked (FOR NO KEY UPDATE, which foreign-key checks do not wait for) so presses on one
# meeting queue up and never both create its refresh row; the refresh rows are locked so that
# the dispatcher's claim (SKIP LOCKED) leaves them until these presses' answers are committed.
# On SQLite the first write takes the database's write lock, and the refresh rows are read
# after it.


@dataclass(frozen=True)
class Ballot:
    """What recording a press needs to know about the meeting and the presser."""

    meeting_id: int
    group_id: int
    group_name: str
    group_chat_id: int | None
    status: MeetingStatus
    starts_at: datetime
    person_language: str | None
    member_id: int | None


@dataclass(frozen=True)
class Answer:
    """One press to record: whose line, on which meeting, which message was pressed."""

    ballot: Ballot
    coming: bool
    at: datetime
    chat_id: int
    message_id: int | None


def for_update(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# What a ballot needs of the meeting and its group, in the order of Ballot's first fields.
BALLOT_MEETING = (
    Meeting.id,
    Meeting.group_id,
    Group.name,
    Group.chat_id,
    Meeting.status,
    Meeting.starts_at,
)


# The statements of a press are built once: building a statement costs more than running it.
@cache
def _ballot_query(for_update: bool) -> Select[Any]:
    """The meeting and its group, and the presser's (:person) active roster line in that
    group, if any."""
    query = (
        select(*BALLOT_MEETING, Person.language, Member.id)
        .join(Group, Group.id == Meeting.group_id)
        .outerjoin(Person, Person.id == bindparam("person"))
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
    """The refreshes of the pressed messages and those that follow them while they are sent."""
    query = (
        select(Delivery.key, Delivery.status)
        .where(Delivery.key.in_(bindparam("keys", expanding=True)))
        .order_by(Delivery.key)
    )
    return query.with_for_update() if for_update else query


def check_open(ballot: Ballot | None, now: datetime) -> Ballot:
    """The ballot of a press that may be recorded; a refusal saying why otherwise."""
    if ballot is None:
        raise NotFound()
    if ballot.status is MeetingStatus.CANCELLED:
        raise RsvpCancelled()
    if ballot.starts_at <= now:
        raise RsvpPast()
    if ballot.member_id is None:
        raise RsvpNotMember(ballot.group_name)
    return ballot


async def record_answers(session: AsyncSession, answers: Sequence[Answer]) -> None:
    """Store the answers (one statement, executed for each member's last press) and make
    sure one coalesced edit of each pressed group message's counts is queued."""
    last: dict[tuple[int, int], Answer] = {}
    for answer in answers:
        assert answer.ballot.member_id is not None
        last[(answer.ballot.meeting_id, answer.ballot.member_id)] = answer
    if not last:
        return
    await session.execute(
        _STORE_ANSWER,
        [
            {"meeting": meeting, "member": member, "coming": a.coming, "answered_at": a.at}
            for (meeting, member), a in sorted(last.items(), key=lambda item: item[0])
        ],
    )
    now = max(a.at for a in answers)
    # One refresh per message pressed (a private press refreshes the group's latest message).
    pressed: dict[tuple[int, int, int | None], Answer] = {}
    for answer in answers:
        chat, message = answer.chat_id, answer.message_id
        if chat > 0 or message is None:
            chat, message = 0, None
        pressed.setdefault((answer.ballot.meeting_id, chat, message), answer)
    keys = {
        place: _refresh_key(place[0], place[1], place[2])
        for place in pressed
        if place[2] is not None
    }
    found: dict[str, DeliveryStatus] = {}
    if keys:
        wanted = sorted({k for key in keys.values() for k in (key, f"{key}:again")})
        rows = await session.execute(_refresh_query(for_update(session)), {"keys": wanted})
        found = {row[0]: row[1] for row in rows.all()}
    # In one order, like every lock of the batch (see presses.py): the rows found are locked
    # already, and the refreshes created here are created only under their meeting's lock.
    for place, answer in sorted(pressed.items(), key=lambda item: _place_order(item[0])):
        key = keys.get(place)
        # Most presses find the refresh of the pressed message already waiting: nothing to do.
        if key is not None and _refresh_waiting(found, key):
            continue
        target = await _group_message(session, answer.ballot, answer.chat_id, answer.message_id)
        if target is not None:
            await _request_refresh(session, answer.ballot, target, now)


def _place_order(place: tuple[int, int, int | None]) -> tuple[int, int, int]:
    meeting, chat, message = place
    return meeting, chat, -1 if message is None else message


def _refresh_key(meeting_id: int, chat_id: int, message_id: int | None) -> str:
    return f"rsvp:{meeting_id}:{chat_id}:{message_id}"


def _refresh_waiting(found: dict[str, DeliveryStatus], key: str) -> bool:
    """Whether a queued edit will show this press's answer (see _request_refresh)."""
    status = found.get(key)
    if status is DeliveryStatus.SENDING:
        status = found.get(f"{key}:again")
    return status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


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
    with the counts and the meeting to redraw the presser's own (private) copy. Run again
    when the database broke a lock cycle by failing it (storage.db.retrying)."""

    async def once() -> RsvpResult:
        async with db.begin() as session:
            query = _ballot_query(for_update(session))
            row = (
                await session.execute(query, {"meeting": meeting_id, "person": actor.person_id})
            ).first()
            ballot = check_open(None if row is None else Ballot(*row), now)
            await record_answers(session, [Answer(ballot, coming, now, chat_id, message_id)])
            meeting = await session.get_one(Meeting, meeting_id)
            group = await session.get_one(Group, ballot.group_id)
            return RsvpResult(
                MeetingView.of(meeting, group),
                coming,
                await rsvp_counts(session, meeting.id),
                *await _private_copy_wording(session, meeting_id, chat_id, message_id),
            )

    return await retrying(once)


async def _private_copy_wording(
    session: AsyncSession, meeting_id: int, chat_id: int, message_id: int | None
) -> tuple[datetime | None, str | None]:
    """When and in which language the pressed private reminder was worded, so its redraw
    keeps its words; (None, None) when it is not one of our reminders."""
    if chat_id < 0 or message_id is None:
        return None, None
    row = (
        await session.execute(
            select(Delivery.payload, Delivery.sent_at, Delivery.due_at)
            .where(
                Delivery.meeting_id == meeting_id,
                Delivery.kind == "reminder",
                Delivery.chat_id == chat_id,
                Delivery.message_id == message_id,
            )
            .limit(1)
        )
    ).first()
    if row is None:
        return None, None
    language = (row[0] or {}).get(WORDED_IN)
    return worded_at(row[0], row[1], row[2]), language if isinstance(language, str) else None


@dataclass(frozen=True)
class ReminderMessage:
    chat_id: int
    message_id: int
    written_for: datetime  # when it was first worded, so "3 menit lagi" stays as first sent


def worded_at(
    payload: dict[str, Any] | None, sent_at: datetime | None, due_at: datetime
) -> datetime:
    """The moment a sent reminder's time words were said from: recorded when it was sent
    (rows sent before that was recorded fall back to the send, then the due time)."""
    written = (payload or {}).get(WORDED_AT)
    if isinstance(written, str):
        return datetime.fromisoformat(written)
    return sent_at if sent_at is not None else due_at


async def _group_message(
    session: AsyncSession, ballot: Ballot, chat_id: int, message_id: int | None
) -> ReminderMessage | None:
    """Which group reminder shows the counts: the one pressed, or the group's latest one.

    Only a message we sent as this meeting's reminder may be edited: callback data is
    untrusted, and editing any other message would overwrite it."""
    query = select(
        Delivery.chat_id, Delivery.message_id, Delivery.payload, Delivery.sent_at, Delivery.due_at
    ).where(
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
    return ReminderMessage(int(row[0]), int(row[1]), worded_at(row[2], row[3], row[4]))


async def _request_refresh(
    session: AsyncSession, ballot: Ballot, target: ReminderMessage, now: datetime
) -> None:
    """Upsert the one refresh of this message: pending presses share it, and edits in one
    chat keep a gap between them, so a burst of presses is a few edits, not one each."""
    chat_id, message_id = target.chat_id, target.message_id
    key = _refresh_key(ballot.meeting_id, chat_id, message_id)
    lookup = select(Delivery).where(Delivery.key == key)
    if for_update(session):
        lookup = lookup.with_for_update()
    row = await session.scalar(lookup)
    if row is not None and row.status is DeliveryStatus.SENDING:
        # That edit may have read the counts before this press: a second row follows it,
        # so the message always ends with the final counts.
        key = f"{key}:again"
        lookup = select(Delivery).where(Delivery.key == key)
        if for_update(session):
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
            kind=DeliveryKind.RSVP_REFRESH,
            chat_id=chat_id,
            due_at=due,
            group_id=ballot.group_id,
            meeting_id=ballot.meeting_id,
            payload={"message_id": message_id, "written_for": target.written_for.isoformat()},
        )
        return
    _due_again(row, due)


async def lock_refreshes(session: AsyncSession, key: str) -> None:
    """Lock a message's refresh and the one that follows it, in the order presses lock them.

    Recording a sent edit marks its own row and then reads the other one (see
    refresh_again_if_changed); for the `:again` row that was the reverse of the presses' order,
    and a press holding the first row while waiting for the second deadlocked with it. Taking
    both here first, through the presses' query, gives every writer one order."""
    if for_update(session):
        base = key.removesuffix(":again")
        await session.execute(_refresh_query(True), {"keys": [base, f"{base}:again"]})


async def refresh_again_if_changed(
    session: AsyncSession, delivery_id: int, key: str, shown: MeetingDetail, now: datetime
) -> None:
    """After a count edit is recorded as sent: when answers came in after its counts were
    read and no other edit of the message is still to come, the same edit goes again after
    the usual gap.

    A press may commit between the moment an edit reads the counts and the moment it is sent;
    it then sees the refresh (and the one that follows it) as sending and counts on them, so
    without this check the message could keep the counts from before that press."""
    if await rsvp_counts(session, shown.meeting.id) == shown.counts:
        return
    base = key.removesuffix(":again")
    query = select(Delivery.key, Delivery.status).where(
        Delivery.key.in_((base, f"{base}:again")), Delivery.key != key
    )
    if for_update(session):
        query = query.with_for_update()
    if any(status is DeliveryStatus.PENDING for _, status in (await session.execute(query))):
        return  # that edit reads the counts when it is sent
    _due_again(await session.get_one(Delivery, delivery_id), next_refresh(now, now))


def _due_again(row: Delivery, due: datetime) -> None:
    """The same count edit, to be sent again at `due` with a fresh count of tries."""
    row.status = DeliveryStatus.PENDING
    row.due_at = due
    row.attempts = 0
    row.reason = None
