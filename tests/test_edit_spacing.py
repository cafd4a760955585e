"""An edit waits until a second after the last message of its chat (Telegram's Bot FAQ)."""

from __future__ import annotations

import asyncio
from itertools import pairwise
from typing import Any

from aiolimiter import AsyncLimiter

from bot.rate_limits import EDIT_GAP, REMEMBERED_CHATS, FloodAwareRateLimiter, is_message
from scheduler.send_slot import paced_by


class Telegram:
    """Time that only moves when the limiter sleeps, and the requests it let through."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sent: list[tuple[float, str, int]] = []

    async def sleep(self, seconds: float) -> None:
        self.now += seconds

    async def request(self, endpoint: str, chat_id: int) -> None:
        self.sent.append((self.now, endpoint, chat_id))


async def call(limiter: FloodAwareRateLimiter, telegram: Telegram, endpoint: str, chat: int) -> Any:
    async def callback(*args: Any, **kwargs: Any) -> bool:
        await telegram.request(endpoint, chat)
        return True

    return await limiter.process_request(
        callback, (), {}, endpoint, {"chat_id": chat}, rate_limit_args=None
    )


def limiter_on(telegram: Telegram) -> FloodAwareRateLimiter:
    return FloodAwareRateLimiter(sleep=telegram.sleep, monotonic=lambda: telegram.now)


async def test_an_edit_right_after_a_message_waits_out_the_second() -> None:
    telegram = Telegram()
    limiter = limiter_on(telegram)
    await call(limiter, telegram, "sendMessage", -100)
    telegram.now += 0.3
    await call(limiter, telegram, "editMessageText", -100)
    (sent_at, _, _), (edited_at, _, _) = telegram.sent
    assert edited_at - sent_at == EDIT_GAP


async def test_two_edits_at_once_go_a_second_apart_and_other_chats_do_not_wait() -> None:
    telegram = Telegram()
    limiter = limiter_on(telegram)
    await call(limiter, telegram, "sendMessage", -100)
    await call(limiter, telegram, "editMessageText", -100)
    await call(limiter, telegram, "editMessageReplyMarkup", -100)
    times = [at for at, _, chat in telegram.sent if chat == -100]
    assert [b - a for a, b in pairwise(times)] == [EDIT_GAP, EDIT_GAP]
    before = telegram.now
    await call(limiter, telegram, "editMessageText", -200)  # nothing sent there: at once
    await call(limiter, telegram, "sendMessage", -100)  # a new message does not wait
    assert telegram.now == before


async def test_an_edit_long_after_the_last_message_goes_at_once() -> None:
    telegram = Telegram()
    limiter = limiter_on(telegram)
    await call(limiter, telegram, "sendMessage", 5)
    telegram.now += 4
    await call(limiter, telegram, "editMessageText", 5)
    assert telegram.sent[-1][0] == 104.0


async def test_only_messages_count_and_old_chats_are_forgotten() -> None:
    assert is_message("sendMessage") and is_message("editMessageText") and is_message("sendPoll")
    assert not is_message("sendChatAction") and not is_message("answerCallbackQuery")
    assert not is_message("getChat")
    telegram = Telegram()
    limiter = limiter_on(telegram)
    # Noting the chats directly: through process_request, PTB's overall pacer (30 a second,
    # in real time) would make 4,096 sends take two minutes.
    for chat in range(REMEMBERED_CHATS):
        await limiter._space_in_chat("sendMessage", -chat - 1)
    telegram.now += 2 * EDIT_GAP
    await call(limiter, telegram, "sendMessage", 99)
    assert len(limiter._last_in_chat) == 1


class GatedPacer:
    """PTB's overall pacer, held shut for one request until the test opens it: as when the
    dispatcher's other sends take every slot for a while."""

    def __init__(self, held_call: int) -> None:
        self.calls = 0
        self.held_call = held_call
        self.holding = asyncio.Event()
        self.gate = asyncio.Event()

    async def __aenter__(self) -> None:
        self.calls += 1
        if self.calls == self.held_call:
            self.holding.set()
            await self.gate.wait()

    async def __aexit__(self, *exc: object) -> None:
        return None


async def test_an_edit_held_by_the_pacer_still_lands_a_second_after_the_chat_s_last_message() -> (
    None
):
    """The gap is measured when the edit really goes, after the pacer let it through: a
    message sent to the chat while the edit waited for its slot pushes the edit back."""
    telegram = Telegram()
    limiter = limiter_on(telegram)
    pacer = GatedPacer(held_call=2)
    limiter._base_limiter = pacer  # type: ignore[assignment]
    await call(limiter, telegram, "sendMessage", 7)  # 100.0
    telegram.now += 1.5
    edit = asyncio.create_task(call(limiter, telegram, "editMessageText", 7))
    await pacer.holding.wait()
    telegram.now += 0.2
    await call(limiter, telegram, "sendMessage", 7)  # 101.7, while the edit waits
    telegram.now += 0.1
    pacer.gate.set()
    await edit
    times = [at for at, _, _ in telegram.sent]
    assert times[1] == 101.7
    assert times[2] - times[1] >= EDIT_GAP


async def test_the_dispatcher_s_slot_comes_after_the_gap_and_a_message_meanwhile_restarts_it() -> (
    None
):
    """A send of the dispatcher takes its slot after the edit's gap (taken before, the edit went
    out up to a second after its slot, on top of the sends paced after it: 429s); a message to
    the chat while the edit waited for that slot makes it wait a second after that message."""
    telegram = Telegram()
    limiter = limiter_on(telegram)
    slots: list[float] = []
    gate = asyncio.Event()
    waiting = asyncio.Event()

    async def slot() -> None:
        if not slots:
            waiting.set()
            await gate.wait()
        slots.append(telegram.now)

    await call(limiter, telegram, "sendMessage", 7)  # 100.0
    telegram.now += 0.3
    with paced_by(slot):
        edit = asyncio.create_task(call(limiter, telegram, "editMessageText", 7))
    await waiting.wait()
    assert telegram.now == 101.0  # the gap came first, then the wait for the slot
    await call(limiter, telegram, "sendMessage", 7)  # 101.0, while the edit waits for its slot
    gate.set()
    await edit
    times = [at for at, _, _ in telegram.sent]
    assert times == [100.0, 101.0, 102.0]
    assert slots == [101.0, 102.0]  # a new slot, once the gap after that message was over


async def test_a_paid_message_skips_the_buckets_but_an_edit_after_it_still_waits() -> None:
    telegram = Telegram()
    limiter = limiter_on(telegram)
    slots: list[float] = []

    async def slot() -> None:
        slots.append(telegram.now)

    async def send() -> int:
        await telegram.request("sendMessage", -100)
        return 7

    with paced_by(slot):
        assert await limiter.paid_message(-100, send) == 7
    assert slots == [telegram.sent[0][0]]  # the dispatcher's slot, taken right before it went
    telegram.now += 0.4
    await call(limiter, telegram, "editMessageText", -100)
    (sent_at, _, _), (edited_at, _, _) = telegram.sent
    assert edited_at - sent_at == EDIT_GAP


class CountingBucket(AsyncLimiter):
    """PTB's overall bucket, counting the places taken."""

    def __init__(self) -> None:
        super().__init__(30, 1)
        self.taken = 0

    async def acquire(self, amount: float = 1) -> None:
        self.taken += 1
        await super().acquire(amount)


async def test_a_person_s_answer_does_not_queue_behind_the_wave_waiting_for_its_slots() -> None:
    """The dispatcher's sends take their place in PTB's overall bucket (30 a second) only when
    their slot has come. Taken before, 40 sends waiting for their slots filled the bucket and a
    person's answer waited behind them (about a second in benchmarks/broadcast.py)."""
    telegram = Telegram()
    limiter = limiter_on(telegram)
    bucket = CountingBucket()
    limiter._base_limiter = bucket
    permits = asyncio.Semaphore(0)

    async def slot() -> None:
        await permits.acquire()

    with paced_by(slot):
        wave = [
            asyncio.create_task(call(limiter, telegram, "sendMessage", -1000 - n))
            for n in range(40)
        ]
    await settle()
    assert telegram.sent == [] and bucket.taken == 0  # waiting for slots holds no place

    answer = asyncio.create_task(call(limiter, telegram, "sendMessage", 42))
    await settle()
    assert answer.done() and telegram.sent == [(100.0, "sendMessage", 42)]

    permits.release()
    await settle()
    assert bucket.taken == 2 and len(telegram.sent) == 2  # the slot came, then the bucket
    for send in wave:
        send.cancel()
    await asyncio.gather(*wave, return_exceptions=True)


async def settle() -> None:
    """Let every task run as far as it can without time passing."""
    for _ in range(20):
        await asyncio.sleep(0)
