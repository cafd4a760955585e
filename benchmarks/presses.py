"""Burst of RSVP presses: 110 groups of 30 press "Hadir" on their group's reminder.

The real Application long-polls the emulator; the dispatcher job runs every half second and
edits the counts on each group message (coalesced, a few seconds apart per group). Measured:
every press recorded; at 50 presses a second, 95% answered within 100 ms (answerCallbackQuery
as the emulator saw it); all at once, the rate against a bare PTB app that only answers; the
counts right on every group message at the end; no group edited past its limit."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, CallbackQueryHandler, ContextTypes

from benchmarks.common import (
    TOKEN,
    Options,
    Result,
    bench_settings,
    fresh_database,
    log,
    make_due,
    not_measured,
    percentile,
    register,
    register_seeded,
)
from bot.aiohttp_request import BOT_API_CONNECTIONS, AiohttpRequest
from bot.app import build_application
from bot.heap import freeze_startup_objects
from bot.update_order import PerSenderUpdateProcessor
from devdata.seed import KnownChats, SeedPlan, group_chat_id, member_user_id, seed
from simulator.emulator import Call, FakeTelegram, FloodLimits, SentMessage, User
from storage.db import SessionFactory, create_engine, session_factory
from storage.models import Delivery, Rsvp
from timekeeping.clock import SystemClock

BENCH = "presses"
MEMBERS = 30
RATE = 50.0
GROUP_LIMIT = FloodLimits().per_group_per_minute


def groups_for(options: Options) -> int:
    return 20 if options.quick else 110


@dataclass
class Press:
    user: User
    message: SentMessage
    data: str
    at: float = 0.0
    query_id: str = ""


class _Answers:
    """When each callback query was answered, by the emulator's clock, read on from where the
    last look stopped: scanning every call of the run at each look (20 a second, over
    thousands of calls by the second phase) cost the measured process 7% of its time in the
    bot's run and almost nothing in the bare app's, which has few calls."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.seen = 0
        self.waiting: list[Call] = []  # logged as they arrive; the status comes later
        self.at: dict[str, float] = {}

    def update(self) -> dict[str, float]:
        calls = self.fake.calls
        new = itertools.islice(calls, self.seen, None)
        self.seen = len(calls)
        still = []
        for call in [*self.waiting, *new]:
            if call.method != "answerCallbackQuery":
                continue
            if call.status == 0:
                still.append(call)
            elif call.status == 200:
                self.at[str(call.params.get("callback_query_id"))] = call.at
        self.waiting = still
        return self.at


async def _press_all(fake: FakeTelegram, presses: Sequence[Press], rate: float | None) -> None:
    started = fake.world.clock()
    for index, press in enumerate(presses):
        if rate is not None:
            wait = started + index / rate - fake.world.clock()
            if wait > 0:
                await asyncio.sleep(wait)
        press.at = fake.world.clock()
        press.query_id = await fake.press(press.user, press.message, press.data)


async def _answered(
    fake: FakeTelegram, presses: Sequence[Press], timeout: float
) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    wanted = {p.query_id for p in presses}
    answers = _Answers(fake)
    while time.monotonic() < deadline:
        if wanted <= answers.update().keys():
            break
        await asyncio.sleep(0.05)
    return answers.update()


def _counts(message: SentMessage) -> tuple[int, int] | None:
    yes = no = None
    for label, data in message.buttons:
        if data is None or not data.startswith("rv:"):
            continue
        numbers = re.findall(r"\d+", label)
        value = int(numbers[-1]) if numbers else -1
        if data.endswith(":1"):
            yes = value
        else:
            no = value
    return (yes, no) if yes is not None and no is not None else None


async def _settled(
    fake: FakeTelegram, messages: Sequence[SentMessage], want: tuple[int, int], timeout: float
) -> float | None:
    """Seconds until every group message shows `want` (yes, no); None if it never does."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if all(_counts(m) == want for m in messages):
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    return None


def _worst_minute(fake: FakeTelegram, chats: Sequence[int]) -> tuple[int, int]:
    """The most sends and edits one group got in any 60 s, and 429s answered to groups."""
    worst = refused = 0
    wanted = {str(c) for c in chats}
    by_chat: dict[str, list[float]] = {}
    for call in fake.calls:
        if str(call.chat_id) not in wanted or not call.method.startswith(("send", "edit")):
            continue
        if call.status == 429:
            refused += 1
        elif call.status == 200:
            by_chat.setdefault(str(call.chat_id), []).append(call.at)
    for times in by_chat.values():
        times.sort()
        start = 0
        for end, at in enumerate(times):
            while times[start] <= at - 60:
                start += 1
            worst = max(worst, end - start + 1)
    return worst, refused


async def bare_app(groups: int, presses_per_group: int, *, like_the_bot: bool) -> float:
    """Presses per second a bare PTB app (answer only, no database) handles, all at once.

    `like_the_bot`: built as bot/app.py builds the bot (updates of different people at once,
    each person's in order, over aiohttp), so the ratio compares the bot's own work with the
    same machinery; without it, PTB's defaults (one update at a time, over httpx)."""
    users = tuple((member_user_id(i), f"Ibu {i}") for i in range(groups * presses_per_group))
    chats = tuple((group_chat_id(g), f"Grup {g}") for g in range(groups))
    async with FakeTelegram(flood=FloodLimits(enabled=True)) as fake:
        register(fake, KnownChats(users, chats))
        builder = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(fake.base_url)
            .rate_limiter(AIORateLimiter(max_retries=10))
        )
        if like_the_bot:
            builder = (
                builder.concurrent_updates(PerSenderUpdateProcessor())
                .request(AiohttpRequest(BOT_API_CONNECTIONS))
                .get_updates_request(AiohttpRequest(connection_pool_size=1))
            )
        app = builder.build()

        async def answer(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.callback_query is not None
            await update.callback_query.answer("Tercatat: hadir")

        app.add_handler(CallbackQueryHandler(answer))
        await app.initialize()
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Hadir (0)", callback_data="rv:1:1")]])
        for chat, _ in chats:
            await app.bot.send_message(chat, "Pengingat", reply_markup=markup)
        await app.start()
        freeze_startup_objects()  # as the bot does once started
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        presses = [
            Press(
                fake.world.users[users[g * presses_per_group + m][0]],
                fake.messages(chat)[-1],
                "rv:1:1",
            )
            for m in range(presses_per_group)
            for g, (chat, _) in enumerate(chats)
        ]
        started = fake.world.clock()
        await _press_all(fake, presses, None)
        answers = await _answered(fake, presses, 300)
        rate = len(presses) / (max(answers.values()) - started)
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        return rate


async def one_engine(
    kind: str, options: Options, bare_rate: float, defaults_rate: float
) -> list[Result]:
    groups = groups_for(options)
    clock = SystemClock()
    async with fresh_database(kind, options, "presses") as url:
        engine = create_engine(url)
        db = session_factory(engine)
        try:
            plan = SeedPlan(
                groups=groups, members=MEMBERS, months=0, telegram_share=1.0,
                history_deliveries=False,
            )  # fmt: skip
            await seed(engine, plan, clock.now())
            async with FakeTelegram(flood=FloodLimits(enabled=True)) as fake:
                known = await register_seeded(fake, engine)
                await make_due(engine, clock.now(), Delivery.chat_id < 0)
                settings = bench_settings(fake, url, P2K2_DISPATCH_INTERVAL="0.5")
                app = build_application(settings, engine, clock, dispatch_every=0.5)
                await app.initialize()
                if app.post_init is not None:
                    await app.post_init(app)
                await app.start()
                freeze_startup_objects()  # as `p2k2 run` does once started
                assert app.updater is not None
                await app.updater.start_polling(poll_interval=0, timeout=1)
                try:
                    return await _measure(kind, fake, db, known, groups, bare_rate, defaults_rate)
                finally:
                    await app.updater.stop()
                    await app.stop()
                    await app.shutdown()
                    if app.post_shutdown is not None:
                        await app.post_shutdown(app)
        finally:
            await engine.dispose()


async def _measure(
    kind: str,
    fake: FakeTelegram,
    db: SessionFactory,
    known: KnownChats,
    groups: int,
    bare_rate: float,
    defaults_rate: float,
) -> list[Result]:
    chats = [chat for chat, _ in known.groups]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if all(fake.last_message(c) is not None for c in chats):
            break
        await asyncio.sleep(0.2)
    messages = [fake.last_message(c) for c in chats]
    targets = ("all recorded", "answered within 200 ms at 50/s (p95)", "rate all at once")
    if any(m is None or _counts(m) is None for m in messages):
        return [
            not_measured(BENCH, name, kind, "", "feature absent: no RSVP buttons on reminders")
            for name in targets
        ]
    group_messages = [m for m in messages if m is not None]
    members = {
        chat: [fake.world.users[member_user_id(g * MEMBERS + m)] for m in range(MEMBERS)]
        for g, chat in enumerate(chats)
    }

    def presses(coming: int) -> list[Press]:
        found = []
        for m in range(MEMBERS):
            for message in group_messages:
                data = next(d for _, d in message.buttons if d and d.endswith(f":{coming}"))
                found.append(Press(members[message.chat_id][m], message, data))
        return found

    # At 50 a second.
    paced = presses(1)
    log(f"presses {kind}: {len(paced):,} at {RATE:.0f}/s")
    await _press_all(fake, paced, RATE)
    answers = await _answered(fake, paced, 300)
    latencies = [answers[p.query_id] - p.at for p in paced if p.query_id in answers]
    p95 = percentile(latencies, 0.95)
    settle_paced = await _settled(fake, group_messages, (MEMBERS, 0), 120)

    # All at once.
    burst = presses(0)
    log(f"presses {kind}: {len(burst):,} at once")
    started = fake.world.clock()
    await _press_all(fake, burst, None)
    burst_answers = await _answered(fake, burst, 600)
    answered = [burst_answers[p.query_id] for p in burst if p.query_id in burst_answers]
    burst_rate = len(answered) / (max(answered) - started) if answered else 0.0
    settle_burst = await _settled(fake, group_messages, (0, MEMBERS), 180)

    async with db.begin() as session:
        recorded = await session.scalar(select(func.count()).select_from(Rsvp))
        declined = await session.scalar(
            select(func.count()).select_from(Rsvp).where(Rsvp.coming.is_(False))
        )
    worst, refused = _worst_minute(fake, chats)
    alerts = sum(1 for a in fake.callback_answers.values() if a.show_alert)
    total = len(paced)
    ratio = burst_rate / bare_rate if bare_rate else 0.0
    return [
        Result(
            BENCH, "all recorded (last press wins)", kind, declined, "count", f"= {total:,}",
            recorded == total and declined == total and not alerts,
            f"{(declined or 0) / total:.3f}",
            f"{recorded:,} RSVP rows, {alerts} presses refused",
        ),
        Result(
            BENCH, "answered within (p95) at 50 presses/s", kind, p95 * 1000, "ms",
            "< 100 ms", p95 < 0.1, f"{p95 / 0.1:.2f} of the limit",
            f"{len(latencies):,} answered; median {percentile(latencies, 0.5) * 1000:.0f} ms,"
            f" max {max(latencies) * 1000:.0f} ms",
        ),
        Result(
            BENCH, "rate all at once vs the bare app built as the bot", kind, burst_rate,
            "presses/s", ">= 50% of the bare app", ratio >= 0.5,
            f"{ratio:.2f} of {bare_rate:.0f}/s",
            f"{len(answered):,} answered; {burst_rate / defaults_rate:.2f} of PTB's defaults"
            f" ({defaults_rate:.0f}/s)" if defaults_rate else f"{len(answered):,} answered",
        ),
        Result(
            BENCH, "counts right on every group message at the end", kind,
            settle_burst if settle_burst is not None else float("nan"), "s",
            "all groups, after the last press", settle_burst is not None,
            "", f"seconds after the burst's answers until all {groups} showed 0/{MEMBERS}"
            f" (after the paced presses: {settle_paced if settle_paced is not None else 'never'}"
            " s)",
        ),
        Result(
            BENCH, "most sends+edits to one group in any minute", kind, worst, "count",
            f"<= {GROUP_LIMIT}/min, no 429", worst <= GROUP_LIMIT and refused == 0,
            f"{worst / GROUP_LIMIT:.2f} of the limit", f"{refused} × 429 to group chats",
        ),
    ]  # fmt: skip


async def run(options: Options) -> list[Result]:
    groups = groups_for(options)
    defaults_rate = await bare_app(groups, MEMBERS, like_the_bot=False)
    bare_rate = await bare_app(groups, MEMBERS, like_the_bot=True)
    log(f"bare PTB app: {defaults_rate:.0f} presses/s (defaults), {bare_rate:.0f}/s (as the bot)")
    found = [
        Result(
            BENCH, "bare PTB app as the bot is built: presses per second (baseline)", "none",
            bare_rate, "presses/s", "baseline", None, "",
            f"{groups * MEMBERS:,} presses at once; 64 updates at once, aiohttp",
        ),
        Result(
            BENCH, "bare PTB app with PTB's defaults: presses per second", "none",
            defaults_rate, "presses/s", "", None, "",
            f"{groups * MEMBERS:,} presses at once; one update at a time, httpx",
        ),
    ]  # fmt: skip
    for kind in options.engines:
        found += await one_engine(kind, options, bare_rate, defaults_rate)
    return found
