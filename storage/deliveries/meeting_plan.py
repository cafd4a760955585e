"""Which deliveries a meeting needs: reminders, the summary, the recap and the quiz.

`plan` and `change_notices` are pure (tested without a database); the `enqueue_*` functions
write their rows inside the caller's transaction, so a meeting and its deliveries are saved
together or not at all. Keys carry the meeting's revision, so a reschedule never collides
with, or resends, what was planned for the old time.

A key names the purpose and whom it is for, never the group chat's id: a group's chat id
changes when Telegram upgrades it to a supergroup, and planning again after that (a member
joins) must find what is already planned or sent for the group (`...:group`). A member's
private chat id is her Telegram user id, which never changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.models import Group, Meeting, MeetingStatus, Member, Person
from timekeeping.rules import quiz_time, recap_time, reminder_times, summary_time

GROUP_CHAT = "group"  # the group chat's place in a key, whatever its id is today


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    group_id: int
    revision: int
    starts_at: datetime
    duration_minutes: int
    quiz_items: int


@dataclass(frozen=True)
class Recipient:
    """A member's private chat with the bot."""

    chat_id: int
    person_id: int


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    chat_id: int
    due_at: datetime
    person_id: int | None
    payload: dict[str, Any]


def plan(
    meeting: MeetingFacts,
    group_chat: int | None,
    members: Sequence[Recipient],
    offsets: Iterable[timedelta],
    now: datetime,
) -> list[Planned]:
    """Every delivery the meeting needs from `now` on (nothing once it has started)."""
    if meeting.starts_at <= now:
        return []
    m, rev = meeting.id, meeting.revision
    chats = _chats(group_chat, members)
    planned: list[Planned] = []
    for offset, due in reminder_times(meeting.starts_at, offsets, now):
        seconds = int(offset.total_seconds())
        payload = {"revision": rev, "offset": seconds}
        planned += [
            Planned(f"reminder:{m}:r{rev}:{seconds}:{whom}", "reminder", chat, due, person, payload)
            for chat, person, whom in chats
        ]
    if group_chat is None:
        return planned
    summary_due = summary_time(meeting.starts_at, now)
    if summary_due is not None:
        planned.append(
            Planned(
                f"summary:{m}:r{rev}:{GROUP_CHAT}",
                "summary",
                group_chat,
                summary_due,
                None,
                {"revision": rev},
            )
        )
    planned.append(
        Planned(
            f"recap:{m}:r{rev}:{GROUP_CHAT}",
            "recap",
            group_chat,
            recap_time(meeting.starts_at, meeting.duration_minutes),
            None,
            {"revision": rev},
        )
    )
    planned += [
        Planned(
            f"quiz:{m}:r{rev}:{index}:{GROUP_CHAT}",
            "quiz",
            group_chat,
            quiz_time(meeting.starts_at, meeting.duration_minutes, index),
            None,
            {"revision": rev, "index": index},
        )
        for index in range(meeting.quiz_items)
    ]
    return planned


def change_notices(
    meeting: MeetingFacts,
    group_chat: int | None,
    members: Sequence[Recipient],
    now: datetime,
    change: str,
    old_starts_at: datetime | None = None,
) -> list[Planned]:
    """Tell the group chat and members at once that the meeting moved or was cancelled."""
    tag = f"r{meeting.revision}" if change == "rescheduled" else change
    payload: dict[str, Any] = {"revision": meeting.revision, "change": change}
    if old_starts_at is not None:
        payload["old_starts_at"] = old_starts_at.isoformat()
    return [
        Planned(f"changed:{meeting.id}:{tag}:{whom}", "meeting_changed", chat, now, person, payload)
        for chat, person, whom in _chats(group_chat, members)
    ]


def _chats(
    group_chat: int | None, members: Sequence[Recipient]
) -> list[tuple[int, int | None, str]]:
    """(chat id, person, the chat's name in a key): the group chat first, then members."""
    chats: list[tuple[int, int | None, str]] = [
        (r.chat_id, r.person_id, str(r.chat_id)) for r in members
    ]
    if group_chat is not None:
        chats.insert(0, (group_chat, None, GROUP_CHAT))
    return chats


def facts(meeting: Meeting, quiz_items: int) -> MeetingFacts:
    return MeetingFacts(
        id=meeting.id,
        group_id=meeting.group_id,
        revision=meeting.revision,
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        quiz_items=quiz_items,
    )


async def private_recipients(
    session: AsyncSession, group_id: int, reminders_only: bool = True
) -> list[Recipient]:
    """Members with an open, unblocked private chat (and, for reminders, who want them)."""
    query = (
        select(Person.telegram_user_id, Person.id)
        .join(Member, Member.person_id == Person.id)
        .where(
            Member.group_id == group_id,
            Member.active.is_(True),
            Person.telegram_user_id.is_not(None),
            Person.private_chat_open.is_(True),
            Person.blocked_bot_at.is_(None),
        )
        .order_by(Person.id)
    )
    if reminders_only:
        query = query.where(Person.private_reminders.is_(True))
    return [Recipient(int(chat), person) for chat, person in (await session.execute(query)).all()]


async def _enqueue(session: AsyncSession, planned: Iterable[Planned], meeting: Meeting) -> int:
    added = 0
    # One look-up for the whole plan, not one per row.
    timezone = await session.scalar(select(Group.timezone).where(Group.id == meeting.group_id))
    for item in planned:
        added += await deliveries.enqueue(
            session,
            key=item.key,
            kind=DeliveryKind(item.kind),
            chat_id=item.chat_id,
            due_at=item.due_at,
            person_id=item.person_id,
            group_id=meeting.group_id,
            meeting_id=meeting.id,
            payload=item.payload,
            meeting_starts_at=meeting.starts_at,
            timezone=timezone,
        )
    return added


async def enqueue_plan(
    session: AsyncSession,
    meeting: Meeting,
    group: Group,
    quiz_items: int,
    offsets: Iterable[timedelta],
    now: datetime,
) -> int:
    """Write the meeting's deliveries; keys already there are kept, so this is idempotent."""
    members = await private_recipients(session, group.id)
    return await _enqueue(
        session, plan(facts(meeting, quiz_items), group.chat_id, members, offsets, now), meeting
    )


async def enqueue_change(
    session: AsyncSession,
    meeting: Meeting,
    group: Group,
    now: datetime,
    change: str,
    old_starts_at: datetime | None = None,
) -> int:
    # A change is worth a private message even to those who turned reminders off.
    members = await private_recipients(session, group.id, reminders_only=False)
    notices = change_notices(facts(meeting, 0), group.chat_id, members, now, change, old_starts_at)
    return await _enqueue(session, notices, meeting)


async def replan_group(
    db: SessionFactory,
    group_id: int,
    quiz_items_of: dict[int, int],
    offsets: Iterable[timedelta],
    now: datetime,
) -> int:
    """Plan again for a group's coming meetings, e.g. after its chat was bound or a member
    joined: only what is missing is added. `quiz_items_of` maps session number to quiz size."""
    offsets = tuple(offsets)
    async with db.begin() as session:
        # Locked: the group's chat read here stays its chat until this plan is written (an
        # unlink or a supergroup upgrade waits, then finds these rows).
        group = await session.get(Group, group_id, with_for_update=True)
        if group is None:
            return 0
        meetings = await session.scalars(
            select(Meeting).where(
                Meeting.group_id == group_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
            )
        )
        added = 0
        for meeting in meetings:
            quiz_items = quiz_items_of.get(meeting.session_number, 0)
            added += await enqueue_plan(session, meeting, group, quiz_items, offsets, now)
        return added


async def request_replan(session: AsyncSession, group_id: int, now: datetime) -> None:
    """Ask the dispatcher to plan the group's coming meetings again (chat bound, member joined).

    Written in the caller's transaction, so the new chat or member and the request to reach
    them commit together; the "replan" composer does the planning with the current settings."""
    await deliveries.enqueue(
        session,
        key=f"replan:{group_id}:{uuid.uuid4().hex}",
        kind=DeliveryKind.REPLAN,
        chat_id=0,
        group_id=group_id,
        due_at=now,
    )
