"""The Telegram adapter of the command menus (views/commands.py): sets them per role, chat
type and language."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from content.texts import LANGUAGES
from storage.roles import Role
from views.commands import GROUP_MENU, MENUS, commands


def _commands(names: tuple[str, ...], lang: str) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in commands(names, lang)]


async def _set(bot: Bot, names: tuple[str, ...], scope: BotCommandScope) -> None:
    await bot.set_my_commands(_commands(names, "id"), scope=scope)
    for lang in LANGUAGES:
        await bot.set_my_commands(_commands(names, lang), scope=scope, language_code=lang)


async def set_default_menus(bot: Bot) -> None:
    await _set(bot, MENUS[Role.NEWCOMER], BotCommandScopeAllPrivateChats())
    await _set(bot, GROUP_MENU, BotCommandScopeAllGroupChats())


async def set_personal_menu(bot: Bot, chat_id: int, role: Role) -> None:
    await _set(bot, MENUS[role], BotCommandScopeChat(chat_id))
