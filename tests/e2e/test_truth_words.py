"""Issue 11, "words that promise what the bot does not do" and "smaller truths", end to end.

Each test reads what a member, a chair, a facilitator or a coordinator is really shown through
the fake Bot API, in Indonesian and in English, and checks it promises only what happens."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Meeting, MeetingStatus, Member, QuizPoll
from storage.models.attendance import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
    ConfirmStep,
)
from tests.e2e import harness
from tests.e2e.harness import Person, RunningBot, callback_of, labels
from tests.e2e.test_attendance import answer_of
from tests.e2e.test_attendance import scene as roll_call_scene
from tests.e2e.test_meetings import Cast, schedule_with_buttons, set_up_group
from tests.e2e.test_reminders import MEETING, reminders, tick_at
from tests.e2e.test_reports import LATER, until_button
from tests.e2e.test_reports import scene as report_scene
from timekeeping.clock import ManualClock


async def to_english(person: Person) -> None:
    choice = await person.says("/bahasa")
    done = await person.taps(choice, "English")
    assert "English" in (done.plain or "")


def data_starting(message: SentMessage, prefix: str) -> str:
    return next(d for _, d in message.buttons if d is not None and d.startswith(prefix))


def texts(fake: FakeTelegram, chat: object) -> list[str]:
    return [m.plain or "" for m in fake.messages(chat)]  # type: ignore[arg-type]


# -- RSVP: an intention, not attendance ---------------------------------------------------------


async def test_rsvp_is_a_plan_and_says_who_records_attendance(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, clock: ManualClock
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    siti, ani = cast.members
    await to_english(ani)
    await schedule_with_buttons(cast.facilitator)
    await tick_at(bot, clock, MEETING - timedelta(days=3))

    (group_reminder,) = reminders(fake, cast.chat)
    assert labels(group_reminder) == ["✅ Saya akan datang (0)", "❌ Tidak bisa datang (0)"]
    text = group_reminder.plain or ""
    assert "Apakah Ibu/Bapak akan datang?" in text
    assert "Ini hanya rencana; kehadiran dicatat ketua di pertemuan" in text
    assert "Hadir (" not in text and "Anda" not in text

    # Ani reads English: her private copy says the same.
    private = [m for m in fake.messages(ani.user) if "P2K2 meeting reminder" in (m.plain or "")]
    assert len(private) == 1
    assert labels(private[0]) == ["✅ I will come (0)", "❌ I can't come (0)"]
    assert "only your plan; the chair records attendance" in (private[0].plain or "")

    # The answers say it is a plan, and whom to tell when one cannot come.
    query = await fake.press(siti.user, group_reminder, callback_of(group_reminder, "Saya akan"))
    answer = (await answer_of(fake, query)).text or ""
    assert "Rencana Ibu/Bapak tercatat: akan datang" in answer
    assert "kehadiran dicatat ketua di pertemuan" in answer
    query = await fake.press(siti.user, group_reminder, callback_of(group_reminder, "Tidak bisa"))
    answer = (await answer_of(fake, query)).text or ""
    assert "beri tahu ketua kelompok" in answer and "Izin atau Sakit" in answer
    assert len(answer) <= 200  # Telegram's limit for a button answer
    fake.mark_read(ani.chat)
    query = await fake.press(ani.user, private[0], callback_of(private[0], "I can't come"))
    answer = (await answer_of(fake, query)).text or ""
    assert "tell the group chair" in answer and "Excused or Sick" in answer
    own = await fake.wait_for_message(ani.chat)
    assert labels(own) == ["✅ I will come (0)", "❌ I can't come (2)"]  # with Siti's


# -- staff are told who was told ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
async def test_reschedule_and_cancel_say_only_telegram_members_were_told(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, language: str
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    f = cast.facilitator
    await schedule_with_buttons(f)
    await f.says("/jadwalkan MAWAR1 19/12/2026 10.00")
    if language == "en":
        await to_english(f)

    listing = await f.says("/jadwal")
    view = await f.taps(listing, "12/12")
    step = await f.taps(view, data_starting(view, "wr:"))  # labels differ per language
    step = await f.taps(step, "14/12")
    step = await f.taps(step, "13")  # 13.00 in Indonesian, 13:00 in English
    confirm = await f.taps(step, "📍")
    confirm_text = confirm.plain or ""  # the same message is edited by the next tap
    moved = await f.taps(confirm, "Simpan" if language == "id" else "Save")
    moved_text = moved.plain or ""
    listing = await f.says("/jadwal")
    view = await f.taps(listing, "19/12")
    ask = await f.taps(view, "Batalkan pertemuan" if language == "id" else "Cancel the meeting")
    ask_text = ask.plain or ""
    done = await f.taps(ask, "Ya, batalkan" if language == "id" else "Yes, cancel it")
    done_text = done.plain or ""

    if language == "id":
        assert "Anggota yang memakai Telegram akan diberi tahu" in confirm_text
        for text in (moved_text, done_text):
            assert "Bot memberi tahu anggota yang memakai Telegram" in text
            assert "Minta ketua memberi tahu anggota lain" in text
            assert "Anggota diberi tahu" not in text
        assert "anggota lain perlu diberi tahu ketua" in ask_text
    else:
        assert "Members on Telegram will be told" in confirm_text
        for text in (moved_text, done_text):
            assert "The bot told the members who use Telegram" in text
            assert "Ask the chair to tell the members who do not use Telegram" in text
            assert "Members have been told" not in text


# -- the recap thanks only when someone came ------------------------------------------------------


async def _set_state(db: SessionFactory, state: str) -> None:
    async with db.begin() as session:
        meeting = await session.scalar(select(Meeting).order_by(Meeting.id))
        assert meeting is not None
        if state == "held":
            member = await session.scalar(select(Member).where(Member.group_id == meeting.group_id))
            assert member is not None
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    member_id=member.id,
                    status=AttendanceStatus.HADIR,
                    source=AttendanceSource.CHAIR,
                )
            )
        elif state == "not_held":
            member = await session.scalar(select(Member).where(Member.group_id == meeting.group_id))
            assert member is not None and member.person_id is not None
            session.add(
                ConfirmationRequest(
                    meeting_id=meeting.id,
                    group_id=meeting.group_id,
                    chair_person_id=member.person_id,
                    state=ConfirmState.ANSWERED,
                    step=ConfirmStep.DONE,
                    outcome=ConfirmOutcome.NOT_HELD,
                )
            )


@pytest.mark.parametrize(
    ("state", "language"),
    [("unknown", "id"), ("held", "id"), ("not_held", "id"), ("unknown", "en"), ("held", "en")],
)
async def test_recap_words_follow_what_happened_and_the_quiz_is_anonymous(
    bot: RunningBot,
    fake: FakeTelegram,
    coordinator: Person,
    people: object,
    clock: ManualClock,
    db: SessionFactory,
    database_url: str,
    state: str,
    language: str,
) -> None:
    if language == "en":  # the group chat's language is the deployment's
        await bot.stop()
        bot.settings = harness.test_settings(fake, database_url, P2K2_LANGUAGE="en")
        await bot.start()
    cast: Cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    await _set_state(db, state)
    await tick_at(bot, clock, MEETING + timedelta(hours=3))
    group = texts(fake, cast.chat)
    recaps = [t for t in group if "📖" in t and ("Ringkasan sesi" in t or "recap" in t)]
    polls = [m for m in fake.messages(cast.chat) if m.poll is not None]
    if state == "not_held":
        # The chair said it did not happen: no recap of it and no quiz.
        assert recaps == [] and polls == []
        assert not any("Terima kasih" in t for t in group)
        return
    (recap,) = [t for t in group if "Mawar 1" in t and ("Ringkasan" in t or "recap" in t)]
    thanks = {"id": "Terima kasih kepada yang sudah datang", "en": "Thank you to everyone who came"}
    neutral = {
        "id": "untuk yang datang dan yang belum sempat datang",
        "en": "for those who came and those who could not",
    }
    if state == "held":
        assert thanks[language] in recap
    else:
        assert neutral[language] in recap and "Terima kasih" not in recap
        assert "Thank you" not in recap
    assert "sudah ikut" not in recap and "for joining" not in recap
    secret = {"id": "Jawabannya <b>rahasia</b>", "en": "Answers are <b>anonymous</b>"}
    intro = next(m for m in fake.messages(cast.chat) if "🧠" in (m.plain or ""))
    assert secret[language] in (intro.text or "")
    assert polls and all(p.poll is not None and p.poll["is_anonymous"] for p in polls)

    # Two members answer the first question; only the counts are kept and reported.
    first = polls[0].poll
    assert first is not None
    correct = int(first["correct_option_ids"][0])
    await fake.answer_poll(cast.members[0].user, polls[0], [correct])
    await fake.answer_poll(cast.members[1].user, polls[0], [(correct + 1) % 3])
    await bot.settle()
    async with db.begin() as session:
        stored = await session.get_one(QuizPoll, first["id"])
    assert (stored.voters, stored.correct_voters) == (2, 1)


# -- Daftar hadir, not "Absen" -------------------------------------------------------------------


async def test_the_roll_call_is_called_daftar_hadir_and_absen_still_works(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await roll_call_scene(db, clock, people, roster=5)
    menu = await s.chair.says("/start")
    assert "📋 Daftar hadir" in labels(menu)
    assert not any("Absen" in label for label in labels(menu))
    assert "Ibu/Bapak" in (menu.plain or "") and "Anda" not in (menu.plain or "")
    screen = await s.chair.says("/daftar_hadir")
    assert "Daftar hadir Mawar 1" in (screen.plain or "")
    screen = await s.chair.says("/absen")  # the old word still works
    assert "Daftar hadir Mawar 1" in (screen.plain or "")
    helped = (await s.chair.says("/help")).plain or ""
    assert "/daftar_hadir" in helped and "laporan kelompok Ibu/Bapak sendiri" in helped
    scope = {"type": "chat", "chat_id": s.chair.id}
    commands = [c["command"] for c in fake.commands_for(scope, "id") or []]
    assert "daftar_hadir" in commands and "absen" not in commands
    assert {"laporan", "ekspor", "grafik"} <= set(commands)
    offer = await s.member.says("/daftar_hadir")
    assert "Saya hadir" in " ".join(labels(offer))
    await to_english(s.member)
    helped = (await s.member.says("/help")).plain or ""
    assert "/daftar_hadir" in helped


# -- the chair's confirmation, as the facilitator reads it ----------------------------------------


async def test_facilitator_reads_the_chairs_roster_name_and_the_chairs_answers(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await roll_call_scene(db, clock, people, roster=5)
    async with db.begin() as session:
        await session.execute(
            update(Member).where(Member.name == "Siti").values(name="Siti Rahayu Ningsih")
        )
    menu = await s.facilitator.says("/minta_konfirmasi")
    await s.facilitator.taps(menu, "Semua kelompok")
    await bot.dispatch()
    question = await fake.wait_for_message(
        s.chair.chat, lambda m: "Konfirmasi pertemuan" in (m.plain or "")
    )
    step = await s.chair.taps(question, "Sudah berlangsung")
    step = await s.chair.says("4")
    assert "Jawaban ketua:" in (step.plain or "")
    step = await s.chair.taps(step, "Ya, sudah disampaikan")
    await s.chair.taps(step, "Tidak ada catatan")
    await bot.dispatch()
    notice = await fake.wait_for_message(
        s.facilitator.chat, lambda m: "mengonfirmasi pertemuan" in (m.plain or "")
    )
    text = notice.plain or ""
    assert "Siti Rahayu Ningsih mengonfirmasi pertemuan Mawar 1" in text
    assert "Jawaban ketua:" in text and "Jawaban Anda" not in text


# -- reports: one rule for chairs, members refused at once -------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
async def test_chair_sees_her_own_groups_report_and_a_member_is_refused_at_once(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: object,
    language: str,
) -> None:
    s = await report_scene(db, clock, people)
    if language == "en":
        await to_english(s.chair)
        await to_english(s.member)
    first = await s.chair.says("/laporan")
    parts = await until_button(fake, s.chair, first, "Excel")
    report = "\n".join(p.plain or "" for p in parts)
    title = {"id": "(kelompok Ibu/Bapak)", "en": "(your group)"}
    assert title[language] in report
    assert "Mawar 1" in report and "Mawar 2" not in report and "PKH00" not in report
    assert not any(label.startswith("📝") for label in labels(parts[-1]))  # no record pages
    fake.mark_read(s.chair.chat)
    await fake.press(s.chair.user, parts[-1], callback_of(parts[-1], "Excel"))
    sent = await fake.wait_for_message(s.chair.chat, lambda m: m.document is not None, timeout=20)
    workbook = load_workbook(io.BytesIO(sent.document_bytes or b""), read_only=True)
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "ID KPM" not in cells and not any("PKH00" in c for c in cells)
    assert not any("Mawar 2" in c for c in cells)
    chart = await s.chair.says("/grafik")
    assert chart.photo is not None or "📈" in (chart.plain or "")

    # A member: refused at once, with no download buttons to press first.
    refused = await s.member.says("/ekspor")
    expected = {"id": "Laporan hanya untuk pendamping", "en": "Reports are for facilitators"}
    assert expected[language] in (refused.plain or "") and refused.buttons == []
    refused = await s.member.says("/laporan")
    assert expected[language] in (refused.plain or "")


async def test_coordinator_list_shows_the_months_state_not_the_last_plan(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: object,
    coordinator: Person,
) -> None:
    await report_scene(db, clock, people)
    # Mawar 9 met on 5 December with a roll call (not confirmed) and has a meeting planned
    # for later in the month: the month is "held", not "Dijadwalkan".
    async with db.begin() as session:
        ninth = await session.scalar(select(Meeting).order_by(Meeting.id).offset(8).limit(1))
        assert ninth is not None
        session.add(
            Meeting(
                group_id=ninth.group_id,
                session_number=2,
                starts_at=LATER + timedelta(days=5),
                duration_minutes=120,
                status=MeetingStatus.SCHEDULED,
            )
        )
    first = await coordinator.says("/laporan")
    parts = await until_button(fake, coordinator, first, "Excel")
    report = "\n".join(p.plain or "" for p in parts)
    line = next(x for x in report.splitlines() if x.startswith("• Mawar 9"))
    assert "Terlaksana (ada daftar hadir), belum dikonfirmasi ketua" in line
    assert "Dijadwalkan" not in line


# -- the real end time on the activity record ----------------------------------------------------


async def test_facilitator_writes_the_real_end_time_on_the_record(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await report_scene(db, clock, people)
    f = s.facilitator
    first = await f.says("/laporan")
    parts = await until_button(fake, f, first, "Excel")
    group = await f.taps(parts[-1], "📝 Mawar 1")
    record = await f.taps(group, data_starting(group, "rr:"))
    text = record.plain or ""
    assert "09.00–11.00" in text and "rencana modul (120 menit)" in text
    ask = await f.taps(record, "Jam selesai")
    assert "benar-benar selesai" in (ask.plain or "")
    wrong = await f.says("08.30")
    assert "harus sesudah jam mulai (09.00)" in (wrong.plain or "")
    nonsense = await f.says("sore")
    assert "bukan jam" in (nonsense.plain or "")
    saved = await f.says("11.45")
    parts = [saved]
    while "Simpan" not in " ".join(labels(parts[-1])) and not labels(parts[-1]):
        parts.append(await fake.wait_for_message(f.chat))
    shown = "\n".join(p.plain or "" for p in parts)
    assert "Jam selesai disimpan: 11.45" in shown
    assert "09.00–11.45" in shown and "ditulis pendamping" in shown
    async with db.begin() as session:
        meeting = await session.get_one(Meeting, s.meeting_ids[0])
    assert meeting.duration_minutes == 120  # the plan stays; the record keeps what happened


# -- invite links show only what the person needs -------------------------------------------------


async def test_an_english_invite_asks_for_a_name_and_shows_short_matches(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, people: object
) -> None:
    s = await roll_call_scene(db, clock, people, roster=12)
    async with db.begin() as session:
        await session.execute(
            update(Member).where(Member.name == "Anggota 05").values(name="Wulan Sari Dewi")
        )
        await session.execute(
            update(Member).where(Member.name == "Anggota 06").values(name="Wulan Kusuma")
        )
    links = await s.facilitator.says("/kelompok")
    links = await s.facilitator.taps(links, "Mawar 1")
    links = await s.facilitator.taps(links, "Link undangan")
    token = next(w for w in (links.plain or "").split() if "?start=" in w).split("?start=")[1]
    newcomer = people("Wulan", language="en")  # type: ignore[operator]
    offer = await newcomer.says(f"/start {token}")
    assert "Type <b>your name</b>" in (offer.text or "") and labels(offer) == ["✖️ Cancel"]
    assert "Anggota" not in (offer.plain or "")
    found = await newcomer.says("wulan")
    assert sorted(labels(found)[:2]) == ["Wulan D.", "Wulan K."]
    assert "Sari" not in " ".join(labels(found)) and "Anggota" not in " ".join(labels(found))
    too_short = await newcomer.says("wu")
    assert "at least 3 letters" in (too_short.plain or "")
    none = await newcomer.says("Zainab")
    assert "No name on the group's list matches" in (none.plain or "")
    # A forged pick of a name she was not shown is refused.
    other_id = next(int(d.split(":")[1]) for _, d in found.buttons if d and d.startswith("jp:"))
    query = await fake.press(newcomer.user, none, f"jp:{other_id + 100}", forged=True)
    assert "⌛" in ((await answer_of(fake, query)).text or "")
    found = await newcomer.says("wulan k")
    waiting = await newcomer.taps(found, "Wulan K.")
    # Tapping a name is not joining: the chair (or facilitator) confirms first.
    assert "⏳" in (waiting.plain or "") and "Mawar 1" in (waiting.plain or "")


# -- /materi --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
async def test_materials_are_short_summaries_with_true_content(
    bot: RunningBot, fake: FakeTelegram, people: object, language: str
) -> None:
    reader = people("Ibu", "Baca", language=language)  # type: ignore[operator]
    modules = await reader.says("/materi")
    text = modules.plain or ""
    words = {
        "id": ("ringkasan singkat", "tidak menggantikan buku modul", "Materi tambahan"),
        "en": ("short summaries", "do not replace the P2K2 module books", "Supplementary"),
    }[language]
    assert words[0] in text and words[1] in text
    stunting_module = next(label for label in labels(modules) if label.startswith("➕"))
    assert words[2] in stunting_module and "6" not in stunting_module
    module = await reader.taps(modules, stunting_module)
    (stunting,) = [label for label in labels(module) if label.startswith("➕")]
    session = await reader.taps(module, stunting)
    assert words[2] in (session.plain or "") and "15" not in (session.plain or "").split("\n")[0]

    async def session_text(module_number: int, session_number: int) -> str:
        start = await reader.says("/materi")
        module = await reader.taps(start, f"mtm:{module_number}")
        page = await reader.taps(module, f"mts:{session_number}")
        return page.plain or ""

    ten, eleven = await session_text(3, 10), await session_text(4, 11)
    nine, two = await session_text(3, 9), await session_text(1, 2)
    if language == "id":
        # Oralit after every loose stool; zinc every day for 10 days, even once it stops.
        assert "oralit setiap kali anak buang air besar cair" in ten
        assert "zinc setiap hari selama 10 hari, walau diarenya sudah berhenti" in ten
        assert "Madu jangan diberikan sebelum anak berumur 1 tahun" in nine
        assert "SAPA 129" in eleven and "08111-129-129" in eleven and "140 menit" in eleven
        assert "jadwal di Buku KIA" in nine and "diimunisasi" not in nine
        assert "langkah sederhana" in two.lower()
        assert "suami atau anggota keluarga lain" in two
    else:
        assert "ORS every time the child passes a loose stool" in ten
        assert "zinc every day for 10 days, even after the diarrhoea has stopped" in ten
        assert "No honey before the child is 1 year old" in nine
        assert "SAPA 129" in eleven and "08111-129-129" in eleven and "140 minutes" in eleven
        assert "Buku KIA schedule" in nine
        assert "simple steps" in two.lower()
        assert "husband or another family member" in two
