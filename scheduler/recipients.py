"""The language a private delivery is written in, or why it is skipped (a blocked bot)."""

from __future__ import annotations

from scheduler.message import ComposeContext, Skip
from storage.deliveries import DueDelivery, recipients


async def private_recipient_language(context: ComposeContext, delivery: DueDelivery) -> str | Skip:
    """The person's language, or Skip when they blocked the bot; a group chat, or someone
    the bot does not know, gets the bot's default language. (Private reminders turned off
    are not enqueued at all: storage/deliveries/meeting_plan.py.)"""
    if delivery.chat_id < 0:
        return context.settings.language
    state = await _state(context, delivery.chat_id)
    if state is None:
        return context.settings.language
    if state.blocked:
        return Skip("blocked")
    return state.language or context.settings.language


def private_key(telegram_user_id: int) -> tuple[str, int]:
    """Where a tick's shared reads keep a private chat's state (see DispatchService)."""
    return ("private", telegram_user_id)


async def _state(context: ComposeContext, chat_id: int) -> recipients.PrivateState | None:
    if context.recent is None:
        return await recipients.private_state(context.db, chat_id)
    state = await context.recent.get(
        private_key(chat_id), lambda: recipients.private_state(context.db, chat_id)
    )
    if state is not None and state.blocked:
        # A shared read may be a moment old: "blocked" is read again, so a person who has
        # just written to the bot again (which unblocks it) is not skipped. A stale "not
        # blocked" costs nothing: Telegram answers 403 and that is recorded.
        state = await recipients.private_state(context.db, chat_id)
    return state
