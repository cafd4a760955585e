"""Inviting staff into an area, and accepting: a coordinator invites a pendamping into a
kecamatan of her area, a Korwil a Korkab into a kabupaten/kota of hers (storage/access.py
decides who may). The invite carries the area, so the link and the welcome name it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.actors import Actor
from storage.areas import search
from storage.areas.codes import is_code, level_of
from storage.areas.search import AreaChoice
from storage.db import SessionFactory
from storage.errors import CoordinatorsOnly, NotFound, UseCaseError
from storage.groups import invites
from storage.groups.invites import InviteView
from storage.joining.onboarding import AlreadyCoordinator
from storage.models import (
    Area,
    Assignment,
    AssignmentRole,
    AuditEntry,
    InviteKind,
    Person,
    StaffRole,
)

KECAMATAN, KABUPATEN = 3, 2
MAX_TYPED = 60


class NeedsKecamatan(UseCaseError):
    """A coordinator of an area names the kecamatan of the pendamping she invites."""


class KorwilOnly(UseCaseError):
    """A Korkab is invited by a Korwil, not by another Korkab."""


class NotKecamatan(UseCaseError):
    """A pendamping is invited into a kecamatan; the area named is not one."""

    def __init__(self, place: str) -> None:
        super().__init__()
        self.place = place  # the area as people read it ("" when none was named)


class NotKabupaten(UseCaseError):
    """A Korkab is invited into a kabupaten/kota; the area named is not one."""

    def __init__(self, place: str) -> None:
        super().__init__()
        self.place = place  # the area as people read it ("" when none was named)


class OutsideArea(UseCaseError):
    """The area named is outside the inviter's own."""

    def __init__(self, place: str, areas: str) -> None:
        super().__init__()
        self.place = place
        self.areas = areas  # the inviter's areas, named


class NoSuchCode(UseCaseError):
    """A typed area code that is not in the list of areas."""

    def __init__(self, code: str, nearest: str) -> None:
        super().__init__()
        self.code = code
        self.nearest = nearest  # the nearest areas with their codes, or "-"


class AlreadyFacilitator(UseCaseError):
    """A facilitator opened a Korkab's invite (one account, one staff role)."""


class AlreadyEverywhere(UseCaseError):
    """A coordinator of the whole deployment opened a Korkab's invite."""


def _refusal(refused: access.InviteRefused, place: str = "", areas: str = "") -> UseCaseError:
    match refused:
        case access.InviteRefused.NOT_COORDINATOR:
            return CoordinatorsOnly()
        case access.InviteRefused.NEEDS_KECAMATAN:
            return NeedsKecamatan()
        case access.InviteRefused.NOT_KECAMATAN:
            return NotKecamatan(place)
        case access.InviteRefused.NOT_KABUPATEN:
            return NotKabupaten(place)
        case access.InviteRefused.OUTSIDE:
            return OutsideArea(place, areas)
        case access.InviteRefused.KORWIL_ONLY:
            return KorwilOnly()


@dataclass(frozen=True)
class StaffInvite:
    invite: InviteView
    area: AreaChoice | None  # None: a pendamping without a kecamatan (as before areas)


@dataclass(frozen=True)
class AreaOptions:
    """The typed name matched no single area: those inside her area to pick from, and the
    nearest names elsewhere (she may not invite there; she is told where they are)."""

    typed: str
    inside: tuple[AreaChoice, ...]
    elsewhere: tuple[AreaChoice, ...]


def level_for(kind: InviteKind) -> int:
    return KABUPATEN if kind is InviteKind.COORDINATOR else KECAMATAN


async def invite(
    db: SessionFactory,
    actor: Actor,
    kind: InviteKind,
    typed: str | None,
    now: datetime,
    ttl: timedelta,
) -> StaffInvite | AreaOptions:
    """A one-time link for a new pendamping (kind FACILITATOR) or Korkab (COORDINATOR) in the
    area typed (a name or a code), or the areas to choose from when the name is not one."""
    async with db.begin() as session:
        if not typed or not typed.strip():
            refused = access.invite_refusal(actor, kind, None)
            if refused is not None:
                raise _refusal(refused)
            return StaffInvite(await _issue(session, actor, kind, None, now, ttl), None)
        text = " ".join(typed.split())[:MAX_TYPED]
        level = level_for(kind)
        if is_code(text):
            found = await search.by_code(session, text)
            if found is not None and level_of(found.code) != level:
                wrong = NotKabupaten if level == KABUPATEN else NotKecamatan
                raise wrong(found.label)
            if found is None:
                near = await _siblings(session, text, level)
                raise NoSuchCode(text, _names(near) or "-")
            return await _checked(session, actor, kind, found, now, ttl)
        within = access.invitable_within(actor)
        inside = await search.find(session, text, levels=(level,), within=within)
        exact = [c for c in inside if c.name.casefold() == text.casefold()]
        if len(exact) == 1:
            return await _checked(session, actor, kind, exact[0], now, ttl)
        elsewhere: list[AreaChoice] = []
        if within is not None:
            codes = {c.code for c in inside}
            elsewhere = [
                c for c in await search.find(session, text, levels=(level,)) if c.code not in codes
            ]
        return AreaOptions(text, tuple(inside), tuple(elsewhere))


async def invite_in(
    db: SessionFactory, actor: Actor, kind: InviteKind, code: str, now: datetime, ttl: timedelta
) -> StaffInvite:
    """The link for an area picked by a button (untrusted: checked again here)."""
    async with db.begin() as session:
        found = await search.by_code(session, code) if is_code(code) else None
        if found is None or level_of(found.code) != level_for(kind):
            raise NotFound()
        return await _checked(session, actor, kind, found, now, ttl)


async def _checked(
    session: AsyncSession,
    actor: Actor,
    kind: InviteKind,
    area: AreaChoice,
    now: datetime,
    ttl: timedelta,
) -> StaffInvite:
    refused = access.invite_refusal(actor, kind, area.code)
    if refused is not None:
        raise _refusal(refused, area.label, ", ".join(actor.area_names) or "-")
    return StaffInvite(await _issue(session, actor, kind, area.code, now, ttl), area)


async def _issue(
    session: AsyncSession,
    actor: Actor,
    kind: InviteKind,
    area_code: str | None,
    now: datetime,
    ttl: timedelta,
) -> InviteView:
    issued = await invites.issue(
        session,
        kind=kind,
        created_by=actor.person_id,
        now=now,
        ttl=ttl,
        max_uses=1,
        area_code=area_code,
    )
    session.add(
        AuditEntry(
            actor_id=actor.person_id,
            action=f"invite.{kind.value}",
            detail=f"invite {issued.id} {area_code or ''}".strip(),
        )
    )
    return issued


async def _siblings(session: AsyncSession, code: str, level: int) -> list[AreaChoice]:
    """Areas of this level under the nearest existing parent of a code that does not exist
    ("32.79.09": the kecamatan of Kota Banjar), a handful."""
    parent = code.rsplit(".", 1)[0] if "." in code else ""
    codes = await session.scalars(
        select(Area.code)
        .where(Area.level == level, Area.code.like(parent + ".%") if parent else true())
        .order_by(Area.code)
        .limit(search.SHOWN)
    )
    found = [await search.by_code(session, c) for c in codes]
    return [c for c in found if c is not None]


def _names(choices: list[AreaChoice]) -> str:
    return "; ".join(f"{c.label} ({c.code})" for c in choices)


@dataclass(frozen=True)
class Accepted:
    role: StaffRole
    area: AreaChoice | None


async def accept(db: SessionFactory, actor: Actor, token: str, now: datetime) -> Accepted:
    """Become a pendamping (of the invite's kecamatan, added to hers) or a Korkab of the
    invite's kabupaten/kota. One account holds one staff role: a coordinator does not become a
    pendamping, nor a pendamping a coordinator, by a link (told why)."""
    async with db.begin() as session:
        invite = await invites.check(
            session, token, now, kinds=(InviteKind.FACILITATOR, InviteKind.COORDINATOR)
        )
        person = await session.get_one(Person, actor.person_id)
        role = (
            StaffRole.COORDINATOR
            if invite.kind is InviteKind.COORDINATOR
            else StaffRole.FACILITATOR
        )
        if person.staff_role is StaffRole.COORDINATOR and role is StaffRole.FACILITATOR:
            raise AlreadyCoordinator()
        if person.staff_role is StaffRole.FACILITATOR and role is StaffRole.COORDINATOR:
            raise AlreadyFacilitator()
        if person.staff_role is StaffRole.COORDINATOR and await _covers_all(session, person.id):
            raise AlreadyEverywhere()
        await invites.use(session, invite)
        person.staff_role = role
        person.active = True
        if invite.area_code is not None:
            assignment_role = (
                AssignmentRole.KORKAB
                if role is StaffRole.COORDINATOR
                else AssignmentRole.PENDAMPING
            )
            await session.execute(
                delete(Assignment).where(
                    Assignment.person_id == person.id,
                    or_(Assignment.area_code.is_(None), Assignment.area_code == invite.area_code),
                )
            )
            session.add(
                Assignment(person_id=person.id, role=assignment_role, area_code=invite.area_code)
            )
        session.add(
            AuditEntry(
                actor_id=person.id,
                action=f"person.{role.value}",
                detail=f"invite {invite.id} {invite.area_code or ''}".strip(),
            )
        )
        area = await search.by_code(session, invite.area_code) if invite.area_code else None
        return Accepted(role, area)


async def _covers_all(session: AsyncSession, person_id: int) -> bool:
    """A coordinator of the whole deployment (an assignment without area, or none)."""
    codes = list(
        await session.scalars(select(Assignment.area_code).where(Assignment.person_id == person_id))
    )
    return not codes or None in codes
