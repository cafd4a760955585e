"""Render P2K2 sessions as Telegram HTML (only <b> and <i>), always within one message."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from content.sessions import Module, Session, get_session, normalize_language

MESSAGE_LIMIT = 4096
BULLET = "• "
ELLIPSIS = "…"

HEADINGS: dict[str, dict[str, str]] = {
    "id": {
        "session": "Sesi",
        "module": "Modul",
        "minutes": "menit",
        "optional": "Materi tambahan, bukan sesi resmi bernomor dari modul 2018",
        "supplementary": "Materi tambahan",
        "key_messages": "Pesan utama",
        "discussion": "Bahan diskusi",
        "home_activity": "Kegiatan di rumah",
        "recap": "Ringkasan",
    },
    "en": {
        "session": "Session",
        "module": "Module",
        "minutes": "minutes",
        "optional": "Supplementary material, not a numbered session of the 2018 modules",
        "supplementary": "Supplementary material",
        "key_messages": "Key messages",
        "discussion": "Discussion questions",
        "home_activity": "Home activity",
        "recap": "Recap of",
    },
}

_Line = tuple[str | None, str]
_BLANK: _Line = (None, "")


def _headings(lang: str) -> dict[str, str]:
    return HEADINGS[normalize_language(lang)]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _render_line(line: _Line) -> str:
    tag, text = line
    body = escape(text, quote=False)
    return f"<{tag}>{body}</{tag}>" if tag else body


def _truncate(line: _Line, budget: int) -> str | None:
    tag, text = line
    low, high = 0, len(text)
    best: str | None = None
    while low <= high:
        keep = (low + high) // 2
        candidate = _render_line((tag, text[:keep].rstrip() + ELLIPSIS))
        if _units(candidate) <= budget:
            best = candidate if keep else best
            low = keep + 1
        else:
            high = keep - 1
    return best


def _fit(lines: Iterable[_Line], limit: int = MESSAGE_LIMIT) -> str:
    """Join lines; if the whole would pass ``limit`` UTF-16 units, cut the text, never a tag."""
    out: list[str] = []
    used = 0
    for line in lines:
        separator = 1 if out else 0
        rendered = _render_line(line)
        cost = separator + _units(rendered)
        if used + cost <= limit:
            out.append(rendered)
            used += cost
            continue
        truncated = _truncate(line, limit - used - separator)
        if truncated is not None:
            out.append(truncated)
        break
    return "\n".join(out).rstrip()


def label(session: Session, lang: str) -> str:
    """ "Sesi 3", or "Materi tambahan" for the stunting module: it has no official number."""
    h = _headings(lang)
    return h["supplementary"] if session.optional else f"{h['session']} {session.number}"


def module_label(session: Session, lang: str) -> str:
    """ "Modul 3: Kesehatan dan Gizi", or "Materi tambahan: Pencegahan dan Penanganan Stunting":
    the stunting material is not one of the 2018 modules, so it never shows a module number."""
    h = _headings(lang)
    if session.optional:
        return f"{h['supplementary']}: {session.module_title}"
    return f"{h['module']} {session.module_number}: {session.module_title}"


def session_label(number: int, lang: str) -> str:
    try:
        return label(get_session(number, lang), lang)
    except KeyError:  # a meeting of a session since taken out of the content
        return f"{_headings(lang)['session']} {number}"


def supplementary(module: Module) -> bool:
    """The stunting module has no official session numbers: all its sessions are optional."""
    return all(s.optional for s in module.sessions)


def session_button(session: Session) -> str:
    """ "3. Title"; supplementary material gets no number (it has no official one)."""
    return f"➕ {session.title}" if session.optional else f"{session.number}. {session.title}"


def _title_lines(session: Session, lang: str) -> list[_Line]:
    h = _headings(lang)
    lines: list[_Line] = [
        ("b", f"{label(session, lang)}: {session.title}"),
        (
            "i",
            f"{module_label(session, lang)} · {session.duration_minutes} {h['minutes']}",
        ),
    ]
    if session.optional:
        lines.append(("i", h["optional"]))
    return lines


def _bullets(items: Iterable[str]) -> list[_Line]:
    return [(None, f"{BULLET}{item}") for item in items]


def render_summary(session: Session, lang: str) -> str:
    """Title, module, summary, key messages, discussion questions and home activity."""
    h = _headings(lang)
    lines: list[_Line] = [
        *_title_lines(session, lang),
        _BLANK,
        (None, session.summary),
        _BLANK,
        ("b", h["key_messages"]),
        *_bullets(session.key_messages),
        _BLANK,
        ("b", h["discussion"]),
        *[
            (None, f"{index}. {question}")
            for index, question in enumerate(session.discussion_questions, start=1)
        ],
        _BLANK,
        ("b", h["home_activity"]),
        (None, session.home_activity),
    ]
    return _fit(lines)


def render_recap(session: Session, lang: str) -> str:
    """A short reminder after the meeting: title, key messages and home activity."""
    h = _headings(lang)
    lines: list[_Line] = [
        ("b", f"{h['recap']} {label(session, lang).lower()}: {session.title}"),
        _BLANK,
        *_bullets(session.key_messages),
        _BLANK,
        ("b", h["home_activity"]),
        (None, session.home_activity),
    ]
    return _fit(lines)
