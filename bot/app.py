"""Build the telegram Application: settings, storage, handlers in one ordered list."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.errors import on_error
from bot.rate_limits import FloodAwareRateLimiter, Sleep
from bot.update_order import PerSenderUpdateProcessor
from config.settings import Settings
from dispatch.service import DispatchService
from handlers import (
    complaints,
    group_chat,
    groups,
    input,
    menu,
    my_group,
    onboarding,
    roster,
    staff,
    unexpected,
)
from handlers.context import BotContext, BotData, P2K2Application
from storage.db import SessionFactory, session_factory
from timekeeping.clock import Clock, SystemClock
from views.commands import set_default_menus

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS


def button(action: str, callback: Any) -> CallbackQueryHandler[BotContext, None]:
    """A handler for callback data `action` or `action:<args>`."""
    return CallbackQueryHandler(callback, pattern=rf"^{action}(:|$)")


def handler_list() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        # Service messages first: a migration must be followed before anything else.
        MessageHandler(filters.StatusUpdate.MIGRATE, group_chat.chat_migrated),
        ChatMemberHandler(group_chat.bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        # In group chats only the binding commands and /help are answered.
        CommandHandler("start", group_chat.start_in_group, filters=GROUPS),
        CommandHandler("hubungkan", group_chat.bind_command),
        button("bind", group_chat.bind_pressed),
        # Everyone.
        CommandHandler("start", onboarding.start, filters=PRIVATE),
        CommandHandler(["help", "bantuan"], menu.show_help),
        CommandHandler("bahasa", menu.choose_language),
        CommandHandler(["batal", "cancel"], menu.cancel),
        CommandHandler("kelompok_saya", my_group.show_my_groups),
        button("mn", menu.show_menu),
        button("hp", menu.show_help),
        button("lg", menu.choose_language),
        button("lang", menu.set_language),
        button("x", menu.cancel),
        button("mg", my_group.show_my_groups),
        button("prm", my_group.toggle_private_reminders),
        button("jpg", onboarding.join_page),
        button("jp", onboarding.join_pick),
        button("jn", onboarding.join_not_listed),
        # Facilitators and coordinators.
        CommandHandler("kelompok", groups.list_groups),
        CommandHandler("buat_kelompok", groups.new_group),
        button("gs", groups.list_groups),
        button("gn", groups.new_group),
        button("sk", groups.skip_group_field),
        button("gsv", groups.save_group),
        button("g", groups.show_group),
        button("gl", groups.show_links),
        button("grn", groups.ask_renew_links),
        button("grny", groups.renew_links),
        button("ros", roster.show_roster),
        button("gch", roster.pick_chair),
        button("mc", roster.make_chair),
        button("m", roster.show_member),
        button("mr", roster.ask_rename),
        button("md", roster.deactivate),
        button("ma", roster.activate),
        button("mm", roster.ask_move),
        button("mmt", roster.move),
        button("gi", roster.ask_file),
        button("rft", roster.file_target),
        # A member's document belongs to their complaint; staff documents fall through to
        # the roster import inside the complaints handler.
        MessageHandler(PRIVATE & filters.Document.ALL, complaints.attachment_received),
        # Coordinators.
        CommandHandler("undang", staff.invite_facilitator),
        CommandHandler("pendamping", staff.list_facilitators),
        button("fi", staff.invite_facilitator),
        button("fl", staff.list_facilitators),
        # Each feature module lists its own handlers.
        *feature_handlers(),
        # Last: whatever nothing above claimed.
        MessageHandler(PRIVATE & filters.COMMAND, menu.unknown_command),
        MessageHandler(PRIVATE & filters.TEXT, input.text_received),
        MessageHandler(PRIVATE & ~filters.StatusUpdate.ALL, unexpected.other_received),
        CallbackQueryHandler(menu.stale_button),
    ]


def feature_handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    from handlers import registry

    return registry.all_handlers()


def bot_data_type(settings: Settings, db: SessionFactory, clock: Clock) -> type[BotData]:
    class BoundBotData(BotData):
        def __init__(self) -> None:
            super().__init__(settings=settings, db=db, clock=clock)

    return BoundBotData


def build_application(
    settings: Settings,
    engine: AsyncEngine,
    clock: Clock | None = None,
    *,
    dispatch_every: float | None = None,
    flood_sleep: Sleep | None = None,
) -> P2K2Application:
    """The application; with `dispatch_every` (seconds) the dispatcher job runs by itself.

    Tests leave it off and tick the dispatcher themselves, with the clock in their hands."""
    clock = clock or SystemClock()
    db = session_factory(engine)
    context_types = ContextTypes(context=BotContext, bot_data=bot_data_type(settings, db, clock))
    application: P2K2Application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(context_types)
        .rate_limiter(FloodAwareRateLimiter(sleep=flood_sleep))
        # Different people's updates at once, each person's in order (see bot/update_order).
        .concurrent_updates(PerSenderUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    # On 429 a direct answer waits and is sent again; the dispatcher reschedules in the
    # database instead of sleeping (bot/rate_limits.py).
    application.add_handlers(handler_list())
    application.add_error_handler(on_error)
    application.bot_data.dispatch = DispatchService(engine, db, application.bot, clock, settings)
    if dispatch_every is not None:
        assert application.job_queue is not None
        application.job_queue.run_repeating(
            _dispatch_job, interval=dispatch_every, first=1.0, name="dispatcher"
        )
    return application


async def _dispatch_job(context: BotContext) -> None:
    service = context.bot_data.dispatch
    assert service is not None
    await service.run_once()


async def _post_init(application: P2K2Application) -> None:
    me = await application.bot.get_me()
    application.bot_data.bot_username = me.username or ""
    if application.bot_data.dispatch is not None:
        application.bot_data.dispatch.bot_username = me.username or ""
    await set_default_menus(application.bot)


async def _post_shutdown(application: P2K2Application) -> None:
    if application.bot_data.dispatch is not None:
        await application.bot_data.dispatch.close()
