"""Group commit: what arrives while a transaction is being written goes in the next one.

A burst of RSVP presses on a group's reminder (a whole group answering within seconds) waits
mostly for commits. The first press is written at once; presses that arrive meanwhile are
queued and written together as soon as it is done, so a burst costs a few transactions
instead of one each. No timer: an idle queue adds no delay, and nothing waits in memory
longer than one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    def __init__(
        self, write: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]], most: int = 200
    ) -> None:
        self._write = write
        self._most = most
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writing = False

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if not self._writing:
            self._writing = True
            try:
                await self._drain()
            finally:
                self._writing = False
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._most], self._queue[self._most :]
            try:
                results = await self._write([item for item, _ in batch])
            except Exception as error:  # every press of the batch hears of it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                future.set_result(result)
