"""Every typed refusal storage raises has its words in views/refusals.py, in both languages."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import storage
from content.texts import t
from storage.errors import UseCaseError
from views.refusals import WORDS, words


def typed_refusals() -> list[type[UseCaseError]]:
    for info in pkgutil.walk_packages(storage.__path__, "storage."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
    found: list[type[UseCaseError]] = []
    todo = [UseCaseError]
    while todo:
        kind = todo.pop()
        for sub in kind.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("storage."):
                found.append(sub)
    return sorted(set(found), key=lambda k: f"{k.__module__}.{k.__qualname__}")


def example(kind: type[UseCaseError]) -> UseCaseError:
    """An instance with a stand-in for each field (a number for a number, else text)."""
    values: dict[str, object] = {}
    for name, parameter in inspect.signature(kind.__init__).parameters.items():
        if name == "self" or parameter.kind is parameter.VAR_KEYWORD:
            continue
        if parameter.default is not parameter.empty:
            continue
        values[name] = 3 if parameter.annotation in (int, "int") else "Mawar 1"
    return kind(**values)


def test_the_refusals_are_found() -> None:
    assert len(typed_refusals()) >= 20


@pytest.mark.parametrize("kind", typed_refusals(), ids=lambda k: k.__qualname__)
def test_each_typed_refusal_is_worded_in_both_languages(kind: type[UseCaseError]) -> None:
    assert kind in WORDS, f"{kind.__qualname__} has no words in views/refusals.py"
    error = example(kind)
    assert error.key == ""  # storage names no text
    key, params = words(error)
    for language in ("id", "en"):
        text = t(language, key, **params)
        assert text and key not in text, (kind, language)
        assert all(str(value) in text for value in params.values()), (kind, language, text)


def test_the_older_form_keeps_its_key() -> None:
    assert words(UseCaseError("errors.empty_text", x=1)) == ("errors.empty_text", {"x": 1})
