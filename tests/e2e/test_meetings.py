"""Scheduling a meeting from the chat, with buttons and in one line, and the bad inputs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from simulator.emulator import Chat, FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Delivery, Meeting
from tests.e2e.harness import Person, RunningBot, join_and_be_confirmed, labels, links_in
from tests.e2e.test_onboarding import facilitator_from_invite

MEMBER_NAMES = ("Siti Aminah", "Ani Lestari")


@dataclass
class Cast:
    facilitator: Person
    members: list[Person]
    chat: Chat


async def set_up_group(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object
) -> Cast:
    """A facilitator with group Mawar 1 (usual venue set), two members, a bound group chat."""
    facilitator = people("Bu", "Rina")  # type: ignore[operator]
    await facilitator_from_invite(coordinator, facilitator)
    menu = await facilitator.says("/start")
    await facilitator.taps(menu, "Buat kelompok")
    await facilitator.says("Mawar 1")
    await facilitator.says("Sukamaju")
    confirm = await facilitator.says("Rumah Bu Siti, RT 02")
    created = await facilitator.taps(confirm, "Simpan")
    member_link, _, chat_link = links_in(created)
    token = member_link.split("?start=")[1]
    members = []
    for name in MEMBER_NAMES:
        member = people(name.split()[0])  # type: ignore[operator]
        # No roster: her typed name is a request the facilitator answers ✅ Tambahkan.
        welcome = await join_and_be_confirmed(bot, member, token, name, facilitator)
        assert "Mawar 1" in (welcome.plain or "")
        members.append(member)
    chat = fake.group("Kelompok Mawar 1")
    await fake.add_bot_to_group(
        facilitator.user, chat, start_param=chat_link.split("?startgroup=")[1]
    )
    await fake.wait_for_message(chat, lambda m: "terhubung" in (m.plain or ""))
    return Cast(facilitator, members, chat)


async def schedule_with_buttons(
    facilitator: Person, day: str = "Sab 12/12", at: str = "09.00"
) -> SentMessage:
    menu = await facilitator.says("/start")
    step = await facilitator.taps(menu, "Jadwalkan pertemuan")
    assert "Sesi berikutnya" in (step.plain or "")
    step = await facilitator.taps(step, "✅")
    step = await facilitator.taps(step, day)
    step = await facilitator.taps(step, at)
    step = await facilitator.taps(step, "📍")
    assert "Periksa dulu" in (step.plain or "")
    saved = await facilitator.taps(step, "Simpan")
    assert "Pertemuan disimpan" in (saved.plain or "")
    return saved


async def meetings_in(db: SessionFactory) -> list[Meeting]:
    async with db.begin() as session:
        return list(await session.scalars(select(Meeting).order_by(Meeting.id)))


async def test_facilitator_schedules_with_buttons_and_typed_answers(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, db: SessionFactory
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    f = cast.facilitator
    menu = await f.says("/start")
    step = await f.taps(menu, "Jadwalkan pertemuan")
    text = step.plain or ""
    assert "Sesi 1: Menjadi Orangtua yang Lebih Baik" in text
    assert any("Pilih sesi lain" in label for label in labels(step))

    # Another session from the full list, typed by number after a wrong one.
    step = await f.taps(step, "Pilih sesi lain")
    assert len([b for b in labels(step) if b[0].isdigit()]) >= 14
    wrong = await f.says("99")
    assert "Sesi itu tidak ada" in (wrong.plain or "")
    step = await f.says("5")
    assert "Sesi 5" in (step.plain or "")
    assert "Sel 15/12" in labels(step)  # the coming 14 days as buttons

    # Bad dates are explained and asked again; the session chosen is kept.
    for typed, problem in (
        ("31/02/2027", "tidak ada di kalender"),
        ("kemarin sore", "bukan tanggal"),
        ("30/11/2026", "sudah lewat"),
    ):
        answer = await f.says(typed)
        assert problem in (answer.plain or ""), typed
        assert "Sesi 5" in (answer.plain or "")
    step = await f.says("25-12-2026")
    assert "Jumat, 25 Desember 2026" in (step.plain or "")

    # Bad times too.
    for typed, problem in (("24:00", "Jam itu tidak ada"), ("jam sembilan", "bukan jam")):
        answer = await f.says(typed)
        assert problem in (answer.plain or ""), typed
    step = await f.says("09:30")
    assert "pukul 09.30 WIB" in (step.plain or "")
    assert "📍 Rumah Bu Siti, RT 02" in labels(step)

    # A venue of 1,000 characters is refused; a normal one is taken.
    answer = await f.says("x" * 1000)
    assert "Terlalu panjang: 1000 huruf, paling banyak 300" in (answer.plain or "")
    confirm = await f.says("Balai Desa <Sukamaju>")
    text = confirm.plain or ""
    assert "Jumat, 25 Desember 2026 pukul 09.30 WIB" in text
    assert "Balai Desa <Sukamaju>" in text
    assert "Sesi 5" in text

    # A restart here loses nothing: the draft is in the database.
    await bot.restart()
    hint = await f.says("ok")
    assert "Simpan" in (hint.plain or "")
    saved = await f.taps(hint, "Simpan")
    assert "Pertemuan disimpan" in (saved.plain or "")
    (meeting,) = await meetings_in(db)
    assert meeting.session_number == 5
    assert meeting.venue == "Balai Desa <Sukamaju>"
    assert meeting.starts_at.isoformat() == "2026-12-25T02:30:00+00:00"

    # The next one proposes session 6; a second meeting the same day is warned about.
    step = await f.taps(saved, "Jadwalkan lagi")
    assert "Sesi 6" in (step.plain or "")
    step = await f.taps(step, "✅")
    step = await f.says("25/12/2026")
    step = await f.taps(step, "14.00")
    confirm = await f.taps(step, "📍")
    assert "sudah punya pertemuan pada hari yang sama" in (confirm.plain or "")
    saved = await f.taps(confirm, "Simpan juga")
    assert "Pertemuan disimpan" in (saved.plain or "")
    assert len(await meetings_in(db)) == 2


async def test_one_line_form_and_its_errors(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, db: SessionFactory
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    f = cast.facilitator
    for command, problem in (
        ("/jadwalkan MAWAR1 besok", "Cara menulis"),
        ("/jadwalkan NOPE 12/12/2026 09.00", "tidak punya kelompok dengan kode"),
        ("/jadwalkan MAWAR1 31/02/2027 09.00", "tidak ada di kalender"),
        ("/jadwalkan MAWAR1 12/12/2026 24:00", "Jam itu tidak ada"),
        ("/jadwalkan MAWAR1 01/12/2026 08.00", "Waktu itu sudah lewat"),
        ("/jadwalkan MAWAR1 12/12/2026 09.00 " + "y" * 400, "Terlalu panjang"),
    ):
        answer = await f.says(command)
        assert problem in (answer.plain or ""), command
    assert await meetings_in(db) == []

    saved = await f.says("/jadwalkan mawar1 12/12/2026 09.00 Balai RW 03")
    text = saved.plain or ""
    assert "Pertemuan disimpan" in text
    assert "Sabtu, 12 Desember 2026 pukul 09.00 WIB" in text
    assert "Balai RW 03" in text

    # Same day: a warning and one tap to save anyway.
    warned = await f.says("/jadwalkan MAWAR1 12/12/2026 15.00")
    assert "hari yang sama" in (warned.plain or "")
    saved = await f.taps(warned, "Simpan juga")
    assert "Rumah Bu Siti, RT 02" in (saved.plain or "")  # the usual venue by default
    assert len(await meetings_in(db)) == 2

    # Another facilitator cannot schedule for this group, by buttons or by code.
    other = people("Pak", "Budi")  # type: ignore[operator]
    await facilitator_from_invite(coordinator, other)
    refused = await other.says("/jadwalkan MAWAR1 13/12/2026 09.00")
    # The same answer as for a code that does not exist: codes cannot be probed.
    unknown = await other.says("/jadwalkan NOPE1 13/12/2026 09.00")
    assert (refused.plain or "").replace("MAWAR1", "NOPE1") == unknown.plain
    assert "tidak punya kelompok dengan kode MAWAR1" in (refused.plain or "")
    menu = await other.says("/start")
    group_id = (await meetings_in(db))[0].group_id
    text = await alert_for(fake, other, menu, f"wg:{group_id}")
    assert "bukan kelompok Ibu/Bapak" in text

    # Members cannot schedule at all.
    member = cast.members[0]
    refused = await member.says("/jadwalkan MAWAR1 13/12/2026 09.00")
    assert "hanya untuk pendamping" in (refused.plain or "")
    assert len(await meetings_in(db)) == 2


async def test_schedule_shows_next_meeting_to_members_and_in_the_group_chat(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    member = cast.members[0]
    none_yet = await member.says("/jadwal")
    assert "Belum ada jadwal" in (none_yet.plain or "")
    await schedule_with_buttons(cast.facilitator)
    await cast.facilitator.says("/jadwalkan MAWAR1 09/01/2027 09.00")

    mine = await member.says("/jadwal")
    text = mine.plain or ""
    assert "Sabtu, 12 Desember 2026 pukul 09.00 WIB" in text
    assert "Januari" not in text  # members see their group's next meeting only

    fake.mark_read(cast.chat)
    await fake.send_text(member.user, "/jadwal", chat=cast.chat)
    shown = await fake.wait_for_message(cast.chat)
    assert "Sesi 1: Menjadi Orangtua yang Lebih Baik" in (shown.plain or "")

    listing = await cast.facilitator.says("/jadwal")
    assert len([b for b in labels(listing) if "Mawar 1" in b]) == 2


async def test_materials_can_be_browsed_privately_and_in_the_group(
    bot: RunningBot, fake: FakeTelegram, people: object
) -> None:
    reader = people("Tuti")  # type: ignore[operator]
    menu = await reader.says("/start")
    modules = await reader.taps(menu, "Bahan sesi")
    assert "Modul 3: Kesehatan dan Gizi" in labels(modules)
    module = await reader.taps(modules, "Modul 3")
    session = await reader.taps(module, "9.")
    text = session.plain or ""
    assert "Sesi 9" in text and "Pesan utama" in text
    back = await reader.taps(session, "Semua modul")
    assert "Modul 1: Pengasuhan dan Pendidikan Anak" in labels(back)

    group = fake.group("Arisan RT", bot_status="member")
    await fake.send_text(reader.user, "/materi", chat=group)
    shown = await fake.wait_for_message(group)
    assert "Modul 5: Kesejahteraan Sosial" in labels(shown)
    await fake.press(reader.user, shown, "Modul 5: Kesejahteraan Sosial")
    module = await fake.wait_for_message(group)
    assert "14. Pentingnya Kesejahteraan Lanjut Usia" in labels(module)


async def delivery_keys(db: SessionFactory, kind: str) -> list[str]:
    async with db.begin() as session:
        return list(await session.scalars(select(Delivery.key).where(Delivery.kind == kind)))


async def alert_for(fake: FakeTelegram, who: Person, message: SentMessage, data: str) -> str:
    """Press a (possibly forged) button and return the pop-up text the bot answered with."""
    before = len(fake.calls_to("answerCallbackQuery"))
    query_id = await fake.press(who.user, message, data, forged=True)
    await fake.wait_for_call("answerCallbackQuery", count=before + 1)
    answer = fake.callback_answers[query_id]
    return answer.text or ""


async def test_the_stunting_material_is_supplementary_everywhere_never_module_6(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, db: SessionFactory
) -> None:
    """Scheduled, listed, reported and copied into the activity record: 'Materi tambahan',
    never 'Modul 6' or 'Sesi 15' (the bot's own numbers for it)."""
    cast = await set_up_group(bot, fake, coordinator, people)
    f = cast.facilitator
    menu = await f.says("/start")
    step = await f.taps(menu, "Jadwalkan pertemuan")
    step = await f.taps(step, "Pilih sesi lain")
    assert "1 sampai 14" in (step.plain or "")
    step = await f.taps(step, "➕")
    step = await f.taps(step, "Sab 12/12")
    step = await f.taps(step, "09.00")
    step = await f.taps(step, "📍")
    saved = await f.taps(step, "Simpan")
    shown = [saved.plain or ""]
    listing = await f.says("/jadwal")
    shown += labels(listing)
    shown.append((await f.taps(listing, "Mawar 1")).plain or "")
    report = await f.says("/laporan 2026-12")
    shown.append(report.plain or "")
    modules = await f.says("/materi")
    shown += labels(modules)
    page = await f.taps(modules, "Materi tambahan")
    shown.append(page.plain or "")
    summary = await f.taps(page, "Stunting")
    shown.append(summary.plain or "")
    everything = "\n".join(shown)
    assert "Materi tambahan: Mengenal dan Mencegah Stunting" in everything
    assert "Materi tambahan: Pencegahan dan Penanganan Stunting" in everything
    for wrong in ("Modul 6", "Sesi 15", "sesi 15", "· 15"):
        assert wrong not in everything, wrong
    typed = await f.says("/jadwalkan")
    typed = await f.taps(typed, "Pilih sesi lain")
    refused = await f.says("15")
    assert "Pilih sesi 1 sampai 14" in (refused.plain or "")
