"""Finding areas: by code, or by part of a name with misspellings forgiven (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Area

SHOWN = 5  # at most this many choices: a handful of buttons
CUTOFF = 70  # below this WRatio score a name is not offered ("banjr" still finds Banjar)


@dataclass(frozen=True)
class AreaChoice:
    code: str
    name: str
    # The names above it, nearest first ("Banjar, Kota Banjar, Jawa Barat"): two desa share
    # a name often, and only the kecamatan tells them apart.
    above: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join((self.name, *self.above))


async def by_code(session: AsyncSession, code: str) -> AreaChoice | None:
    area = await session.get(Area, code.strip())
    if area is None:
        return None
    return (await _with_parents(session, [area]))[0]


async def find(
    session: AsyncSession,
    text: str,
    *,
    levels: Iterable[int],
    within: Iterable[str] | None = None,
    limit: int = SHOWN,
) -> list[AreaChoice]:
    """The areas of these levels whose name is nearest the text, best first.

    within: area codes to search inside (a facilitator's or coordinator's areas); None is
    the whole country."""
    query = select(Area).where(Area.level.in_(list(levels)))
    if within is not None:
        codes = list(within)
        if not codes:
            return []
        query = query.where(or_(*(or_(Area.code == c, Area.code.like(c + ".%")) for c in codes)))
    areas = list(await session.scalars(query))
    names = {i: area.name for i, area in enumerate(areas)}
    best = process.extract(
        text,
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=CUTOFF,
        limit=limit,
    )
    return await _with_parents(session, [areas[key] for _, _, key in best])


async def any_loaded(session: AsyncSession) -> bool:
    """Whether the list of areas was imported (`p2k2 areas import`)."""
    return bool(await session.scalar(select(exists().where(Area.level == 1))))


# Every desa/kelurahan as (code, name, kecamatan, kabupaten/kota, provinsi), kept in memory by
# the number of areas: reading 84,000 rows with their parents' names takes a second on a
# small server, matching them a fifth of that. A renamed area (a newer list imported while
# the bot runs) shows its new name after a restart; a new one at once.
_DESA: dict[int, list[tuple[str, str, str, str, str]]] = {}  # count of areas -> rows


async def _all_desa(session: AsyncSession) -> list[tuple[str, str, str, str, str]]:
    count = await session.scalar(select(func.count()).select_from(Area)) or 0
    if count not in _DESA:
        names = dict(
            (await session.execute(select(Area.code, Area.name).where(Area.level < 4)))
            .tuples()
            .all()
        )
        rows = await session.execute(select(Area.code, Area.name).where(Area.level == 4))
        _DESA.clear()
        _DESA[count] = [
            (code, name, names.get(code[:8], ""), names.get(code[:5], ""), names.get(code[:2], ""))
            for code, name in rows.tuples()
        ]
    return _DESA[count]


DesaRow = tuple[str, str, str, str, str]


async def desa_rows(session: AsyncSession, within: Iterable[str] | None) -> list[DesaRow]:
    """The desa/kelurahan inside these areas (None: all) to match typed text against."""
    rows = await _all_desa(session)
    if within is None:
        return rows
    prefixes = tuple(code + "." for code in within)
    return [row for row in rows if row[0].startswith(prefixes)]


def best_desa(text: str, rows: list[DesaRow], limit: int = SHOWN) -> list[AreaChoice]:
    """The desa nearest the text, best first, matched on the name with its kecamatan and
    kabupaten/kota: "mekarsari banjar" finds the Mekarsari of Kecamatan Banjar among the
    dozens of Mekarsari in the country. CPU work: callers run it in a thread."""
    searched = {i: f"{row[1]} {row[2]} {row[3]}" for i, row in enumerate(rows)}
    best = process.extract(
        text,
        searched,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=CUTOFF,
        limit=limit * 4,
    )
    # token_set_ratio scores the words typed against the name, kecamatan and kabupaten/kota
    # in any order (WRatio ranked "mekarsary banjar" below Mekarharja in Kecamatan
    # Purwaharja); among equals, the desa whose own name is nearest the text comes first.
    ranked = sorted(
        best,
        key=lambda hit: (-hit[1], -fuzz.ratio(text.casefold(), rows[hit[2]][1].casefold())),
    )
    return [AreaChoice(rows[key][0], rows[key][1], rows[key][2:]) for _, _, key in ranked[:limit]]


async def _with_parents(session: AsyncSession, areas: list[Area]) -> list[AreaChoice]:
    wanted = {parent for area in areas for parent in _ancestors(area.code)}
    names = dict(
        (await session.execute(select(Area.code, Area.name).where(Area.code.in_(wanted))))
        .tuples()
        .all()
    )
    return [
        AreaChoice(
            area.code,
            area.name,
            tuple(names[c] for c in reversed(_ancestors(area.code)) if c in names),
        )
        for area in areas
    ]


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]
