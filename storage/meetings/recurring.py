"""Standing monthly rules per group, and the month's proposal built from them.

A facilitator sets once that Mawar 1 meets "the 2nd Tuesday at 09.00 at the chair's house".
About a week before each month the bot proposes that month's meetings of all her groups on
one screen (a due delivery written here, sent by the dispatcher); she confirms them all with
one tap or changes a date first. Nothing is scheduled until she confirms."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from content.sessions import get_session
from storage import access, deliveries
from storage.actors import Actor
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.errors import FacilitatorsOnly, UseCaseError
from storage.groups import load_managed_group, managed_group_by_code
from storage.meetings.errors import TimePast
from storage.meetings.scheduling import add_meeting, clean_venue, proposed_session
from storage.models import AuditEntry, Group, Meeting, MeetingRule, MeetingStatus, Person
from timekeeping.holidays import Holiday, collective_leave_known, holiday_on, holidays_in
from timekeeping.monthplan import Busy, Proposal, Slot, flag_clashes, propose_day
from timekeeping.months import month_bounds, month_of, shift_month
from timekeeping.recurrence import DayOfMonth, DayRule, NthWeekday
from timekeeping.timeparse import local_to_utc

# The proposal goes out a week before the month, in the morning of the facilitator's day.
PROPOSE_DAYS_BEFORE = 7
PROPOSE_AT = time(8, 0)


class InactiveGroup(UseCaseError):
    """A rule for a group that was closed."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group


class UnknownRuleGroupCode(UseCaseError):
    """A typed group code (in a rule's line) that names none of the facilitator's groups."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


class MonthOutOfRange(UseCaseError):
    """A month to plan that is not next month or later, within a year."""


class DayOutsideMonth(UseCaseError):
    """A changed day outside the month being planned."""


@dataclass(frozen=True)
class RuleView:
    group_id: int
    code: str
    name: str
    timezone: str
    rule: DayRule
    at: time
    venue: str | None  # None: the group's usual place
    usual_venue: str | None

    @property
    def place(self) -> str | None:
        return self.venue or self.usual_venue


@dataclass(frozen=True)
class MonthItem:
    rule: RuleView
    proposal: Proposal
    session_number: int
    already: datetime | None  # a meeting of the group already scheduled that month
    changed: bool  # the facilitator chose another day than the rule's

    @property
    def group_id(self) -> int:
        return self.rule.group_id

    @property
    def to_schedule(self) -> bool:
        return self.already is None and self.proposal.day is not None


@dataclass(frozen=True)
class MonthProposal:
    facilitator_id: int  # whose proposal: its confirm button names her, and only she may press
    month: int
    items: tuple[MonthItem, ...]
    collective_leave_known: bool

    @property
    def ready(self) -> tuple[MonthItem, ...]:
        return tuple(item for item in self.items if item.to_schedule)

    def item(self, group_id: int) -> MonthItem | None:
        return next((i for i in self.items if i.group_id == group_id), None)


@dataclass(frozen=True)
class Confirmed:
    month: int
    scheduled: tuple[MonthItem, ...]
    left: tuple[MonthItem, ...]  # items with no day (to choose) or already scheduled

    @property
    def already(self) -> tuple[MonthItem, ...]:
        """Groups whose meeting of the month was scheduled before this press (by a first
        press of the same button, or by hand)."""
        return tuple(item for item in self.left if item.already is not None)


def rule_of(row: MeetingRule) -> DayRule:
    if row.day is not None:
        return DayOfMonth(row.day)
    assert row.weekday is not None and row.nth is not None
    return NthWeekday(row.weekday, row.nth)


def _view(row: MeetingRule, group: Group) -> RuleView:
    hours, minutes = divmod(row.minute_of_day, 60)
    return RuleView(
        group.id,
        group.code,
        group.name,
        group.timezone,
        rule_of(row),
        time(hours, minutes),
        row.venue,
        group.venue,
    )


# -- the rule -------------------------------------------------------------------------------


async def _facilitated_group(session: AsyncSession, actor: Actor, group_id: int) -> Group:
    group = await load_managed_group(session, actor, group_id)
    if not group.active:
        raise InactiveGroup(group.name)
    return group


async def group_id_for_code(db: SessionFactory, actor: Actor, code: str) -> int:
    async with db.begin() as session:
        group = await managed_group_by_code(session, actor, code)
        if group is None:
            raise UnknownRuleGroupCode(code.strip()[:20])
        await _facilitated_group(session, actor, group.id)
        return group.id


async def set_rule(
    db: SessionFactory,
    actor: Actor,
    group_id: int,
    rule: DayRule,
    at: time,
    venue: str | None,
    now: datetime,
) -> RuleView:
    """Save (or replace) the group's rule and plan the next monthly proposal."""
    venue = clean_venue(venue)
    async with db.begin() as session:
        group = await _facilitated_group(session, actor, group_id)
        row = await session.scalar(select(MeetingRule).where(MeetingRule.group_id == group.id))
        if row is None:
            row = MeetingRule(group_id=group.id)
            session.add(row)
        if isinstance(rule, NthWeekday):
            row.weekday, row.nth, row.day = rule.weekday, rule.nth, None
        else:
            row.weekday, row.nth, row.day = None, None, rule.day
        row.minute_of_day = at.hour * 60 + at.minute
        row.venue = venue
        row.updated_by = actor.person_id
        row.updated_at = now
        await session.flush()
        session.add(
            AuditEntry(
                actor_id=actor.person_id,
                action="rule.set",
                detail=f"{group.code} {rule} {at.isoformat('minutes')}",
            )
        )
        await enqueue_next_proposal(session, group.facilitator_id, now)
        return _view(row, group)


async def clear_rule(db: SessionFactory, actor: Actor, group_id: int) -> None:
    async with db.begin() as session:
        group = await _facilitated_group(session, actor, group_id)
        row = await session.scalar(select(MeetingRule).where(MeetingRule.group_id == group.id))
        if row is not None:
            await session.delete(row)
            session.add(
                AuditEntry(actor_id=actor.person_id, action="rule.clear", detail=group.code)
            )


async def _rules(session: AsyncSession, facilitator_id: int) -> list[RuleView]:
    rows = await session.execute(
        select(MeetingRule, Group)
        .join(Group, Group.id == MeetingRule.group_id)
        .where(Group.facilitator_id == facilitator_id, Group.active.is_(True))
        .order_by(Group.name, Group.id)
    )
    return [_view(rule, group) for rule, group in rows.tuples()]


async def rules_of(db: SessionFactory, actor: Actor) -> list[RuleView]:
    """The facilitator's groups that have a rule."""
    async with db.begin() as session:
        return await _rules(session, actor.person_id)


async def group_rule(db: SessionFactory, actor: Actor, group_id: int) -> RuleView | None:
    async with db.begin() as session:
        group = await _facilitated_group(session, actor, group_id)
        row = await session.scalar(select(MeetingRule).where(MeetingRule.group_id == group.id))
        return _view(row, group) if row is not None else None


# -- the month's proposal -------------------------------------------------------------------


def next_month_of(now: datetime, timezone: str) -> int:
    return shift_month(month_of(now, timezone), 1)


def _busy(rows: Iterable[tuple[Meeting, Group]]) -> list[Busy]:
    return [
        Busy(group.id, meeting.starts_at, timedelta(minutes=meeting.duration_minutes))
        for meeting, group in rows
    ]


def _apply_change(proposal: Proposal, day: date, lang: str = "id") -> Proposal:
    """The facilitator's own day replaces the rule's: the old flags no longer apply."""
    return Proposal(proposal.slot, proposal.rule_day, day, holiday_on(day, lang))


async def _proposal(
    session: AsyncSession,
    facilitator_id: int,
    month: int,
    changes: Mapping[int, date],
    lang: str,
) -> MonthProposal:
    rules = await _rules(session, facilitator_id)
    year, number = divmod(month, 100)
    zones = {rule.timezone for rule in rules} or {"Asia/Jakarta"}
    lo = min(month_bounds(month, zone)[0] for zone in zones)
    hi = max(month_bounds(month, zone)[1] for zone in zones)
    existing = (
        await session.execute(
            select(Meeting, Group)
            .join(Group, Group.id == Meeting.group_id)
            .where(
                Group.facilitator_id == facilitator_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at >= lo,
                Meeting.starts_at < hi,
            )
        )
    ).tuples()
    existing_rows = [(m, g) for m, g in existing if month_of(m.starts_at, g.timezone) == month]
    already = {g.id: m.starts_at for m, g in sorted(existing_rows, key=lambda r: r[0].starts_at)}

    def named(day: date) -> Holiday | None:
        return holiday_on(day, lang)

    sessions: list[int] = []
    proposals: list[Proposal] = []
    for rule in rules:
        sessions.append(await proposed_session(session, rule.group_id))
        length = timedelta(minutes=get_session(sessions[-1], "id").duration_minutes)
        slot = Slot(rule.group_id, rule.rule, rule.at, rule.timezone, length)
        proposal = propose_day(slot, year, number, named)
        if rule.group_id in changes:
            proposal = _apply_change(proposal, changes[rule.group_id], lang)
        proposals.append(proposal)
    # Only meetings still to be scheduled can clash; a group already scheduled is left be.
    open_ones = [i for i, rule in enumerate(rules) if rule.group_id not in already]
    checked = flag_clashes([proposals[i] for i in open_ones], _busy(existing_rows))
    for index, proposal in zip(open_ones, checked, strict=True):
        proposals[index] = proposal
    items = tuple(
        MonthItem(
            rule,
            proposal,
            number_,
            already.get(rule.group_id),
            rule.group_id in changes,
        )
        for rule, proposal, number_ in zip(rules, proposals, sessions, strict=True)
    )
    return MonthProposal(facilitator_id, month, items, collective_leave_known(year))


async def _warm_holidays(month: int, lang: str) -> None:
    """Compute the year's holidays in a thread: the first time takes a moment of CPU (lunar
    calendars), which would otherwise stall every chat the event loop is serving."""
    for language in {lang, "id"}:  # "id" also answers collective_leave_known
        await asyncio.to_thread(holidays_in, month // 100, month % 100, language)


def check_plannable(month: int, now: datetime) -> None:
    """Next month or later (within a year): this month's meetings are scheduled one by one."""
    this = month_of(now, "Asia/Jakarta")
    if not 1 <= month % 100 <= 12 or month < this or month > shift_month(this, 12):
        raise MonthOutOfRange()


async def propose_month(
    db: SessionFactory,
    actor: Actor,
    month: int,
    now: datetime,
    changes: Mapping[int, date] | None = None,
) -> MonthProposal:
    """The month's meetings of all the facilitator's groups with a rule, nothing saved."""
    if not access.may(actor, access.Duty.FACILITATE):
        raise FacilitatorsOnly()
    check_plannable(month, now)
    await _warm_holidays(month, actor.language)
    async with db.begin() as session:
        return await _proposal(session, actor.person_id, month, changes or {}, actor.language)


async def proposal_for(db: SessionFactory, person_id: int, month: int, lang: str) -> MonthProposal:
    """The same for the dispatcher, which composes the proposal when it is due."""
    await _warm_holidays(month, lang)
    async with db.begin() as session:
        return await _proposal(session, person_id, month, {}, lang)


def check_changed_day(day: date, month: int, rule: RuleView, now: datetime) -> None:
    if day.year * 100 + day.month != month:
        raise DayOutsideMonth()
    if local_to_utc(day, rule.at, rule.timezone) <= now:
        raise TimePast()


async def confirm_month(
    db: SessionFactory,
    actor: Actor,
    month: int,
    changes: Mapping[int, date],
    now: datetime,
    offsets: Iterable[timedelta],
) -> Confirmed:
    """Schedule every proposed meeting that has a day, in one transaction."""
    if not access.may(actor, access.Duty.FACILITATE):
        raise FacilitatorsOnly()
    check_plannable(month, now)
    offsets = tuple(offsets)
    await _warm_holidays(month, actor.language)
    async with db.begin() as session:
        proposal = await _proposal(session, actor.person_id, month, changes, actor.language)
        scheduled, left = [], []
        for item in proposal.items:
            starts_at = item.proposal.starts_at
            if not item.to_schedule or starts_at is None or starts_at <= now:
                left.append(item)
                continue
            group = await _facilitated_group(session, actor, item.group_id)
            await add_meeting(
                session,
                actor,
                group,
                item.session_number,
                starts_at,
                # The rule's own place, or the group's usual place when the rule follows it:
                # a meeting keeps the place it was scheduled with, and members are told it.
                item.rule.place,
                now,
                offsets,
            )
            scheduled.append(item)
        await enqueue_next_proposal(session, actor.person_id, now)
        return Confirmed(month, tuple(scheduled), tuple(left))


# -- the monthly delivery -------------------------------------------------------------------


def proposal_due(month: int, timezone: str) -> datetime:
    first = date(month // 100, month % 100, 1)
    return local_to_utc(first - timedelta(days=PROPOSE_DAYS_BEFORE), PROPOSE_AT, timezone)


async def enqueue_next_proposal(session: AsyncSession, facilitator_id: int, now: datetime) -> bool:
    """The next month's proposal as a due delivery, unless its time has passed (then the one
    after): a facilitator who sets rules late in a month asks for this month's on demand."""
    person = await session.get(Person, facilitator_id)
    if person is None or person.telegram_user_id is None:
        return False
    rules = await _rules(session, facilitator_id)
    if not rules:
        return False
    zone = rules[0].timezone
    month = next_month_of(now, zone)
    if proposal_due(month, zone) <= now:
        month = shift_month(month, 1)
    return await deliveries.enqueue(
        session,
        key=f"month_plan:{facilitator_id}:{month}",
        kind=DeliveryKind.MONTH_PLAN,
        chat_id=person.telegram_user_id,
        due_at=proposal_due(month, zone),
        person_id=facilitator_id,
        payload={"month": month},
    )
