"""Use cases about a person's own settings and the input they are in the middle of."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from storage.actors import Actor, TelegramUser, load_actor, upsert_person
from storage.db import SessionFactory
from storage.errors import NotAllowed
from storage.models import AuditEntry, Group, Person, StaffRole


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


async def add_staff(
    db: SessionFactory, telegram_user_id: int, name: str, role: StaffRole
) -> tuple[int, bool]:
    """Register a coordinator or facilitator from the command line; returns (id, created)."""
    async with db.begin() as session:
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
        person.name = name
        person.staff_role = role
        person.active = True
        await session.flush()
        session.add(
            AuditEntry(actor_id=None, action=f"cli.add_{role.value}", detail=str(telegram_user_id))
        )
        return person.id, created


async def list_facilitators(db: SessionFactory, actor: Actor) -> list[tuple[int, str, int]]:
    if not actor.is_coordinator:
        raise NotAllowed("errors.coordinators_only")
    async with db.begin() as session:
        rows = await session.execute(
            select(Person.id, Person.name, func.count(Group.id))
            .outerjoin(Group, (Group.facilitator_id == Person.id) & Group.active.is_(True))
            .where(Person.staff_role == StaffRole.FACILITATOR)
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
