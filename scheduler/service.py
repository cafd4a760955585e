"""Wire the dispatcher into the application: one repeating job, only while holding the lock."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from config.settings import Settings
from scheduler.composers import compose
from scheduler.dispatcher import (
    PAID_SENDS_PER_SECOND,
    SENDS_PER_SECOND,
    Dispatcher,
    PlainSend,
    TickReport,
)
from scheduler.leader import SenderLock, sender_lock
from scheduler.message import ComposeContext, Outgoing, Recent, TelegramChannel
from scheduler.recipients import private_key
from scheduler.registry import check_every_kind_composed
from scheduler.send_slot import Sleep
from storage import deliveries
from storage.db import SessionFactory
from storage.deliveries import DueDelivery, recipients
from storage.operations import housekeeping
from timekeeping.clock import Clock

log = logging.getLogger(__name__)

RECENT_SECONDS = 1.0  # how long a tick's sends share what they read (see Recent)
# The longest a batch's private chats read in advance are used (see DispatchService._prepare).
PREPARED_SECONDS = 60.0


class DispatchService:
    """Ticks the dispatcher when this process holds the sender lock; otherwise stands by.

    The lock also decides who receives updates (bot/leadership.py): one poller, one sender."""

    def __init__(
        self,
        engine: AsyncEngine,
        db: SessionFactory,
        bot: Bot,
        clock: Clock,
        settings: Settings,
        screens: TelegramChannel,
        bot_username: str = "",
        *,
        send_plain: PlainSend | None = None,
        pace_clock: Callable[[], float] = time.monotonic,
        pace_sleep: Sleep = asyncio.sleep,
    ) -> None:
        """`pace_clock` and `pace_sleep`: the pacer's time (tests give the fake Telegram's)."""
        check_every_kind_composed()
        self.db = db
        self.clock = clock
        self.settings = settings
        self.bot_username = bot_username
        self.lock: SenderLock = sender_lock(engine)
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.leading = False
        self._told_standby = False
        # One look at the lock at a time: the PostgreSQL lock lives on one connection, which
        # two coroutines must not use at once (the leadership loop and a tick).
        self._checking = asyncio.Lock()
        # One tick at a time; taking the lock waits for a tick of ours still running.
        self._ticking = asyncio.Lock()
        self._recent = Recent(RECENT_SECONDS)
        self.dispatcher = Dispatcher(
            db,
            bot,
            clock,
            self._compose,
            send_timeout=settings.send_timeout,
            per_second=PAID_SENDS_PER_SECOND if settings.paid_broadcast else SENDS_PER_SECOND,
            paid_broadcast=settings.paid_broadcast,
            tick=timedelta(seconds=settings.dispatch_interval),
            prepare=self._prepare,
            finished=self._finished,
            screens=screens,
            monotonic=pace_clock,
            sleep=pace_sleep,
            send_plain=send_plain,
        )

    async def _prepare(self, due: list[DueDelivery]) -> None:
        """The state of every private chat in the batch, read at once and shared with the
        composers: one query instead of one transaction a message (on a paid broadcast these
        reads were a third of the database's work a message). Kept until the batch has been
        sent (`_finished`), at most PREPARED_SECONDS: kept for the time the batch should take
        at the pace, a loaded machine sending slower read the later part of each batch row by
        row again, slowing it further. (A "blocked" is read again before a send is skipped,
        see scheduler/recipients.py; the language may be as old as the batch.)"""
        chats = sorted({d.chat_id for d in due if d.chat_id > 0})
        if not chats:
            return
        states = await recipients.private_states(self.db, chats)
        for chat in chats:
            self._recent.put(private_key(chat), states.get(chat), seconds=PREPARED_SECONDS)

    def _finished(self, due: list[DueDelivery]) -> None:
        for delivery in due:
            if delivery.chat_id > 0:
                self._recent.drop(private_key(delivery.chat_id))

    async def _compose(self, delivery: DueDelivery) -> Outgoing:
        context = ComposeContext(
            self.db, self.settings, self.clock.now(), self.bot_username, recent=self._recent
        )
        return await compose(context, delivery)

    async def check_lock(self) -> bool:
        """Take the sender lock, or make sure it is still held; True while this process leads.

        On taking it, the claims of the sender before are released at once (see
        deliveries.release_claims): the lock says that sender is gone."""
        async with self._checking:
            try:
                leading = await self.lock.try_acquire()
            except Exception:
                self._lost()
                raise
            if leading and not self.leading:
                # A tick of ours from before a lost lock finishes first: its sends are ours.
                async with self._ticking:
                    released = await deliveries.release_claims(self.db)
                log.info(
                    "dispatcher %s: took the sender lock; receiving updates and sending%s",
                    self.holder,
                    f" ({released} deliveries claimed by the sender before released)"
                    if released
                    else "",
                )
                self.leading = True
                self._told_standby = False
            elif not leading:
                self._lost()
                if not self._told_standby:
                    log.warning(
                        "dispatcher %s: standing by: %s. This instance neither receives "
                        "updates nor sends; it takes over within seconds when that one stops.",
                        self.holder,
                        self.lock.describe(),
                    )
                    self._told_standby = True
            return self.leading

    def _lost(self) -> None:
        if self.leading:
            log.warning("dispatcher %s: lost the sender lock; standing by", self.holder)
        self.leading = False

    async def run_once(self) -> TickReport | None:
        """One tick; None when another process is the sender."""
        if not await self.check_lock():
            return None
        async with self._ticking:
            # Reads shared by this tick's sends only: the next tick sees every change.
            self._recent = Recent(RECENT_SECONDS)
            report = await self.dispatcher.tick(keep_going=lambda: self.leading)
            now = self.clock.now()
            # Pruning handled updates and retention run on their own cadence, kept in the
            # database: an idle tick beats and reads what is due, in one transaction.
            due = await housekeeping.beat(self.db, self.holder, now)
            if due:
                await housekeeping.run(self.db, now, due, self.settings.retention)
        return report

    async def close(self) -> None:
        await self.lock.release()
        self.leading = False
