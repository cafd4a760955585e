"""Group commit: presses that arrive while one is written go together in the next write."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from handlers.batching import GroupCommit


async def test_a_burst_is_written_in_few_transactions_and_each_gets_its_answer() -> None:
    writes: list[list[int]] = []
    gate = asyncio.Event()

    async def write(items: Sequence[int]) -> list[str]:
        writes.append(list(items))
        await gate.wait()  # a transaction in flight while the others arrive
        return [f"ok {item}" for item in items]

    batcher: GroupCommit[int, str] = GroupCommit(write)
    tasks = [asyncio.create_task(batcher.submit(item)) for item in range(6)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*tasks) == [f"ok {item}" for item in range(6)]
    assert writes == [[0], [1, 2, 3, 4, 5]]


async def test_an_idle_queue_writes_at_once() -> None:
    async def write(items: Sequence[int]) -> list[int]:
        return [item * 2 for item in items]

    batcher: GroupCommit[int, int] = GroupCommit(write)
    assert await batcher.submit(4) == 8
    assert await batcher.submit(5) == 10


async def test_a_failed_write_reaches_every_press_of_its_batch() -> None:
    async def write(items: Sequence[int]) -> list[int]:
        raise RuntimeError("database is locked")

    batcher: GroupCommit[int, int] = GroupCommit(write)
    results = await asyncio.gather(batcher.submit(1), batcher.submit(2), return_exceptions=True)
    assert all(isinstance(result, RuntimeError) for result in results)
    with pytest.raises(RuntimeError):
        await batcher.submit(3)
