"""The dispatcher through the fake Bot API: exactly once, through faults, restarts and rivals."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.telegram_screen import TelegramScreens
from scheduler import dispatcher
from scheduler.dispatcher import Dispatcher, Pacer
from scheduler.message import Defer, Outgoing, Text
from scheduler.sent_batch import SentBatch
from simulator.emulator import FakeTelegram
from storage import deliveries
from storage.db import SessionFactory
from storage.models import (
    Delivery,
    DeliveryStatus,
    Group,
    HandledUpdate,
    HousekeepingRun,
    Person,
)
from storage.operations import delivery_outcomes, handled_updates, housekeeping
from storage.privacy import retention
from tests.e2e.builders import GroupSetup, group_with_chat
from tests.e2e.harness import RunningBot
from timekeeping.clock import ManualClock
from timekeeping.rules import CLAIM_LEASE


async def notice(
    db: SessionFactory,
    key: str,
    chat_id: int,
    due_in: timedelta,
    clock: ManualClock,
    group_id: int | None = None,
    text: str = "menu.member",
) -> None:
    async with db.begin() as session:
        await deliveries.enqueue(
            session,
            key=key,
            kind="notice",
            chat_id=chat_id,
            group_id=group_id,
            due_at=clock.now() + due_in,
            payload={"text": text, "params": {"name": key}},
        )


async def statuses(db: SessionFactory) -> dict[str, tuple[DeliveryStatus, str | None]]:
    async with db.begin() as session:
        rows = await session.scalars(select(Delivery))
        return {row.key: (row.status, row.reason) for row in rows}


def sent_texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [m.plain or "" for m in fake.messages(chat_id) if m.method == "sendMessage"]


async def setup(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> GroupSetup:
    setup = await group_with_chat(db, fake, clock)
    await bot.dispatch()  # what setting up queued (join notes, replans) goes first
    return setup


async def test_each_delivery_is_sent_once_when_due_and_survives_restart(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    for user in g.members:
        await notice(db, f"n:{user.id}", user.id, timedelta(hours=1), clock)
    await bot.dispatch()
    assert all(sent_texts(fake, u.id) == [] for u in g.members)

    await bot.restart()
    clock.advance(timedelta(hours=1))
    report = await bot.dispatch()
    assert report is not None and report.outcomes["sent"] == 3
    await bot.dispatch()
    await bot.restart()
    await bot.dispatch()
    for user in g.members:
        assert sent_texts(fake, user.id) == [
            f"Halo, n:{user.id}! 👋\nPilih yang ingin Ibu/Bapak lihat:"
        ]


async def test_server_errors_and_timeouts_are_retried_with_backoff(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    first, second = g.members[0], g.members[1]
    await notice(db, "a", first.id, timedelta(0), clock)
    await notice(db, "b", second.id, timedelta(0), clock)
    fake.fail_next("sendMessage", chat_id=first.id, kind="500")
    fake.fail_next("sendMessage", chat_id=second.id, kind="502", times=2)
    await bot.dispatch()
    state = await statuses(db)
    assert state["a"][0] is DeliveryStatus.PENDING  # to be retried after its backoff
    assert sent_texts(fake, first.id) == []

    clock.advance(timedelta(seconds=15))
    await bot.dispatch()
    assert len(sent_texts(fake, first.id)) == 1
    assert sent_texts(fake, second.id) == []  # its second try backs off 30 s

    clock.advance(timedelta(seconds=30))
    await bot.dispatch()
    assert len(sent_texts(fake, second.id)) == 1
    assert (await statuses(db))["b"][0] is DeliveryStatus.SENT


async def test_a_timeout_after_delivery_is_retried_and_may_duplicate_only_that_send(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    user = g.members[0]
    assert bot.app is not None and bot.app.bot_data.dispatch is not None
    bot.app.bot_data.dispatch.dispatcher.send_timeout = 0.3
    fake.timeout_delay = 1.0
    await notice(db, "t", user.id, timedelta(0), clock)
    fake.fail_next("sendMessage", chat_id=user.id, kind="timeout")
    await bot.dispatch()
    assert (await statuses(db))["t"][0] is DeliveryStatus.PENDING
    clock.advance(timedelta(seconds=15))
    await bot.dispatch()
    assert (await statuses(db))["t"][0] is DeliveryStatus.SENT
    assert len(sent_texts(fake, user.id)) == 2  # Telegram delivered the timed-out one too


async def test_429_waits_as_told(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    user = g.members[0]
    await notice(db, "w", user.id, timedelta(0), clock)
    fake.fail_next("sendMessage", chat_id=user.id, kind="429", retry_after=7)
    await bot.dispatch(follow_flood=False)
    clock.advance(timedelta(seconds=6))
    await bot.dispatch(follow_flood=False)
    assert sent_texts(fake, user.id) == []
    clock.advance(timedelta(seconds=1))
    await bot.dispatch(follow_flood=False)
    assert len(sent_texts(fake, user.id)) == 1


async def test_blocked_user_is_skipped_until_they_write_again(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    user = g.members[0]
    await fake.block_bot(user)
    await notice(db, "x1", user.id, timedelta(0), clock)
    await bot.dispatch()
    assert (await statuses(db))["x1"] == (DeliveryStatus.SKIPPED, "blocked")
    calls_before = len(fake.calls_to("sendMessage", chat=user.id))
    await notice(db, "x2", user.id, timedelta(0), clock)
    await bot.dispatch()
    assert (await statuses(db))["x2"] == (DeliveryStatus.SKIPPED, "blocked")
    assert len(fake.calls_to("sendMessage", chat=user.id)) == calls_before  # not even tried

    await fake.unblock_bot(user)
    fake.mark_read(fake.private_chat(user))
    await fake.send_text(user, "/start")
    await fake.wait_for_message(fake.private_chat(user))
    await notice(db, "x3", user.id, timedelta(0), clock)
    await bot.dispatch()
    assert (await statuses(db))["x3"][0] is DeliveryStatus.SENT


async def test_bot_removed_from_group_unlinks_and_tells_the_facilitator(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    await notice(db, "g1", g.chat.id, timedelta(0), clock, group_id=g.group.id)
    fake.fail_next("sendMessage", chat_id=g.chat.id, kind="403_kicked")
    await bot.dispatch()
    # Skipped, and its key freed (renamed) for a chat linked to the group later.
    (dropped,) = [v for k, v in (await statuses(db)).items() if k.startswith("g1:removed:")]
    assert dropped == (DeliveryStatus.SKIPPED, "removed")
    async with db.begin() as session:
        group = await session.get_one(Group, g.group.id)
        assert group.chat_id is None
    await bot.dispatch()
    told = [text for text in sent_texts(fake, g.facilitator.id) if "dikeluarkan" in text]
    assert len(told) == 1 and "Mawar 1" in told[0]


async def test_group_upgraded_to_supergroup_is_followed(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    supergroup = await fake.migrate_group(g.chat, g.facilitator)
    await notice(db, "m1", g.chat.id, timedelta(0), clock, group_id=g.group.id)
    await bot.dispatch()  # the old id answers "upgraded"; the delivery moves and goes again
    await bot.dispatch()
    assert (await statuses(db))["m1"][0] is DeliveryStatus.SENT
    assert len(sent_texts(fake, supergroup.id)) == 1
    async with db.begin() as session:
        group = await session.get_one(Group, g.group.id)
        assert group.chat_id == supergroup.id


async def test_gives_up_after_many_failures_and_tells_the_facilitator(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    await notice(db, "f1", g.chat.id, timedelta(0), clock, group_id=g.group.id)
    fake.fail_next("sendMessage", chat_id=g.chat.id, kind="500", times=8)
    for _ in range(8):
        await bot.dispatch()
        clock.advance(timedelta(hours=1))
    assert (await statuses(db))["f1"][0] is DeliveryStatus.FAILED
    await bot.dispatch()
    told = [text for text in sent_texts(fake, g.facilitator.id) if "gagal terkirim" in text]
    assert len(told) == 1


async def test_two_dispatchers_on_one_database_never_send_twice(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    rival = RunningBot(
        fake,
        bot.settings,
        bot.engine,
        db,
        clock,
        bot.telegram_time,
    )
    await rival.start()
    try:
        for index in range(40):
            await notice(db, f"r{index}", g.members[index % 3].id, timedelta(0), clock)
        reports = await asyncio.gather(bot.dispatch(), rival.dispatch())
        assert sum(r is None for r in reports) == 1  # one of the two stands by
        await asyncio.gather(bot.dispatch(), rival.dispatch())
        total = sum(len(sent_texts(fake, u.id)) for u in g.members)
        assert total == 40

        # The sender stops; the standby takes over at its next tick.
        leader = bot if reports[0] is not None else rival
        standby = rival if leader is bot else bot
        await leader.stop()
        await notice(db, "after", g.members[0].id, timedelta(0), clock)
        assert await standby.dispatch() is not None
        assert (await statuses(db))["after"][0] is DeliveryStatus.SENT
    finally:
        await rival.stop()


async def test_a_claim_left_by_a_crashed_sender_is_sent_after_its_lease(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    await notice(db, "c1", g.members[0].id, timedelta(0), clock)
    claimed = await deliveries.claim_due(db, clock.now(), 10)  # a sender that then died
    assert [d.key for d in claimed] == ["c1"]
    await bot.dispatch()
    assert sent_texts(fake, g.members[0].id) == []
    clock.advance(timedelta(minutes=3))
    await bot.dispatch()
    assert len(sent_texts(fake, g.members[0].id)) == 1


async def test_plain_sends_finishing_together_are_recorded_in_one_statement(
    db: SessionFactory, engine: AsyncEngine, clock: ManualClock
) -> None:
    for index in range(10):
        await notice(db, f"n:{index}", 1000 + index, timedelta(0), clock)
    claimed = await deliveries.claim_due(db, clock.now(), 50)
    assert len(claimed) == 10
    writes: list[int] = []

    def seen(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("UPDATE DELIVERIES") and "sent_at" in statement:
            writes.append(len(params) if many else 1)

    batch = SentBatch(db)
    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        await asyncio.gather(*(batch.record(d.id, 500 + d.id, clock.now()) for d in claimed))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert writes == [10], "ten sends, one statement"
    async with db.begin() as session:
        rows = list(await session.scalars(select(Delivery)))
    assert {(r.status, r.message_id, r.attempts, r.claimed_until) for r in rows} == {
        (DeliveryStatus.SENT, 500 + r.id, 1, None) for r in rows
    }
    assert all(r.sent_at is not None for r in rows)


async def test_a_failed_batch_write_fails_each_of_its_sends(
    db: SessionFactory, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(3):
        await notice(db, f"n:{index}", 1000 + index, timedelta(0), clock)
    claimed = await deliveries.claim_due(db, clock.now(), 50)

    async def broken(*_args: Any) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(deliveries, "mark_many_sent", broken)
    batch = SentBatch(db)
    results = await asyncio.gather(
        *(batch.record(d.id, 1, clock.now()) for d in claimed), return_exceptions=True
    )
    assert [str(r) for r in results] == ["database gone"] * 3
    # Not recorded: still claimed, so the lease brings them back like any crashed send.
    assert {status for status, _ in (await statuses(db)).values()} == {DeliveryStatus.SENDING}


async def test_a_batch_reads_its_private_chats_in_one_query_and_blocked_ones_afresh(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, engine: AsyncEngine, clock: ManualClock
) -> None:
    g = await setup(bot, fake, db, clock)
    blocked, *others = g.members
    async with db.begin() as session:
        await session.execute(
            update(Person)
            .where(Person.telegram_user_id == blocked.id)
            .values(blocked_bot_at=clock.now())
        )
    for user in g.members:
        await notice(db, f"n:{user.id}", user.id, timedelta(0), clock)
    reads: list[str] = []

    def seen(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        if "blocked_bot_at" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        report = await bot.dispatch()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert report is not None
    assert report.outcomes["sent"] == len(others) and report.outcomes["skipped"] == 1
    # One query for the batch; then only the blocked person is read again, on her own.
    assert len(reads) == 2, reads
    assert " IN " in reads[0].upper() and " IN " not in reads[1].upper()
    assert sent_texts(fake, blocked.id) == []
    assert all(len(sent_texts(fake, user.id)) == 1 for user in others)


async def test_the_next_batch_is_claimed_while_the_one_before_still_sends(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No stop between batches for the claim: the first batch's sends wait until the second
    batch is claimed, and the tick still sends every delivery once."""
    g = await group_with_chat(db, fake, clock, members=7)
    await bot.dispatch()  # what setting up queued
    for user in g.members:
        await notice(db, f"n:{user.id}", user.id, timedelta(0), clock)
    claims: list[int] = []
    second_claimed = asyncio.Event()
    claim = dispatcher.claim_due

    async def counted(*args: Any, **kwargs: Any) -> list[deliveries.DueDelivery]:
        due = await claim(*args, **kwargs)
        claims.append(len(due))
        if len(claims) == 2:
            second_claimed.set()
        return due

    async def compose(delivery: deliveries.DueDelivery) -> Outgoing:
        if len(claims) == 1:
            # Bounded only so that a broken claim-ahead fails instead of hanging.
            await asyncio.wait_for(second_claimed.wait(), 30)
        return Text(("hello",))

    monkeypatch.setattr(dispatcher, "claim_due", counted)
    assert bot.app is not None
    finished: list[int] = []
    sender = Dispatcher(
        db,
        bot.app.bot,
        clock,
        compose,
        batch=3,
        per_second=1000,
        finished=lambda batch: finished.append(len(batch)),
        screens=TelegramScreens(),
    )
    report = await sender.tick()
    assert claims == [3, 3, 1, 0]
    assert sorted(finished) == [1, 3, 3]  # each batch told once all its sends are done
    assert report.claimed == 7 and report.outcomes == Counter(sent=7)
    assert all(sent_texts(fake, user.id)[-1:] == ["hello"] for user in g.members)
    found = await statuses(db)
    assert {found[f"n:{user.id}"][0] for user in g.members} == {DeliveryStatus.SENT}


async def test_only_a_few_deliveries_compose_at_once_so_people_find_a_connection(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
) -> None:
    """A batch's sends start together and wait for their slots only after composing; composed
    all at once, a batch of count edits took every pooled connection and people's presses
    waited for one. At most COMPOSING_AT_ONCE compose at a time, and all are still sent."""
    g = await group_with_chat(db, fake, clock, members=12)
    await bot.dispatch()  # what setting up queued
    for user in g.members:
        await notice(db, f"n:{user.id}", user.id, timedelta(0), clock)
    composing = 0
    most = 0

    async def compose(delivery: deliveries.DueDelivery) -> Outgoing:
        nonlocal composing, most
        composing += 1
        most = max(most, composing)
        for _ in range(5):  # as a read of the database would, let the others run
            await asyncio.sleep(0)
        composing -= 1
        return Text(("hello",))

    assert bot.app is not None
    sender = Dispatcher(db, bot.app.bot, clock, compose, per_second=1000, screens=TelegramScreens())
    report = await sender.tick()
    assert most == dispatcher.COMPOSING_AT_ONCE
    assert report.outcomes == Counter(sent=12)


async def test_a_tick_goes_on_while_claims_find_new_deliveries_and_stops_on_none(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch that is not full no longer ends the tick: what falls due while it sends goes in
    the same tick. A claim that finds only deliveries this tick had claimed before (back at
    once, deferred to now) is sent and ends the tick, so a stopped clock never spins."""
    g = await group_with_chat(db, fake, clock, members=2)
    await bot.dispatch()  # what setting up queued
    await notice(db, "first", g.members[0].id, timedelta(0), clock)
    composed: list[str] = []
    claims: list[list[str]] = []
    # Each claim after the first waits for what the sends before it wrote (it would run beside
    # them): the new delivery, then the defer.
    written = [asyncio.Event(), asyncio.Event()]
    claim = dispatcher.claim_due
    record_defer = delivery_outcomes.record_defer

    async def counted(*args: Any, **kwargs: Any) -> list[deliveries.DueDelivery]:
        if 1 <= len(claims) <= 2:
            await asyncio.wait_for(written[len(claims) - 1].wait(), 30)  # no hang if broken
        due = await claim(*args, **kwargs)
        claims.append([d.key for d in due])
        return due

    async def defer_recorded(*args: Any) -> None:
        await record_defer(*args)
        written[1].set()

    async def compose(delivery: deliveries.DueDelivery) -> Outgoing:
        composed.append(delivery.key)
        if delivery.key == "first":
            await notice(db, "second", g.members[1].id, timedelta(0), clock)  # due meanwhile
            written[0].set()
            return Text(("one",))
        return Defer(until=clock.now(), reason="again now")

    monkeypatch.setattr(dispatcher, "claim_due", counted)
    monkeypatch.setattr(delivery_outcomes, "record_defer", defer_recorded)
    assert bot.app is not None
    sender = Dispatcher(db, bot.app.bot, clock, compose, batch=10, screens=TelegramScreens())
    report = await sender.tick()
    assert claims == [["first"], ["second"], ["second"]]
    assert composed == ["first", "second", "second"]
    assert report.outcomes == Counter(sent=1, deferred=2)
    found = await statuses(db)
    assert found["first"][0] == DeliveryStatus.SENT
    assert found["second"][0] == DeliveryStatus.PENDING


async def test_housekeeping_runs_on_its_own_cadence_kept_in_the_database(
    bot: RunningBot, db: SessionFactory, engine: AsyncEngine, clock: ManualClock
) -> None:
    """Pruning handled updates runs hourly and retention daily, not at every tick; when each
    last ran is read from the database, so a restart keeps the cadence."""

    async def runs() -> dict[str, Any]:
        async with db.begin() as session:
            return {r.job: r.ran_at for r in await session.scalars(select(HousekeepingRun))}

    async def handled(update_id: int) -> bool:
        async with db.begin() as session:
            return await session.get(HandledUpdate, update_id) is not None

    start = clock.now()
    await bot.dispatch()
    assert await runs() == {housekeeping.PRUNE_HANDLED: start, retention.JOB: start}
    await handled_updates.first_times(db, [1], start - timedelta(days=3))
    deletes: list[str] = []

    def seen(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE FROM HANDLED_UPDATES"):
            deletes.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        clock.advance(timedelta(minutes=59))
        await bot.dispatch()
        await bot.restart()  # the cadence is not the process's: the new one waits as well
        await bot.dispatch()
        assert deletes == [] and await handled(1)
        clock.advance(timedelta(minutes=1))
        await bot.dispatch()
        assert len(deletes) == 1 and not await handled(1)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert await runs() == {
        housekeeping.PRUNE_HANDLED: start + timedelta(hours=1),
        retention.JOB: start,
    }


async def test_a_retention_backlog_continues_later_not_at_every_tick(
    bot: RunningBot, db: SessionFactory, clock: ManualClock
) -> None:
    start = clock.now()
    await bot.dispatch()
    async with db.begin() as session:
        run = await session.get(HousekeepingRun, retention.JOB)
        assert run is not None
        run.detail = {"complaints": 500, "payloads": 0, "more": True}  # stopped at its limit

    async def last_retention() -> Any:
        async with db.begin() as session:
            found = await session.get(HousekeepingRun, retention.JOB)
            return found.ran_at if found is not None else None

    clock.advance(housekeeping.AGAIN - timedelta(seconds=1))
    await bot.dispatch()
    assert await last_retention() == start
    clock.advance(timedelta(seconds=1))
    await bot.dispatch()
    assert await last_retention() == start + housekeeping.AGAIN


async def test_claims_wait_while_enough_claimed_deliveries_wait_for_a_slot(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Claiming ahead never runs ahead of the sends: a batch is claimed only when at most
    CLAIM_AHEAD seconds of claimed deliveries (here one) are still waiting for a slot."""
    g = await group_with_chat(db, fake, clock, members=6)
    await bot.dispatch()
    for user in g.members:
        await notice(db, f"n:{user.id}", user.id, timedelta(0), clock)
    assert bot.app is not None
    sender = Dispatcher(
        db,
        bot.app.bot,
        clock,
        plain,
        batch=2,
        per_second=2,
        concurrency=1,
        screens=TelegramScreens(),
    )
    sender.pacer = Pacer(1000)  # one waiting delivery ahead (2 a second), sent at once
    waiting: list[int] = []
    claim = dispatcher.claim_due

    async def counted(*args: Any, **kwargs: Any) -> list[deliveries.DueDelivery]:
        waiting.append(sender._waiting)
        return await claim(*args, **kwargs)

    monkeypatch.setattr(dispatcher, "claim_due", counted)
    report = await sender.tick()
    assert report.outcomes == Counter(sent=6)
    assert len(waiting) == 4 and max(waiting) <= 1, waiting


async def plain(delivery: deliveries.DueDelivery) -> Outgoing:
    return Text(("hello",))


async def test_a_claim_of_ours_whose_lease_ran_out_mid_send_is_not_sent_again(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    g = await group_with_chat(db, fake, clock, members=1)
    await bot.dispatch()
    (user,) = g.members
    await notice(db, "slow", user.id, timedelta(0), clock)
    lease_over, claimed_again = asyncio.Event(), asyncio.Event()
    claims: list[list[str]] = []
    claim = dispatcher.claim_due

    async def counted(*args: Any, **kwargs: Any) -> list[deliveries.DueDelivery]:
        if claims:
            await asyncio.wait_for(lease_over.wait(), 30)  # no hang if broken
            args = (args[0], clock.now(), *args[2:])  # the time after the wait
        due = await claim(*args, **kwargs)
        claims.append([d.key for d in due])
        if len(claims) == 2:
            claimed_again.set()
        return due

    async def compose(delivery: deliveries.DueDelivery) -> Outgoing:
        clock.advance(CLAIM_LEASE + timedelta(seconds=1))  # this send outlasts its lease
        lease_over.set()
        await asyncio.wait_for(claimed_again.wait(), 30)
        return Text(("once",))

    monkeypatch.setattr(dispatcher, "claim_due", counted)
    assert bot.app is not None
    sender = Dispatcher(db, bot.app.bot, clock, compose, batch=10, screens=TelegramScreens())
    report = await sender.tick()
    assert claims == [["slow"], ["slow"]]  # the database handed it out again ...
    assert report.outcomes == Counter(sent=1)  # ... but this process was still sending it
    assert sent_texts(fake, user.id)[-1:] == ["once"]
    assert sent_texts(fake, user.id).count("once") == 1
    assert (await statuses(db))["slow"][0] == DeliveryStatus.SENT
