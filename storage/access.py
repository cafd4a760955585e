"""Who may see and do what: the one place that decides it.

A coordinator covers the areas of her assignments (Actor.areas: None is the whole deployment,
as every coordinator did before areas existed); a facilitator her own groups, and places new
ones only inside her kecamatan when she has any; a viewer reads (never changes) the groups of
her area or of the whole deployment; a chair the groups she chairs. Use cases ask this module
for a condition or a select of the group ids a person may read or act on (in the style of
polar's get_readable_statement) and add it to their own query, or ask can() about a group
they already loaded; handlers ask may() whether a role reaches a screen at all. No other
module should branch on role names to decide access.

Groups not yet placed in a desa (Group.area_code is None) are seen only by coordinators and
viewers of the whole deployment: a coordinator of Kota Banjar sees only the groups placed in
Kota Banjar."""

from __future__ import annotations

import enum
from typing import Protocol

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.areas.codes import covers, level_of
from storage.models import Area, Assignment, AuditEntry, Group, InviteKind, Person, StaffRole
from storage.models.attendance import AttendanceSource
from storage.models.complaints import PROTECTED_CATEGORIES as PROTECTED
from storage.models.complaints import Complaint
from storage.roles import Role


class Action(enum.StrEnum):
    READ = "read"  # see the group, its meetings, its numbers (reports, exports, charts)
    MANAGE = "manage"  # change it: meetings, roster, roll calls, announcements, confirmations
    COMPLAINTS = "complaints"  # read and handle ordinary complaints of its members
    PROTECTED = "protected"  # complaints about the facilitator, the chair, or cuts from aid
    PROGRAMME_IDS = "programme_ids"  # members' ID KPM (exports, roster)
    PHOTO = "photo"  # add the activity record's photo to the group's meetings


# Who holds each right, an allow-list: "area" is a coordinator whose area holds the group,
# "view" a viewer whose area holds it, "own" the group's facilitator, "chair" its chair. A
# holder not listed for a right does not have it: a new role sees nothing until added here.
RIGHTS: dict[Action, frozenset[str]] = {
    Action.READ: frozenset({"area", "view", "own", "chair"}),
    Action.MANAGE: frozenset({"area", "own"}),
    Action.COMPLAINTS: frozenset({"area", "own"}),
    Action.PROTECTED: frozenset({"area"}),
    Action.PROGRAMME_IDS: frozenset({"area", "own"}),
    Action.PHOTO: frozenset({"own", "chair"}),
}


class PlacedGroup(Protocol):
    """A group as loaded (models.Group) or as a snapshot (views.GroupView)."""

    @property
    def id(self) -> int: ...
    @property
    def facilitator_id(self) -> int: ...
    @property
    def area_code(self) -> str | None: ...


class Duty(enum.StrEnum):
    """What a person may do outside one group: which screens and commands she reaches (the
    use case behind each still checks the group, the ticket or the area)."""

    ANYONE = "anyone"
    STAFF = "staff"  # groups, rosters, meetings, announcements, complaints of her groups
    READ_PROGRAMME = "read_programme"  # the lists of groups and the status board: also viewers
    REPORTS = "reports"  # /laporan, /ekspor, /grafik: also viewers and chairs (their group)
    FACILITATE = "facilitate"  # create groups and plan their meetings
    COORDINATE = "coordinate"  # invite staff, hand complaints over, the activity trail
    OVERSEE = "oversee"  # the board and list of facilitators: coordinators and viewers


# Which roles each duty admits, an allow-list (handlers/base.Audience reads it).
DUTIES: dict[Duty, frozenset[Role]] = {
    Duty.ANYONE: frozenset(Role),
    Duty.STAFF: frozenset({Role.COORDINATOR, Role.FACILITATOR}),
    Duty.READ_PROGRAMME: frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.VIEWER}),
    Duty.REPORTS: frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.VIEWER, Role.CHAIR}),
    Duty.FACILITATE: frozenset({Role.FACILITATOR}),
    Duty.COORDINATE: frozenset({Role.COORDINATOR}),
    Duty.OVERSEE: frozenset({Role.COORDINATOR, Role.VIEWER}),
}


def may(actor: Actor, duty: Duty) -> bool:
    return actor.role in DUTIES[duty]


def report_audience(actor: Actor) -> Role | None:
    """The shape of this person's report (a viewer reads a coordinator's: by facilitator),
    or None when she has none."""
    if not may(actor, Duty.REPORTS):
        return None
    return Role.COORDINATOR if actor.is_viewer else actor.role


def _covers_areas(actor: Actor) -> bool:
    """Whether this person's areas decide what she covers (a coordinator's or a viewer's)."""
    return actor.is_coordinator or actor.is_viewer


def _area_condition(actor: Actor) -> ColumnElement[bool]:
    if not _covers_areas(actor):
        return false()
    if actor.areas is None:
        return true()
    if not actor.areas:
        return false()
    return or_(
        *(or_(Group.area_code == area, Group.area_code.like(area + ".%")) for area in actor.areas)
    )


def group_condition(actor: Actor, action: Action) -> ColumnElement[bool]:
    """A condition on Group: the groups this person may do `action` on."""
    rights = RIGHTS[action]
    parts: list[ColumnElement[bool]] = []
    if "area" in rights and actor.is_coordinator:
        parts.append(_area_condition(actor))
    if "view" in rights and actor.is_viewer:
        parts.append(_area_condition(actor))
    if "own" in rights and actor.is_facilitator:
        parts.append(Group.facilitator_id == actor.person_id)
    if "chair" in rights and actor.chair_of:
        parts.append(Group.id.in_(sorted(actor.chair_of)))
    return or_(*parts) if parts else false()


def holds(actor: Actor, action: Action) -> bool:
    """Whether this person holds `action` on some group at all (a first check, before the
    use case looks at the group): a coordinator "area", a viewer "view", a facilitator "own",
    the chair of a group "chair"."""
    rights = RIGHTS[action]
    return (
        ("area" in rights and actor.is_coordinator)
        or ("view" in rights and actor.is_viewer)
        or ("own" in rights and actor.is_facilitator)
        or ("chair" in rights and bool(actor.chair_of))
    )


def roll_call_source(actor: Actor, group: PlacedGroup) -> AttendanceSource | None:
    """Whom a roll call line she marks is recorded as from: the group's staff (its
    facilitator, a coordinator of its area) or its chair; None when she may not mark it."""
    if can(actor, Action.MANAGE, group):
        return AttendanceSource.FACILITATOR
    if group.id in actor.chair_of:
        return AttendanceSource.CHAIR
    return None


def readable_groups(actor: Actor, action: Action = Action.READ) -> Select[tuple[int]]:
    """The ids of the groups this person may do `action` on, as a subquery to filter by."""
    return select(Group.id).where(group_condition(actor, action))


def in_area(actor: Actor, area_code: str | None) -> bool:
    if not _covers_areas(actor):
        return False
    if actor.areas is None:
        return True
    if area_code is None:
        return False
    return any(area_code == a or area_code.startswith(a + ".") for a in actor.areas)


def can(actor: Actor, action: Action, group: PlacedGroup) -> bool:
    """Whether this person may do `action` on a group already loaded."""
    rights = RIGHTS[action]
    return (
        ("area" in rights and actor.is_coordinator and in_area(actor, group.area_code))
        or ("view" in rights and actor.is_viewer and in_area(actor, group.area_code))
        or ("own" in rights and actor.is_facilitator and group.facilitator_id == actor.person_id)
        or ("chair" in rights and group.id in actor.chair_of)
    )


def complaint_condition(actor: Actor) -> ColumnElement[bool]:
    """A condition on Complaint: the tickets this person may read and handle.

    A coordinator: every ticket of the groups in her area, protected or not. A facilitator:
    the ordinary tickets of her groups and those handed to her; never a protected one (it may
    be about her), not even after a handover."""
    parts: list[ColumnElement[bool]] = [
        Complaint.group_id.in_(readable_groups(actor, Action.PROTECTED))
    ]
    if actor.is_facilitator:
        parts.append(
            and_(
                or_(
                    Complaint.facilitator_id == actor.person_id,
                    Complaint.group_id.in_(readable_groups(actor, Action.COMPLAINTS)),
                ),
                Complaint.category.not_in(PROTECTED),
            )
        )
    return or_(*parts)


def covering_codes(area_code: str | None) -> list[str]:
    """The area and every area above it: the assignments whose holders cover a group there."""
    if area_code is None:
        return []
    parts = area_code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def coordinators_of(area_code: str | None) -> ColumnElement[bool]:
    """A condition on Person: the coordinators whose areas hold a group placed at area_code
    (those of the whole deployment always; a group not placed has only those)."""
    covering = select(Assignment.person_id).where(
        or_(Assignment.area_code.is_(None), Assignment.area_code.in_(covering_codes(area_code)))
    )
    return and_(
        Person.staff_role == StaffRole.COORDINATOR,
        or_(Person.id.not_in(select(Assignment.person_id)), Person.id.in_(covering)),
    )


def listed_groups(actor: Actor) -> ColumnElement[bool]:
    """A condition on Group: the groups in this person's lists (her menus, meetings to come):
    staff the groups they manage, a viewer those she reads, others the groups they belong to
    or chair."""
    if actor.is_staff:
        return group_condition(actor, Action.MANAGE)
    if actor.is_viewer:
        return group_condition(actor, Action.READ)
    return Group.id.in_(sorted(actor.member_of | actor.chair_of))


def _oversight(act: bool) -> Duty:
    # Reading a facilitator's board: coordinators and viewers; acting on it (chasing chairs,
    # locking a month, handing complaints over): coordinators only.
    return Duty.COORDINATE if act else Duty.OVERSEE


def may_oversee(actor: Actor, facilitator_id: int, *, act: bool = True) -> bool:
    """A first check without the database: the facilitator herself, or a coordinator (or, to
    read, a viewer), whose area is checked by oversees() inside the use case."""
    return may(actor, _oversight(act)) or (
        actor.is_facilitator and actor.person_id == facilitator_id
    )


async def oversees(
    session: AsyncSession, actor: Actor, facilitator_id: int, *, act: bool = True
) -> bool:
    """Whether this person may see (act=False) or act on a facilitator's board: the
    facilitator herself, or a coordinator (a viewer, to see) with one of the facilitator's
    groups in her area."""
    if actor.is_facilitator and actor.person_id == facilitator_id:
        return True
    found = await session.scalar(
        select(Person.id).where(Person.id == facilitator_id, facilitators_condition(actor, act=act))
    )
    return found is not None


def facilitators_condition(actor: Actor, *, act: bool = True) -> ColumnElement[bool]:
    """A condition on Person: the facilitators a coordinator oversees, or a viewer reads the
    board of (act=False): those with a group in her area; every one, for one of the whole
    deployment."""
    if not may(actor, _oversight(act)):
        return false()
    if actor.areas is None:
        return true()
    return Person.id.in_(select(Group.facilitator_id).where(_area_condition(actor)))


def report_condition(actor: Actor) -> ColumnElement[bool]:
    """A condition on Group: the groups of this person's monthly report, read in one capacity,
    her strongest (a coordinator's area, a facilitator's own groups, a chair's groups): a
    facilitator who also chairs a group elsewhere does not get it mixed into her report."""
    if actor.is_coordinator or actor.is_viewer:
        return _area_condition(actor)
    if actor.is_facilitator:
        return Group.facilitator_id == actor.person_id
    if actor.chair_of:
        return Group.id.in_(sorted(actor.chair_of))
    return false()


def countable_complaints(actor: Actor) -> ColumnElement[bool]:
    """A condition on Complaint: those whose existence this person may know (to count them in
    reports): ordinary ones of groups she handles complaints for, protected ones only of
    groups she may read protected complaints of."""
    return or_(
        and_(
            Complaint.group_id.in_(readable_groups(actor, Action.COMPLAINTS)),
            Complaint.category.not_in(PROTECTED),
        ),
        Complaint.group_id.in_(readable_groups(actor, Action.PROTECTED)),
    )


async def placement_scope(session: AsyncSession, actor: Actor) -> list[str] | None:
    """The area codes this person may place a group in (None: anywhere).

    A coordinator: her areas. A facilitator: her kecamatan; one without any (as before areas
    existed) the provinces of the groups she already placed, anywhere for her first group."""
    if actor.is_coordinator:
        return None if actor.areas is None else sorted(actor.areas)
    if not actor.is_facilitator:
        return []
    if actor.areas is not None:
        return sorted(actor.areas)
    placed = await session.scalars(
        select(Group.area_code).where(
            Group.facilitator_id == actor.person_id, Group.area_code.is_not(None)
        )
    )
    provinces = sorted({code[:2] for code in placed if code})
    return provinces or None


def bounded_by_kecamatan(actor: Actor) -> bool:
    """A pendamping of named kecamatan places groups only there (and is told which)."""
    return actor.is_facilitator and actor.areas is not None


async def coordinator_areas(session: AsyncSession, area_code: str | None) -> tuple[list[str], bool]:
    """Who, among active coordinators, covers a group placed at area_code: the names of the
    areas of those assigned to an area that holds it (nearest first), and whether any
    coordinator covers the whole deployment. Members are told this before they send."""
    rows = (
        await session.execute(
            select(Assignment.area_code, Area.name)
            .join(Person, Person.id == Assignment.person_id)
            .outerjoin(Area, Area.code == Assignment.area_code)
            .where(coordinators_of(area_code), Person.active.is_(True))
        )
    ).tuples()
    found = list(rows)
    unassigned = await session.scalar(
        select(Person.id)
        .where(
            Person.staff_role == StaffRole.COORDINATOR,
            Person.active.is_(True),
            Person.id.not_in(select(Assignment.person_id)),
        )
        .limit(1)
    )
    whole = unassigned is not None or any(code is None for code, _ in found)
    named = sorted(
        {(code, name or code) for code, name in found if code is not None},
        key=lambda pair: -len(pair[0]),
    )
    return [name for _, name in named], whole


class InviteRefused(enum.StrEnum):
    """Why a person may not invite staff into an area (storage/joining/staff_invites.py raises the
    matching refusal, views/refusals.py words it)."""

    NOT_COORDINATOR = "not_coordinator"
    NEEDS_KECAMATAN = "needs_kecamatan"  # a Korkab names the pendamping's kecamatan
    NOT_KECAMATAN = "not_kecamatan"
    NOT_KABUPATEN = "not_kabupaten"
    OUTSIDE = "outside"
    KORWIL_ONLY = "korwil_only"  # a Korkab does not invite Korkab


def invite_refusal(actor: Actor, kind: InviteKind, area_code: str | None) -> InviteRefused | None:
    """Whether this person may invite staff of this kind into this area, and if not why.

    A coordinator invites pendamping into a kecamatan of her area (one of the whole
    deployment may also invite one without a kecamatan, as before areas existed); a Korwil
    invites Korkab into a kabupaten/kota of hers. Nobody invites outside or above her area."""
    if not actor.is_coordinator:
        return InviteRefused.NOT_COORDINATOR
    if kind is InviteKind.FACILITATOR:
        if area_code is None:
            return None if actor.areas is None else InviteRefused.NEEDS_KECAMATAN
        if level_of(area_code) != 3:
            return InviteRefused.NOT_KECAMATAN
    elif kind is InviteKind.COORDINATOR:
        if not actor.korwil:
            return InviteRefused.KORWIL_ONLY
        if area_code is None or level_of(area_code) != 2:
            return InviteRefused.NOT_KABUPATEN
    else:
        return InviteRefused.NOT_COORDINATOR
    if actor.areas is not None and not any(covers(area, area_code) for area in actor.areas):
        return InviteRefused.OUTSIDE
    return None


def invitable_within(actor: Actor) -> list[str] | None:
    """The areas a coordinator looks for kecamatan or kabupaten/kota to invite into (None:
    anywhere)."""
    return None if actor.areas is None else sorted(actor.areas)


def reader_area(actor: Actor) -> str | None:
    """The area a read of several groups is filed under in the audit trail: the one area
    every one of hers lies in (a Korwil of 32.79 and 32.07: 32), None for the whole
    deployment or when they share none."""
    if not actor.areas:
        return None
    parts = [code.split(".") for code in sorted(actor.areas)]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return ".".join(common) or None


def trail_condition(actor: Actor) -> ColumnElement[bool]:
    """A condition on AuditEntry: the entries of the trail (/jejak) this person reads: a
    coordinator those filed under her areas, one of the whole deployment every one; nobody
    else any."""
    if not may(actor, Duty.COORDINATE):
        return false()
    if actor.areas is None:
        return true()
    if not actor.areas:
        return false()
    return or_(
        *(
            or_(AuditEntry.area_code == area, AuditEntry.area_code.like(area + ".%"))
            for area in actor.areas
        )
    )
