"""Use cases for chairs' confirmations: ask, answer step by step, match replies, chase.

The request, its chase and its escalation are written as deliveries in the transaction
that creates the request; their composers skip once the chair has answered, so restarts
change nothing and nothing is sent twice. A chair's answer in her own words is
confirmation_words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access, deliveries, month_counts
from storage.actors import Actor
from storage.attendance import MeetingRef, hadir_counts
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.deliveries.notices import send_notice
from storage.errors import (
    EmptyText,
    FacilitatorsOnly,
    NotAllowed,
    NotFound,
    NotYourGroup,
    TooLong,
    UseCaseError,
)
from storage.models import AuditEntry, Delivery, Group, Meeting, MeetingStatus, Member, Person
from storage.models.attendance import (
    ConfirmationMessage,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
    ConfirmStep,
)
from timekeeping.chasing import chase_plan, may_nudge
from timekeeping.months import month_of


class CountNegative(UseCaseError):
    """A negative number of people."""


class NotYourRequest(NotAllowed):
    """The confirmation was asked of someone else."""


class AlreadyConfirmed(UseCaseError):
    """The confirmation was answered already."""


class WrongStep(UseCaseError):
    """An answer to a step the confirmation is not at (an old button)."""


class CountTooHigh(UseCaseError):
    """More people present than on the roster."""

    def __init__(self, count: int, roster: int) -> None:
        super().__init__()
        self.count = count
        self.roster = roster


MAX_NOTES = 2000
# The typed step a chair is in while a request waits for her answer.
CONFIRM_INPUT = "confirm_input"
KIND_REQUEST, KIND_CHASE, KIND_ESCALATION = (
    DeliveryKind.CONFIRM_REQUEST,
    DeliveryKind.CONFIRM_CHASE,
    DeliveryKind.CONFIRM_ESCALATION,
)


@dataclass(frozen=True)
class RequestView:
    id: int
    meeting: MeetingRef
    chair_person_id: int
    chair_name: str
    facilitator_id: int
    state: ConfirmState
    step: ConfirmStep
    outcome: ConfirmOutcome | None
    moved_to: date | None
    attendees: int | None
    info_passed: bool | None
    notes: str | None
    roster_size: int
    roll_call_hadir: int | None
    created_at: datetime
    answered_at: datetime | None

    @property
    def answered(self) -> bool:
        return self.state is ConfirmState.ANSWERED


async def _roster_name(session: AsyncSession, group_id: int, person: Person) -> str:
    """The chair as the facilitator knows her: her name on the group's roster, not the name
    she gave Telegram (often a nickname or a first name only)."""
    listed = await session.scalar(
        select(Member.name).where(Member.group_id == group_id, Member.person_id == person.id)
    )
    return listed or person.name


async def _view(session: AsyncSession, request: ConfirmationRequest) -> RequestView:
    meeting = await session.get_one(Meeting, request.meeting_id)
    group = await session.get_one(Group, request.group_id)
    chair = await session.get_one(Person, request.chair_person_id)
    roster = await session.scalar(
        select(func.count(Member.id)).where(Member.group_id == group.id, Member.active.is_(True))
    )
    hadir = (await hadir_counts(session, [meeting.id])).get(meeting.id)
    return RequestView(
        id=request.id,
        meeting=MeetingRef.of(meeting, group),
        chair_person_id=chair.id,
        chair_name=await _roster_name(session, group.id, chair),
        facilitator_id=group.facilitator_id,
        state=request.state,
        step=request.step,
        outcome=request.outcome,
        moved_to=request.moved_to,
        attendees=request.attendees,
        info_passed=request.info_passed,
        notes=request.notes,
        roster_size=int(roster or 0),
        roll_call_hadir=hadir,
        created_at=request.created_at,
        answered_at=request.answered_at,
    )


# -- asking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskLine:
    group_name: str
    result: str  # sent, already_open, already_answered, no_meeting, no_chair, chair_offline


async def month_meeting(session: AsyncSession, group: Group, now: datetime) -> Meeting | None:
    """This month's meeting that has started (the latest), in the group's time zone."""
    candidates = await session.scalars(
        select(Meeting)
        .where(
            Meeting.group_id == group.id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(3)
    )
    month = month_of(now, group.timezone)
    for meeting in candidates:
        if month_of(meeting.starts_at, group.timezone) == month:
            return meeting
    return None


async def _asked_groups(session: AsyncSession, actor: Actor, group_id: int | None) -> list[Group]:
    if group_id is not None:
        group = await session.get(Group, group_id)
        if group is None:
            raise NotFound()
        if not access.can(actor, access.Action.MANAGE, group):
            raise NotYourGroup()
        return [group]
    if not access.may(actor, access.Duty.FACILITATE):
        raise FacilitatorsOnly()
    return list(
        await session.scalars(
            select(Group)
            .where(Group.facilitator_id == actor.person_id, Group.active.is_(True))
            .order_by(Group.name, Group.id)
        )
    )


async def ask(
    db: SessionFactory,
    actor: Actor,
    group_id: int | None,
    now: datetime,
    chase_after: timedelta,
    escalate_after: timedelta,
) -> list[AskLine]:
    """Ask the chair of one group (or of all the facilitator's groups) about this month."""
    if not access.may(actor, access.Duty.STAFF):
        raise FacilitatorsOnly()
    async with db.begin() as session:
        lines = []
        for group in await _asked_groups(session, actor, group_id):
            lines.append(
                AskLine(
                    group.name,
                    await _ask_one(session, actor, group, now, chase_after, escalate_after),
                )
            )
        return lines


async def _ask_one(
    session: AsyncSession,
    actor: Actor,
    group: Group,
    now: datetime,
    chase_after: timedelta,
    escalate_after: timedelta,
) -> str:
    meeting = await month_meeting(session, group, now)
    if meeting is None:
        return "no_meeting"
    existing = await session.scalar(
        select(ConfirmationRequest)
        .where(ConfirmationRequest.meeting_id == meeting.id)
        .order_by(ConfirmationRequest.id.desc())
        .limit(1)
    )
    if existing is not None:
        return "already_answered" if existing.state is ConfirmState.ANSWERED else "already_open"
    chair_member = (
        await session.get(Member, group.chair_member_id) if group.chair_member_id else None
    )
    if chair_member is None or chair_member.person_id is None:
        return "no_chair"
    chair = await session.get_one(Person, chair_member.person_id)
    if chair.telegram_user_id is None or chair.blocked_bot_at is not None:
        return "chair_offline"
    request = ConfirmationRequest(
        meeting_id=meeting.id,
        group_id=group.id,
        chair_person_id=chair.id,
        requested_by=actor.person_id,
        state=ConfirmState.OPEN,
        step=ConfirmStep.OUTCOME,
        nudges=0,
        created_at=now,
    )
    session.add(request)
    await session.flush()
    plan = chase_plan(now, chase_after, escalate_after)
    facilitator = await session.get_one(Person, group.facilitator_id)
    sends = [
        ("request", KIND_REQUEST, chair, plan.request_at),
        ("chase", KIND_CHASE, chair, plan.chase_at),
        ("escalate", KIND_ESCALATION, facilitator, plan.escalate_at),
    ]
    for name, kind, person, due_at in sends:
        await _send_about(session, request, name, kind, person, due_at)
    await month_counts.refresh_meeting(session, group, meeting.starts_at)
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor.person_id,
            action="confirm.ask",
            detail=f"{group.code} meeting {meeting.id} request {request.id}",
        )
    )
    return "sent"


async def _send_about(
    session: AsyncSession,
    request: ConfirmationRequest,
    name: str,
    kind: DeliveryKind,
    person: Person,
    due_at: datetime,
) -> bool:
    """A message about the request to this person (none while she has no chat with the bot);
    False when there is none or one with the same purpose was already queued."""
    if person.telegram_user_id is None:
        return False
    return await deliveries.enqueue(
        session,
        key=f"confirm:{request.id}:{name}",
        kind=kind,
        chat_id=person.telegram_user_id,
        person_id=person.id,
        group_id=request.group_id,
        meeting_id=request.meeting_id,
        due_at=due_at,
        payload={"request_id": request.id},
    )


# -- the chair's answers -------------------------------------------------------------------


async def _chairs_request(
    session: AsyncSession, actor: Actor, request_id: int, *, open_only: bool = True
) -> ConfirmationRequest:
    """The request if it is this chair's, for a group she still chairs; open unless told."""
    request = await session.get(ConfirmationRequest, request_id, with_for_update=True)
    if request is None:
        raise NotFound()
    if request.chair_person_id != actor.person_id or request.group_id not in actor.chair_of:
        raise NotYourRequest()
    if open_only and request.state is ConfirmState.ANSWERED:
        raise AlreadyConfirmed()
    return request


async def chair_view(db: SessionFactory, actor: Actor, request_id: int) -> RequestView:
    async with db.begin() as session:
        request = await _chairs_request(session, actor, request_id, open_only=False)
        return await _view(session, request)


async def open_for_chair(db: SessionFactory, actor: Actor) -> list[RequestView]:
    async with db.begin() as session:
        found = await session.scalars(
            select(ConfirmationRequest)
            .where(
                ConfirmationRequest.chair_person_id == actor.person_id,
                ConfirmationRequest.state == ConfirmState.OPEN,
                ConfirmationRequest.group_id.in_(actor.chair_of),
            )
            .order_by(ConfirmationRequest.created_at, ConfirmationRequest.id)
        )
        return [await _view(session, request) for request in found]


async def answer_outcome(
    db: SessionFactory, actor: Actor, request_id: int, outcome: ConfirmOutcome, now: datetime
) -> RequestView:
    async with db.begin() as session:
        request = await _chairs_request(session, actor, request_id)
        request.outcome = outcome
        request.attendees = request.info_passed = request.moved_to = None
        request.step = {
            ConfirmOutcome.HELD: ConfirmStep.COUNT,
            ConfirmOutcome.MOVED: ConfirmStep.DATE,
            ConfirmOutcome.NOT_HELD: ConfirmStep.NOTES,
        }[outcome]
        return await _view(session, request)


async def restart_answer(
    db: SessionFactory, actor: Actor, request_id: int, now: datetime
) -> RequestView:
    """Back to the first question; notes already written are kept."""
    async with db.begin() as session:
        request = await _chairs_request(session, actor, request_id)
        request.outcome = request.attendees = request.info_passed = request.moved_to = None
        request.step = ConfirmStep.OUTCOME
        return await _view(session, request)


async def _at_step(
    session: AsyncSession, actor: Actor, request_id: int, step: ConfirmStep
) -> ConfirmationRequest:
    request = await _chairs_request(session, actor, request_id)
    if request.step is not step:
        raise WrongStep()
    return request


async def answer_count(
    db: SessionFactory, actor: Actor, request_id: int, count: int, now: datetime
) -> RequestView:
    async with db.begin() as session:
        request = await _at_step(session, actor, request_id, ConfirmStep.COUNT)
        roster = await session.scalar(
            select(func.count(Member.id)).where(
                Member.group_id == request.group_id, Member.active.is_(True)
            )
        )
        if count < 0:
            raise CountNegative()
        if count > int(roster or 0):
            raise CountTooHigh(count, int(roster or 0))
        request.attendees = count
        request.step = ConfirmStep.INFO
        return await _view(session, request)


async def answer_info(
    db: SessionFactory, actor: Actor, request_id: int, passed: bool, now: datetime
) -> RequestView:
    async with db.begin() as session:
        request = await _at_step(session, actor, request_id, ConfirmStep.INFO)
        request.info_passed = passed
        request.step = ConfirmStep.NOTES
        return await _view(session, request)


async def answer_date(
    db: SessionFactory, actor: Actor, request_id: int, moved_to: date | None, now: datetime
) -> RequestView:
    async with db.begin() as session:
        request = await _at_step(session, actor, request_id, ConfirmStep.DATE)
        request.moved_to = moved_to
        request.step = ConfirmStep.NOTES
        return await _view(session, request)


def _clean_notes(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise EmptyText()
    if len(cleaned) > MAX_NOTES:
        raise TooLong(MAX_NOTES, len(cleaned))
    return cleaned


async def add_notes(
    db: SessionFactory, actor: Actor, request_id: int, text: str | None, now: datetime
) -> RequestView:
    """Notes in the chair's words; at the last step they finish the answer.

    Notes sent before the outcome was chosen are kept and the questions go on."""
    notes = _clean_notes(text) if text is not None else None
    async with db.begin() as session:
        request = await _chairs_request(session, actor, request_id)
        if notes is not None:
            request.notes = f"{request.notes}\n{notes}" if request.notes else notes
        if request.step is ConfirmStep.NOTES:
            await _finish(session, actor, request, now)
        elif notes is None:
            raise WrongStep()
        return await _view(session, request)


async def _finish(
    session: AsyncSession, actor: Actor, request: ConfirmationRequest, now: datetime
) -> None:
    request.step = ConfirmStep.DONE
    request.state = ConfirmState.ANSWERED
    request.answered_at = now
    await deliveries.cancel_pending(
        session,
        Delivery.key.in_([f"confirm:{request.id}:chase", f"confirm:{request.id}:escalate"]),
        reason="answered",
    )
    group = await session.get_one(Group, request.group_id)
    meeting = await session.get_one(Meeting, request.meeting_id)
    await month_counts.refresh_meeting(session, group, meeting.starts_at)
    facilitator = await session.get_one(Person, group.facilitator_id)
    kind = DeliveryKind.CONFIRM_ANSWERED
    if not await _send_about(session, request, "answered", kind, facilitator, now):
        # Answered again after a correction: the facilitator hears the corrected answer too.
        name = f"answered:{int(now.timestamp())}"
        await _send_about(session, request, name, kind, facilitator, now)
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor.person_id,
            action="confirm.answer",
            detail=f"{group.code} request {request.id} {request.outcome} {request.attendees}",
        )
    )


async def late_note(
    db: SessionFactory, actor: Actor, request_id: int, text: str, now: datetime
) -> RequestView:
    """A note added after the answer was sent: kept, marked late, and the facilitator told."""
    notes = _clean_notes(text)
    async with db.begin() as session:
        request = await _chairs_request(session, actor, request_id, open_only=False)
        request.notes = f"{request.notes}\n+ {notes}" if request.notes else f"+ {notes}"
        group = await session.get_one(Group, request.group_id)
        await send_notice(
            session,
            await session.get_one(Person, group.facilitator_id),
            key=f"confirm:{request.id}:late:{int(now.timestamp())}:{len(request.notes)}",
            text="confirm.late_note_notice",
            params={
                "group": group.name,
                "chair": await _roster_name(
                    session, group.id, await session.get_one(Person, request.chair_person_id)
                ),
                "note": notes,
            },
            now=now,
            group_id=group.id,
        )
        return await _view(session, request)


async def request_for_reply(
    db: SessionFactory, actor: Actor, chat_id: int, message_id: int
) -> RequestView | None:
    """The request a replied-to bot message belongs to, if it is this chair's."""
    async with db.begin() as session:
        request_id = await session.scalar(
            select(ConfirmationMessage.request_id).where(
                ConfirmationMessage.chat_id == chat_id,
                ConfirmationMessage.message_id == message_id,
            )
        )
        if request_id is None:
            return None
        request = await _chairs_request(session, actor, request_id, open_only=False)
        return await _view(session, request)


async def remember_message(
    db: SessionFactory, request_id: int, chat_id: int, message_id: int, kind: str
) -> None:
    async with db.begin() as session:
        await record_message(session, request_id, chat_id, message_id, kind)


async def record_message(
    session: AsyncSession, request_id: int, chat_id: int, message_id: int, kind: str
) -> None:
    """Note a bot message about the request (and when it went out), so replies find it."""
    exists = await session.scalar(
        select(ConfirmationMessage.id).where(
            ConfirmationMessage.chat_id == chat_id, ConfirmationMessage.message_id == message_id
        )
    )
    if exists is None:
        session.add(
            ConfirmationMessage(
                request_id=request_id, chat_id=chat_id, message_id=message_id, kind=kind
            )
        )
    request = await session.get_one(ConfirmationRequest, request_id)
    if kind != "escalation":
        request.message_id = message_id


async def mark_delivered(session: AsyncSession, request_id: int, kind: str, now: datetime) -> None:
    request = await session.get_one(ConfirmationRequest, request_id)
    if kind == KIND_REQUEST:
        request.sent_at = request.sent_at or now
    elif kind == KIND_ESCALATION:
        request.escalated_at = now
    else:
        request.chased_at = now


async def request_message_sent(
    session: AsyncSession,
    request_id: int,
    kind: str,
    chat_id: int,
    message_id: int,
    person_id: int | None,
    now: datetime,
) -> None:
    """A message about the request went out: note it, and let the chair answer it by typing."""
    label = "escalation" if kind == KIND_ESCALATION else kind.removeprefix("confirm_")
    await record_message(session, request_id, chat_id, message_id, label)
    await mark_delivered(session, request_id, kind, now)
    if kind != KIND_ESCALATION and person_id is not None:
        # Plain typed text (not a reply) answers this request unless she is mid-way through
        # something else.
        person = await session.get(Person, person_id)
        if person is not None and person.awaiting is None:
            person.awaiting = CONFIRM_INPUT
            person.draft = {"request_id": request_id}


async def for_delivery(db: SessionFactory, request_id: int) -> RequestView | None:
    """The request as it stands when a delivery about it is composed."""
    async with db.begin() as session:
        request = await session.get(ConfirmationRequest, request_id)
        return await _view(session, request) if request is not None else None


# -- chasing by hand -----------------------------------------------------------------------


async def nudge_open(
    db: SessionFactory, actor: Actor, facilitator_id: int, month: int, now: datetime
) -> tuple[int, int]:
    """Chase now every chair of this facilitator's groups who has not answered this month.

    Returns (chased, skipped because written to within the last hour)."""
    if not access.may_oversee(actor, facilitator_id):
        raise FacilitatorsOnly()
    async with db.begin() as session:
        if not await access.oversees(session, actor, facilitator_id):
            raise NotFound()
        rows = await session.execute(
            select(ConfirmationRequest, Meeting, Group, Person)
            .join(Meeting, Meeting.id == ConfirmationRequest.meeting_id)
            .join(Group, Group.id == ConfirmationRequest.group_id)
            .join(Person, Person.id == ConfirmationRequest.chair_person_id)
            .where(
                Group.facilitator_id == facilitator_id,
                ConfirmationRequest.state == ConfirmState.OPEN,
            )
            .with_for_update(of=ConfirmationRequest)
        )
        chased = skipped = 0
        for request, meeting, group, chair in rows.tuples():
            if month_of(meeting.starts_at, group.timezone) != month:
                continue
            last = max(
                (
                    t
                    for t in (request.created_at, request.sent_at, request.chased_at)
                    if t is not None
                ),
                default=None,
            )
            if chair.telegram_user_id is None or not may_nudge(last, now):
                skipped += 1
                continue
            request.nudges += 1
            request.chased_at = now
            await _send_about(session, request, f"nudge:{request.nudges}", KIND_CHASE, chair, now)
            chased += 1
        if chased:
            session.add(
                AuditEntry(
                    at=now,
                    actor_id=actor.person_id,
                    action="confirm.nudge",
                    detail=f"facilitator {facilitator_id} month {month} chased {chased}",
                )
            )
        return chased, skipped
