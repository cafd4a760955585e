"""Who is talking: the person behind a Telegram user and the roles they hold."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Area, Assignment, AssignmentRole, Group, Member, Person, StaffRole
from storage.roles import Role


@dataclass(frozen=True)
class TelegramUser:
    id: int
    full_name: str
    language_code: str | None


@dataclass(frozen=True)
class Actor:
    person_id: int
    telegram_user_id: int
    name: str
    language: str
    staff_role: StaffRole | None
    chair_of: frozenset[int] = field(default_factory=frozenset)
    member_of: frozenset[int] = field(default_factory=frozenset)
    # The area codes of her assignments. A coordinator's or viewer's: None is the whole
    # deployment. A facilitator's: her kecamatan, None when she has none (she works as before
    # areas existed). Read by storage/access.py only.
    areas: frozenset[str] | None = None
    # Their names ("Kota Banjar"), for her menu and screens.
    area_names: tuple[str, ...] = ()
    # A coordinator who holds a Korwil assignment (a province, a list of kabupaten/kota, or
    # the whole deployment): she may invite Korkab; a Korkab may not.
    korwil: bool = False

    @property
    def is_coordinator(self) -> bool:
        return self.staff_role is StaffRole.COORDINATOR

    @property
    def is_facilitator(self) -> bool:
        return self.staff_role is StaffRole.FACILITATOR

    @property
    def is_viewer(self) -> bool:
        return self.staff_role is StaffRole.VIEWER

    @property
    def is_staff(self) -> bool:
        """Staff who act on groups; a viewer only reads, and is not."""
        return self.is_coordinator or self.is_facilitator

    @property
    def is_chair(self) -> bool:
        return bool(self.chair_of)

    @property
    def role(self) -> Role:
        """The strongest of this person's roles (her menu, her help, what she may do)."""
        if self.is_coordinator:
            return Role.COORDINATOR
        if self.is_facilitator:
            return Role.FACILITATOR
        if self.is_viewer:
            return Role.VIEWER
        if self.is_chair:
            return Role.CHAIR
        return Role.MEMBER if self.member_of else Role.NEWCOMER


async def upsert_person(
    session: AsyncSession,
    user: TelegramUser,
    admin_ids: tuple[int, ...],
    default_language: str,
    private_chat: bool,
) -> Person:
    """Find or create the person; coordinators listed in P2K2_ADMIN_IDS get their role."""
    person = await session.scalar(select(Person).where(Person.telegram_user_id == user.id))
    if person is None:
        person = Person(
            telegram_user_id=user.id,
            name=user.full_name[:200] or str(user.id),
            language=None,
            active=True,
            private_chat_open=False,
            private_reminders=True,
        )
        session.add(person)
    if user.id in admin_ids and person.staff_role is None:
        person.staff_role = StaffRole.COORDINATOR
        await session.flush()
        await cover_whole_deployment(session, person.id)
    if private_chat:
        person.private_chat_open = True
        person.blocked_bot_at = None
    await session.flush()
    return person


async def load_actor(session: AsyncSession, person: Person, language: str) -> Actor:
    # Her active roster lines, each with the active group she chairs through it, if any: one
    # statement for both.
    memberships = (
        await session.execute(
            select(Member.group_id, Group.id)
            .outerjoin(Group, and_(Group.chair_member_id == Member.id, Group.active.is_(True)))
            .where(Member.person_id == person.id, Member.active.is_(True))
        )
    ).all()
    chair_groups = {chaired for _, chaired in memberships if chaired is not None}
    staff_role = person.staff_role if person.active else None
    assigned = await _assignments(session, person.id) if staff_role is not None else []
    areas = _areas(assigned)
    return Actor(
        person_id=person.id,
        telegram_user_id=person.telegram_user_id or 0,
        name=person.name,
        language=person.language or language,
        staff_role=staff_role,
        chair_of=frozenset(chair_groups),
        member_of=frozenset(group_id for group_id, _ in memberships),
        areas=areas,
        area_names=await _area_names(session, areas),
        korwil=staff_role is StaffRole.COORDINATOR
        and (areas is None or any(role is AssignmentRole.KORWIL for role, _ in assigned)),
    )


async def _assignments(
    session: AsyncSession, person_id: int
) -> list[tuple[AssignmentRole, str | None]]:
    rows = await session.execute(
        select(Assignment.role, Assignment.area_code).where(Assignment.person_id == person_id)
    )
    return list(rows.tuples())


def _areas(assigned: list[tuple[AssignmentRole, str | None]]) -> frozenset[str] | None:
    """The areas of her assignments; None (the whole deployment for a coordinator or a viewer,
    no kecamatan for a pendamping) when one has no area, or when she has none at all (a
    deployment that sets no areas works as before)."""
    codes = [code for _, code in assigned]
    if not codes or None in codes:
        return None
    return frozenset(code for code in codes if code is not None)


async def _area_names(session: AsyncSession, areas: frozenset[str] | None) -> tuple[str, ...]:
    """Her areas' names; a kecamatan with its kabupaten/kota ("Kecamatan Banjar, Kota
    Banjar"), since kecamatan share names across the country."""
    if not areas:
        return ()
    wanted = sorted(areas | {code.rsplit(".", 1)[0] for code in areas if code.count(".") == 2})
    rows = await session.execute(select(Area.code, Area.name).where(Area.code.in_(wanted)))
    names = dict(rows.tuples().all())

    def named(code: str) -> str:
        name = names.get(code, code)
        if code.count(".") != 2:
            return name
        parent = names.get(code.rsplit(".", 1)[0])
        return f"Kecamatan {name}, {parent}" if parent else f"Kecamatan {name}"

    return tuple(named(code) for code in sorted(areas))


async def cover_whole_deployment(
    session: AsyncSession, person_id: int, role: AssignmentRole = AssignmentRole.KORWIL
) -> None:
    """Make a coordinator (or a viewer) one of the whole deployment (her area assignments
    go)."""
    await session.execute(delete(Assignment).where(Assignment.person_id == person_id))
    session.add(Assignment(person_id=person_id, role=role, area_code=None))
    await session.flush()
