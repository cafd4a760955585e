"""What a failed send means for its delivery (the dispatcher classifies Telegram's errors)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Verdict(enum.Enum):
    RETRY = "retry"  # network, 5xx, timeout: back off and try again
    WAIT = "wait"  # 429: try again when Telegram says
    BLOCKED = "blocked"  # a user blocked the bot
    REMOVED = "removed"  # the bot is no longer in the group
    MOVED = "moved"  # the group became a supergroup
    GONE = "gone"  # the chat does not exist
    BROKEN = "broken"  # our message was refused: a bug, do not retry


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reason: str
    retry_after: float = 0.0
    new_chat_id: int | None = None
