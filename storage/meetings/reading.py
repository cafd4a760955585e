"""Use cases that read meetings: one meeting, the coming ones, a chat's next one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.actors import Actor
from storage.db import SessionFactory
from storage.meetings.scheduling import managed_meeting
from storage.meetings.views import Counts, MeetingDetail, MeetingView
from storage.models import (
    Group,
    Meeting,
    MeetingStatus,
    Member,
    Rsvp,
)
from storage.views import GroupView

UPCOMING_LIMIT = 30


# -- reading ----------------------------------------------------------------------------------


async def rsvp_counts(session: AsyncSession, meeting_id: int) -> Counts:
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
        meeting, group = await managed_meeting(session, actor, meeting_id)
        return MeetingDetail(MeetingView.of(meeting, group), await rsvp_counts(session, meeting.id))


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
        query = query.where(access.listed_groups(actor))
        views = [
            MeetingView.of(m, g)
            for m, g in (await session.execute(query.limit(UPCOMING_LIMIT))).tuples()
        ]
    views = [v for v in views if v.ends_at > now]
    if access.may(actor, access.Duty.STAFF):
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
        return MeetingDetail(MeetingView.of(meeting, group), await rsvp_counts(session, meeting.id))


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
