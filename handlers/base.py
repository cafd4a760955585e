"""What every handler shares: who is asking, may they, and how to answer them."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from enum import Enum
from functools import wraps
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler

from content.texts import t
from handlers.context import BotContext, HandlerData
from storage import people
from storage.access import Duty, may
from storage.actors import Actor, TelegramUser
from storage.errors import UseCaseError
from storage.invites import InviteError
from views.callbacks import Callback, MalformedCallback, unpack
from views.commands import set_personal_menu

log = logging.getLogger(__name__)


class Audience(Enum):
    """Who may use an action (storage/access.DUTIES decides which roles a duty admits) and
    what anyone else is told."""

    ANYONE = (Duty.ANYONE, "")
    STAFF = (Duty.STAFF, "errors.facilitators_only")
    # The lists of groups and the status board: staff, and viewers (read only).
    READERS = (Duty.READ_PROGRAMME, "errors.facilitators_only")
    # Reports: staff, viewers, and a chair for her own group (without programme ids).
    REPORTS = (Duty.REPORTS, "reports.not_allowed")
    # The list and board of facilitators: coordinators, and viewers (read only).
    OVERSEERS = (Duty.OVERSEE, "errors.coordinators_only")
    FACILITATOR = (Duty.FACILITATE, "errors.facilitators_only")
    COORDINATOR = (Duty.COORDINATE, "errors.coordinators_only")

    def __init__(self, duty: Duty, refusal: str) -> None:
        self.duty = duty
        self._refusal = refusal

    def admits(self, actor: Actor) -> bool:
        return may(actor, self.duty)

    def refusal_for(self, actor: Actor) -> str:
        # A viewer refused is told she reads only, not that the action is someone else's.
        return "errors.viewer_reads_only" if actor.is_viewer else self._refusal


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

    async def say(self, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
        chat = self.update.effective_chat
        assert chat is not None
        return await self.context.bot.send_message(
            chat.id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=None,
        )

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Edit the message whose button was pressed, or send a new one."""
        query = self.update.callback_query
        if query is not None and isinstance(query.message, Message):
            await self.ack()
            try:
                await query.message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
                return
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return
                log.info("edit failed, sending instead: %s", exc)
        await self.say(text, markup)

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
        await self.say(text)

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
                await request.refuse(exc.key, **exc.params)

        return callback

    return wrap


def on_button(action_name: str, callback: Any) -> CallbackQueryHandler[BotContext, None]:
    """A handler for callback data `action_name` or `action_name:<args>`."""
    return CallbackQueryHandler(callback, pattern=rf"^{action_name}(:|$)")
