"""The audit trail (/jejak) per area: a coordinator reads who opened what in her area only.

Two groups, in Kota Banjar (32.79) and Kabupaten Ciamis (32.07), both in Jawa Barat; their
facilitators (each of her kecamatan) open their rosters and reports. The Korkab of Kota
Banjar reads Banjar's reads only, the Korwil of Jawa Barat both, a coordinator of the whole
deployment both and the entries filed under no area; nobody else reads the trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import audit, groups, people, reports, roster
from storage.actors import Actor, TelegramUser
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.errors import NotAllowed
from storage.models import AuditEntry, Group, StaffRole
from tests.e2e.test_areas_access import SLICE
from timekeeping.clock import ManualClock

BANJAR_DESA, CIAMIS_DESA = "32.79.01.1002", "32.07.01.1001"


async def _actor(db: SessionFactory, telegram_id: int) -> Actor:
    actor, _ = await people.identify(
        db, TelegramUser(telegram_id, f"Orang {telegram_id}", "id"), (), "id", private_chat=True
    )
    return actor


async def _group(
    db: SessionFactory, clock: ManualClock, facilitator: Actor, name: str, desa: str
) -> str:
    links = await groups.create_group(
        db,
        facilitator,
        name=name,
        village=None,
        venue="Balai desa",
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=timedelta(days=14),
    )
    async with db.begin() as session:
        group = await session.get_one(Group, links.group.id)
        group.area_code = desa
        return group.code


async def test_a_coordinator_reads_the_trail_of_her_area_only(
    db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    now = clock.now()
    codes = {}
    for telegram_id, name, desa in (
        (500, "Banjar Satu", BANJAR_DESA),
        (510, "Ciamis Satu", CIAMIS_DESA),
    ):
        await people.add_staff(
            db, telegram_id, f"Pendamping {name}", StaffRole.FACILITATOR, desa.rsplit(".", 1)[0]
        )
        facilitator = await _actor(db, telegram_id)
        codes[name] = await _group(db, clock, facilitator, name, desa)
        await roster.list_members(
            db, facilitator, (await groups.list_groups(db, facilitator))[0].id, now=now
        )
        await reports.month_report(db, facilitator, 202612, now)
    async with db.begin() as session:
        # An entry from before areas were kept: the whole deployment's coordinators only.
        session.add(AuditEntry(at=now, actor_id=None, action="read.roster", detail="LAMA1"))

    await people.add_staff(db, 3001, "Korkab Banjar", StaffRole.COORDINATOR, "32.79")
    await people.add_staff(db, 3002, "Korwil Jabar", StaffRole.COORDINATOR, "32")
    await people.add_staff(db, 3003, "Koordinator", StaffRole.COORDINATOR)
    await people.add_staff(db, 3004, "Pemantau", StaffRole.VIEWER, "32.79")

    async def details(telegram_id: int) -> set[str]:
        found = await audit.trail(db, await _actor(db, telegram_id))
        return {line.detail for line in found.lines}

    banjar = {codes["Banjar Satu"], "2026-12"}
    assert await details(3001) == banjar
    ciamis = {codes["Ciamis Satu"], "2026-12"}
    assert await details(3002) == banjar | ciamis
    assert await details(3003) == banjar | ciamis | {"LAMA1"}
    # The Korkab's trail holds who read in Banjar, and only there.
    found = await audit.trail(db, await _actor(db, 3001))
    assert {line.who for line in found.lines} == {"Pendamping Banjar Satu"}
    for outsider in (500, 3004):
        with pytest.raises(NotAllowed):
            await audit.trail(db, await _actor(db, outsider))
