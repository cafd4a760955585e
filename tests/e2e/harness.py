"""The real Application, long-polling the fake Bot API over HTTP, on a test database."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.app import build_application
from bot.context import P2K2Application
from bot.leadership import ErrorCallback, Leadership
from config.settings import Settings, load_settings
from scheduler.dispatcher import TickReport
from scheduler.leader import ADVISORY_KEY, FileSenderLock, SenderLock
from simulator.emulator import Chat, FakeTelegram, SentMessage, User
from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus
from timekeeping.clock import ManualClock

TOKEN = "0:FAKE-token-for-the-emulator"
# dispatch() follows rescheduled sends after a 429 this far and this often (see there).
FLOOD_WAIT = timedelta(minutes=1)
FLOOD_TICKS = 30
COORDINATOR_ID = 1000
# settle(): how many turns of the event loop the bot and the fake must stay idle.
SETTLED_TURNS = 5


def test_settings(fake: FakeTelegram, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_API_FILE_URL": fake.base_file_url,
        "DATABASE_URL": database_url,
        "P2K2_ADMIN_IDS": str(COORDINATOR_ID),
    }
    values.update(overrides)
    return load_settings(env_file=None, **values)


class TelegramTime:
    """The time Telegram's flood windows run on: real time, plus every jump the test makes
    with the bot's clock, plus the waits the bot made (retry_after, an edit's gap).

    A test that moves the bot's clock a day ahead moves Telegram's as well (a group's
    per-minute window must not still hold yesterday's reminders). A wait passes at once, as
    the bot's clock does, so no test sleeps; but time moves once for everyone, as it does on
    Telegram: waits that overlap are not added up. Each waiter notes when it is due; after one
    turn of the event loop (so that everyone who started waiting at the same moment has noted
    theirs) time jumps to the earliest due moment, and a waiter returns once its own has come.
    Two requests that each wait a second at the same time find one second passed, not two.

    Time jumps as soon as anyone waits, even while others are still working their way to a
    wait of their own (a send composing its text reads the database), and it runs with the
    machine's. A test that must see what happens when many waits overlap holds time
    (`hold`: it stands still) and moves it itself (`jump`), once everyone it knows of is
    waiting (`waiting`), until `release`."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.started = clock.now()
        self.waited = 0.0
        self._due: list[float] = []  # a heap of the moments the current waiters wait for
        self._held_at: float | None = None  # the machine's time when time was held

    def hold(self) -> None:
        self._held_at = time.monotonic()

    def release(self) -> None:
        if self._held_at is not None:
            self.waited -= time.monotonic() - self._held_at  # on from where it stood
            self._held_at = None

    @property
    def waiting(self) -> int:
        """How many waits are under way."""
        return len(self._due)

    def jump(self) -> None:
        """Time moves on to the earliest moment someone waits for."""
        if self._due:
            self.waited += max(0.0, self._due[0] - self.now())

    def now(self) -> float:
        machine = time.monotonic() if self._held_at is None else self._held_at
        return machine + self.waited + (self.clock.now() - self.started).total_seconds()

    async def sleep(self, seconds: float) -> None:
        due = self.now() + max(seconds, 0.0)
        heapq.heappush(self._due, due)
        try:
            while True:
                await asyncio.sleep(0)
                now = self.now()
                if now >= due:
                    return
                if self._held_at is None:
                    self.waited += self._due[0] - now if self._due[0] > now else 0.0
        finally:
            self._due.remove(due)
            heapq.heapify(self._due)


@dataclass
class RunningBot:
    """One bot process: start it, stop it, start another on the same database."""

    fake: FakeTelegram
    settings: Settings
    engine: AsyncEngine
    db: SessionFactory
    clock: ManualClock
    # Telegram's time: the bot's waits (a retry_after, an edit's gap) pass in it, at once.
    # Required, so that no test's bot waits in real time.
    telegram_time: TelegramTime
    app: P2K2Application | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    leadership: Leadership | None = None
    crashed: bool = False
    # The dispatcher's pacer on Telegram's time too: for a test that holds that time and moves
    # it itself (TelegramTime.hold). Left to jump by itself, that time would also pass while a
    # paced request is still on its way to the fake, which Telegram would see bunched.
    pace_in_telegram_time: bool = False

    async def start(self) -> None:
        """Start as `p2k2 run` does (bot/runner.serve), with one look at the sender lock: the
        first bot on a database takes it and polls; another stands by until `lead()`."""
        self.app = build_application(
            self.settings,
            self.engine,
            self.clock,
            flood_sleep=self.telegram_time.sleep,
            flood_clock=self.telegram_time.now,
            pace_sleep=self.telegram_time.sleep if self.pace_in_telegram_time else None,
            pace_clock=self.telegram_time.now if self.pace_in_telegram_time else None,
        )
        self.leadership = Leadership(self.app, self._poll)
        await self.app.initialize()
        # serve() calls these hooks; the harness drives the same steps by hand.
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        await self.app.start()
        await self.lead()

    async def _poll(self, on_error: ErrorCallback) -> object:
        assert self.app is not None and self.app.updater is not None
        return await self.app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES, error_callback=on_error
        )

    async def lead(self) -> bool:
        """One look at the sender lock, as the standby loop makes every second: take it (and
        start polling) or keep standing by; True while this bot holds it."""
        assert self.leadership is not None
        return await self.leadership.step()

    @property
    def leading(self) -> bool:
        return (
            self.app is not None
            and self.app.bot_data.dispatch is not None
            and (self.app.bot_data.dispatch.leading)
        )

    @property
    def receiving(self) -> bool:
        return self.leadership is not None and self.leadership.receiving

    async def crash(self, *running: asyncio.Task[Any]) -> None:
        """As kill -9: what it was doing (`running`, e.g. a tick mid-wave) stops where it is,
        nothing is released or recorded by it, and its sender lock dies with its database
        session. (Its polling ends with PTB's last getUpdates, which a real kill would not
        make: a test hands those updates out again with `fake.world.updates.redeliver`.)"""
        assert self.app is not None and self.app.updater is not None
        for task in running:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.app.updater.running:
            await self.app.updater.stop()
        service = self.app.bot_data.dispatch
        assert service is not None
        await kill_lock_session(self.engine, service.lock)
        self.crashed = True

    async def stop(self) -> None:
        if self.app is None:
            return
        if self.crashed:
            await self._bury()
            return
        assert self.app.updater is not None
        if self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        if self.app.post_stop is not None:
            await self.app.post_stop(self.app)
        await self.app.shutdown()
        if self.app.post_shutdown is not None:
            await self.app.post_shutdown(self.app)
        self.app = None

    async def _bury(self) -> None:
        """Free what a crashed bot held in this test process; its lock is gone already."""
        assert self.app is not None
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        if self.app.bot_data.dispatch is not None:
            with contextlib.suppress(Exception):  # its lock's connection is dead
                await self.app.bot_data.dispatch.close()
        self.app = None
        self.crashed = False

    async def dispatch(self, *, follow_flood: bool = True) -> TickReport | None:
        """One dispatcher tick at the clock's current time (what the repeating job does).

        With `follow_flood`, when Telegram's flood control asked for a wait, the clock moves on
        to when those sends are due again and the tick is repeated, as the repeating job would
        do a few seconds later: the report covers every tick."""
        assert self.app is not None and self.app.bot_data.dispatch is not None
        await self.lead()
        total = await self.app.bot_data.dispatch.run_once()
        for _ in range(FLOOD_TICKS if follow_flood else 0):
            due = await _next_flood_retry(self.db)
            if total is None or due is None or due - self.clock.now() > FLOOD_WAIT:
                break
            self.clock.set(max(due, self.clock.now()))
            report = await self.app.bot_data.dispatch.run_once()
            if report is not None:
                total.claimed += report.claimed
                total.outcomes.update(report.outcomes)
        return total

    async def deliver_link_hint(self, chat: Chat, user: User) -> None:
        """The bot joined a chat: send the /hubungkan hint it queued, as the dispatcher would.

        One person's updates are handled in order, so the answer to her later /help means the
        join she made was handled and the hint is in the database; then the clock passes its
        delay."""
        self.fake.mark_read(chat)
        await self.fake.send_text(user, f"/help@{self.username}", chat=chat)
        await self.fake.wait_for_message(chat, lambda m: "@" in (m.plain or ""))
        self.clock.advance(timedelta(seconds=20))
        await self.dispatch()

    async def settle(self, timeout: float = 5.0) -> None:
        """Every update fetched, queued and handled, also those without a sender (a poll's new
        counts), which no later message of anyone's waits behind.

        Decided from state, not from a quiet period: the fake has no call running and every
        update it handed out was confirmed (so the Updater queued it), the queue is empty and
        no update is being handled, and that holds over a few turns of the event loop (a
        handler that just finished may still have a call to make in the same turn)."""
        assert self.app is not None
        processor = self.app.update_processor
        queue = self.app.update_queue
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        calm_turns = 0
        while calm_turns < SETTLED_TURNS:
            if self.fake.quiet() and queue.empty() and not processor.current_concurrent_updates:
                calm_turns += 1
                await asyncio.sleep(0)
                continue
            calm_turns = 0
            if loop.time() > deadline:
                raise AssertionError(f"updates still being handled after {timeout}s")
            await asyncio.sleep(0.002)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def username(self) -> str:
        return self.fake.bot.username or ""


async def kill_lock_session(engine: AsyncEngine, lock: SenderLock) -> None:
    """End the database session that holds the sender lock, as the server does when the
    process holding it is killed, and wait until the lock is free."""
    if isinstance(lock, FileSenderLock):
        assert lock._file is not None
        lock._file.close()  # the kernel frees a flock when its holder's file is closed
        lock._file = None
        return
    held = sql(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = :key"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    async with engine.connect() as connection:
        for pid in (await connection.execute(held, {"key": ADVISORY_KEY})).scalars():
            # With a timeout (ms) it returns once the session has ended and freed the lock.
            await connection.execute(sql("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        assert (await connection.execute(held, {"key": ADVISORY_KEY})).first() is None
        await connection.commit()


async def _next_flood_retry(db: SessionFactory) -> datetime | None:
    """When the earliest send put off by a 429 is due again (None: there is none)."""
    async with db.begin() as session:
        due: datetime | None = await session.scalar(
            select(func.min(Delivery.due_at)).where(
                Delivery.status == DeliveryStatus.PENDING, Delivery.reason.like("RetryAfter%")
            )
        )
        return due


class Person:
    """A user of the fake Telegram with shortcuts for what tests do most."""

    def __init__(self, fake: FakeTelegram, user: User) -> None:
        self.fake = fake
        self.user = user
        self.chat = fake.private_chat(user)

    @property
    def id(self) -> int:
        return self.user.id

    async def says(self, text: str, timeout: float = 10.0) -> SentMessage:
        """Send text in the private chat and wait for the bot's next message or edit there."""
        self.fake.mark_read(self.chat)
        await self.fake.send_text(self.user, text)
        return await self.fake.wait_for_message(self.chat, timeout=timeout)

    async def taps(
        self, message: SentMessage, button: str, *, timeout: float = 10.0
    ) -> SentMessage:
        """Tap a button (by its text or data) and wait for the answer in the same chat."""
        self.fake.mark_read(message.chat_id)
        await self.fake.press(self.user, message, callback_of(message, button))
        return await self.fake.wait_for_message(message.chat_id, timeout=timeout)

    async def sends_file(self, name: str, content: bytes) -> SentMessage:
        self.fake.mark_read(self.chat)
        await self.fake.send_document(self.user, name, content)
        return await self.fake.wait_for_message(self.chat, timeout=10.0)

    def last(self) -> SentMessage:
        message = self.fake.last_message(self.chat)
        assert message is not None
        return message


def callback_of(message: SentMessage, wanted: str) -> str:
    """The data of the button whose text contains `wanted` (or whose data is `wanted`)."""
    pairs = [(text, data) for text, data in message.buttons if data is not None]
    for text, data in pairs:
        if data == wanted or wanted.casefold() in text.casefold():
            return data
    raise AssertionError(f"no button {wanted!r} in {[text for text, _ in pairs]}")


def labels(message: SentMessage) -> list[str]:
    return [text for text, _ in message.buttons]


def links_in(message: SentMessage) -> list[str]:
    return [word for word in (message.plain or "").split() if word.startswith("https://t.me/")]


def data_of(message: SentMessage, prefix: str) -> list[str]:
    """The callback data of the message's buttons that start with `prefix`."""
    return [data for _, data in message.buttons if data is not None and data.startswith(prefix)]


async def question_to(fake: FakeTelegram, answerer: Person, name: str) -> SentMessage:
    """The join question about `name` that reached the chair or the facilitator."""
    return await fake.wait_for_message(
        answerer.chat,
        lambda m: name in (m.plain or "") and bool(data_of(m, "ja:")),
    )


async def join_and_be_confirmed(
    bot: RunningBot, person: Person, token: str, name: str, answerer: Person
) -> SentMessage:
    """Joining as it is now: open the link, type the name (tap it if the roster has it, and
    say she does not know the number), then the chair or facilitator answers ✅. Returns the
    message that tells her she is confirmed."""
    await person.says(f"/start {token}")
    step = await person.says(name)
    picks = data_of(step, "jp:")
    if picks:
        step = await person.taps(step, picks[0])
    if data_of(step, "jk:"):
        step = await person.taps(step, data_of(step, "jk:")[0])
    assert "⏳" in (step.plain or ""), step.plain
    await bot.dispatch()
    question = await question_to(bot.fake, answerer, name)
    (yes,) = [data for data in data_of(question, "ja:") if data.endswith(":1")]
    await answerer.taps(question, yes)
    await bot.dispatch()
    return await bot.fake.wait_for_message(
        person.chat, lambda m: "✅" in (m.plain or "") and "/start" in (m.plain or "")
    )
