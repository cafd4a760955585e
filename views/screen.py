"""What a view gives to be sent: one message, in no channel's terms.

A Screen is the text (in its format), the keyboard under it and at most one file it goes
with (then the text is the file's caption). Handlers pass it to `Request.say`/`show`, the
dispatcher's composers put it in what they send; the Telegram adapter (bot/telegram_screen.py)
turns it into python-telegram-bot calls. No module on this floor or below imports `telegram`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, TypeVar

from views.keyboards import Keyboard


class TextFormat(Enum):
    HTML = "html"  # the bot's tags (<b>, <i>, <a>, <code>); user text escaped by the view
    PLAIN = "plain"  # shown as written


class FileKind(Enum):
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"


@dataclass(frozen=True)
class Attachment:
    """A file sent with the screen's text as its caption: either its bytes with the name it
    is shown under, or the channel's id of a file it already holds (a photo sent to the bot)."""

    kind: FileKind
    content: bytes | None = None
    file_name: str | None = None
    file_id: str | None = None

    def __post_init__(self) -> None:
        if (self.content is None) == (self.file_id is None):
            raise ValueError("an attachment is either its bytes or a file id, not both")


@dataclass(frozen=True)
class Screen:
    """One message: its text, its format, the keyboard under it, the file it goes with."""

    text: str
    keyboard: Keyboard | None = None
    format: TextFormat = TextFormat.HTML
    attachment: Attachment | None = None

    def with_text(self, text: str) -> Screen:
        """The same screen with another text (a note put above it, say)."""
        return Screen(text, self.keyboard, self.format, self.attachment)

    def above(self, note: str) -> Screen:
        """The screen with `note` as a paragraph above its text."""
        return self.with_text(f"{note}\n\n{self.text}")


def photo(
    caption: str,
    *,
    file_id: str | None = None,
    content: bytes | None = None,
    file_name: str | None = None,
) -> Screen:
    """A photo with its caption (HTML)."""
    return Screen(caption, attachment=Attachment(FileKind.PHOTO, content, file_name, file_id))


def document(caption: str, content: bytes, file_name: str) -> Screen:
    """A file made by the bot (an export, one's own data) with its caption (HTML)."""
    return Screen(caption, attachment=Attachment(FileKind.DOCUMENT, content, file_name))


Bot = TypeVar("Bot", contravariant=True)
Sent = TypeVar("Sent", covariant=True)


class Channel(Protocol[Bot, Sent]):
    """What sends a Screen in a channel: the Telegram adapter (bot/telegram_screen.py) is
    `Channel[telegram.Bot, telegram.Message]`. The handlers and the dispatcher are given one
    by the composition root; they cannot import bot/."""

    async def send(self, bot: Bot, chat_id: int, screen: Screen, **options: Any) -> Sent: ...

    async def edit(
        self, bot: Bot, chat_id: int, message_id: int, screen: Screen, **options: Any
    ) -> Sent | None:
        """Change a sent message's text and keyboard; None when there was nothing to change."""
        ...
