"""Typed bot data and callback context, so handlers never cast what they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from config.settings import Settings
from storage.db import SessionFactory
from timekeeping.clock import Clock

if TYPE_CHECKING:
    from dispatch.service import DispatchService


@dataclass
class BotData:
    settings: Settings
    db: SessionFactory
    clock: Clock
    bot_username: str = ""
    dispatch: DispatchService | None = None
    extras: dict[str, Any] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler receives."""


P2K2Application = Application[Any, BotContext, Any, Any, BotData, Any]
