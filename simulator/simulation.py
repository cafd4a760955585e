"""One simulated world: the Bot API emulator, the real bot pointed at it, the demo, the clock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.app import build_application
from bot.context import P2K2Application
from config.settings import Settings, load_settings
from simulator.demo import CAST, Demo, forget_setup_deliveries, seed
from simulator.emulator import CallbackAnswer, Chat, FakeTelegram, SentMessage, User
from storage import deliveries, migrate, people
from storage.db import SessionFactory, create_engine, session_factory
from timekeeping.clock import ManualClock

log = logging.getLogger(__name__)

# Not a real token: the bot only ever talks to the emulator in this process.
SIMULATOR_TOKEN = "0:FAKE-simulator-token"
BOT_USERNAME = "p2k2_demo_bot"
BOT_ID = 7_000_000_777
MAX_TEXT = 4096
MAX_STEPS = 1000  # due deliveries walked through in one move of the clock
ANSWER_WAIT = 5.0  # seconds to wait for the bot to answer a button press


class SimulatorError(Exception):
    """Something the page asked for cannot be done; `key` names a text under simulator.errors."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Config:
    database_path: Path = Path("data/simulator.sqlite3")
    real_time: bool = True  # the clock also moves with the wall clock between jumps
    tick_every: float = 1.0  # seconds between dispatcher ticks in real time
    env_file: Path | None = Path(".env")

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.database_path}"


@dataclass
class TimeMove:
    sent: int = 0  # messages the dispatcher sent while the clock moved
    nothing_due: bool = False


class Simulation:
    def __init__(self, config: Config, language: str, on_change: Callable[[], None]) -> None:
        self.config = config
        self.language = language
        self.on_change = on_change
        self.clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0))
        self.fake = FakeTelegram(bot_username=BOT_USERNAME, bot_id=BOT_ID)
        # The name people see in their chat list.
        self.fake.world.bot = User(
            BOT_ID, "P2K2", username=BOT_USERNAME, language_code=None, is_bot=True
        )
        # Telegram accepts a bare "&" in HTML; the simulator must not be stricter.
        self.fake.strict_ampersand = False
        self.app: P2K2Application | None = None
        # When each message appeared, in simulated time: (chat id, message id) -> moment.
        self.stamps: dict[tuple[int, int], datetime] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._tick_lock = asyncio.Lock()
        self._seen_events = 0
        self._settings: Settings | None = None
        self._engine: AsyncEngine | None = None
        self._db: SessionFactory | None = None
        self._demo: Demo | None = None

    @property
    def settings(self) -> Settings:
        assert self._settings is not None, "not started"
        return self._settings

    @property
    def db(self) -> SessionFactory:
        assert self._db is not None, "not started"
        return self._db

    @property
    def demo(self) -> Demo:
        assert self._demo is not None, "not started"
        return self._demo

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """A fresh demo: a new database file, a new emulator, the bot polling it."""
        await self.fake.start()
        remove_database(self.config.database_path)
        self._settings = settings = load_settings(
            env_file=self.config.env_file,
            TELEGRAM_BOT_TOKEN=SIMULATOR_TOKEN,
            TELEGRAM_API_BASE_URL=self.fake.base_url,
            TELEGRAM_API_FILE_URL=self.fake.base_file_url,
            DATABASE_URL=self.config.database_url,
            P2K2_LANGUAGE=self.language,
            P2K2_ADMIN_IDS="",
            P2K2_WEBHOOK_URL="",
        )
        self._engine = engine = create_engine(settings.database_url)
        await migrate.upgrade(engine)
        self._db = session_factory(engine, settings.send_rules)
        self._demo = await seed(self._db, self.fake, settings, self.clock.now())
        # The demo starts with empty chats: what setting it up queued (the facilitator's
        # notes that people joined) belongs to its made-up past.
        await forget_setup_deliveries(self._db)
        self.app = build_application(settings, engine, self.clock)
        await self.app.initialize()
        if self.app.post_init is not None:  # run_polling would call it; we drive the steps
            await self.app.post_init(self.app)
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES
        )
        self._tasks = [
            asyncio.create_task(self._watch(), name="simulator-watch"),
            asyncio.create_task(self._real_time(), name="simulator-ticks"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        app, self.app = self.app, None
        if app is not None:
            assert app.updater is not None
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
            # post_shutdown only runs under run_polling(): release the sender lock here.
            if app.bot_data.dispatch is not None:
                await app.bot_data.dispatch.close()
        await self.fake.close()
        if self._engine is not None:
            await self._engine.dispose()

    async def _watch(self) -> None:
        """Stamp each new bot message with the simulated time it appeared, and tell the page."""
        world = self.fake.world
        while True:
            async with world.changed:
                await world.changed.wait()
            if len(world.events) == self._seen_events:
                continue
            now = self.clock.now()
            for event in world.events[self._seen_events :]:
                key = (event.message.chat_id, event.message.message_id)
                self.stamps.setdefault(key, now)
            self._seen_events = len(world.events)
            self.on_change()

    async def _real_time(self) -> None:
        """Every second: the clock moves with the wall clock and due deliveries go out."""
        last = time.monotonic()
        shown = self.clock.now().replace(second=0, microsecond=0)
        while True:
            await asyncio.sleep(self.config.tick_every)
            async with self._tick_lock:
                current = time.monotonic()
                if self.config.real_time:
                    self.clock.advance(timedelta(seconds=current - last))
                last = current
                try:
                    await self._tick()
                except Exception:  # keep ticking: one bad delivery must not stop the demo
                    log.exception("dispatcher tick failed")
            minute = self.clock.now().replace(second=0, microsecond=0)
            if minute != shown:  # the page shows minutes; new messages announce themselves
                shown = minute
                self.on_change()

    async def _tick(self) -> int:
        assert self.app is not None and self.app.bot_data.dispatch is not None
        report = await self.app.bot_data.dispatch.run_once()
        return report.outcomes["sent"] if report is not None else 0

    # -- time -------------------------------------------------------------------------------

    async def advance(self, delta: timedelta) -> TimeMove:
        """Move the clock forward, stopping at every due delivery on the way so each one is
        sent at its own time, in order."""
        async with self._tick_lock:
            target = self.clock.now() + delta
            move = TimeMove()
            for _ in range(MAX_STEPS):
                due = await deliveries.next_due_at(self.db)
                if due is None or due > target:
                    break
                self.clock.set(max(due, self.clock.now()))
                move.sent += await self._tick()
                after = await deliveries.next_due_at(self.db)
                if after is not None and after <= due:
                    break  # nothing moved (a delivery could not be claimed): stop stepping
            self.clock.set(max(target, self.clock.now()))
            move.sent += await self._tick()
        self.on_change()
        return move

    async def next_due(self) -> TimeMove:
        """Jump to the next pending delivery and send it (and whatever is due with it)."""
        async with self._tick_lock:
            due = await deliveries.next_due_at(self.db)
            if due is None:
                return TimeMove(nothing_due=True)
            if due > self.clock.now():
                self.clock.set(due)
            move = TimeMove(sent=await self._tick())
        self.on_change()
        return move

    # -- language ---------------------------------------------------------------------------

    async def set_language(self, language: str) -> None:
        """The page's language is also every demo person's and the group chat's language."""
        self.language = language
        self.settings.language = language
        for role in CAST:
            await people.set_language(self.db, self.demo.person_ids[role.key], language)
            user = self.demo.users[role.key]
            self.demo.users[role.key] = self.fake.user(
                user.id, user.first_name, user.last_name, user.username, language
            )
        self.on_change()

    # -- what people do ---------------------------------------------------------------------

    def person(self, key: str) -> User:
        user = self.demo.users.get(key)
        if user is None:
            raise SimulatorError("unknown_person")
        return user

    def chats_of(self, key: str) -> list[Chat]:
        """The chats on this person's phone: their chat with the bot, then their groups."""
        user = self.person(key)
        chats = [self.fake.private_chat(user)]
        for chat in self.fake.world.chats.values():
            if chat.is_group and chat.members.get(user.id) in (
                "creator",
                "administrator",
                "member",
            ):
                chats.append(chat)
        return chats

    def chat_of(self, key: str, chat_id: int) -> tuple[User, Chat]:
        user = self.person(key)
        for chat in self.chats_of(key):
            if chat.id == chat_id:
                return user, chat
        raise SimulatorError("unknown_chat")

    def _stamp_user_message(self, message: dict[str, Any]) -> None:
        self.stamps[(message["chat"]["id"], message["message_id"])] = self.clock.now()
        self.on_change()

    def _reply_target(self, chat: Chat, reply_to: int | None) -> int | None:
        if reply_to is None:
            return None
        if not self.fake.world.message_exists(chat.id, reply_to):
            raise SimulatorError("unknown_message")
        return reply_to

    async def send_text(self, key: str, chat_id: int, text: str, reply_to: int | None) -> None:
        user, chat = self.chat_of(key, chat_id)
        text = text.strip()
        if not text:
            raise SimulatorError("empty_text")
        if len(text) > MAX_TEXT:
            raise SimulatorError("text_too_long")
        target = self._reply_target(chat, reply_to)
        message = await self.fake.send_text(user, text, chat, reply_to=target)
        self._stamp_user_message(message)

    async def send_file(
        self,
        key: str,
        chat_id: int,
        filename: str,
        content: bytes,
        mime_type: str,
        caption: str | None,
    ) -> None:
        user, chat = self.chat_of(key, chat_id)
        if not content:
            raise SimulatorError("empty_file")
        caption = (caption or "").strip() or None
        if mime_type in ("image/jpeg", "image/png", "image/webp", "image/gif"):
            message = await self.fake.send_photo(user, content, chat, caption)
        else:
            message = await self.fake.send_document(
                user,
                filename or "file",
                content,
                mime_type or "application/octet-stream",
                chat,
                caption,
            )
        self._stamp_user_message(message)

    def _bot_message(self, chat: Chat, message_id: int) -> SentMessage:
        message = self.fake.world.bot_message(chat.id, message_id)
        if message is None:
            raise SimulatorError("unknown_message")
        return message

    async def press(
        self, key: str, chat_id: int, message_id: int, data: str
    ) -> dict[str, Any] | None:
        """Tap an inline button; returns the bot's answer (a toast or an alert), if any."""
        user, chat = self.chat_of(key, chat_id)
        message = self._bot_message(chat, message_id)
        if not any(d == data for _, d in message.buttons):
            raise SimulatorError("unknown_button")
        query_id = await self.fake.press(user, message, data)
        answer = await self._answer_of(query_id)
        if answer is None or not answer.text:
            return None
        return {"text": answer.text, "show_alert": answer.show_alert}

    async def _answer_of(self, query_id: str) -> CallbackAnswer | None:
        world = self.fake.world
        pending = world.callbacks[query_id]
        async with world.changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    world.changed.wait_for(lambda: pending.answer is not None), ANSWER_WAIT
                )
        return pending.answer

    async def vote(self, key: str, chat_id: int, message_id: int, option: int) -> None:
        user, chat = self.chat_of(key, chat_id)
        message = self._bot_message(chat, message_id)
        poll = message.poll
        if poll is None or poll["is_closed"]:
            raise SimulatorError("poll_closed")
        if not 0 <= option < len(poll["options"]):
            raise SimulatorError("unknown_option")
        votes = self.fake.world.poll_votes.get(poll["id"], {})
        if user.id in votes and not poll.get("allows_revoting", True):
            raise SimulatorError("already_voted")
        await self.fake.answer_poll(user, message, [option])
        self.on_change()

    async def open_link(self, key: str, url: str) -> int | None:
        """A t.me link to the bot, as a phone opens it; returns the chat it opened."""
        user = self.person(key)
        prefix = f"https://t.me/{BOT_USERNAME}"
        if not url.startswith(prefix):
            raise SimulatorError("unknown_link")
        rest = url[len(prefix) :]
        if rest.startswith("?start="):
            message = await self.fake.send_text(user, f"/start {rest[len('?start=') :]}")
            self._stamp_user_message(message)
            return user.id
        if rest.startswith("?startgroup="):
            # Telegram asks which group to add the bot to; the demo has its one group chat.
            chat = self.demo.group_chat
            chat.members.setdefault(user.id, "member")
            text = f"/start@{BOT_USERNAME} {rest[len('?startgroup=') :]}"
            message = await self.fake.send_text(user, text, chat)
            self._stamp_user_message(message)
            return chat.id
        message = await self.fake.send_text(user, "/start")
        self._stamp_user_message(message)
        return user.id

    def file(self, file_id: str) -> tuple[bytes, str, str | None] | None:
        stored = self.fake.world.files.get(file_id.removesuffix("_s"))
        if stored is None or stored.content is None:
            return None
        return stored.content, stored.mime_type or "application/octet-stream", stored.filename


def remove_database(path: Path) -> None:
    """The demo database and SQLite's companions (WAL, shared memory, the sender lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for candidate in path.parent.glob(path.name + "*"):
        candidate.unlink(missing_ok=True)
