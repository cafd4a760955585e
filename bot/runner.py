"""`p2k2 run`: migrate, then serve updates by long polling or by webhook."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from telegram import Update

from bot.app import build_application, close_bot_api, dispatch_now
from bot.context import P2K2Application
from bot.heap import freeze_startup_objects
from bot.leadership import ErrorCallback, Leadership, Receive
from bot.logs import configure_logging
from config.settings import Settings
from storage import migrate
from storage.db import create_engine

log = logging.getLogger("p2k2")


# What stops the bot, as under PTB's run_polling: Ctrl-C, the service manager, an abort.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)


def run(settings: Settings) -> None:
    # Ask PTB for timedelta retry_after values now rather than on its deprecation schedule.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    token = settings.token
    configure_logging(settings.log_level, token)
    asyncio.run(_migrate(settings.database_url))
    engine = create_engine(settings.database_url)
    application = build_application(settings, engine, dispatch_every=settings.dispatch_interval)
    # The Bot API connections and the database engine are closed on this loop before it
    # closes: PTB leaves the connections open when start-up fails (a rejected token), and the
    # engine's pooled connections belong to the loop that opened them.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(serve(application, _receiver(settings, application), settings))
    finally:
        loop.run_until_complete(close_bot_api(application))
        loop.run_until_complete(engine.dispose())
        loop.close()


def _receiver(settings: Settings, application: P2K2Application) -> Receive:
    """How this instance receives updates once it holds the sender lock."""
    updater = application.updater
    assert updater is not None
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        url = settings.webhook_url.rstrip("/") + "/telegram"

        async def webhook(_: ErrorCallback) -> object:
            log.info("receiving updates with a webhook at %s", settings.webhook_url)
            return await updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path="telegram",
                webhook_url=url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )

        return webhook

    async def polling(on_error: ErrorCallback) -> object:
        log.info("receiving updates by long polling")
        return await updater.start_polling(
            allowed_updates=Update.ALL_TYPES, error_callback=on_error
        )

    return polling


async def serve(application: P2K2Application, receive: Receive, settings: Settings) -> None:
    """Start the application, receive and send while holding the sender lock (a standby
    waits for it), until a stop signal; then stop as PTB's run_polling does.

    Not run_polling or run_webhook: they start receiving at once, and a standby must not."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    leadership = Leadership(application, receive, on_takeover=lambda: dispatch_now(application))
    leading: asyncio.Task[None] | None = None
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        freeze_startup_objects()
        leading = asyncio.create_task(
            leadership.run(settings.standby_interval, stop), name="leadership"
        )
        await stop.wait()
        log.info("stopping")
    finally:
        stop.set()
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        if leading is not None:
            await leading
        # Receiving stops first, then what was received is handled; the lock goes last
        # (post_shutdown), so the next sender starts after this one's last send.
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
