"""Work that arrives together, done together: one call for everything waiting.

A burst of presses on a group reminder arrives as many updates at once. Each waits here while
the call before it runs; when that call ends, everything that arrived meanwhile goes into the
next call. A lone press is recorded at once (no timer: nothing waits for a batch to fill), and
under a burst each call serves all the presses of its moment. The items only wait for their
own answer: nothing due later is kept here (the database holds that)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Enough for every update the application handles at once (bot/update_order.py).
MAX_BATCH = 200


class Batcher(Generic[Item, Result]):
    """`await batcher.submit(item)`: `work` runs on everything waiting, one call at a time,
    in arrival order, and returns one result per item (in the same order). If it raises,
    every item of that call gets the exception."""

    def __init__(
        self,
        work: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        self.work = work
        self.max_batch = max_batch
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._running: asyncio.Task[None] | None = None
        self.calls = 0  # how many calls `work` had (batches), for benchmarks and tests

    async def submit(self, item: Item) -> Result:
        answer: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, answer))
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self._drain())
        # Shielded: a cancelled update must not cancel the call its neighbours wait for.
        return await asyncio.shield(answer)

    async def _drain(self) -> None:
        while self._waiting:
            batch = self._waiting[: self.max_batch]
            del self._waiting[: self.max_batch]
            self.calls += 1
            try:
                results = await self.work([item for item, _ in batch])
                if len(results) != len(batch):
                    raise AssertionError(f"{len(results)} results for {len(batch)} items")
            except BaseException as error:
                # Each waiting update reports it through its own error handler.
                stopping = not isinstance(error, Exception)  # cancelled: the application stops
                for _, answer in batch:
                    if answer.done():
                        continue
                    if stopping:
                        answer.cancel()
                    else:
                        answer.set_exception(error)
                if stopping:
                    raise
                continue
            for (_, answer), result in zip(batch, results, strict=True):
                if not answer.done():
                    answer.set_result(result)
