"""The bot data of the running Application: what handlers read, plus what only the
composition root holds and wires (the dispatcher, the Bot API connections)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application
from telegram.request import BaseRequest

from handlers.context import BotContext, HandlerData
from scheduler.service import DispatchService


@dataclass
class BotData(HandlerData):
    dispatch: DispatchService | None = None
    # The Bot API connections (the bot's requests, getUpdates), closed when the bot stops.
    transports: tuple[BaseRequest, ...] = ()


P2K2Application = Application[Any, BotContext, Any, Any, BotData, Any]
