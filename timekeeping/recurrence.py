"""A group's monthly meeting day in the words facilitators use.

"selasa-2", "Selasa minggu kedua", "setiap Selasa ke-2", "second Tuesday", "2nd tue",
"jumat terakhir", "last Friday": the nth weekday of the month. "tanggal 15", "tgl 15",
"the 15th", "day 15": a fixed day of the month.

A rule that a month cannot satisfy (the 5th Tuesday of a month with four, the 31st of
November) gives no date for that month: the caller flags it to the facilitator instead of
quietly moving the meeting to another week, which members would not expect."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from babel.dates import get_day_names

LAST = -1
MAX_NTH = 5

RuleErrorCode = Literal["empty", "format", "no_nth", "nth_range", "day_range", "ambiguous"]


@dataclass(frozen=True)
class NthWeekday:
    """The nth given weekday of the month (nth 1 to 5, or LAST)."""

    weekday: int  # 0 Monday ... 6 Sunday, as date.weekday()
    nth: int


@dataclass(frozen=True)
class DayOfMonth:
    """The same day number every month."""

    day: int


DayRule = NthWeekday | DayOfMonth


class RuleInputError(ValueError):
    """Not a usable meeting-day rule: `code` says why, `words` what was not understood."""

    def __init__(self, code: RuleErrorCode, words: str = "") -> None:
        super().__init__(code)
        self.code: RuleErrorCode = code
        self.words = words


_WEEKDAYS = {
    "senin": 0,
    "sen": 0,
    "selasa": 1,
    "sel": 1,
    "rabu": 2,
    "rab": 2,
    "kamis": 3,
    "kam": 3,
    "jumat": 4,
    "jum": 4,
    "sabtu": 5,
    "sab": 5,
    "minggu": 6,
    "ahad": 6,
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
# "Minggu" is both Sunday and "week": in "Selasa minggu kedua" it is the week.
_SUNDAY_OR_WEEK = "minggu"
_ORDINALS = {
    "pertama": 1,
    "kesatu": 1,
    "satu": 1,
    "kedua": 2,
    "dua": 2,
    "ketiga": 3,
    "tiga": 3,
    "keempat": 4,
    "empat": 4,
    "kelima": 5,
    "lima": 5,
    "terakhir": LAST,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "last": LAST,
}
_DAY_MARKERS = {"tanggal", "tgl", "tg", "date", "day"}
_FILLERS = {
    "setiap",
    "tiap",
    "tiap2",
    "tiap-tiap",
    "hari",
    "pada",
    "ke",
    "bulan",
    "dalam",
    "di",
    "every",
    "each",
    "on",
    "the",
    "of",
    "a",
    "in",
    "month",
    "monthly",
    "week",
}
_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?", re.ASCII)
_SPLIT = re.compile(r"[\s,;\-/]+")


def _tokens(text: str) -> list[str]:
    cleaned = text.lower().replace("’", "'").replace("jum'at", "jumat")
    cleaned = re.sub(r"\bke-?(\d)", r"ke \1", cleaned)  # "ke-2", "ke2" -> "ke 2"
    return [token.strip(".") for token in _SPLIT.split(cleaned) if token.strip(".")]


def parse_rule(text: str) -> DayRule:
    """The rule in `text`, or RuleInputError saying what is missing or not understood."""
    tokens = _tokens(text)
    if not tokens:
        raise RuleInputError("empty")
    weekdays = [(i, _WEEKDAYS[t]) for i, t in enumerate(tokens) if t in _WEEKDAYS]
    if len(weekdays) > 1:
        # "Selasa minggu kedua": drop the "minggu" that means week, keep the real weekday.
        weekdays = [(i, d) for i, d in weekdays if tokens[i] != _SUNDAY_OR_WEEK] or weekdays[:1]
    used = {i for i, _ in weekdays} | {i for i, t in enumerate(tokens) if t == _SUNDAY_OR_WEEK}
    numbers: list[int] = []
    ordinals: list[int] = []
    marker = False
    unknown: list[str] = []
    for index, token in enumerate(tokens):
        if index in used or token in _FILLERS:
            continue
        if token in _DAY_MARKERS:
            marker = True
        elif token in _ORDINALS:
            ordinals.append(_ORDINALS[token])
        elif found := _NUMBER.fullmatch(token):
            numbers.append(int(found[1]))
        else:
            unknown.append(token)
    if unknown:
        raise RuleInputError("format", " ".join(unknown))
    if len(weekdays) > 1 or len(numbers) + len(ordinals) > 1:
        raise RuleInputError("ambiguous", text.strip())
    if weekdays and not marker:
        if not numbers and not ordinals:
            raise RuleInputError("no_nth")
        nth = (numbers or ordinals)[0]
        if nth != LAST and not 1 <= nth <= MAX_NTH:
            raise RuleInputError("nth_range", str(nth))
        return NthWeekday(weekdays[0][1], nth)
    if numbers and not weekdays:
        if not 1 <= numbers[0] <= 31:
            raise RuleInputError("day_range", str(numbers[0]))
        return DayOfMonth(numbers[0])
    raise RuleInputError("format", text.strip())


def day_in(rule: DayRule, year: int, month: int) -> date | None:
    """The rule's date in that month, or None when the month has no such day."""
    length = calendar.monthrange(year, month)[1]
    if isinstance(rule, DayOfMonth):
        return date(year, month, rule.day) if rule.day <= length else None
    first = date(year, month, 1)
    first_match = 1 + (rule.weekday - first.weekday()) % 7
    matches = list(range(first_match, length + 1, 7))
    if rule.nth == LAST:
        return date(year, month, matches[-1])
    return date(year, month, matches[rule.nth - 1]) if rule.nth <= len(matches) else None


def code(rule: DayRule) -> str:
    """The short Indonesian form the one-line command takes: "selasa-2", "tanggal-15"."""
    if isinstance(rule, DayOfMonth):
        return f"tanggal-{rule.day}"
    name = str(get_day_names("wide", locale="id")[rule.weekday]).lower()
    return f"{name}-{'terakhir' if rule.nth == LAST else rule.nth}"


_ENGLISH_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", LAST: "last"}


def describe(rule: DayRule, lang: str) -> str:
    """The rule as people say it: "Selasa ke-2 setiap bulan", "the second Tuesday of the month"."""
    english = lang.lower().startswith("en")
    if isinstance(rule, DayOfMonth):
        if english:
            return f"day {rule.day} of every month"
        return f"setiap tanggal {rule.day}"
    day = str(get_day_names("wide", locale="en" if english else "id")[rule.weekday])
    if english:
        return f"the {_ENGLISH_ORDINALS[rule.nth]} {day} of every month"
    nth = "terakhir" if rule.nth == LAST else f"ke-{rule.nth}"
    return f"{day} {nth} setiap bulan"
