"""Every text exists in every language with the same placeholders, and the code's keys exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content.texts import LANGUAGES, Html, catalogue, placeholders, t

ROOT = Path(__file__).resolve().parents[1]
KEY = re.compile(
    r"""(?:\bt|refuse|Error|Allowed|Found|key=)\(?\s*["']((?:[a-z_]+\.)+[a-z_]+)["']"""
)
NAMESPACES = set(catalogue("id").keys())
PREFIXES = {key.split(".")[0] for key in NAMESPACES}


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


def literal_keys() -> set[str]:
    keys: set[str] = set()
    for folder in (
        "cli",
        "simulator",
        "bot",
        "handlers",
        "dispatch",
        "views",
        "storage",
        "language",
        "config",
        "timekeeping",
    ):
        for path in (ROOT / folder).rglob("*.py"):
            for match in KEY.finditer(path.read_text(encoding="utf-8")):
                candidate = match.group(1)
                if candidate.split(".")[0] in PREFIXES:
                    keys.add(candidate)
    return keys


def test_every_key_used_in_code_exists() -> None:
    missing = sorted(key for key in literal_keys() if key not in NAMESPACES)
    assert missing == []


def test_parameters_are_escaped_unless_marked_safe() -> None:
    text = t("id", "onboarding.member_welcome", name="<b>Ani</b> & co", group=Html("<i>G</i>"))
    assert "&lt;b&gt;Ani&lt;/b&gt; &amp; co" in text
    assert "<i>G</i>" in text
