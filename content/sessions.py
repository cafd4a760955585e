"""P2K2 session material (2018 modules) loaded from ``content/sessions/<lang>.yaml``.

Sessions 1-14 are the core cycle, delivered in order about once a month. Session 15 (the
stunting module) is optional: it can be chosen by hand but is never proposed automatically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SUPPORTED_LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"
CORE_SESSION_COUNT = 14

POLL_QUESTION_MAX = 300
POLL_OPTION_MAX = 100
QUIZ_EXPLANATION_MAX = 200
AIM_MAX = 120
SUMMARY_WORDS = (60, 120)
DURATION_MINUTES = (120, 140)
KEY_MESSAGES = (3, 6)
DISCUSSION_QUESTIONS = (2, 4)
QUIZ_ITEMS = (2, 3)
QUIZ_OPTIONS = (3, 4)

_DATA_DIR = Path(__file__).with_name("sessions")


class ContentError(ValueError):
    """The YAML file does not have the expected shape."""


@dataclass(frozen=True)
class QuizItem:
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str


@dataclass(frozen=True)
class Session:
    number: int
    module_number: int
    module_title: str
    title: str
    duration_minutes: int
    aim: str
    summary: str
    key_messages: tuple[str, ...]
    discussion_questions: tuple[str, ...]
    home_activity: str
    quiz: tuple[QuizItem, ...]
    optional: bool = False


@dataclass(frozen=True)
class Module:
    number: int
    title: str
    sessions: tuple[Session, ...]


def normalize_language(lang: str | None) -> str:
    """Map a Telegram ``language_code`` such as ``"en-US"`` to a supported code, else ``"id"``."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def _where(context: str, key: str) -> str:
    return f"{context}: {key}" if context else key


def _get(data: Mapping[str, Any], key: str, context: str) -> Any:
    if key not in data:
        raise ContentError(f"{_where(context, key)} is missing")
    return data[key]


def _text(data: Mapping[str, Any], key: str, context: str) -> str:
    value = _get(data, key, context)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{_where(context, key)} must be a non-empty string")
    return " ".join(value.split())


def _int(data: Mapping[str, Any], key: str, context: str) -> int:
    value = _get(data, key, context)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(f"{_where(context, key)} must be an integer")
    return value


def _texts(data: Mapping[str, Any], key: str, context: str) -> tuple[str, ...]:
    value = _get(data, key, context)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{_where(context, key)} must be a list of non-empty strings")
    return tuple(" ".join(v.split()) for v in value)


def _mappings(data: Mapping[str, Any], key: str, context: str) -> list[Mapping[str, Any]]:
    value = _get(data, key, context)
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise ContentError(f"{_where(context, key)} must be a list of mappings")
    return list(value)


def _parse_quiz(data: Mapping[str, Any], context: str) -> QuizItem:
    return QuizItem(
        question=_text(data, "question", context),
        options=_texts(data, "options", context),
        correct=_int(data, "correct", context),
        explanation=_text(data, "explanation", context),
    )


def _parse(document: Any, source: str) -> tuple[Session, ...]:
    if not isinstance(document, Mapping):
        raise ContentError(f"{source}: the top level must be a mapping")
    module_titles: dict[int, str] = {}
    for raw_module in _mappings(document, "modules", source):
        number = _int(raw_module, "number", f"{source} module")
        module_titles[number] = _text(raw_module, "title", f"{source} module {number}")
    sessions: list[Session] = []
    for raw in _mappings(document, "sessions", source):
        number = _int(raw, "number", f"{source} session")
        context = f"{source} session {number}"
        module_number = _int(raw, "module", context)
        if module_number not in module_titles:
            raise ContentError(f"{context}: module {module_number} is not defined")
        optional = raw.get("optional", False)
        if not isinstance(optional, bool):
            raise ContentError(f"{context}: optional must be true or false")
        sessions.append(
            Session(
                number=number,
                module_number=module_number,
                module_title=module_titles[module_number],
                title=_text(raw, "title", context),
                duration_minutes=_int(raw, "duration_minutes", context),
                aim=_text(raw, "aim", context),
                summary=_text(raw, "summary", context),
                key_messages=_texts(raw, "key_messages", context),
                discussion_questions=_texts(raw, "discussion_questions", context),
                home_activity=_text(raw, "home_activity", context),
                quiz=tuple(
                    _parse_quiz(item, f"{context} quiz {index}")
                    for index, item in enumerate(_mappings(raw, "quiz", context), start=1)
                ),
                optional=optional,
            )
        )
    return tuple(sorted(sessions, key=lambda s: s.number))


@cache
def _load(code: str) -> tuple[Session, ...]:
    path = _DATA_DIR / f"{code}.yaml"
    return _parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


@cache
def load_sessions(lang: str) -> tuple[Session, ...]:
    """All sessions (core and optional) in ``lang``, ordered by number."""
    return _load(normalize_language(lang))


def get_session(number: int, lang: str) -> Session:
    """The session with this number; ``KeyError`` if there is none."""
    for session in load_sessions(lang):
        if session.number == number:
            return session
    raise KeyError(f"unknown P2K2 session: {number!r}")


@cache
def modules(lang: str) -> tuple[Module, ...]:
    sessions = load_sessions(lang)
    by_number: dict[int, list[Session]] = {}
    titles: dict[int, str] = {}
    for session in sessions:
        by_number.setdefault(session.module_number, []).append(session)
        titles[session.module_number] = session.module_title
    return tuple(
        Module(number=number, title=titles[number], sessions=tuple(by_number[number]))
        for number in sorted(by_number)
    )


def next_session_number(last_held: int | None) -> int:
    """The core session to propose after ``last_held`` (1 for a new group; 14 wraps to 1).

    ``last_held`` must be the last *core* session (1-14) the group held; the optional
    stunting session never moves the cycle, so passing it raises ``ValueError``.
    """
    if last_held is None:
        return 1
    if isinstance(last_held, bool) or not 1 <= last_held <= CORE_SESSION_COUNT:
        raise ValueError(
            f"last_held must be a core session number 1-{CORE_SESSION_COUNT}, got {last_held!r}"
        )
    return last_held % CORE_SESSION_COUNT + 1


def _range_problem(label: str, count: int, bounds: tuple[int, int], unit: str) -> list[str]:
    low, high = bounds
    if low <= count <= high:
        return []
    return [f"{label}: {count} {unit}, expected {low}-{high}"]


def _length_problem(label: str, text: str, limit: int) -> list[str]:
    if len(text) <= limit:
        return []
    return [f"{label}: {len(text)} characters, limit {limit}"]


def _session_problems(session: Session) -> list[str]:
    where = f"session {session.number}"
    problems: list[str] = []
    problems += _range_problem(
        f"{where} duration", session.duration_minutes, DURATION_MINUTES, "minutes"
    )
    problems += _length_problem(f"{where} aim", session.aim, AIM_MAX)
    problems += _range_problem(
        f"{where} summary", len(session.summary.split()), SUMMARY_WORDS, "words"
    )
    problems += _range_problem(
        f"{where} key messages", len(session.key_messages), KEY_MESSAGES, "items"
    )
    problems += _range_problem(
        f"{where} discussion questions",
        len(session.discussion_questions),
        DISCUSSION_QUESTIONS,
        "items",
    )
    problems += _range_problem(f"{where} quiz", len(session.quiz), QUIZ_ITEMS, "items")
    for index, item in enumerate(session.quiz, start=1):
        label = f"{where} quiz {index}"
        problems += _length_problem(f"{label} question", item.question, POLL_QUESTION_MAX)
        problems += _length_problem(f"{label} explanation", item.explanation, QUIZ_EXPLANATION_MAX)
        problems += _range_problem(f"{label} options", len(item.options), QUIZ_OPTIONS, "options")
        for number, option in enumerate(item.options, start=1):
            problems += _length_problem(f"{label} option {number}", option, POLL_OPTION_MAX)
        if len(set(item.options)) != len(item.options):
            problems.append(f"{label}: options are not unique")
        if not 0 <= item.correct < len(item.options):
            problems.append(f"{label}: correct index {item.correct} is out of range")
    return problems


def _structure_problems(sessions: Sequence[Session]) -> list[str]:
    problems: list[str] = []
    numbers = [s.number for s in sessions]
    if len(set(numbers)) != len(numbers):
        problems.append("session numbers are not unique")
    core = sorted(s.number for s in sessions if not s.optional)
    if core != list(range(1, CORE_SESSION_COUNT + 1)):
        problems.append(f"core sessions must be numbered 1-{CORE_SESSION_COUNT}, got {core}")
    for session in sessions:
        if session.optional and session.number <= CORE_SESSION_COUNT:
            problems.append(f"session {session.number}: an optional session must come after 14")
    previous = 0
    for session in sessions:
        if session.module_number < previous:
            problems.append(
                f"session {session.number}: module {session.module_number} out of order"
            )
        previous = session.module_number
    return problems


def _parity_problems(sessions: Sequence[Session], reference: Sequence[Session]) -> list[str]:
    ref = {s.number: s for s in reference}
    if set(ref) != {s.number for s in sessions}:
        return [f"session numbers differ from {DEFAULT_LANGUAGE!r}"]
    problems: list[str] = []
    for session in sessions:
        other = ref[session.number]
        where = f"session {session.number}"
        pairs = {
            "module": (session.module_number, other.module_number),
            "optional flag": (session.optional, other.optional),
            "duration": (session.duration_minutes, other.duration_minutes),
            "number of key messages": (len(session.key_messages), len(other.key_messages)),
            "number of discussion questions": (
                len(session.discussion_questions),
                len(other.discussion_questions),
            ),
            "number of quiz items": (len(session.quiz), len(other.quiz)),
        }
        problems += [
            f"{where}: {name} differs from {DEFAULT_LANGUAGE!r} ({mine!r} vs {theirs!r})"
            for name, (mine, theirs) in pairs.items()
            if mine != theirs
        ]
        for index, (item, ref_item) in enumerate(zip(session.quiz, other.quiz, strict=False), 1):
            if len(item.options) != len(ref_item.options) or item.correct != ref_item.correct:
                problems.append(
                    f"{where} quiz {index}: options or correct index differ from"
                    f" {DEFAULT_LANGUAGE!r}"
                )
    return problems


def validate(lang: str) -> list[str]:
    """Human-readable problems with the material in ``lang``; empty when all is well."""
    code = normalize_language(lang)
    try:
        sessions = _load(code)
    except (OSError, yaml.YAMLError, ContentError) as exc:
        return [f"{code}: cannot load session material: {exc}"]
    problems = _structure_problems(sessions)
    for session in sessions:
        problems += _session_problems(session)
    if code != DEFAULT_LANGUAGE:
        try:
            reference = _load(DEFAULT_LANGUAGE)
        except (OSError, yaml.YAMLError, ContentError) as exc:
            problems.append(f"{DEFAULT_LANGUAGE}: cannot load reference material: {exc}")
        else:
            problems += _parity_problems(sessions, reference)
    return [f"{code}: {problem}" for problem in problems]
