"""What the dispatcher can send for a delivery, composed at send time from the database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Message

from config.settings import Settings
from storage.db import SessionFactory
from views.keyboards import Keyboard
from views.screen import Channel, Screen

T = TypeVar("T")

# What sends a Screen (views/screen.py) in Telegram: bot/telegram_screen.py, handed down by
# the composition root (this floor cannot import it).
TelegramChannel = Channel[Bot, Message]

AfterSent = Callable[[AsyncSession, Message], Awaitable[None]]
# Run in the transaction that records an edit as sent, with the moment it was recorded.
AfterEdit = Callable[[AsyncSession, datetime], Awaitable[None]]


@dataclass(frozen=True)
class Text:
    """One or more HTML messages (long texts are split), the keyboard on the last one."""

    parts: tuple[str, ...]
    markup: Keyboard | None = None
    after: AfterSent | None = None
    # Facts about how it was written, kept in the delivery's payload once it is sent (in the
    # same statement that marks it sent), so later edits of the message keep its words.
    remember: dict[str, Any] | None = None


@dataclass(frozen=True)
class Edit:
    """Change the text and buttons of a message already sent (RSVP counts)."""

    message_id: int
    screen: Screen
    # Run first in the transaction that records the edit as sent, before the row is marked:
    # it takes the locks `after` needs in the order every other writer takes them.
    before: Callable[[AsyncSession], Awaitable[None]] | None = None
    after: AfterEdit | None = None


@dataclass(frozen=True)
class Poll:
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    after: AfterSent | None = None


@dataclass(frozen=True)
class Skip:
    """Nothing to send, and why (meeting cancelled, user blocked the bot, ...)."""

    reason: str


@dataclass(frozen=True)
class Defer:
    """Not yet: look again at `until` (e.g. a report waiting for the sends it reports on)."""

    until: datetime
    reason: str


Outgoing = Text | Edit | Poll | Skip | Defer


class Recent:
    """What composers read, shared by the sends of one dispatcher tick for a second.

    A reminder goes to a group chat and to each member privately: thousands of sends compose
    the same meeting. A composed message already waits up to a few seconds for its turn to be
    sent (the dispatcher paces its sends), so a second's reuse changes nothing a recipient
    could notice, and spares a database transaction per send. Concurrent reads of the same
    key share one load."""

    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.monotonic = monotonic
        # key -> (until when it is used, the read)
        self._loaded: dict[Hashable, tuple[float, asyncio.Future[Any]]] = {}

    def put(self, key: Hashable, value: object, seconds: float | None = None) -> None:
        """Read in advance (many keys in one query); kept for `seconds` (default: like a
        load), so that a batch read at once lasts until the batch has been sent."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        future.set_result(value)
        keep = self.seconds if seconds is None else seconds
        self._loaded[key] = (self.monotonic() + keep, future)

    def drop(self, key: Hashable) -> None:
        """Forget a read in advance (its batch has been sent): the next send reads afresh."""
        self._loaded.pop(key, None)

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        now = self.monotonic()
        found = self._loaded.get(key)
        if found is None or found[0] <= now:
            future: asyncio.Future[Any] = asyncio.ensure_future(load())
            self._loaded[key] = (now + self.seconds, future)
            try:
                return cast(T, await asyncio.shield(future))
            except Exception:
                if self._loaded.get(key, (0.0, None))[1] is future:
                    del self._loaded[key]  # the next send reads again
                raise
        return cast(T, await asyncio.shield(found[1]))


@dataclass(frozen=True)
class ComposeContext:
    db: SessionFactory
    settings: Settings
    now: datetime
    bot_username: str
    recent: Recent | None = None  # set by the dispatcher: reads shared within a tick
