"""Who reads a complaint, level by level: the one rule the filing, the forward, the SLA climb
and the text shown before sending all use.

The levels, nearest first: the group's pendamping, the Korkab of its kabupaten/kota, the
Korwil of its province (or of a list of kabupaten/kota holding it), the coordinators of the
whole deployment (those with no area, as every coordinator was before areas existed), and
the level above the top area (P2K2_COMPLAINT_ESCALATION_IDS). A protected complaint (cuts from
the aid, or about the pendamping or the chair) skips the pendamping.

A level counts only when someone there can be reached now: an active person with a Telegram
account who has not blocked the bot. The first level that can be is told at once; each next
one after one more SLA, unless someone answered in the meantime, decided when that step is
due (storage/complaints/climbing.py). When no level can be reached the member is told so,
and where else to go."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.access import covering_codes
from storage.complaints.constants import (
    CLIMB_KIND,
    ESCALATION_KIND,
    NEW_KIND,
    PROTECTED_KIND,
    is_protected,
)
from storage.complaints.views import Level, Readers, Route
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.models import Area, Assignment, AssignmentRole, Group, Person, StaffRole
from storage.models.complaints import Complaint, ComplaintCategory

_REACHABLE = and_(
    Person.active.is_(True),
    Person.telegram_user_id.is_not(None),
    Person.blocked_bot_at.is_(None),
)


async def route(
    session: AsyncSession,
    group: Group,
    facilitator_id: int,
    category: ComplaintCategory,
    above: Iterable[int] = (),
    *,
    start: Level = Level.PENDAMPING,
) -> Route:
    """The levels that can be reached now, nearest first, from `start` up."""
    found: list[Readers] = []
    if not is_protected(category) and start is Level.PENDAMPING:
        pendamping = (
            await session.execute(
                select(Person.id, Person.telegram_user_id, Person.name).where(
                    Person.id == facilitator_id, Person.staff_role.is_not(None), _REACHABLE
                )
            )
        ).first()
        if pendamping is not None:
            found.append(
                Readers(Level.PENDAMPING, ((pendamping[0], pendamping[1]),), (pendamping[2],))
            )
    for readers in await _coordinators(session, group.area_code):
        if readers.level >= start:
            found.append(readers)
    top = await _above(session, above)
    if top is not None:
        found.append(top)
    return Route(tuple(found))


async def _coordinators(session: AsyncSession, area_code: str | None) -> list[Readers]:
    """The reachable coordinators over a group placed at area_code, by level."""
    covering = covering_codes(area_code)
    rows = await session.execute(
        select(Person.id, Person.telegram_user_id, Assignment.role, Assignment.area_code, Area.name)
        .outerjoin(Assignment, Assignment.person_id == Person.id)
        .outerjoin(Area, Area.code == Assignment.area_code)
        .where(
            Person.staff_role == StaffRole.COORDINATOR,
            _REACHABLE,
            or_(
                Assignment.id.is_(None),  # no assignment at all: the whole deployment
                Assignment.area_code.is_(None),
                Assignment.area_code.in_(covering),
            ),
        )
        .order_by(Person.id)
    )
    people: dict[Level, dict[int, int]] = {}
    names: dict[Level, dict[str, str]] = {}
    for person_id, chat, role, code, name in rows.tuples():
        if code is None:
            level = Level.WHOLE
        elif role is AssignmentRole.KORKAB:
            level = Level.KORKAB
        else:
            level = Level.KORWIL
        if chat is not None:  # always: _REACHABLE asks for one
            people.setdefault(level, {})[person_id] = chat
        if code is not None:
            names.setdefault(level, {})[code] = name or code
    return [
        Readers(
            level,
            tuple(people[level].items()),
            tuple(names.get(level, {})[code] for code in sorted(names.get(level, {}))),
        )
        for level in sorted(people)
    ]


async def _above(session: AsyncSession, chats: Iterable[int]) -> Readers | None:
    """The level above the top area, by Telegram user id; one who blocked the bot is not
    counted (one the bot never met is: the id is the operator's word that she exists)."""
    wanted = list(dict.fromkeys(chats))
    if not wanted:
        return None
    rows = await session.execute(
        select(Person.telegram_user_id, Person.id, Person.blocked_bot_at).where(
            Person.telegram_user_id.in_(wanted)
        )
    )
    known = {chat: (person_id, blocked) for chat, person_id, blocked in rows.tuples()}
    reachable = tuple(
        (known[chat][0] if chat in known else None, chat)
        for chat in wanted
        if chat not in known or known[chat][1] is None
    )
    return Readers(Level.ABOVE, reachable, ()) if reachable else None


async def still_reached(
    session: AsyncSession,
    complaint: Complaint,
    level: Level,
    person_id: int | None,
    chat: int,
    above: Iterable[int],
) -> bool:
    """Whether this person is, now, one of the reachable readers of the complaint's `level`:
    an escalation row is checked when it is due, so a coordinator taken off the area (or made
    inactive, or who blocked the bot) since is skipped. This matters for the rows earlier
    versions planned per person at the filing; a climb step's rows are due when written."""
    group = await session.get_one(Group, complaint.group_id)
    found = await route(
        session, group, complaint.facilitator_id, complaint.category, above, start=level
    )
    return any(
        readers.level is level
        and any(c == chat and (person_id is None or p == person_id) for p, c in readers.people)
        for readers in found.levels
    )


async def route_of(session: AsyncSession, complaint: Complaint, above: Iterable[int]) -> Route:
    group = await session.get_one(Group, complaint.group_id)
    return await route(session, group, complaint.facilitator_id, complaint.category, above)


async def send_along(
    session: AsyncSession,
    complaint: Complaint,
    found: Route,
    now: datetime,
    sla: timedelta,
) -> None:
    """Tell the route's first level now and plan the climb's first step one SLA later: who
    is told at each step is decided when it is due (storage/complaints/climbing.py), so a
    coordinator added after the filing is told too. The step is a row in the database, so a
    restart or a failover loses none."""
    if not found.levels:
        return
    first = found.levels[0]
    await tell(session, complaint, first, now, _first_kind(complaint, first.level), first=True)
    if first.level is not Level.ABOVE:  # nothing is above the level above
        await plan_climb(session, complaint, first.level, 1, now + sla)


def climb_key(complaint_id: int, step: int) -> str:
    return f"complaint:{complaint_id}:climb:{step}"


async def plan_climb(
    session: AsyncSession, complaint: Complaint, told: Level, step: int, due_at: datetime
) -> None:
    """The climb's `step`, due at `due_at`: it sends nothing itself (chat 0, like a replan);
    when due it tells the next level up that can be reached then (climbing.climb_step)."""
    await deliveries.enqueue(
        session,
        key=climb_key(complaint.id, step),
        kind=CLIMB_KIND,
        chat_id=0,
        due_at=due_at,
        group_id=complaint.group_id,
        payload={"complaint_id": complaint.id, "told": told.key, "step": step},
    )


def _first_kind(complaint: Complaint, level: Level) -> DeliveryKind:
    if level is Level.PENDAMPING:
        return NEW_KIND
    if level is Level.ABOVE:
        return ESCALATION_KIND  # no buttons: the level above acts through the coordinators
    return PROTECTED_KIND if is_protected(complaint.category) else ESCALATION_KIND


async def tell(
    session: AsyncSession,
    complaint: Complaint,
    readers: Readers,
    due_at: datetime,
    kind: DeliveryKind,
    *,
    first: bool = False,
    **payload: object,
) -> None:
    """Queue one delivery per reader of `readers`, due at `due_at`. The keys are the same
    for the same complaint, level and person, so a step run twice sends once."""
    for person_id, chat in readers.people:
        if readers.level is Level.PENDAMPING:
            key = f"complaint:{complaint.id}:new"
        elif first and kind is PROTECTED_KIND:
            key = f"complaint:{complaint.id}:protected:{person_id}"
        elif first:
            # Its own key: the same level is reminded at the SLA under the escalation key.
            key = f"complaint:{complaint.id}:climbed:{person_id or chat}"
        elif readers.level is Level.ABOVE:
            key = f"complaint:{complaint.id}:escalate:above:{chat}"
        else:
            key = f"complaint:{complaint.id}:escalate:{readers.level.key}:{person_id}"
        extra: dict[str, object] = {"level": readers.level.key, **payload}
        if readers.level is Level.ABOVE:
            extra["above"] = True
        if first and readers.level is not Level.PENDAMPING and kind is ESCALATION_KIND:
            extra["climbed"] = True  # nobody below could be reached: it came here at once
        await deliveries.enqueue(
            session,
            key=key,
            kind=kind,
            chat_id=chat,
            due_at=due_at,
            person_id=person_id,
            group_id=complaint.group_id,
            payload={"complaint_id": complaint.id, **extra},
        )


async def forward_up(
    session: AsyncSession,
    complaint: Complaint,
    key: str,
    now: datetime,
    above: Iterable[int],
) -> Readers | None:
    """The pendamping forwards: the nearest reachable level above her is told now; None when
    nobody above can be reached."""
    group = await session.get_one(Group, complaint.group_id)
    found = await route(
        session, group, complaint.facilitator_id, complaint.category, above, start=Level.KORKAB
    )
    if not found.levels:
        return None
    readers = found.levels[0]
    for person_id, chat in readers.people:
        await deliveries.enqueue(
            session,
            key=f"{key}:{person_id if person_id is not None else chat}",
            kind=ESCALATION_KIND,
            chat_id=chat,
            due_at=now,
            person_id=person_id,
            group_id=complaint.group_id,
            payload={
                "complaint_id": complaint.id,
                "forwarded": True,
                "level": readers.level.key,
                **({"above": True} if readers.level is Level.ABOVE else {}),
            },
        )
    return readers
