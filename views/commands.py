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
from storage.roles import Role

MENUS: dict[Role, tuple[str, ...]] = {
    Role.NEWCOMER: ("start", "materi", "help", "bahasa", "batal"),
    Role.MEMBER: (
        "start",
        "kelompok_saya",
        "daftar_hadir",
        "jadwal",
        "materi",
        "keluhan",
        "keluhanku",
        "data_saya",
        "help",
        "bahasa",
        "batal",
    ),
    Role.CHAIR: (
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
        "data_saya",
        "help",
        "bahasa",
        "batal",
    ),
    Role.FACILITATOR: (
        "start",
        "status",
        "kelompok",
        "buat_kelompok",
        "daftar_hadir",
        "minta_konfirmasi",
        "jadwalkan",
        "usulan_jadwal",
        "jadwal_tetap",
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
    Role.VIEWER: (
        "start",
        "status",
        "pendamping",
        "kelompok",
        "laporan",
        "ekspor",
        "grafik",
        "materi",
        "help",
        "bahasa",
        "batal",
    ),
    Role.COORDINATOR: (
        "start",
        "status",
        "undang",
        "undang_korkab",
        "pendamping",
        "kelompok",
        "jadwal",
        "siaran",
        "materi",
        "keluhan_masuk",
        "jejak",
        "laporan",
        "ekspor",
        "grafik",
        "help",
        "bahasa",
        "batal",
    ),
}
GROUP_MENU = ("help", "hubungkan", "jadwal", "materi", "keluhan")


def commands(names: tuple[str, ...], lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"commands.{name}")) for name in names]


async def _set(bot: Bot, names: tuple[str, ...], scope: BotCommandScope) -> None:
    await bot.set_my_commands(commands(names, "id"), scope=scope)
    for lang in LANGUAGES:
        await bot.set_my_commands(commands(names, lang), scope=scope, language_code=lang)


async def set_default_menus(bot: Bot) -> None:
    await _set(bot, MENUS[Role.NEWCOMER], BotCommandScopeAllPrivateChats())
    await _set(bot, GROUP_MENU, BotCommandScopeAllGroupChats())


async def set_personal_menu(bot: Bot, chat_id: int, role: Role) -> None:
    await _set(bot, MENUS[role], BotCommandScopeChat(chat_id))
