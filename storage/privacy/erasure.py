"""/hapus_data: a member asks to be erased, her facilitator does it.

Her roster line is the programme's record (attendance, the family's place in the group), so it
stays, without her Telegram identity. Everything that ties the bot to her Telegram account is
deleted: the account id on her person row and her Telegram name, the messages queued or sent
to her chat (and their chat ids), the chair's message references, her RSVPs, quiz answers and
join attempts. Her complaints are emptied and unlinked from her line once they end (at once
for those already ended; the retention job does the rest). After that the bot cannot write to
her: she is told so before she asks."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access, deliveries
from storage.actors import Actor
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.deliveries.notices import send_notice
from storage.errors import NotAllowed, NotFound, UseCaseError
from storage.models import (
    AuditEntry,
    Complaint,
    ConfirmationMessage,
    Delivery,
    ErasureRequest,
    ErasureStatus,
    Group,
    JoinAttempt,
    JoinRequest,
    JoinStatus,
    Member,
    Person,
    QuizAnswer,
    Rsvp,
)
from storage.privacy.retention import ENDED, purge_complaint


class StaffCannotErase(UseCaseError):
    """Staff accounts are not erased in the bot; a coordinator deactivates them."""


class ErasureAnswered(UseCaseError):
    """The erasure request was answered already."""


KIND = DeliveryKind.ERASURE_QUESTION
ERASED_NAME = "-"  # what an erased person's row shows where a name is needed


class Asked(enum.StrEnum):
    FACILITATOR = "facilitator"  # waiting for her facilitator's answer
    ERASED = "erased"  # nothing of the programme's: erased at once


@dataclass(frozen=True)
class Requested:
    asked: Asked
    facilitator: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class PendingErasure:
    id: int
    status: ErasureStatus
    member_name: str
    group_name: str
    group_id: int


async def request(db: SessionFactory, actor: Actor, now: datetime) -> Requested:
    """She asked: the facilitator of her (first) group is asked, or nothing is kept: erase."""
    if access.may(actor, access.Duty.STAFF):
        raise StaffCannotErase()
    async with db.begin() as session:
        person = await session.get_one(Person, actor.person_id)
        line = await session.scalar(
            select(Member)
            .where(Member.person_id == person.id)
            .order_by(Member.active.desc(), Member.id)
            .limit(1)
        )
        if line is None:
            await erase_person(session, person, now, by=None)
            return Requested(Asked.ERASED)
        group = await session.get_one(Group, line.group_id)
        facilitator = await session.get_one(Person, group.facilitator_id)
        waiting = await session.scalar(
            select(ErasureRequest).where(
                ErasureRequest.person_id == person.id,
                ErasureRequest.status == ErasureStatus.PENDING,
            )
        )
        if waiting is None:
            waiting = ErasureRequest(person_id=person.id, group_id=group.id, created_at=now)
            session.add(waiting)
            await session.flush()
            session.add(
                AuditEntry(
                    at=now,
                    actor_id=person.id,
                    action="privacy.erase.ask",
                    detail=f"{group.code} request {waiting.id}",
                )
            )
        if facilitator.telegram_user_id is not None:
            await deliveries.enqueue(
                session,
                key=f"erase:{waiting.id}:ask",
                kind=KIND,
                chat_id=facilitator.telegram_user_id,
                person_id=facilitator.id,
                group_id=group.id,
                due_at=now,
                payload={"request_id": waiting.id},
                timezone=group.timezone,
            )
        return Requested(Asked.FACILITATOR, facilitator.name, group.name)


async def _load(session: AsyncSession, request_id: int) -> tuple[ErasureRequest, Group, Member]:
    found = await session.get(ErasureRequest, request_id)
    if found is None or found.group_id is None:
        raise NotFound()
    group = await session.get_one(Group, found.group_id)
    line = await session.scalar(
        select(Member)
        .where(Member.person_id == found.person_id, Member.group_id == group.id)
        .limit(1)
    )
    if line is None:
        line = Member(name=ERASED_NAME, group_id=group.id)  # erased already: her line's name
    return found, group, line


def _view(found: ErasureRequest, group: Group, line: Member) -> PendingErasure:
    return PendingErasure(found.id, found.status, line.name, group.name, group.id)


def _may_answer(actor: Actor | int, group: Group) -> bool:
    if isinstance(actor, int):
        return actor == group.facilitator_id
    # A coordinator answers for the groups of her area only (storage/access.py).
    return access.can(actor, access.Action.MANAGE, group)


async def question_for(
    db: SessionFactory, person_id: int, request_id: int
) -> PendingErasure | None:
    """The request as the facilitator is asked it at send time; None once not hers to answer."""
    async with db.begin() as session:
        try:
            found, group, line = await _load(session, request_id)
        except NotFound:
            return None
        if found.status is not ErasureStatus.PENDING or not _may_answer(person_id, group):
            return None
        return _view(found, group, line)


async def answer(
    db: SessionFactory, actor: Actor, request_id: int, erase: bool, now: datetime
) -> PendingErasure:
    """The facilitator (or a coordinator) erases her, or not yet (she is told to talk)."""
    async with db.begin() as session:
        found, group, line = await _load(session, request_id)
        if not _may_answer(actor, group):
            raise NotAllowed()
        if found.status is not ErasureStatus.PENDING:
            raise ErasureAnswered()
        view = _view(found, group, line)
        person = await session.get_one(Person, found.person_id)
        found.decided_at = now
        found.decided_by = actor.person_id
        if erase:
            found.status = ErasureStatus.DONE
            await erase_person(session, person, now, by=actor.person_id)
        else:
            found.status = ErasureStatus.REFUSED
            await send_notice(
                session,
                person,
                key=f"erase:{found.id}:refused",
                text="privacy.erase_refused_notice",
                params={"facilitator": actor.name},
                now=now,
                group_id=group.id,
            )
            session.add(
                AuditEntry(
                    at=now,
                    actor_id=actor.person_id,
                    action="privacy.erase.refuse",
                    detail=f"{group.code} request {found.id}",
                )
            )
        return PendingErasure(view.id, found.status, view.member_name, view.group_name, group.id)


async def erase_person(
    session: AsyncSession, person: Person, now: datetime, by: int | None
) -> None:
    """Delete her Telegram identity and what hangs on it; keep the programme's record."""
    telegram_id = person.telegram_user_id
    lines = list(await session.scalars(select(Member.id).where(Member.person_id == person.id)))
    chat = Delivery.person_id == person.id
    if telegram_id is not None:
        chat = or_(chat, Delivery.chat_id == telegram_id)
        await session.execute(
            delete(ConfirmationMessage).where(ConfirmationMessage.chat_id == telegram_id)
        )
    await session.execute(delete(Delivery).where(chat))
    await session.execute(delete(JoinAttempt).where(JoinAttempt.person_id == person.id))
    await session.execute(delete(QuizAnswer).where(QuizAnswer.person_id == person.id))
    if lines:
        await session.execute(delete(Rsvp).where(Rsvp.member_id.in_(lines)))
    await session.execute(
        update(JoinRequest).where(JoinRequest.person_id == person.id).values(typed_name=None)
    )
    await session.execute(
        update(JoinRequest)
        .where(JoinRequest.person_id == person.id, JoinRequest.status == JoinStatus.PENDING)
        .values(status=JoinStatus.CANCELLED, decided_at=now)
    )
    await session.execute(
        update(Member).where(Member.person_id == person.id).values(person_id=None)
    )
    for complaint in await session.scalars(
        select(Complaint).where(
            Complaint.person_id == person.id,
            Complaint.status.in_(ENDED),
            Complaint.purged_at.is_(None),
        )
    ):
        await purge_complaint(session, complaint, now)
        complaint.member_id = None
    person.telegram_user_id = None
    person.name = ERASED_NAME
    person.language = None
    person.active = False
    person.private_chat_open = False
    person.blocked_bot_at = None
    person.menu = None
    person.awaiting = None
    person.draft = None
    person.erased_at = now
    session.add(
        AuditEntry(at=now, actor_id=by, action="privacy.erase", detail=f"person {person.id}")
    )
