"""The dispatcher's state for `p2k2 status`: who sends, what waits, what failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select

from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus, DispatcherHeartbeat, HousekeepingRun

WAITING = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
RECENT = timedelta(days=1)
STALE_AFTER = timedelta(minutes=2)  # a heartbeat older than this: nobody is dispatching


@dataclass(frozen=True)
class QueueLine:
    kind: str
    pending: int
    due: int  # pending and already due
    sending: int


@dataclass(frozen=True)
class Oldest:
    key: str
    kind: str
    chat_id: int
    due_at: datetime
    attempts: int
    reason: str | None


@dataclass(frozen=True)
class Failure:
    kind: str
    reason: str
    count: int


@dataclass(frozen=True)
class Status:
    now: datetime
    holder: str | None
    ticked_at: datetime | None
    queue: tuple[QueueLine, ...]
    oldest_due: Oldest | None
    failures: tuple[Failure, ...]  # failed for good in the last day (by the last try's time)
    sent_last_day: int
    # The retention job's last run (storage/privacy/retention.py): when, and what it deleted.
    retention: tuple[datetime, dict[str, object]] | None = None

    @property
    def dispatching(self) -> bool:
        return self.ticked_at is not None and self.now - self.ticked_at <= STALE_AFTER


async def dispatcher_status(db: SessionFactory, now: datetime) -> Status:
    async with db.begin() as session:
        beat = await session.scalar(
            select(DispatcherHeartbeat).order_by(DispatcherHeartbeat.ticked_at.desc()).limit(1)
        )
        rows = await session.execute(
            select(
                Delivery.kind,
                Delivery.status,
                func.count(),
                func.sum(_case_due(now)),
            )
            .where(Delivery.status.in_(WAITING))
            .group_by(Delivery.kind, Delivery.status)
        )
        by_kind: dict[str, list[int]] = {}
        for kind, status, count, due in rows:
            line = by_kind.setdefault(str(kind), [0, 0, 0])
            if status is DeliveryStatus.PENDING:
                line[0] += int(count)
                line[1] += int(due or 0)
            else:
                line[2] += int(count)
        oldest_row = await session.scalar(
            select(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now)
            .order_by(Delivery.due_at, Delivery.id)
            .limit(1)
        )
        failures = await session.execute(
            select(Delivery.kind, Delivery.reason, func.count())
            .where(Delivery.status == DeliveryStatus.FAILED, Delivery.due_at >= now - RECENT)
            .group_by(Delivery.kind, Delivery.reason)
            .order_by(func.count().desc())
        )
        sent = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.SENT, Delivery.sent_at >= now - RECENT)
        )
        run = await session.get(HousekeepingRun, "retention")
        return Status(
            now=now,
            retention=(run.ran_at, dict(run.detail or {})) if run is not None else None,
            holder=beat.holder if beat else None,
            ticked_at=beat.ticked_at if beat else None,
            queue=tuple(QueueLine(kind, *counts) for kind, counts in sorted(by_kind.items())),
            oldest_due=(
                Oldest(
                    oldest_row.key,
                    oldest_row.kind,
                    oldest_row.chat_id,
                    oldest_row.due_at,
                    oldest_row.attempts,
                    oldest_row.reason,
                )
                if oldest_row is not None
                else None
            ),
            failures=tuple(
                Failure(str(kind), str(reason or "-"), int(count))
                for kind, reason, count in failures
            ),
            sent_last_day=int(sent or 0),
        )


def _case_due(now: datetime) -> ColumnElement[int]:
    return case((Delivery.due_at <= now, 1), else_=0)


def _ago(now: datetime, then: datetime) -> str:
    seconds = int((now - then).total_seconds())
    if seconds < 0:
        return f"in {-seconds} s"
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def render(status: Status) -> str:
    """Plain text for the operator's terminal."""
    now = status.now
    lines: list[str] = []
    if status.holder is None or status.ticked_at is None:
        lines.append("dispatcher: no process has dispatched yet")
    else:
        state = "dispatching" if status.dispatching else "NOT dispatching (heartbeat is stale)"
        lines.append(
            f"dispatcher: {state}; last tick by {status.holder} {_ago(now, status.ticked_at)}"
        )
    lines.append("")
    if status.queue:
        lines.append(f"{'queue by kind':<24}{'pending':>9}{'due now':>9}{'sending':>9}")
        for line in status.queue:
            lines.append(f"{line.kind:<24}{line.pending:>9,}{line.due:>9,}{line.sending:>9,}")
        total = [sum(getattr(q, f) for q in status.queue) for f in ("pending", "due", "sending")]
        lines.append(f"{'total':<24}{total[0]:>9,}{total[1]:>9,}{total[2]:>9,}")
    else:
        lines.append("queue: empty")
    lines.append("")
    oldest = status.oldest_due
    if oldest is None:
        lines.append("oldest due: nothing is due")
    else:
        late = _ago(now, oldest.due_at).replace(" ago", " late")
        lines.append(
            f"oldest due: {oldest.kind} to chat {oldest.chat_id}, due {late}"
            f" ({oldest.attempts} tries{'; ' + oldest.reason if oldest.reason else ''})"
        )
    lines.append("")
    lines.append(f"sent in the last day: {status.sent_last_day:,}")
    if status.failures:
        lines.append("failed for good in the last day:")
        for failure in status.failures:
            lines.append(f"  {failure.count:>6,}  {failure.kind}: {failure.reason}")
    else:
        lines.append("failed for good in the last day: none")
    lines.append("")
    if status.retention is None:
        lines.append("retention: not run yet (the dispatcher runs it once a day)")
    else:
        ran_at, detail = status.retention
        lines.append(
            f"retention: last run {_ago(now, ran_at)}; complaints emptied:"
            f" {detail.get('complaints', 0)}, delivery payloads pruned: {detail.get('payloads', 0)}"
            + ("; more to do, continued 30 s later" if detail.get("more") else "")
        )
    return "\n".join(lines)
