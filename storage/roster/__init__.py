"""Use cases for the roster: import a file's rows, list, rename, deactivate, move members.

Around them: roster_file (reading the CSV or XLSX a facilitator uploads) and cli_usecases (an
import run from the command line with full rights)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access, month_counts
from storage.actors import Actor
from storage.audit import Read, record_read
from storage.db import SessionFactory
from storage.errors import NotFound, UseCaseError
from storage.groups import MAX_NAME, clean_text, load_managed_group
from storage.models import AuditEntry, Group, Member
from storage.roster.roster_file import RosterRow
from storage.views import GroupView, MemberView


class SameGroup(UseCaseError):
    """A member moved to the group she is in."""


class AlreadyInGroup(UseCaseError):
    """The person is on the target group's roster already."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group


@dataclass(frozen=True)
class ImportSummary:
    group: GroupView
    added: int
    updated: int
    chair_name: str | None


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


async def import_rows(
    db: SessionFactory, actor: Actor, group_id: int, rows: list[RosterRow]
) -> ImportSummary:
    """Add new names, refresh ids and phones of names already there; never duplicates."""
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        existing = {
            _key(m.name): m
            for m in await session.scalars(select(Member).where(Member.group_id == group.id))
        }
        added = updated = 0
        chair: Member | None = None
        for row in rows:
            member = existing.get(_key(row.name))
            if member is None:
                member = Member(group_id=group.id, name=row.name, active=True)
                session.add(member)
                existing[_key(row.name)] = member
                added += 1
            else:
                member.active = True
                updated += 1
            member.programme_id = row.programme_id or member.programme_id
            member.phone = row.phone or member.phone
            if row.is_chair:
                chair = member
        await session.flush()
        # A roster read today is every month's (see storage/month_counts.py).
        await month_counts.refresh_members(session, [m.id for m in existing.values()])
        if chair is not None:
            group.chair_member_id = chair.id
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="roster.import",
                detail=f"{group.code} +{added} ~{updated}",
            )
        )
        return ImportSummary(GroupView.of(group), added, updated, chair.name if chair else None)


async def list_members(
    db: SessionFactory,
    actor: Actor,
    group_id: int,
    include_inactive: bool = False,
    *,
    now: datetime | None = None,
) -> tuple[GroupView, list[MemberView]]:
    """The roster; given `now`, the read is written in the audit log."""
    async with db.begin() as session:
        group = await load_managed_group(session, actor, group_id)
        if now is not None:
            record_read(session, actor, Read.ROSTER, group.code, now, area_code=group.area_code)
        query = select(Member).where(Member.group_id == group.id)
        if not include_inactive:
            query = query.where(Member.active.is_(True))
        members = await session.scalars(query.order_by(Member.active.desc(), Member.name))
        return GroupView.of(group), [
            MemberView.of(m, programme_id=_ids(actor, group)) for m in members
        ]


def _ids(actor: Actor, group: Group) -> bool:
    """Whether she reads the members' ID KPM: an allow-list in storage/access.py."""
    return access.can(actor, access.Action.PROGRAMME_IDS, group)


async def _managed_member(
    session: AsyncSession, actor: Actor, member_id: int
) -> tuple[Member, Group]:
    member = await session.get(Member, member_id)
    if member is None:
        raise NotFound()
    group = await load_managed_group(session, actor, member.group_id)
    return member, group


async def get_member(
    db: SessionFactory, actor: Actor, member_id: int
) -> tuple[GroupView, MemberView]:
    async with db.begin() as session:
        member, group = await _managed_member(session, actor, member_id)
        return GroupView.of(group), MemberView.of(member, programme_id=_ids(actor, group))


async def rename_member(db: SessionFactory, actor: Actor, member_id: int, name: str) -> MemberView:
    cleaned = clean_text(name, MAX_NAME)
    async with db.begin() as session:
        member, group = await _managed_member(session, actor, member_id)
        member.name = cleaned
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="roster.rename",
                detail=f"{group.code} member {member.id}",
            )
        )
        return MemberView.of(member, programme_id=_ids(actor, group))


async def set_member_active(
    db: SessionFactory, actor: Actor, member_id: int, active: bool
) -> MemberView:
    async with db.begin() as session:
        member, group = await _managed_member(session, actor, member_id)
        member.active = active
        if not active and group.chair_member_id == member.id:
            group.chair_member_id = None
        await month_counts.refresh_members(session, [member.id])
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="roster.activate" if active else "roster.deactivate",
                detail=f"{group.code} member {member.id}",
            )
        )
        return MemberView.of(member, programme_id=_ids(actor, group))


async def move_member(
    db: SessionFactory, actor: Actor, member_id: int, to_group_id: int
) -> tuple[MemberView, GroupView]:
    async with db.begin() as session:
        member, group = await _managed_member(session, actor, member_id)
        target = await load_managed_group(session, actor, to_group_id)
        if target.id == group.id:
            raise SameGroup()
        if member.person_id is not None:
            clash = await session.scalar(
                select(Member).where(
                    Member.group_id == target.id, Member.person_id == member.person_id
                )
            )
            if clash is not None:
                raise AlreadyInGroup(target.name)
        if group.chair_member_id == member.id:
            group.chair_member_id = None
        member.group_id = target.id
        await month_counts.refresh_members(session, [member.id], also=[group.id])
        session.add(
            AuditEntry(
                actor_id=actor.person_id or None,
                action="roster.move",
                detail=f"member {member.id} {group.code}->{target.code}",
            )
        )
        return MemberView.of(member, programme_id=_ids(actor, target)), GroupView.of(target)
