"""The aiohttp application: request decoding, faults, flood control, replies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web

# Importing the method modules registers their methods (registry.api_method); each is named
# as a module so that nothing in the package imports the package itself.
import simulator.emulator.api_bot
import simulator.emulator.api_chats
import simulator.emulator.api_media
import simulator.emulator.api_messages  # noqa: F401

from .errors import INTERNAL, NOT_FOUND, UNAUTHORIZED, ApiError, forbidden, too_many_requests
from .faults import FaultInjector, FaultRule, FloodLimiter
from .params import Params, Upload
from .registry import Handler, lookup
from .state import Call, Stats
from .world import World

BAD_GATEWAY_HTML = "<html><head><title>502 Bad Gateway</title></head></html>"


def reply(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


def error_reply(error: ApiError) -> web.Response:
    return reply(error.to_api(), error.code)


async def read_params(request: web.Request) -> Params:
    """Query string, JSON body, urlencoded form or multipart: Telegram takes them all."""
    params = Params(values=dict(request.query))
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        params.values.update(body if isinstance(body, dict) else {})
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            content = value.file.read()
            params.uploads[name] = Upload(value.filename, content, value.content_type)
        else:
            params.values[name] = value
    return params


class FakeServer:
    """Owns routing and the cross-cutting concerns around each Bot API call."""

    def __init__(
        self,
        world: World,
        faults: FaultInjector,
        limiter: FloodLimiter,
        invalid_tokens: Callable[[], set[str]],
    ) -> None:
        self.world = world
        self.faults = faults
        self.limiter = limiter
        self.invalid_tokens = invalid_tokens
        self.calls: list[Call] = []
        self.internal_errors: list[Exception] = []
        self.stats = Stats()
        self.timeout_delay = 3.0  # how long a "timeout" fault holds the finished response
        self.in_flight = 0
        self.closing = asyncio.Event()
        self.held: dict[str, asyncio.Event] = {}  # method -> replies wait until it is set

    def app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self.handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        return app

    async def handle_api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] in self.invalid_tokens():
            return error_reply(UNAUTHORIZED)
        found = lookup(request.match_info["method"])
        if found is None:
            return error_reply(NOT_FOUND)
        name, handler = found
        params = await read_params(request)
        call = self._log_call(name, params)
        await self.world.notify()  # lets tests wait for "the bot has called X"
        # A held long poll is the normal resting state, so it does not count as busy.
        busy = 0 if name == "getUpdates" else 1
        self.in_flight += busy
        try:
            response = await self._run(request, name, handler, params)
            if (held := self.held.get(name)) is not None:
                await held.wait()
        finally:
            self.in_flight -= busy
            await self.world.notify()
        call.status = response.status
        self.stats.statuses[response.status] += 1
        if name == "getUpdates" and response.status == 409 and _connected(request):
            # A poll the client abandoned (PTB cancels its long poll when it stops) gets its
            # 409 nowhere; only one a client still waits for is two pollers fighting.
            self.world.updates.conflicts += 1
        return response

    def _log_call(self, name: str, params: Params) -> Call:
        chat_id = params.values.get("chat_id")
        call = Call(name, params.loggable(), self.world.clock(), chat_id)
        self.calls.append(call)
        self.stats.requests[name] += 1
        return call

    async def _run(
        self, request: web.Request, name: str, handler: Handler, params: Params
    ) -> web.StreamResponse:
        chat_id = params.values.get("chat_id")
        fault = self.faults.take(name, chat_id)
        if fault is not None:
            self.stats.injected[fault.kind] += 1
            early = await self._fault_reply(request, fault)
            if early is not None:
                return early
        try:
            self._check_flood(name, chat_id, _is_true(params.values.get("allow_paid_broadcast")))
            response = reply({"ok": True, "result": await handler(self.world, params)})
        except ApiError as error:
            response = error_reply(error)
        except Exception as error:  # a bug in the fake: keep it for close() to re-raise
            self.internal_errors.append(error)
            response = error_reply(INTERNAL)
        if fault is not None and fault.kind == "timeout":
            # The action happened; only the reply is late, so the client times out.
            await self._pause(self.timeout_delay)
        return response

    def _check_flood(self, name: str, chat_id: Any, paid: bool = False) -> None:
        if not self.limiter.counts(name):
            return
        chat = self.world.chats.get(_as_int(chat_id)) if chat_id is not None else None
        retry_after = self.limiter.check(str(chat_id), bool(chat and chat.is_group), paid=paid)
        if retry_after is not None:
            self.stats.flood_429 += 1
            raise too_many_requests(retry_after)

    async def _fault_reply(
        self, request: web.Request, fault: FaultRule
    ) -> web.StreamResponse | None:
        if fault.kind == "429":
            return error_reply(too_many_requests(fault.retry_after))
        if fault.kind == "500":
            return error_reply(INTERNAL)
        if fault.kind == "502":
            return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
        if fault.kind == "403_blocked":
            return error_reply(forbidden("bot was blocked by the user"))
        if fault.kind == "403_kicked":
            return error_reply(forbidden("bot was kicked from the group chat"))
        if fault.kind == "network":
            # Drop the connection without any reply, as a reset or proxy failure would.
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=599)
        return None  # "timeout" runs the method, then delays the reply

    async def _pause(self, seconds: float) -> None:
        """Sleep that ends early when the server shuts down, so teardown stays fast."""
        try:
            await asyncio.wait_for(self.closing.wait(), seconds)
        except TimeoutError:
            pass

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] in self.invalid_tokens():
            return error_reply(UNAUTHORIZED)
        path = request.match_info["path"]
        for stored in self.world.files.values():
            if stored.file_path == path and stored.content is not None:
                return web.Response(
                    body=stored.content,
                    content_type=stored.mime_type or "application/octet-stream",
                )
        return error_reply(NOT_FOUND)


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _connected(request: web.Request) -> bool:
    transport = request.transport
    return transport is not None and not transport.is_closing()
