"""Work that arrives together is done together, each caller getting its own answer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from handlers.batch import Batcher


class Recorder:
    def __init__(self, fail_on: int | None = None) -> None:
        self.calls: list[list[int]] = []
        self.fail_on = fail_on
        self.release = asyncio.Event()
        self.release.set()

    async def __call__(self, items: Sequence[int]) -> list[str]:
        self.calls.append(list(items))
        await self.release.wait()
        if self.fail_on in items:
            raise RuntimeError("database unreachable")
        return [f"done {item}" for item in items]


async def test_a_lone_item_is_done_at_once() -> None:
    work = Recorder()
    batcher = Batcher(work)
    assert await batcher.submit(1) == "done 1"
    assert work.calls == [[1]]


async def test_items_arriving_while_a_call_runs_share_the_next_call_in_order() -> None:
    work = Recorder()
    work.release.clear()
    batcher = Batcher(work)
    first = asyncio.create_task(batcher.submit(0))
    await asyncio.sleep(0)  # the first call starts and waits
    rest = [asyncio.create_task(batcher.submit(i)) for i in range(1, 6)]
    await asyncio.sleep(0)
    work.release.set()
    assert await first == "done 0"
    assert [await task for task in rest] == [f"done {i}" for i in range(1, 6)]
    assert work.calls == [[0], [1, 2, 3, 4, 5]]
    assert batcher.calls == 2


async def test_a_call_takes_at_most_max_batch_items() -> None:
    work = Recorder()
    work.release.clear()
    batcher = Batcher(work, max_batch=2)
    tasks = [asyncio.create_task(batcher.submit(i)) for i in range(5)]
    await asyncio.sleep(0)
    work.release.set()
    assert [await task for task in tasks] == [f"done {i}" for i in range(5)]
    assert work.calls == [[0, 1], [2, 3], [4]]


async def test_a_failed_call_fails_its_items_only() -> None:
    work = Recorder(fail_on=2)
    work.release.clear()
    batcher = Batcher(work, max_batch=2)
    tasks = [asyncio.create_task(batcher.submit(i)) for i in range(4)]
    await asyncio.sleep(0)
    work.release.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert results[:2] == ["done 0", "done 1"]
    assert all(isinstance(r, RuntimeError) for r in results[2:])
    assert await batcher.submit(5) == "done 5"  # the next call runs as usual


async def test_one_caller_giving_up_does_not_cancel_the_others() -> None:
    work = Recorder()
    work.release.clear()
    batcher = Batcher(work)
    leaving = asyncio.create_task(batcher.submit(1))
    staying = asyncio.create_task(batcher.submit(2))
    await asyncio.sleep(0)
    leaving.cancel()
    work.release.set()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert await staying == "done 2"
    assert work.calls == [[1, 2]]
