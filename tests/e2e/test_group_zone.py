"""A facilitator changes her group's time zone from the one its province gives (WIB, WITA,
WIT), through a button on the group's card that says what the change does; nobody else can,
not even by forging the button."""

from __future__ import annotations

from simulator.emulator import FakeTelegram
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import Group
from tests.e2e.harness import Person, RunningBot
from tests.e2e.test_areas_access import (
    BANJAR_DESA,
    CIAMIS_DESA,
    SLICE,
    korkab,
    placed_group,
)
from tests.e2e.test_complaints import forged_answer
from timekeeping.clock import ManualClock


async def _zone(db: SessionFactory, group_id: int) -> str:
    async with db.begin() as session:
        return (await session.get_one(Group, group_id)).timezone


async def test_a_facilitator_changes_her_groups_time_zone(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    ciamis = await placed_group(db, fake, clock, "Ciamis Satu", CIAMIS_DESA, 510)
    gid = banjar.group.id
    pendamping = Person(fake, banjar.facilitator)
    assert await _zone(db, gid) == "Asia/Jakarta"  # Jawa Barat's

    card = await pendamping.says("/kelompok")
    card = await pendamping.taps(card, "Banjar Satu")
    asked = await pendamping.taps(card, "Zona waktu")
    shown = asked.plain or ""
    assert "Zona waktu kelompok Banjar Satu sekarang WIB" in shown
    assert "09.00 WIB menjadi 10.00 WITA" in shown and "Zona provinsinya: WIB" in shown
    done = await pendamping.taps(asked, "WITA")
    assert "Zona waktu kelompok Banjar Satu sekarang WITA" in (done.plain or "")
    assert "(WITA)" in (done.plain or "")  # the card's place line, in the new zone
    assert await _zone(db, gid) == "Asia/Makassar"

    # Nobody else: the Korkab of the area (she does not plan meetings) and another group's
    # facilitator, pressing the button by hand.
    others = [await korkab(fake, db, 3001, "32.79"), Person(fake, ciamis.facilitator)]
    for other in others:
        menu = await other.says("/start")
        answer = await forged_answer(fake, other, menu, f"gzs:{gid}:2")
        assert answer, other.id
        assert await _zone(db, gid) == "Asia/Makassar"
