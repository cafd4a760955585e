"""Who a view speaks to: a language and its texts (a handler's request, or a plain language)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from content.texts import t


class Reader(Protocol):
    @property
    def lang(self) -> str: ...

    def t(self, key: str, **params: object) -> str: ...


@dataclass(frozen=True)
class Language:
    """A reader known only by her language (the dispatcher composing for a chat)."""

    lang: str

    def t(self, key: str, **params: object) -> str:
        return t(self.lang, key, **params)
