"""Accountable access: who opened which complaint, attachment, roster, export or report.

Every read of personal data by staff (and a chair's reports) is written to `audit_log` in the
transaction that reads it, filed under the area of what was read (the group's desa; for a read
of several groups, the reader's own area). Coordinators read the trail with /jejak: a Korkab
or Korwil the entries of her area only (storage/access.trail_condition), a coordinator of the
whole deployment every entry, also those filed under no area (earlier entries, groups not
placed, a person's erasure)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import access
from storage.actors import Actor
from storage.db import SessionFactory
from storage.errors import CoordinatorsOnly
from storage.models import AuditEntry, Group, Person

PAGE = 15
SHORT = 40  # a name or detail longer than this is cut in the trail, so a page fits a message


class Read(enum.StrEnum):
    COMPLAINT = "read.complaint"
    ATTACHMENTS = "read.attachments"
    ROSTER = "read.roster"
    EXPORT = "read.export"
    REPORT = "read.report"


# What the trail shows: the reads above and the personal-data steps (erasure, correction).
SHOWN_PREFIXES = ("read.", "privacy.")


def scope_detail(month: int, group_code: str | None, group_id: int | None) -> str:
    """ "2026-12 MAWAR1": the month and the group read (none: every group the reader may)."""
    group = group_code or (f"#{group_id}" if group_id else "")
    return f"{month // 100:04d}-{month % 100:02d} {group}".strip()


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def record_read(
    session: AsyncSession,
    actor: Actor,
    what: Read,
    detail: str,
    now: datetime,
    *,
    area_code: str | None,
) -> None:
    """Write the read in the reading transaction (the command-line operator has no row),
    under the area of what was read (storage/access.reader_area for several groups)."""
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor.person_id or None,
            action=what.value,
            detail=detail,
            area_code=area_code,
        )
    )


async def read_area(session: AsyncSession, actor: Actor, group_id: int | None) -> str | None:
    """The area a read is filed under: one group's, or the reader's for several."""
    if group_id is None:
        return access.reader_area(actor)
    return await session.scalar(select(Group.area_code).where(Group.id == group_id))


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    who: str
    action: str
    detail: str


@dataclass(frozen=True)
class Trail:
    lines: tuple[TrailLine, ...]
    page: int
    more: bool


async def trail(db: SessionFactory, actor: Actor, page: int = 0) -> Trail:
    """The newest reads first, PAGE at a time; coordinators only, each her area's."""
    if not access.may(actor, access.Duty.COORDINATE):
        raise CoordinatorsOnly()
    page = max(0, page)
    who = aliased(Person)
    async with db.begin() as session:
        rows = (
            await session.execute(
                select(AuditEntry, who.name)
                .outerjoin(who, who.id == AuditEntry.actor_id)
                .where(AuditEntry.action.like("read.%") | AuditEntry.action.like("privacy.%"))
                .where(access.trail_condition(actor))
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .offset(page * PAGE)
                .limit(PAGE + 1)
            )
        ).all()
    lines = tuple(
        TrailLine(entry.at, _short(name or "operator"), entry.action, _short(entry.detail or ""))
        for entry, name in rows[:PAGE]
    )
    return Trail(lines, page, len(rows) > PAGE)
