"""Small builders for inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from views.callbacks import Button

BUTTON_TEXT_LIMIT = 48


def button(text: str, declared: Button, *values: int) -> InlineKeyboardButton:
    """A button made from its declaration (views/buttons.py) and its field values."""
    return InlineKeyboardButton(shorten(text), callback_data=declared.data(*values))


def url_button(text: str, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(shorten(text), url=url)


def shorten(text: str, limit: int = BUTTON_TEXT_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def rows(*rows_: Sequence[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows_ if row])


def column(
    buttons: Sequence[InlineKeyboardButton], width: int = 1
) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def page_slice(count: int, page: int, size: int) -> tuple[int, int, int]:
    """(page, start, end) with the page clamped to what exists."""
    pages = max(1, -(-count // size))
    page = min(max(page, 0), pages - 1)
    return page, page * size, min(count, (page + 1) * size)
