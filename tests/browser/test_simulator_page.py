"""The simulator page as a trainer uses it: hold a phone, tap buttons, move time forward.

No sleeping: every step waits on something the page shows (Playwright's expect/wait_for)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Simulator

try:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import expect
except ImportError:  # the fixtures skip (or fail in CI) with the reason
    expect = None  # type: ignore[assignment]
    PlaywrightTimeout = TimeoutError  # type: ignore[assignment,misc]

WAIT = 15_000  # ms: the bot answers over HTTP, the dispatcher ticks every 0.25 s


class Phone:
    """The page, seen as the phone in the hand of one demo person at a time."""

    def __init__(self, page: Any, shots: Path) -> None:
        self.page = page
        self.shots = shots

    async def hold(self, person: str, name: str) -> None:
        await self.page.locator(f'[data-person="{person}"]').click()
        await expect(self.page.locator("#phone-label")).to_contain_text(name)

    async def open(self, kind: str) -> None:
        """Open the bot chat ("bot") or the group chat ("group") from the chat list."""
        back = self.page.locator("#back")
        if await back.is_visible():
            await back.click()
        await self.page.locator(f'.chat-row[data-kind="{kind}"]').click()
        await expect(self.page.locator("#screen-chat")).to_be_visible()

    def bot_messages(self) -> Any:
        return self.page.locator('#messages .msg[data-from="bot"]')

    def bot_says(self, text: str | re.Pattern[str]) -> Any:
        return self.bot_messages().filter(has_text=text)

    async def say(self, text: str) -> None:
        field = self.page.locator("#composer-input")
        await field.fill(text)
        await field.press("Enter")
        await expect(self.page.locator("#messages .msg.out").last).to_contain_text(text)

    async def tap(self, label: str | re.Pattern[str]) -> None:
        """Tap the button with this label on the newest bot message that has one."""
        await self.page.locator("#messages .inline-btn").filter(has_text=label).last.click()

    async def start(self) -> None:
        await self.page.locator("#start-btn").click()
        await expect(self.bot_messages().first).to_be_visible(timeout=WAIT)

    async def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        await self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def phone(page: Any, shots: Path) -> Phone:
    return Phone(page, shots)


async def test_switching_phones_typing_and_tapping_a_menu_button(phone: Phone) -> None:
    page = phone.page
    await phone.hold("chair", "Siti Aminah")
    await phone.open("bot")
    await expect(page.locator("#start-bar")).to_be_visible()
    await phone.start()
    menu = phone.bot_says("Siti Aminah")
    await expect(menu).to_have_count(1, timeout=WAIT)
    await phone.tap("Kelompok saya")
    await expect(phone.bot_says("Mawar 1").last).to_be_visible(timeout=WAIT)

    # Whatever is typed shows as typed: never as markup.
    typed = "<b>bukan tebal</b> <img src=x onerror=alert(1)>"
    await phone.say(typed)
    mine = page.locator("#messages .msg.out").last
    await expect(mine.locator(".text")).to_contain_text(typed)
    assert await mine.locator("b, img").count() == 0
    await phone.shot("chair-bot-chat")

    # Another phone: her own, empty chat with the bot, and no badge on Siti's.
    await phone.hold("member1", "Dewi Lestari")
    await expect(page.locator("#chat-title")).to_have_text("P2K2")
    await expect(page.locator("#start-bar")).to_be_visible()
    await expect(page.locator("#messages .msg")).to_have_count(0)
    await phone.open("group")
    await expect(page.locator("#chat-subtitle")).to_contain_text("6")
    await phone.shot("member-group-chat")


async def test_english_and_replying_to_a_message(phone: Phone) -> None:
    page = phone.page
    await page.locator("#lang-en").click()
    await expect(page.locator("#advance-day")).to_have_text("+1 day")
    await phone.hold("facilitator", "Rina Wulandari")
    await phone.open("bot")
    await phone.start()
    menu = phone.bot_says("Hello")
    await expect(menu).to_have_count(1, timeout=WAIT)
    await expect(menu.locator("strong").first).to_be_visible()  # bold, from the entities

    # Reply to the bot's message: the quote shows above the sent text.
    await phone.bot_messages().last.locator(".bubble").dblclick()
    await expect(page.locator("#reply-bar")).to_be_visible()
    await phone.say("/help")
    quote = page.locator("#messages .msg.out").last.locator(".reply-quote")
    await expect(quote).to_contain_text("P2K2")
    await expect(page.locator("#reply-bar")).to_be_hidden()
    await expect(phone.bot_messages()).to_have_count(2, timeout=WAIT)


async def test_sending_a_file_from_the_page(phone: Phone, tmp_path: Path) -> None:
    page = phone.page
    await phone.hold("facilitator", "Rina Wulandari")
    await phone.open("bot")
    await phone.start()
    roster = tmp_path / "anggota.csv"
    roster.write_bytes(b"nama\nRatna Sari\nIda Farida\n")
    await page.locator("#file-input").set_input_files(str(roster))
    sent = page.locator("#messages .msg.out .doc")
    await expect(sent).to_contain_text("anggota.csv")
    answers = phone.bot_messages()
    await expect(answers).to_have_count(2, timeout=WAIT)  # the menu, then the file's answer


async def test_moving_time_forward(phone: Phone, simulator: Simulator) -> None:
    page = phone.page
    clock = page.locator("#clock")
    before = simulator.host.sim.clock.now()
    shown = await clock.text_content()
    await page.locator("#advance-day").click()
    await expect(page.locator("#time-note")).to_contain_text("Pesan terkirim: 0")
    await expect(clock).not_to_have_text(shown or "")
    assert (simulator.host.sim.clock.now() - before).days >= 1
    await page.locator("#next-due").click()
    await expect(page.locator("#time-note")).to_have_text("Tidak ada pesan terjadwal.")
    await phone.shot("time-moved")


async def test_a_complaint_goes_from_a_member_to_the_facilitator(phone: Phone) -> None:
    page = phone.page
    await phone.hold("member1", "Dewi Lestari")
    await phone.open("bot")
    await phone.start()
    await phone.say("/keluhan")
    await expect(phone.bot_says("Keluhan baru")).to_have_count(1, timeout=WAIT)
    await phone.tap("KKS")
    await expect(phone.bot_says("Ceritakan").last).to_be_visible(timeout=WAIT)
    await phone.say("Kartu KKS saya tertelan ATM kemarin")
    await expect(phone.bot_says("Tulisan tersimpan").last).to_be_visible(timeout=WAIT)
    await phone.tap("Lanjut")
    await expect(
        page.locator("#messages .inline-btn").filter(has_text="Kirim keluhan")
    ).not_to_have_count(0, timeout=WAIT)
    await phone.shot("complaint-review")  # who will read it, before she sends
    await phone.tap("Kirim keluhan")
    await expect(phone.bot_says("K-0001").last).to_be_visible(timeout=WAIT)
    await phone.shot("complaint-sent")

    # The facilitator's phone shows a new message; the notice carries the complaint.
    facilitator = page.locator('[data-person="facilitator"] .badge')
    await expect(facilitator).to_be_visible(timeout=WAIT)
    await phone.hold("facilitator", "Rina Wulandari")
    await phone.open("bot")
    notice = phone.bot_says("K-0001")
    await expect(notice.last).to_contain_text("tertelan ATM", timeout=WAIT)
    await phone.shot("complaint-notice")


DAY = re.compile(r"^\S+ \d{1,2}/\d{1,2}$")


async def schedule_as_facilitator(phone: Phone, *, days_ahead: int, session: str = "") -> None:
    """The facilitator schedules Mawar 1 with buttons: the proposed session (or the one whose
    button holds `session`, from the full list), a day `days_ahead` buttons on, 09.00, the
    usual place, saved."""
    page = phone.page
    await phone.hold("facilitator", "Rina Wulandari")
    await phone.open("bot")
    await phone.start()
    await phone.tap("Jadwalkan pertemuan")
    # She has a group in Kota Banjar and one in Kabupaten Ciamis (the demo's province).
    await expect(
        page.locator("#messages .inline-btn").filter(has_text="Mawar 1")
    ).not_to_have_count(0, timeout=WAIT)
    await phone.tap("Mawar 1")
    await expect(phone.bot_says("Sesi berikutnya").last).to_be_visible(timeout=WAIT)
    if session:
        await phone.tap("Pilih sesi lain")
        await expect(
            page.locator("#messages .inline-btn").filter(has_text=session).last
        ).to_be_visible(timeout=WAIT)
        await phone.tap(session)
    else:
        await phone.tap("✅")
    days = page.locator("#messages .msg").last.locator(".inline-btn").filter(has_text=DAY)
    await expect(days.nth(days_ahead)).to_be_visible(timeout=WAIT)
    await days.nth(days_ahead).click()
    await expect(page.locator("#messages .inline-btn").filter(has_text="09.00").last).to_be_visible(
        timeout=WAIT
    )
    await phone.tap("09.00")
    await expect(page.locator("#messages .inline-btn").filter(has_text="📍").last).to_be_visible(
        timeout=WAIT
    )
    await phone.tap("📍")
    await expect(phone.bot_says("Periksa dulu").last).to_be_visible(timeout=WAIT)
    await phone.tap("Simpan")
    await expect(phone.bot_says("Pertemuan disimpan").last).to_be_visible(timeout=WAIT)


async def test_a_reminder_comes_to_the_group_and_rsvp_changes_the_count(phone: Phone) -> None:
    page = phone.page
    await schedule_as_facilitator(phone, days_ahead=5)  # far enough for the 3-day reminder

    # Fast time: jump from one scheduled message to the next until the reminder is there.
    await phone.open("group")
    reminder = page.locator('#messages .msg[data-from="bot"]').filter(
        has_text="Pengingat pertemuan P2K2"
    )
    for _ in range(10):
        await page.locator("#next-due").click()
        await expect(page.locator("#next-due")).to_be_enabled()
        try:
            await reminder.first.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    await expect(reminder.first).to_contain_text("3 hari lagi")
    await phone.shot("group-reminder")

    # The chair answers in the group chat; the count on the reminder goes up.
    await phone.hold("chair", "Siti Aminah")
    await expect(page.locator("#chat-title")).to_contain_text("Mawar 1")
    coming = reminder.first.locator(".inline-btn").filter(has_text="akan datang")
    await expect(coming).to_contain_text("(0)")
    await coming.click()
    await expect(page.locator("#toast")).to_contain_text("tercatat", timeout=WAIT)
    await expect(coming).to_contain_text("(1)", timeout=WAIT)
    await phone.shot("group-rsvp")


async def test_the_attendance_chart_shows_on_the_phone_and_opens_full_size(
    phone: Phone, simulator: Simulator
) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from storage.models import Meeting, MeetingStatus, Member
    from storage.models.attendance import Attendance, AttendanceSource, AttendanceStatus

    sim = simulator.host.sim
    async with sim.db.begin() as session:
        meeting = Meeting(
            group_id=sim.demo.group_id,
            session_number=1,
            starts_at=sim.clock.now() - timedelta(days=31),
            duration_minutes=120,
            status=MeetingStatus.SCHEDULED,
            revision=1,
        )
        session.add(meeting)
        await session.flush()
        members = await session.scalars(select(Member).where(Member.group_id == sim.demo.group_id))
        for index, member in enumerate(members):
            status = AttendanceStatus.HADIR if index % 3 else AttendanceStatus.SAKIT
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    member_id=member.id,
                    status=status,
                    source=AttendanceSource.CHAIR,
                    recorded_at=meeting.starts_at,
                )
            )
    await phone.hold("facilitator", "Rina Wulandari")
    await phone.open("bot")
    await phone.start()
    await phone.say("/grafik")
    picture = phone.page.locator("#messages .msg img.photo").last
    await expect(picture).to_be_visible(timeout=WAIT)
    await picture.evaluate("img => img.decode()")
    assert await picture.evaluate("img => img.naturalWidth") == 1080
    shown = await picture.bounding_box()
    assert shown is not None and shown["height"] <= 480
    link = phone.page.locator("#messages a.photo-link").last
    assert await link.get_attribute("target") == "_blank"
    await phone.shot("facilitator-chart")


async def test_the_stunting_material_is_named_as_supplementary_in_its_recap_and_quiz(
    phone: Phone,
) -> None:
    """The supplementary stunting material, chosen with its ➕ button, reaches the group as
    "Materi tambahan" (never "Modul 6" or "sesi 15"), and its quiz follows the recap."""
    page = phone.page
    await schedule_as_facilitator(phone, days_ahead=1, session="➕")

    await phone.open("group")
    group = page.locator('#messages .msg[data-from="bot"]')
    recap = group.filter(has_text="Ringkasan sesi")
    # The stunting quiz's first question names it: wait for that poll, not for any. The fake's
    # flood limits count real seconds while this page's clock jumps to the next due send, so
    # on a busy machine the first poll can meet a 429 whose wait ends after the second poll's
    # time, and the second comes first (seen in CI; a 429 of 90 s on it does the same).
    quiz = page.locator("#messages .msg").filter(has_text="Kuis anonim").filter(has_text="stunting")
    for _ in range(30):
        await page.locator("#next-due").click()
        await expect(page.locator("#next-due")).to_be_enabled()
        if await recap.count() and await quiz.count():
            break
    await expect(recap.first).to_contain_text(re.compile("materi tambahan", re.IGNORECASE))
    await expect(group.filter(has_text="Modul 6")).to_have_count(0)
    await expect(group.filter(has_text="Sesi 15")).to_have_count(0)
    await recap.first.scroll_into_view_if_needed()
    await phone.shot("stunting-recap")
    await expect(quiz).to_have_count(1)
    await quiz.first.scroll_into_view_if_needed()
    await phone.shot("stunting-quiz")
