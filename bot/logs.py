"""Logging set-up that keeps the bot token out of every log line."""

from __future__ import annotations

import logging
from datetime import timedelta

REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replaces the token (and its secret half) wherever it appears in a record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        secret = token.partition(":")[2]
        self._needles = [needle for needle in (token, secret) if len(needle) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._found(message):
            record.msg, record.args = self._redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            # Keep the traceback, without the token: format it now, redacted, once.
            record.exc_text = record.exc_text or _FORMATTER.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text and self._found(record.exc_text):
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info and self._found(record.stack_info):
            record.stack_info = self._redact(record.stack_info)
        return True

    def _found(self, text: str) -> bool:
        return any(needle in text for needle in self._needles)

    def _redact(self, text: str) -> str:
        for needle in self._needles:
            text = text.replace(needle, REDACTED)
        return text


def redact(text: str, token: str | None) -> str:
    """The text without the token or its secret half (for lines printed outside logging)."""
    return RedactToken(token)._redact(text) if token else text


_FORMATTER = logging.Formatter()

RATE_LIMITER_LOGGER = "telegram.ext.AIORateLimiter"


class RateLimitOneLine(logging.Filter):
    """AIORateLimiter(max_retries=0) logs each 429 at ERROR with a full traceback. A 429 is
    expected and handled (the dispatcher reschedules the send in the database; a reply
    fails like any other failed request), so it becomes one WARNING line with the wait."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.exc_info:
            error = record.exc_info[1]
            wait = getattr(error, "retry_after", None)
            if isinstance(wait, timedelta):
                wait = wait.total_seconds()
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg = "Telegram answered 429 (flood control): retry after %s s"
            record.args = (wait if wait is not None else "?",)
            record.exc_info, record.exc_text = None, None
        return True


class InvalidTokenQuiet(logging.Filter):
    """PTB logs "Invalid token. Aborting retry loop." at ERROR, then raises InvalidToken; the
    command prints one clear line about it (cli/exits.py), so PTB's line is only detail."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and "invalid token" in record.getMessage().lower():
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


def configure_logging(level: str, token: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    handler.addFilter(InvalidTokenQuiet())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # A long dispatcher tick makes APScheduler skip the next runs, which is what we want (one
    # tick at a time); it would log a warning for every skipped run.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    limiter = logging.getLogger(RATE_LIMITER_LOGGER)
    if not any(isinstance(f, RateLimitOneLine) for f in limiter.filters):
        limiter.addFilter(RateLimitOneLine())
