"""`p2k2 run`: migrate, then serve updates by long polling or by webhook."""

from __future__ import annotations

import asyncio
import logging
import os

from telegram import Update

from bot.app import build_application, close_bot_api
from bot.logs import configure_logging
from config.settings import Settings
from handlers.context import P2K2Application
from storage import migrate
from storage.db import create_engine

log = logging.getLogger("p2k2")


def run(settings: Settings) -> None:
    # Ask PTB for timedelta retry_after values now rather than on its deprecation schedule.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    token = settings.token
    configure_logging(settings.log_level, token)
    asyncio.run(_migrate(settings.database_url))
    engine = create_engine(settings.database_url)
    application = build_application(settings, engine, dispatch_every=settings.dispatch_interval)
    # PTB's run_* run the loop; the engine is disposed by the loop's shutdown. The loop is
    # closed here, after the Bot API connections: when start-up fails (a rejected token),
    # PTB leaves them open.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        _serve(settings, application)
    finally:
        loop.run_until_complete(close_bot_api(application))
        loop.close()


def _serve(settings: Settings, application: P2K2Application) -> None:
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        log.info("starting with a webhook at %s", settings.webhook_url)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url.rstrip("/") + "/telegram",
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
            close_loop=False,
        )
    else:
        log.info("starting with long polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False)


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
