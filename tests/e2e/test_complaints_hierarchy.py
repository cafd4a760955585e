"""Complaints follow the area hierarchy, end to end through the fake Bot API.

A member of a group in Kota Banjar files a complaint about cuts from her aid: before sending
she reads that the Korkab of Kota Banjar reads it now and the Korwil of Jawa Barat after the
SLA; the Korkab of Kota Banjar is told, the Korkab of Kabupaten Ciamis and the pendamping are
not. Unanswered, it climbs to the Korwil when the test clock passes the SLA (the escalation
is a row in the database, sent by the dispatcher). When the Korkab of Kota Banjar is then
taken off her area, the Korwil is told which complaints are open there."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from simulator.emulator import FakeTelegram
from storage import complaints, deliveries, people
from storage.areas.importing import import_areas, read_rows
from storage.db import SessionFactory
from storage.models import ComplaintCategory, Delivery, DeliveryStatus, StaffRole
from tests.blocking import blocked_the_bot
from tests.e2e.builders import actor_for
from tests.e2e.harness import Person, RunningBot, labels
from tests.e2e.test_areas_access import (
    BANJAR_DESA,
    CIAMIS_DESA,
    REFUSED,
    SLICE,
    file,
    korkab,
    placed_group,
)
from tests.e2e.test_complaints import SLA, forged_answer, texts
from timekeeping.clock import ManualClock

LEVY_TEXT = "Ketua minta Rp50.000 dari bantuan saya setiap pencairan"


def about(number: str, found: list[str]) -> list[str]:
    return [text for text in found if number in text]


async def test_a_protected_complaint_in_kota_banjar_reaches_its_korkab_then_the_korwil(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    await placed_group(db, fake, clock, "Ciamis Satu", CIAMIS_DESA, 510)
    of_banjar = await korkab(fake, db, 3001, "32.79")
    of_ciamis = await korkab(fake, db, 3002, "32.07")
    korwil = Person(fake, fake.user(3003, "Korwil", "Jabar", language_code="en"))
    fake.private_chat(korwil.user).started = True
    await people.add_staff(db, korwil.id, "Korwil Jabar", StaffRole.COORDINATOR, "32")
    await people.set_language(db, (await actor_for(db, korwil.user)).person_id, "en")
    pendamping = Person(fake, banjar.facilitator)
    member = Person(fake, banjar.members[1])

    # Before sending: who reads it, by role and area, from the rule the sending uses.
    categories = await member.says("/keluhan")
    assert "langsung ke Koordinator PKH Kota Banjar, tidak ke" in (categories.plain or "")
    await member.taps(categories, "Potongan atau pungutan")
    review = await member.taps(await member.says(LEVY_TEXT), "Lanjut")
    shown = review.plain or ""
    assert "sekarang: Koordinator PKH Kota Banjar;" in shown
    assert "Koordinator Wilayah PKH Jawa Barat, bila belum ditanggapi dalam 3 hari" in shown
    assert "Ciamis" not in shown
    sent = (await member.taps(review, "Kirim keluhan")).plain or ""
    assert "terkirim ke Koordinator PKH Kota Banjar." in sent and "K-0001" in sent
    assert "naik ke Koordinator Wilayah PKH Jawa Barat" in sent

    # Read by the Korkab of Kota Banjar at once; not by Ciamis', the Korwil or the pendamping.
    await bot.dispatch()
    told = about("K-0001", texts(fake, of_banjar.id))
    assert len(told) == 1 and "Langsung ke koordinator" in told[0] and LEVY_TEXT in told[0]
    for nobody in (of_ciamis, korwil, pendamping):
        assert not about("K-0001", texts(fake, nobody.id))
    menu = await of_ciamis.says("/start")
    for data in ("klv:1", "klp:1", "klu:1:2"):
        assert REFUSED in await forged_answer(fake, of_ciamis, menu, data)

    # Not yet due a minute before the SLA; past it, the dispatcher sends it up to the Korwil.
    clock.advance(SLA - timedelta(minutes=1))
    await bot.dispatch()
    assert not about("K-0001", texts(fake, korwil.id))
    clock.advance(timedelta(minutes=2))
    await bot.dispatch()
    await bot.dispatch()  # the climb's step queued it: sent on the next tick
    climbed = about("K-0001", texts(fake, korwil.id))
    assert len(climbed) == 1
    assert "not been answered by any coordinator" in climbed[0] and LEVY_TEXT in climbed[0]
    assert not about("K-0001", texts(fake, of_ciamis.id))
    assert not about("K-0001", texts(fake, pendamping.id))
    clock.advance(SLA)
    await bot.dispatch()
    await bot.dispatch()
    assert len(about("K-0001", texts(fake, korwil.id))) == 1  # once: nobody above her here

    # The Korkab of Kota Banjar leaves her area: nothing moves, the Korwil is told.
    await people.remove_staff(db, of_banjar.id, "32.79", now=clock.now())
    await bot.dispatch()
    notice = [t for t in texts(fake, korwil.id) if "no longer a PKH coordinator" in t]
    assert len(notice) == 1 and "Kota Banjar" in notice[0] and "K-0001" in notice[0]
    inbox = await korwil.says("/keluhan_masuk")
    assert "K-0001" in " ".join(labels(inbox))


async def test_a_pendamping_who_blocked_the_bot_is_climbed_past_and_the_member_told(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    of_banjar = await korkab(fake, db, 3001, "32.79")
    of_ciamis = await korkab(fake, db, 3002, "32.07")
    pendamping = Person(fake, banjar.facilitator)
    await actor_for(db, pendamping.user)  # known to the bot before she blocks it
    await blocked_the_bot(db, pendamping.id)
    member = Person(fake, banjar.members[1])

    categories = await member.says("/keluhan")
    await member.taps(categories, "KKS")
    review = await member.taps(await member.says("Kartu KKS saya tertelan ATM"), "Lanjut")
    shown = review.plain or ""
    assert "Pendamping (Bu Pendamping) belum bisa saya beri tahu lewat bot" in shown
    assert "sekarang: Koordinator PKH Kota Banjar;" in shown
    sent = (await member.taps(review, "Kirim keluhan")).plain or ""
    assert "terkirim ke Koordinator PKH Kota Banjar." in sent
    assert "belum bisa saya beri tahu" in sent

    await bot.dispatch()
    told = about("K-0001", texts(fake, of_banjar.id))
    assert len(told) == 1 and "belum bisa dihubungi lewat bot" in told[0]
    assert "Kartu KKS saya tertelan ATM" in told[0]
    assert not about("K-0001", texts(fake, of_ciamis.id))
    # Nobody above her here: reminded once at the SLA, not forgotten.
    clock.advance(SLA + timedelta(minutes=1))
    await bot.dispatch()
    await bot.dispatch()  # the climb's step queued it: sent on the next tick
    late = [t for t in about("K-0001", texts(fake, of_banjar.id)) if "⏰" in t]
    assert len(late) == 1


async def test_the_climb_is_decided_when_it_is_due_not_when_filed(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    """Two Korwil of Jawa Barat when the complaint is filed; before the SLA one is no longer a
    coordinator and the other blocked the bot: past the SLA neither is told (the step finds
    nobody above the Korkab now, so she is reminded instead)."""
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    of_banjar = await korkab(fake, db, 3001, "32.79")
    leaving = await korkab(fake, db, 3003, "32")
    blocking = await korkab(fake, db, 3004, "32")
    member = Person(fake, banjar.members[1])

    categories = await member.says("/keluhan")
    await member.taps(categories, "Potongan atau pungutan")
    review = await member.taps(await member.says(LEVY_TEXT), "Lanjut")
    assert "Koordinator Wilayah PKH Jawa Barat, bila belum ditanggapi" in (review.plain or "")
    await member.taps(review, "Kirim keluhan")
    await bot.dispatch()
    assert len(about("K-0001", texts(fake, of_banjar.id))) == 1

    await people.remove_staff(db, leaving.id, now=clock.now())
    await blocked_the_bot(db, blocking.id)
    clock.advance(SLA + timedelta(minutes=1))
    await bot.dispatch()
    await bot.dispatch()  # the climb's step queued it: sent on the next tick
    for korwil in (leaving, blocking):
        assert not about("K-0001", texts(fake, korwil.id))
    late = [t for t in about("K-0001", texts(fake, of_banjar.id)) if "⏰" in t]
    assert len(late) == 1
    async with db.begin() as session:
        planned = list(
            await session.scalars(
                select(Delivery.key).where(Delivery.key.like("complaint:1:escalate:korwil:%"))
            )
        )
        step = await session.scalar(
            select(Delivery.reason).where(Delivery.key == "complaint:1:climb:1")
        )
    assert planned == [] and step == "climb: reminded korkab"


async def test_steps_queued_at_the_filing_by_the_code_before_still_decide_when_due(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    """A database filed before the climb steps holds one escalation row per person of every
    later level, planned at the filing. They still go, and one taken off her level or who
    blocked the bot since is skipped, saying why."""
    await import_areas(db, read_rows(SLICE.read_bytes()))
    banjar = await placed_group(db, fake, clock, "Banjar Satu", BANJAR_DESA, 500)
    of_banjar = await korkab(fake, db, 3001, "32.79")
    staying = await korkab(fake, db, 3002, "32")
    leaving = await korkab(fake, db, 3003, "32")
    blocking = await korkab(fake, db, 3004, "32")
    complaint_id = await file(db, banjar, clock, ComplaintCategory.LEVY)
    ids = [(await actor_for(db, k.user)).person_id for k in (staying, leaving, blocking)]
    async with db.begin() as session:
        # What the code before wrote instead of the climb's step.
        await session.execute(delete(Delivery).where(Delivery.kind == complaints.CLIMB_KIND))
        for korwil, person_id in zip((staying, leaving, blocking), ids, strict=True):
            await deliveries.enqueue(
                session,
                key=f"complaint:{complaint_id}:escalate:korwil:{person_id}",
                kind=complaints.ESCALATION_KIND,
                chat_id=korwil.id,
                due_at=clock.now() + SLA,
                person_id=person_id,
                group_id=banjar.group.id,
                payload={"complaint_id": complaint_id, "level": "korwil"},
            )
    await bot.dispatch()
    assert len(about("K-0001", texts(fake, of_banjar.id))) == 1

    await people.remove_staff(db, leaving.id, now=clock.now())
    await blocked_the_bot(db, blocking.id)
    clock.advance(SLA + timedelta(minutes=1))
    await bot.dispatch()
    assert len(about("K-0001", texts(fake, staying.id))) == 1
    for korwil in (leaving, blocking):
        assert not about("K-0001", texts(fake, korwil.id))
    async with db.begin() as session:
        reasons = set(
            await session.scalars(
                select(Delivery.reason).where(
                    Delivery.key.like(f"complaint:{complaint_id}:escalate:korwil:%"),
                    Delivery.status == DeliveryStatus.SKIPPED,
                )
            )
        )
    # The one taken off is skipped by the rule of now; the one who blocked, as before.
    assert reasons == {"no longer reached at this level", "blocked"}
