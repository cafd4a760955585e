"""Monthly P2K2 reports: what happened in each group, rolled up per facilitator.

A coordinator's month covers thousands of groups, so everything is read with a handful of
set-based queries (grouped counts over the month's meetings), never one query per group.
The chat report, the spreadsheet and the chart all read these same numbers."""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import access
from storage.actors import Actor
from storage.audit import Read, record_read, scope_detail
from storage.db import SessionFactory
from storage.errors import NotAllowed, UseCaseError
from storage.models import (
    ActivityEndTime,
    Group,
    Meeting,
    MeetingStatus,
    Member,
    Person,
    QuizPoll,
    Rsvp,
)
from storage.models.attendance import (
    Attendance,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)
from storage.models.complaints import Complaint, ComplaintEvent, ComplaintStatus
from storage.roles import Role
from timekeeping.months import is_month, month_bounds, month_of, month_text, shift_month
from timekeeping.numbers import percent

# The zones furthest east and west: a local month starts first in the east and ends last
# in the west, so rows between those two instants cover every group's month.
EASTMOST, WESTMOST = "Asia/Jayapura", "Asia/Jakarta"
CHART_MONTHS = 6


class MeetingState(enum.StrEnum):
    CONFIRMED = "confirmed"  # the chair confirmed it was held
    HELD = "held"  # attendance was recorded, the chair has not confirmed yet
    NOT_HELD = "not_held"  # the chair said it did not happen
    MOVED = "moved"  # the chair said it moved to another day
    PLANNED = "planned"  # still ahead
    NO_RECORD = "no_record"  # past, and nothing recorded
    CANCELLED = "cancelled"


# What a month "is" for a group when it has several meetings, most telling first.
MONTH_STATE_ORDER = (
    MeetingState.CONFIRMED,
    MeetingState.HELD,
    MeetingState.MOVED,
    MeetingState.NOT_HELD,
    MeetingState.NO_RECORD,
    MeetingState.PLANNED,
    MeetingState.CANCELLED,
)


@dataclass(frozen=True)
class StatusCounts:
    """Attendance by status out of the roster (active members plus anyone recorded)."""

    hadir: int = 0
    izin: int = 0
    sakit: int = 0
    alfa: int = 0
    roster: int = 0

    @property
    def recorded(self) -> int:
        return self.hadir + self.izin + self.sakit + self.alfa

    @property
    def unmarked(self) -> int:
        return max(0, self.roster - self.recorded)

    @property
    def rate(self) -> int | None:
        """Hadir as a whole percentage of the roster (see rate())."""
        return rate(self.hadir, self.roster)

    def of(self, status: AttendanceStatus) -> int:
        return int(getattr(self, status.value))

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(
            self.hadir + other.hadir,
            self.izin + other.izin,
            self.sakit + other.sakit,
            self.alfa + other.alfa,
            self.roster + other.roster,
        )


def rate(hadir: int, roster: int) -> int | None:
    """Attendance as a whole percentage rounded half up (5 of 8 is 63), None when there is
    nothing to divide by: the one rule of timekeeping.numbers.percent, as in files and charts."""
    return percent(hadir, roster)


@dataclass(frozen=True)
class MeetingLine:
    id: int
    group_id: int
    month: int
    starts_at: datetime
    duration_minutes: int
    venue: str | None
    session_number: int
    state: MeetingState
    attendance: StatusCounts
    rsvp_coming: int
    rsvp_not_coming: int
    confirmation_open: bool
    chair_attendees: int | None
    info_passed: bool | None
    chair_notes: str | None
    quiz_participants: int
    written_end: datetime | None = None  # the real end, as the facilitator wrote it

    @property
    def ends_at(self) -> datetime:
        """The real end if written, else the start plus the session's planned length."""
        return self.written_end or self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def counted(self) -> bool:
        """Whether its attendance counts towards rates: held, with a roll call."""
        return (
            self.state in (MeetingState.CONFIRMED, MeetingState.HELD)
            and self.attendance.recorded > 0
        )


@dataclass(frozen=True)
class GroupMonth:
    id: int
    code: str
    name: str
    timezone: str
    venue: str | None
    facilitator_id: int
    facilitator_name: str
    chair_name: str | None
    roster: int
    on_telegram: int
    meetings: tuple[MeetingLine, ...]
    complaints_opened: int
    complaints_resolved: int

    @property
    def confirmed(self) -> bool:
        return any(m.state is MeetingState.CONFIRMED for m in self.meetings)

    @property
    def held(self) -> bool:
        return any(m.state in (MeetingState.CONFIRMED, MeetingState.HELD) for m in self.meetings)

    @property
    def month_state(self) -> MeetingState | None:
        """The month's state: the most telling state of any of its meetings, not the last one
        planned (a meeting held with a roll call early in the month outweighs a later plan)."""
        states = {m.state for m in self.meetings}
        return next((state for state in MONTH_STATE_ORDER if state in states), None)

    @property
    def attendance(self) -> StatusCounts:
        """The month's counted meetings added up."""
        return sum((m.attendance for m in self.meetings if m.counted), StatusCounts())

    @property
    def rate(self) -> int | None:
        return self.attendance.rate

    @property
    def quiz_participants(self) -> int:
        return sum(m.quiz_participants for m in self.meetings)


@dataclass(frozen=True)
class FacilitatorMonth:
    id: int
    name: str
    groups: tuple[GroupMonth, ...]

    @property
    def confirmed(self) -> int:
        return sum(1 for g in self.groups if g.confirmed)

    @property
    def held(self) -> int:
        return sum(1 for g in self.groups if g.held)

    @property
    def attendance(self) -> StatusCounts:
        return sum((g.attendance for g in self.groups), StatusCounts())

    @property
    def rate(self) -> int | None:
        return self.attendance.rate

    @property
    def complaints_opened(self) -> int:
        return sum(g.complaints_opened for g in self.groups)

    @property
    def complaints_resolved(self) -> int:
        return sum(g.complaints_resolved for g in self.groups)


@dataclass(frozen=True)
class MonthReport:
    month: int
    audience: Role
    groups: tuple[GroupMonth, ...]  # groups without a confirmed meeting first, then by name
    include_ids: bool = False  # programme ids (ID KPM): Scope.include_ids

    @property
    def meetings(self) -> int:
        return sum(1 for g in self.groups for m in g.meetings if m.state != MeetingState.CANCELLED)

    @property
    def unconfirmed(self) -> tuple[GroupMonth, ...]:
        return tuple(g for g in self.groups if not g.confirmed)

    @property
    def facilitators(self) -> tuple[FacilitatorMonth, ...]:
        """Rolled up per facilitator, those with the most unconfirmed groups first."""
        by_id: dict[int, list[GroupMonth]] = defaultdict(list)
        for group in self.groups:
            by_id[group.facilitator_id].append(group)
        rolled = [
            FacilitatorMonth(fid, groups[0].facilitator_name, tuple(groups))
            for fid, groups in by_id.items()
        ]
        rolled.sort(key=lambda f: (f.confirmed - len(f.groups), f.name.casefold(), f.id))
        return tuple(rolled)

    @property
    def attendance(self) -> StatusCounts:
        return sum((g.attendance for g in self.groups), StatusCounts())


# -- months -------------------------------------------------------------------------------

_MONTH = re.compile(r"^\s*(\d{1,4})\s*[-/.]\s*(\d{1,4})\s*$")


def parse_month(text: str) -> int:
    """ "2026-12" (also "12-2026", "2026/12", "12/2026") as 202612; nonsense is refused."""
    found = _MONTH.match(text)
    if found is None:
        raise UseCaseError("reports.bad_month", text=text.strip()[:20])
    first, second = found.group(1), found.group(2)
    year_text, month_text = (first, second) if len(first) == 4 else (second, first)
    if len(year_text) != 4 or len(month_text) > 2:
        raise UseCaseError("reports.bad_month", text=text.strip()[:20])
    year, month = int(year_text), int(month_text)
    if not 1 <= month <= 12:
        raise UseCaseError("reports.no_such_month", text=text.strip()[:20], month=month)
    if not is_month(year * 100 + month):
        raise UseCaseError("reports.bad_month", text=text.strip()[:20])
    return year * 100 + month


def current_month(now: datetime) -> int:
    """This month where it is already latest (east Indonesia), so nobody is told "future"."""
    return month_of(now, EASTMOST)


def check_month(month: int, now: datetime) -> None:
    if month > current_month(now):
        raise UseCaseError("reports.future_month", month=month_text(month))


def month_window(first: int, last: int) -> tuple[datetime, datetime]:
    return month_bounds(first, EASTMOST)[0], month_bounds(last, WESTMOST)[1]


# -- who sees what ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    audience: Role
    condition: ColumnElement[bool]
    group_id: int | None = None
    # Programme ids (ID KPM) go into the report only when every group in it allows them
    # (storage/access.RIGHTS[PROGRAMME_IDS]: an allow-list, chairs are not on it).
    include_ids: bool = False
    # The complaints this person may know exist, to count (none for a chair: in a group of
    # ten, "1 opened" next to a name would say who complained).
    complaints: ColumnElement[bool] = field(default_factory=false)


async def resolve_scope(
    session: AsyncSession,
    actor: Actor,
    group_code: str | None = None,
    group_id: int | None = None,
) -> Scope:
    """The groups this person reports on (storage/access.report_condition); a code (typed) or
    an id (a button) narrows it."""
    audience = access.report_audience(actor)
    if audience is None:
        raise NotAllowed("reports.not_allowed")
    condition = access.report_condition(actor)
    if group_code is not None:
        code = group_code.strip().upper()
        found = await session.scalar(select(Group.id).where(Group.code == code, condition))
        if found is None:
            raise UseCaseError("reports.group_not_yours", code=group_code.strip()[:20])
        condition = Group.id == found
    elif group_id is not None:
        found = await session.scalar(select(Group.id).where(Group.id == group_id, condition))
        if found is None:
            raise NotAllowed("errors.not_your_group")
        condition = Group.id == found
    else:
        found = None
    without_ids = await session.scalar(
        select(Group.id)
        .where(condition, ~access.group_condition(actor, access.Action.PROGRAMME_IDS))
        .limit(1)
    )
    return Scope(
        audience, condition, found, without_ids is None, access.countable_complaints(actor)
    )


async def home_month(db: SessionFactory, actor: Actor, now: datetime, default_zone: str) -> int:
    """This month where the person's groups are (the zone most of them are in).

    At 22.05 WIB on 30 November a facilitator in Java is still in November, although it is
    already December in Papua: her report defaults to November."""
    async with db.begin() as session:
        scope = await resolve_scope(session, actor)
        zone = await session.scalar(
            select(Group.timezone)
            .where(scope.condition, Group.active.is_(True))
            .group_by(Group.timezone)
            .order_by(func.count().desc(), Group.timezone)
            .limit(1)
        )
    return month_of(now, zone or default_zone)


# -- reading ------------------------------------------------------------------------------


def meeting_ids_between(
    condition: ColumnElement[bool], lo: datetime, hi: datetime
) -> Select[tuple[int]]:
    return (
        select(Meeting.id)
        .join(Group, Group.id == Meeting.group_id)
        .where(condition, Meeting.starts_at >= lo, Meeting.starts_at < hi)
    )


async def _attendance(
    session: AsyncSession, meeting_ids: Select[tuple[int]]
) -> dict[int, dict[AttendanceStatus, int]]:
    rows = await session.execute(
        select(Attendance.meeting_id, Attendance.status, func.count(Attendance.id))
        .where(Attendance.meeting_id.in_(meeting_ids))
        .group_by(Attendance.meeting_id, Attendance.status)
    )
    found: dict[int, dict[AttendanceStatus, int]] = defaultdict(dict)
    for meeting_id, status, count in rows.tuples():
        found[meeting_id][status] = count
    return found


async def _departed_recorded(
    session: AsyncSession, meeting_ids: Select[tuple[int]]
) -> dict[int, int]:
    """Members who left since, but were recorded at the meeting: they stay on its roster."""
    rows = await session.execute(
        select(Attendance.meeting_id, func.count(Attendance.id))
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.meeting_id.in_(meeting_ids), Member.active.is_(False))
        .group_by(Attendance.meeting_id)
    )
    return dict(rows.tuples().all())


async def _rosters(
    session: AsyncSession, group_ids: Select[tuple[int]]
) -> dict[int, tuple[int, int]]:
    rows = await session.execute(
        select(Member.group_id, func.count(Member.id), func.count(Member.person_id))
        .where(Member.group_id.in_(group_ids), Member.active.is_(True))
        .group_by(Member.group_id)
    )
    return {group_id: (total, telegram) for group_id, total, telegram in rows.tuples()}


async def _rsvps(session: AsyncSession, meeting_ids: Select[tuple[int]]) -> dict[int, list[int]]:
    rows = await session.execute(
        select(Rsvp.meeting_id, Rsvp.coming, func.count(Rsvp.id))
        .where(Rsvp.meeting_id.in_(meeting_ids))
        .group_by(Rsvp.meeting_id, Rsvp.coming)
    )
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for meeting_id, coming, count in rows.tuples():
        found[meeting_id][0 if coming else 1] += count
    return found


@dataclass(frozen=True)
class _Answer:
    state: ConfirmState
    outcome: ConfirmOutcome | None
    attendees: int | None
    info_passed: bool | None
    notes: str | None


async def _confirmations(
    session: AsyncSession, meeting_ids: Select[tuple[int]]
) -> dict[int, _Answer]:
    """Per meeting the request that speaks for it: the last answered, else the last open."""
    rows = await session.execute(
        select(
            ConfirmationRequest.meeting_id,
            ConfirmationRequest.state,
            ConfirmationRequest.outcome,
            ConfirmationRequest.attendees,
            ConfirmationRequest.info_passed,
            ConfirmationRequest.notes,
        )
        .where(ConfirmationRequest.meeting_id.in_(meeting_ids))
        .order_by(ConfirmationRequest.id)
    )
    found: dict[int, _Answer] = {}
    for meeting_id, state, outcome, attendees, info_passed, notes in rows.tuples():
        kept = found.get(meeting_id)
        if (
            kept is None
            or state is ConfirmState.ANSWERED
            or kept.state is not ConfirmState.ANSWERED
        ):
            found[meeting_id] = _Answer(state, outcome, attendees, info_passed, notes)
    return found


async def _quiz(session: AsyncSession, meeting_ids: Select[tuple[int]]) -> dict[int, int]:
    """Per meeting, the most answers any one quiz question got.

    The polls are anonymous, so who answered is unknown and answers to different questions
    cannot be added up as people: the busiest question is the honest lower bound."""
    rows = await session.execute(
        select(QuizPoll.meeting_id, func.max(QuizPoll.voters))
        .where(QuizPoll.meeting_id.in_(meeting_ids))
        .group_by(QuizPoll.meeting_id)
    )
    return {meeting: int(voters or 0) for meeting, voters in rows.tuples().all()}


async def _complaints(
    session: AsyncSession,
    group_ids: Select[tuple[int]],
    zones: dict[int, str],
    lo: datetime,
    hi: datetime,
    countable: ColumnElement[bool],
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Complaints opened and resolved per (group, month), months in the group's zone.

    Only those the person may know exist (Scope.complaints): facilitators never count
    protected complaints (about them, or cuts from the aid), and chairs count none."""
    visible: list[ColumnElement[bool]] = [Complaint.group_id.in_(group_ids), countable]
    opened: dict[tuple[int, int], int] = defaultdict(int)
    for group_id, created_at in (
        await session.execute(
            select(Complaint.group_id, Complaint.created_at).where(
                *visible,
                Complaint.created_at >= lo,
                Complaint.created_at < hi,
            )
        )
    ).tuples():
        opened[(group_id, month_of(created_at, zones.get(group_id, WESTMOST)))] += 1
    resolved_ids: dict[tuple[int, int], set[int]] = defaultdict(set)
    for complaint_id, group_id, at in (
        await session.execute(
            select(Complaint.id, Complaint.group_id, ComplaintEvent.at)
            .join(ComplaintEvent, ComplaintEvent.complaint_id == Complaint.id)
            .where(
                *visible,
                ComplaintEvent.status == ComplaintStatus.RESOLVED,
                ComplaintEvent.at >= lo,
                ComplaintEvent.at < hi,
            )
        )
    ).tuples():
        resolved_ids[(group_id, month_of(at, zones.get(group_id, WESTMOST)))].add(complaint_id)
    return opened, {key: len(ids) for key, ids in resolved_ids.items()}


def _state(
    status: MeetingStatus,
    starts_at: datetime,
    counts: StatusCounts,
    request: _Answer | None,
    now: datetime,
) -> MeetingState:
    if status is MeetingStatus.CANCELLED:
        return MeetingState.CANCELLED
    if request is not None and request.state is ConfirmState.ANSWERED:
        return {
            ConfirmOutcome.HELD: MeetingState.CONFIRMED,
            ConfirmOutcome.NOT_HELD: MeetingState.NOT_HELD,
            ConfirmOutcome.MOVED: MeetingState.MOVED,
            None: MeetingState.CONFIRMED,
        }[request.outcome]
    if counts.recorded:
        return MeetingState.HELD
    return MeetingState.PLANNED if starts_at > now else MeetingState.NO_RECORD


async def collect(
    session: AsyncSession, scope: Scope, first: int, last: int, now: datetime
) -> dict[int, list[GroupMonth]]:
    """Every group in scope, month by month from `first` to `last` (inclusive)."""
    lo, hi = month_window(first, last)
    condition = scope.condition
    chair = aliased(Member)
    meeting_ids = meeting_ids_between(condition, lo, hi)
    group_ids = select(Group.id).where(condition)
    groups = (
        (
            await session.execute(
                select(Group, Person.name, chair.name)
                .join(Person, Person.id == Group.facilitator_id)
                .outerjoin(chair, chair.id == Group.chair_member_id)
                .where(
                    condition,
                    or_(
                        Group.active.is_(True),
                        Group.id.in_(select(Meeting.group_id).where(Meeting.id.in_(meeting_ids))),
                    ),
                )
            )
        )
        .tuples()
        .all()
    )
    zones = {group.id: group.timezone for group, _, _ in groups}
    meetings = await session.execute(
        select(
            Meeting.id,
            Meeting.group_id,
            Meeting.starts_at,
            Meeting.duration_minutes,
            Meeting.venue,
            Meeting.session_number,
            Meeting.status,
        )
        .join(Group, Group.id == Meeting.group_id)
        .where(condition, Meeting.starts_at >= lo, Meeting.starts_at < hi)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    attendance = await _attendance(session, meeting_ids)
    departed = await _departed_recorded(session, meeting_ids)
    rosters = await _rosters(session, group_ids)
    rsvps = await _rsvps(session, meeting_ids)
    requests = await _confirmations(session, meeting_ids)
    quiz = await _quiz(session, meeting_ids)
    ends = dict(
        (
            await session.execute(
                select(ActivityEndTime.meeting_id, ActivityEndTime.ends_at).where(
                    ActivityEndTime.meeting_id.in_(meeting_ids)
                )
            )
        )
        .tuples()
        .all()
    )
    opened, resolved = await _complaints(session, group_ids, zones, lo, hi, scope.complaints)

    lines: dict[tuple[int, int], list[MeetingLine]] = defaultdict(list)
    for meeting in meetings:
        zone = zones.get(meeting.group_id)
        if zone is None:
            continue
        month = month_of(meeting.starts_at, zone)
        if not first <= month <= last:
            continue
        by_status = attendance.get(meeting.id, {})
        counts = StatusCounts(
            hadir=by_status.get(AttendanceStatus.HADIR, 0),
            izin=by_status.get(AttendanceStatus.IZIN, 0),
            sakit=by_status.get(AttendanceStatus.SAKIT, 0),
            alfa=by_status.get(AttendanceStatus.ALFA, 0),
            roster=rosters.get(meeting.group_id, (0, 0))[0] + departed.get(meeting.id, 0),
        )
        request = requests.get(meeting.id)
        answered = request is not None and request.state is ConfirmState.ANSWERED
        coming, not_coming = rsvps.get(meeting.id, [0, 0])
        lines[(meeting.group_id, month)].append(
            MeetingLine(
                id=meeting.id,
                group_id=meeting.group_id,
                month=month,
                starts_at=meeting.starts_at,
                duration_minutes=meeting.duration_minutes,
                venue=meeting.venue,
                session_number=meeting.session_number,
                state=_state(meeting.status, meeting.starts_at, counts, request, now),
                attendance=counts,
                rsvp_coming=coming,
                rsvp_not_coming=not_coming,
                confirmation_open=request is not None and not answered,
                chair_attendees=request.attendees if request is not None and answered else None,
                info_passed=request.info_passed if request is not None and answered else None,
                chair_notes=request.notes if request is not None else None,
                quiz_participants=quiz.get(meeting.id, 0),
                written_end=ends.get(meeting.id),
            )
        )

    months: dict[int, list[GroupMonth]] = {}
    month = first
    while month <= last:
        months[month] = [
            GroupMonth(
                id=group.id,
                code=group.code,
                name=group.name,
                timezone=group.timezone,
                venue=group.venue,
                facilitator_id=group.facilitator_id,
                facilitator_name=facilitator,
                chair_name=chair_name,
                roster=rosters.get(group.id, (0, 0))[0],
                on_telegram=rosters.get(group.id, (0, 0))[1],
                meetings=tuple(lines.get((group.id, month), ())),
                complaints_opened=opened.get((group.id, month), 0),
                complaints_resolved=resolved.get((group.id, month), 0),
            )
            for group, facilitator, chair_name in groups
        ]
        month = shift_month(month, 1)
    return months


def natural(text: str) -> tuple[tuple[int, str], ...]:
    """A sort key that puts "Mawar 9" before "Mawar 10", as people count."""
    return tuple(
        (1, "") if not part else (0, f"{int(part):012d}") if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", text.casefold())
    )


def ordered_groups(groups: Iterable[GroupMonth]) -> tuple[GroupMonth, ...]:
    """Groups that still lack a confirmed meeting first, then by facilitator and name."""
    return tuple(
        sorted(
            groups,
            key=lambda g: (g.confirmed, natural(g.facilitator_name), natural(g.name), g.id),
        )
    )


async def month_report(
    db: SessionFactory,
    actor: Actor,
    month: int,
    now: datetime,
    *,
    group_code: str | None = None,
    group_id: int | None = None,
) -> MonthReport:
    """A month's report for a facilitator (their groups), a coordinator (all), or a chair."""
    check_month(month, now)
    async with db.begin() as session:
        scope = await resolve_scope(session, actor, group_code, group_id)
        record_read(session, actor, Read.REPORT, scope_detail(month, group_code, group_id), now)
        months = await collect(session, scope, month, month, now)
    return MonthReport(month, scope.audience, ordered_groups(months[month]), scope.include_ids)


# -- the chart's numbers ----------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One month of one line: present out of the roster of the meetings held with a roll call.

    A month without such a meeting has roster 0 and no rate: the chart shows it as missing,
    not as 0%, because nobody was absent; nothing was recorded."""

    month: int
    hadir: int
    roster: int

    @property
    def rate(self) -> int | None:
        return rate(self.hadir, self.roster)


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[Point, ...]  # one per month of the chart, oldest first


@dataclass(frozen=True)
class ChartData:
    audience: Role
    months: tuple[int, ...]
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return all(point.rate is None for line in self.series for point in line.points)


def chart_months(last: int) -> tuple[int, int]:
    """(first, last) month of a chart ending with `last`."""
    return shift_month(last, -(CHART_MONTHS - 1)), last


def chart_from(months: dict[int, list[GroupMonth]], audience: Role) -> ChartData:
    """Per group, or per facilitator for coordinators, month by month."""
    ordered = tuple(sorted(months))
    keyed: dict[tuple[int, str], dict[int, StatusCounts]] = defaultdict(dict)
    for month, groups in months.items():
        for group in groups:
            key = (
                (group.facilitator_id, group.facilitator_name)
                if audience is Role.COORDINATOR
                else (group.id, group.name)
            )
            keyed[key][month] = keyed[key].get(month, StatusCounts()) + group.attendance
    series = []
    for (_, label), by_month in keyed.items():
        counts = [(month, by_month.get(month, StatusCounts())) for month in ordered]
        points = tuple(Point(month, c.hadir, c.roster) for month, c in counts)
        series.append(Series(label, points))
    series.sort(key=lambda s: (natural(s.label), s.label))
    return ChartData(audience, ordered, tuple(series))


async def attendance_chart(
    db: SessionFactory, actor: Actor, now: datetime, last: int | None = None
) -> ChartData:
    """Attendance over six months ending with `last` (this month by default): per group,
    or per facilitator for coordinators."""
    first, last = chart_months(last or current_month(now))
    async with db.begin() as session:
        scope = await resolve_scope(session, actor)
        months = await collect(session, scope, first, last, now)
    return chart_from(months, scope.audience)


async def group_for_code(db: SessionFactory, actor: Actor, code: str) -> int:
    """The id of one of this person's groups, by the code they typed."""
    async with db.begin() as session:
        scope = await resolve_scope(session, actor, group_code=code)
    assert scope.group_id is not None
    return scope.group_id
