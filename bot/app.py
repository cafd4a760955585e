"""Build the telegram Application: settings, storage, handlers in one ordered list."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.aiohttp_request import BOT_API_CONNECTIONS, AiohttpRequest
from bot.context import BotData, P2K2Application
from bot.errors import on_error
from bot.plain_send import PlainSender
from bot.rate_limits import FloodAwareRateLimiter
from bot.telegram_screen import TelegramScreens
from bot.update_order import PerSenderUpdateProcessor
from config.settings import Settings
from handlers import (
    announcements,
    attendance,
    complaints,
    confirmations,
    edits,
    group_chat,
    groups,
    input,
    joining,
    materials,
    meetings,
    menu,
    my_group,
    onboarding,
    once,
    privacy,
    recurring,
    reports,
    roster,
    staff,
    status,
    unexpected,
)
from handlers.base import check_buttons_handled
from handlers.command_menus import set_default_menus
from handlers.context import BotContext
from scheduler.send_slot import Sleep
from scheduler.service import DispatchService
from storage.db import SessionFactory, session_factory
from timekeeping.clock import Clock, SystemClock

PRIVATE = filters.ChatType.PRIVATE
# The Telegram adapter of the views' Screens, handed to the handlers and the dispatcher.
SCREENS = TelegramScreens()

# Every feature, in the order its handlers are tried. Each module's handlers() registers its
# commands, buttons and files beside their code; typed-text steps register with @text_step.
FEATURES: tuple[ModuleType, ...] = (
    # Service messages first: a migration must be followed before anything else, and in group
    # chats only the binding commands and /help are answered.
    group_chat,
    onboarding,
    joining,
    menu,
    my_group,
    privacy,
    groups,
    roster,
    staff,
    announcements,
    meetings,
    recurring,
    materials,
    # A member's document belongs to their complaint; staff documents fall through to the
    # roster import inside the complaints handler.
    complaints,
    attendance,
    confirmations,
    status,
    reports,
)


def handler_list() -> list[BaseHandler[Update, BotContext, Any]]:
    found: list[BaseHandler[Update, BotContext, Any]] = []
    for feature in FEATURES:
        found.extend(feature.handlers())
    check_buttons_handled(found)
    return [
        # An edit of a sent message is never handled as a new one (it would act twice).
        MessageHandler(filters.UpdateType.EDITED, edits.edited_received),
        *found,
        # Last: whatever nothing above claimed.
        MessageHandler(PRIVATE & filters.COMMAND, menu.unknown_command),
        MessageHandler(PRIVATE & filters.TEXT, input.text_received),
        MessageHandler(PRIVATE & ~filters.StatusUpdate.ALL, unexpected.other_received),
        CallbackQueryHandler(menu.stale_button),
    ]


def bot_data_type(settings: Settings, db: SessionFactory, clock: Clock) -> type[BotData]:
    class BoundBotData(BotData):
        def __init__(self) -> None:
            super().__init__(settings=settings, db=db, clock=clock, screens=SCREENS)

    return BoundBotData


def build_application(
    settings: Settings,
    engine: AsyncEngine,
    clock: Clock | None = None,
    *,
    dispatch_every: float | None = None,
    flood_sleep: Sleep | None = None,
    flood_clock: Callable[[], float] | None = None,
    pace_sleep: Sleep | None = None,
    pace_clock: Callable[[], float] | None = None,
) -> P2K2Application:
    """The application; with `dispatch_every` (seconds) the dispatcher job runs by itself.

    Tests leave it off and tick the dispatcher themselves, with the clock in their hands."""
    clock = clock or SystemClock()
    transports = (AiohttpRequest(BOT_API_CONNECTIONS), AiohttpRequest(connection_pool_size=1))
    db = session_factory(engine, settings.send_rules)
    context_types = ContextTypes(context=BotContext, bot_data=bot_data_type(settings, db, clock))
    application: P2K2Application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(context_types)
        .rate_limiter(FloodAwareRateLimiter(sleep=flood_sleep, monotonic=flood_clock))
        # Different people's updates at once, each person's in order (see bot/update_order).
        .concurrent_updates(PerSenderUpdateProcessor())
        # aiohttp instead of httpx: see bot/aiohttp_request.py.
        .request(transports[0])
        .get_updates_request(transports[1])
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    # On 429 a direct answer waits and is sent again; the dispatcher reschedules in the
    # database instead of sleeping (bot/rate_limits.py).
    menu.check_every_role_served()
    # Before every other handler: an update Telegram hands out again is not acted on twice.
    application.add_handler(once.handler(), group=once.GROUP)
    application.add_handlers(handler_list())
    application.add_error_handler(on_error)
    application.bot_data.transports = transports
    # The dispatcher's pacer: the machine's time, unless a test gives Telegram's.
    service = DispatchService(
        engine,
        db,
        application.bot,
        clock,
        settings,
        SCREENS,
        send_plain=PlainSender(application.bot),
        pace_clock=pace_clock or time.monotonic,
        pace_sleep=pace_sleep or asyncio.sleep,
    )
    application.bot_data.dispatch = service
    if dispatch_every is not None:
        assert application.job_queue is not None

        async def dispatch_job(_: BotContext) -> None:
            await service.run_once()

        application.job_queue.run_repeating(
            dispatch_job, interval=dispatch_every, first=1.0, name="dispatcher"
        )
    return application


async def close_bot_api(application: P2K2Application) -> None:
    """Close the Bot API connections; nothing happens to those already closed."""
    for transport in application.bot_data.transports:
        await transport.shutdown()


def dispatch_now(application: P2K2Application) -> None:
    """A tick now, beside the repeating job (a standby that took over sends what is due at
    once instead of at the job's next run; ticks never overlap, see DispatchService)."""
    service = application.bot_data.dispatch
    assert service is not None
    application.create_task(service.run_once(), name="dispatch-now")


async def _post_init(application: P2K2Application) -> None:
    me = await application.bot.get_me()
    application.bot_data.bot_username = me.username or ""
    if application.bot_data.dispatch is not None:
        application.bot_data.dispatch.bot_username = me.username or ""
    await set_default_menus(application.bot)


async def _post_shutdown(application: P2K2Application) -> None:
    if application.bot_data.dispatch is not None:
        await application.bot_data.dispatch.close()
