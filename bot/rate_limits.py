"""Telegram's limits for every send, and what a 429 means for a direct answer to a person.

PTB's AIORateLimiter paces sends (about 30 a second overall, 20 a minute per group) before
Telegram enforces them. Its own 429 handling pauses every request of the bot while one request
waits, and retries the dispatcher's sends as well; here a 429 is handled per request instead:
- a direct answer to a person waits as long as Telegram says and is sent again, so nothing a
  person is told is dropped (issue 11: an album's fifth acknowledgement was lost);
- a send made by the dispatcher is never retried here: it raises at once and the delivery is
  due again after retry_after in the database (scheduler/no_wait.py), so a tick never sleeps.
Telegram also asks for about one message a second in a chat ("avoid sending more than one
message per second", https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
an edit (the RSVP counts on a group reminder) waits until a second after the last message sent
to or edited in its chat, so it never lands in the burst that a reminder and its neighbours
just used. That wait comes after PTB's pacer has let the request through, right before it
goes, so a message sent to the chat while the edit waited for the pacer still counts.
A send of the dispatcher then takes the dispatcher's slot, last of all (scheduler/send_slot.py):
taken before the edit's gap, a count edit held by it went out up to two seconds after its
slot, on top of the sends paced after it, and Telegram answered 429 (over 30 in one second).
An edit that a message to its chat overtook while it waited for that slot waits out its gap
again and takes a new slot.
The dispatcher's sends enter PTB's overall bucket (30 a second) only once they hold their
slot, right before they go. Entered first, the wave's sends waiting for their slots (up to
the dispatcher's 64 at once) filled the bucket's queue, and a person's answer waited behind
them: /start typed during a broadcast was answered about a second late (benchmarks/broadcast.py,
"answers to people during the wave"). Now the bucket holds at most the one or two sends whose
slot has come, and an answer goes at once while the wave keeps its 28 a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from scheduler.no_wait import may_wait_for_flood_control
from scheduler.send_slot import Sleep, paced_by_dispatcher, take_send_slot

log = logging.getLogger(__name__)

T = TypeVar("T")

# A person's answer waits through this many 429s (each as long as Telegram asks) before the
# failure reaches the error handler. Telegram lets a client that waits as told through, so
# more than a few in a row means something else is wrong.
ANSWER_RETRIES = 8


def retry_seconds(error: RetryAfter) -> float:
    wait: Any = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


# An edit waits until this long after the last message of its chat.
EDIT_GAP = 1.0
# Chats whose last message is older than EDIT_GAP are forgotten once this many are known.
REMEMBERED_CHATS = 4096


def is_message(endpoint: str) -> bool:
    """Whether the request puts a message in a chat or changes one (what Telegram counts)."""
    return endpoint.startswith(("send", "edit", "copy", "forward")) and endpoint not in (
        "sendChatAction",
        "sendInvoice",
    )


class FloodAwareRateLimiter(AIORateLimiter):
    """AIORateLimiter's pacing; 429s retried per request, for direct answers only.

    `sleep` waits out a retry_after or an edit's gap and `monotonic` tells the time; tests give
    ones that follow the fake Telegram's time instead of the wall clock's, as they move the
    bot's clock."""

    # The dispatcher's slot is taken here, right before a request goes (scheduler/send_slot).
    takes_send_slots = True

    def __init__(
        self,
        answer_retries: int = ANSWER_RETRIES,
        sleep: Sleep | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(max_retries=0)
        self.answer_retries = answer_retries
        self.sleep: Sleep = sleep or asyncio.sleep
        self.monotonic = monotonic or time.monotonic
        # chat -> when its last message was sent (or an edit is due)
        self._last_in_chat: dict[int | str, float] = {}
        # chat -> when a message to it last went or was answered (no edit's plan)
        self._gone: dict[int | str, float] = {}

    async def _space_in_chat(self, endpoint: str, chat_id: int | str) -> None:
        """Note a message to the chat; an edit first waits for a second after the last."""
        now = self.monotonic()
        last = self._last_in_chat.get(chat_id)
        slot = now
        if endpoint.startswith("edit") and last is not None:
            slot = max(now, last + EDIT_GAP)
        if last is None and len(self._last_in_chat) >= REMEMBERED_CHATS:
            self._last_in_chat = {
                chat: at for chat, at in self._last_in_chat.items() if at > now - EDIT_GAP
            }
            self._gone = {chat: at for chat, at in self._gone.items() if chat in self._last_in_chat}
        # Noted before waiting, so two edits of one chat at once go a second apart.
        self._last_in_chat[chat_id] = max(slot, last or slot)
        if slot > now:
            await self.sleep(slot - now)

    async def _overall_bucket(self) -> None:
        """A place in PTB's overall bucket (about 30 a second), taken by a dispatcher's send
        once its slot has come (see the module's text)."""
        if self._base_limiter is not None:
            await self._base_limiter.acquire()

    def _note_gone(self, chat_id: int | str) -> None:
        """A message to the chat goes now, or Telegram has just answered it."""
        now = self.monotonic()
        self._last_in_chat[chat_id] = max(now, self._last_in_chat.get(chat_id, now))
        self._gone[chat_id] = now

    async def paid_message(self, chat_id: int, send: Callable[[], Awaitable[T]]) -> T:
        """A paid message the dispatcher has paced itself (bot/plain_send.py): none of
        AIORateLimiter's buckets (for a paid send it applies only the 1,000-a-second one, which
        the dispatcher's pacer keeps under), never retried on 429 (the dispatcher reschedules),
        its dispatcher's slot taken right before it goes (scheduler/send_slot.py), and noted in
        its chat as every message is, as it goes and once Telegram has answered, so that an
        edit there keeps its gap."""
        await self._space_in_chat("sendMessage", chat_id)  # a send only notes, never waits
        await take_send_slot()
        self._note_gone(chat_id)
        result = await send()
        self._note_gone(chat_id)
        return result

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        retries = self.answer_retries if may_wait_for_flood_control() else 0
        if rate_limit_args is not None:
            retries = rate_limit_args
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        group: int | str | bool = False
        if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str):
            group = chat_id  # the same rule as AIORateLimiter: groups, supergroups, channels
        message_to = chat_id if isinstance(chat_id, int | str) and is_message(endpoint) else None
        paid = bool(data.get("allow_paid_broadcast", False))
        # A dispatcher's send takes its place in the overall bucket after its slot, not before.
        bucket_at_slot = paced_by_dispatcher() and chat_id is not None and not paid

        async def spaced(*args: Any, **kwargs: Any) -> bool | JSONDict | list[JSONDict]:
            # The gap is taken after PTB's pacer, right before the request goes: taken before
            # it, an edit the pacer then held could land on a message sent to the chat
            # meanwhile. The dispatcher's slot comes after the gap (see the module's text).
            while True:
                gone = None
                if message_to is not None:
                    await self._space_in_chat(endpoint, message_to)
                    gone = self._gone.get(message_to)
                await take_send_slot()
                if bucket_at_slot:
                    await self._overall_bucket()
                if message_to is None:
                    break
                if not endpoint.startswith("edit") or self._gone.get(message_to) == gone:
                    self._note_gone(message_to)
                    break
            return await callback(*args, **kwargs)

        attempt = 0
        while True:
            try:
                result = await self._run_request(
                    chat=chat_id is not None and not bucket_at_slot,
                    group=group,
                    allow_paid_broadcast=paid,
                    callback=spaced,
                    args=args,
                    kwargs=kwargs,
                )
                if message_to is not None:
                    # The message is in the chat once Telegram has answered.
                    self._note_gone(message_to)
                return result
            except RetryAfter as error:
                if attempt >= retries:
                    raise
                attempt += 1
                wait = retry_seconds(error)
                log.info(
                    "Telegram answered 429 to %s in chat %s: waiting %.0f s (retry %d of %d)",
                    endpoint,
                    chat_id,
                    wait,
                    attempt,
                    retries,
                )
                # Only this request waits; other people's answers and the dispatcher go on.
                await self.sleep(wait + 0.1)
