"""What every handler shares: who is asking, may they, and how to answer them."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler

from content.texts import t
from handlers.command_menus import set_personal_menu
from handlers.context import BotContext, HandlerData
from storage import people
from storage.actors import Actor, TelegramUser
from storage.errors import UseCaseError
from storage.groups.invites import InviteError
from views.callbacks import Audience as Audience
from views.callbacks import Button, Callback, MalformedCallback, declared, unpack
from views.refusals import words
from views.screen import Screen

log = logging.getLogger(__name__)


@dataclass
class Request:
    update: Update
    context: BotContext
    actor: Actor
    pending: people.Pending
    answered: bool = False  # the pressed button's query was answered already

    @property
    def data(self) -> HandlerData:
        return self.context.bot_data

    @property
    def lang(self) -> str:
        return self.actor.language

    @property
    def callback(self) -> Callback | None:
        query = self.update.callback_query
        return unpack(query.data) if query else None

    @property
    def pressed(self) -> Callback:
        """The pressed button with its fields parsed and validated against its declaration.

        `action` answers a press whose data is malformed before the handler runs; a handler
        that is also a command reads `callback`, which is None for a typed command."""
        callback = self.callback
        if callback is None:
            raise MalformedCallback("")
        return callback

    @property
    def text(self) -> str:
        message = self.update.effective_message
        return (message.text or message.caption or "") if message else ""

    @property
    def args(self) -> list[str]:
        return list(self.context.args or [])

    @property
    def is_private(self) -> bool:
        chat = self.update.effective_chat
        return chat is not None and chat.type == ChatType.PRIVATE

    def t(self, key: str, **params: object) -> str:
        return t(self.lang, key, **params)

    async def say(self, screen: Screen) -> Message:
        """Send the screen as a new message in this chat."""
        chat = self.update.effective_chat
        assert chat is not None
        return await self.data.screens.send(self.context.bot, chat.id, screen)

    async def show(self, screen: Screen) -> None:
        """Edit the message whose button was pressed into the screen (a screen with a file
        is sent as a new message), or send a new one."""
        query = self.update.callback_query
        if query is not None and isinstance(query.message, Message) and screen.attachment is None:
            await self.ack()
            message = query.message
            try:
                await self.data.screens.edit(
                    self.context.bot, message.chat_id, message.message_id, screen
                )
                return
            except BadRequest as exc:
                log.info("edit failed, sending instead: %s", exc)
        await self.say(screen)

    async def ack(self) -> None:
        """Stop the button's spinner; a query can be answered only once."""
        if self.update.callback_query is not None and not self.answered:
            self.answered = True
            await _answer(self.update.callback_query)

    async def refuse(self, key: str, **params: object) -> None:
        """Explain a refusal: a pop-up for buttons, a message otherwise."""
        text = self.t(key, **params)
        query = self.update.callback_query
        if query is not None and not self.answered:
            self.answered = True
            if await _answer(query, _plain(text)[:200]):
                return
        # No button, or it was answered already (or too long ago): say it in the chat.
        await self.say(Screen(text))

    def refusal(self, error: UseCaseError) -> str:
        """The text that explains a use case's refusal (views/refusals.py words it)."""
        key, params = words(error)
        return self.t(key, **params)

    async def refuse_error(self, error: UseCaseError) -> None:
        key, params = words(error)
        await self.refuse(key, **params)

    async def reload(self) -> None:
        """Read the sender's roles again after they changed, and update their command menu."""
        self.actor, menu_changed = await people.reload_actor(self.data.db, self.actor)
        if menu_changed and self.is_private:
            await _update_menu(self)

    async def expect(self, awaiting: str | None, draft: dict[str, Any] | None = None) -> None:
        await people.await_input(self.data.db, self.actor.person_id, awaiting, draft)
        self.pending = people.Pending(awaiting, dict(draft or {}))


async def _answer(query: CallbackQuery, alert: str | None = None) -> bool:
    """Answer a button press; False when Telegram says the query is too old to answer."""
    try:
        await query.answer(alert, show_alert=alert is not None)
    except BadRequest as exc:
        log.info("could not answer a button press: %s", exc)
        return False
    return True


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


async def alert(query: CallbackQuery, html_text: str) -> bool:
    """A refusal as a pop-up on the pressed button (for handlers outside `action`)."""
    return await _answer(query, _plain(html_text)[:200])


async def identify(update: Update, context: BotContext) -> Request | None:
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    data = context.bot_data
    chat = update.effective_chat
    actor, pending = await people.identify(
        data.db,
        TelegramUser(user.id, user.full_name, user.language_code),
        data.settings.admin_ids,
        data.settings.language,
        private_chat=chat is not None and chat.type == ChatType.PRIVATE,
    )
    request = Request(update, context, actor, pending)
    if pending.menu_outdated:
        await _update_menu(request)
    return request


async def _update_menu(request: Request) -> None:
    try:
        await set_personal_menu(
            request.context.bot, request.actor.telegram_user_id, request.actor.role
        )
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", exc)


Handler = Callable[[Request], Awaitable[None]]
PTBCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def action(
    audience: Audience = Audience.ANYONE, *, private_only: bool = True
) -> Callable[[Handler], PTBCallback]:
    """Wrap a handler: identify the sender, check the role server-side, map refusals to text."""

    def wrap(handler: Handler) -> PTBCallback:
        @wraps(handler)
        async def callback(update: Update, context: BotContext) -> None:
            request = await identify(update, context)
            if request is None:
                return
            if update.callback_query is not None and request.callback is None:
                await request.refuse("errors.stale_button")
                return
            if private_only and not request.is_private:
                await request.refuse("errors.private_only", bot=context.bot_data.bot_username)
                return
            if not audience.admits(request.actor):
                await request.refuse(audience.refusal_for(request.actor))
                return
            try:
                await handler(request)
                # A screen sent as a new message leaves the button spinning: stop it.
                await request.ack()
            except MalformedCallback:
                await request.refuse("errors.stale_button")
            except InviteError as exc:
                await request.refuse(f"invite.{exc.problem.value}")
            except UseCaseError as exc:
                await request.refuse_error(exc)

        # Read by on_button, which checks them against the button's declaration.
        callback.audience = audience  # type: ignore[attr-defined]
        callback.private_only = private_only  # type: ignore[attr-defined]
        return callback

    return wrap


class ButtonHandler(CallbackQueryHandler[BotContext, None]):
    """The handler of one declared button (its presses, whatever their fields)."""

    def __init__(self, declared_button: Button, callback: PTBCallback) -> None:
        super().__init__(callback, pattern=rf"^{declared_button.code}(:|$)")
        self.button = declared_button


def on_button(declared_button: Button, callback: PTBCallback) -> ButtonHandler:
    """Register the handler of a declared button; who may press it must match the declaration
    (checked here, at start-up, so the two cannot drift)."""
    checked = getattr(callback, "audience", None)
    if checked is not None and (checked, callback.private_only) != (  # type: ignore[attr-defined]
        declared_button.audience,
        declared_button.private_only,
    ):
        raise RuntimeError(
            f"button {declared_button.code!r}: the handler {callback.__name__} admits "
            f"{checked} (private only: {callback.private_only}), "  # type: ignore[attr-defined]
            f"the declaration {declared_button.audience}"
            f" (private only: {declared_button.private_only})"
        )
    return ButtonHandler(declared_button, callback)


def check_buttons_handled(handlers: list[Any]) -> None:
    """At start-up: every declared button has exactly one handler, and every handler of a
    button has a declaration (a button whose handler is gone would otherwise be answered as
    stale without anyone noticing)."""
    handled = [h.button.code for h in handlers if isinstance(h, ButtonHandler)]
    twice = sorted({code for code in handled if handled.count(code) > 1})
    missing = sorted({b.code for b in declared()} - set(handled))
    # Only the last handler, which answers whatever none of these claimed, has no pattern.
    undeclared = sorted(
        str(getattr(h.pattern, "pattern", h.pattern))
        for h in handlers
        if isinstance(h, CallbackQueryHandler)
        and not isinstance(h, ButtonHandler)
        and h.pattern is not None
    )
    problems = [f"no handler: {', '.join(missing)}"] if missing else []
    problems += [f"handled twice: {', '.join(twice)}"] if twice else []
    problems += [f"not declared: {', '.join(undeclared)}"] if undeclared else []
    if problems:
        raise RuntimeError("buttons: " + "; ".join(problems))
