"""How `p2k2` ends when something goes wrong: one clear line on stderr, never the token.

python-telegram-bot puts the whole token in InvalidToken's message, and any exception text
may quote a URL that holds it, so nothing reaches the terminal (a service's journal) without
passing through here."""

from __future__ import annotations

import logging

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.logs import redact

log = logging.getLogger("p2k2")

REJECTED_TOKEN = (
    "Telegram rejected the bot token (TELEGRAM_BOT_TOKEN): it was revoked, replaced or "
    "mistyped. Get the current token from @BotFather (/mybots, API Token) and start again."
)
UNREACHABLE = (
    "Telegram could not be reached ({detail}); check the network and "
    "TELEGRAM_API_BASE_URL, then start again."
)


def failure_line(error: BaseException, token: str | None) -> str:
    """The one line printed for an error that ends the command."""
    if isinstance(error, InvalidToken):
        return f"p2k2: {REJECTED_TOKEN}"
    detail = redact(f"{type(error).__name__}: {error}", token).replace("\n", " ")[:300]
    if isinstance(error, NetworkError | TelegramError) and not isinstance(error, InvalidToken):
        return f"p2k2: {UNREACHABLE.format(detail=detail)}"
    return f"p2k2: stopped by an unexpected error: {detail} (P2K2_LOG_LEVEL=DEBUG shows where)"


def log_detail(error: BaseException) -> None:
    """The traceback, for whoever asked for debug logs; the logging filter redacts it."""
    if not isinstance(error, InvalidToken):
        log.debug("the error that ended the command", exc_info=error)
