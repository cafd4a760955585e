"""The monthly meeting-day rule: facilitators' words in, the right day of each month out."""

from __future__ import annotations

from datetime import date

import pytest

from timekeeping.recurrence import (
    LAST,
    DayOfMonth,
    NthWeekday,
    RuleInputError,
    code,
    day_in,
    describe,
    parse_rule,
)

TUESDAY, FRIDAY, SUNDAY = 1, 4, 6


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("selasa-2", NthWeekday(TUESDAY, 2)),
        ("Selasa minggu kedua", NthWeekday(TUESDAY, 2)),
        ("setiap Selasa ke-2", NthWeekday(TUESDAY, 2)),
        ("selasa ke2", NthWeekday(TUESDAY, 2)),
        ("tiap hari Selasa minggu ke 2", NthWeekday(TUESDAY, 2)),
        ("Jum'at terakhir", NthWeekday(FRIDAY, LAST)),
        ("jumat-terakhir", NthWeekday(FRIDAY, LAST)),
        ("minggu kedua", NthWeekday(SUNDAY, 2)),
        ("hari Minggu minggu pertama", NthWeekday(SUNDAY, 1)),
        ("second Tuesday", NthWeekday(TUESDAY, 2)),
        ("the 2nd tue of every month", NthWeekday(TUESDAY, 2)),
        ("last Friday", NthWeekday(FRIDAY, LAST)),
        ("tuesday-5", NthWeekday(TUESDAY, 5)),
        ("tanggal 15", DayOfMonth(15)),
        ("setiap tgl. 15", DayOfMonth(15)),
        ("tanggal-31", DayOfMonth(31)),
        ("the 15th", DayOfMonth(15)),
        ("day 3 of the month", DayOfMonth(3)),
    ],
)
def test_words_facilitators_use(text: str, rule: NthWeekday | DayOfMonth) -> None:
    assert parse_rule(text) == rule


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("", "empty", ""),
        ("selasa", "no_nth", ""),
        ("selasa-6", "nth_range", "6"),
        ("tanggal 32", "day_range", "32"),
        ("selasa rabu 2", "ambiguous", "selasa rabu 2"),
        ("selasa 2 3", "ambiguous", "selasa 2 3"),
        ("kadang-kadang", "format", "kadang kadang"),
        ("selasa pagi 2", "format", "pagi"),
    ],
)
def test_what_is_wrong_is_named(text: str, error: str, words: str) -> None:
    with pytest.raises(RuleInputError) as raised:
        parse_rule(text)
    assert raised.value.code == error
    assert raised.value.words == words


def test_nth_weekday_days() -> None:
    # December 2026 starts on a Tuesday: its Tuesdays are 1, 8, 15, 22 and 29.
    assert day_in(NthWeekday(TUESDAY, 1), 2026, 12) == date(2026, 12, 1)
    assert day_in(NthWeekday(TUESDAY, 2), 2026, 12) == date(2026, 12, 8)
    assert day_in(NthWeekday(TUESDAY, 5), 2026, 12) == date(2026, 12, 29)
    assert day_in(NthWeekday(TUESDAY, LAST), 2026, 12) == date(2026, 12, 29)
    # November 2026 starts on a Sunday.
    assert day_in(NthWeekday(SUNDAY, 1), 2026, 11) == date(2026, 11, 1)
    assert day_in(NthWeekday(FRIDAY, LAST), 2026, 11) == date(2026, 11, 27)


def test_a_fifth_tuesday_in_a_month_with_four_gives_no_day_rather_than_another_week() -> None:
    # January 2027's Tuesdays are 5, 12, 19 and 26.
    assert day_in(NthWeekday(TUESDAY, 5), 2027, 1) is None
    assert day_in(NthWeekday(TUESDAY, LAST), 2027, 1) == date(2027, 1, 26)


def test_a_fixed_day_missing_from_a_month_gives_no_day() -> None:
    assert day_in(DayOfMonth(31), 2026, 11) is None
    assert day_in(DayOfMonth(29), 2027, 2) is None
    assert day_in(DayOfMonth(29), 2028, 2) == date(2028, 2, 29)
    assert day_in(DayOfMonth(15), 2026, 12) == date(2026, 12, 15)


def test_every_rule_falls_on_its_weekday_in_every_month() -> None:
    for year in (2026, 2027, 2028):
        for month in range(1, 13):
            for weekday in range(7):
                days = [day_in(NthWeekday(weekday, n), year, month) for n in range(1, 6)]
                found = [d for d in days if d is not None]
                assert len(found) in (4, 5)
                assert all(d.weekday() == weekday for d in found)
                assert [d.day for d in found] == sorted(d.day for d in found)
                assert found[0].day <= 7
                assert day_in(NthWeekday(weekday, LAST), year, month) == found[-1]


@pytest.mark.parametrize(
    "rule", [NthWeekday(TUESDAY, 2), NthWeekday(FRIDAY, LAST), DayOfMonth(15), NthWeekday(6, 1)]
)
def test_the_short_code_reads_back_as_the_same_rule(rule: NthWeekday | DayOfMonth) -> None:
    assert parse_rule(code(rule)) == rule


def test_descriptions() -> None:
    assert code(NthWeekday(TUESDAY, 2)) == "selasa-2"
    assert describe(NthWeekday(TUESDAY, 2), "id") == "Selasa ke-2 setiap bulan"
    assert describe(NthWeekday(FRIDAY, LAST), "id") == "Jumat terakhir setiap bulan"
    assert describe(NthWeekday(TUESDAY, 2), "en") == "the second Tuesday of every month"
    assert describe(DayOfMonth(15), "id") == "setiap tanggal 15"
    assert describe(DayOfMonth(15), "en") == "day 15 of every month"
