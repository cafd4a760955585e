"""Split long HTML texts at line breaks so each part stays under Telegram's limit."""

from __future__ import annotations

LIMIT = 4096


def split_html(text: str, limit: int = LIMIT) -> tuple[str, ...]:
    """Parts of at most `limit` characters, cut between lines (or words) and never inside a tag.

    Callers put user text in without tags of its own (it is escaped), so cutting between
    lines never leaves a tag open except the ones we wrote around a whole line."""
    if len(text) <= limit:
        return (text,)
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _pieces(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return tuple(parts)


def _pieces(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    current = ""
    for word in line.split(" "):
        while len(word) > limit:
            if current:
                pieces.append(current)
                current = ""
            cut = _safe_cut(word, limit)
            pieces.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces


def _safe_cut(word: str, limit: int) -> int:
    """Do not cut an HTML entity such as &amp; in half."""
    cut = limit
    amp = word.rfind("&", max(0, cut - 8), cut)
    if amp != -1 and ";" not in word[amp:cut]:
        cut = amp
    return cut
