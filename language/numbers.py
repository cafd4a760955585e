"""Numbers written as words, the way chairs type them, turned into digits.

No library reads Indonesian number words: text2num and word2number cover European languages
only, and num2words goes the other way (digits to words). Indonesian numerals are regular
(satu..sembilan, se-/X belas, X puluh, se-/X ratus), so a small grammar covers them, with the
informal and regional forms chairs use ("lapan", Javanese "wolu", "rolas").
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "ampat": 4,
    "lima": 5,
    "enam": 6,
    "anam": 6,
    "tujuh": 7,
    "tuju": 7,
    "delapan": 8,
    "lapan": 8,
    "delapn": 8,
    "dlapan": 8,
    "sembilan": 9,
    "sembilam": 9,
    "smbilan": 9,
    # Javanese, common in Central and East Java groups.
    "siji": 1,
    "loro": 2,
    "telu": 3,
    "papat": 4,
    "limo": 5,
    "enem": 6,
    "pitu": 7,
    "wolu": 8,
    "songo": 9,
    "sanga": 9,
    # Javanese krama ("ingkang rawuh kalih welas") and its forms before "welas"/"dasa".
    "setunggal": 1,
    "kalih": 2,
    "tigang": 3,
    "sekawan": 4,
    "gangsal": 5,
    "nem": 6,
    "pitung": 7,
    "wolung": 8,
    "sangang": 9,
    # Only before "puluh": "rong puluh" (20), "telung puluh" (30), "patang puluh" (40).
    "rong": 2,
    "telung": 3,
    "patang": 4,
    # Sundanese
    "hiji": 1,
    "tilu": 3,
    "opat": 4,
    "genep": 6,
    "dalapan": 8,
    "salapan": 9,
    # English
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
WHOLE: dict[str, int] = {
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "sewelas": 11,
    "rolas": 12,
    "telulas": 13,
    "patbelas": 14,
    "limolas": 15,
    "nembelas": 16,
    "pitulas": 17,
    "wolulas": 18,
    "songolas": 19,
    "rongpuluh": 20,
    "selikur": 21,
    "rolikur": 22,
    "telulikur": 23,
    "patlikur": 24,
    "selawe": 25,
    "nemlikur": 26,
    "pitulikur": 27,
    "wolulikur": 28,
    "songolikur": 29,
    "telungpuluh": 30,
    "sedasa": 10,
    "selangkung": 25,
    "telolas": 13,
    "limalas": 15,
    "sangalas": 19,
    "sapuluh": 10,
    "sabelas": 11,
    "salikur": 21,
    "salawe": 25,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "dozen": 12,
    "selusin": 12,
}
_TENS_EN = {"twenty", "thirty", "forty", "fifty"}
# "welas" is the Sundanese "belas" ("tilu welas" is 13); "likur" adds to twenty ("dua likur"
# is 22, in Sundanese and Javanese).
_JOINERS = {"belas", "welas", "puluh", "dasa", "ratus", "likur"}
WORDS = set(UNITS) | set(WHOLE) | _JOINERS

# "satu" in these is not a count: "salah satu" (one of), "satu-satu" (one by one).
_NOT_COUNTS = re.compile(r"\b(salah satu|satu[\s-]satu|satu per satu|one of|no one|one by one)\b")
_SEQUENCE = re.compile(
    r"\b(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
    r"(?:[\s-]+(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r"))*\b"
)


_GLUED = re.compile(
    r"\b(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")(belas|welas|puluh|dasa|likur)\b"
)


def value_of(words: list[str]) -> int | None:
    """The number a sequence of number words spells, or None when it spells none.

    "dua puluh lima" is 25; "dua tiga" is not one number (it is "two or three")."""
    total, chunk, last = 0, 0, ""
    for word in words:
        if word in UNITS:
            if last in ("unit", "small"):
                return None
            if last == "tens_en":
                chunk += UNITS[word]
                last = "small"
                continue
            chunk += UNITS[word]
            last = "unit"
        elif word in WHOLE:
            if last in ("unit", "small", "tens_en"):
                return None
            value = WHOLE[word]
            if value == 100:
                total += 100
                chunk, last = 0, "hundred"
            else:
                chunk += value
                last = "tens_en" if word in _TENS_EN else "small"
        elif word in ("belas", "welas") and last == "unit" and 1 <= chunk % 10 <= 9:
            chunk += 10
            last = "small"
        elif word == "likur" and last == "unit" and 1 <= chunk <= 9:
            chunk += 20
            last = "small"
        elif word in ("puluh", "dasa") and last == "unit" and 1 <= chunk % 10 <= 9:
            chunk = (chunk - chunk % 10) + (chunk % 10) * 10
            last = "tens"
        elif word == "ratus" and last == "unit" and 1 <= chunk <= 9:
            total += chunk * 100
            chunk, last = 0, "hundred"
        else:
            return None
    if last == "":
        return None
    return total + chunk


# A digit typed before a joiner: "3 welas" is 13, "2 puluh 5" is 25, "2 likur" is 22.
_DIGIT_JOINED = re.compile(r"\b([1-9])\s*(belas|welas|puluh|dasa|likur)(?:\s+([1-9])\b)?")


def _digit_joined(match: re.Match[str]) -> str:
    digit, joiner, unit = int(match[1]), match[2], match[3]
    if joiner in ("belas", "welas"):
        value = 10 + digit
    elif joiner == "likur":
        value = 20 + digit
    else:
        value = digit * 10 + (int(unit) if unit else 0)
        unit = None
    return f"{value} {unit}" if unit else str(value)


def words_to_digits(text: str) -> str:
    """Replace every run of number words with its digits; an unreadable run becomes "~".

    "~" marks a vague amount ("dua tiga orang" is two or three people), which the reader
    treats as an estimate, never as a count."""
    text = _NOT_COUNTS.sub(lambda m: m[0].replace(" ", "_").replace("-", "_"), text)
    text = _GLUED.sub(r"\1 \2", text)  # "duawelas", "duapuluh", "tigabelas"
    text = _DIGIT_JOINED.sub(_digit_joined, text)  # "3 welas", "2 puluh 5", "4 likur"

    def replace(match: re.Match[str]) -> str:
        words = re.split(r"[\s-]+", match[0])
        value = value_of(words)
        if value is not None:
            return str(value)
        return " ~ "

    return _SEQUENCE.sub(replace, text)
