"""Paid broadcast: one announcement to 400 groups and about 14,000 members, P2K2_PAID_BROADCAST=on.

The real Application long-polls the emulator and its dispatcher runs by its repeating job
(P2K2_DISPATCH_INTERVAL, as `p2k2 run` starts it). The coordinator types /siaran and the
text and presses "Kirim" in the emulator; the dispatcher then sends the announcement to every
group chat and member. The emulator allows paid broadcasts at 1,000 messages a second
(allow_paid_broadcast, Bot API 7.11) and keeps Telegram's per-chat limits. Measured: the
sustained rate between the first and the last send (target 900 a second: the capacity plan's
1,000 with a margin), each chat exactly once, no 429, the seconds from the press to the first
message, and the process's CPU and peak memory during the wave.

The emulator runs in the same process and costs CPU too: a sampler thread looks at the main
thread's stack 200 times a second and counts a sample as the emulator's when the stack is in
simulator/ or aiohttp's server (aiohttp.web_*), as idle when the loop waits in select, else as
the bot's. On SQLite the database's own work runs in aiosqlite's thread, which is not sampled:
there the emulator's share is overstated (py-spy --gil is the better split, see
benchmarks/ANALYSIS-paid-2026-12-06.md)."""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.common import (
    Options,
    Result,
    SkippingClock,
    bench_settings,
    fresh_database,
    load_average,
    log,
    register_seeded,
    rss_mib,
    sustained_rate,
)
from bot.app import build_application
from bot.heap import freeze_startup_objects
from devdata.seed import COORDINATOR_USER_ID, SeedPlan, seed
from simulator.emulator import FakeTelegram, FloodLimits
from storage.db import SessionFactory, create_engine, session_factory
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.models import Delivery, DeliveryStatus

BENCH = "paid"
PAID_LIMIT = 1000
TARGET = 900  # messages a second; the capacity plan assumes 1,000 (benchmarks/CAPACITY.md)
MEMBERS_PER_GROUP = 35  # 400 groups: 14,000 members, as in the trial
ANNOUNCEMENT = "Besok posyandu jam 08.00 di balai desa. Bawa buku KIA."


def size(options: Options) -> int:
    """Groups in the announcement."""
    return 40 if options.quick else 400


@dataclass
class Usage:
    """CPU and memory of this process over a span, and how the CPU split between the bot,
    the emulator and waiting (sampled stacks of the main thread)."""

    cpu: float = 0.0  # seconds, from the press to the last send
    press_cpu: float = 0.0  # of which until the announcement was queued
    peak_rss: float = 0.0  # MiB, sampled during the span
    max_rss: float = 0.0  # MiB, the process's peak since it started (getrusage)
    samples: Counter[str] = field(default_factory=Counter)

    def share(self, what: str) -> float:
        busy = self.samples["bot"] + self.samples["emulator"]
        return self.samples[what] / busy if busy else float("nan")


class Sampler:
    """Classify the main thread's stack every `every` seconds; note the RSS every tenth."""

    def __init__(self, every: float = 0.005) -> None:
        self.every = every
        self.main = threading.main_thread().ident
        self.usage = Usage()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="paid-sampler", daemon=True)

    def __enter__(self) -> Sampler:
        self._cpu = _cpu_seconds()
        self._thread.start()
        return self

    def mark(self) -> None:
        self.usage.press_cpu = _cpu_seconds() - self._cpu

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.usage.cpu = _cpu_seconds() - self._cpu
        self.usage.max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def _run(self) -> None:
        count = 0
        while not self._stop.wait(self.every):
            frame = sys._current_frames().get(self.main or 0)
            if frame is not None:
                self.usage.samples[_owner(frame)] += 1
            count += 1
            if count % 20 == 0:
                self.usage.peak_rss = max(self.usage.peak_rss, rss_mib(_pid()))


def _pid() -> int:
    return os.getpid()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _owner(frame: FrameType) -> str:
    top = frame
    walk: FrameType | None = frame
    while walk is not None:
        name = walk.f_code.co_filename
        if "/simulator/" in name or "/aiohttp/web_" in name:
            return "emulator"
        walk = walk.f_back
    if top.f_code.co_name in ("select", "poll") and "selectors" in top.f_code.co_filename:
        return "idle"
    return "bot"


@dataclass
class Outcome:
    groups: int
    chats: int
    missing: int
    extra: int
    status: Counter[int]
    rate: float
    first_after: float  # seconds from the press to the first announcement message
    queued_after: float  # seconds from the press to the messages in the database
    span: float  # seconds from the first to the last
    usage: Usage


async def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"no {what} within {timeout:.0f} s")


async def paid_announcement(kind: str, options: Options) -> Outcome:
    groups = size(options)
    clock = SkippingClock()
    async with fresh_database(kind, options, "paid") as url:
        engine = create_engine(url)
        try:
            plan = SeedPlan(
                groups=groups,
                members=MEMBERS_PER_GROUP,
                months=0,
                telegram_share=1.0,
                upcoming=False,
                history_deliveries=False,
            )
            await seed(engine, plan, clock.now())
            limits = FloodLimits(enabled=True, paid_per_second=PAID_LIMIT)
            async with FakeTelegram(flood=limits) as fake:
                await register_seeded(fake, engine)
                settings = bench_settings(
                    fake,
                    url,
                    P2K2_PAID_BROADCAST="on",
                    # The wave is measured, not the night: members are not held to the morning.
                    P2K2_QUIET_HOURS="off",
                )
                app = build_application(
                    settings, engine, clock, dispatch_every=settings.dispatch_interval
                )
                await app.initialize()
                if app.post_init is not None:
                    await app.post_init(app)
                await app.start()
                freeze_startup_objects()  # as `p2k2 run` does once started
                assert app.updater is not None
                await app.updater.start_polling(poll_interval=0, timeout=1)
                # The benchmark looks at the database through its own engine: on SQLite the
                # bot's pool is one connection, which the press's transaction holds.
                watcher = create_engine(url)
                try:
                    return await _announce(kind, fake, watcher, groups)
                finally:
                    await watcher.dispose()
                    await app.updater.stop()
                    await app.stop()
                    await app.shutdown()
                    if app.post_shutdown is not None:
                        await app.post_shutdown(app)
        finally:
            await engine.dispose()


async def _announce(
    kind: str,
    fake: FakeTelegram,
    engine: AsyncEngine,
    groups: int,
) -> Outcome:
    db = session_factory(engine)
    coordinator = fake.world.users[COORDINATOR_USER_ID]

    def replies() -> int:
        return len(fake.messages(coordinator.id))

    before = replies()
    await fake.send_text(coordinator, "/siaran")
    await _wait_for(lambda: replies() > before, 30, "answer to /siaran")
    before = replies()
    await fake.send_text(coordinator, ANNOUNCEMENT)
    await _wait_for(lambda: replies() > before, 60, "preview")
    preview = fake.messages(coordinator.id)[-1]
    assert not await _queued(db), "no announcement before the press"
    with Sampler() as sampler:
        pressed = fake.world.clock()
        await fake.press(coordinator, preview, "ans")
        # The press queues every message in one transaction: they appear all at once.
        chats: list[int] = []
        deadline = time.monotonic() + 120
        while not chats and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            chats = await _queued(db)
        wave = {str(chat) for chat in chats}
        sampler.mark()  # the press's work until here, the sending after
        queued_after = fake.world.clock() - pressed
        log(f"paid on {kind}: {len(chats):,} announcement messages queued ({groups} groups)")
        await _until_sent(db, timeout=1800)
    calls = [c for c in fake.calls_to("sendMessage") if str(c.chat_id) in wave]
    ok = sorted(c.at for c in calls if c.status == 200)
    counts = Counter(str(c.chat_id) for c in calls if c.status == 200)
    return Outcome(
        groups=groups,
        chats=len(wave),
        missing=sum(1 for chat in wave if counts[chat] == 0),
        extra=sum(max(0, n - 1) for n in counts.values()),
        status=Counter(c.status for c in calls),
        rate=sustained_rate(ok),
        first_after=(ok[0] - pressed) if ok else float("nan"),
        queued_after=queued_after,
        span=(ok[-1] - ok[0]) if ok else float("nan"),
        usage=sampler.usage,
    )


async def _queued(db: SessionFactory) -> list[int]:
    async with db.begin() as session:
        found = await session.scalars(
            select(Delivery.chat_id).where(Delivery.kind == DeliveryKind.ANNOUNCEMENT)
        )
        return list(found)


async def _until_sent(db: SessionFactory, timeout: float) -> None:
    """Until no announcement message is pending or being sent (the report comes later)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with db.begin() as session:
            open_count = await session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(
                    Delivery.kind == DeliveryKind.ANNOUNCEMENT,
                    Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
                )
            )
        if not open_count:
            return
        await asyncio.sleep(0.25)
    raise TimeoutError("announcement still being sent after the timeout")


def results(kind: str, outcome: Outcome, load: str) -> list[Result]:
    usage = outcome.usage
    emulator = usage.share("emulator")
    chats = f"{outcome.chats:,} chats ({outcome.groups} groups and their members)"
    return [
        Result(
            BENCH,
            "sustained rate, paid broadcast",
            kind,
            outcome.rate,
            "msg/s",
            f">= {TARGET} msg/s (emulator allows {PAID_LIMIT:,}/s)",
            outcome.rate >= TARGET,
            f"{outcome.rate / PAID_LIMIT:.2f} of {PAID_LIMIT:,}/s",
            f"{chats}, first to last {outcome.span:.1f} s; load average {load}",
        ),
        Result(
            BENCH,
            "each chat exactly once",
            kind,
            outcome.chats - outcome.missing - outcome.extra,
            "count",
            f"= {outcome.chats:,}",
            outcome.missing == 0 and outcome.extra == 0,
            "",
            f"{outcome.missing} missing, {outcome.extra} duplicates",
        ),
        Result(
            BENCH,
            "429 answers",
            kind,
            outcome.status[429],
            "count",
            "0",
            outcome.status[429] == 0,
            "",
            f"of {sum(outcome.status.values()):,} sendMessage calls",
        ),
        Result(
            BENCH,
            "press to first message",
            kind,
            outcome.first_after,
            "s",
            "info",
            None,
            "",
            f"the coordinator's press of Kirim to the first announcement message: queued after"
            f" {outcome.queued_after:.1f} s (one transaction), then the dispatcher's next job"
            " (every P2K2_DISPATCH_INTERVAL, 10 s by default)",
        ),
        Result(
            BENCH,
            "CPU of the process while sending",
            kind,
            usage.cpu - usage.press_cpu,
            "s",
            "info",
            None,
            f"{(usage.cpu - usage.press_cpu) / outcome.chats * 1000:.2f} ms a message",
            f"after the press queued the messages ({usage.press_cpu:.1f} s CPU for the press);"
            f" bot and emulator in one process; sampled stacks: emulator {emulator:.0%} of the"
            f" busy samples of the main thread, bot {usage.share('bot'):.0%}"
            f"{' (SQLite works in its own thread, not sampled)' if kind == 'sqlite' else ''};"
            f" {usage.samples['idle']} idle of {sum(usage.samples.values())} samples",
        ),
        Result(
            BENCH,
            "peak RSS during the wave",
            kind,
            usage.peak_rss,
            "MiB",
            "info",
            None,
            "",
            f"bot and emulator (which keeps every call); process peak {usage.max_rss:.0f} MiB",
        ),
    ]


async def run(options: Options) -> list[Result]:
    # A tick of the wave outlasts the job's interval: the scheduler's "skipped" is expected.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    found: list[Result] = []
    for kind in options.engines:
        outcome = await paid_announcement(kind, options)
        load = load_average()
        log(
            f"paid {kind}: {outcome.rate:.0f}/s, {outcome.status[429]} × 429, "
            f"{outcome.missing} missing, {outcome.extra} extra, first after "
            f"{outcome.first_after:.1f} s, CPU {outcome.usage.press_cpu:.1f} + "
            f"{outcome.usage.cpu - outcome.usage.press_cpu:.1f} s "
            f"(emulator {outcome.usage.share('emulator'):.0%}), load {load}"
        )
        found += results(kind, outcome, load)
    return found
