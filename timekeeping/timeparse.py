"""Turn what people type into dates, times and durations, and move times between zones.

Facilitators type dates the Indonesian way (day first) with whatever separator their
keyboard offers, so every parser here is forgiving about form and strict about meaning.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

DateErrorCode = Literal["format", "invalid", "past"]
TimeErrorCode = Literal["format", "invalid"]


class DateInputError(ValueError):
    """The text is not a usable date; `code` says why so the reply can say how to fix it."""

    def __init__(self, code: DateErrorCode) -> None:
        super().__init__(code)
        self.code: DateErrorCode = code


class TimeInputError(ValueError):
    """The text is not a usable time of day; `code` is "format" or "invalid"."""

    def __init__(self, code: TimeErrorCode) -> None:
        super().__init__(code)
        self.code: TimeErrorCode = code


_RELATIVE_DAYS = {
    "hari ini": 0,
    "today": 0,
    "besok": 1,
    "tomorrow": 1,
    "lusa": 2,
}

# re.ASCII keeps \d to 0-9: other scripts' digits would parse but never come from our users.
_ISO_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", re.ASCII)
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{2}|\d{4}))?", re.ASCII)
_SEPARATED_TIME = re.compile(r"(\d{1,2})[:.](\d{2})", re.ASCII)
_BARE_TIME = re.compile(r"\d{1,4}", re.ASCII)
_DURATION = re.compile(r"(\d+)\s*([smhd])", re.ASCII)
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_date(text: str, today: date) -> date:
    """Read a day-first date ("25/12/2026", "25/12", "besok") or an ISO date.

    A day and month without a year means the next time that day comes round, so it is
    never "past"; an explicit year that lies before `today` is.
    """
    cleaned = " ".join(text.split()).lower()
    if cleaned in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[cleaned])

    if match := _ISO_DATE.fullmatch(cleaned):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        return _not_past(_build_date(year, month, day), today)

    match = _DAY_FIRST_DATE.fullmatch(cleaned)
    if match is None:
        raise DateInputError("format")
    day, month, year_text = int(match[1]), int(match[3]), match[4]
    if year_text is None:
        return _next_occurrence(day, month, today)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return _not_past(_build_date(year, month, day), today)


def _build_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateInputError("invalid") from None


def _not_past(value: date, today: date) -> date:
    if value < today:
        raise DateInputError("past")
    return value


def _next_occurrence(day: int, month: int, today: date) -> date:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise DateInputError("invalid")
    # 29/02 typed in a non-leap year can still mean next year's 29 February.
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise DateInputError("invalid")


def parse_time(text: str) -> time:
    """Read a time of day: "09:00", "9.00", "9", "0900", "930"."""
    cleaned = text.strip()
    if match := _SEPARATED_TIME.fullmatch(cleaned):
        hour, minute = int(match[1]), int(match[2])
    elif _BARE_TIME.fullmatch(cleaned):
        # Up to two digits is an hour; three or four are [H]HMM as typed on a phone keypad.
        digits = int(cleaned)
        hour, minute = (digits, 0) if len(cleaned) <= 2 else divmod(digits, 100)
    else:
        raise TimeInputError("format")
    if hour > 23 or minute > 59:
        raise TimeInputError("invalid")
    return time(hour, minute)


def parse_duration(text: str) -> timedelta:
    """Read "30s", "15m", "2h" or "3d" (a positive whole number and one unit)."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 15m, 2h, 3d)")
    amount = int(match[1])
    if amount <= 0:
        raise ValueError(f"duration must be positive: {text!r}")
    try:
        return timedelta(**{_DURATION_UNITS[match[2]]: amount})
    except OverflowError:
        raise ValueError(f"duration too long: {text!r}") from None


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """Read a comma list of durations such as "3d,1d,2h", longest first, without repeats."""
    if not text.strip():
        raise ValueError("no offsets given (use e.g. 3d,1d,2h)")
    offsets: set[timedelta] = set()
    for position, item in enumerate(text.split(","), start=1):
        if not item.strip():
            raise ValueError(f"empty item at position {position} in {text!r}")
        try:
            offsets.add(parse_duration(item))
        except ValueError:
            raise ValueError(f"bad offset {item.strip()!r} (use e.g. 3d, 2h, 30m)") from None
    return tuple(sorted(offsets, reverse=True))


def local_to_utc(d: date, t: time, tz_name: str) -> datetime:
    """The aware UTC instant of wall-clock date `d` and time `t` in zone `tz_name`."""
    local = datetime.combine(d, t.replace(tzinfo=None), tzinfo=ZoneInfo(tz_name))
    return local.astimezone(UTC)


def utc_to_local(dt: datetime, tz_name: str) -> datetime:
    """The same instant as wall-clock time in `tz_name`.

    A naive `dt` is taken as UTC because SQLite hands stored UTC timestamps back naive.
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(ZoneInfo(tz_name))
