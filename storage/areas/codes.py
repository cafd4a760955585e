"""Pure rules about area codes ("32.79.01.1001"): level, parent, province, time zone."""

from __future__ import annotations

import re

LEVELS = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}
DESA = 4
_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")

# A province's time zone, from Keputusan Presiden No. 41 Tahun 1987 (Pembagian Wilayah Republik
# Indonesia menjadi 3 Wilayah Waktu): WIB for Sumatra, Java, Madura, West and Central Kalimantan;
# WITA for Bali, Nusa Tenggara, East and South Kalimantan and Sulawesi; WIT for Maluku and
# Papua. Provinces created since (Kalimantan Utara from Kalimantan Timur, Sulawesi Barat,
# Gorontalo, Kepulauan Riau, Bangka Belitung, the Papua provinces) keep their parent's zone.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def is_code(text: str) -> bool:
    """Whether the text has the shape of a code (not whether the code exists)."""
    return bool(_CODE.match(text.strip()))


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def province_of(code: str) -> str:
    return code[:2]


def timezone_for(code: str) -> str:
    """The IANA zone of the province the area is in."""
    province = province_of(code)
    if province in _WITA:
        return "Asia/Makassar"
    if province in _WIT:
        return "Asia/Jayapura"
    return "Asia/Jakarta"


def covers(area: str, code: str) -> bool:
    """Whether `code` is `area` itself or inside it."""
    return code == area or code.startswith(area + ".")


def desa_numbers(code: str) -> tuple[int, int]:
    """A desa code as two numbers for callback data, which carries integers only:
    "32.79.01.1002" is (3279, 11002)."""
    province, regency, district, village = code.split(".")
    return int(province + regency), int(district + village)


def desa_code(regency: int, rest: int) -> str:
    """The desa code from desa_numbers(); a forged pair gives a code that does not exist."""
    return f"{regency // 100:02d}.{regency % 100:02d}.{rest // 10000:02d}.{rest % 10000:04d}"


def area_number(code: str) -> int:
    """A province, kabupaten/kota or kecamatan code as one number for callback data:
    "32.79.01" is 327901 (codes never start with 0, so the digits read back alone)."""
    return int(code.replace(".", ""))


def area_from_number(number: int) -> str:
    """The code from area_number(); a forged number gives a code that does not exist."""
    digits = str(number)
    parts = [digits[i : i + 2] for i in range(0, min(len(digits), 6), 2)]
    return ".".join(parts)


# The three zones, west to east (WIB, WITA, WIT): a group's zone follows its province unless
# its facilitator changes it; buttons carry the index.
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
