"""The command menu shown in Telegram's input field, per role, chat type and language."""

from __future__ import annotations

from content.texts import t
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


def commands(names: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
    """(command, description) in a language, as the chat's command menu lists them."""
    return [(name, t(lang, f"commands.{name}")) for name in names]
