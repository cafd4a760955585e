"""Wire the dispatcher into the application: one repeating job, only while holding the lock."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from config.settings import Settings
from dispatch.composers import compose
from dispatch.dispatcher import (
    PAID_SENDS_PER_SECOND,
    SENDS_PER_SECOND,
    Dispatcher,
    TickReport,
)
from dispatch.leader import SenderLock, sender_lock
from dispatch.message import ComposeContext, Outgoing, Recent
from dispatch.registry import check_every_kind_composed
from storage import heartbeat
from storage.db import SessionFactory
from storage.deliveries import DueDelivery
from timekeeping.clock import Clock

log = logging.getLogger(__name__)

RECENT_SECONDS = 1.0  # how long a tick's sends share what they read (see Recent)


class DispatchService:
    """Ticks the dispatcher when this process holds the sender lock; otherwise stands by."""

    def __init__(
        self,
        engine: AsyncEngine,
        db: SessionFactory,
        bot: Bot,
        clock: Clock,
        settings: Settings,
        bot_username: str = "",
    ) -> None:
        check_every_kind_composed()
        self.db = db
        self.clock = clock
        self.settings = settings
        self.bot_username = bot_username
        self.lock: SenderLock = sender_lock(engine)
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.leading = False
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
        )

    async def _compose(self, delivery: DueDelivery) -> Outgoing:
        context = ComposeContext(
            self.db, self.settings, self.clock.now(), self.bot_username, recent=self._recent
        )
        return await compose(context, delivery)

    async def run_once(self) -> TickReport | None:
        """One tick; None when another process is the sender."""
        leading = await self.lock.try_acquire()
        if leading != self.leading:
            log.info("dispatcher %s: %s", self.holder, "sending" if leading else "standing by")
            self.leading = leading
        if not leading:
            return None
        # Reads shared by this tick's sends only: the next tick sees every change.
        self._recent = Recent(RECENT_SECONDS)
        report = await self.dispatcher.tick()
        async with self.db.begin() as session:
            await heartbeat.beat(session, self.holder, self.clock.now())
        return report

    async def close(self) -> None:
        await self.lock.release()
        self.leading = False
