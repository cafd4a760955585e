"""The Screen (views/screen.py) and its Telegram adapter (bot/telegram_screen.py)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest

from bot.telegram_screen import TelegramScreens, markup, parse_mode
from views.keyboards import Key, rows
from views.screen import Attachment, FileKind, Screen, TextFormat, document, photo


class RecordingBot:
    """Records the Bot API methods called and their arguments; edits can be made to fail."""

    def __init__(self, edit_error: str | None = None) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.edit_error = edit_error

    def __getattr__(self, name: str) -> Any:
        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            if name == "edit_message_text" and self.edit_error is not None:
                raise BadRequest(self.edit_error)
            return "sent"

        return call


KEYBOARD = rows([Key("Ya", data="y:1"), Key("Web", url="https://example.org")], [Key("Menu", "m")])


def test_markup_is_the_keyboard_row_by_row() -> None:
    assert markup(None) is None
    assert markup(KEYBOARD) == InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Ya", callback_data="y:1"),
                InlineKeyboardButton("Web", url="https://example.org"),
            ],
            [InlineKeyboardButton("Menu", callback_data="m")],
        ]
    )


def test_parse_mode_follows_the_format() -> None:
    assert parse_mode(TextFormat.HTML) == "HTML"
    assert parse_mode(TextFormat.PLAIN) is None


def test_a_note_goes_above_and_the_rest_stays() -> None:
    screen = Screen("<b>Menu</b>", KEYBOARD, TextFormat.HTML)
    assert screen.above("Saved.") == Screen("Saved.\n\n<b>Menu</b>", KEYBOARD, TextFormat.HTML)


def test_an_attachment_is_bytes_or_a_file_id() -> None:
    with pytest.raises(ValueError):
        Attachment(FileKind.PHOTO)
    with pytest.raises(ValueError):
        Attachment(FileKind.PHOTO, content=b"x", file_id="abc")


async def test_a_text_screen_is_one_message_with_its_keyboard() -> None:
    bot = RecordingBot()
    await TelegramScreens().send(cast(Bot, bot), 5, Screen("Hi", KEYBOARD), read_timeout=3)
    [(name, args, kwargs)] = bot.calls
    assert (name, args) == ("send_message", (5, "Hi"))
    assert kwargs == {"parse_mode": "HTML", "reply_markup": markup(KEYBOARD), "read_timeout": 3}


async def test_files_go_by_their_kind_with_the_text_as_caption() -> None:
    bot = RecordingBot()
    screens = TelegramScreens()
    await screens.send(cast(Bot, bot), 5, photo("Foto", file_id="file-1"))
    await screens.send(cast(Bot, bot), 5, document("Ekspor", b"a;b\n", "laporan.csv"))
    plain = Screen(
        "A & B", format=TextFormat.PLAIN, attachment=Attachment(FileKind.VOICE, file_id="v")
    )
    await screens.send(cast(Bot, bot), 5, plain)
    await screens.send(cast(Bot, bot), 5, photo("", content=b"png", file_name="grafik-1.png"))
    names = [name for name, _, _ in bot.calls]
    assert names == ["send_photo", "send_document", "send_voice", "send_photo"]
    assert bot.calls[0][1] == (5, "file-1")
    assert bot.calls[0][2]["caption"] == "Foto" and bot.calls[0][2]["parse_mode"] == "HTML"
    sent_file = bot.calls[1][1][1]
    assert isinstance(sent_file, InputFile) and sent_file.filename == "laporan.csv"
    assert bot.calls[2][2]["caption"] == "A & B" and bot.calls[2][2]["parse_mode"] is None
    assert bot.calls[3][2]["caption"] is None  # no empty caption


async def test_an_edit_that_changes_nothing_is_no_error() -> None:
    screens = TelegramScreens()
    unchanged = RecordingBot(edit_error="Bad Request: message is not modified: same content")
    assert await screens.edit(cast(Bot, unchanged), 5, 9, Screen("Hi")) is None
    broken = RecordingBot(edit_error="Bad Request: can't parse entities")
    with pytest.raises(BadRequest):
        await screens.edit(cast(Bot, broken), 5, 9, Screen("<b>Hi"))
    done = RecordingBot()
    await screens.edit(cast(Bot, done), 5, 9, Screen("Hi", KEYBOARD))
    [(name, args, kwargs)] = done.calls
    assert (name, args) == ("edit_message_text", ("Hi",))
    assert kwargs == {
        "chat_id": 5,
        "message_id": 9,
        "parse_mode": "HTML",
        "reply_markup": markup(KEYBOARD),
    }
