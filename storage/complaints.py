"""Complaint use cases: file, read, answer, change status, escalate, hand over.

Who may see a ticket: the member who filed it, the facilitator handling it (or the group's
current facilitator) and coordinators. Nobody else, chairs included. Every refusal uses the
same text whether the ticket exists or not, so ticket numbers cannot be probed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import deliveries
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import NotAllowed, UseCaseError
from storage.models import Group, Member, Person, StaffRole
from storage.models_complaints import (
    AttachmentKind,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintStatus,
    ticket_number,
)

MAX_TEXT = 10_000
MAX_REPLY = 3_500
MAX_REASON = 500
MAX_FILES = 10
PAGE = 8

OPEN = (ComplaintStatus.NEW, ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)
# What the facilitator may set by hand, in the order the buttons show them.
STAFF_STATUSES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RESOLVED,
    ComplaintStatus.REJECTED,
)
NOT_YOURS = "complaints.not_yours"

NEW_KIND = "complaint_new"
MORE_KIND = "complaint_more"
UPDATE_KIND = "complaint_update"
ESCALATION_KIND = "complaint_escalation"


@dataclass(frozen=True)
class Attachment:
    kind: AttachmentKind
    file_id: str
    file_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "file_id": self.file_id, "name": self.file_name}

    @classmethod
    def from_json(cls, raw: object) -> Attachment | None:
        if not isinstance(raw, dict):
            return None
        try:
            kind = AttachmentKind(str(raw.get("kind")))
        except ValueError:
            return None
        file_id, name = raw.get("file_id"), raw.get("name")
        if not isinstance(file_id, str) or kind is AttachmentKind.TEXT:
            return None
        return cls(kind, file_id, name if isinstance(name, str) else None)


@dataclass(frozen=True)
class TicketSummary:
    id: int
    number: str
    category: ComplaintCategory
    status: ComplaintStatus
    created_at: datetime
    group_name: str
    member_name: str
    discuss_anonymously: bool
    acknowledged: bool


@dataclass(frozen=True)
class TicketMessage:
    id: int
    author_name: str
    from_staff: bool
    kind: AttachmentKind
    text: str | None
    file_id: str | None
    file_name: str | None
    created_at: datetime


@dataclass(frozen=True)
class TicketEvent:
    id: int
    at: datetime
    actor_name: str | None
    action: str
    status: ComplaintStatus | None
    detail: str | None
    message_text: str | None


@dataclass(frozen=True)
class Ticket:
    id: int
    number: str
    category: ComplaintCategory
    status: ComplaintStatus
    created_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    discuss_anonymously: bool
    reject_reason: str | None
    person_id: int
    member_name: str
    member_telegram_id: int | None
    group_id: int
    group_name: str
    timezone: str
    facilitator_id: int
    facilitator_name: str
    facilitator_telegram_id: int | None
    messages: tuple[TicketMessage, ...]
    events: tuple[TicketEvent, ...]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def member_text(self) -> str:
        """Everything the member wrote, in order."""
        return "\n\n".join(
            m.text
            for m in self.messages
            if not m.from_staff and m.kind is AttachmentKind.TEXT and m.text
        )

    @property
    def files(self) -> tuple[TicketMessage, ...]:
        return tuple(m for m in self.messages if m.file_id)


@dataclass(frozen=True)
class Filed:
    ticket: Ticket


@dataclass(frozen=True)
class Queue:
    tickets: tuple[TicketSummary, ...]
    total: int
    page: int


# -- reading ----------------------------------------------------------------------------


async def _complaint(session: AsyncSession, complaint_id: int) -> Complaint:
    complaint = await session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotAllowed(NOT_YOURS)
    return complaint


async def _is_handler(session: AsyncSession, actor: Actor, complaint: Complaint) -> bool:
    """A coordinator, the ticket's facilitator, or the group's current facilitator."""
    if actor.is_coordinator:
        return True
    if not actor.is_facilitator:
        return False
    if complaint.facilitator_id == actor.person_id:
        return True
    group_facilitator = await session.scalar(
        select(Group.facilitator_id).where(Group.id == complaint.group_id)
    )
    return group_facilitator == actor.person_id


async def _for_staff(session: AsyncSession, actor: Actor, complaint_id: int) -> Complaint:
    complaint = await _complaint(session, complaint_id)
    if not await _is_handler(session, actor, complaint):
        raise NotAllowed(NOT_YOURS)
    return complaint


async def _for_member(session: AsyncSession, actor: Actor, complaint_id: int) -> Complaint:
    complaint = await _complaint(session, complaint_id)
    if complaint.person_id != actor.person_id:
        raise NotAllowed(NOT_YOURS)
    return complaint


async def _ticket(session: AsyncSession, complaint: Complaint) -> Ticket:
    member_person = await session.get_one(Person, complaint.person_id)
    facilitator = await session.get_one(Person, complaint.facilitator_id)
    group = await session.get_one(Group, complaint.group_id)
    member_name = member_person.name
    if complaint.member_id is not None:
        roster_name = await session.scalar(
            select(Member.name).where(Member.id == complaint.member_id)
        )
        member_name = roster_name or member_name
    author = aliased(Person)
    messages = [
        TicketMessage(
            m.id, name, m.from_staff, m.kind, m.text, m.file_id, m.file_name, m.created_at
        )
        for m, name in await session.execute(
            select(ComplaintMessage, author.name)
            .join(author, author.id == ComplaintMessage.author_id)
            .where(ComplaintMessage.complaint_id == complaint.id)
            .order_by(ComplaintMessage.id)
        )
    ]
    texts = {m.id: m.text for m in messages}
    events = [
        TicketEvent(
            e.id,
            e.at,
            name,
            e.action,
            e.status,
            e.detail,
            texts.get(e.message_id) if e.message_id else None,
        )
        for e, name in await session.execute(
            select(ComplaintEvent, author.name)
            .outerjoin(author, author.id == ComplaintEvent.actor_id)
            .where(ComplaintEvent.complaint_id == complaint.id)
            .order_by(ComplaintEvent.id)
        )
    ]
    return Ticket(
        id=complaint.id,
        number=ticket_number(complaint.id),
        category=complaint.category,
        status=complaint.status,
        created_at=complaint.created_at,
        acknowledged_at=complaint.acknowledged_at,
        escalated_at=complaint.escalated_at,
        discuss_anonymously=complaint.discuss_anonymously,
        reject_reason=complaint.reject_reason,
        person_id=complaint.person_id,
        member_name=member_name,
        member_telegram_id=member_person.telegram_user_id,
        group_id=group.id,
        group_name=group.name,
        timezone=group.timezone,
        facilitator_id=facilitator.id,
        facilitator_name=facilitator.name,
        facilitator_telegram_id=facilitator.telegram_user_id,
        messages=tuple(messages),
        events=tuple(events),
    )


async def ticket(db: SessionFactory, actor: Actor, complaint_id: int) -> Ticket:
    """One ticket, for its member, its facilitator or a coordinator."""
    async with db.begin() as session:
        complaint = await _complaint(session, complaint_id)
        if complaint.person_id != actor.person_id and not await _is_handler(
            session, actor, complaint
        ):
            raise NotAllowed(NOT_YOURS)
        return await _ticket(session, complaint)


async def load_ticket(db: SessionFactory, complaint_id: int) -> Ticket | None:
    """A ticket for the dispatcher's composers (no actor: deliveries are already addressed)."""
    async with db.begin() as session:
        complaint = await session.get(Complaint, complaint_id)
        return None if complaint is None else await _ticket(session, complaint)


async def load_event(db: SessionFactory, event_id: int) -> TicketEvent | None:
    async with db.begin() as session:
        event = await session.get(ComplaintEvent, event_id)
        if event is None:
            return None
        name = await session.scalar(select(Person.name).where(Person.id == event.actor_id))
        text = None
        if event.message_id is not None:
            text = await session.scalar(
                select(ComplaintMessage.text).where(ComplaintMessage.id == event.message_id)
            )
        return TicketEvent(event.id, event.at, name, event.action, event.status, event.detail, text)


def _summaries(rows: Any) -> tuple[TicketSummary, ...]:
    return tuple(
        TicketSummary(
            c.id,
            ticket_number(c.id),
            c.category,
            c.status,
            c.created_at,
            group_name,
            member_name,
            c.discuss_anonymously,
            c.acknowledged_at is not None,
        )
        for c, group_name, member_name in rows
    )


def _summary_query() -> Any:
    return (
        select(Complaint, Group.name, Person.name)
        .join(Group, Group.id == Complaint.group_id)
        .join(Person, Person.id == Complaint.person_id)
    )


async def my_tickets(db: SessionFactory, actor: Actor) -> tuple[TicketSummary, ...]:
    """The member's own tickets, newest first."""
    async with db.begin() as session:
        rows = await session.execute(
            _summary_query()
            .where(Complaint.person_id == actor.person_id)
            .order_by(Complaint.id.desc())
            .limit(30)
        )
        return _summaries(rows)


async def queue(
    db: SessionFactory,
    actor: Actor,
    statuses: tuple[ComplaintStatus, ...] = OPEN,
    page: int = 0,
    size: int = PAGE,
) -> Queue:
    """Tickets the facilitator handles (all of them for a coordinator), oldest first."""
    if not actor.is_staff:
        raise NotAllowed("errors.facilitators_only")
    async with db.begin() as session:
        where: list[Any] = [Complaint.status.in_(statuses)]
        if not actor.is_coordinator:
            where.append(
                or_(
                    Complaint.facilitator_id == actor.person_id,
                    Group.facilitator_id == actor.person_id,
                )
            )
        total = (
            await session.scalar(
                select(func.count(Complaint.id))
                .join(Group, Group.id == Complaint.group_id)
                .where(*where)
            )
            or 0
        )
        pages = max(1, -(-total // size))
        page = min(max(page, 0), pages - 1)
        rows = await session.execute(
            _summary_query()
            .where(*where)
            .order_by(Complaint.created_at, Complaint.id)
            .offset(page * size)
            .limit(size)
        )
        return Queue(_summaries(rows), total, page)


async def meeting_topics(
    db: SessionFactory, actor: Actor, group_id: int
) -> list[tuple[ComplaintCategory, str]]:
    """Open tickets members allowed to be discussed at the meeting: category and text, no names."""
    async with db.begin() as session:
        group = await session.get(Group, group_id)
        if group is None or not (actor.is_coordinator or group.facilitator_id == actor.person_id):
            raise NotAllowed("errors.not_your_group")
        complaints = list(
            await session.scalars(
                select(Complaint)
                .where(
                    Complaint.group_id == group_id,
                    Complaint.discuss_anonymously.is_(True),
                    Complaint.status.in_(OPEN),
                )
                .order_by(Complaint.created_at)
            )
        )
        topics = []
        for complaint in complaints:
            first = await session.scalar(
                select(ComplaintMessage.text)
                .where(
                    ComplaintMessage.complaint_id == complaint.id,
                    ComplaintMessage.kind == AttachmentKind.TEXT,
                    ComplaintMessage.from_staff.is_(False),
                )
                .order_by(ComplaintMessage.id)
                .limit(1)
            )
            topics.append((complaint.category, first or ""))
        return topics


# -- filing -----------------------------------------------------------------------------


def clean_complaint_text(text: str, limit: int = MAX_TEXT) -> str:
    """Keep line breaks (people write lists); only trim the ends."""
    cleaned = text.strip()
    if not cleaned:
        raise UseCaseError("errors.empty_text")
    if len(cleaned) > limit:
        raise UseCaseError("errors.too_long", limit=limit, length=len(cleaned))
    return cleaned


async def _membership(session: AsyncSession, actor: Actor, group_id: int) -> Member:
    member = await session.scalar(
        select(Member)
        .join(Group, Group.id == Member.group_id)
        .where(
            Member.person_id == actor.person_id,
            Member.group_id == group_id,
            Member.active.is_(True),
            Group.active.is_(True),
        )
    )
    if member is None:
        raise UseCaseError("complaints.not_in_group")
    return member


async def _coordinators(session: AsyncSession) -> list[tuple[int, int]]:
    rows = await session.execute(
        select(Person.id, Person.telegram_user_id).where(
            Person.staff_role == StaffRole.COORDINATOR,
            Person.active.is_(True),
            Person.telegram_user_id.is_not(None),
        )
    )
    return [(row[0], row[1]) for row in rows]


def _event(
    session: AsyncSession,
    complaint: Complaint,
    actor_id: int | None,
    action: str,
    now: datetime,
    *,
    status: ComplaintStatus | None = None,
    message_id: int | None = None,
    detail: str | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint_id=complaint.id,
        actor_id=actor_id,
        at=now,
        action=action,
        status=status,
        message_id=message_id,
        detail=detail,
    )
    session.add(event)
    complaint.updated_at = now
    return event


async def _add_message(
    session: AsyncSession,
    complaint: Complaint,
    author_id: int,
    now: datetime,
    *,
    text: str | None = None,
    attachment: Attachment | None = None,
    from_staff: bool = False,
) -> ComplaintMessage:
    message = ComplaintMessage(
        complaint_id=complaint.id,
        author_id=author_id,
        from_staff=from_staff,
        kind=attachment.kind if attachment else AttachmentKind.TEXT,
        text=text,
        file_id=attachment.file_id if attachment else None,
        file_name=(attachment.file_name or None) if attachment else None,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    return message


async def _to_facilitator(
    session: AsyncSession, complaint: Complaint, kind: str, key: str, now: datetime, **payload: Any
) -> None:
    chat = await session.scalar(
        select(Person.telegram_user_id).where(Person.id == complaint.facilitator_id)
    )
    if chat is None:
        return
    await deliveries.enqueue(
        session,
        key=key,
        kind=kind,
        chat_id=chat,
        due_at=now,
        person_id=complaint.facilitator_id,
        group_id=complaint.group_id,
        payload={"complaint_id": complaint.id, **payload},
    )


async def _to_member(
    session: AsyncSession, complaint: Complaint, event: ComplaintEvent, now: datetime
) -> None:
    await session.flush()
    chat = await session.scalar(
        select(Person.telegram_user_id).where(Person.id == complaint.person_id)
    )
    if chat is None:
        return
    await deliveries.enqueue(
        session,
        key=f"complaint:{complaint.id}:update:{event.id}",
        kind=UPDATE_KIND,
        chat_id=chat,
        due_at=now,
        person_id=complaint.person_id,
        group_id=complaint.group_id,
        payload={"complaint_id": complaint.id, "event_id": event.id},
    )


async def _to_coordinators(
    session: AsyncSession, complaint: Complaint, key: str, due_at: datetime, **payload: Any
) -> None:
    for person_id, chat in await _coordinators(session):
        await deliveries.enqueue(
            session,
            key=f"{key}:{person_id}",
            kind=ESCALATION_KIND,
            chat_id=chat,
            due_at=due_at,
            person_id=person_id,
            group_id=complaint.group_id,
            payload={"complaint_id": complaint.id, **payload},
        )


async def submit(
    db: SessionFactory,
    actor: Actor,
    *,
    group_id: int,
    category: ComplaintCategory,
    text: str,
    attachments: list[Attachment],
    discuss_anonymously: bool,
    now: datetime,
    sla: timedelta,
) -> Ticket:
    """File the ticket, tell the facilitator now, and the coordinators at the SLA if unanswered."""
    body = clean_complaint_text(text)
    if len(attachments) > MAX_FILES:
        raise UseCaseError("complaints.too_many_files", limit=MAX_FILES)
    async with db.begin() as session:
        member = await _membership(session, actor, group_id)
        group = await session.get_one(Group, group_id)
        complaint = Complaint(
            person_id=actor.person_id,
            member_id=member.id,
            group_id=group_id,
            facilitator_id=group.facilitator_id,
            category=category,
            status=ComplaintStatus.NEW,
            discuss_anonymously=discuss_anonymously,
            created_at=now,
            updated_at=now,
        )
        session.add(complaint)
        await session.flush()
        await _add_message(session, complaint, actor.person_id, now, text=body)
        for attachment in attachments:
            await _add_message(session, complaint, actor.person_id, now, attachment=attachment)
        _event(session, complaint, actor.person_id, "filed", now, status=ComplaintStatus.NEW)
        await _to_facilitator(session, complaint, NEW_KIND, f"complaint:{complaint.id}:new", now)
        await _to_coordinators(session, complaint, f"complaint:{complaint.id}:escalate", now + sla)
        await session.flush()
        return await _ticket(session, complaint)


async def add_more(
    db: SessionFactory,
    actor: Actor,
    complaint_id: int,
    now: datetime,
    *,
    text: str | None = None,
    attachment: Attachment | None = None,
) -> Ticket:
    """The member adds text or a file to their open ticket; the facilitator is told."""
    async with db.begin() as session:
        complaint = await _for_member(session, actor, complaint_id)
        if complaint.status not in OPEN:
            raise UseCaseError("complaints.not_open", number=ticket_number(complaint.id))
        if text is not None:
            text = clean_complaint_text(text)
        if attachment is None and text is None:
            raise UseCaseError("errors.empty_text")
        message = await _add_message(
            session, complaint, actor.person_id, now, text=text, attachment=attachment
        )
        event = _event(session, complaint, actor.person_id, "added", now, message_id=message.id)
        await session.flush()
        await _to_facilitator(
            session,
            complaint,
            MORE_KIND,
            f"complaint:{complaint.id}:more:{event.id}",
            now,
            event_id=event.id,
        )
        return await _ticket(session, complaint)


# -- handling ---------------------------------------------------------------------------


def _acknowledge(complaint: Complaint, now: datetime) -> None:
    if complaint.acknowledged_at is None:
        complaint.acknowledged_at = now


def _still_open(complaint: Complaint) -> None:
    if complaint.status is ComplaintStatus.CLOSED:
        raise UseCaseError("complaints.already_closed", number=ticket_number(complaint.id))


async def reply(
    db: SessionFactory, actor: Actor, complaint_id: int, text: str, now: datetime
) -> Ticket:
    """A staff answer, relayed to the member."""
    body = clean_complaint_text(text, MAX_REPLY)
    async with db.begin() as session:
        complaint = await _for_staff(session, actor, complaint_id)
        _still_open(complaint)
        message = await _add_message(
            session, complaint, actor.person_id, now, text=body, from_staff=True
        )
        _acknowledge(complaint, now)
        if complaint.status is ComplaintStatus.NEW:
            complaint.status = ComplaintStatus.RECEIVED
        event = _event(session, complaint, actor.person_id, "reply", now, message_id=message.id)
        await _to_member(session, complaint, event, now)
        return await _ticket(session, complaint)


async def set_status(
    db: SessionFactory,
    actor: Actor,
    complaint_id: int,
    status: ComplaintStatus,
    now: datetime,
    reason: str | None = None,
) -> Ticket:
    """Received, in progress, resolved, or rejected with a reason; the member is told."""
    if status not in STAFF_STATUSES:
        raise NotAllowed(NOT_YOURS)
    if status is ComplaintStatus.REJECTED:
        reason = clean_complaint_text(reason or "", MAX_REASON)
    async with db.begin() as session:
        complaint = await _for_staff(session, actor, complaint_id)
        _still_open(complaint)
        if complaint.status is status:
            raise UseCaseError("complaints.same_status")
        complaint.status = status
        complaint.reject_reason = reason if status is ComplaintStatus.REJECTED else None
        _acknowledge(complaint, now)
        event = _event(
            session, complaint, actor.person_id, "status", now, status=status, detail=reason
        )
        await _to_member(session, complaint, event, now)
        return await _ticket(session, complaint)


async def forward(db: SessionFactory, actor: Actor, complaint_id: int, now: datetime) -> Ticket:
    """The facilitator asks the coordinators to look at it."""
    async with db.begin() as session:
        complaint = await _for_staff(session, actor, complaint_id)
        _still_open(complaint)
        _acknowledge(complaint, now)
        if complaint.status is ComplaintStatus.NEW:
            complaint.status = ComplaintStatus.RECEIVED
        event = _event(session, complaint, actor.person_id, "forwarded", now)
        await session.flush()
        await _to_coordinators(
            session, complaint, f"complaint:{complaint.id}:forward:{event.id}", now, forwarded=True
        )
        await _to_member(session, complaint, event, now)
        return await _ticket(session, complaint)


async def member_verdict(
    db: SessionFactory, actor: Actor, complaint_id: int, solved: bool, now: datetime
) -> Ticket:
    """After "resolved" the member closes it, or reopens it (also after a rejection)."""
    async with db.begin() as session:
        complaint = await _for_member(session, actor, complaint_id)
        allowed = (
            (ComplaintStatus.RESOLVED,)
            if solved
            else (
                ComplaintStatus.RESOLVED,
                ComplaintStatus.REJECTED,
            )
        )
        if complaint.status not in allowed:
            raise UseCaseError("complaints.not_resolved", number=ticket_number(complaint.id))
        if solved:
            complaint.status = ComplaintStatus.CLOSED
            event = _event(
                session, complaint, actor.person_id, "closed", now, status=ComplaintStatus.CLOSED
            )
        else:
            complaint.status = ComplaintStatus.IN_PROGRESS
            event = _event(
                session,
                complaint,
                actor.person_id,
                "reopened",
                now,
                status=ComplaintStatus.IN_PROGRESS,
            )
        await session.flush()
        await _to_facilitator(
            session,
            complaint,
            MORE_KIND,
            f"complaint:{complaint.id}:more:{event.id}",
            now,
            event_id=event.id,
        )
        return await _ticket(session, complaint)


async def record_escalation(session: AsyncSession, complaint_id: int, now: datetime) -> None:
    """Called once the escalation message went out: keep it in the history, once."""
    complaint = await session.get(Complaint, complaint_id)
    if complaint is None or complaint.escalated_at is not None:
        return
    complaint.escalated_at = now
    _event(session, complaint, None, "escalated", now)


# -- handover ---------------------------------------------------------------------------


async def open_counts(db: SessionFactory, actor: Actor) -> list[tuple[int, str, int]]:
    """Facilitators with their number of open tickets (coordinators only)."""
    if not actor.is_coordinator:
        raise NotAllowed("errors.coordinators_only")
    async with db.begin() as session:
        rows = await session.execute(
            select(Person.id, Person.name, func.count(Complaint.id))
            .outerjoin(
                Complaint,
                (Complaint.facilitator_id == Person.id) & Complaint.status.in_(OPEN),
            )
            .where(Person.staff_role == StaffRole.FACILITATOR)
            .group_by(Person.id, Person.name)
            .order_by(Person.name)
        )
        return [(row[0], row[1], row[2]) for row in rows]


async def hand_over(
    db: SessionFactory, actor: Actor, from_id: int, to_id: int, now: datetime
) -> int:
    """Move a leaving facilitator's open tickets to another; returns how many moved."""
    if not actor.is_coordinator:
        raise NotAllowed("errors.coordinators_only")
    if from_id == to_id:
        raise UseCaseError("complaints.same_facilitator")
    async with db.begin() as session:
        source = await session.get(Person, from_id)
        target = await session.get(Person, to_id)
        if (
            source is None
            or target is None
            or target.staff_role is not StaffRole.FACILITATOR
            or not target.active
        ):
            raise UseCaseError("complaints.not_a_facilitator")
        moved = list(
            await session.scalars(
                select(Complaint).where(
                    Complaint.facilitator_id == from_id, Complaint.status.in_(OPEN)
                )
            )
        )
        for complaint in moved:
            complaint.facilitator_id = to_id
            _event(
                session,
                complaint,
                actor.person_id,
                "handed_over",
                now,
                detail=f"{source.name} → {target.name}",
            )
        if moved and target.telegram_user_id is not None:
            await session.flush()
            await deliveries.enqueue(
                session,
                key=f"complaints:handover:{from_id}:{to_id}:{now.isoformat()}",
                kind="notice",
                chat_id=target.telegram_user_id,
                due_at=now,
                person_id=to_id,
                payload={
                    "text": "complaints.handed_over_notice",
                    "params": {"count": len(moved), "name": source.name},
                },
            )
        return len(moved)
