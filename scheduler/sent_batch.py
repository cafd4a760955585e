"""Sends recorded together: one transaction and one statement for many plain messages.

A wave's sends finish a few milliseconds apart, and recording each in its own transaction
made the database, not Telegram, the limit of a paid broadcast (benchmarks/paid.py). Here a
send that has nothing else to write joins the batch being gathered while the previous one is
written (group commit), and returns only once its own row is committed: what the dispatcher
knows when `record` returns is what it knew before, each send recorded before it counts as
sent. A failed write fails every send of its batch, as each own transaction would have."""

from __future__ import annotations

import asyncio
from datetime import datetime

from storage import deliveries
from storage.db import SessionFactory

# At most this many rows in one statement; the rest wait for the next.
MAX_ROWS = 500


class SentBatch:
    def __init__(self, db: SessionFactory) -> None:
        self.db = db
        self._waiting: list[tuple[deliveries.Sent, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, delivery_id: int, message_id: int | None, now: datetime) -> None:
        """Mark the delivery sent at `now`; returns once that is committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((deliveries.Sent(delivery_id, message_id, now), done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await done

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_ROWS], self._waiting[MAX_ROWS:]
            try:
                async with self.db.begin() as session:
                    await deliveries.mark_many_sent(session, [sent for sent, _ in batch])
            except asyncio.CancelledError:
                for _, done in batch + self._waiting:
                    done.cancel()
                self._waiting = []
                raise
            except Exception as error:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
