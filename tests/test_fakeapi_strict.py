"""The fake Bot API refuses what Telegram refuses (issue 16: the test bed must behave like
Telegram): flood limits with a retry_after that grows, 403 on touching messages in a chat the
bot may no longer use, and the 200-character limits of button answers and quiz explanations."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.request import HTTPXRequest

from simulator.emulator import FakeTelegram, FloodLimits, User
from simulator.emulator.faults import FloodLimiter

TOKEN = "0:FAKE-token"


class Seconds:
    """Telegram's clock in these tests: it moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seconds() -> Seconds:
    return Seconds()


@pytest.fixture
async def fake(seconds: Seconds) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(bot_username="p2k2_test_bot", clock=seconds) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    request = HTTPXRequest(read_timeout=5.0)
    async with Bot(TOKEN, base_url=fake.base_url, request=request) as client:
        yield client


@pytest.fixture
async def ana(fake: FakeTelegram) -> User:
    user = fake.user(1001, "Ana")
    fake.private_chat(user).started = True
    return user


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Hadir", callback_data=data)]])


# -- flood control ------------------------------------------------------------------------


def test_flood_limits_are_on_by_default() -> None:
    assert FloodLimits().enabled


def test_a_private_chat_allows_a_short_burst_then_about_one_a_second() -> None:
    clock = Seconds()
    limiter = FloodLimiter(FloodLimits(), clock)
    assert [limiter.check("7", is_group=False) for _ in range(3)] == [None, None, None]
    assert limiter.check("7", is_group=False) == 1
    # A client that waits as told is let through, one message a second, and never penalised.
    for _ in range(5):
        clock.now += 1.0
        assert limiter.check("7", is_group=False) is None
        clock.now += 0.1
        assert limiter.check("7", is_group=False) == 1
        clock.now -= 0.1
    assert limiter.check("8", is_group=False) is None  # other chats are not held up


def test_retry_after_grows_while_a_chat_keeps_being_flooded_and_calms_down() -> None:
    clock = Seconds()
    limiter = FloodLimiter(FloodLimits(), clock)
    for _ in range(3):
        assert limiter.check("7", is_group=False) is None
    # Sends that do not wait for the retry_after they were given: each wait is longer.
    waits = []
    for _ in range(4):
        waits.append(limiter.check("7", is_group=False))
        clock.now += 0.2
    assert waits == sorted(waits) and waits[-1] is not None and waits[-1] >= 4
    # Quiet long enough to refill the burst: the chat is forgiven.
    clock.now += 10
    assert [limiter.check("7", is_group=False) for _ in range(3)] == [None, None, None]
    assert limiter.check("7", is_group=False) == 1


async def test_flood_control_over_http_with_growing_retry_after(
    bot: Bot, fake: FakeTelegram, ana: User, seconds: Seconds
) -> None:
    for index in range(3):
        await bot.send_message(ana.id, f"pesan {index}")
    retry_afters = []
    for _ in range(3):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ana.id, "terlalu cepat")
        retry_afters.append(caught.value.retry_after)
    assert retry_afters == [dt.timedelta(seconds=s) for s in (1, 2, 3)]
    # Edits count too.
    message = fake.messages(ana)[0]
    with pytest.raises(RetryAfter):
        await bot.edit_message_text("ubah", chat_id=ana.id, message_id=message.message_id)
    seconds.now += 3
    await bot.send_message(ana.id, "setelah menunggu")
    assert fake.stats.flood_429 == 4


# -- a chat the bot may no longer use ------------------------------------------------------


async def test_edit_and_delete_in_a_chat_that_blocked_the_bot_are_forbidden(
    bot: Bot, fake: FakeTelegram, ana: User
) -> None:
    sent = await bot.send_message(ana.id, "halo", reply_markup=keyboard("x"))
    await fake.block_bot(ana)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.edit_message_text("ubah", chat_id=ana.id, message_id=sent.message_id)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.edit_message_reply_markup(chat_id=ana.id, message_id=sent.message_id)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.delete_message(ana.id, sent.message_id)
    assert fake.messages(ana)[0].plain == "halo" and not fake.messages(ana)[0].deleted


async def test_edit_delete_and_stop_poll_after_the_bot_was_removed_are_forbidden(
    bot: Bot, fake: FakeTelegram, ana: User, seconds: Seconds
) -> None:
    group = fake.group("Kelompok Mawar", members=[ana], bot_status="member")
    text = await bot.send_message(group.id, "pengingat")
    poll = await bot.send_poll(group.id, "Kuis", ["a", "b"], type="quiz", correct_option_ids=[0])
    await fake.remove_bot_from_group(ana, group)
    seconds.now += 60  # the refusals below are not flood control's
    with pytest.raises(Forbidden, match="kicked"):
        await bot.edit_message_text("ubah", chat_id=group.id, message_id=text.message_id)
    with pytest.raises(Forbidden, match="kicked"):
        await bot.delete_message(group.id, text.message_id)
    with pytest.raises(Forbidden, match="kicked"):
        await bot.stop_poll(group.id, poll.message_id)


# -- 200-character limits -------------------------------------------------------------------


async def test_callback_answers_over_200_characters_are_refused(
    bot: Bot, fake: FakeTelegram, ana: User
) -> None:
    sent = await bot.send_message(ana.id, "pilih", reply_markup=keyboard("x"))
    message = fake.messages(ana)[0]
    first = await fake.press(ana, message, "x")
    second = await fake.press(ana, message, "x")
    await bot.get_updates()
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(first, "x" * 201, show_alert=True)
    assert await bot.answer_callback_query(second, "x" * 200, show_alert=True)
    assert sent.message_id == message.message_id


async def test_quiz_explanations_over_200_characters_are_refused(
    bot: Bot, fake: FakeTelegram, ana: User
) -> None:
    group = fake.group("Kelompok Mawar", members=[ana], bot_status="member")

    async def quiz(explanation: str, parse_mode: str | None = None) -> None:
        await bot.send_poll(
            group.id,
            "Kuis",
            ["a", "b"],
            type="quiz",
            correct_option_ids=[0],
            explanation=explanation,
            explanation_parse_mode=parse_mode,
        )

    with pytest.raises(BadRequest, match=r"(?i)explanation is too long"):
        await quiz("x" * 201)
    with pytest.raises(BadRequest, match=r"(?i)explanation is too long"):
        await quiz("satu\ndua\ntiga\nempat")  # at most 2 line feeds
    await quiz("<b>" + "x" * 200 + "</b>", "HTML")  # counted after entity parsing
    assert fake.messages(group)[-1].poll is not None
