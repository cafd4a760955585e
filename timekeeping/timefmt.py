"""Dates and times as the reader says them: "Sabtu, 5 Desember 2026 pukul 09.00 WIB".

Names are hard-coded rather than taken from the system locale, because servers rarely
have id_ID installed and a wrong month name in a meeting invitation sends people on the
wrong day. Any language other than English gets Indonesian, the bot's home language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from timekeeping.timeparse import utc_to_local


@dataclass(frozen=True)
class _Words:
    days: tuple[str, ...]
    short_days: tuple[str, ...]
    months: tuple[str, ...]
    at: str
    time_separator: str
    now: str
    soon: str
    tomorrow: str
    days_ahead: str
    hours_ahead: tuple[str, str]
    minutes_ahead: tuple[str, str]


_INDONESIAN = _Words(
    days=("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    short_days=("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"),
    months=(
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
    ),
    at="pukul",
    time_separator=".",
    now="sekarang",
    soon="sebentar lagi",
    tomorrow="besok",
    days_ahead="{n} hari lagi",
    hours_ahead=("{n} jam lagi", "{n} jam lagi"),
    minutes_ahead=("{n} menit lagi", "{n} menit lagi"),
)

_ENGLISH = _Words(
    days=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    short_days=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    at="at",
    time_separator=":",
    now="now",
    soon="in a moment",
    tomorrow="tomorrow",
    days_ahead="in {n} days",
    hours_ahead=("in {n} hour", "in {n} hours"),
    minutes_ahead=("in {n} minute", "in {n} minutes"),
)

# Indonesians know their zones by these names; tzdata's own abbreviations have changed before.
_INDONESIAN_ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def _words(lang: str) -> _Words:
    return _ENGLISH if lang.lower().startswith("en") else _INDONESIAN


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
    words = _words(lang)
    return f"{words.days[d.weekday()]}, {d.day} {words.months[d.month - 1]} {d.year}"


def format_time(t: time, lang: str) -> str:
    return f"{t.hour:02d}{_words(lang).time_separator}{t.minute:02d}"


def format_datetime(dt_utc: datetime, tz_name: str, lang: str) -> str:
    local = utc_to_local(dt_utc, tz_name)
    words = _words(lang)
    zone = tz_abbreviation(tz_name, local)
    return f"{format_date(local.date(), lang)} {words.at} {format_time(local.time(), lang)} {zone}"


def format_day_button(d: date, lang: str) -> str:
    return f"{_words(lang).short_days[d.weekday()]} {d.day}/{d.month}"


def format_relative_offset(td: timedelta, lang: str) -> str:
    """How far ahead something is: "3 hari lagi", "besok", "2 jam lagi".

    Partial units are dropped (1 day 5 hours reads "besok"), since reminders go out at
    whole offsets and the exact time is always printed beside this phrase.
    """
    if td < timedelta(0):
        raise ValueError("offset must not be negative")
    words = _words(lang)
    seconds = int(td.total_seconds())
    days, remainder = divmod(seconds, 86_400)
    hours, remainder = divmod(remainder, 3_600)
    minutes = remainder // 60
    if days >= 2:
        return words.days_ahead.format(n=days)
    if days == 1:
        return words.tomorrow
    if hours:
        return _counted(words.hours_ahead, hours)
    if minutes:
        return _counted(words.minutes_ahead, minutes)
    return words.now if seconds == 0 else words.soon


def _counted(forms: tuple[str, str], n: int) -> str:
    singular, plural = forms
    return (singular if n == 1 else plural).format(n=n)
