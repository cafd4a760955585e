"""Replies in an evaluation set that are (near) copies of the examples the tests pin down.

A reply the reader was tested on measures nothing when it is scored again: an evaluation set
must hold only replies the reader was not shaped on. Texts are compared after normalising
(lower case, accents and punctuation and emoji dropped, every number written as 0, so that
"hadir 12 orang" and "hadir 25 orang" are the same wording); two texts are near duplicates
when rapidfuzz's ratio of the normalised texts is at least 90. A text that is nothing but
numbers is compared with its numbers as written ("15" is not a copy of every other number).
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml
from rapidfuzz import fuzz

NEAR = 90.0
ROOT = Path(__file__).parent.parent


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    plain = " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
    masked = re.sub(r"\d+", "0", plain)
    return masked if re.search(r"[a-z]", masked) else plain


def near_duplicates(
    candidates: Iterable[str], examples: Iterable[str]
) -> list[tuple[str, str, float]]:
    """(candidate, example, score) for every candidate within NEAR of an example."""
    keyed = {normalised(example): example for example in examples}
    keyed.pop("", None)
    found: list[tuple[str, str, float]] = []
    for candidate in candidates:
        key = normalised(candidate)
        for example_key, example in keyed.items():
            score = fuzz.ratio(key, example_key)
            if score >= NEAR:
                found.append((candidate, example, score))
    return found


def examples_in_tests(skip: Iterable[Path] = ()) -> set[str]:
    """Every string the tests hold: the literals in tests/**/*.py (minus `skip`) and the
    "text" of every item in tests/data/*.yaml."""
    skipped = {path.resolve() for path in skip}
    texts: set[str] = set()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.resolve() in skipped:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.add(node.value)
    for path in sorted((ROOT / "tests" / "data").rglob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                texts.add(item["text"])
    return texts
