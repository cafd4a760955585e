"""Due deliveries: enqueue them, claim what is due, record every outcome.

Anything sent later or to a third person is a row of the queue written here. Around it:
delivery_kinds (the kinds, defined in timekeeping/), meeting_plan (which deliveries a meeting
needs), notices (a text key sent to one person), recipients (whether and in which language a
person can be written to privately) and send_outcome (what a failed send means). What an
outcome changes beyond the row (a blocked user, a group the bot left) is
storage/operations/delivery_outcomes.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Row,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory, send_rules_of
from storage.deliveries.delivery_kinds import TO_STAFF, DeliveryKind
from storage.models import Delivery, DeliveryStatus, Group, Meeting
from timekeeping.rules import CLAIM_LEASE
from timekeeping.send_planner import Pending, edf_order, must_send
from timekeeping.send_windows import DueMessage, Priority, Window, window

FINAL = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED)
# In a delivery's payload: how many parts of a long (split) message were delivered, so a
# retry resumes with the next part instead of sending the first ones again.
PARTS_SENT = "_parts_sent"


@dataclass(frozen=True)
class DueDelivery:
    id: int
    key: str
    kind: str
    chat_id: int
    person_id: int | None
    group_id: int | None
    meeting_id: int | None
    announcement_id: int | None
    payload: dict[str, Any]
    due_at: datetime
    attempts: int

    def parts_sent(self, parts: int) -> int:
        """Parts of a `parts`-part message delivered by earlier tries (0 if it changed since)."""
        progress = self.payload.get(PARTS_SENT)
        if not isinstance(progress, dict) or progress.get("of") != parts:
            return 0
        sent = progress.get("sent")
        return sent if isinstance(sent, int) and 0 <= sent < parts else 0

    @classmethod
    def of(cls, row: Delivery | Row[Any]) -> DueDelivery:
        """From the model or a row RETURNING the same columns (CLAIMED_COLUMNS)."""
        return cls(
            id=row.id,
            key=row.key,
            kind=row.kind,
            chat_id=row.chat_id,
            person_id=row.person_id,
            group_id=row.group_id,
            meeting_id=row.meeting_id,
            announcement_id=row.announcement_id,
            payload=dict(row.payload or {}),
            due_at=row.due_at,
            attempts=row.attempts,
        )


async def _window(
    session: AsyncSession,
    kind: DeliveryKind,
    chat_id: int,
    due_at: datetime,
    group_id: int | None,
    meeting_id: int | None,
    meeting_starts_at: datetime | None,
    payload: dict[str, Any] | None,
    timezone: str | None,
) -> Window:
    rules = send_rules_of(session)  # quiet hours, and the zone of a chat without a group
    if timezone is None and group_id is not None:
        timezone = await session.scalar(select(Group.timezone).where(Group.id == group_id))
    if meeting_starts_at is None and meeting_id is not None and kind.meeting:
        meeting_starts_at = await session.scalar(
            select(Meeting.starts_at).where(Meeting.id == meeting_id)
        )
    offset = (payload or {}).get("offset")
    reminder_offset = timedelta(seconds=offset) if isinstance(offset, int) else None
    if reminder_offset is None and meeting_starts_at is not None:
        reminder_offset = meeting_starts_at - due_at
    if kind is DeliveryKind.REMINDER and (meeting_starts_at is None or reminder_offset is None):
        # Only a row written by hand has no meeting: it goes at its time, like before windows.
        return Window(due_at, due_at, due_at, Priority.REMINDER_GROUP)
    message = DueMessage(
        kind=kind,
        due_at=due_at,
        private=chat_id > 0 and kind not in TO_STAFF,
        meeting_starts_at=meeting_starts_at,
        reminder_offset=reminder_offset,
    )
    return window(message, ZoneInfo(timezone or rules.timezone), rules.policy)


@dataclass(frozen=True)
class Planned:
    """One delivery to enqueue (see enqueue for the fields)."""

    key: str
    kind: DeliveryKind
    chat_id: int
    due_at: datetime
    person_id: int | None = None
    group_id: int | None = None
    meeting_id: int | None = None
    announcement_id: int | None = None
    payload: dict[str, Any] | None = None
    meeting_starts_at: datetime | None = None
    timezone: str | None = None


async def _row(session: AsyncSession, planned: Planned) -> Delivery:
    kind = DeliveryKind(planned.kind)  # a misspelt kind fails here, where it is written
    slot = await _window(
        session,
        kind,
        planned.chat_id,
        planned.due_at,
        planned.group_id,
        planned.meeting_id,
        planned.meeting_starts_at,
        planned.payload,
        planned.timezone,
    )
    return Delivery(
        key=planned.key,
        kind=kind,
        chat_id=planned.chat_id,
        due_at=slot.due,
        send_from=slot.start,
        send_by=slot.deadline,
        priority=int(slot.priority),
        person_id=planned.person_id,
        group_id=planned.group_id,
        meeting_id=planned.meeting_id,
        announcement_id=planned.announcement_id,
        payload=planned.payload,
        status=DeliveryStatus.PENDING,
        attempts=0,
    )


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    kind: DeliveryKind,
    chat_id: int,
    due_at: datetime,
    person_id: int | None = None,
    group_id: int | None = None,
    meeting_id: int | None = None,
    announcement_id: int | None = None,
    payload: dict[str, Any] | None = None,
    meeting_starts_at: datetime | None = None,
    timezone: str | None = None,
) -> bool:
    """Add a delivery unless one with the same key exists; True when added.

    Its send window comes from its kind (timekeeping/send_windows.py): a reminder needs
    `meeting_starts_at` and its offset in the payload. A planner that knows the group's
    `timezone` passes it, so a plan of many rows does not look it up for each. The quiet hours
    and the zone of a chat without a group are the session's send rules (storage/db.py)."""
    planned = Planned(
        key,
        kind,
        chat_id,
        due_at,
        person_id,
        group_id,
        meeting_id,
        announcement_id,
        payload,
        meeting_starts_at,
        timezone,
    )
    return await enqueue_many(session, [planned]) == 1


# Keys looked up in one query; SQLite allows 32,766 parameters in a statement.
KEYS_A_QUERY = 5000


async def enqueue_many(session: AsyncSession, planned: list[Planned]) -> int:
    """enqueue for many deliveries: the keys that exist are looked up together and the new
    rows written in one flush (an announcement to a province is ten thousand rows, which one
    query and one insert each kept the database busy for half a minute); how many were added."""
    keys = [p.key for p in planned]
    taken: set[str] = set()
    for start in range(0, len(keys), KEYS_A_QUERY):
        chunk = keys[start : start + KEYS_A_QUERY]
        taken.update(await session.scalars(select(Delivery.key).where(Delivery.key.in_(chunk))))
    added = 0
    for one in planned:
        if one.key in taken:
            continue
        taken.add(one.key)  # the same key twice in the list: the first is kept
        session.add(await _row(session, one))
        added += 1
    if added:
        await session.flush()
    return added


CLAIMED_COLUMNS = (
    Delivery.id,
    Delivery.key,
    Delivery.kind,
    Delivery.chat_id,
    Delivery.person_id,
    Delivery.group_id,
    Delivery.meeting_id,
    Delivery.announcement_id,
    Delivery.payload,
    Delivery.due_at,
    Delivery.attempts,
)


# How far ahead the dispatcher looks for deadlines that a wave could miss.
LOOKAHEAD = timedelta(hours=12)


async def _forced(session: AsyncSession, now: datetime, tick: timedelta, rate: float) -> int:
    """How many pending messages must go in this tick so that the rest still meet their
    deadlines at `rate` (timekeeping/send_planner.must_send over the deadlines ahead)."""
    rows = await session.execute(
        select(Delivery.send_by, Delivery.priority, func.count())
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.send_by <= now + LOOKAHEAD)
        .group_by(Delivery.send_by, Delivery.priority)
    )
    waiting = [
        Pending(key=None, start=now, due=now, deadline=deadline, priority=priority, count=count)
        for deadline, priority, count in rows
    ]
    return must_send(edf_order(waiting), now + tick, rate) if waiting else 0


async def claim_due(
    db: SessionFactory,
    now: datetime,
    limit: int,
    *,
    rate: float | None = None,
    tick: timedelta = timedelta(seconds=10),
) -> list[DueDelivery]:
    """Mark up to `limit` deliveries as being sent; a lease lets a crash be recovered.

    What is due goes, answers and time-critical kinds first (priority, then deadline). With a
    `rate` (sends a second) the dispatcher also looks ahead: when the deadlines coming need
    more than the rate can carry by then, the earliest deadlines start now, inside their
    windows, never before them. One UPDATE ... RETURNING claims them. (PostgreSQL skips rows
    another sender has locked; SQLite has one writer at a time.)"""
    async with db.begin() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        ids: list[int] = []
        forced = await _forced(session, now, tick, rate) if rate else 0
        if forced:
            early = (
                select(Delivery.id)
                .where(Delivery.status == DeliveryStatus.PENDING, Delivery.send_from <= now)
                .order_by(Delivery.send_by, Delivery.priority, Delivery.id)
                .limit(min(forced, limit))
            )
            if postgres:
                early = early.with_for_update(skip_locked=True)
            ids += list(await session.scalars(early))
        due = (
            select(Delivery.id)
            .where(
                or_(
                    and_(
                        Delivery.status == DeliveryStatus.PENDING,
                        Delivery.due_at <= now,
                        Delivery.send_from <= now,
                    ),
                    and_(
                        Delivery.status == DeliveryStatus.SENDING,
                        Delivery.claimed_until < now,
                    ),
                ),
                Delivery.id.not_in(ids) if ids else true(),
            )
            .order_by(Delivery.priority, Delivery.send_by, Delivery.due_at, Delivery.id)
            .limit(max(limit - len(ids), 0))
        )
        if postgres:
            due = due.with_for_update(skip_locked=True)
        ids += list(await session.scalars(due))
        if not ids:
            return []
        rows = await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(status=DeliveryStatus.SENDING, claimed_until=now + CLAIM_LEASE)
            .returning(*CLAIMED_COLUMNS),
            execution_options={"synchronize_session": False},
        )
        order = {delivery_id: index for index, delivery_id in enumerate(ids)}
        claimed = [DueDelivery.of(row) for row in rows]
        claimed.sort(key=lambda d: order[d.id])
        return claimed


async def release_claims(db: SessionFactory) -> int:
    """Put every claimed delivery back to pending, at once; how many were released.

    Called by a process that has just taken the sender lock, before it sends anything: only the
    lock holder claims, so a claim that exists now was made by a sender that no longer holds
    the lock (killed, or cut off from the database) and will not record its outcome. Waiting
    for its lease would delay those messages by minutes; releasing them sends at most the few
    that were in flight at the kill once more. (The lease stays as the backstop for a claim
    no lock change follows.)"""
    async with db.begin() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.status == DeliveryStatus.SENDING)
            .values(status=DeliveryStatus.PENDING, claimed_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def next_due_at(db: SessionFactory) -> datetime | None:
    async with db.begin() as session:
        earliest: datetime | None = await session.scalar(
            select(func.min(Delivery.due_at)).where(Delivery.status == DeliveryStatus.PENDING)
        )
        return earliest


async def _finish(session: AsyncSession, delivery_id: int, **values: Any) -> None:
    await session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(claimed_until=None, **values)
    )


async def mark_sent(
    session: AsyncSession,
    delivery_id: int,
    message_id: int | None,
    now: datetime,
    payload: dict[str, Any] | None = None,
) -> None:
    """Sent; `payload`, when given, replaces the row's (what the message was written from)."""
    values: dict[str, Any] = {} if payload is None else {"payload": payload}
    await _finish(
        session,
        delivery_id,
        status=DeliveryStatus.SENT,
        sent_at=now,
        message_id=message_id,
        attempts=Delivery.attempts + 1,
        reason=None,
        **values,
    )


@dataclass(frozen=True)
class Sent:
    delivery_id: int
    message_id: int | None
    at: datetime


async def mark_many_sent(session: AsyncSession, sent: list[Sent]) -> None:
    """Several deliveries sent, in one statement executed for all rows at once: the same
    values as mark_sent without a payload, each row with its message id and time."""
    if not sent:
        return
    table = Delivery.__table__
    assert isinstance(table, Table)
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("sent_id"))
        .values(
            status=DeliveryStatus.SENT,
            sent_at=bindparam("sent_at"),
            message_id=bindparam("sent_message_id"),
            attempts=table.c.attempts + 1,
            reason=None,
            claimed_until=None,
        ),
        [
            {"sent_id": row.delivery_id, "sent_message_id": row.message_id, "sent_at": row.at}
            for row in sent
        ],
    )


async def mark_parts_sent(
    session: AsyncSession, delivery: DueDelivery, sent: int, parts: int
) -> None:
    """Remember that the first `sent` of `parts` parts are in the chat."""
    payload = {**delivery.payload, PARTS_SENT: {"sent": sent, "of": parts}}
    await session.execute(
        update(Delivery).where(Delivery.id == delivery.id).values(payload=payload)
    )


async def mark_retry(
    session: AsyncSession, delivery_id: int, due_at: datetime, reason: str, count: bool = True
) -> None:
    values: dict[str, Any] = {
        "status": DeliveryStatus.PENDING,
        "due_at": due_at,
        "send_from": due_at,
        # A retry waits for its time; its deadline is never before it.
        "send_by": case((Delivery.send_by < due_at, due_at), else_=Delivery.send_by),
        "reason": reason[:200],
    }
    if count:
        values["attempts"] = Delivery.attempts + 1
    await _finish(session, delivery_id, **values)


async def mark_skipped(session: AsyncSession, delivery_id: int, reason: str) -> None:
    await _finish(session, delivery_id, status=DeliveryStatus.SKIPPED, reason=reason[:200])


async def mark_failed(session: AsyncSession, delivery_id: int, reason: str) -> None:
    await _finish(
        session,
        delivery_id,
        status=DeliveryStatus.FAILED,
        reason=reason[:200],
        attempts=Delivery.attempts + 1,
    )


async def move_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: everything still to send there follows it."""
    await session.execute(
        update(Delivery)
        .where(
            Delivery.chat_id == old_chat_id,
            Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
        )
        .values(chat_id=new_chat_id)
    )


async def drop_for_chat(session: AsyncSession, chat_id: int, reason: str) -> int:
    """Skip what was still to be sent to a chat the bot left, and free those keys: a chat
    linked to the group later is planned afresh (keys name the group, not the chat). Sends
    under way there are included: they meet the same 403 and keep the freed key."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
            Delivery.chat_id == chat_id,
        )
        .values(
            status=DeliveryStatus.SKIPPED,
            reason=reason,
            key=Delivery.key + f":{reason}:" + cast(Delivery.id, String),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def cancel_pending(session: AsyncSession, *conditions: Any, reason: str) -> int:
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, *conditions)
        .values(status=DeliveryStatus.SKIPPED, reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)
