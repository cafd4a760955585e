"""Feature modules' handlers, in order, after the core ones and before the fallbacks.

Each feature module defines `handlers() -> list[BaseHandler]`; add its module here."""

from __future__ import annotations

import importlib
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from handlers.context import BotContext

FEATURES: tuple[str, ...] = (
    "announcements",
    "meetings",
    "materials",
    "complaints",
    "attendance",
    "confirmations",
    "status",
    "reports",
)


def all_handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    found: list[BaseHandler[Update, BotContext, Any]] = []
    for name in FEATURES:
        module = importlib.import_module(f"handlers.{name}")
        found.extend(module.handlers())
    return found
