"""The climb of an unanswered complaint is decided when each step is due, end to end.

A member of a group in Kota Banjar files a complaint while Kota Banjar has no Korkab: it goes
to her pendamping, and the next level that can be reached then is the Korwil of Jawa Barat.
A Korkab of Kota Banjar is added after the filing (`p2k2 admin add --area 32.79` does the
same through people.add_staff). Past the SLA, unanswered, the complaint climbs to her, the
level the climb reaches first now; the Korwil is told one SLA later, not before."""

from __future__ import annotations

from datetime import timedelta

from simulator.emulator import FakeTelegram
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models.complaints import ComplaintCategory
from tests.e2e.harness import Person, RunningBot
from tests.e2e.test_areas_access import BANJAR_DESA, SLICE, file, korkab, placed_group
from tests.e2e.test_complaints import SLA, texts
from tests.e2e.test_complaints_hierarchy import about
from timekeeping.clock import ManualClock


async def test_a_korkab_added_after_the_filing_is_told_then_the_korwil(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    korwil = await korkab(fake, db, 3003, "32")  # the Korwil of Jawa Barat
    pendamping = Person(fake, banjar.facilitator)
    await file(db, banjar, clock, ComplaintCategory.CARD)  # K-0001: nobody in Kota Banjar
    await bot.dispatch()
    assert len(about("K-0001", texts(fake, pendamping.id))) == 1

    clock.advance(timedelta(days=1))
    added = await korkab(fake, db, 3001, "32.79")  # Kota Banjar gets its Korkab

    # Past the SLA, unanswered: the new Korkab is told (the step, then its message on the
    # dispatcher's next tick); the Korwil is not, yet.
    clock.advance(SLA - timedelta(days=1) + timedelta(minutes=1))
    await bot.dispatch()
    await bot.dispatch()
    told = about("K-0001", texts(fake, added.id))
    assert len(told) == 1 and "belum dijawab" in told[0]
    assert not about("K-0001", texts(fake, korwil.id))

    # One SLA later, still unanswered: the Korwil, once, as a level above one told already.
    clock.advance(SLA - timedelta(minutes=2))
    await bot.dispatch()
    await bot.dispatch()
    assert not about("K-0001", texts(fake, korwil.id))
    clock.advance(timedelta(minutes=2))
    await bot.dispatch()
    await bot.dispatch()
    climbed = about("K-0001", texts(fake, korwil.id))
    assert len(climbed) == 1 and "maupun koordinator di bawah Anda" in climbed[0]
    assert len(about("K-0001", texts(fake, added.id))) == 1  # not told again
    clock.advance(SLA * 3)
    await bot.dispatch()
    await bot.dispatch()
    assert len(about("K-0001", texts(fake, korwil.id))) == 1  # nobody above her: once
