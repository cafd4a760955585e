"""Everything the fake server knows, plus change notification for tests that wait on it."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from .errors import bad_request, chat_migrated, forbidden
from .faults import Clock
from .state import JSON, CallbackAnswer, Chat, SentMessage, StoredFile, User
from .updates import UpdateQueue

MessagePredicate = Callable[[SentMessage], bool]


@dataclass
class MessageEvent:
    seq: int
    kind: str  # "sent", "edited" or "deleted"
    message: SentMessage


@dataclass
class PendingCallback:
    user: User
    message: SentMessage
    data: str
    answer: CallbackAnswer | None = None


class World:
    def __init__(self, bot: User, clock: Clock = time.monotonic, privacy_mode: bool = True) -> None:
        self.bot = bot
        self.clock = clock
        self.privacy_mode = privacy_mode  # BotFather's default: groups see commands only
        self.strict_ampersand = True
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.sent: dict[int, list[SentMessage]] = {}
        self.user_messages: dict[tuple[int, int], JSON] = {}
        self.callbacks: dict[str, PendingCallback] = {}
        self.polls: dict[str, SentMessage] = {}
        self.poll_votes: dict[str, dict[int, list[int]]] = {}  # poll id -> user id -> options
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.default_menu_button: JSON = {"type": "commands"}
        self.webhook: JSON = {}
        self.updates = UpdateQueue()
        self.events: list[MessageEvent] = []
        self.changed = asyncio.Condition()
        self._read_cursor: dict[int, int] = {}
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def now(self) -> int:
        """Message dates are wall-clock Unix time even when the monotonic clock is faked."""
        return int(time.time())

    # -- lookups -------------------------------------------------------------------------

    def find_chat(self, chat_id: int | str) -> Chat:
        if isinstance(chat_id, str):
            chat = next((c for c in self.chats.values() if f"@{c.username}" == chat_id), None)
        else:
            chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise chat_migrated(chat.migrated_to)
        return chat

    def writable_chat(self, chat_id: int | str) -> Chat:
        """The chat, if the bot may post there; otherwise Telegram's 403 for the reason."""
        chat = self.reachable_chat(chat_id)
        if chat.type == "private" and not chat.started:
            raise forbidden("bot can't initiate conversation with a user")
        return chat

    def reachable_chat(self, chat_id: int | str) -> Chat:
        """The chat, if the bot may still touch its messages (edit, delete, stop a poll).

        Telegram answers 403 there too once the user blocked the bot or the bot was removed."""
        chat = self.find_chat(chat_id)
        if chat.type == "private":
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
        elif chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.type} chat")
        elif chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    def bot_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        for message in self.sent.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def message_exists(self, chat_id: int, message_id: int) -> bool:
        return (chat_id, message_id) in self.user_messages or bool(
            self.bot_message(chat_id, message_id)
        )

    def message_api(self, chat_id: int, message_id: int) -> JSON | None:
        bot_message = self.bot_message(chat_id, message_id)
        if bot_message is not None:
            return bot_message.to_api(self.bot, self.chats[chat_id])
        return self.user_messages.get((chat_id, message_id))

    def add_file(
        self, kind: str, filename: str | None, mime_type: str | None, content: bytes | None
    ) -> StoredFile:
        number = self.next_id()
        stored = StoredFile(
            file_id=f"FAKE{kind[:3].upper()}{number:08d}",
            file_unique_id=f"u{number:08d}",
            filename=filename,
            mime_type=mime_type,
            content=content,
            kind=kind,
        )
        self.files[stored.file_id] = stored
        return stored

    # -- bot messages and waiting ---------------------------------------------------------

    async def record(self, kind: str, message: SentMessage) -> None:
        if kind == "sent":
            self.sent.setdefault(message.chat_id, []).append(message)
        self.events.append(MessageEvent(len(self.events) + 1, kind, message))
        await self.notify()

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    def _next_match(self, chat_id: int, predicate: MessagePredicate | None) -> MessageEvent | None:
        cursor = self._read_cursor.get(chat_id, 0)
        for event in self.events[cursor:]:
            if event.message.chat_id != chat_id or event.kind == "deleted":
                continue
            if predicate is None or predicate(event.message):
                return event
        return None

    async def wait_for_message(
        self, chat_id: int, predicate: MessagePredicate | None, seconds: float
    ) -> SentMessage:
        """Next unread send or edit in the chat that matches; each event is returned once."""

        def found() -> bool:
            return self._next_match(chat_id, predicate) is not None

        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(found), seconds)
            except TimeoutError:
                recent = [m.plain for m in self.sent.get(chat_id, [])[-5:]]
                raise AssertionError(
                    f"no matching bot message in chat {chat_id} within {seconds}s; "
                    f"last messages: {recent!r}"
                ) from None
        event = self._next_match(chat_id, predicate)
        assert event is not None
        self._read_cursor[chat_id] = event.seq
        return event.message

    def mark_read(self, chat_id: int) -> None:
        """Skip everything already sent to the chat, so waits only see later messages."""
        self._read_cursor[chat_id] = len(self.events)

    def callback_answers(self) -> dict[str, CallbackAnswer]:
        return {
            query_id: pending.answer
            for query_id, pending in self.callbacks.items()
            if pending.answer is not None
        }
