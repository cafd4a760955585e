"""One poller and one sender per database: updates are received only while holding the lock.

Telegram lets one getUpdates consumer in at a time: a second long poll terminates the first
with 409 Conflict. Two instances that both polled (a rolling deploy, a standby for fail-over)
kept terminating each other, and an update arriving meanwhile could reach both. So the sender
lock (scheduler/leader.py) decides both: the instance that holds it polls (or serves the
webhook) and dispatches; the others look at the lock every `P2K2_STANDBY_INTERVAL` seconds and
start receiving as soon as they take it. A 409 that still comes means a copy outside this
database's lock (started by hand, or on another database) polls with the same token: this
instance says so in one line and stops polling for a while instead of fighting it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telegram.error import Conflict, TelegramError

from bot.context import P2K2Application

log = logging.getLogger("p2k2.leadership")

ErrorCallback = Callable[[TelegramError], None]
# Starts receiving (updater.start_polling or start_webhook) with the given polling errors'
# callback.
Receive = Callable[[ErrorCallback], Awaitable[object]]

# After a 409, polling pauses this long, doubling at each new 409 up to the maximum.
CONFLICT_PAUSE = 30.0
CONFLICT_PAUSE_MAX = 300.0


class Leadership:
    """Start receiving on taking the sender lock, stop on losing it (or on a 409)."""

    def __init__(
        self,
        application: P2K2Application,
        receive: Receive,
        *,
        on_takeover: Callable[[], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.application = application
        self.receive = receive
        self.on_takeover = on_takeover
        self.monotonic = monotonic
        self._conflict = False
        self._paused_until = 0.0
        self._pause = CONFLICT_PAUSE

    @property
    def receiving(self) -> bool:
        updater = self.application.updater
        return updater is not None and updater.running

    async def step(self) -> bool:
        """Look at the lock once and receive accordingly; True while this instance leads."""
        service = self.application.bot_data.dispatch
        assert service is not None and self.application.updater is not None
        was_leading = service.leading
        try:
            leading = await service.check_lock()
        except Exception:
            await self._stop_receiving()
            raise
        if self._conflict:
            self._conflict = False
            self._paused_until = self.monotonic() + self._pause
            self._pause = min(self._pause * 2, CONFLICT_PAUSE_MAX)
        paused = self.monotonic() < self._paused_until
        if leading and not paused and not self.receiving:
            await self.receive(self._polling_error)
        elif (not leading or paused) and self.receiving:
            await self._stop_receiving()
        if not leading:
            self._pause = CONFLICT_PAUSE
        if leading and not was_leading and self.on_takeover is not None:
            self.on_takeover()  # what is due goes now, not at the next tick
        return leading

    async def run(self, every: float, stop: asyncio.Event) -> None:
        """Step every `every` seconds until `stop` is set."""
        while not stop.is_set():
            try:
                await self.step()
            except Exception as exc:
                # The database is unreachable: no instance can send; look again soon.
                log.warning("sender lock: %s; trying again in %g s", _one_line(exc), every)
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                pass

    async def _stop_receiving(self) -> None:
        if self.receiving:
            assert self.application.updater is not None
            await self.application.updater.stop()

    def _polling_error(self, error: TelegramError) -> None:
        """The polling loop's error callback (it must not be a coroutine)."""
        if isinstance(error, Conflict):
            if not self._conflict and self.monotonic() >= self._paused_until:
                log.warning(
                    "Telegram answered 409 Conflict: another program is receiving this bot's "
                    "updates with the same token (a copy started by hand or on another "
                    "database; copies on this database stand by by themselves). This instance "
                    "stops polling for %g s instead of fighting it; stop the other copy.",
                    self._pause,
                )
            self._conflict = True
            return
        # Anything else goes to the error handler, as under PTB's run_polling.
        self.application.create_task(self.application.process_error(error=error, update=None))


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"
