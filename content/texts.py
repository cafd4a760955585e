"""The bot's own words, in every language: one YAML file per feature in content/texts/<lang>/."""

from __future__ import annotations

import html
import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
TEXTS_DIR = Path(__file__).with_name("texts")


class Html(str):
    """Text that is already safe HTML (rendered by us), so t() does not escape it again."""

    __slots__ = ()


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of a language: one YAML file per feature under content/texts/<lang>/."""
    merged: dict[str, str] = {}
    for path in sorted((TEXTS_DIR / lang).glob("*.yaml")):
        texts = _flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        clash = merged.keys() & texts.keys()
        if clash:
            raise ValueError(f"{path.name} repeats keys: {sorted(clash)[:5]}")
        merged.update(texts)
    return merged


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        else:
            flat[full] = str(value).rstrip("\n")
    return flat


def normalise_language(code: str | None) -> str:
    if not code:
        return DEFAULT_LANGUAGE
    base = code.split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def t(lang: str, key: str, **params: object) -> str:
    """The text for `key` in `lang` as HTML; every parameter is escaped unless it is Html."""
    template = catalogue(normalise_language(lang)).get(key)
    if template is None:
        template = catalogue(DEFAULT_LANGUAGE)[key]
    safe = {name: _escape(value) for name, value in params.items()}
    return template.format(**safe)


def _escape(value: object) -> str:
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=False)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
