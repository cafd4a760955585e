"""Which month a report is about: parsing what people type, and the window of instants that
covers a month in every Indonesian time zone."""

from __future__ import annotations

import re
from datetime import datetime

from storage.reports.errors import BadMonth, FutureMonth, NoSuchMonth
from timekeeping.months import is_month, month_bounds, month_of, shift_month

# The zones furthest east and west: a local month starts first in the east and ends last
# in the west, so rows between those two instants cover every group's month.
EASTMOST, WESTMOST = "Asia/Jayapura", "Asia/Jakarta"
CHART_MONTHS = 6


_MONTH = re.compile(r"^\s*(\d{1,4})\s*[-/.]\s*(\d{1,4})\s*$")


def parse_month(text: str) -> int:
    """ "2026-12" (also "12-2026", "2026/12", "12/2026") as 202612; nonsense is refused."""
    found = _MONTH.match(text)
    if found is None:
        raise BadMonth(text.strip()[:20])
    first, second = found.group(1), found.group(2)
    year_text, month_text = (first, second) if len(first) == 4 else (second, first)
    if len(year_text) != 4 or len(month_text) > 2:
        raise BadMonth(text.strip()[:20])
    year, month = int(year_text), int(month_text)
    if not 1 <= month <= 12:
        raise NoSuchMonth(text.strip()[:20], month)
    if not is_month(year * 100 + month):
        raise BadMonth(text.strip()[:20])
    return year * 100 + month


def current_month(now: datetime) -> int:
    """This month where it is already latest (east Indonesia), so nobody is told "future"."""
    return month_of(now, EASTMOST)


def check_month(month: int, now: datetime) -> None:
    if month > current_month(now):
        raise FutureMonth(month)


def month_window(first: int, last: int) -> tuple[datetime, datetime]:
    return month_bounds(first, EASTMOST)[0], month_bounds(last, WESTMOST)[1]


def chart_months(last: int) -> tuple[int, int]:
    """(first, last) month of a chart ending with `last`."""
    return shift_month(last, -(CHART_MONTHS - 1)), last
