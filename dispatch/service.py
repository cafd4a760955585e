"""Wire the dispatcher into the application: one repeating job, only while holding the lock."""

from __future__ import annotations

import logging
import os
import socket

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from config.settings import Settings
from dispatch.composers import compose
from dispatch.dispatcher import Dispatcher, TickReport
from dispatch.leader import SenderLock, sender_lock
from dispatch.message import ComposeContext, Outgoing, Recent
from storage.db import SessionFactory
from storage.deliveries import DueDelivery
from storage.models import DispatcherHeartbeat
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
        self.db = db
        self.clock = clock
        self.settings = settings
        self.bot_username = bot_username
        self.lock: SenderLock = sender_lock(engine)
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.leading = False
        self._recent = Recent(RECENT_SECONDS)
        self.dispatcher = Dispatcher(
            db, bot, clock, self._compose, send_timeout=settings.send_timeout
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
        await self._heartbeat()
        return report

    async def _heartbeat(self) -> None:
        # One row, updated in place every tick; inserted by the first tick ever.
        async with self.db.begin() as session:
            result = await session.execute(
                update(DispatcherHeartbeat)
                .where(DispatcherHeartbeat.id == 1)
                .values(holder=self.holder, ticked_at=self.clock.now())
            )
            if not getattr(result, "rowcount", 0):
                session.add(
                    DispatcherHeartbeat(id=1, holder=self.holder, ticked_at=self.clock.now())
                )

    async def close(self) -> None:
        await self.lock.release()
        self.leading = False
