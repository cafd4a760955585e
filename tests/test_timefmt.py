from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from timekeeping.timefmt import (
    format_date,
    format_datetime,
    format_day_button,
    format_time,
    tz_abbreviation,
)

SATURDAY_9_WIB = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


def test_format_datetime_indonesian() -> None:
    text = format_datetime(SATURDAY_9_WIB, "Asia/Jakarta", "id")
    assert text == "Sabtu, 5 Desember 2026 pukul 09.00 WIB"


def test_format_datetime_english() -> None:
    text = format_datetime(SATURDAY_9_WIB, "Asia/Jakarta", "en")
    assert text == "Saturday, 5 December 2026 at 09:00 WIB"


def test_format_datetime_wita() -> None:
    text = format_datetime(datetime(2026, 12, 5, 1, 0, tzinfo=UTC), "Asia/Makassar", "id")
    assert text == "Sabtu, 5 Desember 2026 pukul 09.00 WITA"


def test_format_datetime_wita_is_already_saturday_on_utc_friday() -> None:
    friday_evening_utc = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
    assert format_datetime(friday_evening_utc, "Asia/Makassar", "id") == (
        "Sabtu, 5 Desember 2026 pukul 00.30 WITA"
    )
    assert format_datetime(friday_evening_utc, "Asia/Jakarta", "en") == (
        "Friday, 4 December 2026 at 23:30 WIB"
    )


def test_format_datetime_wit_across_utc_date_boundary() -> None:
    friday_utc = datetime(2026, 12, 4, 22, 30, tzinfo=UTC)
    assert format_datetime(friday_utc, "Asia/Jayapura", "id") == (
        "Sabtu, 5 Desember 2026 pukul 07.30 WIT"
    )
    assert format_datetime(friday_utc, "Asia/Jakarta", "id") == (
        "Sabtu, 5 Desember 2026 pukul 05.30 WIB"
    )
    assert format_datetime(friday_utc, "UTC", "en") == "Friday, 4 December 2026 at 22:30 UTC"


def test_format_datetime_accepts_naive_utc_from_database() -> None:
    text = format_datetime(datetime(2026, 12, 5, 2, 0), "Asia/Jakarta", "id")
    assert text == "Sabtu, 5 Desember 2026 pukul 09.00 WIB"


def test_format_datetime_unknown_language_falls_back_to_indonesian() -> None:
    assert format_datetime(SATURDAY_9_WIB, "Asia/Jakarta", "jv").startswith("Sabtu")
    assert format_datetime(SATURDAY_9_WIB, "Asia/Jakarta", "en-US").startswith("Saturday")


@pytest.mark.parametrize(
    ("day", "indonesian", "english"),
    [
        (date(2026, 11, 30), "Senin, 30 November 2026", "Monday, 30 November 2026"),
        (date(2026, 12, 1), "Selasa, 1 Desember 2026", "Tuesday, 1 December 2026"),
        (date(2026, 12, 2), "Rabu, 2 Desember 2026", "Wednesday, 2 December 2026"),
        (date(2026, 12, 3), "Kamis, 3 Desember 2026", "Thursday, 3 December 2026"),
        (date(2026, 12, 4), "Jumat, 4 Desember 2026", "Friday, 4 December 2026"),
        (date(2026, 12, 5), "Sabtu, 5 Desember 2026", "Saturday, 5 December 2026"),
        (date(2026, 12, 6), "Minggu, 6 Desember 2026", "Sunday, 6 December 2026"),
    ],
)
def test_format_date_every_weekday(day: date, indonesian: str, english: str) -> None:
    assert format_date(day, "id") == indonesian
    assert format_date(day, "en") == english


def test_format_date_every_indonesian_month() -> None:
    months = [format_date(date(2026, month, 1), "id").split()[2] for month in range(1, 13)]
    assert months == [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]


def test_format_time() -> None:
    assert format_time(time(9, 0), "id") == "09.00"
    assert format_time(time(9, 0), "en") == "09:00"
    assert format_time(time(13, 5), "id") == "13.05"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Jakarta", "WIB"),
        ("Asia/Pontianak", "WIB"),
        ("Asia/Makassar", "WITA"),
        ("Asia/Jayapura", "WIT"),
        ("UTC", "UTC"),
    ],
)
def test_tz_abbreviation(zone: str, expected: str) -> None:
    assert tz_abbreviation(zone) == expected


def test_tz_abbreviation_of_other_zones_follows_the_season() -> None:
    summer = datetime(2026, 7, 1, tzinfo=UTC)
    winter = datetime(2026, 1, 1, tzinfo=UTC)
    assert tz_abbreviation("Europe/Amsterdam", summer) == "CEST"
    assert tz_abbreviation("Europe/Amsterdam", winter) == "CET"


def test_tz_abbreviation_names_zones_with_only_a_numeric_abbreviation() -> None:
    assert tz_abbreviation("Asia/Ho_Chi_Minh") == "Asia/Ho_Chi_Minh"


def test_format_day_button() -> None:
    assert format_day_button(date(2026, 12, 5), "id") == "Sab 5/12"
    assert format_day_button(date(2026, 12, 5), "en") == "Sat 5/12"
    assert format_day_button(date(2027, 1, 4), "id") == "Sen 4/1"
