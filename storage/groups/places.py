"""Finding a group's desa/kelurahan: the facilitator types part of the name and picks
(storage/groups.place_group saves it).

The place decides which coordinators see the group (storage/access.py) and its time zone
(the province's: WIB, WITA or WIT). The old free text (Group.village) stays as typed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.actors import Actor
from storage.areas import search
from storage.areas.codes import DESA, covers, is_code, level_of
from storage.areas.search import AreaChoice
from storage.db import SessionFactory
from storage.errors import NotAllowed, UseCaseError


class UnknownPlace(UseCaseError):
    """The code names no desa/kelurahan of the list."""


class OutsideArea(NotAllowed):
    """The desa lies outside the areas the person may place a group in."""

    def __init__(self, place: str, areas: str, kecamatan: bool) -> None:
        super().__init__()
        self.place = place
        self.areas = areas  # her areas, named
        self.kecamatan = kecamatan  # a pendamping bound to named kecamatan


MAX_TYPED = 60


@dataclass(frozen=True)
class Choices:
    loaded: bool  # False: no list of areas in this deployment (`p2k2 areas import`)
    found: tuple[AreaChoice, ...]


async def find(db: SessionFactory, actor: Actor, text: str) -> Choices:
    """At most a handful of desa/kelurahan near the typed text, inside the person's area."""
    typed = " ".join(text.split())[:MAX_TYPED]
    async with db.begin() as session:
        if not await search.any_loaded(session):
            return Choices(False, ())
        within = await access.placement_scope(session, actor)
        if is_code(typed) and level_of(typed) == DESA:
            found = await search.by_code(session, typed)
            exact = [found] if found and _inside(found.code, within) else []
            return Choices(True, tuple(exact))
        rows = await search.desa_rows(session, within)
    return Choices(True, tuple(await asyncio.to_thread(search.best_desa, typed, rows)))


async def check(session: AsyncSession, actor: Actor, code: str) -> AreaChoice:
    """The desa a button names, if it exists and the person may place a group there
    (callback data is untrusted)."""
    found = await search.by_code(session, code) if is_code(code) else None
    if found is None or level_of(found.code) != DESA:
        raise UnknownPlace()
    if not _inside(found.code, await access.placement_scope(session, actor)):
        raise OutsideArea(
            found.label,
            "; ".join(actor.area_names) or "-",
            access.bounded_by_kecamatan(actor),
        )
    return found


async def describe(db: SessionFactory, actor: Actor, code: str) -> AreaChoice:
    async with db.begin() as session:
        return await check(session, actor, code)


def _inside(code: str, within: list[str] | None) -> bool:
    return within is None or any(covers(area, code) for area in within)
