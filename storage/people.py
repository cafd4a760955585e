"""Use cases about a person's own settings and the input they are in the middle of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.access import Duty, facilitators_condition, may
from storage.actors import (
    Actor,
    TelegramUser,
    cover_whole_deployment,
    load_actor,
    upsert_person,
)
from storage.areas import search as area_search
from storage.areas.codes import LEVELS, is_code, level_of
from storage.areas.search import AreaChoice
from storage.complaints.handover import coordinator_leaves
from storage.db import SessionFactory
from storage.errors import CoordinatorsOnly
from storage.models import (
    Assignment,
    AssignmentRole,
    AuditEntry,
    Group,
    Person,
    StaffRole,
)
from storage.models.base import utcnow


@dataclass(frozen=True)
class Pending:
    awaiting: str | None
    draft: dict[str, Any]
    menu_outdated: bool = False


async def identify(
    db: SessionFactory,
    user: TelegramUser,
    admin_ids: tuple[int, ...],
    default_language: str,
    private_chat: bool,
) -> tuple[Actor, Pending]:
    async with db.begin() as session:
        person = await upsert_person(session, user, admin_ids, default_language, private_chat)
        language = person.language or telegram_language(user.language_code, default_language)
        actor = await load_actor(session, person, language)
        menu_outdated = private_chat and person.menu != actor.role
        if menu_outdated:
            person.menu = actor.role
        return actor, Pending(person.awaiting, dict(person.draft or {}), menu_outdated)


def telegram_language(code: str | None, default: str) -> str:
    """The language of someone who has not chosen one: their Telegram app's, if we have it."""
    if code and code.lower().startswith("en"):
        return "en"
    if code and code.lower().startswith("id"):
        return "id"
    return default


async def set_language(db: SessionFactory, person_id: int, language: str) -> None:
    async with db.begin() as session:
        person = await session.get_one(Person, person_id)
        person.language = language


async def await_input(
    db: SessionFactory, person_id: int, awaiting: str | None, draft: dict[str, Any] | None = None
) -> None:
    """Remember what the person's next message answers, with what they entered so far."""
    async with db.begin() as session:
        person = await session.get_one(Person, person_id)
        person.awaiting = awaiting
        person.draft = draft


class AreaRefused(Exception):
    """`--area` names no area a coordinator can cover; the message says why and what exists."""


# The levels of area each staff role may be given on the command line, and what to call them.
STAFF_LEVELS: dict[StaffRole, tuple[tuple[int, ...], str]] = {
    StaffRole.COORDINATOR: (
        (1, 2),
        "a coordinator covers a kabupaten/kota (Korkab) or a province (Korwil)",
    ),
    StaffRole.FACILITATOR: ((3,), "a facilitator works in a kecamatan"),
    StaffRole.VIEWER: ((1, 2, 3), "a viewer reads a province, a kabupaten/kota or a kecamatan"),
}


async def add_staff(
    db: SessionFactory,
    telegram_user_id: int,
    name: str,
    role: StaffRole,
    area: str | Sequence[str] | None = None,
    *,
    now: datetime | None = None,
    above: tuple[int, ...] = (),
) -> tuple[int, bool, str]:
    """Register a coordinator, facilitator or viewer from the command line.

    With an area it is added to her areas (a coordinator's kabupaten/kota: Korkab, province:
    Korwil; a facilitator's kecamatan; a viewer's area); several at once (`--area 32.79
    --area 32.07`, or `32.79,32.07`) make a coordinator the Korwil of that list; without one
    a coordinator or viewer covers the whole deployment and a facilitator works without a
    kecamatan, as before areas existed. Returns (id, created, coverage)."""
    codes = _listed(area)
    async with db.begin() as session:
        coverage = "the whole deployment" if role is not StaffRole.FACILITATOR else "her own groups"
        chosen = [await _staff_area(session, role, code) for code in codes]
        chosen = list({c.code: c for c in chosen}.values())
        if chosen:
            coverage = "; ".join(f"{c.label} ({c.code})" for c in chosen)
        person = await session.scalar(
            select(Person).where(Person.telegram_user_id == telegram_user_id)
        )
        created = person is None
        if person is None:
            person = Person(
                telegram_user_id=telegram_user_id,
                name=name,
                active=True,
                private_chat_open=False,
                private_reminders=True,
            )
            session.add(person)
        before = await _assignments(session, person.id) if not created else set()
        if person.staff_role is not None and person.staff_role is not role:
            # A new role: the areas of the old one do not carry over.
            await session.execute(delete(Assignment).where(Assignment.person_id == person.id))
        person.name = name
        person.staff_role = role
        person.active = True
        await session.flush()
        if chosen:
            for one in chosen:
                await _add_area(session, person.id, role, one.code, korwil=len(chosen) > 1)
        elif role is StaffRole.FACILITATOR:
            await session.execute(delete(Assignment).where(Assignment.person_id == person.id))
        else:
            await cover_whole_deployment(session, person.id, _assignment_role(role, None))
        # Moved off an area (or to another role): her open complaints there are named to
        # the level above, which sees them by area already.
        lost = before - await _assignments(session, person.id)
        await coordinator_leaves(session, person, sorted(lost, key=str), now or utcnow(), above)
        session.add(
            AuditEntry(
                actor_id=None,
                action=f"cli.add_{role.value}",
                detail=f"{telegram_user_id} {','.join(c.code for c in chosen)}".strip(),
            )
        )
        return person.id, created, coverage


async def remove_staff(
    db: SessionFactory,
    telegram_user_id: int,
    area: str | None = None,
    *,
    now: datetime | None = None,
    above: tuple[int, ...] = (),
) -> int:
    """Take a coordinator off one area (`area`), or take away her staff role altogether.

    Nothing about her complaints moves or is deleted: the levels above see them by area, and
    the nearest one that can be reached is told which are open (coordinator_leaves). Returns
    how many open complaints were named."""
    async with db.begin() as session:
        person = await session.scalar(
            select(Person).where(Person.telegram_user_id == telegram_user_id)
        )
        if person is None or person.staff_role is None:
            raise AreaRefused(f"{telegram_user_id} is not staff")
        before = await _assignments(session, person.id)
        if area is None:
            await session.execute(delete(Assignment).where(Assignment.person_id == person.id))
            person.staff_role = None
        else:
            gone = {(role, code) for role, code in before if code == area.strip()}
            if not gone:
                held = ", ".join(sorted(code or "whole deployment" for _, code in before))
                raise AreaRefused(f"{telegram_user_id} does not cover {area}; covers: {held}")
            await session.execute(
                delete(Assignment).where(
                    Assignment.person_id == person.id, Assignment.area_code == area.strip()
                )
            )
        await session.flush()
        lost = before - await _assignments(session, person.id)
        named = await coordinator_leaves(
            session, person, sorted(lost, key=str), now or utcnow(), above
        )
        session.add(
            AuditEntry(
                actor_id=None,
                action="cli.remove_staff",
                detail=f"{telegram_user_id} {area or ''}".strip(),
            )
        )
        return named


async def _assignments(
    session: AsyncSession, person_id: int
) -> set[tuple[AssignmentRole, str | None]]:
    """A coordinator's assignments; one with none covers the whole deployment (as before
    areas existed), which is what she loses when she is removed."""
    rows = await session.execute(
        select(Person.staff_role, Assignment.role, Assignment.area_code)
        .outerjoin(Assignment, Assignment.person_id == Person.id)
        .where(Person.id == person_id)
    )
    found: set[tuple[AssignmentRole, str | None]] = set()
    for staff_role, role, code in rows.tuples():
        if staff_role is not StaffRole.COORDINATOR:
            continue
        found.add((role or AssignmentRole.KORWIL, code))
    return found


async def _staff_area(session: AsyncSession, role: StaffRole, text: str) -> AreaChoice:
    """The area the operator named by code, or a refusal with the nearest names."""
    levels, rule = STAFF_LEVELS[role]
    text = text.strip()
    if is_code(text):
        found = await area_search.by_code(session, text)
        if found is not None and level_of(found.code) in levels:
            return found
        if found is not None:
            raise AreaRefused(f"{text} is {found.label}, a {LEVELS[level_of(text)]}: {rule}")
        near = await area_search.find(session, text, levels=levels)
        parent = await area_search.by_code(session, text.rsplit(".", 1)[0]) if "." in text else None
        hint = f"; {parent.code} is {parent.label}" if parent else ""
        raise AreaRefused(f"no area has the code {text}{hint}{_suggest(near)}")
    near = await area_search.find(session, text, levels=levels)
    exact = [c for c in near if c.name.casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0]
    raise AreaRefused(f"give the area's code, not its name{_suggest(near)}")


def _suggest(choices: list[AreaChoice]) -> str:
    if not choices:
        return " (`p2k2 areas import` loads the list of areas if it is empty)"
    return "; nearest: " + "; ".join(f"{c.code} {c.label}" for c in choices)


def _listed(area: str | Sequence[str] | None) -> list[str]:
    """The codes named: one, several, or comma lists of them ("32.79,32.07")."""
    if area is None:
        return []
    given = [area] if isinstance(area, str) else list(area)
    return [code.strip() for text in given for code in text.split(",") if code.strip()]


def _assignment_role(role: StaffRole, code: str | None, *, korwil: bool = False) -> AssignmentRole:
    """A coordinator of one kabupaten/kota is its Korkab; of a province, of the whole
    deployment or of a list of kabupaten/kota (korwil), a Korwil."""
    if role is StaffRole.FACILITATOR:
        return AssignmentRole.PENDAMPING
    if role is StaffRole.VIEWER:
        return AssignmentRole.VIEWER
    if korwil or code is None or level_of(code) != 2:
        return AssignmentRole.KORWIL
    return AssignmentRole.KORKAB


async def _add_area(
    session: AsyncSession, person_id: int, role: StaffRole, code: str, *, korwil: bool = False
) -> None:
    """Add an area; one of the whole deployment becomes one of this area only."""
    await session.execute(
        delete(Assignment).where(
            Assignment.person_id == person_id,
            or_(Assignment.area_code.is_(None), Assignment.area_code == code),
        )
    )
    session.add(
        Assignment(
            person_id=person_id, role=_assignment_role(role, code, korwil=korwil), area_code=code
        )
    )
    await session.flush()


async def list_facilitators(db: SessionFactory, actor: Actor) -> list[tuple[int, str, int]]:
    if not may(actor, Duty.OVERSEE):
        raise CoordinatorsOnly()
    async with db.begin() as session:
        rows = await session.execute(
            select(Person.id, Person.name, func.count(Group.id))
            .outerjoin(Group, (Group.facilitator_id == Person.id) & Group.active.is_(True))
            .where(
                Person.staff_role == StaffRole.FACILITATOR,
                facilitators_condition(actor, act=False),
            )
            .group_by(Person.id, Person.name)
            .order_by(Person.name)
        )
        return [(row[0], row[1], row[2]) for row in rows]


async def reload_actor(db: SessionFactory, actor: Actor) -> tuple[Actor, bool]:
    """The actor after a use case changed their roles, and whether their command menu changed
    (it is recorded as shown: the caller updates Telegram's menu when this says so)."""
    async with db.begin() as session:
        person = await session.get_one(Person, actor.person_id)
        fresh = await load_actor(session, person, person.language or actor.language)
        changed = person.menu != fresh.role
        person.menu = fresh.role
        return fresh, changed


async def wants_private_reminders(db: SessionFactory, person_id: int) -> bool:
    async with db.begin() as session:
        return bool((await session.get_one(Person, person_id)).private_reminders)


async def set_private_reminders(db: SessionFactory, person_id: int, wanted: bool) -> None:
    async with db.begin() as session:
        person = await session.get_one(Person, person_id)
        person.private_reminders = wanted
