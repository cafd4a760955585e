"""The group's Telegram chat: the bot added or removed, the chat bound, the group upgraded."""

from __future__ import annotations

import logging
from typing import Any

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import BaseHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from handlers.base import Audience, Request, action, identify, on_button
from handlers.context import BotContext
from storage import access, groups
from storage.errors import UseCaseError
from storage.groups.invites import InviteError
from views.buttons import BIND_PRESSED
from views.keyboards import button, column, rows
from views.screen import Screen

log = logging.getLogger(__name__)

PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR}
GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}


async def bot_membership_changed(update: Update, context: BotContext) -> None:
    """The bot was added to or removed from a chat."""
    change = update.my_chat_member
    if change is None or change.chat.type not in ("group", "supergroup"):
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    if new in PRESENT and old not in PRESENT:
        await _added(update, context, change)
    elif new in GONE and old not in GONE:
        await _removed(context, change.chat.id)


async def _added(update: Update, context: BotContext, change: ChatMemberUpdated) -> None:
    request = await identify(update, context)
    if request is None:
        return
    if not access.may(request.actor, access.Duty.STAFF):
        # Only staff may bring the bot into a chat: members' lists must not leak to strangers.
        await request.data.screens.send(
            context.bot, change.chat.id, Screen(request.t("group_chat.not_staff"))
        )
        await context.bot.leave_chat(change.chat.id)
        return
    # A ?startgroup= link binds the chat a moment later; the hint waits and is dropped then.
    await groups.queue_link_hint(
        context.bot_data.db, change.chat.id, request.lang, context.bot_data.clock.now()
    )


async def _removed(context: BotContext, chat_id: int) -> None:
    await groups.unlink_chat(context.bot_data.db, chat_id, context.bot_data.clock.now())


async def chat_migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: follow it to its new id."""
    message = update.effective_message
    if message is None or not message.migrate_to_chat_id:
        return
    await groups.migrate_chat(context.bot_data.db, message.chat.id, message.migrate_to_chat_id)


@action(Audience.STAFF, private_only=False)
async def start_in_group(request: Request) -> None:
    """/start@bot <token> in a group: the ?startgroup= link binds this chat to its group."""
    if request.is_private:
        return
    chat = request.update.effective_chat
    assert chat is not None
    if not request.args:
        await _offer_binding(request)
        return
    data = request.data
    try:
        result = await groups.bind_chat_by_token(
            data.db, request.actor, request.args[0], chat.id, chat.title, data.clock.now()
        )
    except InviteError as exc:
        await request.say(Screen(request.t(f"invite.{exc.problem.value}")))
        return
    await request.say(Screen(request.t("group_chat.bound", group=result.group.name)))


@action(Audience.STAFF, private_only=False)
async def bind_command(request: Request) -> None:
    """/hubungkan in a group chat: pick which of your groups this chat belongs to."""
    if request.is_private:
        await request.say(Screen(request.t("group_chat.bind_in_group")))
        return
    await _offer_binding(request)


async def _offer_binding(request: Request) -> None:
    own = [
        g
        for g in await groups.list_groups(request.data.db, request.actor)
        if access.can(request.actor, access.Action.MANAGE, g)
    ]
    if not own:
        await request.say(Screen(request.t("groups.none")))
        return
    buttons = [button(f"{g.name} ({g.code})", BIND_PRESSED, g.id) for g in own]
    await request.say(Screen(request.t("group_chat.pick_group"), rows(*column(buttons, 1))))


@action(Audience.STAFF, private_only=False)
async def bind_pressed(request: Request) -> None:
    """The facilitator picked the group for this chat."""
    chat = request.update.effective_chat
    assert chat is not None
    if request.is_private:
        await request.refuse("errors.stale_button")
        return
    try:
        result = await groups.bind_chat(
            request.data.db,
            request.actor,
            request.pressed["group"],
            chat.id,
            chat.title,
            request.data.clock.now(),
        )
    except UseCaseError as exc:
        await request.refuse_error(exc)
        return
    await request.show(Screen(request.t("group_chat.bound", group=result.group.name)))


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
        ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        CommandHandler("start", start_in_group, filters=filters.ChatType.GROUPS),
        CommandHandler("hubungkan", bind_command),
        on_button(BIND_PRESSED, bind_pressed),
    ]
