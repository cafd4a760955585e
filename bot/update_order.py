"""Handle different people's updates at the same time, each person's in the order sent.

A group's reminder gets thirty presses within a minute, a city's hundred groups thousands:
one at a time, every press would wait for the database and the Bot API round trips of all
the presses before it. But one person's updates must keep their order: the step a typed text
answers (Person.awaiting) is stored by the update before it, and a press right after a
command must see what the command did. So updates run concurrently up to a bound, except
that an update waits for the earlier updates of the same sender (or, without a sender, of
the same chat) to finish.

Order holds because PTB starts one task per update in arrival order, its semaphore and
asyncio.Lock both wake waiters first-in first-out, and no await comes between taking the
semaphore and queueing on the sender's lock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Enough to overlap the Bot API round trips of many people's presses (each waits about one
# round trip to Telegram for its answer) and to let the presses of one moment be recorded
# together (handlers/batch.py): measured, 64 answered a burst 1.7 times faster than 16 on
# SQLite. The database pool bounds how many transactions actually run at once.
CONCURRENT_UPDATES = 64


def sender_of(update: object) -> tuple[str, int] | None:
    """Whose updates must stay in order: the user's, else the chat's; None for neither."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    return None


class PerSenderUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across senders, sequential (first in, first out) within one sender."""

    __slots__ = ("_queues",)

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        # sender -> (its lock, how many of its updates hold or wait for it)
        self._queues: dict[tuple[str, int], tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        sender = sender_of(update)
        if sender is None:
            await coroutine
            return
        lock, users = self._queues.get(sender, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._queues[sender] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._queues[sender]
            if users <= 1:
                del self._queues[sender]
            else:
                self._queues[sender] = (lock, users - 1)

    @property
    def senders_in_progress(self) -> int:
        return len(self._queues)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the application waits for the updates in progress."""
