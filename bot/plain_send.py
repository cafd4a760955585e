"""A plain text message to a chat without PTB's Message objects: the dispatcher's most common
send, and on a paid broadcast a thousand a second.

`Bot.send_message` builds request parameters from every optional argument, passes the request
through the rate limiter, and turns Telegram's answer into a `Message` (a `User`, a `Chat` and
every field set through `TelegramObject.__setattr__`), of which the dispatcher keeps only the
message id: in the paid broadcast's profile PTB was a fifth of the process's CPU
(benchmarks/ANALYSIS-paid-2026-12-06.md). Here the same request is posted through the bot's own
transport with PTB's `BaseRequest.post`, so the status and the answer's parameters become the
same exceptions as before (403 Forbidden, 400 BadRequest, 429 RetryAfter, ChatMigrated,
NetworkError, TimedOut), and only `message_id` is read from the answer.

The rate limiter stays in the path of a free send (30 a second overall, 20 a minute a group). A
paid send skips it: for `allow_paid_broadcast` AIORateLimiter applies only its 1,000-a-second
bucket, and the dispatcher's pacer already keeps under that (950 in any second); the message is
still noted in its chat, so that an edit there waits its second (bot/rate_limits.py)."""

from __future__ import annotations

from typing import Any

from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.rate_limits import FloodAwareRateLimiter
from bot.telegram_screen import markup as telegram_markup
from views.keyboards import Keyboard

ENDPOINT = "sendMessage"


class PlainSender:
    """`await sender(chat_id, text, markup, paid=..., timeout=...)`: the sent message's id."""

    def __init__(self, bot: ExtBot[Any]) -> None:
        self.bot = bot

    async def __call__(
        self,
        chat_id: int,
        text: str,
        markup: Keyboard | None,
        *,
        paid: bool,
        timeout: float,
    ) -> int:
        # The parameters Bot.send_message sends for these arguments (None values dropped).
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML.value,
        }
        keyboard = telegram_markup(markup)
        if keyboard is not None:
            data["reply_markup"] = keyboard.to_dict()
        if paid:
            data["allow_paid_broadcast"] = True
        limiter = self.bot.rate_limiter
        if paid and isinstance(limiter, FloodAwareRateLimiter):
            result = await limiter.paid_message(chat_id, lambda: self._post(data, timeout))
        elif limiter is not None:
            result = await limiter.process_request(
                callback=self._post,
                args=(data, timeout),
                kwargs={},
                endpoint=ENDPOINT,
                data=data,
                rate_limit_args=None,
            )
        else:
            result = await self._post(data, timeout)
        if not isinstance(result, dict):
            raise TypeError(f"sendMessage answered {result!r}, not a message")
        return int(result["message_id"])

    async def _post(self, data: dict[str, Any], timeout: float) -> Any:
        request = RequestData([RequestParameter(name, value, None) for name, value in data.items()])
        return await self.bot.request.post(
            f"{self.bot.base_url}/{ENDPOINT}",
            request_data=request,
            read_timeout=timeout,
            write_timeout=timeout,
        )
