"""Scale: 100,000 members in 3,400 groups with a year of history, on one small server.

Measured: seeding time (info), a dispatcher tick with nothing due, claiming 1,000 due sends,
a facilitator's and a coordinator's monthly report (when the reports feature exists),
start-up of `p2k2 run` until it polls Telegram, and that process's resident memory."""

from __future__ import annotations

import asyncio
import importlib
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update

from benchmarks.common import (
    Options,
    Result,
    bench_environment,
    bench_settings,
    fresh_database,
    log,
    median,
    not_measured,
    rss_mib,
)
from bot.app import build_application
from devdata.seed import (
    COORDINATOR_USER_ID,
    TIMEZONE,
    SeedPlan,
    facilitator_user_id,
    member_user_id,
    seed,
)
from simulator.emulator import FakeTelegram, FloodLimits
from storage import deliveries, people
from storage.actors import Actor, TelegramUser
from storage.db import SessionFactory, create_engine, session_factory
from storage.models import Delivery, DeliveryStatus
from timekeeping.clock import SystemClock
from timekeeping.delivery_kinds import DeliveryKind
from timekeeping.send_windows import DueMessage, window

BENCH = "scale"


def plan(options: Options) -> SeedPlan:
    if options.quick:
        return SeedPlan(groups=340, members=30, months=12)
    return SeedPlan(groups=3400, members=30, months=12)


async def timed(action: Callable[[], Awaitable[Any]], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return times


async def claim_times(db: SessionFactory, now: datetime, repeat: int) -> list[float]:
    """Claim 1,000 due sends among the year's deliveries; put them back between runs."""
    slots = [
        window(
            DueMessage(DeliveryKind.NOTICE, now - timedelta(seconds=i % 60), private=True),
            ZoneInfo(TIMEZONE),
        )
        for i in range(1000)
    ]
    rows = [
        {
            "key": f"bench:claim:{i}",
            "kind": "notice",
            "chat_id": member_user_id(i),
            # With the send window and priority of its kind, as deliveries.enqueue writes them.
            "due_at": slot.due,
            "send_from": slot.start,
            "send_by": slot.deadline,
            "priority": int(slot.priority),
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "payload": {"text": "menu.member", "params": {"name": "x"}},
            "created_at": now,
        }
        for i, slot in enumerate(slots)
    ]
    table = Delivery.__table__
    async with db.begin() as session:
        await session.execute(table.insert(), rows)  # type: ignore[attr-defined]
    times = []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            claimed = await deliveries.claim_due(db, now, 1000)
            times.append(time.perf_counter() - started)
            assert len(claimed) == 1000, len(claimed)
            async with db.begin() as session:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.key.like("bench:claim:%"))
                    .values(status=DeliveryStatus.PENDING, claimed_until=None)
                )
    finally:
        async with db.begin() as session:
            await session.execute(delete(Delivery).where(Delivery.key.like("bench:claim:%")))
    return times


async def actor(db: SessionFactory, telegram_id: int) -> Actor:
    found, _ = await people.identify(
        db, TelegramUser(telegram_id, "Bench", "id"), (COORDINATOR_USER_ID,), "id", True
    )
    return found


async def report_results(kind: str, db: SessionFactory, now: datetime) -> list[Result]:
    targets = (
        ("facilitator's monthly report (20 groups)", facilitator_user_id(0), 1.0),
        ("coordinator's monthly report (all groups)", COORDINATOR_USER_ID, 5.0),
    )
    try:
        reports = importlib.import_module("storage.reports")
        month_report = reports.month_report
        month = reports.current_month(now - timedelta(days=31))
    except (ImportError, AttributeError) as exc:
        return [
            not_measured(BENCH, name, kind, f"< {limit:g} s", f"feature absent ({exc})")
            for name, _, limit in targets
        ]
    found = []
    for name, telegram_id, limit in targets:
        who = await actor(db, telegram_id)

        async def one(who: Actor = who) -> None:
            report = await month_report(db, who, month, now)
            assert report is not None

        await one()  # warm the caches once, as a running bot would be
        times = await timed(one, 3)
        value = median(times)
        found.append(
            Result(
                BENCH,
                name,
                kind,
                value,
                "s",
                f"< {limit:g} s",
                value < limit,
                f"{value / limit:.2f} of the limit",
                f"median of 3, month {month}",
            )
        )
    return found


async def startup(kind: str, url: str, fake: FakeTelegram) -> tuple[float, float, float]:
    """`p2k2 run` until its first getUpdates; its resident memory then and after 5 s."""
    env = bench_environment(fake, url, P2K2_DISPATCH_INTERVAL="1")
    before = len(fake.calls)
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "run", env=env, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        while not any(c.method == "getUpdates" for c in fake.calls[before:]):
            if process.returncode is not None:
                raise RuntimeError(f"p2k2 run exited with {process.returncode}")
            await asyncio.sleep(0.02)
        ready = time.monotonic() - started
        rss_ready = rss_mib(process.pid)
        await asyncio.sleep(5)  # a few dispatcher ticks over the year's deliveries
        peak = rss_mib(process.pid, "VmHWM")
        return ready, rss_ready, peak
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def one_engine(kind: str, options: Options) -> list[Result]:
    size = plan(options)
    found: list[Result] = []
    async with fresh_database(kind, options, "scale") as url:
        engine = create_engine(url)
        db = session_factory(engine)
        try:
            now = SystemClock().now()
            started = time.monotonic()
            summary = await seed(engine, size, now)
            seeded = time.monotonic() - started
            members = summary.rows["members"]
            log(f"scale {kind}: seeded {members:,} members in {seeded:.0f} s")
            found.append(
                Result(
                    BENCH,
                    "seeding (p2k2 seed)",
                    kind,
                    seeded,
                    "s",
                    "no target",
                    None,
                    "",
                    f"{size.groups:,} groups, {members:,} members, {size.months} months, "
                    f"{sum(summary.rows.values()):,} rows",
                )
            )
            # Idle ticks over a large database: nothing is sent, so Telegram's limits (on by
            # default in the fake) are off here as they were when this figure was set.
            async with FakeTelegram(flood=FloodLimits(enabled=False)) as fake:
                app = build_application(bench_settings(fake, url), engine, SystemClock())
                service = app.bot_data.dispatch
                assert service is not None
                await service.run_once()
                ticks = await timed(service.run_once, 20)
                await service.close()
                tick = median(ticks)
                found.append(
                    Result(
                        BENCH,
                        "dispatcher tick, nothing due",
                        kind,
                        tick * 1000,
                        "ms",
                        "< 50 ms",
                        tick < 0.05,
                        f"{tick / 0.05:.2f} of the limit",
                        f"median of 20 (max {max(ticks) * 1000:.0f} ms), lock and heartbeat "
                        "included",
                    )
                )
                claims = await claim_times(db, now, 5)
                claim = median(claims)
                found.append(
                    Result(
                        BENCH,
                        "claiming 1,000 due sends",
                        kind,
                        claim * 1000,
                        "ms",
                        "< 200 ms",
                        claim < 0.2,
                        f"{claim / 0.2:.2f} of the limit",
                        f"median of 5 (max {max(claims) * 1000:.0f} ms)",
                    )
                )
                found += await report_results(kind, db, now)
                ready, rss_ready, peak = await startup(kind, url, fake)
                found.append(
                    Result(
                        BENCH,
                        "start-up of p2k2 run until it polls",
                        kind,
                        ready,
                        "s",
                        "< 5 s",
                        ready < 5,
                        f"{ready / 5:.2f} of the limit",
                        "process start, migrations check, getMe, menus, first getUpdates",
                    )
                )
                found.append(
                    Result(
                        BENCH,
                        "resident memory of p2k2 run",
                        kind,
                        peak,
                        "MiB",
                        "< 250 MB",
                        peak * 1.048576 < 250,
                        f"{peak * 1.048576 / 250:.2f} of the limit",
                        f"peak (VmHWM) after 5 s of dispatcher ticks; {rss_ready:.0f} MiB at start",
                    )
                )
        finally:
            await engine.dispose()
    return found


async def run(options: Options) -> list[Result]:
    found: list[Result] = []
    for kind in options.engines:
        found += await one_engine(kind, options)
    return found
