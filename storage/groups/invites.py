"""Invite tokens behind deep links: issue, check, use up and revoke them."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite, InviteKind

TOKEN_BYTES = 24  # 192 bits; token_urlsafe gives 32 characters of A-Z a-z 0-9 _ -


class InviteProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"
    USED_UP = "used_up"
    WRONG_KIND = "wrong_kind"


class InviteError(Exception):
    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class InviteView:
    id: int
    token: str
    kind: InviteKind
    group_id: int | None
    expires_at: datetime
    max_uses: int | None
    uses: int
    area_code: str | None = None


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(text: str) -> bool:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return 16 <= len(text) <= 64 and set(text) <= allowed


async def issue(
    session: AsyncSession,
    *,
    kind: InviteKind,
    created_by: int,
    now: datetime,
    ttl: timedelta,
    group_id: int | None = None,
    max_uses: int | None = None,
    area_code: str | None = None,
) -> InviteView:
    invite = Invite(
        area_code=area_code,
        token=new_token(),
        kind=kind,
        group_id=group_id,
        created_by=created_by,
        created_at=now,
        expires_at=now + ttl,
        max_uses=max_uses,
        uses=0,
    )
    session.add(invite)
    await session.flush()
    return view(invite)


async def check(
    session: AsyncSession, token: str, now: datetime, kinds: tuple[InviteKind, ...] | None = None
) -> Invite:
    """The usable invite for `token`, or InviteError saying why it cannot be used."""
    invite = None
    if looks_like_token(token):
        invite = await session.scalar(select(Invite).where(Invite.token == token))
    if invite is None:
        raise InviteError(InviteProblem.UNKNOWN)
    if invite.revoked_at is not None:
        raise InviteError(InviteProblem.REVOKED)
    if invite.expires_at <= now:
        raise InviteError(InviteProblem.EXPIRED)
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        raise InviteError(InviteProblem.USED_UP)
    if kinds is not None and invite.kind not in kinds:
        raise InviteError(InviteProblem.WRONG_KIND)
    return invite


async def use(session: AsyncSession, invite: Invite) -> None:
    """Count one use atomically so two people racing for the last use cannot both win."""
    condition = Invite.id == invite.id
    if invite.max_uses is not None:
        condition = condition & (Invite.uses < invite.max_uses)
    result = await session.execute(
        update(Invite).where(condition).values(uses=Invite.uses + 1).returning(Invite.uses)
    )
    if result.scalar_one_or_none() is None:
        raise InviteError(InviteProblem.USED_UP)


async def revoke_group_invites(
    session: AsyncSession, group_id: int, kind: InviteKind, now: datetime
) -> None:
    await session.execute(
        update(Invite)
        .where(Invite.group_id == group_id, Invite.kind == kind, Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def current_group_invite(
    session: AsyncSession, group_id: int, kind: InviteKind, now: datetime
) -> Invite | None:
    candidates = await session.scalars(
        select(Invite)
        .where(
            Invite.group_id == group_id,
            Invite.kind == kind,
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
        )
        .order_by(Invite.id.desc())
    )
    for invite in candidates:
        if invite.max_uses is None or invite.uses < invite.max_uses:
            return invite
    return None


def view(invite: Invite) -> InviteView:
    return InviteView(
        id=invite.id,
        token=invite.token,
        kind=invite.kind,
        group_id=invite.group_id,
        expires_at=invite.expires_at,
        max_uses=invite.max_uses,
        uses=invite.uses,
        area_code=invite.area_code,
    )
