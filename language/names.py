"""People's names as typed to find oneself on a roster, and as shown to whoever holds a link.

An invite link travels (forwarded in a WhatsApp group, shown on a phone): whoever opens it
should learn no more of the roster than she needs to find herself. So she types her name
first, and only names matching it are shown, shortened to a first name and an initial."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
MIN_QUERY = 3  # fewer letters would list half the roster to whoever holds the link


def words(text: str) -> list[str]:
    """The words of a name, case-folded, without punctuation ("Siti Nur'aini" -> 2 words)."""
    return [word.casefold() for word in _WORD.findall(text)]


def short_name(name: str) -> str:
    """ "Siti Aminah Lestari" -> "Siti A."; a one-word name stays as it is."""
    parts = name.split()
    if len(parts) < 2:
        return name.strip()
    initial = next((c for c in parts[-1] if c.isalnum()), "")
    return f"{parts[0]} {initial.upper()}." if initial else parts[0]


def query_ok(query: str) -> bool:
    return len("".join(words(query))) >= MIN_QUERY


def matches(query: str, name: str) -> bool:
    """Every typed word starts a word of the name, in any order ("siti a" finds "Siti Aminah")."""
    wanted, have = words(query), words(name)
    return bool(wanted) and all(any(h.startswith(w) for h in have) for w in wanted)


def same_name(query: str, name: str) -> bool:
    """The whole name typed out, ignoring case and spacing."""
    return words(query) == words(name)
