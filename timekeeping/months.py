"""Months as the bot passes them around: YYYYMM integers (202612 is December 2026)."""

from __future__ import annotations

# The programme's records begin long after 2000, and a month past 2099 can only be typed in
# error or forged; outside this range the calendar itself breaks (year 0, year 10000), so such
# a value must be refused where it is parsed.
FIRST_MONTH, LAST_MONTH = 200001, 209912


def is_month(value: int) -> bool:
    return FIRST_MONTH <= value <= LAST_MONTH and 1 <= value % 100 <= 12
