"""Every text exists in every language with the same placeholders and names the same buttons.

That the code uses every text, and every text it names exists: tests/test_text_keys.py."""

from __future__ import annotations

import re

import pytest

from content.texts import LANGUAGES, Html, catalogue, placeholders, t


def test_languages_have_the_same_keys() -> None:
    base = catalogue("id")
    for lang in LANGUAGES:
        other = catalogue(lang)
        assert sorted(set(base) ^ set(other)) == [], lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang: str) -> None:
    base, other = catalogue("id"), catalogue(lang)
    for key in base:
        assert placeholders(base[key]) == placeholders(other[key]), key


def test_parameters_are_escaped_unless_marked_safe() -> None:
    text = t("id", "onboarding.member_welcome", name="<b>Ani</b> & co", group=Html("<i>G</i>"))
    assert "&lt;b&gt;Ani&lt;/b&gt; &amp; co" in text
    assert "<i>G</i>" in text


# "Ketuk <b>Lanjut</b>" / "tap <b>Next</b>": a text that names a button to tap.
TAP = re.compile(r"(?:\b[Kk]etuk|\b[Tt]ap)\s+(?:tombol\s+)?<b>([^<]+)</b>")
# A line folded inside a hyphenated word ("check-\nups" read as "check- ups").
FOLDED_HYPHEN = re.compile(r"\w- \w")


def _bare(label: str) -> str:
    """A button's words without its leading emoji, as a text quotes them."""
    return re.sub(r"^\W+", "", label.split("{")[0]).strip().casefold()


def _buttons_named(lang: str, text: str, key: str) -> list[str | None]:
    """The button keys a text asks to tap, in order (None: no button has those words): its
    own feature's button with exactly those words, else one that begins with them, else
    another feature's in the same order."""
    buttons = {
        key: _bare(label)
        for key, label in catalogue(lang).items()
        if key.startswith("buttons.") or ".buttons." in key or key.endswith(".not_listed")
    }
    own = key.split(".")[0] + "."
    found: list[str | None] = []
    for quoted in TAP.findall(text):
        words = _bare(quoted)
        # Its own feature's buttons first (exact words, then words it begins with), then
        # other features' ("Yes" in a confirmation is its "Yes, passed on", not joining's).
        ranked = sorted(
            (not k.startswith(own), label != words, k)
            for k, label in buttons.items()
            if re.match(re.escape(words) + r"\b", label)
        )
        found.append(ranked[0][2] if ranked else None)
    return found


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "id"])
def test_each_translation_names_the_same_buttons(lang: str) -> None:
    """A text that says which button to tap names one that exists, the same one as in
    Indonesian ("My name is not listed" pointed at a button labelled "My name is not here")."""
    base, other = catalogue("id"), catalogue(lang)
    named = {
        key: (_buttons_named("id", base[key], key), _buttons_named(lang, other[key], key))
        for key in base
    }
    wrong = {key: pair for key, pair in named.items() if pair[0] != pair[1] or None in pair[1]}
    assert wrong == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_word_is_split_by_a_folded_line(lang: str) -> None:
    split = {key: text for key, text in catalogue(lang).items() if FOLDED_HYPHEN.search(text)}
    assert split == {}
