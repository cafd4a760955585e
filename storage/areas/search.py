"""Finding areas: by code, or by part of a name with misspellings forgiven (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import or_, select
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
