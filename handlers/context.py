"""Typed bot data and callback context, so handlers never cast what they read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Message
from telegram.ext import CallbackContext, ExtBot

from config.settings import Settings
from handlers.batch import Batcher
from storage.db import SessionFactory
from storage.meetings import GroupPress, RsvpPress, press_rsvps
from storage.operations import handled_updates
from timekeeping.clock import Clock
from views.screen import Channel

# What sends a Screen (views/screen.py) in Telegram: bot/telegram_screen.py, handed down by
# the composition root in the bot data.
TelegramChannel = Channel[Bot, Message]


@dataclass
class HandlerData:
    """What handlers read from the bot data; bot/context.BotData adds what only the
    composition root holds (the dispatcher, the Bot API connections)."""

    settings: Settings
    db: SessionFactory
    clock: Clock
    screens: TelegramChannel
    bot_username: str = ""
    # Presses on group reminders that arrive together are recorded in one transaction.
    group_presses: Batcher[GroupPress, RsvpPress] = field(init=False)
    # The ids of updates that arrive together are recorded in one transaction (handlers/once).
    seen_updates: Batcher[int, bool] = field(init=False)

    def __post_init__(self) -> None:
        self.group_presses = Batcher(self._record_group_presses)
        self.seen_updates = Batcher(self._record_updates)

    async def _record_updates(self, update_ids: Sequence[int]) -> list[bool]:
        return await handled_updates.first_times(self.db, update_ids, self.clock.now())

    async def _record_group_presses(self, presses: Sequence[GroupPress]) -> list[RsvpPress]:
        return await press_rsvps(self.db, presses, self.settings.language)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], HandlerData]):
    """The context every handler receives."""
