"""Every text is used by the code, and every text the code names exists in every language.

The keys the code names are read from the code itself by tests/text_audience.py, over every
folder whose code can name a text (EVERY_FOLDER): a string literal that is a key, a string
shaped like a key of a text namespace that is not one (a typo, or a key deleted from the YAML
while the code still uses it), and an f-string such as f"meetings.errors.date_{code}", read
as the pattern meetings\\.errors\\.date_.+. Keys the code builds in a way the source does not
show are listed below with where and why."""

from __future__ import annotations

import ast
import re

from content.texts import LANGUAGES, catalogue
from tests.text_audience import Module, Unit, _read, every_unit, keys_of

# Keys built at run time from a prefix the source does not spell out as a pattern, and where.
DYNAMIC_PREFIXES = {
    # simulator/server.texts hands the page every key under "simulator." (static/app.js).
    "simulator.",
}


def _namespace(pattern: str) -> str:
    """The first part of an f-string's pattern ("meetings" for meetings\\.errors\\..+)."""
    return pattern.split("\\.", 1)[0]


def test_every_text_is_used_by_the_code() -> None:
    keys = frozenset(catalogue("id"))
    used: set[str] = set()
    for unit in every_unit().values():
        used |= keys_of(unit, keys)
    unused = sorted(
        key for key in keys - used if not any(key.startswith(p) for p in DYNAMIC_PREFIXES)
    )
    assert unused == []


def test_every_key_the_code_names_exists_in_every_language() -> None:
    units = every_unit()
    for lang in LANGUAGES:
        keys = frozenset(catalogue(lang))
        namespaces = {key.split(".")[0] for key in keys}
        missing = {key: unit.id for unit in units.values() for key in unit.unknown}
        missing |= {key: unit.id for unit in units.values() for key in unit.keys if key not in keys}
        missing |= {
            pattern: unit.id
            for unit in units.values()
            for pattern in unit.patterns
            if _namespace(pattern) in namespaces
            and not any(re.fullmatch(pattern, key) for key in keys)
        }
        assert missing == {}, lang


def test_the_reader_sees_literals_patterns_and_typos() -> None:
    """The derivation finds keys named each way, so the tests above cannot pass by finding
    nothing; and a string shaped like a key but absent is caught."""
    units = every_unit()
    named = {key for unit in units.values() for key in unit.keys}
    patterns = {pattern for unit in units.values() for pattern in unit.patterns}
    assert "meetings.usage" in named  # request.t("meetings.usage", ...)
    assert "delivery.failed_flood" in named  # passed on to a helper that calls t()
    assert r"meetings\.errors\.date_.+" in patterns  # f"meetings.errors.date_{exc.code}"
    assert "menu.chair" in keys_of(
        next(u for u in units.values() if r"menu\..+" in u.patterns), frozenset(catalogue("id"))
    )


def _read_source(source: str) -> Unit:
    unit = Unit("example", "example")
    _read(unit, Module("example"), frozenset(catalogue("id")), ast.parse(source))
    return unit


def test_a_missing_key_is_told_from_strings_that_are_not_texts() -> None:
    typo = _read_source('request.t("meetings.usag")')
    assert typo.unknown == {"meetings.usag"}
    not_texts = _read_source(
        'AuditEntry(action="roster.import")\n'
        'ForeignKey("meetings.id")\n'
        'error.key.startswith("confirm.count_")\n'
    )
    assert not_texts.unknown == set()
