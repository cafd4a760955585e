"""Peak: a province's reminders due in the same minute, sent by the real dispatcher.

340 groups meet at the same hour: their 2-hour reminders (340 group chats, about 10,000
members' private chats) all fall due in one minute. At Telegram's 30 messages a second that
is nearly six minutes of sending, so sending them at their due time would make the last ones
minutes late. Each reminder has a send window (timekeeping/send_windows.py: from 2.5 h to 2 h
before the meeting); the dispatcher looks ahead and starts early inside the windows, group
chats first. Measured through the real Application against the emulator with Telegram's
limits on: every reminder arrives once, none before its window opens, none after its
deadline (the due minute).

The bot's clock runs at real speed (the pacing is real), moved to 07.00 WIB so that the
members' quiet hours (21.00-06.00) do not hold the private copies; the deadline is set
DEADLINE_AHEAD after the start, a little more than the sending needs at 28 a second."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update

from benchmarks.common import (
    Options,
    Result,
    SkippingClock,
    bench_settings,
    fresh_database,
    log,
    register_seeded,
    sustained_rate,
    wait_until_done,
)
from bot.app import build_application
from bot.heap import freeze_startup_objects
from devdata.seed import SeedPlan, seed
from scheduler.dispatcher import SENDS_PER_SECOND
from simulator.emulator import FakeTelegram, FloodLimits
from storage.db import create_engine, session_factory
from storage.models import Delivery, DeliveryStatus, Meeting
from timekeeping.delivery_kinds import DeliveryKind
from timekeeping.send_windows import DueMessage, window

BENCH = "peak"
MEMBERS = 30


def groups_for(options: Options) -> int:
    return 34 if options.quick else 340


def telegram_share(groups: int) -> float:
    """Of the non-chair members, the share on Telegram that makes 10,000 private chats for
    340 groups (every chair is on Telegram)."""
    private = 10_000 * groups // 340
    return (private - groups) / (groups * MEMBERS - groups)


OFFSET = timedelta(hours=2)
WIB = ZoneInfo("Asia/Jakarta")


def deadline_ahead(messages: int) -> timedelta:
    """A deadline the rate can meet: the sending time at 28 a second, plus 15%."""
    return timedelta(seconds=messages / SENDS_PER_SECOND * 1.15)


def morning_offset(now: datetime) -> timedelta:
    """How far to move the bot's clock so that it is 07.00 WIB tomorrow."""
    tomorrow = (now.astimezone(WIB) + timedelta(days=1)).date()
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, tzinfo=WIB) - now


async def _all_due_in_one_minute(url: str, now: datetime) -> tuple[int, datetime]:
    """Every seeded group's meeting at the same hour; its 2-hour reminders due in the same
    minute with their real send windows. Returns how many and their deadline."""
    engine = create_engine(url)
    db = session_factory(engine)
    try:
        async with db.begin() as session:
            chats = list(
                await session.scalars(
                    select(Delivery.chat_id).where(
                        Delivery.status == DeliveryStatus.PENDING,
                        Delivery.kind == DeliveryKind.REMINDER,
                    )
                )
            )
        deadline = now + deadline_ahead(len(chats))
        meeting = deadline + OFFSET
        slots = {
            private: window(
                DueMessage(DeliveryKind.REMINDER, deadline, private, meeting, OFFSET), WIB
            )
            for private in (True, False)
        }
        async with db.begin() as session:
            await session.execute(
                delete(Delivery).where(
                    Delivery.status == DeliveryStatus.PENDING,
                    Delivery.kind != DeliveryKind.REMINDER,
                )
            )
            await session.execute(update(Meeting).values(starts_at=meeting))
            for private, slot in slots.items():
                chat_side = Delivery.chat_id > 0 if private else Delivery.chat_id < 0
                await session.execute(
                    update(Delivery)
                    .where(Delivery.status == DeliveryStatus.PENDING, chat_side)
                    .values(
                        due_at=slot.due,
                        send_from=slot.start,
                        send_by=slot.deadline,
                        priority=int(slot.priority),
                        payload={"revision": 1, "offset": int(OFFSET.total_seconds())},
                    )
                )
        return len(chats), slots[True].deadline
    finally:
        await engine.dispose()


async def one_engine(kind: str, options: Options) -> list[Result]:
    clock = SkippingClock()
    async with fresh_database(kind, options, "peak") as url:
        groups = groups_for(options)
        plan = SeedPlan(
            groups=groups, members=MEMBERS, months=0, telegram_share=telegram_share(groups),
            history_deliveries=False,
        )  # fmt: skip
        engine = create_engine(url)
        try:
            await seed(engine, plan, clock.now())
            async with FakeTelegram(flood=FloodLimits(enabled=True)) as fake:
                await register_seeded(fake, engine)
                clock.skipped = morning_offset(clock.now())
                total, deadline = await _all_due_in_one_minute(url, clock.now())
                windows = await _windows(url)
                log(f"peak on {kind}: {total:,} reminders due by {deadline:%H:%M:%S} UTC")
                app = build_application(bench_settings(fake, url), engine, clock)
                await app.initialize()
                if app.post_init is not None:
                    await app.post_init(app)
                freeze_startup_objects()  # as `p2k2 run` does once started
                service = app.bot_data.dispatch
                assert service is not None
                # The emulator's time and the bot's, side by side, to place each arrival.
                fake_start, bot_start = fake.world.clock(), clock.now()

                async def tick() -> None:
                    await service.run_once()

                started = time.monotonic()
                await wait_until_done(engine, tick, clock, timeout=3600)
                elapsed = time.monotonic() - started
                await app.shutdown()
                if app.post_shutdown is not None:
                    await app.post_shutdown(app)
                return _results(kind, fake, windows, total, fake_start, bot_start, elapsed)
        finally:
            await engine.dispose()


async def _windows(url: str) -> dict[int, tuple[datetime, datetime]]:
    engine = create_engine(url)
    try:
        async with session_factory(engine).begin() as session:
            rows = await session.execute(
                select(Delivery.chat_id, Delivery.send_from, Delivery.send_by).where(
                    Delivery.kind == DeliveryKind.REMINDER
                )
            )
            return {int(chat): (_utc(start), _utc(end)) for chat, start, end in rows}
    finally:
        await engine.dispose()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _results(
    kind: str,
    fake: FakeTelegram,
    windows: dict[int, tuple[datetime, datetime]],
    total: int,
    fake_start: float,
    bot_start: datetime,
    elapsed: float,
) -> list[Result]:
    sends = [c for c in fake.calls_to("sendMessage") if c.status == 200]
    arrivals: dict[int, list[datetime]] = {}
    for call in sends:
        at = bot_start + timedelta(seconds=call.at - fake_start)
        arrivals.setdefault(int(str(call.chat_id)), []).append(at)
    once = sum(1 for chat in windows if len(arrivals.get(chat, ())) == 1)
    extra = sum(max(0, len(times) - 1) for times in arrivals.values())
    late = [
        (times[-1] - windows[chat][1]).total_seconds()
        for chat, times in arrivals.items()
        if chat in windows
    ]
    early = sum(
        1 for chat, times in arrivals.items() if chat in windows and times[0] < windows[chat][0]
    )
    worst = max(late, default=float("nan"))
    refused = Counter(c.status for c in fake.calls_to("sendMessage"))[429]
    in_order = sorted((t[0], c) for c, t in arrivals.items())
    last_group = max((i for i, (_, chat) in enumerate(in_order) if chat < 0), default=-1)
    order = f"the last group chat was reached as message {last_group + 1:,} of {len(in_order):,}"
    private = sum(1 for chat in windows if chat > 0)
    return [
        Result(
            BENCH, "delivered exactly once", kind, once, "count", f"= {total:,}",
            once == total and extra == 0, f"{once / total:.3f}",
            f"{private:,} private + {total - private:,} group reminders due in one minute;"
            f" {extra} duplicates",
        ),
        Result(
            BENCH, "last reminder after its deadline by", kind, worst, "s", "<= 0 s",
            worst <= 0, "", f"deadline {deadline_ahead(total).total_seconds():.0f} s after the"
            f" start; {sum(1 for s in late if s > 0)} late; {order}",
        ),
        Result(
            BENCH, "sent before its window opened", kind, early, "count", "= 0", early == 0,
            "", "window: 2.5 h to 2 h before the meeting (timekeeping/send_windows.py)",
        ),
        Result(
            BENCH, "sustained rate (429 answers)", kind, sustained_rate([c.at for c in sends]),
            "msg/s", "< 30 msg/s, no 429", refused == 0, f"{refused} × 429",
            f"{len(sends):,} sends in {elapsed:.0f} s",
        ),
    ]  # fmt: skip


async def run(options: Options) -> list[Result]:
    found: list[Result] = []
    for kind in options.engines:
        found += await one_engine(kind, options)
    return found
