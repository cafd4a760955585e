"""The Telegram adapter: a channel-neutral Screen (views/screen.py) as python-telegram-bot
calls. The one place a keyboard becomes an InlineKeyboardMarkup and a text format a
parse_mode; the composition root hands it down to the handlers (the bot data's `screens`)
and to the dispatcher, which describe what they need of it (handlers/screens.py,
scheduler/screens.py) and cannot import this floor."""

from __future__ import annotations

from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from views.keyboards import Keyboard
from views.screen import Attachment, FileKind, Screen, TextFormat


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The neutral keyboard as PTB's inline keyboard."""
    if keyboard is None:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(key.text, callback_data=key.data, url=key.url) for key in row]
            for row in keyboard.rows
        ]
    )


def parse_mode(text_format: TextFormat) -> str | None:
    return ParseMode.HTML if text_format is TextFormat.HTML else None


def _file(attachment: Attachment) -> str | InputFile:
    if attachment.file_id is not None:
        return attachment.file_id
    assert attachment.content is not None
    return InputFile(attachment.content, filename=attachment.file_name)


class TelegramScreens:
    """Sends and edits Screens through a Bot; `options` go to the Bot API call as they are
    (timeouts, allow_paid_broadcast, reply_to_message_id)."""

    async def send(self, bot: Bot, chat_id: int, screen: Screen, **options: Any) -> Message:
        common: dict[str, Any] = {
            "parse_mode": parse_mode(screen.format),
            "reply_markup": markup(screen.keyboard),
            **options,
        }
        attachment = screen.attachment
        if attachment is None:
            return await bot.send_message(chat_id, screen.text, **common)
        caption = screen.text or None
        match attachment.kind:
            case FileKind.PHOTO:
                return await bot.send_photo(chat_id, _file(attachment), caption=caption, **common)
            case FileKind.VOICE:
                return await bot.send_voice(chat_id, _file(attachment), caption=caption, **common)
            case FileKind.DOCUMENT:
                return await bot.send_document(
                    chat_id, _file(attachment), caption=caption, **common
                )

    async def edit(
        self, bot: Bot, chat_id: int, message_id: int, screen: Screen, **options: Any
    ) -> Message | None:
        """Change a sent message's text and keyboard; None when Telegram found nothing to
        change (or the message was not the bot's own to return)."""
        assert screen.attachment is None, "a sent text cannot become a file"
        try:
            edited = await bot.edit_message_text(
                screen.text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=parse_mode(screen.format),
                reply_markup=markup(screen.keyboard),
                **options,
            )
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return None
            raise
        return edited if isinstance(edited, Message) else None
