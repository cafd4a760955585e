"""What a failed send means for the delivery: retry, wait, skip, follow the chat, or give up."""

from __future__ import annotations

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from storage.deliveries.send_outcome import Outcome, Verdict


def classify(error: Exception, private_chat: bool) -> Outcome:
    reason = f"{type(error).__name__}: {error}"[:200]
    if isinstance(error, RetryAfter):
        seconds = error.retry_after
        wait = seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
        return Outcome(Verdict.WAIT, reason, retry_after=wait)
    if isinstance(error, ChatMigrated):
        return Outcome(Verdict.MOVED, reason, new_chat_id=error.new_chat_id)
    if isinstance(error, Forbidden):
        return Outcome(Verdict.BLOCKED if private_chat else Verdict.REMOVED, reason)
    if isinstance(error, TimedOut | NetworkError) and not isinstance(error, BadRequest):
        return Outcome(Verdict.RETRY, reason)
    if isinstance(error, BadRequest):
        text = str(error).lower()
        if "chat not found" in text or "user not found" in text:
            return Outcome(Verdict.GONE, reason)
        if "bot was kicked" in text or "not a member" in text:
            return Outcome(Verdict.REMOVED, reason)
        return Outcome(Verdict.BROKEN, reason)
    if isinstance(error, TelegramError):
        return Outcome(Verdict.RETRY, reason)
    return Outcome(Verdict.RETRY, reason)
