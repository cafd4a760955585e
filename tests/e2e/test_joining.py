"""Who is who: whoever holds a member link is not yet the member whose name she types.

A stranger with the link cannot become a roster member, learn a full name or see a meeting
without the last digits of the line's number or the chair's (or facilitator's) answer; guessing
stops at the limit with the same words whatever was typed; forged answers are refused."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage import groups, roster
from storage.db import SessionFactory
from storage.joining import DIGITS_LIMIT, SEARCH_LIMIT
from storage.models import InviteKind, Meeting, MeetingStatus, Member
from storage.roster.roster_file import RosterRow
from tests.e2e.builders import group_with_chat
from tests.e2e.conftest import PeopleFactory
from tests.e2e.harness import Person, RunningBot, data_of, labels, question_to
from tests.e2e.test_permissions import press
from timekeeping.clock import ManualClock

STOP = "batas hari ini sudah tercapai"


async def holder(db: SessionFactory, group_id: int, name: str) -> int | None:
    async with db.begin() as session:
        return await session.scalar(
            select(Member.person_id).where(Member.group_id == group_id, Member.name == name)
        )


async def test_a_stranger_with_the_member_link_cannot_become_a_member(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: PeopleFactory,
) -> None:
    setup = await group_with_chat(db, fake, clock)
    gid, boss = setup.group.id, setup.facilitator_actor
    await roster.import_rows(
        db,
        boss,
        gid,
        [
            RosterRow(5, "Siti Aminah", "3201 0000 0000 4321", None, False),
            RosterRow(6, "Dewi Lestari", None, None, False),
        ],
    )
    _, lines = await roster.list_members(db, boss, gid)
    await groups.set_chair(db, boss, next(m.id for m in lines if m.name == "Ibu0 KPM"))
    async with db.begin() as session:
        session.add(
            Meeting(
                group_id=gid,
                session_number=1,
                starts_at=clock.now() + timedelta(days=3),
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
                revision=1,
                venue="Rumah Rahasia RT 09",
            )
        )
    links = await groups.group_links(db, boss, gid, clock.now(), timedelta(days=14))
    token = links.tokens[InviteKind.MEMBER]
    chair, member = Person(fake, setup.members[0]), Person(fake, setup.members[1])

    # Her exact full name does not make her Siti: she must give the last four digits.
    stranger = people("Orang", "Asing")
    await stranger.says(f"/start {token}")
    found = await stranger.says("Siti Aminah")
    assert labels(found)[0] == "Siti A." and "Aminah" not in " ".join(labels(found))
    asked = await stranger.taps(found, "Siti A.")
    assert "4 angka terakhir" in (asked.plain or "")
    for attempt in range(1, DIGITS_LIMIT + 1):
        wrong = await stranger.says(f"{1000 + attempt}")
        assert ("Sisa percobaan" in (wrong.plain or "")) == (attempt < DIGITS_LIMIT)
    assert STOP in (wrong.plain or "") and "Bu Pendamping" in (wrong.plain or "")
    digit_stop = wrong.plain
    # The right digits now are too late; any further step gets the same stop.
    again = await stranger.says(f"/start {token}")
    assert "Ketik" in (again.plain or "")
    stopped = await stranger.says("Dewi")
    assert stopped.plain == digit_stop
    assert await holder(db, gid, "Siti Aminah") is None
    menu = await stranger.says("/jadwal")
    assert "Rumah Rahasia" not in (menu.plain or "")

    # A line without digits: the chair is asked; the stranger sees nothing of the group.
    other = people("Dewi", "Palsu")
    await other.says(f"/start {token}")
    found = await other.says("dew")
    waiting = await other.taps(found, "Dewi L.")
    assert "⏳" in (waiting.plain or "") and "ketua" in (waiting.plain or "")
    assert "Lestari" not in (waiting.plain or "") and "Rumah" not in (waiting.plain or "")
    await bot.dispatch()
    question = await question_to(fake, chair, "Dewi Lestari")
    assert "Dewi Palsu" in (question.plain or "")
    (right,) = [d for d in data_of(question, "ja:") if d.endswith(":1")]
    # Another member (and a forged press from the stranger herself) cannot answer it.
    refused = await press(fake, member, question, right)
    assert "bukan untuk" in refused.text
    refused = await press(fake, other, question, right)
    assert "bukan untuk" in refused.text
    assert await holder(db, gid, "Dewi Lestari") is None
    answered = await chair.taps(question, "Bukan")
    assert "ditolak" in (answered.plain or "")
    stale = await press(fake, chair, question, right)
    assert "sudah dijawab" in stale.text
    await bot.dispatch()
    told = await fake.wait_for_message(
        other.chat, lambda m: "tidak dikonfirmasi" in (m.plain or "")
    )
    assert "Lestari" not in (told.plain or "")
    assert await holder(db, gid, "Dewi Lestari") is None

    # The real Siti gives her digits (the whole number works too) and is in at once.
    siti = people("Siti")
    await siti.says(f"/start {token}")
    found = await siti.says("siti")
    await siti.taps(found, "Siti A.")
    welcome = await siti.says("4321")
    assert "anggota kelompok Mawar 1" in (welcome.plain or "")
    assert await holder(db, gid, "Siti Aminah") is not None


async def test_searches_are_bounded_and_never_list_the_roster(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: PeopleFactory,
) -> None:
    setup = await group_with_chat(db, fake, clock)
    gid, boss = setup.group.id, setup.facilitator_actor
    await roster.import_rows(
        db, boss, gid, [RosterRow(i, f"Sri Nama{i}", None, None, False) for i in range(5, 10)]
    )
    links = await groups.group_links(db, boss, gid, clock.now(), timedelta(days=14))
    stranger = people("Orang")
    await stranger.says(f"/start {links.tokens[InviteKind.MEMBER]}")
    short = await stranger.says("sr")
    assert "3 huruf" in (short.plain or "")
    many = await stranger.says("sri")  # five lines match: none is shown
    assert not data_of(many, "jp:") and "lebih lengkap" in (many.plain or "")
    for _ in range(SEARCH_LIMIT - 1):
        last = await stranger.says("zzz")
    assert STOP not in (last.plain or "")
    stopped = await stranger.says("Sri Nama5")
    assert STOP in (stopped.plain or "") and not data_of(stopped, "jp:")
    # The clock moves a day on: she may search again.
    clock.advance(timedelta(days=1, minutes=1))
    found = await stranger.says("Sri Nama5")
    assert labels(found)[0] == "Sri N."


async def test_a_name_not_listed_is_a_request_and_the_facilitator_can_unlink(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: PeopleFactory,
) -> None:
    setup = await group_with_chat(db, fake, clock)
    gid, boss = setup.group.id, setup.facilitator_actor
    links = await groups.group_links(db, boss, gid, clock.now(), timedelta(days=14))
    facilitator = Person(fake, setup.facilitator)
    newcomer = people("Rina")
    await newcomer.says(f"/start {links.tokens[InviteKind.MEMBER]}")
    none = await newcomer.says("Rina Baru")  # every line is linked already: she types it
    assert "⏳" in (none.plain or "") and "pendamping" in (none.plain or "")
    async with db.begin() as session:
        assert await session.scalar(select(Member.id).where(Member.name == "Rina Baru")) is None

    # The facilitator sees the pending join on the group's card and answers there.
    groups_list = await facilitator.says("/kelompok")
    card = await facilitator.taps(groups_list, "Mawar 1")
    assert "Menunggu konfirmasi: 1" in (card.plain or "")
    pending = await facilitator.taps(card, "Rina Baru")
    added = await facilitator.taps(pending, "Tambahkan")
    assert "sudah bergabung" in (added.plain or "")
    await bot.dispatch()
    await fake.wait_for_message(newcomer.chat, lambda m: "dikonfirmasi" in (m.plain or ""))
    line = await holder(db, gid, "Rina Baru")
    assert line is not None

    # Wrongly joined: one tap frees the line, and the person is told.
    async with db.begin() as session:
        member_id = await session.scalar(select(Member.id).where(Member.name == "Rina Baru"))
    menu = await facilitator.says("/start")
    await press(fake, facilitator, menu, f"m:{member_id}")
    shown = fake.last_message(facilitator.chat)
    assert shown is not None and "Lepas akun Telegram" in str(labels(shown))
    freed = await facilitator.taps(shown, "Lepas akun Telegram")
    assert "dilepas" in (freed.plain or "")
    assert await holder(db, gid, "Rina Baru") is None
    await bot.dispatch()
    await fake.wait_for_message(newcomer.chat, lambda m: "melepas akun" in (m.plain or ""))
