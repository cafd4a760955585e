"""The parts that let the bot keep up with a burst: the dispatcher's pacer, one person's
updates kept in order while different people's run at once, reads shared within a tick, and
429s logged as one line."""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
from datetime import timedelta

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.error import RetryAfter

from bot.logs import RATE_LIMITER_LOGGER, RateLimitOneLine
from bot.update_order import PerSenderUpdateProcessor, sender_of
from scheduler.dispatcher import Pacer
from scheduler.message import Recent


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pacer_spaces_calls_and_makes_up_for_late_wakeups() -> None:
    clock = Ticks()
    pacer = Pacer(20, clock)  # one call every 50 ms
    assert pacer.delay() == 0.0
    assert round(pacer.delay(), 6) == 0.05
    clock.now += 0.05
    assert pacer.delay() == 0.0
    # Woken 20 ms late: the next call is due 30 ms later, not 50, so the rate holds.
    clock.now += 0.07
    assert pacer.delay() == 0.0
    assert round(pacer.delay(), 6) == 0.03
    # Woken very late: at most half an interval is made up, never a burst.
    clock.now += 0.5
    assert pacer.delay() == 0.0
    assert round(pacer.delay(), 6) == 0.025


def test_a_fast_pacer_makes_up_a_late_turn_of_the_loop_within_its_limit() -> None:
    """At 950 a second the interval is about 1 ms, shorter than a turn of a busy event loop:
    a turn 20 ms late starts the calls that fell due meanwhile (not one), and the one-second
    window still holds."""
    clock = Ticks()
    pacer = Pacer(950, clock, catch_up=0.05)
    assert pacer.delay() == 0.0
    clock.now += 0.021
    started = 0
    while pacer.delay() == 0.0:
        started += 1
    assert started == 19  # the calls due in 21 ms at 950 a second, after the first
    slow = Pacer(950, clock)  # half an interval made up: one call a turn
    assert slow.delay() == 0.0
    clock.now += 0.02
    assert slow.delay() == 0.0
    assert slow.delay() > 0
    # Turns 20 ms apart for five seconds: never more than 950 starts in a second.
    starts: list[float] = []
    for turn in range(250):
        clock.now = 2000.0 + turn * 0.02
        while pacer.delay() == 0.0:
            starts.append(clock.now)
    assert len(starts) >= 0.95 * 950 * 5 - 50
    for index, at in enumerate(starts):
        if index % 50 == 0:
            assert sum(1 for other in starts[index:] if other < at + 1.0) <= 950


def test_pacer_never_starts_more_than_its_limit_in_any_second() -> None:
    clock = Ticks()
    pacer = Pacer(20, clock)
    starts: list[float] = []
    for step in range(4000):
        clock.now = 1000.0 + step * 0.001 + (0.03 if step % 97 == 0 else 0.0)
        if pacer.delay() == 0.0:
            starts.append(clock.now)
    assert len(starts) >= 75  # about 20 a second over 4 s
    for index, at in enumerate(starts):
        assert sum(1 for other in starts[index:] if other < at + 1.0) <= 20
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.025 - 1e-9


def _press(update_id: int, user_id: int) -> Update:
    user = User(user_id, f"U{user_id}", is_bot=False)
    query = CallbackQuery(str(update_id), user, chat_instance="c", data="rv:1:1")
    return Update(update_id, callback_query=query)


def _text(update_id: int, user_id: int) -> Update:
    user = User(user_id, f"U{user_id}", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, None, chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_senders_updates_run_in_order_and_others_run_meanwhile() -> None:
    processor = PerSenderUpdateProcessor(8)
    release = asyncio.Event()
    log: list[str] = []

    async def handle(name: str, wait: bool) -> None:
        log.append(f"start {name}")
        if wait:
            await release.wait()
        log.append(f"end {name}")

    first = asyncio.create_task(processor.process_update(_text(1, 7), handle("a1", True)))
    second = asyncio.create_task(processor.process_update(_text(2, 7), handle("a2", False)))
    other = asyncio.create_task(processor.process_update(_press(3, 8), handle("b", False)))
    await other  # another person's update is not held up by the first person's
    assert log == ["start a1", "start b", "end b"]
    assert not second.done()
    release.set()
    await asyncio.gather(first, second)
    assert log[3:] == ["end a1", "start a2", "end a2"]
    assert processor.senders_in_progress == 0
    assert sender_of(_press(4, 9)) == ("user", 9)
    assert sender_of(object()) is None


async def test_recent_shares_one_read_between_concurrent_sends() -> None:
    clock = Ticks()
    recent = Recent(1.0, clock)
    loads = 0

    async def load() -> int:
        nonlocal loads
        loads += 1
        await asyncio.sleep(0)
        return loads

    values = await asyncio.gather(*(recent.get("m", load) for _ in range(10)))
    assert values == [1] * 10 and loads == 1
    clock.now += 1.0
    assert await recent.get("m", load) == 2

    async def broken() -> int:
        raise RuntimeError("database away")

    clock.now += 5
    for _ in range(2):
        try:
            await recent.get("m", broken)
        except RuntimeError:
            pass
        else:
            raise AssertionError("the failure must reach the caller")
    assert await recent.get("m", load) == 3  # a failed read is not kept


async def test_recent_keeps_what_a_batch_read_in_advance_as_long_as_asked() -> None:
    clock = Ticks()
    recent = Recent(1.0, clock)

    async def load() -> str:
        return "read alone"

    recent.put("a", "read with the batch", seconds=3.0)
    recent.put("b", "read with the batch")
    clock.now += 2.0
    assert await recent.get("a", load) == "read with the batch"
    assert await recent.get("b", load) == "read alone"  # a second, like a load
    clock.now += 1.0
    assert await recent.get("a", load) == "read alone"


async def test_recent_forgets_a_read_in_advance_once_its_batch_is_sent() -> None:
    clock = Ticks()
    recent = Recent(1.0, clock)

    async def load() -> str:
        return "read alone"

    recent.put("a", "read with the batch", seconds=60.0)
    recent.drop("a")
    recent.drop("never read")  # nothing to forget: no error
    assert await recent.get("a", load) == "read alone"


def test_a_429_is_one_warning_line_without_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(RATE_LIMITER_LOGGER)
    one_line = RateLimitOneLine()
    logger.addHandler(handler)
    logger.addFilter(one_line)
    try:
        try:
            raise RetryAfter(timedelta(seconds=3))  # type: ignore[arg-type]
        except RetryAfter as exc:
            logger.exception("Rate limit hit after maximum of %d retries", 0, exc_info=exc)
    finally:
        logger.removeFilter(one_line)
        logger.removeHandler(handler)
    lines = stream.getvalue().strip().splitlines()
    assert lines == [
        f"WARNING {RATE_LIMITER_LOGGER}: Telegram answered 429 (flood control): retry after 3.0 s"
    ]
