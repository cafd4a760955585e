"""Numbers as people read them: whole percentages rounded half up, formatted with Babel.

One rule for chat, files and charts: 5 of 8 is 63 %, as people, Excel and LibreOffice round
(Python's round() and Babel's format_percent round half to even and would say 62 %)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

from timekeeping.locales import babel_locale


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` as a whole percentage rounded half up; None when `whole` is 0."""
    if whole <= 0:
        return None
    # Integer arithmetic: floats would turn 28.5 into 28.4999... and round it down.
    return (200 * part + whole) // (2 * whole)


def format_percent(value: int | None, lang: str) -> str:
    """A whole percentage from percent() in the reader's language ("63%"); "" for None."""
    if value is None:
        return ""
    return babel_percent(Decimal(value) / 100, locale=babel_locale(lang))


def format_number(value: int, lang: str) -> str:
    """A count with the language's grouping: 1.234 in Indonesian, 1,234 in English."""
    return format_decimal(value, locale=babel_locale(lang))
