"""Dates, times and time words as the reader says them: "Sabtu, 5 Desember 2026 pukul 09.00
WIB", "besok", "2 jam lagi".

Names of days and months, the time separator and the units of durations come from Babel's
copy of CLDR, so they are right whatever locales the server has installed (servers rarely
have id_ID, and a wrong month name in a meeting invitation sends people on the wrong day).
Any language other than English gets Indonesian, the bot's home language.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_date as babel_date
from babel.dates import format_skeleton, format_timedelta
from babel.units import format_unit

from content.texts import t
from timekeeping.locales import babel_locale
from timekeeping.timeparse import utc_to_local

DATE_PATTERN = "EEEE, d MMMM y"  # Sabtu, 5 Desember 2026
DAY_PATTERN = "EEEE, d MMMM"  # Sabtu, 5 Desember
BUTTON_PATTERN = "EEE d/M"  # Sab 5/12
MONTH_PATTERN = "LLLL y"  # Desember 2026 (the stand-alone month name)
# Up to this many hours ahead people count the hours ("2 jam lagi"); further ahead they
# name the day ("besok"), since "23 jam lagi" for tomorrow morning makes the reader count.
COUNT_HOURS_UP_TO = 3

# From 55 minutes people say "an hour": a one-hour reminder sent a minute late is "1 jam lagi".
SAY_AN_HOUR_FROM = 55

# Indonesians know their zones by these names; tzdata's own abbreviations have changed before.
_INDONESIAN_ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def tz_abbreviation(tz_name: str, at: datetime | None = None) -> str:
    """WIB, WITA or WIT for Indonesian zones; otherwise the zone's abbreviation at `at`.

    Zones whose abbreviation is only a number such as "+07" are named in full instead.
    """
    if tz_name in _INDONESIAN_ZONES:
        return _INDONESIAN_ZONES[tz_name]
    moment = at if at is not None else datetime.now(UTC)
    abbreviation = utc_to_local(moment, tz_name).tzname() or ""
    return abbreviation if abbreviation.isalpha() else tz_name


def format_date(d: date, lang: str) -> str:
    """ "Sabtu, 5 Desember 2026" / "Saturday, 5 December 2026"."""
    return babel_date(d, DATE_PATTERN, locale=babel_locale(lang))


def format_time(t_: time, lang: str) -> str:
    """24-hour clock with the language's separator: "09.00" / "09:00"."""
    return format_skeleton("Hm", t_, locale=babel_locale(lang))


def format_datetime(dt_utc: datetime, tz_name: str, lang: str) -> str:
    """ "Sabtu, 5 Desember 2026 pukul 09.00 WIB" in the group's zone."""
    local = utc_to_local(dt_utc, tz_name)
    return t(
        lang,
        "time.at",
        date=format_date(local.date(), lang),
        time=format_time(local.time(), lang),
        zone=tz_abbreviation(tz_name, local),
    )


def format_day_button(d: date, lang: str) -> str:
    """ "Sab 5/12": short enough for a row of day buttons."""
    return babel_date(d, BUTTON_PATTERN, locale=babel_locale(lang))


def format_month(month: int, lang: str) -> str:
    """A report month held as 202612: "Desember 2026" / "December 2026"."""
    first = date(month // 100, month % 100, 1)
    return babel_date(first, MONTH_PATTERN, locale=babel_locale(lang))


def days_apart(starts_at: datetime, now: datetime, tz_name: str) -> int:
    """How many calendar days ahead `starts_at` is on the group's own calendar (its local
    dates), not hours divided by 24: Friday 23:30 to Saturday 06:00 is one day."""
    return (utc_to_local(starts_at, tz_name).date() - utc_to_local(now, tz_name).date()).days


def day_word(starts_at: datetime, now: datetime, tz_name: str, lang: str) -> str:
    """The day as people name it from `now`: "hari ini", "besok", "lusa", else "hari Sabtu,
    5 Desember"."""
    days = days_apart(starts_at, now, tz_name)
    if days == 0:
        return t(lang, "time.today")
    if days == 1:
        return t(lang, "time.tomorrow")
    if days == 2:
        return t(lang, "time.day_after")
    local = utc_to_local(starts_at, tz_name).date()
    return t(lang, "time.on_date", date=babel_date(local, DAY_PATTERN, locale=babel_locale(lang)))


def time_until(starts_at: datetime, now: datetime, tz_name: str, lang: str) -> str:
    """How far ahead `starts_at` is, said at `now`, the moment the words are written.

    Rounded the way people speak, to the nearest minute or hour, so a reminder sent a moment
    after its time still reads "2 jam lagi", not "1 jam lagi". Further than a few hours
    ahead the day is named from the group's local calendar: "besok", "lusa", "3 hari lagi".
    """
    remaining = _as_utc(starts_at) - _as_utc(now)
    if remaining <= timedelta(0):
        return t(lang, "time.now")
    locale = babel_locale(lang)
    minutes = _round_half_up(remaining, timedelta(minutes=1))
    if minutes == 0:
        return t(lang, "time.moment")
    if minutes < SAY_AN_HOUR_FROM:
        return _ahead(
            lang, format_timedelta(timedelta(minutes=minutes), threshold=1, locale=locale)
        )
    hours = _round_half_up(remaining, timedelta(hours=1))
    if hours <= COUNT_HOURS_UP_TO:
        return _ahead(lang, format_timedelta(timedelta(hours=hours), threshold=1, locale=locale))
    days = days_apart(starts_at, now, tz_name)
    if days <= 2:
        return day_word(starts_at, now, tz_name, lang)
    # format_unit, not format_timedelta: that would call 10 days "1 minggu".
    return _ahead(lang, format_unit(days, "duration-day", locale=locale))


def format_duration(span: timedelta, lang: str) -> str:
    """A configured span in its own unit: "24 jam", "1 hour", "90 minutes" (never rounded:
    a facilitator is told exactly when a chase or an escalation comes)."""
    minutes = _round_half_up(span, timedelta(minutes=1))
    locale = babel_locale(lang)
    if minutes % 60:
        return format_unit(minutes, "duration-minute", locale=locale)
    return format_unit(minutes // 60, "duration-hour", locale=locale)


def _ahead(lang: str, duration: str) -> str:
    return t(lang, "time.in", duration=duration)


def _round_half_up(span: timedelta, unit: timedelta) -> int:
    return (2 * span + unit) // (2 * unit)


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes from the database are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
