"""Logging set-up that keeps the bot token out of every log line."""

from __future__ import annotations

import logging

REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replaces the token (and its secret half) wherever it appears in a record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        secret = token.partition(":")[2]
        self._needles = [needle for needle in (token, secret) if len(needle) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(needle in message for needle in self._needles):
            for needle in self._needles:
                message = message.replace(needle, REDACTED)
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            text = str(record.exc_info[1])
            if any(needle in text for needle in self._needles):
                record.exc_text = REDACTED
                record.exc_info = None
        return True


def configure_logging(level: str, token: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
