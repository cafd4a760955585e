"""Calendar months as numbers (202612 is December 2026): their bounds in a time zone, shifts."""

from __future__ import annotations

from datetime import date, datetime, time

from timekeeping.timeparse import local_to_utc, utc_to_local

# The programme's records begin long after 2000, and a month past 2099 can only be typed in
# error or forged; outside this range the calendar itself breaks (year 0, year 10000), so such
# a value must be refused where it is parsed.
FIRST_MONTH, LAST_MONTH = 200001, 209912


def is_month(value: int) -> bool:
    return FIRST_MONTH <= value <= LAST_MONTH and 1 <= value % 100 <= 12


def month_of(moment: datetime, timezone: str) -> int:
    local = utc_to_local(moment, timezone)
    return local.year * 100 + local.month


def month_bounds(month: int, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar month (202612) starts and ends."""
    year, number = divmod(month, 100)
    start = local_to_utc(date(year, number, 1), time(0, 0), timezone)
    following = date(year + number // 12, number % 12 + 1, 1)
    return start, local_to_utc(following, time(0, 0), timezone)


def shift_month(month: int, by: int) -> int:
    year, number = divmod(month, 100)
    index = year * 12 + (number - 1) + by
    return (index // 12) * 100 + index % 12 + 1


def month_text(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"
