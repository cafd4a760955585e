"""The Bot API's HTTP transport on aiohttp instead of httpx.

Many requests at once (a burst of presses answered, the dispatcher's sends) are what this bot
does. httpx's connection pool checks every idle connection on every request, and builds the
socket's attributes anew for each check: with a few dozen connections that was a third of the
CPU a press took (benchmarks/RESULTS.md, "Burst of RSVP presses"). aiohttp's pool hands out a
connection in constant time. The behaviour PTB expects of a transport is kept: the same
timeouts (connect, read, write for uploads, waiting for a free connection), TimedOut for a
timeout, NetworkError for any other failure of the connection, the status and body otherwise.
Requests without files go as a JSON body, uploads as multipart form data."""

from __future__ import annotations

import json

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# As python-telegram-bot's own default for the requests a bot makes besides getUpdates.
BOT_API_CONNECTIONS = 256
JSON_HEADERS = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """A BaseRequest for python-telegram-bot on one aiohttp ClientSession."""

    __slots__ = ("_defaults", "_limit", "_media_write_timeout", "_session")

    def __init__(
        self,
        connection_pool_size: int = BOT_API_CONNECTIONS,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._limit = connection_pool_size
        self._defaults = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._defaults[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit, limit_per_host=self._limit),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read, write, connect, pool = (
            default if isinstance(given, DefaultValue) else given
            for given, default in zip(
                (read_timeout, write_timeout, connect_timeout, pool_timeout),
                self._defaults,
                strict=True,
            )
        )
        if files and isinstance(write_timeout, DefaultValue):
            write = self._media_write_timeout
        # aiohttp has no write timeout of its own: the whole request is bounded by the sum of
        # the allowances instead, and the wait for the answer by the read timeout.
        timeout = aiohttp.ClientTimeout(
            total=_sum(pool, connect, write, read),
            connect=_sum(pool, connect),
            sock_connect=connect,
            sock_read=read,
        )
        body: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] | None = None
        if files:
            # Names as written, like httpx and browsers send them (Telegram keeps the name).
            form = aiohttp.FormData(quote_fields=False)
            for name, value in (request_data.json_parameters if request_data else {}).items():
                form.add_field(name, value)
            for name, (filename, content, mime) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime)
            body = form
        elif request_data is not None:
            # A JSON body, which the Bot API takes as well as a form: urlencoding a form (and
            # its payload objects) was aiohttp's largest cost a message on a paid broadcast
            # (benchmarks/ANALYSIS-paid-2026-12-06.md). The values are the native ones, not
            # PTB's form strings.
            body = json.dumps(request_data.parameters).encode()
            headers = JSON_HEADERS
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as reply:
                return reply.status, await reply.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _sum(*allowances: float | None) -> float | None:
    """None (no limit) when any part has none."""
    if any(a is None for a in allowances):
        return None
    return sum(a for a in allowances if a is not None)
