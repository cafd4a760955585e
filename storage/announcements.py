"""Announcements (/siaran): who may send to which groups, the sends, and the delivery report."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import Select, func, select

from storage import access, deliveries
from storage.actors import Actor
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.errors import (
    EmptyText,
    FacilitatorsOnly,
    NotYourGroup,
    TooLong,
)
from storage.models import Announcement, Delivery, DeliveryStatus, Group, Member, Person
from storage.views import GroupView

MAX_TEXT = 3500
REPORT_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class Sent:
    announcement_id: int
    groups: int
    group_chats: int
    private_chats: int


@dataclass(frozen=True)
class Report:
    announcement_id: int
    finished: bool
    delivered_groups: int
    delivered_private: int
    failed: list[tuple[str, str]]  # (group name, or "private"; reason)
    groups_without_chat: list[str]


async def audience(db: SessionFactory, actor: Actor) -> list[GroupView]:
    """The groups this person may announce to: a facilitator's own, a coordinator's area's."""
    if not access.may(actor, access.Duty.STAFF):
        raise FacilitatorsOnly()
    async with db.begin() as session:
        query = (
            select(Group)
            .where(Group.active.is_(True), access.group_condition(actor, access.Action.MANAGE))
            .order_by(Group.name, Group.id)
        )
        return [GroupView.of(group) for group in await session.scalars(query)]


def clean_announcement(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise EmptyText()
    if len(cleaned) > MAX_TEXT:
        raise TooLong(MAX_TEXT, len(cleaned))
    return cleaned


# allow_paid_broadcast costs 0.1 Telegram Star a message (Bot API 7.11, sendMessage:
# https://core.telegram.org/bots/api#sendmessage), withdrawn from the bot's balance.
STARS_PER_PAID_MESSAGE = Fraction(1, 10)


def paid_broadcast_stars(messages: int) -> int:
    return math.ceil(messages * STARS_PER_PAID_MESSAGE)


def _private_recipients(chosen: list[int]) -> Select[tuple[int | None, int, int]]:
    return (
        select(Person.telegram_user_id, Person.id, Member.group_id)
        .join(Member, Member.person_id == Person.id)
        .where(
            Member.group_id.in_(chosen),
            Member.active.is_(True),
            Person.private_chat_open.is_(True),
            Person.blocked_bot_at.is_(None),
            Person.telegram_user_id.is_not(None),
        )
    )


async def reach(db: SessionFactory, actor: Actor, group_ids: list[int]) -> int:
    """How many messages an announcement to these groups would send (chats and members)."""
    chosen = sorted(set(group_ids))
    async with db.begin() as session:
        chats = await session.scalar(
            select(func.count())
            .select_from(Group)
            .where(Group.id.in_(chosen), Group.chat_id.is_not(None))
        )
        members = {
            telegram_id
            for telegram_id, _, _ in await session.execute(_private_recipients(chosen))
            if telegram_id != actor.telegram_user_id
        }
        return int(chats or 0) + len(members)


async def send(
    db: SessionFactory, actor: Actor, group_ids: list[int], text: str, now: datetime
) -> Sent:
    """Queue the announcement to each chosen group's chat and its members' private chats."""
    body = clean_announcement(text)
    allowed = {group.id for group in await audience(db, actor)}
    chosen = sorted(set(group_ids))
    if not chosen or not set(chosen) <= allowed:
        raise NotYourGroup()
    async with db.begin() as session:
        announcement = Announcement(
            sender_id=actor.person_id, text=body, group_ids={"ids": chosen}, created_at=now
        )
        session.add(announcement)
        await session.flush()
        groups = {g.id: g for g in await session.scalars(select(Group).where(Group.id.in_(chosen)))}
        group_chats = [
            _planned(announcement, group, group.chat_id, None, now)
            for group in groups.values()
            if group.chat_id is not None
        ]
        # One look for existing keys and one insert for all (see enqueue_many); the group
        # chats first, as before.
        chats = await deliveries.enqueue_many(session, group_chats)
        planned: list[deliveries.Planned] = []
        recipients = await session.execute(_private_recipients(chosen))
        seen: set[int] = set()
        for telegram_id, person_id, group_id in recipients:
            if telegram_id in seen or telegram_id == actor.telegram_user_id:
                continue
            seen.add(telegram_id)
            planned.append(_planned(announcement, groups[group_id], telegram_id, person_id, now))
        people = await deliveries.enqueue_many(session, planned)
        sender = await session.get_one(Person, actor.person_id)
        await deliveries.enqueue(
            session,
            key=f"ann:{announcement.id}:report",
            kind=DeliveryKind.ANNOUNCEMENT_REPORT,
            chat_id=sender.telegram_user_id or 0,
            person_id=sender.id,
            announcement_id=announcement.id,
            due_at=now + REPORT_AFTER,
        )
        return Sent(announcement.id, len(chosen), chats, people)


def _planned(
    announcement: Announcement,
    group: Group,
    chat_id: int,
    person_id: int | None,
    now: datetime,
) -> deliveries.Planned:
    return deliveries.Planned(
        key=f"ann:{announcement.id}:{chat_id}",
        kind=DeliveryKind.ANNOUNCEMENT,
        chat_id=chat_id,
        person_id=person_id,
        group_id=group.id,
        announcement_id=announcement.id,
        due_at=now,
        timezone=group.timezone,
    )


@dataclass(frozen=True)
class AnnouncementText:
    text: str
    sender_name: str
    group_name: str | None


async def announcement_text(
    db: SessionFactory, announcement_id: int, group_id: int | None
) -> AnnouncementText | None:
    async with db.begin() as session:
        announcement = await session.get(Announcement, announcement_id)
        if announcement is None:
            return None
        sender = await session.get_one(Person, announcement.sender_id)
        group = await session.get(Group, group_id) if group_id is not None else None
        return AnnouncementText(announcement.text, sender.name, group.name if group else None)


async def report(db: SessionFactory, announcement_id: int) -> Report:
    async with db.begin() as session:
        announcement = await session.get_one(Announcement, announcement_id)
        rows = (
            await session.execute(
                select(Delivery.chat_id, Delivery.status, Delivery.reason, Group.name)
                .outerjoin(Group, Group.id == Delivery.group_id)
                .where(
                    Delivery.announcement_id == announcement_id,
                    Delivery.kind == "announcement",
                )
            )
        ).all()
        chosen = list(announcement.group_ids.get("ids", []))
        without_chat = list(
            await session.scalars(
                select(Group.name).where(Group.id.in_(chosen), Group.chat_id.is_(None))
            )
        )
    finished = all(status in deliveries.FINAL for _, status, _, _ in rows)
    counts: Counter[str] = Counter()
    failed: list[tuple[str, str]] = []
    for chat_id, status, reason, group_name in rows:
        where = "group" if chat_id < 0 else "private"
        if status is DeliveryStatus.SENT:
            counts[where] += 1
        elif status in (DeliveryStatus.SKIPPED, DeliveryStatus.FAILED):
            label = (group_name or "?") if where == "group" else "private"
            failed.append((label, reason or status.value))
    return Report(
        announcement_id, finished, counts["group"], counts["private"], failed, without_chat
    )
