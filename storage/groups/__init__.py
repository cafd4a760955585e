"""Use cases for groups: create, list, show links, bind a Telegram group chat, set the chair.

Around them: places (finding the group's desa/kelurahan), invites (the tokens behind the
group's and staff's links), join_requests (pending joins as the group card lists them) and
membership (what a member may know about her own groups). How a link's holder joins is
storage/joining/."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access, deliveries, month_counts
from storage.actors import Actor
from storage.areas import search as area_search
from storage.areas.codes import ZONES, timezone_for
from storage.areas.search import AreaChoice
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.deliveries.meeting_plan import request_replan
from storage.deliveries.notices import send_notice
from storage.errors import (
    EmptyText,
    FacilitatorsOnly,
    NotFound,
    NotYourGroup,
    TooLong,
    UseCaseError,
)
from storage.groups import invites, join_requests, places
from storage.groups.join_requests import PendingJoin
from storage.models import AuditEntry, Group, InviteKind, Member, Person
from storage.views import GroupView, MemberView


class ChatBoundElsewhere(UseCaseError):
    """The group chat is bound to another group already."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group


GROUP_LINK_KINDS = (InviteKind.MEMBER, InviteKind.CHAIR, InviteKind.GROUP_CHAT)
MAX_NAME = 100
MAX_VENUE = 300


@dataclass(frozen=True)
class GroupLinks:
    group: GroupView
    tokens: dict[InviteKind, str]
    expires_at: datetime


@dataclass(frozen=True)
class GroupDetail:
    group: GroupView
    chair: MemberView | None
    members: int
    members_on_telegram: int
    facilitator_name: str
    # Joins waiting for the chair's or the facilitator's answer, oldest first.
    pending_joins: tuple[PendingJoin, ...] = ()
    # Its desa/kelurahan with the names above it; None when not placed. areas_loaded: whether
    # this deployment has the list of areas at all (then the card offers to place it).
    place: AreaChoice | None = None
    areas_loaded: bool = False
    # Whether this person may change it (a viewer reads the card only: no buttons that act).
    may_manage: bool = True


async def load_managed_group(session: AsyncSession, actor: Actor, group_id: int) -> Group:
    """The group if this actor may manage it (its facilitator or a coordinator)."""
    group = await session.get(Group, group_id)
    if group is None:
        raise NotFound()
    if not access.can(actor, access.Action.MANAGE, group):
        raise NotYourGroup()
    return group


async def managed_group_by_code(session: AsyncSession, actor: Actor, code: str) -> Group | None:
    """The group with this code if this actor may manage it, else None: a code that does not
    exist and another facilitator's group answer alike, so codes cannot be probed."""
    group = await session.scalar(
        select(Group).where(func.upper(Group.code) == code.strip().upper())
    )
    if group is None or not access.can(actor, access.Action.MANAGE, group):
        return None
    return group


def clean_text(text: str, limit: int) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise EmptyText()
    if len(cleaned) > limit:
        raise TooLong(limit, len(cleaned))
    return cleaned


def code_stem(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^A-Za-z0-9]+", ascii_name.upper()) if w]
    skip = {"KELOMPOK", "KEL", "KPM", "PKH", "GROUP"}
    meaningful = [w for w in words if w not in skip] or words or ["KEL"]
    return "".join(meaningful)[:6]


async def unique_code(session: AsyncSession, name: str) -> str:
    stem = code_stem(name)
    taken = set(await session.scalars(select(Group.code).where(Group.code.like(f"{stem}%"))))
    if stem not in taken and not stem.isdigit():
        return stem
    number = 2
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


async def create_group(
    db: SessionFactory,
    actor: Actor,
    *,
    name: str,
    village: str | None,
    venue: str | None,
    timezone: str,
    now: datetime,
    ttl: timedelta,
    area_code: str | None = None,
) -> GroupLinks:
    """A new group of this facilitator; placed in a desa (area_code, checked again: it came
    through a button), its time zone is its province's, else `timezone`."""
    if not access.may(actor, access.Duty.FACILITATE):
        raise FacilitatorsOnly()
    async with db.begin() as session:
        if area_code is not None:
            area_code = (await places.check(session, actor, area_code)).code
            timezone = timezone_for(area_code)
        group = Group(
            area_code=area_code,
            code=await unique_code(session, name),
            name=clean_text(name, MAX_NAME),
            village=clean_text(village, MAX_NAME) if village else None,
            venue=clean_text(venue, MAX_VENUE) if venue else None,
            timezone=timezone,
            facilitator_id=actor.person_id,
            active=True,
        )
        session.add(group)
        await session.flush()
        session.add(
            AuditEntry(actor_id=actor.person_id or None, action="group.create", detail=group.code)
        )
        return await _links(session, group, actor, now, ttl)


async def _links(
    session: AsyncSession, group: Group, actor: Actor, now: datetime, ttl: timedelta
) -> GroupLinks:
    tokens: dict[InviteKind, str] = {}
    expiry = now + ttl
    for kind in GROUP_LINK_KINDS:
        current = await invites.current_group_invite(session, group.id, kind, now)
        if current is None:
            issued = await invites.issue(
                session,
                kind=kind,
                created_by=actor.person_id,
                now=now,
                ttl=ttl,
                group_id=group.id,
                max_uses=1 if kind is InviteKind.CHAIR else None,
            )
            tokens[kind], expires = issued.token, issued.expires_at
        else:
            tokens[kind], expires = current.token, current.expires_at
        expiry = min(expiry, expires)
    return GroupLinks(group=GroupView.of(group), tokens=tokens, expires_at=expiry)


async def group_links(
    db: SessionFactory, actor: Actor, group_id: int, now: datetime, ttl: timedelta
) -> GroupLinks:
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        return await _links(session, group, actor, now, ttl)


async def renew_links(
    db: SessionFactory, actor: Actor, group_id: int, now: datetime, ttl: timedelta
) -> GroupLinks:
    """Revoke every link of the group and issue fresh ones (a link was shared too widely)."""
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        for kind in GROUP_LINK_KINDS:
            await invites.revoke_group_invites(session, group.id, kind, now)
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None, action="group.renew_links", detail=group.code
            )
        )
        return await _links(session, group, actor, now, ttl)


async def list_groups(db: SessionFactory, actor: Actor) -> list[GroupView]:
    async with db.begin() as session:
        query = (
            select(Group)
            .where(Group.active.is_(True), access.listed_groups(actor))
            .order_by(Group.name, Group.id)
        )
        return [GroupView.of(g) for g in await session.scalars(query)]


async def group_detail(db: SessionFactory, actor: Actor, group_id: int) -> GroupDetail:
    """A group's card: for those who manage it, or a viewer whose area holds it (a chair
    reads her group elsewhere: this card lists who waits to join)."""
    async with db.begin() as session:
        group = await session.get(Group, group_id)
        if group is None:
            raise NotFound()
        may_manage = access.can(actor, access.Action.MANAGE, group)
        if not may_manage and not (
            access.may(actor, access.Duty.READ_PROGRAMME)
            and access.can(actor, access.Action.READ, group)
        ):
            raise NotYourGroup()
        counts = (
            await session.execute(
                select(func.count(Member.id), func.count(Member.person_id)).where(
                    Member.group_id == group.id, Member.active.is_(True)
                )
            )
        ).one()
        chair = await session.get(Member, group.chair_member_id) if group.chair_member_id else None
        facilitator = await session.get(Person, group.facilitator_id)
        return GroupDetail(
            group=GroupView.of(group),
            chair=MemberView.of(chair) if chair else None,
            members=counts[0],
            members_on_telegram=counts[1],
            facilitator_name=facilitator.name if facilitator else "",
            pending_joins=tuple(await join_requests.waiting_for_people(session, group.id))
            if may_manage
            else (),
            place=await area_search.by_code(session, group.area_code) if group.area_code else None,
            areas_loaded=await area_search.any_loaded(session),
            may_manage=may_manage,
        )


@dataclass(frozen=True)
class BindResult:
    group: GroupView
    previous_chat_id: int | None


async def bind_chat(
    db: SessionFactory,
    actor: Actor,
    group_id: int,
    chat_id: int,
    chat_title: str | None,
    now: datetime,
) -> BindResult:
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        return await _bind(session, actor, group, chat_id, chat_title, now)


async def bind_chat_by_token(
    db: SessionFactory,
    actor: Actor,
    token: str,
    chat_id: int,
    chat_title: str | None,
    now: datetime,
) -> BindResult:
    async with db.begin() as session:
        invite = await invites.check(session, token, now, kinds=(InviteKind.GROUP_CHAT,))
        assert invite.group_id is not None
        group = await load_managed_group(session, actor, invite.group_id)
        return await _bind(session, actor, group, chat_id, chat_title, now)


async def _bind(
    session: AsyncSession,
    actor: Actor,
    group: Group,
    chat_id: int,
    chat_title: str | None,
    now: datetime,
) -> BindResult:
    other = await session.scalar(select(Group).where(Group.chat_id == chat_id))
    if other is not None and other.id != group.id:
        raise ChatBoundElsewhere(other.name)
    previous = group.chat_id
    group.chat_id = chat_id
    group.chat_title = (chat_title or "")[:256] or None
    session.add(
        AuditEntry(
            actor_id=actor.person_id or None,
            action="group.bind_chat",
            detail=f"{group.code} {chat_id}",
        )
    )
    await session.flush()
    # Meetings planned before the chat was linked get their group-chat deliveries now.
    await request_replan(session, group.id, now)
    return BindResult(group=GroupView.of(group), previous_chat_id=previous)


async def groups_of_chat(db: SessionFactory, chat_id: int) -> GroupView | None:
    async with db.begin() as session:
        group = await session.scalar(select(Group).where(Group.chat_id == chat_id))
        return GroupView.of(group) if group else None


async def unlink_chat(db: SessionFactory, chat_id: int, now: datetime) -> GroupView | None:
    """The bot left or was removed from a group chat: forget the link, tell the facilitator."""
    async with db.begin() as session:
        return await unlink_in(session, chat_id, now)


async def unlink_in(session: AsyncSession, chat_id: int, now: datetime) -> GroupView | None:
    """Unlink inside the caller's transaction (also used when a send finds the bot removed):
    drop what was still to be sent there and queue the facilitator's notice."""
    # Locked first, so a replan of the group (which locks it too) runs before or after, and
    # never plans for this chat while its deliveries are being dropped.
    group = await session.scalar(select(Group).where(Group.chat_id == chat_id).with_for_update())
    await deliveries.drop_for_chat(session, chat_id, reason="removed")
    if group is None:
        return None
    group.chat_id = None
    group.chat_title = None
    session.add(AuditEntry(action="group.unlink_chat", detail=f"{group.code} {chat_id}"))
    facilitator = await session.get(Person, group.facilitator_id)
    if facilitator is not None:
        await send_notice(
            session,
            facilitator,
            key=f"notice:removed:{group.id}:{chat_id}:{now.timestamp():.0f}",
            text="group_chat.removed",
            params={"group": group.name},
            now=now,
            group_id=group.id,
        )
    await session.flush()
    return GroupView.of(group)


async def migrate_chat(db: SessionFactory, old_chat_id: int, new_chat_id: int) -> bool:
    """A group became a supergroup: its chat id changed; keep the link, and everything still
    to be sent there follows it, once (keys name the group, so planning again adds nothing)."""
    async with db.begin() as session:
        group = await session.scalar(
            select(Group).where(Group.chat_id == old_chat_id).with_for_update()
        )
        await deliveries.move_chat(session, old_chat_id, new_chat_id)
        if group is None:
            return False
        group.chat_id = new_chat_id
        session.add(
            AuditEntry(
                action="group.migrate_chat", detail=f"{group.code} {old_chat_id}->{new_chat_id}"
            )
        )
        return True


async def set_chair(db: SessionFactory, actor: Actor, member_id: int) -> GroupDetail:
    async with db.begin() as session:
        member = await session.get(Member, member_id)
        if member is None or not member.active:
            raise NotFound()
        group = await load_managed_group(session, actor, member.group_id)
        group.chair_member_id = member.id
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="group.set_chair",
                detail=f"{group.code} member {member.id}",
            )
        )
    return await group_detail(db, actor, member.group_id)


LINK_HINT_DELAY = timedelta(seconds=20)


async def queue_link_hint(db: SessionFactory, chat_id: int, language: str, now: datetime) -> None:
    """After the bot joins a chat, explain /hubungkan unless the chat gets linked first."""
    async with db.begin() as session:
        await deliveries.enqueue(
            session,
            key=f"link_hint:{chat_id}:{now.timestamp():.3f}",
            kind=DeliveryKind.LINK_HINT,
            chat_id=chat_id,
            due_at=now + LINK_HINT_DELAY,
            payload={"language": language},
        )


async def place_group(db: SessionFactory, actor: Actor, group_id: int, code: str) -> GroupView:
    """Put the group in the desa; its time zone becomes its province's."""
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        place = await places.check(session, actor, code)
        group.area_code = place.code
        zone = timezone_for(place.code)
        if zone != group.timezone:
            group.timezone = zone
            # Which month a meeting falls in is the group's local month.
            await month_counts.refresh(session, [group.id])
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="group.place",
                detail=f"{group.code} {place.code}",
            )
        )
        await session.flush()
        return GroupView.of(group)


async def set_timezone(db: SessionFactory, actor: Actor, group_id: int, zone: str) -> GroupView:
    """The facilitator changes the group's time zone (WIB, WITA or WIT) from the one its
    province gives: meetings keep their moment, shown and reminded in the new zone."""
    if zone not in ZONES:
        raise NotFound()
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        before = group.timezone
        group.timezone = zone
        if zone != before:
            # Which month a meeting falls in is the group's local month.
            await month_counts.refresh(session, [group.id])
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="group.timezone",
                detail=f"{group.code} {before}->{zone}",
            )
        )
        await session.flush()
        return GroupView.of(group)
