"""Use cases behind deep links: become a facilitator; open a member or chair link.

What a person who opened a member or chair link may do next, and how her claim is confirmed,
is in storage/joining/__init__.py; `complete` here links her to the roster line once it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.db import SessionFactory
from storage.deliveries.meeting_plan import request_replan
from storage.deliveries.notices import send_notice
from storage.errors import UseCaseError
from storage.groups import invites
from storage.models import (
    AuditEntry,
    Group,
    Invite,
    InviteKind,
    JoinRequest,
    JoinStatus,
    JoinWay,
    Member,
    Person,
)
from storage.views import GroupView, MemberView


class AlreadyCoordinator(UseCaseError):
    """A coordinator opened a facilitator's invite."""


class ChairLinkNotForMembers(UseCaseError):
    """A member of the group opened its chair link for a line that is not hers to chair."""


JOIN_KINDS = (InviteKind.MEMBER, InviteKind.CHAIR)


@dataclass(frozen=True)
class JoinOffer:
    """What a person sees after opening a member or chair link: never the roster itself."""

    token: str
    as_chair: bool
    group: GroupView
    has_roster: bool  # unclaimed roster lines exist: she searches for her name among them
    already_member: MemberView | None
    waiting: bool  # she asked already and waits for the chair's or the facilitator's answer


@dataclass(frozen=True)
class Joined:
    group: GroupView
    member: MemberView
    as_chair: bool


async def open_join(db: SessionFactory, actor: Actor, token: str, now: datetime) -> JoinOffer:
    async with db.begin() as session:
        invite = await invites.check(session, token, now, kinds=JOIN_KINDS)
        return await _offer(session, invite, actor)


async def _offer(session: AsyncSession, invite: Invite, actor: Actor) -> JoinOffer:
    group = await session.get_one(Group, invite.group_id)
    members = list(
        await session.scalars(
            select(Member).where(Member.group_id == group.id, Member.active.is_(True))
        )
    )
    mine = next((m for m in members if m.person_id == actor.person_id), None)
    waiting = await session.scalar(
        select(JoinRequest.id).where(
            JoinRequest.group_id == group.id,
            JoinRequest.person_id == actor.person_id,
            JoinRequest.status == JoinStatus.PENDING,
            JoinRequest.way != JoinWay.DIGITS,
        )
    )
    return JoinOffer(
        token=invite.token,
        as_chair=invite.kind is InviteKind.CHAIR,
        group=GroupView.of(group),
        has_roster=any(m.person_id is None for m in members),
        already_member=MemberView.of(mine) if mine else None,
        waiting=waiting is not None,
    )


def check_chair_link(invite: Invite, group: Group, member: Member, in_group: bool) -> None:
    """The one-use chair link makes one person chair, once: through an empty roster line or
    the line the facilitator marked as chair, never through a member's own line (making an
    existing member chair is the facilitator's "Jadikan ketua")."""
    if invite.kind is not InviteKind.CHAIR:
        return
    already_in_group = member.person_id is not None or in_group
    if already_in_group and member.id != group.chair_member_id:
        raise ChairLinkNotForMembers()


async def complete(
    session: AsyncSession,
    invite: Invite,
    person_id: int,
    member: Member,
    now: datetime,
    decided_by: int | None,
) -> Joined:
    """Link a confirmed person to her roster line (called once the join is confirmed)."""
    previous = await session.scalar(
        select(Member).where(
            Member.group_id == member.group_id,
            Member.person_id == person_id,
            Member.id != member.id,
        )
    )
    group = await session.get_one(Group, member.group_id)
    as_chair = invite.kind is InviteKind.CHAIR
    if as_chair:
        check_chair_link(invite, group, member, previous is not None)
        await invites.use(session, invite)  # atomic: a second claim finds it used up
    elif member.person_id is None:
        await invites.use(session, invite)
    if previous is not None:
        previous.person_id = None
        await session.flush()
    member.person_id = person_id
    if as_chair:
        group.chair_member_id = member.id
    session.add(
        AuditEntry(
            actor_id=decided_by or person_id,
            action=f"join.{invite.kind.value}",
            detail=f"{group.code} member {member.id} person {person_id}",
        )
    )
    await session.flush()
    await request_replan(session, group.id, now)
    facilitator = await session.get(Person, group.facilitator_id)
    if facilitator is not None and decided_by != facilitator.id:
        note = "chair" if as_chair else "member"
        await send_notice(
            session,
            facilitator,
            key=f"notice:join:{member.id}:{person_id}:{now.timestamp():.0f}",
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
