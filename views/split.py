"""Split long HTML texts at line breaks so each part stays under Telegram's limit.

Telegram counts a message's length after parsing its entities: the text people see, where
"&lt;" is one character and "<b>" is none, measured in UTF-16 code units (an emoji counts
two). Measuring the HTML we send instead split an escaped complaint into more parts than
needed, and an emoji-rich text could still pass the limit."""

from __future__ import annotations

import html
import re

LIMIT = 4096

_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_length(text: str) -> int:
    """The length Telegram checks: tags removed, entities as their character, in UTF-16."""
    if text.isascii() and "<" not in text and "&" not in text:
        return len(text)  # most words: nothing to parse
    return utf16_units(html.unescape(_TAG.sub("", text)))


def split_html(text: str, limit: int = LIMIT) -> tuple[str, ...]:
    """Parts of at most `limit` visible characters, cut between lines (or words) and never
    inside a tag or an entity.

    Callers put user text in without tags of its own (it is escaped), so cutting between
    lines never leaves a tag open except the ones we wrote around a whole line."""
    if visible_length(text) <= limit:
        return (text,)
    # Lengths add up piece by piece (a line break or a space is one unit), so each piece is
    # measured once, not every candidate again.
    parts: list[str] = []
    current, size = "", 0
    for line in text.split("\n"):
        for piece, length in _pieces(line, limit):
            if current and size + 1 + length <= limit:
                current, size = f"{current}\n{piece}", size + 1 + length
            elif not current:
                current, size = piece, length
            else:
                parts.append(current)
                current, size = piece, length
    if current:
        parts.append(current)
    return tuple(parts)


def _pieces(line: str, limit: int) -> list[tuple[str, int]]:
    """The line in pieces of at most `limit` visible units, with their lengths."""
    length = visible_length(line)
    if length <= limit:
        return [(line, length)]
    pieces: list[tuple[str, int]] = []
    current, size = "", 0
    for word in line.split(" "):
        word_length = visible_length(word)
        while word_length > limit:
            if current:
                pieces.append((current, size))
                current, size = "", 0
            cut = _safe_cut(word, limit)
            pieces.append((word[:cut], visible_length(word[:cut])))
            word = word[cut:]
            word_length = visible_length(word)
        if current and size + 1 + word_length <= limit:
            current, size = f"{current} {word}", size + 1 + word_length
        elif not current:
            current, size = word, word_length
        else:
            pieces.append((current, size))
            current, size = word, word_length
    if current:
        pieces.append((current, size))
    return pieces


def _safe_cut(word: str, limit: int) -> int:
    """Where to cut a word longer than `limit` visible units: never inside an entity such
    as &amp; or between the two halves of an emoji."""
    seen = index = 0
    while index < len(word):
        entity = _ENTITY.match(word, index) if word[index] == "&" else None
        end = entity.end() if entity else index + 1
        units = utf16_units(html.unescape(word[index:end]))
        if seen + units > limit:
            break
        seen += units
        index = end
    return max(index, 1)
