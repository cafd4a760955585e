"""Next month's meetings from the groups' rules: dates, holidays moved or flagged, clashes.

This is the pure half of the facilitator's monthly proposal: given each group's rule, time,
length and time zone, it says on which day each meeting would be and what the facilitator
must look at. Nothing is scheduled here; the facilitator confirms the proposal first."""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

from timekeeping.holidays import Holiday, HolidayLookup, holiday_on, next_working_day
from timekeeping.recurrence import DayRule, day_in


class Flag(enum.StrEnum):
    NO_SUCH_DAY = "no_such_day"  # e.g. the 5th Tuesday of a month with four: no date proposed
    HOLIDAY_MOVED = "holiday_moved"  # the rule's day is a holiday; moved to the next working day
    HOLIDAY_STUCK = "holiday_stuck"  # the rule's day is a holiday and no working day is left
    CLASH = "clash"  # overlaps another meeting of the same facilitator


@dataclass(frozen=True)
class Slot:
    """One group's rule as the planner needs it."""

    key: Hashable  # the group, as the caller identifies it
    rule: DayRule
    at: time
    timezone: str
    duration: timedelta


@dataclass(frozen=True)
class Busy:
    """A meeting already on the calendar (so a proposal that overlaps it is flagged)."""

    key: Hashable
    starts_at: datetime  # aware
    duration: timedelta


@dataclass(frozen=True)
class Proposal:
    slot: Slot
    rule_day: date | None  # what the rule gives, before any move
    day: date | None  # the proposed day; None when the facilitator must choose
    holiday: Holiday | None = None  # the holiday on rule_day, if any
    flags: frozenset[Flag] = frozenset()
    clashes_with: tuple[Hashable, ...] = field(default=())

    @property
    def starts_at(self) -> datetime | None:
        """The proposed start in UTC, or None without a day."""
        if self.day is None:
            return None
        local = datetime.combine(self.day, self.slot.at, tzinfo=ZoneInfo(self.slot.timezone))
        return local.astimezone(UTC)

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags - {Flag.HOLIDAY_MOVED})


def propose_day(slot: Slot, year: int, month: int, lookup: HolidayLookup = holiday_on) -> Proposal:
    """One group's day in that month, moved off a holiday when a working day is left."""
    rule_day = day_in(slot.rule, year, month)
    if rule_day is None:
        return Proposal(slot, None, None, flags=frozenset({Flag.NO_SUCH_DAY}))
    holiday = lookup(rule_day)
    if holiday is None:
        return Proposal(slot, rule_day, rule_day)
    moved = next_working_day(rule_day, lookup)
    if moved is None:
        return Proposal(slot, rule_day, None, holiday, frozenset({Flag.HOLIDAY_STUCK}))
    return Proposal(slot, rule_day, moved, holiday, frozenset({Flag.HOLIDAY_MOVED}))


def _overlap(a: datetime, a_length: timedelta, b: datetime, b_length: timedelta) -> bool:
    return a < b + b_length and b < a + a_length


def flag_clashes(proposals: Sequence[Proposal], busy: Iterable[Busy] = ()) -> list[Proposal]:
    """Mark proposals that overlap each other or a meeting already scheduled."""
    clashes: dict[int, list[Hashable]] = {}
    timed = [(i, p.starts_at, p.slot.duration) for i, p in enumerate(proposals)]
    placed = [(i, start, length) for i, start, length in timed if start is not None]
    for (i, a, a_len), (j, b, b_len) in combinations(placed, 2):
        if _overlap(a, a_len, b, b_len):
            clashes.setdefault(i, []).append(proposals[j].slot.key)
            clashes.setdefault(j, []).append(proposals[i].slot.key)
    for other in busy:
        for i, start, length in placed:
            if other.key != proposals[i].slot.key and _overlap(
                start, length, other.starts_at, other.duration
            ):
                clashes.setdefault(i, []).append(other.key)
    result = []
    for index, proposal in enumerate(proposals):
        keys = clashes.get(index)
        if not keys:
            result.append(proposal)
            continue
        result.append(
            Proposal(
                proposal.slot,
                proposal.rule_day,
                proposal.day,
                proposal.holiday,
                proposal.flags | {Flag.CLASH},
                tuple(dict.fromkeys(keys)),
            )
        )
    return result


def plan_month(
    slots: Iterable[Slot],
    year: int,
    month: int,
    lookup: HolidayLookup = holiday_on,
    busy: Iterable[Busy] = (),
) -> list[Proposal]:
    """Every group's proposed meeting in that month, in the order of `slots`."""
    proposals = [propose_day(slot, year, month, lookup) for slot in slots]
    return flag_clashes(proposals, busy)
