"""Shared pieces of parse-mode handling: the parse result and UTF-16 offset arithmetic.

Telegram measures entity offsets and lengths in UTF-16 code units, so emoji and other
astral characters count twice; the helpers here keep that rule in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def byte_offset(text: str, index: int) -> int:
    """Telegram reports parse errors at UTF-8 byte offsets, not character indexes."""
    return len(text[:index].encode("utf-8"))


@dataclass
class Parsed:
    """Text as the user sees it plus the entities Telegram would attach to it."""

    plain: str
    entities: list[Entity] = field(default_factory=list)

    def stripped(self) -> Parsed:
        """Telegram trims surrounding whitespace from message text; shift entities to match."""
        lead = len(self.plain) - len(self.plain.lstrip())
        body = self.plain.strip()
        shift = utf16_len(self.plain[:lead])
        end = utf16_len(body)
        kept: list[Entity] = []
        for entity in self.entities:
            start = max(entity["offset"] - shift, 0)
            stop = min(entity["offset"] + entity["length"] - shift, end)
            if stop > start:
                kept.append({**entity, "offset": start, "length": stop - start})
        return Parsed(body, kept)


class TextBuilder:
    """Accumulates output text while tracking the UTF-16 position for entity offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.position = 0
        self.entities: list[Entity] = []

    def emit(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.position += utf16_len(chunk)

    def close_entity(self, kind: str, start: int, **extra: Any) -> None:
        # Empty entities are dropped, as Telegram does for e.g. "<b></b>".
        if self.position > start:
            entity: Entity = {"type": kind, "offset": start, "length": self.position - start}
            entity.update({key: value for key, value in extra.items() if value is not None})
            self.entities.append(entity)

    def result(self) -> Parsed:
        ordered = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return Parsed("".join(self.parts), ordered)
