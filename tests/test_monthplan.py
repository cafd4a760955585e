"""Next month's proposal from the groups' rules: holidays moved or flagged, clashes flagged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from timekeeping.holidays import Holiday
from timekeeping.monthplan import Busy, Flag, Slot, plan_month
from timekeeping.recurrence import DayOfMonth, NthWeekday

TWO_HOURS = timedelta(hours=2)
MONDAY, TUESDAY, THURSDAY = 0, 1, 3


def slot(
    key: str, rule: NthWeekday | DayOfMonth, at: time = time(9), zone: str = "Asia/Jakarta"
) -> Slot:
    return Slot(key, rule, at, zone, TWO_HOURS)


def test_ordinary_days_are_proposed_as_the_rule_says() -> None:
    [mawar] = plan_month([slot("mawar", NthWeekday(TUESDAY, 2))], 2026, 12)
    assert mawar.rule_day == mawar.day == date(2026, 12, 8)
    assert mawar.flags == frozenset() and not mawar.needs_attention
    assert mawar.starts_at == datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 09.00 WIB


def test_a_holiday_is_moved_to_the_next_working_day_and_says_which_holiday() -> None:
    # The 4th Thursday of December 2026 is the 24th, collective leave before Christmas.
    [melati] = plan_month([slot("melati", NthWeekday(THURSDAY, 4))], 2026, 12)
    assert melati.rule_day == date(2026, 12, 24)
    assert melati.day == date(2026, 12, 28)
    assert melati.flags == {Flag.HOLIDAY_MOVED} and not melati.needs_attention
    assert melati.holiday is not None and melati.holiday.collective_leave


def test_a_holiday_with_no_working_day_left_in_the_month_is_flagged() -> None:
    def every_day_off(day: date) -> Holiday | None:
        return Holiday(day, "Libur", False) if day >= date(2026, 12, 29) else None

    [anggrek] = plan_month([slot("anggrek", NthWeekday(TUESDAY, 5))], 2026, 12, every_day_off)
    assert anggrek.rule_day == date(2026, 12, 29)
    assert anggrek.day is None and anggrek.starts_at is None
    assert anggrek.flags == {Flag.HOLIDAY_STUCK} and anggrek.needs_attention


def test_a_fifth_tuesday_in_a_four_tuesday_month_is_flagged_not_shifted() -> None:
    [kenanga] = plan_month([slot("kenanga", NthWeekday(TUESDAY, 5))], 2027, 1)
    assert kenanga.rule_day is None and kenanga.day is None
    assert kenanga.flags == {Flag.NO_SUCH_DAY} and kenanga.needs_attention


def test_two_groups_at_the_same_time_are_both_flagged() -> None:
    plan = plan_month(
        [
            slot("a", NthWeekday(TUESDAY, 2)),
            slot("b", DayOfMonth(8), time(10)),  # Tuesday 8 December, overlaps 09.00-11.00
            slot("c", DayOfMonth(8), time(11)),  # starts when "a" ends: no clash with "a"
            slot("d", NthWeekday(MONDAY, 1)),
        ],
        2026,
        12,
    )
    flags = {p.slot.key: (p.flags, p.clashes_with) for p in plan}
    assert flags["a"] == ({Flag.CLASH}, ("b",))
    assert flags["b"] == ({Flag.CLASH}, ("a", "c"))
    assert flags["c"] == ({Flag.CLASH}, ("b",))
    assert flags["d"] == (frozenset(), ())


def test_clashes_across_time_zones_compare_real_instants() -> None:
    # 10.00 WITA is 09.00 WIB: the same moment.
    plan = plan_month(
        [
            slot("jawa", DayOfMonth(8), time(9), "Asia/Jakarta"),
            slot("sulawesi", DayOfMonth(8), time(10), "Asia/Makassar"),
        ],
        2026,
        12,
    )
    assert all(Flag.CLASH in p.flags for p in plan)


def test_a_meeting_already_scheduled_counts_as_busy() -> None:
    busy = Busy("other", datetime(2026, 12, 8, 3, 0, tzinfo=UTC), TWO_HOURS)
    [mawar] = plan_month([slot("mawar", NthWeekday(TUESDAY, 2))], 2026, 12, busy=[busy])
    assert mawar.flags == {Flag.CLASH} and mawar.clashes_with == ("other",)
    own = Busy("mawar", datetime(2026, 12, 8, 2, 0, tzinfo=UTC), TWO_HOURS)
    [again] = plan_month([slot("mawar", NthWeekday(TUESDAY, 2))], 2026, 12, busy=[own])
    assert again.flags == frozenset()
