"""The dispatcher's plain sends (bot/plain_send.py) through the fake Bot API, paid and free: the
same request as Bot.send_message, the message's id back, and every failure as the same
TelegramError, so that the dispatcher records it as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.plain_send import PlainSender
from bot.telegram_screen import markup as telegram_markup
from scheduler.no_wait import dispatching
from scheduler.outcomes import classify
from simulator.emulator import FakeTelegram
from simulator.emulator.faults import FaultKind
from storage import deliveries
from storage.db import SessionFactory
from storage.deliveries.send_outcome import Verdict
from storage.models import Delivery, DeliveryStatus, Group
from tests.e2e import harness
from tests.e2e.builders import GroupSetup, group_with_chat
from tests.e2e.harness import RunningBot, TelegramTime
from timekeeping.clock import ManualClock
from views.keyboards import Key, Keyboard

OURS = select(Delivery).where(Delivery.key.startswith("n1"))  # "n1:removed:..." once renamed
KEYBOARD = Keyboard(((Key("Hadir", data="rsvp:1:yes"), Key("Situs", url="https://example.org")),))


@pytest.fixture(params=["on", "off"])
async def paid_bot(
    request: pytest.FixtureRequest,
    fake: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    db: SessionFactory,
    clock: ManualClock,
    telegram_time: TelegramTime,
) -> AsyncIterator[RunningBot]:
    """The bot with P2K2_PAID_BROADCAST on and off."""
    settings = harness.test_settings(fake, database_url, P2K2_PAID_BROADCAST=request.param)
    running = RunningBot(fake, settings, engine, db, clock, telegram_time)
    await running.start()
    yield running
    await running.stop()


def paid(bot: RunningBot) -> bool:
    return bot.settings.paid_broadcast


def sender(bot: RunningBot) -> PlainSender:
    assert bot.app is not None
    return PlainSender(bot.app.bot)


async def setup(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> GroupSetup:
    found = await group_with_chat(db, fake, clock)
    await bot.dispatch()  # what setting up queued goes first
    return found


async def test_a_plain_send_asks_what_send_message_asks_and_returns_the_id(
    paid_bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(paid_bot, fake, db, clock)
    assert paid_bot.app is not None
    for chat, markup in ((g.chat.id, KEYBOARD), (g.members[0].id, None)):
        with dispatching():
            through_ptb = await paid_bot.app.bot.send_message(
                chat,
                "<b>Besok</b> posyandu",
                parse_mode=ParseMode.HTML,
                reply_markup=telegram_markup(markup),
                allow_paid_broadcast=paid(paid_bot) or None,
            )
            plain = await sender(paid_bot)(
                chat, "<b>Besok</b> posyandu", markup, paid=paid(paid_bot), timeout=5.0
            )
        ptb_call, plain_call = fake.calls_to("sendMessage", chat=chat)[-2:]
        assert plain_call.params == ptb_call.params
        assert plain_call.status == 200
        sent = fake.messages(chat)[-1]
        assert plain == sent.message_id == through_ptb.message_id + 1
        assert sent.plain == "Besok posyandu"
        if markup is not None:
            assert plain_call.params["reply_markup"] == telegram_markup(markup).to_dict()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "group", "error", "verdict"),
    [
        ("403_blocked", False, Forbidden, Verdict.BLOCKED),
        ("403_kicked", True, Forbidden, Verdict.REMOVED),
        ("429", False, RetryAfter, Verdict.WAIT),
        ("500", True, NetworkError, Verdict.RETRY),
        ("502", False, NetworkError, Verdict.RETRY),
        ("timeout", False, TimedOut, Verdict.RETRY),
    ],
)
async def test_a_failed_plain_send_raises_what_send_message_raises(
    paid_bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    kind: FaultKind,
    group: bool,
    error: type[Exception],
    verdict: Verdict,
) -> None:
    g = await setup(paid_bot, fake, db, clock)
    chat = g.chat.id if group else g.members[0].id
    fake.timeout_delay = 1.0
    fake.fail_next("sendMessage", chat_id=chat, kind=kind, retry_after=7)
    calls = len(fake.calls_to("sendMessage", chat=chat))
    with dispatching(), pytest.raises(error) as raised:
        await sender(paid_bot)(chat, "halo", None, paid=paid(paid_bot), timeout=0.3)
    outcome = classify(raised.value, private_chat=chat > 0)
    assert outcome.verdict is verdict
    if kind == "429":
        assert outcome.retry_after == 7
    # Never retried here: the dispatcher decides what happens next.
    assert len(fake.calls_to("sendMessage", chat=chat)) == calls + 1


async def test_a_plain_send_to_an_unknown_chat_or_an_upgraded_group_says_so(
    paid_bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    g = await setup(paid_bot, fake, db, clock)
    send = sender(paid_bot)
    with dispatching(), pytest.raises(BadRequest) as unknown:
        await send(987654321, "halo", None, paid=paid(paid_bot), timeout=5.0)
    assert classify(unknown.value, private_chat=True).verdict is Verdict.GONE
    supergroup = await fake.migrate_group(g.chat, g.facilitator)
    with dispatching(), pytest.raises(ChatMigrated) as moved:
        await send(g.chat.id, "halo", None, paid=paid(paid_bot), timeout=5.0)
    outcome = classify(moved.value, private_chat=False)
    assert outcome.verdict is Verdict.MOVED and outcome.new_chat_id == supergroup.id


@pytest.mark.parametrize("kind", ["429", "403_kicked", "500", "migrated"])
async def test_the_dispatcher_records_a_plain_sends_failure_as_before(
    paid_bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    kind: str,
) -> None:
    """Paid and free, a notice to a group chat: 429 waits as told, a removed bot unlinks the
    group, a 5xx is tried again, an upgraded group is followed; sent once in the end."""
    g = await setup(paid_bot, fake, db, clock)
    target = g.chat.id
    if kind == "migrated":
        target = (await fake.migrate_group(g.chat, g.facilitator)).id
    else:
        fake.fail_next("sendMessage", chat_id=g.chat.id, kind=kind, retry_after=7)  # type: ignore[arg-type]
    async with db.begin() as session:
        await deliveries.enqueue(
            session,
            key="n1",
            kind="notice",
            chat_id=g.chat.id,
            group_id=g.group.id,
            due_at=clock.now(),
            payload={"text": "menu.member", "params": {"name": "n1"}},
        )
    await paid_bot.dispatch(follow_flood=False)
    if kind == "403_kicked":
        async with db.begin() as session:
            row = (await session.scalars(OURS)).one()
            group = await session.get_one(Group, g.group.id)
        assert (row.status, row.reason) == (DeliveryStatus.SKIPPED, "removed")
        assert group.chat_id is None
        return
    clock.advance(timedelta(hours=1))
    await paid_bot.dispatch(follow_flood=False)
    async with db.begin() as session:
        row = (await session.scalars(OURS)).one()
    assert row.status is DeliveryStatus.SENT and row.chat_id == target
    sent = [c for c in fake.calls_to("sendMessage", chat=target) if c.status == 200]
    assert row.message_id == fake.messages(target)[-1].message_id
    assert len([c for c in sent if "n1" in str(c.params.get("text"))]) == 1
    flags = {str(c.params.get("allow_paid_broadcast")).lower() for c in sent}
    assert flags == ({"true"} if paid(paid_bot) else {"none"})
