"""The dispatcher's pace is kept where a send really goes, not where it starts waiting.

Between the dispatcher and Telegram a send may wait: an edit for a second after the last
message of its chat, and PTB's own limiters (bot/rate_limits.py). Paced before those waits,
a send held by one of them went out late, together with the sends paced after it, and more
than 30 reached Telegram in one second: the presses benchmark's 429s to group chats (a count
edit took its slot, then waited for the answer to the edit before it plus a second; see
benchmarks/ANALYSIS-presses-2026-12-06.md). So the dispatcher hands its pacer's wait to the
send (`paced_by`), and a rate limiter that says so (`TAKES_SEND_SLOTS`) takes the slot as its
last step, right before the request goes (`take_send_slot`). With any other bot the
dispatcher takes the slot itself before the call, as before."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Wait = Callable[[], Awaitable[None]]
# How a pacer or a rate limiter waits: asyncio.sleep, or the fake Telegram's time in tests.
Sleep = Callable[[float], Awaitable[None]]

# A rate limiter that calls take_send_slot() right before each request sets this to True.
TAKES_SEND_SLOTS = "takes_send_slots"

_SLOT: ContextVar[Wait | None] = ContextVar("p2k2_send_slot", default=None)


def slot_taken_at_send(bot: object) -> bool:
    """Whether this bot's rate limiter takes the dispatcher's slot right before a request."""
    return bool(getattr(getattr(bot, "rate_limiter", None), TAKES_SEND_SLOTS, False))


@contextmanager
def paced_by(wait: Wait) -> Iterator[None]:
    """Requests made inside wait for `wait` right before they go (one slot each)."""
    token = _SLOT.set(wait)
    try:
        yield
    finally:
        _SLOT.reset(token)


def paced_by_dispatcher() -> bool:
    """Whether the request being made is the dispatcher's (its pacer's slot is to be taken)."""
    return _SLOT.get() is not None


async def take_send_slot() -> None:
    """The dispatcher's slot for this request, when the dispatcher made it; else nothing."""
    wait = _SLOT.get()
    if wait is not None:
        await wait()
