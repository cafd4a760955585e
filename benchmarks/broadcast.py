"""Broadcast: a reminder to N group chats and 3N private chats through the real dispatcher.

The emulator enforces Telegram's limits (30 messages a second overall, 20 a minute per group,
about one a second per chat) and answers 429 like Telegram. The same chats are also sent to
by a bare python-telegram-bot loop with AIORateLimiter, as the baseline of what PTB allows."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import AIORateLimiter, ApplicationBuilder

from benchmarks.common import (
    TOKEN,
    Options,
    Result,
    SkippingClock,
    bench_settings,
    fresh_database,
    log,
    make_due,
    percentile,
    register,
    register_seeded,
    sustained_rate,
    wait_until_done,
)
from bot.app import build_application
from bot.heap import freeze_startup_objects
from devdata.seed import KnownChats, SeedPlan, group_chat_id, member_user_id, seed
from simulator.emulator import FakeTelegram, FloodLimits
from storage.db import create_engine

BENCH = "broadcast"
PRIVATE_PER_GROUP = 3
FLOOD = FloodLimits(enabled=True)  # Telegram's documented limits
LIMIT = float(FLOOD.global_per_second)


def size(options: Options) -> int:
    """Group chats in the broadcast (private chats are three times as many)."""
    return 100 if options.quick else 1000


@dataclass
class Outcome:
    chats: int
    delivered: int  # chats with at least one message
    missing: list[int]
    extra: int  # messages beyond the first in a chat
    unexplained_extra: int  # extra messages not explained by a timed-out delivered send
    sends: int  # sendMessage requests
    status: Counter[int]
    rate: float  # sustained, between the first and last successful send
    elapsed: float
    timeouts: int = 0
    errors_5xx: int = 0
    ticks: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    # Seconds from a facilitator's message to the bot's answer, while the wave was sent.
    answers: list[float] = field(default_factory=list)

    @property
    def share_429(self) -> float:
        return self.status[429] / self.sends if self.sends else 0.0


def _seeded_chats(groups: int) -> KnownChats:
    users = tuple((member_user_id(i), f"Ibu {i}") for i in range(groups * PRIVATE_PER_GROUP))
    chats = tuple((group_chat_id(g), f"Grup {g}") for g in range(groups))
    return KnownChats(users, chats)


def _analyse(
    fake: FakeTelegram,
    chats: list[int],
    elapsed: float,
    timeouts_by_chat: Counter[str],
) -> Outcome:
    wave = {str(chat) for chat in chats}  # not the answers to people meanwhile
    calls = [c for c in fake.calls_to("sendMessage") if str(c.chat_id) in wave]
    ok_times = [c.at for c in calls if c.status == 200]
    missing: list[int] = []
    extra = unexplained = 0
    for chat in chats:
        count = sum(1 for m in fake.messages(chat) if m.method == "sendMessage")
        if count == 0:
            missing.append(chat)
        more = max(0, count - 1)
        extra += more
        unexplained += max(0, more - timeouts_by_chat[str(chat)])
    return Outcome(
        chats=len(chats),
        delivered=len(chats) - len(missing),
        missing=missing,
        extra=extra,
        unexplained_extra=unexplained,
        sends=len(calls),
        status=Counter(c.status for c in calls),
        rate=sustained_rate(ok_times),
        elapsed=elapsed,
        timeouts=sum(timeouts_by_chat.values()),
    )


def _record_faults(fake: FakeTelegram) -> tuple[Counter[str], Counter[str]]:
    """Count injected faults per chat by wrapping the emulator's fault injector."""
    timeouts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    injector = fake._faults
    original = injector.take

    def take(method: str, chat_id: Any) -> Any:
        rule = original(method, chat_id)
        if rule is not None:
            kinds[rule.kind] += 1
            if rule.kind == "timeout" and method == "sendMessage":
                timeouts[str(chat_id)] += 1
        return rule

    injector.take = take  # type: ignore[method-assign]
    return timeouts, kinds


async def dispatcher_broadcast(kind: str, options: Options, *, faults: bool) -> Outcome:
    groups = size(options)
    clock = SkippingClock()
    label = "faults" if faults else "broadcast"
    async with fresh_database(kind, options, label) as url:
        engine = create_engine(url)
        try:
            plan = SeedPlan(
                groups=groups,
                members=PRIVATE_PER_GROUP,
                months=0,
                telegram_share=1.0,
                history_deliveries=False,
            )
            await seed(engine, plan, clock.now())
            async with FakeTelegram(flood=FloodLimits(enabled=True)) as fake:
                known = await register_seeded(fake, engine)
                overrides: dict[str, Any] = {}
                timeouts: Counter[str] = Counter()
                kinds: Counter[str] = Counter()
                if faults:
                    timeouts, kinds = _record_faults(fake)
                    fake.faults(rate_5xx=0.05, rate_timeout=0.02, seed=11, methods={"sendMessage"})
                    fake.timeout_delay = 3.0
                    overrides["P2K2_SEND_TIMEOUT"] = "2"
                settings = bench_settings(fake, url, **overrides)
                app = build_application(settings, engine, clock)
                await app.initialize()
                if app.post_init is not None:
                    await app.post_init(app)
                freeze_startup_objects()  # as `p2k2 run` does once started
                service = app.bot_data.dispatch
                assert service is not None
                due = await make_due(engine, clock.now())
                log(f"{label} on {kind}: {due:,} reminders due")
                reports: Counter[str] = Counter()

                async def tick() -> None:
                    report = await service.run_once()
                    if report is not None:
                        reports.update(report.outcomes)

                probe: Probe | None = None
                if not faults:
                    # People use the bot during the wave: staff type /start now and then.
                    await app.start()
                    assert app.updater is not None
                    await app.updater.start_polling(poll_interval=0, timeout=1)
                    probe = Probe(fake, [u for u, _ in known.users if u < member_user_id(0)])
                    probe.start()
                started = time.monotonic()
                ticks = await wait_until_done(
                    engine, tick, clock, skip_longer_than=2.0 if faults else None
                )
                elapsed = time.monotonic() - started
                answers = await probe.stop() if probe is not None else []
                if app.updater is not None and app.updater.running:
                    await app.updater.stop()
                if app.running:
                    await app.stop()
                await app.shutdown()
                if app.post_shutdown is not None:
                    await app.post_shutdown(app)
                chats = [c for c, _ in known.groups] + [
                    u for u, _ in known.users if u >= member_user_id(0)
                ]
                outcome = _analyse(fake, chats, elapsed, timeouts)
                outcome.errors_5xx = kinds["500"]
                outcome.ticks = ticks
                outcome.outcomes = reports
                outcome.answers = answers
                return outcome
        finally:
            await engine.dispose()


class Probe:
    """A facilitator's message every PROBE_EVERY seconds, from a few staff in turn (so no chat
    gets more than Telegram's one message a second), and how long each answer took."""

    def __init__(self, fake: FakeTelegram, staff: list[int]) -> None:
        self.fake = fake
        self.staff = staff[:4]
        self.sent: list[tuple[int, float]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        turn = 0
        while True:
            user = self.fake.world.users[self.staff[turn % len(self.staff)]]
            self.sent.append((user.id, self.fake.world.clock()))
            await self.fake.send_text(user, "/start")
            turn += 1
            await asyncio.sleep(PROBE_EVERY)

    async def stop(self) -> list[float]:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await asyncio.sleep(2)  # the last answers come in
        latencies = []
        for chat, at in self.sent:
            replies = [
                c.at
                for c in self.fake.calls_to("sendMessage", chat)
                if c.status == 200 and c.at >= at
            ]
            if replies:
                latencies.append(min(replies) - at)
        return latencies


PROBE_EVERY = 1.0

REMINDER = (
    "⏰ <b>Pengingat pertemuan P2K2</b>\n"
    "Kelompok <b>Mawar 1 Sukamaju</b>: besok, Kamis 10 Desember 2026 pukul 09.00 WIB.\n"
    "Tempat: Rumah Bu Siti, RT 03.\n"
    "Sesi 5: Kesehatan dan gizi ibu hamil dan anak usia dini.\n"
    "Apakah Ibu bisa hadir?"
)


async def bare_loop(options: Options) -> Outcome:
    """The same chats from a bare PTB send loop (AIORateLimiter, retries on 429)."""
    groups = size(options)
    known = _seeded_chats(groups)
    async with FakeTelegram(flood=FloodLimits(enabled=True)) as fake:
        register(fake, known)
        app = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(fake.base_url)
            .rate_limiter(AIORateLimiter(max_retries=10))
            .build()
        )
        await app.initialize()
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("✅ Hadir (0)", callback_data="rv:1:1"),
                    InlineKeyboardButton("❌ Tidak bisa (0)", callback_data="rv:1:0"),
                ]
            ]
        )
        chats = [c for c, _ in known.groups] + [u for u, _ in known.users]

        async def one(chat: int) -> None:
            await app.bot.send_message(chat, REMINDER, parse_mode="HTML", reply_markup=markup)

        log(f"bare PTB loop: {len(chats):,} sends")
        started = time.monotonic()
        await asyncio.gather(*(one(chat) for chat in chats))
        elapsed = time.monotonic() - started
        await app.shutdown()
        return _analyse(fake, chats, elapsed, Counter())


def bare_results(bare: Outcome) -> list[Result]:
    return [
        Result(
            BENCH,
            "bare PTB loop: sustained rate (baseline)",
            "none",
            bare.rate,
            "msg/s",
            "baseline",
            None,
            f"{bare.rate / LIMIT:.2f} of {LIMIT:.0f}/s",
            f"{bare.chats:,} chats, {bare.status[429]} × 429 ({bare.share_429:.1%}),"
            f" {bare.elapsed:.0f} s",
        )
    ]


def results(kind: str, outcome: Outcome, bare: Outcome | None) -> list[Result]:
    chats = f"{outcome.chats:,} chats"
    found = [
        Result(
            BENCH,
            "arrived exactly once",
            kind,
            outcome.delivered - outcome.extra,
            "count",
            f"= {outcome.chats:,}",
            not outcome.missing and outcome.extra == 0,
            f"{(outcome.delivered - outcome.extra) / outcome.chats:.3f}",
            f"{len(outcome.missing)} missing, {outcome.extra} duplicates; {chats}",
        ),
        Result(
            BENCH,
            "sustained rate vs the enforced limit",
            kind,
            outcome.rate,
            "msg/s",
            f">= {0.9 * LIMIT:.0f} msg/s (90% of {LIMIT:.0f}/s)",
            outcome.rate >= 0.9 * LIMIT,
            f"{outcome.rate / LIMIT:.2f} of the limit",
            f"{outcome.elapsed:.0f} s for everything, {outcome.ticks} ticks",
        ),
        Result(
            BENCH,
            "429 answers",
            kind,
            100 * outcome.share_429,
            "%",
            "< 1% of sends",
            outcome.share_429 < 0.01,
            f"{outcome.status[429]} of {outcome.sends:,} sends",
        ),
    ]
    if outcome.answers:
        p95 = percentile(outcome.answers, 0.95)
        found.append(
            Result(
                BENCH,
                "answers to people during the wave (p95)",
                kind,
                p95 * 1000,
                "ms",
                "< 500 ms",
                p95 < 0.5,
                f"{p95 / 0.5:.2f} of the limit",
                f"{len(outcome.answers)} /start typed by staff during the wave, one a second;"
                f" median {percentile(outcome.answers, 0.5) * 1000:.0f} ms,"
                f" max {max(outcome.answers) * 1000:.0f} ms",
            )
        )
    if bare is not None:
        ratio = outcome.rate / bare.rate
        found.insert(
            2,
            Result(
                BENCH,
                "sustained rate vs bare PTB loop",
                kind,
                outcome.rate,
                "msg/s",
                ">= 95% of the bare loop",
                ratio >= 0.95,
                f"{ratio:.2f} of {bare.rate:.1f}/s",
            ),
        )
    return found


async def run(options: Options) -> list[Result]:
    bare = await bare_loop(options)
    found = bare_results(bare)
    for kind in options.engines:
        outcome = await dispatcher_broadcast(kind, options, faults=False)
        log(
            f"broadcast {kind}: {outcome.rate:.1f}/s, {outcome.status[429]} × 429, "
            f"{len(outcome.missing)} missing, {outcome.extra} extra"
        )
        found += results(kind, outcome, bare)
    return found
