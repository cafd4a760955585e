"""Drive the fake Bot API with python-telegram-bot's real Bot over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.aiohttp_request import AiohttpRequest
from simulator.emulator import FakeTelegram, FloodLimits, User

# PTB drops Telegram's "Bad Request: " prefix and capitalises the rest of the description,
# so the match= patterns below are case-insensitive.
from simulator.emulator.errors import ApiError
from simulator.emulator.faults import FloodLimiter
from simulator.emulator.parse_html import parse_html
from simulator.emulator.parse_markdown import parse_markdown_v2

TOKEN = "0:FAKE-token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(bot_username="p2k2_test_bot") as server:
        yield server


@pytest.fixture(params=["httpx", "aiohttp"])
def transport(request: pytest.FixtureRequest) -> str:
    """PTB's default transport, and ours (bot/aiohttp_request.py): both must see the same
    Telegram."""
    return str(request.param)


def make_bot(
    fake: FakeTelegram, transport: str, token: str = TOKEN, read_timeout: float = 5.0
) -> Bot:
    request: BaseRequest = (
        HTTPXRequest(read_timeout=read_timeout)
        if transport == "httpx"
        else AiohttpRequest(read_timeout=read_timeout)
    )
    return Bot(token, base_url=fake.base_url, base_file_url=fake.base_file_url, request=request)


@pytest.fixture
async def bot(fake: FakeTelegram, transport: str) -> AsyncIterator[Bot]:
    async with make_bot(fake, transport) as client:
        yield client


@pytest.fixture
async def ana(fake: FakeTelegram) -> User:
    """A user who has started the bot, so it may write to her."""
    user = fake.user(1001, "Ana", username="ana")
    fake.private_chat(user).started = True
    return user


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Hadir", callback_data=data)]])


# -- identity and routing -----------------------------------------------------------------


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == "p2k2_test_bot"
    assert me.is_bot and me.can_join_groups


async def test_invalid_token_is_unauthorized(fake: FakeTelegram, transport: str) -> None:
    fake.invalid_tokens.add("999:bad")
    with pytest.raises(InvalidToken):
        async with make_bot(fake, transport, "999:bad"):  # initialize() calls getMe
            pass


async def test_unknown_method_is_not_found(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")


# -- parse modes and limits ---------------------------------------------------------------


async def test_html_valid_and_invalid(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    sent = await bot.send_message(ana.id, "<b>x</b> &lt;ok&gt;", parse_mode="HTML")
    assert sent.text == "x <ok>"
    assert fake.last_message(ana) is not None
    assert fake.last_message(ana).plain == "x <ok>"  # type: ignore[union-attr]
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(ana.id, "a < b", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r'(?i)Unsupported start tag "foo" at byte offset 5'):
        await bot.send_message(ana.id, "Halo <foo>x</foo>", parse_mode="HTML")
    assert len(fake.messages(ana)) == 1


def test_html_parser_details() -> None:
    parsed = parse_html('😀 <a href="https://x.id">tautan</a> <span class="tg-spoiler">s</span>')
    assert parsed.plain == "😀 tautan s"
    # Offsets are UTF-16: the emoji counts as two units.
    assert parsed.entities[0] == {
        "type": "text_link",
        "offset": 3,
        "length": 6,
        "url": "https://x.id",
    }
    for bad, reason in [
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("Tom & Jerry", 'Character "&"'),
    ]:
        with pytest.raises(ApiError, match=reason):
            parse_html(bad)


async def test_markdown_v2(bot: Bot, ana: User) -> None:
    sent = await bot.send_message(ana.id, r"*Rapat* besok\.", parse_mode="MarkdownV2")
    assert sent.text == "Rapat besok."
    with pytest.raises(BadRequest, match=r"(?i)Character '\.' is reserved"):
        await bot.send_message(ana.id, "Rapat besok.", parse_mode="MarkdownV2")


def test_markdown_v2_parser_details() -> None:
    parsed = parse_markdown_v2("__u__ ||s|| [t](https://a.id/\\)) `c\\``\n>kutipan")
    assert parsed.plain == "u s t c`\nkutipan"
    kinds = [e["type"] for e in parsed.entities]
    assert kinds == ["underline", "spoiler", "text_link", "code", "blockquote"]
    assert parsed.entities[2]["url"] == "https://a.id/)"
    with pytest.raises(ApiError, match=r"(?i)Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*tebal")


async def test_text_limits(bot: Bot, ana: User) -> None:
    await bot.send_message(ana.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ana.id, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(ana.id, "  ")


async def test_callback_data_limit(bot: Bot, ana: User) -> None:
    await bot.send_message(ana.id, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ana.id, "too long", reply_markup=keyboard("x" * 65))


# -- getUpdates -----------------------------------------------------------------------------


async def test_long_poll_returns_update_sent_while_waiting(bot: Bot, fake: FakeTelegram) -> None:
    ana = fake.user(1001, "Ana")
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_for_call("getUpdates")
    assert not poll.done()
    await fake.send_text(ana, "/start")
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates if u.message] == ["/start"]
    assert updates[0].message is not None and updates[0].message.entities[0].type == "bot_command"
    assert fake.private_chat(ana).started


async def test_get_updates_offset_confirms(bot: Bot, fake: FakeTelegram) -> None:
    ana = fake.user(1001, "Ana")
    for text in ("satu", "dua", "tiga"):
        await fake.send_text(ana, text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["satu", "dua"]
    again = await bot.get_updates()
    assert len(again) == 3  # nothing confirmed yet
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["tiga"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_group_privacy_and_start_link(bot: Bot, fake: FakeTelegram) -> None:
    ana = fake.user(1001, "Ana")
    group = fake.group("PKH Melati")
    await fake.add_bot_to_group(ana, group, start_param="kel42")
    await fake.send_text(ana, "halo semua", chat=group)  # hidden by privacy mode
    updates = await bot.get_updates()
    kinds = [u.my_chat_member.new_chat_member.status if u.my_chat_member else None for u in updates]
    assert kinds[0] == "member"
    texts = [u.message.text for u in updates if u.message and u.message.text]
    assert texts == ["/start@p2k2_test_bot kel42"]
    await bot.send_message(group.id, "Terima kasih!")


# -- errors and faults ------------------------------------------------------------------


@pytest.fixture
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns when RetryAfter is built unless PTB_TIMEDELTA opts in to timedeltas."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.mark.usefixtures("timedelta_retry_after")
async def test_fail_next_429(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    fake.fail_next("sendMessage", chat_id=ana.id, kind="429", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ana.id, "hai")
    assert caught.value.retry_after == dt.timedelta(seconds=7)
    await bot.send_message(ana.id, "hai")  # only one failure was scripted
    assert fake.stats.injected["429"] == 1


async def test_fail_next_5xx_and_network(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    fake.fail_next(kind="500")
    with pytest.raises(NetworkError):
        await bot.send_message(ana.id, "hai")
    fake.fail_next(kind="502")
    with pytest.raises(NetworkError):
        await bot.send_message(ana.id, "hai")
    fake.fail_next(kind="network")
    with pytest.raises(NetworkError):
        await bot.send_message(ana.id, "hai")
    assert fake.messages(ana) == []


async def test_timeout_fault_delivers_but_client_times_out(
    fake: FakeTelegram, ana: User, transport: str
) -> None:
    fake.timeout_delay = 1.0
    fake.fail_next(kind="timeout")
    async with make_bot(fake, transport, read_timeout=0.2) as slow_bot:
        with pytest.raises(TimedOut):
            await slow_bot.send_message(ana.id, "terkirim")
    assert [m.plain for m in fake.messages(ana)] == ["terkirim"]


async def test_forbidden_cases(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    stranger = fake.user(2002, "Budi")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation"):
        await bot.send_message(stranger.id, "hai")
    await fake.block_bot(ana)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ana.id, "hai")
    group = fake.group("Kelompok", bot_status="member")
    await fake.remove_bot_from_group(ana, group)
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the group chat"):
        await bot.send_message(group.id, "hai")
    fake.fail_next(method=None, kind="403_blocked")
    with pytest.raises(Forbidden):
        await bot.get_chat(ana.id)


async def test_migrate_group(bot: Bot, fake: FakeTelegram) -> None:
    ana = fake.user(1001, "Ana")
    group = fake.group("Kelompok", bot_status="member", creator=ana)
    supergroup = await fake.migrate_group(group)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "hai")
    assert caught.value.new_chat_id == supergroup.id
    await bot.send_message(supergroup.id, "hai")
    updates = await bot.get_updates()
    migrations = [
        (u.message.migrate_to_chat_id, u.message.migrate_from_chat_id) for u in updates if u.message
    ]
    assert migrations == [(supergroup.id, None), (None, group.id)]


# -- buttons, edits, files, polls -----------------------------------------------------------


async def test_press_edit_and_wait(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    sent = await bot.send_message(ana.id, "Hadir?", reply_markup=keyboard("att:1"))
    record = await fake.wait_for_message(ana)
    assert record.buttons == [("Hadir", "att:1")]
    query_id = await fake.press(ana, record, "Hadir")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None and update.callback_query.data == "att:1"
    await update.callback_query.answer("Tercatat", show_alert=True)
    assert fake.callback_answers[query_id].text == "Tercatat"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await update.callback_query.answer()

    await bot.edit_message_text("Hadir: Ana", ana.id, sent.message_id)
    edited = await fake.wait_for_message(ana)
    assert edited is record and record.plain == "Hadir: Ana"
    assert record.reply_markup is None  # editing text without a markup drops the keyboard
    assert [e.plain for e in record.edits] == ["Hadir?"]
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Hadir: Ana", ana.id, sent.message_id)
    assert await bot.delete_message(ana.id, sent.message_id)
    assert record.deleted and fake.last_message(ana) is None


async def test_document_upload_stored(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    sent = await bot.send_document(ana.id, b"nama,hadir\nAna,1\n", filename="rekap.csv")
    record = fake.last_message(ana)
    assert record is not None and record.document is not None
    assert record.document.filename == "rekap.csv"
    assert record.document_bytes == b"nama,hadir\nAna,1\n"
    assert sent.document is not None and sent.document.file_id == record.document.file_id
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(ana.id, b"x", filename="a.txt", caption="x" * 1025)
    # A name with spaces and letters beyond ASCII arrives as written, caption beside it.
    await bot.send_document(ana.id, b"x", filename="rekap Mawar 1 Désember.csv", caption="Rekap")
    record = fake.last_message(ana)
    assert record is not None and record.document is not None
    assert record.document.filename == "rekap Mawar 1 Désember.csv" and record.plain == "Rekap"


async def test_get_file_downloads_user_document(bot: Bot, fake: FakeTelegram) -> None:
    ana = fake.user(1001, "Ana")
    await fake.send_document(ana, "daftar.xlsx", b"PK\x03\x04data", mime_type="application/zip")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    file = await bot.get_file(update.message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04data"


async def test_quiz_poll_and_answer(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    await bot.send_poll(
        ana.id, "Berapa?", ["1", "2"], type="quiz", correct_option_ids=[1], is_anonymous=False
    )
    record = fake.last_message(ana)
    assert record is not None and record.poll is not None
    await fake.answer_poll(ana, record, [1])
    updates = await bot.get_updates(allowed_updates=["poll_answer"])
    assert [u.poll_answer.option_ids for u in updates if u.poll_answer] == [(1,)]
    with pytest.raises(BadRequest, match=r"(?i)poll question length"):
        await bot.send_poll(ana.id, "x" * 301, ["1", "2"])


async def test_commands_stored_per_scope(bot: Bot, fake: FakeTelegram) -> None:
    await bot.set_my_commands([("start", "Mulai")], language_code="id")
    assert fake.commands_for(language_code="id") == [{"command": "start", "description": "Mulai"}]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start!", "x")])


# -- flood control ------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_flood_limiter_with_fake_clock() -> None:
    clock = FakeClock()
    limits = FloodLimits(enabled=True, per_chat_burst=2, per_group_per_minute=3)
    limiter = FloodLimiter(limits, clock)
    assert limiter.check("1", is_group=False) is None
    assert limiter.check("1", is_group=False) is None
    assert limiter.check("1", is_group=False) == 1  # burst used up, 1 msg/s refill
    clock.now += 1.0
    assert limiter.check("1", is_group=False) is None
    for _ in range(3):
        assert limiter.check("-5", is_group=True) is None
        clock.now += 1.0
    assert limiter.check("-5", is_group=True) == 57  # 20/min style window
    clock.now += 57
    assert limiter.check("-5", is_group=True) is None


@pytest.mark.usefixtures("timedelta_retry_after")
async def test_flood_limits_over_http(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    fake.flood.enabled = True
    fake.flood.per_chat_burst = 1
    await bot.send_message(ana.id, "satu")
    with pytest.raises(RetryAfter):
        await bot.send_message(ana.id, "dua")
    assert fake.stats.flood_429 == 1 and fake.stats.total_429 == 1


# -- the real Application ---------------------------------------------------------------


async def test_application_polls_and_replies(fake: FakeTelegram) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            "<b>Selamat datang</b>", reply_markup=keyboard("ikut")
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("Oke")
        await update.callback_query.edit_message_text("Terdaftar")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    ana = fake.user(1001, "Ana")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await fake.send_text(ana, "/start")
        welcome = await fake.wait_for_message(ana)
        assert welcome.plain == "Selamat datang"
        query_id = await fake.press(ana, welcome, "ikut")
        edited = await fake.wait_for_message(ana, lambda m: m.plain == "Terdaftar")
        assert edited is welcome and fake.callback_answers[query_id].text == "Oke"
        await fake.wait_idle()
        await app.updater.stop()
        await app.stop()


async def test_random_faults_are_seeded(bot: Bot, fake: FakeTelegram, ana: User) -> None:
    fake.faults(rate_5xx=1.0, seed=1)
    with pytest.raises(NetworkError):
        await bot.send_message(ana.id, "hai")
    fake.clear_faults()
    await bot.send_message(ana.id, "hai")
    assert [c.status for c in fake.calls_to("sendMessage", ana)] == [500, 200]


async def test_our_transport_sends_json_bodies_with_native_values_and_forms_for_files() -> None:
    """Without files a request is a JSON body (no form to urlencode); its values keep their
    types, so the Bot API reads chat ids, flags and keyboards as they were given."""
    from aiohttp import web

    seen: list[tuple[str, bytes]] = []

    async def answer(request: web.Request) -> web.Response:
        seen.append((request.content_type, await request.read()))
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    request = AiohttpRequest()
    await request.initialize()
    try:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="y")]])
        bot = Bot("1:x", base_url=f"http://127.0.0.1:{port}/bot", request=request)
        await bot._post(
            "sendMessage",
            {"chat_id": 7, "text": "Halo", "reply_markup": markup, "allow_paid_broadcast": True},
        )
        await bot._post("sendDocument", {"chat_id": 7, "document": InputFile(b"abc", "a.txt")})
    finally:
        await request.shutdown()
        await runner.cleanup()
    (kind, body), (file_kind, _) = seen
    assert kind == "application/json"
    assert json.loads(body) == {
        "chat_id": 7,
        "text": "Halo",
        "reply_markup": {"inline_keyboard": [[{"text": "Ya", "callback_data": "y"}]]},
        "allow_paid_broadcast": True,
    }
    assert file_kind == "multipart/form-data"
