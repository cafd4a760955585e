"""A fake Telegram Bot API server for end-to-end tests of the real PTB Application.

async with FakeTelegram() as fake:
    app = ApplicationBuilder().token("1:T").base_url(fake.base_url)
        .base_file_url(fake.base_file_url).build()
    ana = fake.user(1001, "Ana")
    await fake.send_text(ana, "/start")
    reply = await fake.wait_for_message(ana.id)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Collection
from typing import Any, Self

from aiohttp import web

from .errors import ApiError
from .faults import (
    Clock,
    FaultInjector,
    FaultKind,
    FaultRule,
    FloodLimiter,
    FloodLimits,
    RandomFaults,
)
from .people import UserActions
from .server import FakeServer
from .state import Call, CallbackAnswer, Chat, Edit, SentMessage, Stats, StoredFile, User
from .world import MessagePredicate, World

ChatRef = Chat | User | int

__all__ = [
    "ApiError",
    "Call",
    "CallbackAnswer",
    "Chat",
    "Edit",
    "FakeTelegram",
    "FloodLimits",
    "SentMessage",
    "Stats",
    "StoredFile",
    "User",
]


def chat_id_of(chat: ChatRef) -> int:
    """Tests may name a chat by its object, its user (private chat) or its id."""
    return chat if isinstance(chat, int) else chat.id


class FakeTelegram(UserActions):
    def __init__(
        self,
        bot_username: str = "p2k2_test_bot",
        bot_id: int = 7_000_000_001,
        *,
        flood: FloodLimits | None = None,
        clock: Clock = time.monotonic,
        privacy_mode: bool = True,
        timeout_delay: float = 3.0,
    ) -> None:
        bot = User(bot_id, "P2K2 Test Bot", username=bot_username, language_code=None, is_bot=True)
        self.world = World(bot, clock, privacy_mode)
        self.flood = flood or FloodLimits()
        self.invalid_tokens: set[str] = set()
        self._faults = FaultInjector()
        self._server = FakeServer(
            self.world, self._faults, FloodLimiter(self.flood, clock), lambda: self.invalid_tokens
        )
        self._server.timeout_delay = timeout_delay
        self._runner: web.AppRunner | None = None
        self._port = 0

    # -- lifecycle ------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        # access_log=None: request paths contain the bot token, which must not be logged.
        self._runner = web.AppRunner(self._server.app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        self._server.closing.set()
        await self.world.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._server.internal_errors:
            # The client only saw a 500; surface the fake's own bug in the test instead.
            raise RuntimeError("fake Telegram crashed") from self._server.internal_errors[0]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    @property
    def bot(self) -> User:
        return self.world.bot

    @property
    def privacy_mode(self) -> bool:
        return self.world.privacy_mode

    @privacy_mode.setter
    def privacy_mode(self, value: bool) -> None:
        self.world.privacy_mode = value

    @property
    def strict_ampersand(self) -> bool:
        """True (default): a bare "&" in HTML is an error; Telegram itself is lenient."""
        return self.world.strict_ampersand

    @strict_ampersand.setter
    def strict_ampersand(self, value: bool) -> None:
        self.world.strict_ampersand = value

    # -- observing ------------------------------------------------------------------------

    def messages(self, chat: ChatRef) -> list[SentMessage]:
        """Bot-sent messages in order, deleted ones included (see .deleted)."""
        return list(self.world.sent.get(chat_id_of(chat), []))

    def last_message(self, chat: ChatRef) -> SentMessage | None:
        """The newest bot message that is still visible."""
        visible = [m for m in self.messages(chat) if not m.deleted]
        return visible[-1] if visible else None

    async def wait_for_message(
        self,
        chat: ChatRef,
        predicate: MessagePredicate | None = None,
        timeout: float = 5.0,
    ) -> SentMessage:
        """The next not-yet-returned send or edit in the chat matching predicate.

        Each chat has a read cursor: successive calls walk forward through the bot's
        messages and edits, skipping past everything up to the match. Use mark_read()
        to skip a backlog. Raises AssertionError on timeout.
        """
        return await self.world.wait_for_message(chat_id_of(chat), predicate, timeout)

    def mark_read(self, chat: ChatRef) -> None:
        self.world.mark_read(chat_id_of(chat))

    @property
    def callback_answers(self) -> dict[str, CallbackAnswer]:
        return self.world.callback_answers()

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        """setMyCommands store keyed by (scope as canonical JSON, language_code)."""
        return self.world.commands

    def commands_for(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]] | None:
        key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return self.world.commands.get((key, language_code))

    @property
    def calls(self) -> list[Call]:
        return self._server.calls

    def calls_to(self, method: str, chat: ChatRef | None = None) -> list[Call]:
        wanted = None if chat is None else str(chat_id_of(chat))
        return [
            c
            for c in self.calls
            if c.method == method and (wanted is None or str(c.chat_id) == wanted)
        ]

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
    ) -> Call:
        """Wait until `method` was requested `count` times in total; returns that call."""

        def reached() -> bool:
            return len(self.calls_to(method)) >= count

        async with self.world.changed:
            try:
                await asyncio.wait_for(self.world.changed.wait_for(reached), timeout)
            except TimeoutError:
                raise AssertionError(f"{method} not called {count} times in {timeout}s") from None
        return self.calls_to(method)[count - 1]

    @property
    def stats(self) -> Stats:
        return self._server.stats

    @property
    def files(self) -> dict[str, StoredFile]:
        return self.world.files

    async def wait_idle(
        self,
        quiet: float = 0.05,
        timeout: float = 5.0,
    ) -> None:
        """Wait until every update was fetched, no call is running, and `quiet` s passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        changed = self.world.changed
        async with changed:
            while True:
                remaining = deadline - loop.time()
                try:
                    await asyncio.wait_for(changed.wait_for(self._idle), remaining)
                    await asyncio.wait_for(changed.wait(), quiet)
                except TimeoutError:
                    if self._idle():
                        return
                    if loop.time() >= deadline:
                        raise AssertionError(f"fake Telegram not idle after {timeout}s") from None

    def _idle(self) -> bool:
        return self._server.in_flight == 0 and not self.world.updates.has_unfetched()

    def quiet(self) -> bool:
        """No call is running and every update was handed out and confirmed by the bot's next
        getUpdates, which it makes only after queueing what the last one brought."""
        return self._idle() and not self.world.updates.has_unconfirmed()

    # -- faults ---------------------------------------------------------------------------

    def fail_next(
        self,
        method: str | None = "sendMessage",
        chat_id: int | str | None = None,
        times: int = 1,
        kind: FaultKind = "429",
        retry_after: int = 1,
    ) -> None:
        """The next `times` calls of method (None: any but getUpdates) to chat_id fail."""
        self._faults.add(FaultRule(kind, method, chat_id, times, retry_after))

    def faults(
        self,
        rate_5xx: float = 0.0,
        rate_timeout: float = 0.0,
        seed: int | None = None,
        *,
        rate_429: float = 0.0,
        methods: Collection[str] | None = None,
    ) -> None:
        """Random faults for every later call; faults() with no rates turns them off."""
        self._faults.random = RandomFaults(rate_5xx, rate_timeout, rate_429, methods, seed)

    def hold_replies(self, method: str) -> asyncio.Event:
        """Calls of `method` are carried out (and counted by the flood limits) as they come,
        but their replies wait until the returned event is set: Telegram answering late."""
        return self._server.held.setdefault(method, asyncio.Event())

    def clear_faults(self) -> None:
        self._faults.rules.clear()
        self._faults.random = None

    @property
    def timeout_delay(self) -> float:
        """How long a "timeout" fault delays the reply; set it above the client's read timeout."""
        return self._server.timeout_delay

    @timeout_delay.setter
    def timeout_delay(self, value: float) -> None:
        self._server.timeout_delay = value
