"""Fault drills that can be made deterministic: a sender killed mid-broadcast, the database gone.

(Two processes on one database, and a takeover, are in test_dispatcher.py; the timed drills
with real processes are in benchmarks/drills.py.)"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import DATABASE_DOWN
from content.texts import t
from simulator.emulator import FakeTelegram
from storage import deliveries
from storage.db import SessionFactory
from storage.models import DeliveryStatus
from tests.e2e.builders import group_with_chat
from tests.e2e.harness import RunningBot
from tests.e2e.test_dispatcher import notice, sent_texts, statuses
from timekeeping.clock import ManualClock


async def test_a_sender_killed_mid_broadcast_delivers_everything_after_restart(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await group_with_chat(db, fake, clock)
    await bot.dispatch()  # whatever setting up the group queued goes first
    keys = [f"b{index}" for index in range(60)]
    for index, key in enumerate(keys):
        await notice(db, key, g.members[index % 3].id, timedelta(0), clock)

    # The dying process claimed a batch, got 10 of them out to Telegram, and was killed
    # before it could write down that they were sent.
    claimed = await deliveries.claim_due(db, clock.now(), 25)
    in_flight = [d for d in claimed if d.key in keys]
    assert len(in_flight) == 25
    assert bot.app is not None and bot.app.bot_data.dispatch is not None
    service = bot.app.bot_data.dispatch
    for delivery in in_flight[:10]:
        outgoing = await service._compose(delivery)
        await service.dispatcher._send(delivery.chat_id, outgoing)

    await bot.restart()
    # Taking the sender lock releases the dead process's claims: everything goes at once,
    # without waiting for their lease.
    await bot.dispatch()

    final = await statuses(db)
    assert all(final[key][0] is DeliveryStatus.SENT for key in keys)
    received = Counter(
        text.split(",")[1].split("!")[0].strip()
        for user in g.members
        for text in sent_texts(fake, user.id)
        if text.startswith("Halo, b")
    )
    assert set(received) == set(keys)  # nothing lost
    duplicated = {key for key, count in received.items() if count > 1}
    assert duplicated == {d.key for d in in_flight[:10]}  # only sends in flight at the kill
    assert all(received[key] == 2 for key in duplicated)


@contextmanager
def database_down(engine: AsyncEngine) -> Iterator[None]:
    """Every new connection is refused, as when the server is stopped or unreachable."""

    def refuse(*_: Any) -> None:
        raise ConnectionRefusedError(111, "Connection refused (drill)")

    event.listen(engine.sync_engine, "do_connect", refuse)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "do_connect", refuse)


async def test_with_the_database_down_users_are_told_to_try_again_and_nothing_is_lost(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    engine: AsyncEngine,
    clock: ManualClock,
) -> None:
    g = await group_with_chat(db, fake, clock)
    await bot.dispatch()  # whatever setting up the group queued goes first
    member = g.members[0]
    await notice(db, "during", member.id, timedelta(minutes=1), clock)

    with database_down(engine):
        await engine.dispose()  # the pooled connections died with the server
        fake.mark_read(member.id)
        await fake.send_text(member, "/start")
        reply = await fake.wait_for_message(member.id)
        assert reply.plain == t("id", "errors.database_down")
        clock.advance(timedelta(minutes=2))
        with pytest.raises(DATABASE_DOWN):  # the tick fails; the job tries again later
            await bot.dispatch()

    # The database is back: the same user is answered normally and the due notice goes out.
    fake.mark_read(member.id)
    await fake.send_text(member, "/start")
    answer = await fake.wait_for_message(member.id)
    assert answer.plain != t("id", "errors.database_down")
    await bot.dispatch()
    assert (await statuses(db))["during"][0] is DeliveryStatus.SENT
    assert sum("Halo, during" in text for text in sent_texts(fake, member.id)) == 1
