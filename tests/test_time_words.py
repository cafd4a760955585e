"""Time words said at the moment of sending, from the group's own calendar, in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from timekeeping.timefmt import day_word, format_duration, format_month, time_until

JAKARTA, MAKASSAR, JAYAPURA = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
SATURDAY_9_WIB = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
LATE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("before", "indonesian", "english"),
    [
        # Each default reminder (3 days, 1 day, 2 hours) sent a minute late.
        (timedelta(days=3) - LATE, "3 hari lagi", "in 3 days"),
        (timedelta(days=1) - LATE, "besok", "tomorrow"),
        (timedelta(hours=2) - LATE, "2 jam lagi", "in 2 hours"),
        (timedelta(hours=1) - LATE, "1 jam lagi", "in 1 hour"),
        # A few seconds either side of the hour.
        (timedelta(hours=2, seconds=5), "2 jam lagi", "in 2 hours"),
        (timedelta(hours=2, seconds=-5), "2 jam lagi", "in 2 hours"),
        (timedelta(minutes=3, seconds=-5), "3 menit lagi", "in 3 minutes"),
        (timedelta(minutes=30) - LATE, "29 menit lagi", "in 29 minutes"),
        (timedelta(minutes=1), "1 menit lagi", "in 1 minute"),
        (timedelta(seconds=20), "sebentar lagi", "in a moment"),
        (timedelta(0), "sekarang", "now"),
        (timedelta(hours=3, minutes=20), "3 jam lagi", "in 3 hours"),
        # Saturday 09.00 from Saturday 03.00: the day is named, not the hours counted.
        (timedelta(hours=6), "hari ini", "today"),
        (timedelta(days=2), "lusa", "the day after tomorrow"),
        (timedelta(days=10), "10 hari lagi", "in 10 days"),  # never "1 minggu"
    ],
)
def test_time_until_a_saturday_morning_meeting(
    before: timedelta, indonesian: str, english: str
) -> None:
    now = SATURDAY_9_WIB - before
    assert time_until(SATURDAY_9_WIB, now, JAKARTA, "id") == indonesian
    assert time_until(SATURDAY_9_WIB, now, JAKARTA, "en") == english


def test_tomorrow_morning_is_tomorrow_not_23_hours() -> None:
    # Friday 10.00 WIB for Saturday 09.00 WIB: 23 hours, one calendar day.
    now = SATURDAY_9_WIB - timedelta(hours=23)
    assert time_until(SATURDAY_9_WIB, now, JAKARTA, "id") == "besok"
    assert time_until(SATURDAY_9_WIB, now, JAKARTA, "en") == "tomorrow"


def test_days_are_local_calendar_days_not_hours_divided_by_24() -> None:
    sunday_8_wib = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
    friday_20_wib = datetime(2026, 12, 4, 13, 0, tzinfo=UTC)  # 36 hours before
    assert time_until(sunday_8_wib, friday_20_wib, JAKARTA, "id") == "lusa"
    assert day_word(sunday_8_wib, friday_20_wib, JAKARTA, "en") == "the day after tomorrow"


def test_midnight_crossing_near_the_meeting_counts_hours() -> None:
    half_past_midnight = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # Sat 00.30 WIB
    two_hours_before = half_past_midnight - timedelta(hours=2)  # Fri 22.30 WIB
    assert time_until(half_past_midnight, two_hours_before, JAKARTA, "id") == "2 jam lagi"
    # ... but its summary, a day before, names the day.
    assert day_word(half_past_midnight, two_hours_before, JAKARTA, "id") == "besok"


def test_local_midnight_not_utc_midnight_decides_the_day() -> None:
    # Friday 23.30 WIB is 16.30 UTC on the same Friday as the meeting's 23.00 UTC.
    saturday_6_wib = datetime(2026, 12, 4, 23, 0, tzinfo=UTC)
    friday_2330_wib = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
    assert time_until(saturday_6_wib, friday_2330_wib, JAKARTA, "id") == "besok"
    assert day_word(saturday_6_wib, friday_2330_wib, JAKARTA, "en") == "tomorrow"


@pytest.mark.parametrize(
    ("zone", "meeting_utc", "now_utc", "indonesian", "english"),
    [
        # WITA: Saturday 09.00 WITA from Friday 00.30 WITA (Thursday in UTC).
        (
            MAKASSAR,
            datetime(2026, 12, 5, 1, 0, tzinfo=UTC),
            datetime(2026, 12, 3, 16, 30, tzinfo=UTC),
            "besok",
            "tomorrow",
        ),
        # WIT: Saturday 07.00 WIT (Friday 22.00 UTC) from Friday 08.00 WIT.
        (
            JAYAPURA,
            datetime(2026, 12, 4, 22, 0, tzinfo=UTC),
            datetime(2026, 12, 3, 23, 0, tzinfo=UTC),
            "besok",
            "tomorrow",
        ),
        # WIT: the same instants seen from Jakarta are Friday 05.00 and Thursday 06.00.
        (
            JAKARTA,
            datetime(2026, 12, 4, 22, 0, tzinfo=UTC),
            datetime(2026, 12, 3, 23, 0, tzinfo=UTC),
            "besok",
            "tomorrow",
        ),
        # WIT: Saturday 07.00 from Friday 06.00 (Thursday 21.00 UTC), 25 hours.
        (
            JAYAPURA,
            datetime(2026, 12, 4, 22, 0, tzinfo=UTC),
            datetime(2026, 12, 3, 21, 0, tzinfo=UTC),
            "besok",
            "tomorrow",
        ),
        # WITA: Saturday 16.00 from Saturday 07.00, the same local day.
        (
            MAKASSAR,
            datetime(2026, 12, 5, 8, 0, tzinfo=UTC),
            datetime(2026, 12, 4, 23, 0, tzinfo=UTC),
            "hari ini",
            "today",
        ),
    ],
)
def test_every_indonesian_zone_uses_its_own_dates(
    zone: str, meeting_utc: datetime, now_utc: datetime, indonesian: str, english: str
) -> None:
    assert time_until(meeting_utc, now_utc, zone, "id") == indonesian
    assert time_until(meeting_utc, now_utc, zone, "en") == english


def test_day_word_names_today_tomorrow_and_later_days() -> None:
    morning = SATURDAY_9_WIB - timedelta(hours=2)
    assert day_word(SATURDAY_9_WIB, morning, JAKARTA, "id") == "hari ini"
    assert day_word(SATURDAY_9_WIB, morning, JAKARTA, "en") == "today"
    day_before = SATURDAY_9_WIB - timedelta(days=1) + LATE
    assert day_word(SATURDAY_9_WIB, day_before, JAKARTA, "id") == "besok"
    week_before = SATURDAY_9_WIB - timedelta(days=4)
    assert day_word(SATURDAY_9_WIB, week_before, JAKARTA, "id") == "hari Sabtu, 5 Desember"
    assert day_word(SATURDAY_9_WIB, week_before, JAKARTA, "en") == "on Saturday, 5 December"


def test_naive_utc_from_a_database_is_read_as_utc() -> None:
    naive = SATURDAY_9_WIB.replace(tzinfo=None)
    assert time_until(naive, naive - timedelta(hours=2), JAKARTA, "id") == "2 jam lagi"


def test_report_months_come_from_babel_in_both_languages() -> None:
    indonesian = [format_month(202600 + month, "id").split()[0] for month in range(1, 13)]
    assert (
        indonesian
        == (
            "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
        ).split()
    )
    assert format_month(202612, "id") == "Desember 2026"
    assert format_month(202701, "en") == "January 2027"


def test_configured_spans_are_said_exactly_with_babel_plurals() -> None:
    assert format_duration(timedelta(hours=24), "id") == "24 jam"
    assert format_duration(timedelta(hours=1), "en") == "1 hour"  # not "1 hours"
    assert format_duration(timedelta(hours=48), "en") == "48 hours"
    assert format_duration(timedelta(minutes=90), "id") == "90 menit"
