"""Indonesian holidays and collective leave days from the holidays library, and working days."""

from __future__ import annotations

from datetime import date

from timekeeping.holidays import (
    collective_leave_known,
    holiday_on,
    holidays_in,
    is_working_day,
    next_working_day,
)


def test_national_holidays_and_collective_leave_are_both_known() -> None:
    christmas = holiday_on(date(2026, 12, 25))
    assert christmas is not None and not christmas.collective_leave
    assert christmas.name == "Hari Raya Natal"
    leave = holiday_on(date(2026, 12, 24))
    assert leave is not None and leave.collective_leave
    assert leave.name == "Cuti Bersama Hari Raya Natal"
    in_english = holiday_on(date(2026, 12, 24), "en")
    assert in_english is not None and "Christmas" in in_english.name
    assert holiday_on(date(2026, 12, 23)) is None


def test_a_month_lists_its_days_off_in_order() -> None:
    march = holidays_in(2026, 3)
    days = [h.day.day for h in march]
    assert days == sorted(days)
    # Nyepi and Idul Fitri 2026 with their collective leave (SKB 3 Menteri for 2026).
    assert {18, 19, 20, 21, 22, 23, 24} <= set(days)
    assert {h.day.day for h in march if h.collective_leave} >= {18, 20, 23, 24}


def test_collective_leave_is_known_only_once_decreed() -> None:
    assert collective_leave_known(2026)
    assert not collective_leave_known(2035)


def test_working_days_skip_weekends_holidays_and_leave() -> None:
    assert is_working_day(date(2026, 12, 23))
    assert not is_working_day(date(2026, 12, 24))  # cuti bersama
    assert not is_working_day(date(2026, 12, 26))  # Saturday
    # Thursday 24 December (leave), Friday 25 (Christmas), the weekend: Monday 28.
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)
    # Idul Fitri 2026: 20 to 24 March are all off; Wednesday 25 is the next working day.
    assert next_working_day(date(2026, 3, 20)) == date(2026, 3, 25)


def test_no_working_day_left_in_the_month_is_said_not_hidden() -> None:
    assert next_working_day(date(2026, 12, 31)) is None
    assert next_working_day(date(2026, 12, 31), same_month=False) == date(2027, 1, 4)


def test_the_example_date_is_a_working_day_about_a_week_ahead() -> None:
    from timekeeping.holidays import example_day

    assert example_day(date(2026, 12, 1)) == date(2026, 12, 8)  # a Tuesday
    # A week after 18 December is Christmas Day, then a weekend: Monday the 28th.
    assert example_day(date(2026, 12, 18)) == date(2026, 12, 28)
