from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

import content.sessions as sessions_module
from content.session_render import HEADINGS, MESSAGE_LIMIT, render_recap, render_summary
from content.sessions import (
    AIM_MAX,
    CORE_SESSION_COUNT,
    POLL_OPTION_MAX,
    POLL_QUESTION_MAX,
    QUIZ_EXPLANATION_MAX,
    SUPPORTED_LANGUAGES,
    QuizItem,
    Session,
    get_session,
    load_sessions,
    modules,
    next_session_number,
    validate,
)

LANGS = SUPPORTED_LANGUAGES
TAG = re.compile(r"</?([a-zA-Z]+)[^>]*>")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _assert_telegram_html(text: str) -> None:
    assert _utf16(text) <= MESSAGE_LIMIT
    assert {m.group(1) for m in TAG.finditer(text)} <= {"b", "i"}
    for tag in ("b", "i"):
        assert text.count(f"<{tag}>") == text.count(f"</{tag}>")
    stripped = TAG.sub("", text)
    assert "<" not in stripped and ">" not in stripped
    assert not re.search(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", stripped)


def _synthetic(**changes: object) -> Session:
    base = Session(
        number=99,
        module_number=9,
        module_title="Modul & <i>uji</i>",
        title="<b>&",
        duration_minutes=120,
        aim="a < b",
        summary="Tom & Jerry <script>",
        key_messages=("x > y", "AT&T", "<i>tag</i>"),
        discussion_questions=("1 < 2?", "\"quoted\" & 'single'"),
        home_activity="<b>bold</b> & done",
        quiz=(QuizItem("q", ("a", "b", "c"), 0, "e"),),
        optional=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_supported_languages() -> None:
    assert set(LANGS) == {"id", "en"}
    assert set(HEADINGS) == set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_validate_is_clean(lang: str) -> None:
    assert validate(lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_fourteen_core_sessions_and_optional_stunting(lang: str) -> None:
    sessions = load_sessions(lang)
    core = [s for s in sessions if not s.optional]
    optional = [s for s in sessions if s.optional]
    assert [s.number for s in core] == list(range(1, CORE_SESSION_COUNT + 1))
    assert [(s.number, s.module_number) for s in optional] == [(15, 6)]
    assert [m.number for m in modules(lang)] == [1, 2, 3, 4, 5, 6]
    assert [len(m.sessions) for m in modules(lang)] == [4, 3, 3, 2, 2, 1]
    assert all(s.module_number == m.number for m in modules(lang) for s in m.sessions)


def test_languages_are_parallel() -> None:
    ref, other = load_sessions("id"), load_sessions("en")
    assert [s.number for s in ref] == [s.number for s in other]
    assert [m.number for m in modules("id")] == [m.number for m in modules("en")]
    for a, b in zip(ref, other, strict=True):
        assert a.module_number == b.module_number
        assert a.optional == b.optional
        assert a.duration_minutes == b.duration_minutes
        assert len(a.key_messages) == len(b.key_messages)
        assert len(a.discussion_questions) == len(b.discussion_questions)
        assert len(a.quiz) == len(b.quiz)
        for qa, qb in zip(a.quiz, b.quiz, strict=True):
            assert len(qa.options) == len(qb.options)
            assert qa.correct == qb.correct
        assert a.title != b.title
        assert a.summary != b.summary


@pytest.mark.parametrize("lang", LANGS)
def test_limits(lang: str) -> None:
    for s in load_sessions(lang):
        assert 120 <= s.duration_minutes <= 140
        assert 0 < len(s.aim) <= AIM_MAX, s.number
        assert 60 <= len(s.summary.split()) <= 120, s.number
        assert 3 <= len(s.key_messages) <= 6
        assert 2 <= len(s.discussion_questions) <= 4
        assert 2 <= len(s.quiz) <= 3
        assert s.home_activity
        for item in s.quiz:
            assert 0 < len(item.question) <= POLL_QUESTION_MAX
            assert 3 <= len(item.options) <= 4
            assert all(0 < len(option) <= POLL_OPTION_MAX for option in item.options)
            assert len(set(item.options)) == len(item.options)
            assert 0 <= item.correct < len(item.options)
            assert 0 < len(item.explanation) <= QUIZ_EXPLANATION_MAX


@pytest.mark.parametrize("lang", LANGS)
def test_renders_fit_in_one_message(lang: str) -> None:
    for s in load_sessions(lang):
        summary = render_summary(s, lang)
        recap = render_recap(s, lang)
        _assert_telegram_html(summary)
        _assert_telegram_html(recap)
        assert len(recap) < len(summary)
        assert summary.count("• ") == len(s.key_messages)
        assert HEADINGS[lang]["key_messages"] in summary
        assert HEADINGS[lang]["home_activity"] in recap


def test_headings_follow_language() -> None:
    s_id, s_en = get_session(5, "id"), get_session(5, "en")
    assert "<b>Pesan utama</b>" in render_summary(s_id, "id")
    assert "<b>Key messages</b>" in render_summary(s_en, "en")
    assert "Kegiatan di rumah" in render_recap(s_id, "id")
    assert "Home activity" in render_recap(s_en, "en")
    # The stunting material is labelled supplementary, never "Sesi 15" or "Modul 6".
    for lang, word in (("id", "Materi tambahan"), ("en", "Supplementary material")):
        session = get_session(15, lang)
        for text in (render_summary(session, lang), render_recap(session, lang)):
            head = "\n".join(text.splitlines()[:3])  # title, module line, note
            assert word in head or word.lower() in head, head
            assert "15" not in head and " 6" not in head, head


def test_html_special_characters_are_escaped() -> None:
    session = _synthetic()
    for text in (render_summary(session, "id"), render_recap(session, "en")):
        _assert_telegram_html(text)
        assert "&lt;b&gt;&amp;" in text
        assert "<b>&" not in text
        assert "<script>" not in text
    summary = render_summary(session, "id")
    assert "Modul &amp; &lt;i&gt;uji&lt;/i&gt;" in summary
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; done" in summary


def test_overlong_session_is_cut_to_one_message() -> None:
    long = _synthetic(
        summary="kata <&> " * 2000,
        key_messages=("😀" * 3000, "b", "c"),
        home_activity="& " * 3000,
    )
    for text in (render_summary(long, "id"), render_recap(long, "en")):
        _assert_telegram_html(text)
        assert text.endswith(("…", "…</b>", "…</i>"))


def test_language_fallback() -> None:
    assert load_sessions("fr") is load_sessions("id")
    assert load_sessions("en-US") == load_sessions("en")
    assert get_session(1, "xx").title == get_session(1, "id").title
    assert "Pesan utama" in render_summary(get_session(1, "xx"), "xx")


def test_get_session_unknown() -> None:
    assert get_session(9, "en").number == 9
    for number in (0, 16, -1):
        with pytest.raises(KeyError):
            get_session(number, "id")


def test_next_session_number() -> None:
    assert next_session_number(None) == 1
    assert [next_session_number(n) for n in range(1, 14)] == list(range(2, 15))
    assert next_session_number(14) == 1
    proposed = {next_session_number(n) for n in [None, *range(1, 15)]}
    assert proposed == set(range(1, 15))
    assert 15 not in proposed
    for bad in (0, 15, 16, -3):
        with pytest.raises(ValueError):
            next_session_number(bad)


def test_quiz_items_are_frozen() -> None:
    item = get_session(1, "id").quiz[0]
    with pytest.raises(AttributeError):
        item.correct = 3  # type: ignore[misc]


def test_validate_reports_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = (Path(sessions_module.__file__).with_name("sessions") / "id.yaml").read_text(
        encoding="utf-8"
    )
    broken = yaml.safe_load(source)
    broken["sessions"][0]["aim"] = "x" * 200
    broken["sessions"][1]["quiz"][0]["correct"] = 7
    del broken["sessions"][2]
    (tmp_path / "id.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), "utf-8")
    (tmp_path / "en.yaml").write_text("sessions: [", encoding="utf-8")
    monkeypatch.setattr(sessions_module, "_DATA_DIR", tmp_path)
    sessions_module._load.cache_clear()
    try:
        problems = validate("id")
        assert any("session 1 aim" in p for p in problems)
        assert any("session 2 quiz 1: correct index 7" in p for p in problems)
        assert any("core sessions must be numbered" in p for p in problems)
        assert validate("en") and "cannot load" in validate("en")[0]
    finally:
        sessions_module._load.cache_clear()


@pytest.mark.parametrize("lang", LANGS)
def test_the_right_answer_is_not_given_away_by_its_length(lang: str) -> None:
    """Distractors are plausible misconceptions, so the right answer is neither the longest
    nor the shortest option by habit; every option fits Telegram's 100-character limit."""
    items = [item for session in load_sessions(lang) for item in session.quiz]
    longest = shortest = 0
    for item in items:
        lengths = [len(option) for option in item.options]
        assert max(lengths) <= POLL_OPTION_MAX == 100
        right = lengths[item.correct]
        others = [n for index, n in enumerate(lengths) if index != item.correct]
        longest += right > max(others)
        shortest += right < min(others)
    assert len(items) >= 38
    assert longest < 0.35 * len(items), f"{longest} of {len(items)} right answers are longest"
    assert shortest < 0.35 * len(items), f"{shortest} of {len(items)} right answers are shortest"
