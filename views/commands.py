"""The command menu shown in Telegram's input field, per role, chat type and language."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from content.texts import LANGUAGES, t

MENUS: dict[str, tuple[str, ...]] = {
    "newcomer": ("start", "materi", "help", "bahasa", "batal"),
    "member": (
        "start",
        "kelompok_saya",
        "daftar_hadir",
        "jadwal",
        "materi",
        "keluhan",
        "keluhanku",
        "help",
        "bahasa",
        "batal",
    ),
    "chair": (
        "start",
        "kelompok_saya",
        "daftar_hadir",
        "jadwal",
        "materi",
        "keluhan",
        "keluhanku",
        "foto",
        "laporan",
        "ekspor",
        "grafik",
        "help",
        "bahasa",
        "batal",
    ),
    "facilitator": (
        "start",
        "status",
        "kelompok",
        "buat_kelompok",
        "daftar_hadir",
        "minta_konfirmasi",
        "jadwalkan",
        "jadwal",
        "siaran",
        "materi",
        "keluhan_masuk",
        "laporan",
        "ekspor",
        "grafik",
        "foto",
        "help",
        "bahasa",
        "batal",
    ),
    "coordinator": (
        "start",
        "status",
        "undang",
        "pendamping",
        "kelompok",
        "jadwal",
        "siaran",
        "materi",
        "keluhan_masuk",
        "laporan",
        "ekspor",
        "grafik",
        "help",
        "bahasa",
        "batal",
    ),
    "group": ("help", "hubungkan", "jadwal", "materi", "keluhan"),
}


def commands(menu: str, lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"commands.{name}")) for name in MENUS[menu]]


async def _set(bot: Bot, menu: str, scope: BotCommandScope) -> None:
    await bot.set_my_commands(commands(menu, "id"), scope=scope)
    for lang in LANGUAGES:
        await bot.set_my_commands(commands(menu, lang), scope=scope, language_code=lang)


async def set_default_menus(bot: Bot) -> None:
    await _set(bot, "newcomer", BotCommandScopeAllPrivateChats())
    await _set(bot, "group", BotCommandScopeAllGroupChats())


async def set_personal_menu(bot: Bot, chat_id: int, menu: str) -> None:
    await _set(bot, menu, BotCommandScopeChat(chat_id))
