"""Fault drills with real `p2k2 run` processes against the emulator.

1. kill -9 in the middle of a broadcast to private chats, then restart: everything arrives;
   duplicates no more than the sends in flight at the kill. The restarted process takes the
   sender lock and releases the killed one's claims at once (no waiting for their lease).
2. Two processes on one PostgreSQL database (SQLite uses a lock file, one host only): during
   a broadcast never a double send; when the dispatching one is killed the standby sends
   due work within 5 s (issue 25's target).

The database-down drill is deterministic and lives in tests/e2e/test_drills.py."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections import Counter

from sqlalchemy import func, select

from benchmarks.common import (
    Options,
    Result,
    bench_environment,
    fresh_database,
    log,
    make_due,
    register_seeded,
)
from devdata.seed import SeedPlan, member_user_id, seed
from simulator.emulator import FakeTelegram, FloodLimits
from storage import deliveries
from storage.db import SessionFactory, create_engine, session_factory
from storage.models import Delivery, DeliveryStatus, DispatcherHeartbeat
from timekeeping.clock import SystemClock
from timekeeping.delivery_kinds import DeliveryKind

BENCH = "drills"
CONCURRENCY = 64  # the dispatcher's send slots


async def spawn(fake: FakeTelegram, url: str, interval: str) -> asyncio.subprocess.Process:
    env = bench_environment(fake, url, P2K2_DISPATCH_INTERVAL=interval)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "run", env=env, stdout=asyncio.subprocess.DEVNULL
    )


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


def private_sends(fake: FakeTelegram, chats: list[int]) -> Counter[int]:
    wanted = set(chats)
    return Counter(
        int(c.chat_id)
        for c in fake.calls_to("sendMessage")
        if c.status == 200 and c.chat_id is not None and int(c.chat_id) in wanted
    )


async def wait_for(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.1)
    return False


async def status_counts(db: SessionFactory) -> Counter[DeliveryStatus]:
    async with db.begin() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return Counter({status: int(count) for status, count in rows})


async def seeded(url: str, chats: int) -> list[int]:
    engine = create_engine(url)
    try:
        plan = SeedPlan(
            groups=chats // 10, members=10, months=0, telegram_share=1.0, history_deliveries=False
        )
        await seed(engine, plan, SystemClock().now())
        await make_due(engine, SystemClock().now(), Delivery.chat_id > 0)
    finally:
        await engine.dispose()
    return [member_user_id(i) for i in range(chats)]


async def kill_drill(kind: str, options: Options) -> list[Result]:
    size = 200 if options.quick else 1000
    async with fresh_database(kind, options, "kill") as url:
        chats = await seeded(url, size)
        engine = create_engine(url)
        db = session_factory(engine)
        try:
            async with FakeTelegram(flood=FloodLimits(enabled=True)) as fake:
                await register_seeded(fake, engine)
                first = await spawn(fake, url, "1")
                try:
                    await wait_for(
                        lambda: sum(private_sends(fake, chats).values()) >= size // 3, 120
                    )
                    first.kill()  # kill -9
                    await first.wait()
                finally:
                    await stop(first)
                at_kill = private_sends(fake, chats)
                states = await status_counts(db)
                async with db.begin() as session:
                    recorded = set(
                        await session.scalars(
                            select(Delivery.chat_id).where(Delivery.status == DeliveryStatus.SENT)
                        )
                    )
                unrecorded = sum(1 for chat in at_kill if chat not in recorded)
                log(
                    f"kill drill {kind}: killed after {sum(at_kill.values())} sends; "
                    f"{states[DeliveryStatus.SENDING]} claimed, {unrecorded} sent but unrecorded"
                )
                second = await spawn(fake, url, "1")
                started = time.monotonic()
                try:
                    done = await wait_for(lambda: len(private_sends(fake, chats)) >= size, 300)
                    elapsed = time.monotonic() - started
                    await asyncio.sleep(2)  # anything doubled would show by now
                finally:
                    await stop(second)
                final = private_sends(fake, chats)
        finally:
            await engine.dispose()
    missing = size - len(final)
    duplicates = sum(count - 1 for count in final.values())
    bound = min(CONCURRENCY, states[DeliveryStatus.SENDING])
    return [
        Result(
            BENCH, "kill -9 mid-broadcast: delivered after restart", kind, len(final), "count",
            f"= {size:,}", missing == 0 and done, f"{len(final) / size:.3f}",
            f"killed after {sum(at_kill.values())} sends; the rest in {elapsed:.0f} s",
        ),
        Result(
            BENCH, "kill -9 mid-broadcast: duplicates", kind, duplicates, "count",
            "<= sends in flight at the kill", duplicates <= bound,
            f"{unrecorded} sent but unrecorded at the kill",
            f"{states[DeliveryStatus.SENDING]} claimed at the kill;"
            f" at most {CONCURRENCY} in flight",
        ),
    ]  # fmt: skip


async def holder_pid(db: SessionFactory) -> int | None:
    async with db.begin() as session:
        holder = await session.scalar(select(DispatcherHeartbeat.holder))
    return int(holder.rsplit(":", 1)[1]) if holder else None


async def rivals_drill(options: Options) -> list[Result]:
    size = 200 if options.quick else 1000
    async with fresh_database("postgresql", options, "rivals") as url:
        chats = await seeded(url, size)
        engine = create_engine(url)
        db = session_factory(engine)
        processes: list[asyncio.subprocess.Process] = []
        try:
            async with FakeTelegram(flood=FloodLimits(enabled=True)) as fake:
                await register_seeded(fake, engine)
                processes = [await spawn(fake, url, "2"), await spawn(fake, url, "2")]
                await wait_for(lambda: len(private_sends(fake, chats)) >= size, 300)
                await asyncio.sleep(3)
                sends = private_sends(fake, chats)
                doubled = sum(count - 1 for count in sends.values())
                leader = await holder_pid(db)
                victim = next(p for p in processes if p.pid == leader)
                victim.kill()
                await victim.wait()
                killed_at = time.monotonic()
                extra = member_user_id(0)
                async with db.begin() as session:
                    await deliveries.enqueue(
                        session,
                        key="drill:after-kill",
                        kind=DeliveryKind.NOTICE,
                        chat_id=extra,
                        due_at=SystemClock().now(),
                        payload={"text": "menu.member", "params": {"name": "drill"}},
                    )
                before = private_sends(fake, chats)[extra]
                took_over = await wait_for(lambda: private_sends(fake, chats)[extra] > before, 60)
                takeover = time.monotonic() - killed_at
        finally:
            for process in processes:
                await stop(process)
            await engine.dispose()
    return [
        Result(
            BENCH, "two processes on one database: double sends", "postgresql", doubled,
            "count", "= 0", doubled == 0 and len(sends) == size, "",
            f"{len(sends):,} of {size:,} chats reached, dispatch interval 2 s",
        ),
        Result(
            BENCH, "standby takes over after kill -9 of the sender", "postgresql",
            takeover if took_over else None, "s", "< 5 s", took_over and takeover < 5,
            f"{takeover / 5:.2f} of the limit" if took_over else "",
            "from the kill to the standby's first send of new work",
        ),
    ]  # fmt: skip


async def run(options: Options) -> list[Result]:
    found: list[Result] = []
    for kind in options.engines:
        found += await kill_drill(kind, options)
    if "postgresql" in options.engines:
        found += await rivals_drill(options)
    found.append(
        Result(
            BENCH, "database unreachable: users told to try again, catch-up after", "both",
            None, "", "clear answer, nothing lost", None,
            note="deterministic test: tests/e2e/test_drills.py (run by make test)",
        )
    )  # fmt: skip
    return found
