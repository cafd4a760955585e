"""Names are data: a roster of hostile names shows verbatim on every screen that lists it.

A name with "</pre>" or "<b>" put into HTML unescaped makes Telegram refuse the message (the
fake parses HTML as strictly as Telegram), so nobody could see that screen; a well-formed tag
would render as markup. Each screen must show the names exactly as they were written."""

from __future__ import annotations

from sqlalchemy import update

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Group, Member
from tests.e2e.harness import Person, RunningBot
from tests.e2e.test_attendance import scene
from tests.e2e.test_permissions import press
from timekeeping.clock import ManualClock

HOSTILE = ["</pre><b>x", "Tom &amp; Jerry", '<a href="x">klik</a>', "<i>Ani", "a < b > c &"]
GROUP = "<b>Mawar</b> & </code>"
INTERNAL = "gangguan"


def shows_all(message: SentMessage | None, names: list[str]) -> bool:
    text = (message.plain or "") if message else ""
    return INTERNAL not in text and all(name in text for name in names)


async def open_screen(fake: FakeTelegram, person: Person, on: SentMessage, data: str) -> str:
    reply = await press(fake, person, on, data)
    assert reply.answer is None or INTERNAL not in reply.answer, (data, reply.answer)
    return reply.message_text


async def test_every_screen_shows_a_hostile_roster_verbatim(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=len(HOSTILE) + 2)
    gid, mid = s.group_ids[0], s.meeting_ids[0]
    hostile_ids = s.member_ids[2:]
    async with db.begin() as session:
        for member_id, name in zip(hostile_ids, HOSTILE, strict=True):
            await session.execute(update(Member).where(Member.id == member_id).values(name=name))
        await session.execute(update(Group).where(Group.id == gid).values(name=GROUP))

    # The chair's roll call, open: names on buttons; then everyone present, saved.
    roll = await s.chair.says("/absen")
    assert INTERNAL not in (roll.plain or "") and GROUP in (roll.plain or "")
    assert all(any(name in label for label, _ in roll.buttons) for name in HOSTILE)
    marked = await s.chair.taps(roll, "belum ditandai")
    await s.chair.taps(marked, "Simpan")

    # The facilitator's board, locking the month, the locked roll call with names as text.
    board = await s.facilitator.says("/status")
    assert GROUP in (board.plain or "") and INTERNAL not in (board.plain or "")
    ask = await s.facilitator.taps(board, "Kunci daftar hadir")
    await s.facilitator.taps(ask, "Ya, kunci")
    locked = await s.chair.says("/absen")
    assert "dikunci" in (locked.plain or "")
    assert shows_all(locked, HOSTILE), locked.plain
    history = await open_screen(fake, s.chair, locked, f"abr:{mid}")
    assert INTERNAL not in history and GROUP in history

    # Staff screens: the group, its roster, one member, the month's report and the record.
    menu = await s.facilitator.says("/start")
    group = await open_screen(fake, s.facilitator, menu, f"g:{gid}")
    assert GROUP in group
    roster = await press(fake, s.facilitator, menu, f"ros:{gid}:0")
    assert GROUP in roster.message_text
    member = await open_screen(fake, s.facilitator, menu, f"m:{hostile_ids[0]}")
    assert HOSTILE[0] in member
    month = clock.now().year * 100 + clock.now().month
    report = await open_screen(fake, s.facilitator, menu, f"rpg:{gid}:{month}")
    assert GROUP in report
    fake.mark_read(s.facilitator.chat)
    await fake.press(s.facilitator.user, menu, f"rra:{mid}", forged=True)
    listed = await fake.wait_for_message(s.facilitator.chat)
    assert shows_all(listed, HOSTILE), listed.plain


async def test_complaints_and_meetings_show_hostile_names_verbatim(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    from datetime import timedelta

    from storage.models import Meeting, MeetingStatus
    from tests.e2e.builders import group_with_chat

    setup = await group_with_chat(db, fake, clock)
    gid = setup.group.id
    async with db.begin() as session:
        await session.execute(
            update(Member)
            .where(Member.group_id == gid, Member.name == "Ibu0 KPM")
            .values(name=HOSTILE[0])
        )
        await session.execute(
            update(Group).where(Group.id == gid).values(name=GROUP, venue=HOSTILE[2])
        )
        session.add(
            Meeting(
                group_id=gid,
                session_number=2,
                starts_at=clock.now() + timedelta(days=2),
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
                revision=1,
                venue=HOSTILE[4],
            )
        )
    await bot.dispatch()
    member, facilitator = Person(fake, setup.members[0]), Person(fake, setup.facilitator)

    categories = await member.says("/keluhan")
    await member.taps(categories, "Lainnya")
    attach = await member.says("Tolong </pre><b>bantu</b> & <i>segera")
    review = await member.taps(attach, "Lanjut")
    assert "</pre><b>bantu</b> & <i>segera" in (review.plain or "")
    await member.taps(review, "Kirim keluhan")
    await bot.dispatch()
    notice = [m for m in fake.messages(facilitator.chat) if "K-0001" in (m.plain or "")]
    assert notice and HOSTILE[0] in (notice[-1].plain or "") and GROUP in (notice[-1].plain or "")
    inbox = await facilitator.says("/keluhan_masuk")
    assert INTERNAL not in (inbox.plain or "")
    card = await facilitator.taps(inbox, "K-0001")
    assert HOSTILE[0] in (card.plain or "") and "</pre><b>bantu</b>" in (card.plain or "")

    schedule = await facilitator.says("/jadwal")
    assert INTERNAL not in (schedule.plain or "")
    assert any(GROUP in label for label, _ in schedule.buttons)
    meeting = await facilitator.taps(schedule, "Mawar")
    assert GROUP in (meeting.plain or "") and HOSTILE[4] in (meeting.plain or "")
