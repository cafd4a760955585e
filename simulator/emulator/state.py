"""The simulated Telegram world: users, chats, files, and messages the bot sent."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from .text import Entity

JSON = dict[str, Any]
ChatType = Literal["private", "group", "supergroup"]
# Bot membership states as getChatMember reports them.
BotStatus = Literal["member", "administrator", "left", "kicked"]


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "id"
    is_bot: bool = False

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(eq=False)
class Chat:
    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    user: User | None = None  # the other side of a private chat
    started: bool = False  # private: the user pressed Start at least once
    blocked: bool = False  # private: the user blocked the bot
    bot_status: BotStatus = "member"
    members: dict[int, str] = field(default_factory=dict)  # user id -> ChatMember status
    migrated_to: int | None = None
    menu_button: JSON | None = None
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def new_message_id(self) -> int:
        return next(self._message_ids)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        if self.user is not None:
            for key in ("first_name", "last_name", "username"):
                if getattr(self.user, key) is not None:
                    data[key] = getattr(self.user, key)
        if self.title is not None:
            data["title"] = self.title
        if self.username is not None and self.user is None:
            data["username"] = self.username
        return data


@dataclass
class StoredFile:
    """A file the bot uploaded or a user sent; bytes are kept for download and assertions."""

    file_id: str
    file_unique_id: str
    filename: str | None
    mime_type: str | None
    content: bytes | None
    kind: str  # documents / photos / stickers: the folder in file_path
    url: str | None = None  # set when the bot sent a URL instead of bytes

    @property
    def file_path(self) -> str:
        suffix = ""
        if self.filename and "." in self.filename:
            suffix = "." + self.filename.rsplit(".", 1)[1]
        return f"{self.kind}/{self.file_unique_id}{suffix}"

    @property
    def size(self) -> int:
        return len(self.content or b"")

    def document_api(self) -> JSON:
        data: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.filename:
            data["file_name"] = self.filename
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data

    def photo_api(self, width: int = 800, height: int = 600) -> list[JSON]:
        # Telegram sends several sizes; a thumbnail and the original are enough for bots.
        base = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        thumb = {
            **base,
            "file_id": self.file_id + "_s",
            "file_unique_id": self.file_unique_id + "s",
        }
        return [
            {**thumb, "width": 90, "height": 68, "file_size": min(self.size, 1000)},
            {**base, "width": width, "height": height, "file_size": self.size},
        ]


@dataclass
class Edit:
    """The state of a message before one edit, for asserting on edit history."""

    at: float
    text: str | None
    plain: str | None
    reply_markup: JSON | None


@dataclass(eq=False)
class SentMessage:
    """A message the bot sent, as tests observe it."""

    message_id: int
    chat_id: int
    date: int
    method: str
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    plain: str | None = None  # text or caption after entity parsing
    entities: list[Entity] = field(default_factory=list)
    reply_markup: JSON | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool = False
    link_preview_options: JSON | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    poll: JSON | None = None
    extra: JSON = field(default_factory=dict)  # other content (location, sticker...)
    edits: list[Edit] = field(default_factory=list)
    deleted: bool = False

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Flat (text, callback_data or url) pairs of the keyboard, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        pairs: list[tuple[str, str | None]] = []
        for row in rows:
            for button in row:
                if isinstance(button, str):
                    pairs.append((button, None))
                else:
                    pairs.append((button["text"], button.get("callback_data") or button.get("url")))
        return pairs

    @property
    def document_bytes(self) -> bytes | None:
        return self.document.content if self.document else None

    def to_api(self, bot: User, chat: Chat) -> JSON:
        data: JSON = {
            "message_id": self.message_id,
            "from": bot.to_api(),
            "chat": chat.to_api(),
            "date": self.date,
        }
        if self.edits:
            data["edit_date"] = self.date
        if self.text is not None:
            data["text"] = self.plain
            _put(data, "entities", self.entities)
            _put(data, "link_preview_options", self.link_preview_options)
        if self.caption is not None:
            data["caption"] = self.plain
            _put(data, "caption_entities", self.entities)
        if self.document is not None:
            data["document"] = self.document.document_api()
        if self.photo is not None:
            data["photo"] = self.photo.photo_api()
        _put(data, "poll", self.poll)
        _put(data, "reply_markup", self.reply_markup if _is_inline(self.reply_markup) else None)
        data.update(self.extra)
        return data


def _is_inline(markup: JSON | None) -> bool:
    # Only inline keyboards are echoed back in Message objects.
    return bool(markup and "inline_keyboard" in markup)


def _put(data: JSON, key: str, value: Any) -> None:
    if value:
        data[key] = value


@dataclass
class CallbackAnswer:
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass
class Call:
    """One request as the server saw it; status is filled in when the reply is sent."""

    method: str
    params: JSON
    at: float
    chat_id: int | str | None
    status: int = 0


@dataclass
class Stats:
    requests: Counter[str] = field(default_factory=Counter)  # by method
    statuses: Counter[int] = field(default_factory=Counter)
    flood_429: int = 0  # replies from the flood limiter
    injected: Counter[str] = field(default_factory=Counter)  # faults by kind

    @property
    def total_429(self) -> int:
        return self.statuses[429]
