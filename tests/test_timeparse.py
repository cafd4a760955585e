from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from timekeeping.timeparse import (
    DateInputError,
    TimeInputError,
    local_to_utc,
    parse_date,
    parse_duration,
    parse_offsets,
    parse_time,
    utc_to_local,
)

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    "text",
    [
        "25/12/2026",
        "25-12-2026",
        "25.12.2026",
        "25/12/26",
        "25/12",
        "2026-12-25",
        "  25/12/2026  ",
        "\t2026-12-25\n",
    ],
)
def test_parse_date_accepts_common_forms(text: str) -> None:
    assert parse_date(text, TODAY) == date(2026, 12, 25)


def test_parse_date_accepts_single_digit_day_and_month() -> None:
    assert parse_date("5/7/2026", TODAY) == date(2026, 7, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hari ini", TODAY),
        ("Hari  Ini", TODAY),
        ("besok", TODAY + timedelta(days=1)),
        ("BESOK", TODAY + timedelta(days=1)),
        ("lusa", TODAY + timedelta(days=2)),
        ("today", TODAY),
        ("Tomorrow ", TODAY + timedelta(days=1)),
    ],
)
def test_parse_date_relative_words(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_day_month_without_year_stays_this_year_when_still_ahead() -> None:
    assert parse_date("20/6", TODAY) == date(2026, 6, 20)


def test_day_month_without_year_today_is_today() -> None:
    assert parse_date("15/6", TODAY) == TODAY


def test_day_month_without_year_wraps_to_next_year_when_past() -> None:
    assert parse_date("10/6", TODAY) == date(2027, 6, 10)
    assert parse_date("5/1", date(2026, 12, 20)) == date(2027, 1, 5)


def test_leap_day_without_year_finds_next_leap_year() -> None:
    assert parse_date("29/02", date(2027, 6, 1)) == date(2028, 2, 29)


def test_leap_day_without_year_when_neither_year_has_one() -> None:
    with pytest.raises(DateInputError) as info:
        parse_date("29/02", TODAY)
    assert info.value.code == "invalid"


@pytest.mark.parametrize(
    "text",
    ["31/02/2026", "32/1/2026", "1/13/2026", "0/5/2026", "31/02", "32/1", "1/13", "2026-02-30"],
)
def test_parse_date_invalid_calendar_dates(text: str) -> None:
    with pytest.raises(DateInputError) as info:
        parse_date(text, TODAY)
    assert info.value.code == "invalid"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "25/12/202",
        "25/12-2026",
        "25 Desember",
        "2026/12",
        "12",
        "kemarin",
        "1/2/3/4",
    ],
)
def test_parse_date_not_a_date(text: str) -> None:
    with pytest.raises(DateInputError) as info:
        parse_date(text, TODAY)
    assert info.value.code == "format"


@pytest.mark.parametrize("text", ["14/06/2026", "1/1/25", "2026-06-14", "15/6/2025"])
def test_parse_date_past(text: str) -> None:
    with pytest.raises(DateInputError) as info:
        parse_date(text, TODAY)
    assert info.value.code == "past"


def test_date_error_is_a_value_error_with_code_as_message() -> None:
    error = DateInputError("past")
    assert isinstance(error, ValueError)
    assert str(error) == "past"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("09.00", time(9, 0)),
        ("9.00", time(9, 0)),
        ("9", time(9, 0)),
        ("0900", time(9, 0)),
        ("900", time(9, 0)),
        ("9:30", time(9, 30)),
        (" 13.45 ", time(13, 45)),
        ("0", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "25.00", "9:60", "24", "2400", "99"])
def test_parse_time_invalid(text: str) -> None:
    with pytest.raises(TimeInputError) as info:
        parse_time(text)
    assert info.value.code == "invalid"


@pytest.mark.parametrize("text", ["abc", "", "9:5", "09:00:00", "12345", "9 pagi", "-1", "9,30"])
def test_parse_time_format(text: str) -> None:
    with pytest.raises(TimeInputError) as info:
        parse_time(text)
    assert info.value.code == "format"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        (" 2H ", timedelta(hours=2)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["0h", "-2h", "2", "h", "2w", "1.5h", "", "99999999999d"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_parse_offsets_sorts_longest_first_and_drops_duplicates() -> None:
    assert parse_offsets("2h, 3d,1d,2h,24h") == (
        timedelta(days=3),
        timedelta(days=1),
        timedelta(hours=2),
    )


def test_parse_offsets_single_item() -> None:
    assert parse_offsets("30m") == (timedelta(minutes=30),)


@pytest.mark.parametrize(
    ("text", "named"),
    [("3d,xx,2h", "'xx'"), ("3d,0h", "'0h'"), ("3d,,2h", "position 2"), ("3d,", "position 2")],
)
def test_parse_offsets_names_the_bad_item(text: str, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        parse_offsets(text)


@pytest.mark.parametrize("text", ["", "  "])
def test_parse_offsets_rejects_empty(text: str) -> None:
    with pytest.raises(ValueError):
        parse_offsets(text)


def test_local_to_utc_for_each_indonesian_zone() -> None:
    meeting_day, nine = date(2026, 12, 5), time(9, 0)
    assert local_to_utc(meeting_day, nine, "Asia/Jakarta") == datetime(2026, 12, 5, 2, tzinfo=UTC)
    assert local_to_utc(meeting_day, nine, "Asia/Makassar") == datetime(2026, 12, 5, 1, tzinfo=UTC)
    assert local_to_utc(meeting_day, nine, "Asia/Jayapura") == datetime(2026, 12, 5, 0, tzinfo=UTC)


def test_local_to_utc_crosses_the_date_line_backwards() -> None:
    result = local_to_utc(date(2026, 12, 5), time(7, 30), "Asia/Jayapura")
    assert result == datetime(2026, 12, 4, 22, 30, tzinfo=UTC)
    assert result.utcoffset() == timedelta(0)


def test_utc_to_local_round_trips() -> None:
    instant = datetime(2026, 12, 4, 22, 30, tzinfo=UTC)
    local = utc_to_local(instant, "Asia/Jayapura")
    assert (local.date(), local.time()) == (date(2026, 12, 5), time(7, 30))
    assert local == instant


def test_utc_to_local_treats_naive_as_utc() -> None:
    local = utc_to_local(datetime(2026, 12, 5, 1, 0), "Asia/Makassar")
    assert (local.hour, local.utcoffset()) == (9, timedelta(hours=8))
