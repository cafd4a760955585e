"""The report's figures as the views read them: a meeting, a group's month, a facilitator's
month, the month's report, the chart's lines. Plain frozen dataclasses, no queries."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from storage.access import Action
from storage.models.attendance import (
    AttendanceStatus,
)
from storage.roles import Role

if TYPE_CHECKING:
    from storage.reports.rollup import Rollup
from timekeeping.numbers import percent


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
    rights: frozenset[Action] = frozenset()  # Scope.rights: which report fields she may see
    rollup: Rollup | None = None  # a coordinator's month by area (storage/reports/rollup.py)

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
    # The area level of each line when the chart rolls up by area (rollup.Level's value):
    # its title says "per kecamatan"; None is per group, or per pendamping for coordinators.
    by: str | None = None

    @property
    def empty(self) -> bool:
        return all(point.rate is None for line in self.series for point in line.points)
