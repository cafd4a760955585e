"""The web page and its small JSON API; the page long-polls /api/state for changes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from content.texts import LANGUAGES, catalogue
from simulator.render import state as page_state
from simulator.simulation import Config, Simulation, SimulatorError, TimeMove

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
MAX_UPLOAD = 20 * 1024 * 1024
LONG_POLL = 20.0  # seconds a /api/state request waits for something to change
STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
# Cross-site pages cannot send custom headers without a CORS preflight, which we never allow.
GUARD_HEADER = "X-Simulator"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Host:
    """Owns the current simulation; "reset" replaces it while the page keeps polling.

    Page actions run side by side; a reset waits for them to finish and holds new ones back
    until the fresh simulation is running."""

    def __init__(self, config: Config, language: str = "id") -> None:
        self.config = config
        self.language = language
        self.version = 0
        self.generation = 0  # how many times the demo was started; the page forgets on change
        self._changed = asyncio.Event()
        self._sim: Simulation | None = None
        self._gate = asyncio.Condition()
        self._running = 0  # actions in progress
        self._replacing = False

    @property
    def sim(self) -> Simulation:
        """The running simulation (between page actions; tests and tools look at it)."""
        assert self._sim is not None, "simulation not running"
        return self._sim

    def bump(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_change(self, since: int, timeout: float) -> None:
        if self.version != since:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    @contextlib.asynccontextmanager
    async def using(self) -> AsyncIterator[Simulation]:
        """The current simulation, kept alive for the duration of one page action."""
        async with self._gate:
            await self._gate.wait_for(lambda: not self._replacing and self._sim is not None)
            self._running += 1
            sim = self._sim
        assert sim is not None
        try:
            yield sim
        finally:
            async with self._gate:
                self._running -= 1
                self._gate.notify_all()

    async def start(self) -> None:
        sim = Simulation(self.config, self.language, self.bump)
        try:
            await sim.start()
        except BaseException:
            await sim.stop()
            raise
        async with self._gate:
            self._sim = sim
            self.generation += 1
            self._gate.notify_all()
        self.bump()

    async def stop(self) -> None:
        async with self._gate:
            sim, self._sim = self._sim, None
        if sim is not None:
            await sim.stop()

    async def reset(self) -> None:
        async with self._gate:
            await self._gate.wait_for(lambda: not self._replacing)
            self._replacing = True
            await self._gate.wait_for(lambda: self._running == 0)
        try:
            await self.stop()
            await self.start()
        finally:
            async with self._gate:
                self._replacing = False
                self._gate.notify_all()


HOST = web.AppKey("host", Host)


def texts() -> dict[str, dict[str, str]]:
    """The page's own labels, from content/texts/<lang>/simulator.yaml."""
    prefix = "simulator."
    return {
        lang: {k[len(prefix) :]: v for k, v in catalogue(lang).items() if k.startswith(prefix)}
        for lang in LANGUAGES
    }


def create_app(host: Host) -> web.Application:
    app = web.Application(client_max_size=MAX_UPLOAD + 64 * 1024, middlewares=[guard])
    app[HOST] = host
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC, append_version=False)
    app.router.add_get("/api/texts", get_texts)
    app.router.add_get("/api/state", get_state)
    app.router.add_get("/api/file/{file_id}", get_file)
    app.router.add_post("/api/send", action(send))
    app.router.add_post("/api/upload", action(upload))
    app.router.add_post("/api/press", action(press))
    app.router.add_post("/api/vote", action(vote))
    app.router.add_post("/api/link", action(open_link))
    app.router.add_post("/api/time", action(move_time))
    app.router.add_post("/api/language", set_language)
    app.router.add_post("/api/reset", reset)
    return app


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method == "POST" and request.headers.get(GUARD_HEADER) != "1":
        return web.json_response({"error": "forbidden"}, status=403)
    response = await handler(request)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def host_of(request: web.Request) -> Host:
    return request.app[HOST]


def action(handler: Callable[[web.Request, Simulation], Awaitable[Any]]) -> Handler:
    """Runs a page action; a SimulatorError becomes {"error": key} for the page to explain."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        host = host_of(request)
        try:
            async with host.using() as sim:
                result = await handler(request, sim)
        except SimulatorError as error:
            return web.json_response({"error": error.key}, status=400)
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "bad_request"}, status=400)
        return web.json_response({"ok": True, **(result or {})})

    return wrapped


async def body(request: web.Request) -> dict[str, Any]:
    data = await request.json()
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


async def index(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html")


async def get_texts(request: web.Request) -> web.StreamResponse:
    return web.json_response(texts())


async def get_state(request: web.Request) -> web.StreamResponse:
    host = host_of(request)
    try:
        since = int(request.query.get("since", "-1"))
    except ValueError:
        since = -1
    await host.wait_change(since, LONG_POLL if request.query.get("wait") else 0.0)
    async with host.using() as sim:
        return web.json_response(page_state(sim, host.version, host.generation))


async def get_file(request: web.Request) -> web.StreamResponse:
    async with host_of(request).using() as sim:
        found = sim.file(request.match_info["file_id"])
    if found is None:
        raise web.HTTPNotFound()
    content, mime, filename = found
    response = web.Response(body=content, content_type=mime)
    if filename and not mime.startswith("image/"):
        response.headers["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        )
    return response


async def send(request: web.Request, sim: Simulation) -> None:
    data = await body(request)
    await sim.send_text(
        str(data["person"]),
        int(data["chat"]),
        str(data["text"]),
        optional_int(data.get("reply_to")),
    )


async def upload(request: web.Request, sim: Simulation) -> None:
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise SimulatorError("empty_file")
    content = upload.file.read()
    caption = form.get("caption")
    await sim.send_file(
        str(form["person"]),
        int(str(form["chat"])),
        upload.filename,
        content,
        upload.content_type,
        caption if isinstance(caption, str) else None,
    )


async def press(request: web.Request, sim: Simulation) -> dict[str, Any]:
    data = await body(request)
    answer = await sim.press(
        str(data["person"]), int(data["chat"]), int(data["message"]), str(data["data"])
    )
    return {"answer": answer}


async def vote(request: web.Request, sim: Simulation) -> None:
    data = await body(request)
    await sim.vote(
        str(data["person"]), int(data["chat"]), int(data["message"]), int(data["option"])
    )


async def open_link(request: web.Request, sim: Simulation) -> dict[str, Any]:
    data = await body(request)
    return {"chat": await sim.open_link(str(data["person"]), str(data["url"]))}


async def move_time(request: web.Request, sim: Simulation) -> dict[str, Any]:
    data = await body(request)
    step = str(data["step"])
    move: TimeMove
    if step == "next":
        move = await sim.next_due()
    elif step in STEPS:
        move = await sim.advance(STEPS[step])
    else:
        raise SimulatorError("bad_request")
    return {"sent": move.sent, "nothing_due": move.nothing_due}


async def set_language(request: web.Request) -> web.StreamResponse:
    host = host_of(request)
    try:
        language = str((await body(request))["language"])
    except (ValueError, KeyError):
        language = ""
    if language not in LANGUAGES:
        return web.json_response({"error": "bad_request"}, status=400)
    host.language = language  # a reset keeps the chosen language
    async with host.using() as sim:
        await sim.set_language(language)
    return web.json_response({"ok": True})


async def reset(request: web.Request) -> web.StreamResponse:
    await host_of(request).reset()
    return web.json_response({"ok": True})
