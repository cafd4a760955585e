"""Months as people type them: "desember 2026", "des", "Dec", "agustus", "agt 26".

Indonesian and English names, whole or cut short, any case. A month without a year is the
latest such month that has begun (in December 2026, "des" is December 2026 and "jan" is
January 2026): a report is asked for a month that has happened."""

from __future__ import annotations

_NAMES = {
    1: ("januari", "january", "jan"),
    2: ("februari", "pebruari", "february", "feb", "peb"),
    3: ("maret", "march", "mar"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("agustus", "august", "agu", "agt", "ags", "aug"),
    9: ("september", "sept", "sep"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nopember", "nov", "nop"),
    12: ("desember", "december", "des", "dec"),
}
_BY_WORD = {word: number for number, words in _NAMES.items() for word in words}


def month_number(word: str) -> int | None:
    """1 to 12 for a month's name or its short form, else None."""
    return _BY_WORD.get(word.strip().strip(".,").lower())


def year_of(word: str) -> int | None:
    """A year written in full ("2026") or short ("26"), else None."""
    text = word.strip().strip(".,").lstrip("'")
    if not text.isascii() or not text.isdigit():
        return None
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        return 2000 + int(text)
    return None


def read_month(words: list[str], this_month: int) -> tuple[int, int] | None:
    """(month as YYYYMM, words used) when `words` starts with a month name, else None."""
    if not words:
        return None
    number = month_number(words[0])
    if number is None:
        return None
    if len(words) > 1 and (year := year_of(words[1])) is not None:
        return year * 100 + number, 2
    year = this_month // 100
    if number > this_month % 100:
        year -= 1
    return year * 100 + number, 1
