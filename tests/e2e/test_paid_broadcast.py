"""P2K2_PAID_BROADCAST=on: the dispatcher's sends carry allow_paid_broadcast; off: they do not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from simulator.emulator import FakeTelegram
from storage import deliveries
from storage.db import SessionFactory
from storage.deliveries.delivery_kinds import DeliveryKind
from tests.e2e import harness
from tests.e2e.builders import group_with_chat
from tests.e2e.harness import Person, RunningBot, TelegramTime
from timekeeping.clock import ManualClock


@pytest.mark.parametrize("paid", ["on", "off"])
async def test_dispatcher_sends_are_paid_only_when_switched_on(
    paid: str,
    fake: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    db: SessionFactory,
    clock: ManualClock,
    telegram_time: TelegramTime,
) -> None:
    settings = harness.test_settings(fake, database_url, P2K2_PAID_BROADCAST=paid)
    bot = RunningBot(fake, settings, engine, db, clock, telegram_time)
    await bot.start()
    try:
        setup = await group_with_chat(db, fake, clock)
        await bot.dispatch()
        before = len(fake.calls_to("sendMessage"))
        async with db.begin() as session:
            await deliveries.enqueue(
                session,
                key="news",
                kind=DeliveryKind.NOTICE,
                chat_id=setup.members[0].id,
                due_at=clock.now() + timedelta(minutes=1),
                payload={"text": "menu.member", "params": {"name": "x"}},
            )
        clock.advance(timedelta(minutes=1))
        await bot.dispatch()
        sent = fake.calls_to("sendMessage")[before:]
        assert sent, "the notice went out"
        flags = {str(call.params.get("allow_paid_broadcast")).lower() for call in sent}
        assert flags == ({"true"} if paid == "on" else {"none"})
    finally:
        await bot.stop()


async def test_the_sender_sees_the_stars_an_announcement_will_cost(
    fake: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    db: SessionFactory,
    clock: ManualClock,
    telegram_time: TelegramTime,
) -> None:
    settings = harness.test_settings(fake, database_url, P2K2_PAID_BROADCAST="on")
    bot = RunningBot(fake, settings, engine, db, clock, telegram_time)
    await bot.start()
    try:
        setup = await group_with_chat(db, fake, clock, name="Mawar 1")
        await bot.dispatch()
        facilitator = Person(fake, setup.facilitator)
        menu = await facilitator.says("/siaran")
        await facilitator.taps(menu, "Lanjut")
        preview = await facilitator.says("Besok posyandu jam 08.00.")
        messages = 1 + len(setup.members)  # the group chat and each member
        assert f"sekitar {messages} pesan, kira-kira 1 Telegram Stars" in (preview.plain or "")
    finally:
        await bot.stop()
