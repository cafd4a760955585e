"""Each update is acted on once: before every other handler, its id is recorded, and an
update recorded before (Telegram handing it out again) goes no further. A press on a group
reminder is the exception: its id is recorded with the press (handlers/meetings/rsvp.py)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from handlers.context import BotContext
from handlers.meetings.rsvp import recorded_with_the_press

log = logging.getLogger(__name__)

# The handler group that runs before all the others (theirs is 0).
GROUP = -100


async def skip_seen(update: Update, context: BotContext) -> None:
    """Record the update; stop here when it was handled before."""
    if recorded_with_the_press(update):
        return
    try:
        first = await context.bot_data.seen_updates.submit(update.update_id)
    except (SQLAlchemyError, OSError) as exc:
        # The database is unreachable or busy: the feature's handler meets the same trouble
        # and tells the person what to do; a second message saying so would only repeat it.
        log.debug("update %s not recorded: %s", update.update_id, exc)
        return
    if not first:
        log.info("update %s came again; it was handled already, skipped", update.update_id)
        raise ApplicationHandlerStop


def handler() -> TypeHandler[Update, BotContext, None]:
    return TypeHandler(Update, skip_seen)
