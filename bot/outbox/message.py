"""What the dispatcher can send for a delivery, composed at send time from the database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message

from bot.settings import Settings
from storage.db import SessionFactory

AfterSent = Callable[[AsyncSession, Message], Awaitable[None]]


@dataclass(frozen=True)
class Text:
    """One or more HTML messages (long texts are split), the keyboard on the last one."""

    parts: tuple[str, ...]
    markup: InlineKeyboardMarkup | None = None
    after: AfterSent | None = None


@dataclass(frozen=True)
class Edit:
    """Change the text and buttons of a message already sent (RSVP counts)."""

    message_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None


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


@dataclass(frozen=True)
class ComposeContext:
    db: SessionFactory
    settings: Settings
    now: datetime
    bot_username: str
    extras: dict[str, object] = field(default_factory=dict)
