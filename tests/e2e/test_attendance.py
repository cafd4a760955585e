"""The roll call by buttons: 30 members, paging, two editors at once, self check-in, locks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from simulator.emulator import CallbackAnswer, FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Group, Meeting, MeetingStatus, Member, Person, StaffRole
from storage.models.attendance import Attendance, AttendanceSource, AttendanceStatus
from tests.e2e.harness import Person as TgPerson
from tests.e2e.harness import RunningBot, callback_of, labels
from timekeeping.clock import ManualClock


@dataclass
class Scene:
    facilitator: TgPerson
    chair: TgPerson
    member: TgPerson
    outsider: TgPerson
    group_ids: list[int]
    meeting_ids: list[int]
    member_ids: list[int]


async def add_meeting(db: SessionFactory, group_id: int, starts_at: datetime) -> int:
    async with db.begin() as session:
        meeting = Meeting(
            group_id=group_id,
            session_number=3,
            starts_at=starts_at,
            duration_minutes=120,
            status=MeetingStatus.SCHEDULED,
            revision=1,
        )
        session.add(meeting)
        await session.flush()
        return meeting.id


async def scene(
    db: SessionFactory,
    clock: ManualClock,
    people: object,
    *,
    groups: int = 1,
    roster: int = 30,
    chair_of_all: bool = False,
    started_ago: timedelta = timedelta(minutes=10),
) -> Scene:
    """A facilitator with groups of `roster` members; the chair and a member are on Telegram."""
    make = people  # the e2e PeopleFactory
    facilitator = make("Bu", "Rina")  # type: ignore[operator]
    chair = make("Siti")  # type: ignore[operator]
    member = make("Nur")  # type: ignore[operator]
    outsider = make("Orang", "Lain")  # type: ignore[operator]
    async with db.begin() as session:
        ids: dict[str, int] = {}
        for key, person, role in (
            ("fac", facilitator, StaffRole.FACILITATOR),
            ("chair", chair, None),
            ("member", member, None),
            ("outsider", outsider, None),
        ):
            row = Person(
                telegram_user_id=person.id,
                name=person.user.first_name,
                staff_role=role,
                active=True,
            )
            session.add(row)
            await session.flush()
            ids[key] = row.id
        group_ids, member_ids = [], []
        for index in range(groups):
            group = Group(
                code=f"G{index}",
                name=f"Mawar {index + 1}",
                timezone="Asia/Jakarta",
                facilitator_id=ids["fac"],
            )
            session.add(group)
            await session.flush()
            rows = [
                Member(group_id=group.id, name=f"Anggota {n:02d}", active=True)
                for n in range(roster)
            ]
            if index == 0 or chair_of_all:
                rows[0].name, rows[0].person_id = "Siti", ids["chair"]
            if index == 0:
                rows[1].name, rows[1].person_id = "Nur", ids["member"]
            session.add_all(rows)
            await session.flush()
            if index == 0 or chair_of_all:
                group.chair_member_id = rows[0].id
            group_ids.append(group.id)
            if index == 0:
                member_ids = [m.id for m in rows]
        other = Group(
            code="LAIN", name="Kelompok Lain", timezone="Asia/Jakarta", facilitator_id=ids["fac"]
        )
        session.add(other)
        await session.flush()
        outsider_row = Member(group_id=other.id, name="Orang", person_id=ids["outsider"])
        session.add(outsider_row)
        await session.flush()
        other.chair_member_id = outsider_row.id
    meeting_ids = [await add_meeting(db, gid, clock.now() - started_ago) for gid in group_ids]
    for person in (facilitator, chair, member, outsider):
        await person.says("/start")
    return Scene(facilitator, chair, member, outsider, group_ids, meeting_ids, member_ids)


async def statuses(db: SessionFactory, meeting_id: int) -> dict[int, tuple[str, str]]:
    async with db.begin() as session:
        rows = await session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
        return {r.member_id: (r.status.value, r.source.value) for r in rows}


async def answer_of(fake: FakeTelegram, query: str) -> CallbackAnswer:
    """The bot's answer to a button press, once it has given one."""
    while True:
        seen = len(fake.calls_to("answerCallbackQuery"))
        if query in fake.callback_answers:
            return fake.callback_answers[query]
        await fake.wait_for_call("answerCallbackQuery", count=seen + 1, timeout=10)


def name_buttons(message: SentMessage) -> list[str]:
    return [text for text, data in message.buttons if data and data.startswith("abt:")]


async def test_chair_takes_a_30_member_roll_call_with_few_taps(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people)
    mid = s.meeting_ids[0]

    # The member checks herself in during the meeting ("Saya hadir" from /absen).
    offer = await s.member.says("/absen")
    assert "sedang berlangsung" in (offer.plain or "")
    done = await s.member.taps(offer, "Saya hadir")
    assert "Tercatat" in (done.plain or "")

    taps = 0
    screen = await s.chair.says("/absen")
    assert "Daftar hadir Mawar 1" in (screen.plain or "")
    assert len(name_buttons(screen)) == 10
    assert "⬜ Belum 29" in (screen.plain or "")
    last_page = await s.chair.taps(await s.chair.taps(screen, "2/3 ▶️"), "3/3 ▶️")
    assert any("Nur 🙋" in label and label.startswith("✅H") for label in labels(last_page))
    screen = await s.chair.taps(await s.chair.taps(last_page, "◀️ 2/3"), "◀️ 1/3")

    screen = await s.chair.taps(screen, "Yang belum ditandai = Hadir")
    taps += 1
    assert "29 anggota ditandai Hadir" in (screen.plain or "")
    assert "✅ Hadir 30" in (screen.plain or "")
    # Three absentees, one per status, on the first two pages.
    screen = await s.chair.taps(screen, "Anggota 03")  # Hadir -> Izin
    screen = await s.chair.taps(screen, "Anggota 04")
    screen = await s.chair.taps(screen, "Anggota 04")  # -> Sakit
    taps += 3
    screen = await s.chair.taps(screen, "2/3 ▶️")
    assert "Anggota 21" in " ".join(labels(screen))
    for _ in range(3):  # Hadir -> Izin -> Sakit -> Alfa
        screen = await s.chair.taps(screen, "Anggota 12")
    taps += 4
    assert any(label.startswith("❌A Anggota 12") for label in labels(screen))
    saved = await s.chair.taps(screen, "Simpan daftar hadir")
    taps += 1
    assert "tersimpan" in (saved.plain or "")
    assert "✅ Hadir 27 · 📝 Izin 1 · 🤒 Sakit 1 · ❌ Alfa 1 · ⬜ Belum 0" in (saved.plain or "")
    assert taps <= 10  # 30 members recorded in ten taps

    recorded = await statuses(db, mid)
    assert len(recorded) == 30
    assert recorded[s.member_ids[1]] == ("hadir", "self")
    assert recorded[s.member_ids[12]] == ("alfa", "chair")


async def test_two_editors_last_tap_wins_and_nothing_else_is_lost(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=12)
    chair_screen = await s.chair.says("/absen")
    pick = await s.facilitator.says("/absen")
    fac_screen = await s.facilitator.taps(pick, "Mawar 1")
    # Both look at the same old screen; each taps a different member, then the same one.
    await s.chair.taps(chair_screen, "Anggota 05")
    await s.facilitator.taps(fac_screen, "Anggota 06")
    await s.chair.taps(chair_screen, "Anggota 07")  # chair's stale screen: ⬜ -> Hadir
    fac_latest = await s.facilitator.taps(fac_screen, "Anggota 07")  # also ⬜ -> Hadir
    await s.facilitator.taps(fac_latest, "Anggota 07")  # fresh screen: Hadir -> Izin
    recorded = await statuses(db, s.meeting_ids[0])
    ids = s.member_ids
    names = {f"Anggota {n:02d}": n for n in range(12)}
    assert recorded[ids[names["Anggota 05"]]] == ("hadir", "chair")
    assert recorded[ids[names["Anggota 06"]]] == ("hadir", "facilitator")
    assert recorded[ids[names["Anggota 07"]]] == ("izin", "facilitator")
    # The chair's next screen shows the facilitator's changes too.
    fresh = await s.chair.taps(chair_screen, "Anggota 08")
    assert any(label.startswith("📝I Anggota 07") for label in labels(fresh))
    assert any(label.startswith("✅H Anggota 06") for label in labels(fresh))


async def test_strangers_and_forged_buttons_are_refused(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=5)
    mid, victim = s.meeting_ids[0], s.member_ids[3]
    screen = await s.chair.says("/absen")
    tap = callback_of(screen, "Anggota 03")
    assert tap.startswith(f"abt:{mid}:{victim}:")

    # A member forges the chair's button; another group's chair forges one too.
    for intruder, data in (
        (s.member, tap),
        (s.outsider, tap),
        (s.outsider, f"abg:{s.group_ids[0]}"),
        (s.chair, f"abt:{mid}:{victim}:9:0"),
        (s.chair, f"abt:{mid}:999999:1:0"),
    ):
        query = await fake.press(intruder.user, screen, data, forged=True)
        answer = await answer_of(fake, query)
        assert answer.show_alert, data
    answers = [a.text or "" for a in fake.callback_answers.values()]
    assert any("hanya diisi oleh ketua" in text for text in answers)
    assert await statuses(db, mid) == {}

    # A member's /absen never shows the roll call: only her own check-in.
    offer = await s.member.says("/absen")
    assert "Daftar hadir" not in (offer.plain or "")

    # The facilitator locks the month from /status; the chair can no longer change it.
    board = await s.facilitator.says("/status")
    assert "Mawar 1" in (board.plain or "")
    ask = await s.facilitator.taps(board, "Kunci daftar hadir")
    locked = await s.facilitator.taps(ask, "Ya, kunci")
    assert "dikunci untuk 2 kelompok" in (locked.plain or "")
    query = await fake.press(s.chair.user, screen, tap)
    assert "dikunci" in ((await answer_of(fake, query)).text or "")
    assert await statuses(db, mid) == {}
    relook = await s.chair.says("/absen")
    assert "dikunci" in (relook.plain or "") and name_buttons(relook) == []


async def test_checkin_outside_the_meeting_and_members_without_telegram(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await scene(db, clock, people, roster=5, started_ago=timedelta(hours=-5))
    offer = await s.member.says("/absen")
    assert "Sekarang tidak ada pertemuan" in (offer.plain or "")
    refused = await s.chair.says("/absen")
    assert "Belum ada pertemuan" in (refused.plain or "") or "belum ada pertemuan" in (
        refused.plain or ""
    )
    # Four minutes before the start the check-in is open, but the meeting is not "on" yet.
    clock.advance(timedelta(hours=5) - timedelta(minutes=4))
    early = await s.member.says("/absen")
    assert "dimulai 4 menit lagi" in (early.plain or "")
    assert "sedang berlangsung" not in (early.plain or "")
    assert "Saya hadir" in " ".join(labels(early))
    clock.advance(timedelta(minutes=4))
    async with db.begin() as session:
        for member_id, phone in ((s.member_ids[2], "081234500002"), (s.member_ids[1], "0899")):
            await session.execute(update(Member).where(Member.id == member_id).values(phone=phone))
    screen = await s.chair.says("/absen")
    # Members without Telegram are on the list like everyone else.
    assert {"⬜ Anggota 02", "⬜ Anggota 03", "⬜ Anggota 04"} <= set(labels(screen))
    # The chair can call those without Telegram: their roster phone number is shown (issue
    # 21: the number is used for this, or not imported); a member on Telegram's is not.
    assert "Anggota 02: 081234500002" in (screen.plain or "")
    assert "0899" not in (screen.plain or "")
    async with db.begin() as session:
        sources = await session.scalars(select(Attendance.source))
        assert list(sources) == []
    assert AttendanceSource.SELF.value == "self" and AttendanceStatus.HADIR.value == "hadir"


async def test_checkin_after_the_meeting_ended_does_not_say_it_is_on(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    # A two-hour meeting that ended ten minutes ago: check-in is still open for 20 minutes.
    s = await scene(db, clock, people, roster=5, started_ago=timedelta(minutes=130))
    late = await s.member.says("/absen")
    assert "sudah selesai" in (late.plain or "")
    assert "sedang berlangsung" not in (late.plain or "")
    assert "30 menit setelah pertemuan selesai" in (late.plain or "")
    assert "Saya hadir" in " ".join(labels(late))
