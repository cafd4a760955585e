"""Forged values in buttons are refused where they are parsed, and another facilitator's
"renew links" and "lock month" are refused at the first press, before any confirmation."""

from __future__ import annotations

from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from tests.e2e.builders import group_with_chat
from tests.e2e.harness import Person, RunningBot
from tests.e2e.test_permissions import STALE, press, snapshot
from timekeeping.clock import ManualClock

INTERNAL = "gangguan"
NOT_MONTHS = ["12", "-88", "999912", "0", "202613", "202600", "210001", "199912"]


async def test_forged_months_are_stale_buttons_never_the_internal_error(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    facilitator = Person(fake, setup.facilitator)
    fid, gid = setup.facilitator_actor.person_id, setup.group.id
    board = await facilitator.says("/status")
    before = await snapshot(db)
    for month in NOT_MONTHS:
        for data in (
            f"sb:{month}",
            f"sbf:{fid}:{month}",
            f"sbc:{fid}:{month}",
            f"sbl:{fid}:{month}",
            f"sbly:{fid}:{month}",
            f"sbu:{fid}:{month}",
            f"rpg:{gid}:{month}",
            f"rx:0:{month}",
            f"rx:1:{month}:{gid}",
        ):
            if month == "0" and data.startswith("sb:"):
                continue  # "sb" without a month is this month's board; 0 is not sent by us
            reply = await press(fake, facilitator, board, data)
            assert INTERNAL not in reply.text, data
            assert STALE in reply.text, (data, reply.text)
    reply = await press(fake, facilitator, board, "rp:999912")
    assert STALE in reply.text
    assert await snapshot(db) == before


async def test_typed_months_out_of_range_are_explained(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    facilitator = Person(fake, setup.facilitator)
    for typed in ("/laporan 9999-12", "/laporan 0000-12", "/ekspor 9999-12"):
        answer = await facilitator.says(typed)
        assert INTERNAL not in (answer.plain or ""), typed
        assert "2026-11" in (answer.plain or ""), (typed, answer.plain)  # says how to write it


async def test_another_facilitators_renew_and_lock_are_refused_at_the_first_press(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    mine = await group_with_chat(db, fake, clock)
    theirs = await group_with_chat(
        db, fake, clock, name="Melati 2", facilitator_id=510, first_member_id=700
    )
    facilitator = Person(fake, mine.facilitator)
    board = await facilitator.says("/status")
    before = await snapshot(db)
    other_fid, other_gid = theirs.facilitator_actor.person_id, theirs.group.id
    month = clock.now().year * 100 + clock.now().month

    lock = await press(fake, facilitator, board, f"sbl:{other_fid}:{month}")
    assert lock.answer is not None and "pendamping" in lock.answer
    renew = await press(fake, facilitator, board, f"grn:{other_gid}")
    assert renew.answer is not None and "bukan kelompok" in renew.answer
    # Nothing asked to be confirmed: no message shows the confirmation texts.
    shown = [m.plain or "" for m in fake.messages(facilitator.chat)]
    assert not any("Kunci daftar hadir" in text or "tidak berlaku" in text for text in shown)
    assert await snapshot(db) == before
    # Her own still asks first.
    own = await press(fake, facilitator, board, f"sbl:{mine.facilitator_actor.person_id}:{month}")
    assert "Kunci daftar hadir" in own.message_text


async def test_typed_dates_and_times_at_the_edges_are_explained(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    facilitator = Person(fake, setup.facilitator)
    code = setup.group.code
    for typed in (
        f"/jadwalkan {code} 31/12/9999 09.00",
        f"/jadwalkan {code} 01/01/0001 09.00",
        f"/jadwalkan {code} 00/00/0000 09.00",
        f"/jadwalkan {code} 12/12/99999 09.00",
        f"/jadwalkan {code} 12/12/2026 99.99",
        f"/jadwalkan {code} 12/12/2026 -1",
        f"/jadwalkan {code} 12/-12/2026 09.00",
    ):
        answer = await facilitator.says(typed)
        assert INTERNAL not in (answer.plain or ""), typed
        assert "Pertemuan disimpan" not in (answer.plain or ""), typed


async def test_a_forged_session_number_is_a_stale_button_answered_at_once(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    facilitator = Person(fake, setup.facilitator)
    step = await facilitator.says("/jadwalkan")
    assert any(data and data.startswith("ws:") for _, data in step.buttons), step.plain
    for data in ("ws:-88", "ws:999912", "ws:0", "ws:2147483647"):
        reply = await press(fake, facilitator, step, data)
        assert reply.answer is not None and STALE in reply.answer, data
    chosen = await press(fake, facilitator, step, "ws:1")
    assert INTERNAL not in chosen.text
