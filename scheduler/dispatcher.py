"""The dispatcher: claims due deliveries, sends them, records every outcome."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from telegram import Bot, Message
from telegram.constants import PollType
from telegram.error import TelegramError

from scheduler.message import Defer, Edit, Outgoing, Poll, Skip, TelegramChannel, Text
from scheduler.no_wait import dispatching
from scheduler.outcomes import classify
from scheduler.send_slot import Sleep, paced_by, slot_taken_at_send
from scheduler.sent_batch import SentBatch
from storage import deliveries
from storage.db import SessionFactory, retrying
from storage.deliveries import DueDelivery, claim_due
from storage.operations import delivery_outcomes
from timekeeping.clock import Clock
from views.keyboards import Keyboard
from views.screen import Screen

log = logging.getLogger(__name__)

Compose = Callable[[DueDelivery], Awaitable[Outgoing]]
# Called with each claimed batch before its sends: reads the composers share, in one query.
Prepare = Callable[[list[DueDelivery]], Awaitable[None]]
# Called with each batch once all its sends are done: what `Prepare` read for it may go.
Finished = Callable[[list[DueDelivery]], None]

# What a send returns: PTB's Message, or only the message's id from a plain send, or None.
SentMessage = Message | int | None


class PlainSend(Protocol):
    """Send one HTML text (its keyboard, if any) and return the message's id, raising the
    TelegramError Bot.send_message would raise (bot/plain_send.py): no PTB Message built."""

    async def __call__(
        self, chat_id: int, text: str, markup: Keyboard | None, *, paid: bool, timeout: float
    ) -> int: ...


# Telegram allows about 30 messages a second per bot. The dispatcher stays under it with a
# margin: at most 28 sends in any second, spaced evenly, so that requests arriving a little
# unevenly (a busy event loop sends a few late, then together) still fit. AIORateLimiter's
# leaky bucket alone lets a burst of 30 through and then a steady 30 a second: 429s.
SENDS_PER_SECOND = 28
# With allow_paid_broadcast Telegram allows up to 1,000 messages a second for 0.1 Star each
# (Bot API 7.11, sendMessage: https://core.telegram.org/bots/api#sendmessage); the same margin.
PAID_SENDS_PER_SECOND = 950
# The look-ahead (timekeeping/send_planner.py) lays the coming deadlines out at this share of
# the pace, not at the pace itself: claims, commits and a busy event loop keep the sustained
# rate a little under it (26.6 to 27.8 a second of 28 in benchmarks/RESULTS.md), and a plan at
# the full pace made the last of a peak's reminders 10 s late (benchmarks/peak.py).
PLANNING_SHARE = 0.9
# How much lateness a paid broadcast's pacer makes up for at once (see Pacer): a few turns of a
# busy event loop; about 50 sends at 950 a second.
PAID_CATCH_UP = 0.05
# How many deliveries compose at once (most read the database). A batch starts its sends
# together, and they wait for their slots only after composing: all 64 composed at once took
# every pooled connection (PostgreSQL's 15) every two seconds or so while count edits went
# out, and the presses of people in the chats waited for one (benchmarks/presses.py: p95 at
# 50 presses a second 85 to 99 ms). Composing a few at a time still runs far ahead of the
# pace (a compose takes milliseconds; paid broadcasts read their text once a second).
COMPOSING_AT_ONCE = 4
# The next batch is claimed when this many seconds of the current one, at the pace, remain to
# start: enough for the claim's queries on a loaded database, little enough that what falls
# due meanwhile (answers first) waits hardly longer for a batch to take it.
CLAIM_AHEAD = 0.5


class Pacer:
    """At most `per_second` calls start in any one-second window, about 1/per_second apart.

    Each call is due one interval after the previous one was due (not after it started), so
    a wake-up a few milliseconds late, which a busy event loop makes common, is made up for
    by the next call and the rate stays at `per_second`. At most half an interval of lateness
    is carried over: two calls never start closer than half an interval apart, and the
    one-second window is never over `per_second`.

    `catch_up` (seconds) widens that carry-over for a fast pace: at 950 a second the interval
    (about 1 ms) is shorter than one turn of a busy event loop, so with half an interval only
    one or two calls started per turn and the pace was the loop's, not ours (about 80 a second
    in benchmarks/paid.py). The one-second window still holds."""

    def __init__(
        self,
        per_second: int,
        monotonic: Callable[[], float] = time.monotonic,
        catch_up: float | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limit = per_second
        self.interval = 1.0 / per_second
        self.catch_up = self.interval / 2 if catch_up is None else catch_up
        self.monotonic = monotonic
        self.sleep = sleep
        self._started: deque[float] = deque()
        self._due: float | None = None  # when the next call is due

    def delay(self) -> float:
        """0 when a call may start now (and it is counted), else how long to wait first."""
        now = self.monotonic()
        while self._started and self._started[0] <= now - 1.0:
            self._started.popleft()
        if len(self._started) >= self.limit:
            return self._started[0] + 1.0 - now
        if self._due is not None and now < self._due:
            return self._due - now
        self._started.append(now)
        slot = now if self._due is None else max(self._due, now - self.catch_up)
        self._due = slot + self.interval
        return 0.0

    async def wait(self) -> None:
        # Waiting for time to pass is the point here; no event would say "a slot is free".
        while (delay := self.delay()) > 0:
            await self.sleep(delay)


@dataclass
class TickReport:
    claimed: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


class Dispatcher:
    def __init__(
        self,
        db: SessionFactory,
        bot: Bot,
        clock: Clock,
        compose: Compose,
        batch: int = 500,
        concurrency: int = 64,
        send_timeout: float = 15.0,
        per_second: int = SENDS_PER_SECOND,
        paid_broadcast: bool = False,
        tick: timedelta = timedelta(seconds=10),
        prepare: Prepare | None = None,
        finished: Finished | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        *,
        screens: TelegramChannel,
        send_plain: PlainSend | None = None,
    ) -> None:
        """`monotonic` and `sleep` are the pacer's time: tests give Telegram's (the fake's)."""
        self.screens = screens
        self.prepare = prepare
        # Texts with nothing to run after them go this way when given: only their id is kept.
        self.send_plain = send_plain
        self.finished = finished
        self.send_timeout = send_timeout
        self.paid = paid_broadcast
        self.per_second = per_second
        self.tick_length = tick
        self.pacer = Pacer(
            per_second, monotonic, catch_up=PAID_CATCH_UP if paid_broadcast else None, sleep=sleep
        )
        self.db = db
        self.bot = bot
        # The slot is taken right before the request goes, after the bot's other waits
        # (scheduler/send_slot.py), when the bot's rate limiter can do it.
        self._slot_at_send = slot_taken_at_send(bot)
        self.clock = clock
        self.compose = compose
        self.batch = batch
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._composing = asyncio.Semaphore(COMPOSING_AT_ONCE)
        self._sent = SentBatch(db)
        # Claimed deliveries not yet in a slot, over all batches of the tick; `_room` is set
        # while they are few enough to claim the next batch.
        self._waiting = 0
        self._room = asyncio.Event()
        self._in_flight: set[int] = set()  # claimed by this process and not yet finished

    async def tick(self, keep_going: Callable[[], bool] = lambda: True) -> TickReport:
        """Send everything due now, and what falls due while sending; claims no more when
        `keep_going` turns false (a sender that lost the lock finishes what it claimed).

        The next batch is claimed while the ones before still send, once at most CLAIM_AHEAD
        seconds of claimed deliveries at the pace wait for a slot: waiting for a batch to
        finish before claiming the next stopped every send for the claim's queries, 29 stops
        in a paid wave of 14,400 (benchmarks/ANALYSIS-paid-2026-12-06.md). Counting what waits
        over all batches, not a batch's own rest, keeps the claims from running ahead of the
        sends (claimed long before their turn, their lease ran out). The tick also goes on
        after a batch that was not full while claims keep finding deliveries it has not
        claimed yet: what the look-ahead makes due early keeps going at the pace instead of
        waiting for the next tick, which left the last reminders of a peak late
        (benchmarks/peak.py)."""
        report = TickReport()
        running: list[asyncio.Task[list[str]]] = []
        claimed: set[int] = set()
        with dispatching():  # a 429 reschedules the delivery; the tick never sleeps on it
            try:
                due = await self._claim()
                while due:
                    report.claimed += len(due)
                    new = any(d.id not in claimed for d in due)
                    claimed.update(d.id for d in due)
                    self._queue(due)
                    running.append(asyncio.create_task(self._send_batch(due)))
                    # Only deliveries back within this tick (deferred to now, say): sent, but
                    # the next tick claims again, so that a stopped clock never spins here.
                    if not new or not keep_going():
                        break
                    await self._room.wait()
                    if not keep_going():
                        break
                    due = await self._claim()
            except asyncio.CancelledError:
                # Stopped (shutdown, or a lost process in the drills): the sends stop too, as
                # they did when the tick awaited them itself; their claims stay for the lease.
                for task in running:
                    task.cancel()
                raise
            finally:
                for outcomes in await asyncio.gather(*running, return_exceptions=True):
                    if isinstance(outcomes, BaseException):
                        if not isinstance(outcomes, asyncio.CancelledError):
                            raise outcomes
                    else:
                        report.outcomes.update(outcomes)
        return report

    def _queue(self, due: list[DueDelivery]) -> None:
        self._in_flight.update(d.id for d in due)
        self._waiting += len(due)
        if self._waiting > self._ahead_count():
            self._room.clear()

    def _started(self, count: int = 1) -> None:
        self._waiting -= count
        if self._waiting <= self._ahead_count():
            self._room.set()

    def _ahead_count(self) -> int:
        return max(1, int(self.per_second * CLAIM_AHEAD))

    async def _claim(self) -> list[DueDelivery]:
        due = await claim_due(
            self.db,
            self.clock.now(),
            self.batch,
            rate=self.per_second * PLANNING_SHARE,
            tick=self.tick_length,
        )
        # A claim of ours whose lease ran out while its send is still under way (a very
        # slow send): that send records it; sending it again would be a duplicate.
        due = [d for d in due if d.id not in self._in_flight]
        if due and self.prepare is not None:
            try:
                await self.prepare(due)
            except Exception:
                # Only a shortcut: each composer then reads what it needs itself.
                log.exception("preparing %d deliveries failed", len(due))
        return due

    async def _send_batch(self, due: list[DueDelivery]) -> list[str]:
        """Each delivery as a slot frees up (a task each only then: 500 tasks queued on the
        slots at once cost more loop time than the sends)."""
        tasks: list[asyncio.Task[str]] = []
        try:
            for delivery in due:
                await self._slots.acquire()
                self._started()
                tasks.append(asyncio.create_task(self._in_slot(delivery)))
        finally:
            self._started(len(due) - len(tasks))  # none, unless cancelled while feeding
        try:
            return list(await asyncio.gather(*tasks))
        finally:
            if self.finished is not None:
                self.finished(due)

    async def _in_slot(self, delivery: DueDelivery) -> str:
        try:
            return await self._guarded(delivery)
        finally:
            self._in_flight.discard(delivery.id)
            self._slots.release()

    async def _guarded(self, delivery: DueDelivery) -> str:
        try:
            return await self._deliver(delivery)
        except Exception:
            # A bug in one composer must not stop the others; the lease brings it back.
            log.exception("delivery %s (%s) crashed", delivery.id, delivery.key)
            return "crashed"

    async def _deliver(self, delivery: DueDelivery) -> str:
        async with self._composing:
            outgoing = await self.compose(delivery)
        if isinstance(outgoing, Skip):
            await delivery_outcomes.record_skip(self.db, delivery, outgoing.reason)
            return "skipped"
        if isinstance(outgoing, Defer):
            await delivery_outcomes.record_defer(self.db, delivery, outgoing.until, outgoing.reason)
            return "deferred"
        try:
            message = await self._send(delivery.chat_id, outgoing, delivery)
        except TelegramError as error:
            outcome = classify(error, private_chat=delivery.chat_id > 0)
            log.info("delivery %s: %s", delivery.key, outcome.reason)
            await delivery_outcomes.record_failure(self.db, delivery, outcome, self.clock.now())
            return outcome.verdict.value
        await self._record_sent(delivery, outgoing, message)
        return "sent"

    async def _record_sent(
        self, delivery: DueDelivery, outgoing: Outgoing, message: SentMessage
    ) -> None:
        remember = outgoing.remember if isinstance(outgoing, Text) else None
        message_id = message.message_id if isinstance(message, Message) else message
        if isinstance(outgoing, Text) and not remember and outgoing.after is None:
            # Nothing else to write: recorded with the other sends finishing now.
            await self._sent.record(delivery.id, message_id, self.clock.now())
            return
        payload = {**delivery.payload, **remember} if remember else None

        async def record() -> None:
            async with self.db.begin() as session:
                now = self.clock.now()
                if isinstance(outgoing, Edit) and outgoing.before is not None:
                    await outgoing.before(session)
                await deliveries.mark_sent(session, delivery.id, message_id, now, payload=payload)
                if isinstance(outgoing, Edit):
                    # Also when Telegram found nothing to change: the check is about what came
                    # in after the edit was composed.
                    if outgoing.after is not None:
                        await outgoing.after(session, now)
                elif isinstance(outgoing, Text | Poll) and outgoing.after is not None:
                    # A text with `after` is sent through PTB (see _send): it has its Message.
                    if isinstance(message, Message):
                        await outgoing.after(session, message)

        # The message is out: a lock cycle broken by the database must not leave it unrecorded.
        await retrying(record)

    @asynccontextmanager
    async def _paced(self) -> AsyncIterator[None]:
        """A request in the pacer's slot: taken right before it goes by the bot's rate limiter
        (after an edit's gap in its chat), or here, before the call, by any other bot."""
        if not self._slot_at_send:
            await self.pacer.wait()
            yield
            return
        with paced_by(self.pacer.wait):
            yield

    async def _send(
        self, chat_id: int, outgoing: Outgoing, delivery: DueDelivery | None = None
    ) -> SentMessage:
        """Send it; with `delivery`, a long text resumes after the parts already delivered.

        A text with nothing to run after it goes through `send_plain` when there is one: the
        dispatcher keeps only its message id, and building PTB's Message for each send was a
        large part of a paid broadcast's CPU (benchmarks/ANALYSIS-paid-2026-12-06.md)."""
        match outgoing:
            case Text(parts=parts, markup=markup, after=after):
                message: SentMessage = None
                plain = self.send_plain if after is None else None
                # A retry of a long message resumes after the parts already delivered:
                # sending from part 1 again flooded the chat with the same first parts.
                first = delivery.parts_sent(len(parts)) if delivery is not None else 0
                for index in range(first, len(parts)):
                    last = index == len(parts) - 1
                    async with self._paced():
                        if plain is not None:
                            message = await plain(
                                chat_id,
                                parts[index],
                                markup if last else None,
                                paid=self.paid,
                                timeout=self.send_timeout,
                            )
                        else:
                            message = await self.screens.send(
                                self.bot,
                                chat_id,
                                Screen(parts[index], markup if last else None),
                                allow_paid_broadcast=self.paid or None,
                                read_timeout=self.send_timeout,
                                write_timeout=self.send_timeout,
                            )
                    if not last and delivery is not None:
                        async with self.db.begin() as session:
                            await deliveries.mark_parts_sent(
                                session, delivery, index + 1, len(parts)
                            )
                return message
            case Edit(message_id=message_id, screen=screen):
                # None when Telegram found nothing to change.
                async with self._paced():
                    return await self.screens.edit(
                        self.bot,
                        chat_id,
                        message_id,
                        screen,
                        read_timeout=self.send_timeout,
                        write_timeout=self.send_timeout,
                    )
            case Poll(question=question, options=options, correct=correct, explanation=why):
                async with self._paced():
                    return await self.bot.send_poll(
                        chat_id,
                        question,
                        list(options),
                        type=PollType.QUIZ,
                        correct_option_ids=[correct],  # type: ignore[list-item]
                        explanation=why,
                        # Neighbours must not see a member's wrong answer on feeding or abuse.
                        is_anonymous=True,
                        allow_paid_broadcast=self.paid or None,
                        read_timeout=self.send_timeout,
                        write_timeout=self.send_timeout,
                    )
        raise AssertionError(f"cannot send {outgoing!r}")
