"""A facilitator's month in a few taps: standing rules for her groups, next month's proposal
(sent by the dispatcher a week ahead, or asked for), holidays moved, everything confirmed in
one tap with reminders planned; one date changed first; a 5th Tuesday in a four-Tuesday month.

The clock starts on Tuesday 1 December 2026; January 2027 is proposed. Its holidays (from the
holidays library): Friday 1 January (New Year) and Tuesday 5 January (Isra Mi'raj)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage import groups
from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus, Group, Meeting, MeetingRule
from tests.e2e.builders import GroupSetup, group_with_chat
from tests.e2e.harness import Person, RunningBot, labels
from timekeeping.clock import ManualClock


def wib(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour - 7, minute, tzinfo=UTC)


async def three_groups(
    db: SessionFactory, fake: FakeTelegram, clock: ManualClock
) -> tuple[Person, GroupSetup, list[str]]:
    """A facilitator with Mawar 1 (bound chat, members), Melati and Kenanga; their codes."""
    setup = await group_with_chat(db, fake, clock, name="Mawar 1")
    codes = [setup.group.code]
    for name in ("Melati", "Kenanga"):
        made = await groups.create_group(
            db,
            setup.facilitator_actor,
            name=name,
            village=None,
            venue=f"Balai {name}",
            timezone="Asia/Jakarta",
            now=clock.now(),
            ttl=timedelta(days=14),
        )
        codes.append(made.group.code)
    return Person(fake, setup.facilitator), setup, codes


async def meetings_by_group(db: SessionFactory) -> dict[str, list[Meeting]]:
    async with db.begin() as session:
        rows = await session.execute(
            select(Meeting, Group.name).join(Group, Group.id == Meeting.group_id)
        )
        found: dict[str, list[Meeting]] = {}
        for meeting, name in rows.tuples():
            found.setdefault(name, []).append(meeting)
        return found


async def test_rules_for_three_groups_proposed_a_week_ahead_moved_off_a_holiday_and_confirmed(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, setup, (mawar, melati, _) = await three_groups(db, fake, clock)

    # Two rules in one line each (one moved off a holiday), the third with buttons.
    saved = await f.says(f"/jadwal_tetap {mawar} selasa-2 09.00 Rumah ketua")
    assert "Jadwal tetap <b>Mawar 1</b> disimpan" in (saved.text or "")
    assert "Selasa ke-2 setiap bulan, pukul 09.00, di Rumah ketua" in (saved.plain or "")
    saved = await f.says(f"/jadwal_tetap {melati.lower()} Selasa minggu pertama pukul 10.00")
    assert "Selasa ke-1 setiap bulan, pukul 10.00, di Balai Melati" in (saved.plain or "")
    listing = await f.says("/jadwal_tetap")
    assert "Kenanga" in (listing.plain or "") and "belum ada jadwal tetap" in (listing.plain or "")
    step = await f.taps(listing, "🔁 Kenanga")
    step = await f.taps(step, "Kamis")
    step = await f.taps(step, "ke-3")
    step = await f.taps(step, "13.00")
    assert "Balai Kenanga" in labels(step)[0]
    saved = await f.taps(step, "Balai Kenanga")
    assert "Kamis ke-3 setiap bulan, pukul 13.00, di Balai Kenanga" in (saved.plain or "")
    # Nothing is scheduled by a rule alone.
    assert await meetings_by_group(db) == {}

    # The proposal is a due delivery in the database, a week before January, in the morning.
    async with db.begin() as session:
        planned = (
            await session.scalars(select(Delivery).where(Delivery.kind == "month_plan"))
        ).all()
    assert [(d.key.split(":")[-1], d.due_at) for d in planned] == [("202701", wib(2026, 12, 25, 8))]
    clock.set(wib(2026, 12, 25, 8))
    await bot.dispatch()
    proposal = await fake.wait_for_message(f.chat, lambda m: "Usulan jadwal" in (m.plain or ""))
    text = proposal.plain or ""
    assert "Usulan jadwal Januari 2027 (3 kelompok" in text
    assert "Selasa, 12 Januari 2027 pukul 09.00 WIB" in text  # Mawar 1
    # Melati's first Tuesday is Isra Mi'raj: the next working day instead, and why.
    assert "Rabu, 6 Januari 2027 pukul 10.00 WIB" in text
    assert "Selasa, 5 Januari 2027 adalah Isra Mikraj Nabi Muhammad" in text
    assert "Kamis, 21 Januari 2027 pukul 13.00 WIB" in text  # Kenanga
    assert "Sesi 1" in text and "Belum ada yang dijadwalkan" in text
    assert await meetings_by_group(db) == {}

    done = await f.taps(proposal, "Jadwalkan semua (3)")
    assert "3 pertemuan Januari 2027 dijadwalkan" in (done.plain or "")
    found = await meetings_by_group(db)
    assert {name: [m.starts_at for m in ms] for name, ms in found.items()} == {
        "Mawar 1": [wib(2027, 1, 12, 9)],
        "Melati": [wib(2027, 1, 6, 10)],
        "Kenanga": [wib(2027, 1, 21, 13)],
    }
    assert [m.venue for m in found["Mawar 1"]] == ["Rumah ketua"]
    # Kenanga's rule follows the group's usual place: the meeting is scheduled there.
    assert [m.venue for m in found["Kenanga"]] == ["Balai Kenanga"]
    async with db.begin() as session:
        reminders = (
            await session.scalars(
                select(Delivery).where(
                    Delivery.meeting_id == found["Mawar 1"][0].id, Delivery.kind == "reminder"
                )
            )
        ).all()
        keys = set(await session.scalars(select(Delivery.key).where(Delivery.kind == "month_plan")))
        sent = await session.scalar(select(Delivery.status).where(Delivery.key.endswith(":202701")))
    # Reminders to the group chat and each member, at every offset, before the meeting.
    assert reminders and {r.chat_id for r in reminders} >= {setup.chat.id}
    assert all(r.due_at < found["Mawar 1"][0].starts_at for r in reminders)
    assert sent is DeliveryStatus.SENT
    assert any(key.endswith(":202702") for key in keys)  # February's proposal is planned

    # Tapping again schedules nothing twice: the groups are already scheduled.
    again = await f.says("/usulan_jadwal")
    assert (again.plain or "").count("Sudah dijadwalkan") == 3
    assert not any("Jadwalkan semua" in label for label in labels(again))


async def test_one_date_changed_before_confirming(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, _, (mawar, melati, _) = await three_groups(db, fake, clock)
    await f.says(f"/jadwal_tetap {mawar} selasa-2 09.00 Rumah ketua")
    await f.says(f"/jadwal_tetap {melati} tanggal-20 09.00 Balai desa")
    proposal = await f.says("/usulan_jadwal")
    assert "Selasa, 12 Januari 2027" in (proposal.plain or "")
    picker = await f.taps(proposal, "✏️ Mawar 1")
    assert "pilih tanggal pertemuan Januari 2027" in (picker.plain or "")
    assert "🔴 Sel 5/1" in labels(picker)  # Isra Mi'raj is marked
    changed = await f.taps(picker, "Rab 13/1")
    text = changed.plain or ""
    assert "Rabu, 13 Januari 2027 pukul 09.00 WIB (diubah)" in text
    assert "Rabu, 20 Januari 2027 pukul 09.00 WIB" in text
    assert await meetings_by_group(db) == {}
    # Typing something else meanwhile is answered as usual; the change is kept.
    other = await f.says("halo")
    assert "Usulan jadwal" not in (other.plain or "")
    done = await f.taps(changed, "Jadwalkan semua (2)")
    assert "2 pertemuan Januari 2027 dijadwalkan" in (done.plain or "")
    found = await meetings_by_group(db)
    assert [m.starts_at for m in found["Mawar 1"]] == [wib(2027, 1, 13, 9)]
    assert [m.starts_at for m in found["Melati"]] == [wib(2027, 1, 20, 9)]
    # The rule itself is unchanged: February goes back to the second Tuesday.
    async with db.begin() as session:
        rule = await session.scalar(select(MeetingRule).join(Group).where(Group.code == mawar))
    assert rule is not None and (rule.weekday, rule.nth) == (1, 2)


async def test_a_fifth_tuesday_in_a_four_tuesday_month_is_flagged_and_chosen_by_hand(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, _, (mawar, _, _) = await three_groups(db, fake, clock)
    saved = await f.says(f"/jadwal_tetap {mawar} selasa-5 09.00 Rumah ketua")
    assert "Selasa ke-5 setiap bulan" in (saved.plain or "")
    proposal = await f.says("/usulan_jadwal")
    text = proposal.plain or ""
    assert "Januari 2027 tidak punya hari itu" in text and "Tidak saya geser" in text
    assert "Tidak ada pertemuan yang bisa dijadwalkan" in text
    assert not any("Jadwalkan semua" in label for label in labels(proposal))
    picker = await f.taps(proposal, "✏️ Mawar 1")
    changed = await f.taps(picker, "Sel 26/1")
    assert "Selasa, 26 Januari 2027 pukul 09.00 WIB (diubah)" in (changed.plain or "")
    done = await f.taps(changed, "Jadwalkan semua (1)")
    assert "1 pertemuan Januari 2027 dijadwalkan" in (done.plain or "")
    assert [m.starts_at for m in (await meetings_by_group(db))["Mawar 1"]] == [wib(2027, 1, 26, 9)]


async def test_mistakes_in_the_one_line_rule_say_what_to_write(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, _, (mawar, _, _) = await three_groups(db, fake, clock)
    answer = await f.says(f"/jadwal_tetap {mawar} selasa 09.00 Rumah ketua")
    assert "yang ke berapa dalam sebulan" in (answer.plain or "")
    answer = await f.says(f"/jadwal_tetap {mawar} selasa-2 Rumah ketua")
    assert "Jamnya belum ada" in (answer.plain or "")
    answer = await f.says("/jadwal_tetap NOPE selasa-2 09.00 Rumah")
    assert "tidak punya kelompok dengan kode NOPE" in (answer.plain or "")
    answer = await f.says(f"/jadwal_tetap {mawar} selasa-7 09.00 Rumah")
    assert "paling banyak punya 5" in (answer.plain or "")
    async with db.begin() as session:
        assert (await session.scalars(select(MeetingRule))).all() == []


async def test_a_fixed_date_with_buttons_and_typed_answers_from_the_group_card(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, setup, _ = await three_groups(db, fake, clock)
    groups_list = await f.says("/kelompok")
    card = await f.taps(groups_list, "Mawar 1")
    step = await f.taps(card, "Jadwal tetap bulanan")
    step = await f.taps(step, "Tanggal tetap")
    assert "tanggal berapa setiap bulan" in (step.plain or "")
    wrong = await f.says("40")
    assert "Ketik tanggal 1 sampai 31" in (wrong.plain or "")
    step = await f.says("15")
    assert "setiap tanggal 15" in (step.plain or "") and "jam berapa" in (step.plain or "")
    step = await f.says("9.30")
    assert "Rumah Bu Siti" in " ".join(labels(step))  # the group's usual place, one tap
    saved = await f.says("Posyandu Melati, RT 03")
    assert "setiap tanggal 15, pukul 09.30, di Posyandu Melati, RT 03" in (saved.plain or "")
    async with db.begin() as session:
        rule = await session.scalar(
            select(MeetingRule).where(MeetingRule.group_id == setup.group.id)
        )
    assert rule is not None
    assert (rule.day, rule.weekday, rule.minute_of_day, rule.venue) == (
        15,
        None,
        9 * 60 + 30,
        "Posyandu Melati, RT 03",
    )


async def test_the_date_step_offers_today_for_a_meeting_later_today(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, _, _ = await three_groups(db, fake, clock)  # Tuesday 1 December, 09.00 WIB
    step = await f.says("/jadwalkan")
    step = await f.taps(step, "Mawar 1")
    step = await f.taps(step, "✅")
    assert labels(step)[0] == "Hari ini (Sel 1/12)"
    step = await f.taps(step, "Hari ini")
    past = await f.says("08.00")
    assert "sudah lewat" in (past.plain or "")
    step = await f.says("15.00")
    step = await f.taps(step, "📍")
    saved = await f.taps(step, "Simpan")
    assert "Pertemuan disimpan" in (saved.plain or "")
    assert [m.starts_at for m in (await meetings_by_group(db))["Mawar 1"]] == [wib(2026, 12, 1, 15)]
    # Late in the evening today is no longer offered.
    clock.set(wib(2026, 12, 1, 21, 30))
    step = await f.says("/jadwalkan")
    step = await f.taps(step, "Mawar 1")
    step = await f.taps(step, "✅")
    assert labels(step)[0] == "Rab 2/12"


async def test_a_rule_at_the_usual_place_schedules_meetings_with_that_place(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    """The plan shows the group's usual place; the meeting and its card say it too."""
    f, _, _ = await three_groups(db, fake, clock)
    listing = await f.says("/jadwal_tetap")
    step = await f.taps(listing, "🔁 Mawar 1")
    step = await f.taps(step, "Selasa")
    step = await f.taps(step, "ke-2")
    step = await f.taps(step, "09.00")
    saved = await f.taps(step, "📍 Rumah Bu Siti")
    assert "pukul 09.00, di Rumah Bu Siti" in (saved.plain or "")
    proposal = await f.says("/usulan_jadwal")
    assert "📍 Rumah Bu Siti" in (proposal.plain or "")
    done = await f.taps(proposal, "Jadwalkan semua (1)")
    assert "1 pertemuan Januari 2027 dijadwalkan" in (done.plain or "")
    assert [m.venue for m in (await meetings_by_group(db))["Mawar 1"]] == ["Rumah Bu Siti"]
    listing = await f.says("/jadwal")
    card = await f.taps(listing, "Mawar 1")
    assert "Rumah Bu Siti" in (card.plain or "")
    assert "belum ditentukan" not in (card.plain or "")


async def test_a_double_tap_on_schedule_all_says_it_was_scheduled_not_zero(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, _, (mawar, melati, _) = await three_groups(db, fake, clock)
    await f.says(f"/jadwal_tetap {mawar} selasa-2 09.00 Rumah ketua")
    await f.says(f"/jadwal_tetap {melati} tanggal-20 09.00 Balai desa")
    proposal = await f.says("/usulan_jadwal")
    data = next(d for text, d in proposal.buttons if d and "Jadwalkan semua (2)" in text)
    first = await f.taps(proposal, "Jadwalkan semua (2)")
    assert "2 pertemuan Januari 2027 dijadwalkan" in (first.plain or "")
    # The same button again, pressed before the edit reached the phone (a double tap):
    # nothing is scheduled twice, and the message does not turn into "0 ... dijadwalkan".
    fake.mark_read(f.chat)
    await fake.press(f.user, proposal, data, forged=True)
    again = await fake.wait_for_message(f.chat)
    text = again.plain or ""
    assert "sudah dijadwalkan tadi" in text and "0 pertemuan" not in text
    assert "Mawar 1: Selasa, 12 Januari 2027 pukul 09.00 WIB" in text
    assert "Melati: Rabu, 20 Januari 2027 pukul 09.00 WIB" in text
    found = await meetings_by_group(db)
    assert {name: len(ms) for name, ms in found.items()} == {"Mawar 1": 1, "Melati": 1}


async def test_another_facilitators_press_on_schedule_all_is_refused(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    f, _, (mawar, _, _) = await three_groups(db, fake, clock)
    await f.says(f"/jadwal_tetap {mawar} selasa-2 09.00 Rumah ketua")
    proposal = await f.says("/usulan_jadwal")
    data = next(d for text, d in proposal.buttons if d and "Jadwalkan semua" in text)
    other_setup = await group_with_chat(
        db, fake, clock, name="Anggrek", facilitator_id=700, first_member_id=800
    )
    other = Person(fake, other_setup.facilitator)
    own = await other.says("/usulan_jadwal")  # a message of hers to press on
    before = len(fake.calls_to("answerCallbackQuery"))
    query = await fake.press(other.user, own, data, forged=True)
    await fake.wait_for_call("answerCallbackQuery", count=before + 1)
    answer = fake.callback_answers[query].text or ""
    assert "bukan untuk Ibu/Bapak" in answer and "dijadwalkan" not in answer
    assert await meetings_by_group(db) == {}
    # Her codes cannot be probed either: another's group and a made-up code answer alike.
    for command in (
        f"/jadwal_tetap {mawar} selasa-2 09.00 Rumah",
        "/jadwal_tetap NOPE1 selasa-2 09.00 Rumah",
    ):
        answer_msg = await other.says(command)
        code = command.split()[1]
        assert (answer_msg.plain or "") == (
            f"❌ Ibu/Bapak tidak punya kelompok dengan kode {code}. "
            "Lihat kode kelompok Ibu/Bapak di /jadwal_tetap."
        )
    for command in (f"/jadwalkan {mawar} 12/01/2027 09.00", "/jadwalkan NOPE1 12/01/2027 09.00"):
        answer_msg = await other.says(command)
        assert "tidak punya kelompok dengan kode" in (answer_msg.plain or ""), command
    async with db.begin() as session:
        assert len((await session.scalars(select(MeetingRule))).all()) == 1


async def test_one_off_meetings_on_holidays_are_warned_and_examples_are_working_days(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    """The date step's example is a working day a week ahead (not Christmas Day); holidays
    and cuti bersama are marked, and a meeting on one is saved only after a warning."""
    f, _, (mawar, _, _) = await three_groups(db, fake, clock)
    clock.set(wib(2026, 12, 18, 9))  # a week before Christmas
    step = await f.says("/jadwalkan")
    step = await f.taps(step, "Mawar 1")
    step = await f.taps(step, "✅")
    text = step.plain or ""
    # 25/12 is Christmas, 26-27 a weekend: the example is Monday 28 December.
    assert "misalnya 28/12/2026" in text and "25/12/2026" not in text
    assert "🔴 = hari libur atau cuti bersama" in text
    marked = [label for label in labels(step) if label.startswith("🔴")]
    assert marked == ["🔴 Kam 24/12", "🔴 Jum 25/12", "🔴 Jum 1/1"]
    step = await f.taps(step, "🔴 Jum 25/12")
    assert "Jumat, 25 Desember 2026 adalah Hari Raya Natal (hari libur nasional)" in (
        step.plain or ""
    )
    step = await f.taps(step, "09.00")
    confirm = await f.taps(step, "📍")
    assert "Hari Raya Natal" in (confirm.plain or "")
    assert "✅ Simpan juga" in labels(confirm)
    assert await meetings_by_group(db) == {}

    # The one-line form warns too, and waits for the tap; its usage shows the same example.
    warned = await f.says(f"/jadwalkan {mawar} 24/12/2026 09.00")
    assert "Cuti Bersama Hari Raya Natal</b> (cuti bersama)" in (warned.text or "")
    assert "✅ Simpan juga" in labels(warned)
    assert await meetings_by_group(db) == {}
    saved = await f.taps(warned, "Simpan juga")
    assert "Pertemuan disimpan" in (saved.plain or "")
    usage = await f.says(f"/jadwalkan {mawar} kemarin 09.00")
    assert "seperti 28/12/2026" in (usage.plain or "")
    assert "/jadwalkan MAWAR1 28/12/2026 09.00" in (usage.plain or "")
    # A working day is saved at once, as before.
    plain = await f.says(f"/jadwalkan {mawar} 28/12/2026 15.00")
    assert "Pertemuan disimpan" in (plain.plain or "")
