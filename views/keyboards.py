"""Keyboards as the channel-neutral Screen (views/screen.py) holds them: rows of keys made
from the button declarations (views/buttons.py) or links. The Telegram adapter
(bot/telegram_screen.py) turns them into python-telegram-bot objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from views.callbacks import Button

BUTTON_TEXT_LIMIT = 48


@dataclass(frozen=True)
class Key:
    """One key: its text and either the callback data of a declared button or a link."""

    text: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Keyboard:
    """Rows of keys under a message."""

    rows: tuple[tuple[Key, ...], ...]


def button(text: str, declared: Button, *values: int) -> Key:
    """A key made from its declaration (views/buttons.py) and its field values."""
    return Key(shorten(text), data=declared.data(*values))


def url_button(text: str, url: str) -> Key:
    return Key(shorten(text), url=url)


def shorten(text: str, limit: int = BUTTON_TEXT_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def rows(*rows_: Sequence[Key]) -> Keyboard:
    return Keyboard(tuple(tuple(row) for row in rows_ if row))


def column(buttons: Sequence[Key], width: int = 1) -> list[list[Key]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def page_slice(count: int, page: int, size: int) -> tuple[int, int, int]:
    """(page, start, end) with the page clamped to what exists."""
    pages = max(1, -(-count // size))
    page = min(max(page, 0), pages - 1)
    return page, page * size, min(count, (page + 1) * size)
