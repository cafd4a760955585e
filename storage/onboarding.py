"""Use cases behind deep links: become a facilitator, join a group as member or chair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import invites
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import NotAllowed, UseCaseError
from storage.groups import MAX_NAME, clean_text
from storage.invites import InviteView
from storage.meeting_plan import request_replan
from storage.models import AuditEntry, Group, Invite, InviteKind, Member, Person, StaffRole
from storage.notices import send_notice
from storage.views import GroupView, MemberView

JOIN_KINDS = (InviteKind.MEMBER, InviteKind.CHAIR)


@dataclass(frozen=True)
class JoinOffer:
    """What a person sees after opening a member or chair link: the names to pick from."""

    token: str
    as_chair: bool
    group: GroupView
    unclaimed: list[MemberView]
    already_member: MemberView | None


@dataclass(frozen=True)
class Joined:
    group: GroupView
    member: MemberView
    as_chair: bool


async def invite_facilitator(
    db: SessionFactory, actor: Actor, now: datetime, ttl: timedelta
) -> InviteView:
    if not actor.is_coordinator:
        raise NotAllowed("errors.coordinators_only")
    async with db.begin() as session:
        return await invites.issue(
            session,
            kind=InviteKind.FACILITATOR,
            created_by=actor.person_id,
            now=now,
            ttl=ttl,
            max_uses=1,
        )


async def accept_facilitator(db: SessionFactory, actor: Actor, token: str, now: datetime) -> None:
    async with db.begin() as session:
        invite = await invites.check(session, token, now, kinds=(InviteKind.FACILITATOR,))
        person = await session.get_one(Person, actor.person_id)
        if person.staff_role is StaffRole.COORDINATOR:
            raise UseCaseError("errors.already_coordinator")
        await invites.use(session, invite)
        person.staff_role = StaffRole.FACILITATOR
        person.active = True
        session.add(
            AuditEntry(
                actor_id=person.id, action="person.facilitator", detail=f"invite {invite.id}"
            )
        )


async def open_join(db: SessionFactory, actor: Actor, token: str, now: datetime) -> JoinOffer:
    async with db.begin() as session:
        invite = await invites.check(session, token, now, kinds=JOIN_KINDS)
        return await _offer(session, invite, actor)


async def _offer(session: AsyncSession, invite: Invite, actor: Actor) -> JoinOffer:
    group = await session.get_one(Group, invite.group_id)
    members = list(
        await session.scalars(
            select(Member)
            .where(Member.group_id == group.id, Member.active.is_(True))
            .order_by(Member.name, Member.id)
        )
    )
    mine = next((m for m in members if m.person_id == actor.person_id), None)
    return JoinOffer(
        token=invite.token,
        as_chair=invite.kind is InviteKind.CHAIR,
        group=GroupView.of(group),
        unclaimed=[MemberView.of(m) for m in members if m.person_id is None],
        already_member=MemberView.of(mine) if mine else None,
    )


async def claim_member(
    db: SessionFactory, actor: Actor, token: str, member_id: int, now: datetime
) -> Joined:
    """Link the person to the roster line they picked."""
    async with db.begin() as session:
        invite = await invites.check(session, token, now, kinds=JOIN_KINDS)
        member = await session.get(Member, member_id)
        if member is None or member.group_id != invite.group_id or not member.active:
            raise UseCaseError("errors.name_not_in_group")
        if member.person_id not in (None, actor.person_id):
            raise UseCaseError("errors.name_taken")
        return await _complete(session, invite, actor, member, now)


async def join_with_name(
    db: SessionFactory, actor: Actor, token: str, name: str, now: datetime
) -> Joined:
    """No roster line fits: add the person to the roster under the name they typed."""
    cleaned = clean_text(name, MAX_NAME)
    async with db.begin() as session:
        invite = await invites.check(session, token, now, kinds=JOIN_KINDS)
        same = await session.scalar(
            select(Member).where(
                Member.group_id == invite.group_id,
                Member.active.is_(True),
                Member.person_id.is_(None),
                Member.name == cleaned,
            )
        )
        member = same or Member(group_id=invite.group_id, name=cleaned, active=True)
        session.add(member)
        await session.flush()
        return await _complete(session, invite, actor, member, now)


async def _complete(
    session: AsyncSession, invite: Invite, actor: Actor, member: Member, now: datetime
) -> Joined:
    previous = await session.scalar(
        select(Member).where(
            Member.group_id == member.group_id,
            Member.person_id == actor.person_id,
            Member.id != member.id,
        )
    )
    group = await session.get_one(Group, member.group_id)
    as_chair = invite.kind is InviteKind.CHAIR
    if as_chair:
        # The one-use chair link makes one person chair, once: through an empty roster line
        # or the line the facilitator marked as chair, never through a member's own line
        # (making an existing member chair is the facilitator's "Jadikan ketua").
        already_in_group = member.person_id is not None or previous is not None
        if already_in_group and member.id != group.chair_member_id:
            raise UseCaseError("onboarding.chair_link_not_for_members")
        await invites.use(session, invite)  # atomic: a second claim finds it used up
    elif member.person_id is None:
        await invites.use(session, invite)
    if previous is not None:
        previous.person_id = None
        await session.flush()
    member.person_id = actor.person_id
    if as_chair:
        group.chair_member_id = member.id
    session.add(
        AuditEntry(
            actor_id=actor.person_id or None,
            action=f"join.{invite.kind.value}",
            detail=f"{group.code} member {member.id}",
        )
    )
    await session.flush()
    await request_replan(session, group.id, now)
    facilitator = await session.get(Person, group.facilitator_id)
    if facilitator is not None:
        note = "chair" if as_chair else "member"
        await send_notice(
            session,
            facilitator,
            key=f"notice:join:{member.id}:{actor.person_id}:{now.timestamp():.0f}",
            text=f"onboarding.facilitator_note_{note}",
            params={"name": member.name, "group": group.name},
            now=now,
            group_id=group.id,
        )
    return Joined(
        group=GroupView.of(group),
        member=MemberView.of(member),
        as_chair=as_chair,
    )
