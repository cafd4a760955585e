"""Joining is confirmed: whoever holds a member or chair link is not yet the member she names.

A link travels (WhatsApp groups, a relative's phone), so holding it proves nothing. A person
types her name and sees at most three shortened names that match; picking one opens a join
request that the last four digits of the line's number confirm (where the roster holds one and
the facilitator did not choose otherwise), or else the chair or the facilitator with one press.
A name not on the roster becomes a request to the facilitator. Nothing of the group beyond its
name reaches her until the join is confirmed. Guessing is bounded per person and day; every
stop says the same thing, whatever was typed, and whom to ask.

Around it: onboarding (what opening a link does: become a facilitator, or start joining as a
member or chair, linked once confirmed) and staff_invites (a coordinator invites a pendamping
or a Korkab into an area, and the invitee accepts)."""

from __future__ import annotations

import enum
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from language import names
from storage import access, deliveries, month_counts
from storage.actors import Actor
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.deliveries.meeting_plan import request_replan
from storage.deliveries.notices import send_notice
from storage.errors import FacilitatorsOnly, NotAllowed, NotFound, UseCaseError
from storage.groups import MAX_NAME, clean_text, invites, join_requests, load_managed_group
from storage.groups.join_requests import PendingJoin
from storage.joining.onboarding import JOIN_KINDS, Joined, check_chair_link, complete
from storage.models import (
    AttemptKind,
    AuditEntry,
    Group,
    Invite,
    InviteKind,
    JoinAttempt,
    JoinCheck,
    JoinRequest,
    JoinStatus,
    JoinWay,
    Member,
    Person,
)
from storage.views import GroupView, MemberView


class NameNotInGroup(UseCaseError):
    """The chosen line is not on this group's roster."""


class AlreadyYou(UseCaseError):
    """The person chose her own line again."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group


class NameTaken(UseCaseError):
    """Someone else claimed the line."""


class NotYourRequest(NotAllowed):
    """A join request of another facilitator's group."""


class AlreadyAnswered(UseCaseError):
    """The join request was answered already."""


class LineTaken(UseCaseError):
    """The line is linked to another account already, or no longer active."""


class NotLinked(UseCaseError):
    """The line is not linked to anyone."""


# Per person over the last day (a rolling 24 hours): enough for a member who mistypes, far
# too few to walk a roster or guess four digits (1 in 2,000 with five tries).
SEARCH_LIMIT = 10
DIGITS_LIMIT = 5
REQUEST_LIMIT = 3  # questions put to the chair or the facilitator: none of them is spammed
WINDOW = timedelta(days=1)
MAX_SHOWN = 3
DIGITS = 4
QUESTION_KIND = DeliveryKind.JOIN_QUESTION


class Found(enum.StrEnum):
    NAMES = "names"
    NONE = "none"
    TOO_MANY = "too_many"  # more names match than may be shown: type more of the name
    TOO_SHORT = "too_short"


@dataclass(frozen=True)
class Choice:
    member_id: int
    label: str  # "Siti A.", numbered when two lines shorten alike


@dataclass(frozen=True)
class Search:
    found: Found
    choices: tuple[Choice, ...] = ()


class Asked(enum.StrEnum):
    """Who confirms: the person's own digits, the chair or the facilitator."""

    DIGITS = "digits"
    CHAIR = "chair"
    FACILITATOR = "facilitator"


@dataclass(frozen=True)
class Step:
    """What happens after she names herself: type digits, or wait for a person's answer."""

    request_id: int
    asked: Asked
    group_name: str


@dataclass(frozen=True)
class DigitsAnswer:
    joined: Joined | None
    tries_left: int
    facilitator: str  # whom to ask once no try is left


@dataclass(frozen=True)
class Answered:
    join: PendingJoin
    accepted: bool
    joined: Joined | None = None


class Stopped(UseCaseError):
    """A limit was reached: the same words whatever was typed, and whom to ask."""

    def __init__(self, facilitator: str) -> None:
        super().__init__()
        self.facilitator = facilitator


def last_digits(number: str | None) -> str | None:
    """The last four digits of a roster number (ID KPM or another the facilitator chose)."""
    digits = re.sub(r"\D", "", number or "")
    return digits[-DIGITS:] if len(digits) >= DIGITS else None


def _digits_match(typed: str, number: str | None) -> bool:
    """The last four digits, or the whole number for someone who types it all out."""
    expected = last_digits(number)
    if expected is None:
        return False
    given = re.sub(r"\D", "", typed).encode()
    whole = re.sub(r"\D", "", number or "").encode()
    # Compared in constant time: how long an answer takes says nothing about the number.
    return hmac.compare_digest(given, expected.encode()) or hmac.compare_digest(given, whole)


async def _count(session: AsyncSession, person_id: int, kind: AttemptKind, now: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count(JoinAttempt.id)).where(
                JoinAttempt.person_id == person_id,
                JoinAttempt.kind == kind,
                JoinAttempt.at > now - WINDOW,
            )
        )
        or 0
    )


LIMITS = {
    AttemptKind.SEARCH: SEARCH_LIMIT,
    AttemptKind.DIGITS: DIGITS_LIMIT,
    AttemptKind.REQUEST: REQUEST_LIMIT,
}


async def _guard(
    session: AsyncSession, person_id: int, group: Group, now: datetime, spend: AttemptKind | None
) -> None:
    """Stop a person at any limit (before anything is looked up), else count this attempt.

    One stop for every limit: a stranger learns nothing from which one she reached."""
    for kind, limit in LIMITS.items():
        used = await _count(session, person_id, kind, now)
        if used >= limit:
            raise Stopped(await _facilitator_name(session, group))
    if spend is not None:
        session.add(JoinAttempt(person_id=person_id, kind=spend, at=now))
        await session.flush()


async def _facilitator_name(session: AsyncSession, group: Group) -> str:
    facilitator = await session.get(Person, group.facilitator_id)
    return facilitator.name if facilitator is not None else ""


async def _link(session: AsyncSession, token: str, now: datetime) -> tuple[Invite, Group]:
    invite = await invites.check(session, token, now, kinds=JOIN_KINDS)
    return invite, await session.get_one(Group, invite.group_id)


def _labels(lines: list[Member]) -> list[str]:
    labels = [names.short_name(m.name) for m in lines]
    return [
        f"{label} ({labels[:index].count(label) + 1})" if labels.count(label) > 1 else label
        for index, label in enumerate(labels)
    ]


async def search(db: SessionFactory, actor: Actor, token: str, query: str, now: datetime) -> Search:
    """Roster lines not yet linked whose name matches what she typed, shortened, at most 3."""
    async with db.begin() as session:
        _, group = await _link(session, token, now)
        if not names.query_ok(query):
            await _guard(session, actor.person_id, group, now, spend=None)
            return Search(Found.TOO_SHORT)
        await _guard(session, actor.person_id, group, now, spend=AttemptKind.SEARCH)
        lines = [
            m
            for m in await session.scalars(
                select(Member)
                .where(
                    Member.group_id == group.id,
                    Member.active.is_(True),
                    Member.person_id.is_(None),
                )
                .order_by(Member.name, Member.id)
            )
            if names.matches(query, m.name)
        ]
        if not lines:
            return Search(Found.NONE)
        if len(lines) > MAX_SHOWN:
            return Search(Found.TOO_MANY)
        choices = tuple(Choice(m.id, label) for m, label in zip(lines, _labels(lines), strict=True))
        return Search(Found.NAMES, choices)


async def _replace_pending(session: AsyncSession, person_id: int, group_id: int) -> None:
    """One open claim per person and group: a new one replaces the old (its question goes
    stale and is refused politely if pressed)."""
    await session.execute(
        update(JoinRequest)
        .where(
            JoinRequest.person_id == person_id,
            JoinRequest.group_id == group_id,
            JoinRequest.status == JoinStatus.PENDING,
        )
        .values(status=JoinStatus.CANCELLED)
    )


async def choose(
    db: SessionFactory, actor: Actor, token: str, member_id: int, now: datetime
) -> Step:
    """She picked a name shown to her: ask for its last digits, or ask the chair or facilitator."""
    async with db.begin() as session:
        invite, group = await _link(session, token, now)
        await _guard(session, actor.person_id, group, now, spend=None)
        member = await session.get(Member, member_id)
        if member is None or member.group_id != group.id or not member.active:
            raise NameNotInGroup()
        if member.person_id == actor.person_id:
            raise AlreadyYou(group.name)
        if member.person_id is not None:
            raise NameTaken()
        in_group = await session.scalar(
            select(Member.id).where(
                Member.group_id == group.id, Member.person_id == actor.person_id
            )
        )
        check_chair_link(invite, group, member, in_group is not None)
        await _replace_pending(session, actor.person_id, group.id)
        digits = group.join_check is JoinCheck.DIGITS and last_digits(member.programme_id)
        request = JoinRequest(
            group_id=group.id,
            person_id=actor.person_id,
            invite_id=invite.id,
            member_id=member.id,
            as_chair=invite.kind is InviteKind.CHAIR,
            way=JoinWay.DIGITS if digits else JoinWay.PERSON,
            status=JoinStatus.PENDING,
            created_at=now,
        )
        session.add(request)
        await session.flush()
        if digits:
            return Step(request.id, Asked.DIGITS, group.name)
        return Step(request.id, await _ask(session, actor, request, group, now), group.name)


async def ask_a_person(db: SessionFactory, actor: Actor, request_id: int, now: datetime) -> Step:
    """She does not know her number: the chair or the facilitator confirms instead."""
    async with db.begin() as session:
        request = await _own_pending(session, actor, request_id, JoinWay.DIGITS)
        group = await session.get_one(Group, request.group_id)
        request.way = JoinWay.PERSON
        return Step(request.id, await _ask(session, actor, request, group, now), group.name)


async def _own_pending(
    session: AsyncSession, actor: Actor, request_id: int, way: JoinWay
) -> JoinRequest:
    request = await session.get(JoinRequest, request_id)
    if (
        request is None
        or request.person_id != actor.person_id
        or request.status is not JoinStatus.PENDING
        or request.way is not way
    ):
        raise NotFound()
    return request


async def check_digits(
    db: SessionFactory, actor: Actor, request_id: int, typed: str, now: datetime
) -> DigitsAnswer:
    """The last four digits she typed: right joins her, wrong counts against the limit."""
    async with db.begin() as session:
        request = await _own_pending(session, actor, request_id, JoinWay.DIGITS)
        group = await session.get_one(Group, request.group_id)
        await _guard(session, actor.person_id, group, now, spend=None)
        member = await session.get_one(Member, request.member_id)
        if _digits_match(typed, member.programme_id):
            if member.person_id is not None:
                raise NameTaken()
            request.status, request.decided_at = JoinStatus.CONFIRMED, now
            invite = await session.get_one(Invite, request.invite_id)
            joined = await complete(session, invite, actor.person_id, member, now, None)
            return DigitsAnswer(joined, DIGITS_LIMIT, "")
        session.add(JoinAttempt(person_id=actor.person_id, kind=AttemptKind.DIGITS, at=now))
        await session.flush()
        left = DIGITS_LIMIT - await _count(session, actor.person_id, AttemptKind.DIGITS, now)
        if left <= 0:
            request.status = JoinStatus.CANCELLED
        return DigitsAnswer(None, max(left, 0), await _facilitator_name(session, group))


async def ask_to_be_added(
    db: SessionFactory, actor: Actor, token: str, name: str, now: datetime
) -> Step:
    """Her name is not on the roster: the facilitator is asked to add it (nothing is added yet)."""
    cleaned = clean_text(name, MAX_NAME)
    async with db.begin() as session:
        invite, group = await _link(session, token, now)
        await _guard(session, actor.person_id, group, now, spend=None)
        await _replace_pending(session, actor.person_id, group.id)
        request = JoinRequest(
            group_id=group.id,
            person_id=actor.person_id,
            invite_id=invite.id,
            typed_name=cleaned,
            as_chair=invite.kind is InviteKind.CHAIR,
            way=JoinWay.ADD,
            status=JoinStatus.PENDING,
            created_at=now,
        )
        session.add(request)
        await session.flush()
        return Step(request.id, await _ask(session, actor, request, group, now), group.name)


async def _ask(
    session: AsyncSession, actor: Actor, request: JoinRequest, group: Group, now: datetime
) -> Asked:
    """Put the question to the chair (a member's claim to a line) or else the facilitator."""
    await _guard(session, actor.person_id, group, now, spend=AttemptKind.REQUEST)
    chair: Person | None = None
    if request.way is JoinWay.PERSON and not request.as_chair:
        chair = await join_requests.chair_person(session, group)
        if chair is not None and (chair.id == actor.person_id or chair.blocked_bot_at):
            chair = None
    answerer = chair if chair is not None else await session.get_one(Person, group.facilitator_id)
    if answerer.telegram_user_id is not None:
        await deliveries.enqueue(
            session,
            key=f"join:{request.id}:ask:{answerer.id}",
            kind=QUESTION_KIND,
            chat_id=answerer.telegram_user_id,
            person_id=answerer.id,
            group_id=group.id,
            due_at=now,
            payload={"request_id": request.id},
            timezone=group.timezone,
        )
    session.add(
        AuditEntry(
            actor_id=actor.person_id,
            action=f"join.ask.{request.way.value}",
            detail=f"{group.code} request {request.id}",
        )
    )
    return Asked.CHAIR if chair is not None else Asked.FACILITATOR


async def question(db: SessionFactory, actor: Actor, request_id: int) -> PendingJoin:
    """A pending join as its chair or facilitator sees it (refused to anyone else)."""
    async with db.begin() as session:
        request, _ = await _answerable(session, actor, request_id)
        return await join_requests.load(session, request)


async def question_for(db: SessionFactory, person_id: int, request_id: int) -> PendingJoin | None:
    """For the dispatcher: the question, if it is still open and the person may answer it."""
    async with db.begin() as session:
        request = await session.get(JoinRequest, request_id)
        person = await session.get(Person, person_id)
        if request is None or person is None or request.status is not JoinStatus.PENDING:
            return None
        group = await session.get_one(Group, request.group_id)
        if not await join_requests.may_answer(session, person.id, request, group):
            return None
        return await join_requests.load(session, request)


async def _answerable(
    session: AsyncSession, actor: Actor, request_id: int
) -> tuple[JoinRequest, Group]:
    request = await session.get(JoinRequest, request_id)
    group = await session.get(Group, request.group_id) if request is not None else None
    # A forged id and someone else's question are refused alike.
    if request is None or group is None:
        raise NotFound()
    if not await join_requests.may_answer(session, actor.person_id, request, group):
        raise NotYourRequest()
    return request, group


async def answer(
    db: SessionFactory, actor: Actor, request_id: int, accept: bool, now: datetime
) -> Answered:
    """The chair or the facilitator says Benar or Bukan (Tambahkan or Tolak for a new name)."""
    async with db.begin() as session:
        request, group = await _answerable(session, actor, request_id)
        if request.way is JoinWay.DIGITS:
            raise NotFound()
        # Chair and facilitator may press at the same moment: only one answer counts.
        decided = await session.execute(
            update(JoinRequest)
            .where(JoinRequest.id == request.id, JoinRequest.status == JoinStatus.PENDING)
            .values(
                status=JoinStatus.CONFIRMED if accept else JoinStatus.REFUSED,
                decided_at=now,
                decided_by=actor.person_id,
            )
            .returning(JoinRequest.id)
        )
        if decided.scalar_one_or_none() is None:
            raise AlreadyAnswered()
        await session.refresh(request)
        requester = await session.get_one(Person, request.person_id)
        joined = None
        if accept:
            joined = await _accept(session, actor, request, group, now)
            await send_notice(
                session,
                requester,
                key=f"join:{request.id}:welcome",
                text="joining.chair_welcome" if joined.as_chair else "joining.member_welcome",
                params={"name": joined.member.name, "group": group.name},
                now=now,
                group_id=group.id,
            )
        else:
            await send_notice(
                session,
                requester,
                key=f"join:{request.id}:refused",
                text="joining.refused_notice",
                params={
                    "group": group.name,
                    "facilitator": await _facilitator_name(session, group),
                },
                now=now,
                group_id=group.id,
            )
            session.add(
                AuditEntry(
                    actor_id=actor.person_id,
                    action="join.refused",
                    detail=f"{group.code} request {request.id}",
                )
            )
        return Answered(await join_requests.load(session, request), accept, joined)


async def _accept(
    session: AsyncSession, actor: Actor, request: JoinRequest, group: Group, now: datetime
) -> Joined:
    invite = await session.get_one(Invite, request.invite_id)
    if request.way is JoinWay.ADD:
        member = Member(group_id=group.id, name=request.typed_name or "", active=True)
        session.add(member)
        await session.flush()
        await month_counts.refresh(session, [group.id])
        request.member_id = member.id
    else:
        member = await session.get_one(Member, request.member_id)
        if not member.active or member.person_id not in (None, request.person_id):
            raise LineTaken()
    return await complete(session, invite, request.person_id, member, now, actor.person_id)


async def unlink(
    db: SessionFactory, actor: Actor, member_id: int, now: datetime
) -> tuple[GroupView, MemberView]:
    """The facilitator frees a roster line from a Telegram account that should not hold it."""
    async with db.begin() as session:
        member = await session.get(Member, member_id)
        if member is None:
            raise NotFound()
        group = await load_managed_group(session, actor, member.group_id)
        person = await session.get(Person, member.person_id) if member.person_id else None
        if person is None:
            raise NotLinked()
        member.person_id = None
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="join.unlinked",
                detail=f"{group.code} member {member.id} person {person.id}",
            )
        )
        await send_notice(
            session,
            person,
            key=f"join:unlinked:{member.id}:{person.id}:{now.timestamp():.0f}",
            text="joining.unlinked_notice",
            params={"name": member.name, "group": group.name, "facilitator": actor.name},
            now=now,
            group_id=group.id,
        )
        await session.flush()
        await request_replan(session, group.id, now)
        return GroupView.of(group), MemberView.of(member)


async def set_join_check(db: SessionFactory, actor: Actor, group_id: int, check: JoinCheck) -> None:
    """The facilitator's choice of how the group's joins are confirmed."""
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        if not access.may(actor, access.Duty.FACILITATE):
            raise FacilitatorsOnly()
        group.join_check = check
        session.add(
            AuditEntry(
                actor_id=actor.person_id,
                action="join.check",
                detail=f"{group.code} {check.value}",
            )
        )
