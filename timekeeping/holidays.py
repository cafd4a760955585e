"""Indonesian public holidays and collective leave days (cuti bersama), and working days.

The dates come from the `holidays` library's Indonesian calendar (vacanza/holidays,
holidays/countries/indonesia.py, which cites the government's decrees and Wikipedia's
"Hari libur di Indonesia"): its PUBLIC category holds the national holidays (hari libur
nasional) and its GOVERNMENT category the collective leave days set each year by a joint
decree of three ministers (SKB 3 Menteri). Islamic and Chinese dates move every year, so a
hand-kept list would go stale; the library marks dates it had to compute as "(perkiraan)".

Collective leave days are known only once the decree for that year is out (usually in the
autumn before): `collective_leave_known` says whether the library has them for a year, so a
plan for such a year can say it checked national holidays only."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays as holiday_library
from holidays.constants import GOVERNMENT, PUBLIC

WORKING_WEEKDAYS = frozenset(range(5))  # Monday to Friday, the government work week
# How far to look for a working day: the longest run of holidays and leave days around
# Idul Fitri is about a week, so three weeks is ample and bounds the loop.
SEARCH_DAYS = 21


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    collective_leave: bool  # cuti bersama rather than a national holiday


HolidayLookup = Callable[[date], Holiday | None]


def _language(lang: str) -> str:
    return "en_US" if lang.lower().startswith("en") else "id"


@lru_cache(maxsize=64)
def _year(year: int, language: str) -> tuple[Mapping[date, str], Mapping[date, str]]:
    """(public holidays, collective leave days) of a year, named in that language."""
    public = holiday_library.country_holidays(
        "ID", years=year, categories=(PUBLIC,), language=language
    )
    leave = holiday_library.country_holidays(
        "ID", years=year, categories=(GOVERNMENT,), language=language
    )
    return dict(public), dict(leave)


def holiday_on(day: date, lang: str = "id") -> Holiday | None:
    """The public holiday or collective leave day on `day`, named in `lang`, or None."""
    public, leave = _year(day.year, _language(lang))
    if day in public:
        return Holiday(day, public[day], collective_leave=False)
    if day in leave:
        return Holiday(day, leave[day], collective_leave=True)
    return None


def holidays_in(year: int, month: int, lang: str = "id") -> list[Holiday]:
    """Every holiday and collective leave day of a month, in date order."""
    public, leave = _year(year, _language(lang))
    found = [Holiday(d, n, False) for d, n in public.items() if d.month == month]
    found += [Holiday(d, n, True) for d, n in leave.items() if d.month == month and d not in public]
    return sorted(found, key=lambda h: h.day)


def collective_leave_known(year: int) -> bool:
    """Whether the library has that year's collective leave days (the decree is out)."""
    return bool(_year(year, "id")[1])


def is_working_day(day: date, lookup: HolidayLookup = holiday_on) -> bool:
    return day.weekday() in WORKING_WEEKDAYS and lookup(day) is None


# A date given "for example" in a help text lies about a week ahead.
EXAMPLE_DAYS_AHEAD = 7


def example_day(today: date, lookup: HolidayLookup = holiday_on) -> date:
    """The date to give "for example" in help texts: the first working day a week or more
    from today, so an example is never a Sunday, Christmas Day or a cuti bersama."""
    start = today + timedelta(days=EXAMPLE_DAYS_AHEAD - 1)
    return next_working_day(start, lookup, same_month=False) or start + timedelta(days=1)


def next_working_day(
    day: date, lookup: HolidayLookup = holiday_on, *, same_month: bool = True
) -> date | None:
    """The first working day after `day`; None if there is none within reach (or within the
    month, when `same_month`: a P2K2 session belongs to its month, so the facilitator chooses
    rather than the meeting sliding silently into the next month's)."""
    for offset in range(1, SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if same_month and candidate.month != day.month:
            return None
        if is_working_day(candidate, lookup):
            return candidate
    return None
