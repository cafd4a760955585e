"""The one error handler: log with context, tell the user something useful, never a traceback."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from telegram import Update
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from content.texts import normalise_language, t
from handlers.context import BotContext
from storage.deliveries import recipients
from views.screen import Screen

log = logging.getLogger("p2k2.errors")

DATABASE_DOWN = (OperationalError, DBAPIError, ConnectionError, OSError)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    where = _describe(update)
    if isinstance(error, RetryAfter):
        # Flood control on a direct reply is expected under a burst (one person sending 40
        # messages at once): one line, no traceback, and no apology that would meet the
        # same 429 in the same chat.
        log.warning("flood control (%s): Telegram asked to wait %s s", where, _seconds(error))
        return
    if isinstance(error, Conflict):
        # Another program receives this bot's updates (bot/leadership.py says what to do).
        log.warning("telegram: %s", error)
        return
    # BadRequest is a NetworkError in PTB, but it is our bug (bad HTML, too long...): tell the user.
    if isinstance(error, Forbidden | NetworkError) and not isinstance(error, BadRequest):
        log.warning("telegram refused or unreachable (%s): %s", where, error)
        return
    log.error("unhandled error (%s)", where, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    database_down = isinstance(error, DATABASE_DOWN)
    lang = await _language(update, context, ask_database=not database_down)
    key = "errors.database_down" if database_down else "errors.internal"
    try:
        if update.callback_query is not None:
            try:
                await update.callback_query.answer(_plain(t(lang, key)), show_alert=True)
                return
            except BadRequest:
                pass  # answered already (the handler acked first): say it in the chat
        await context.bot_data.screens.send(
            context.bot, update.effective_chat.id, Screen(t(lang, key))
        )
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", exc)


def _seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)


async def _language(update: Update, context: BotContext, *, ask_database: bool) -> str:
    """The language the person chose with /bahasa; the Telegram app's when it is unknown
    (a first message, or the database is what failed)."""
    user = update.effective_user
    if user is None:
        return normalise_language(None)
    if ask_database:
        try:
            state = await recipients.private_state(context.bot_data.db, user.id)
        except (SQLAlchemyError, *DATABASE_DOWN):
            state = None
        if state is not None and state.language:
            return normalise_language(state.language)
    return normalise_language(user.language_code)


def _plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")[:200]


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return "no update"
    parts = [f"update {update.update_id}"]
    if update.effective_user:
        parts.append(f"user {update.effective_user.id}")
    if update.effective_chat:
        parts.append(f"chat {update.effective_chat.id}")
    if update.callback_query:
        parts.append(f"button {update.callback_query.data!r}")
    elif update.effective_message and update.effective_message.text:
        parts.append(f"text {update.effective_message.text[:40]!r}")
    return ", ".join(parts)
