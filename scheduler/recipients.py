"""The language a private delivery is written in, or why it is skipped (a blocked bot)."""

from __future__ import annotations

from scheduler.message import ComposeContext, Skip
from storage import recipients
from storage.deliveries import DueDelivery


async def private_recipient_language(context: ComposeContext, delivery: DueDelivery) -> str | Skip:
    """The person's language, or Skip when they blocked the bot; a group chat, or someone
    the bot does not know, gets the bot's default language. (Private reminders turned off
    are not enqueued at all: storage/meeting_plan.py.)"""
    if delivery.chat_id < 0:
        return context.settings.language
    state = await recipients.private_state(context.db, delivery.chat_id)
    if state is None:
        return context.settings.language
    if state.blocked:
        return Skip("blocked")
    return state.language or context.settings.language
