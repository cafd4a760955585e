"""Complaints end to end: a member writes privately, the facilitator answers from the notice,
an unanswered complaint escalates once, and nobody else can read or act on a ticket."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from simulator.emulator import FakeTelegram, SentMessage, User
from storage import complaints, roster
from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus
from storage.models.complaints import ComplaintCategory
from tests.e2e.builders import GroupSetup, actor_for, group_with_chat
from tests.e2e.harness import COORDINATOR_ID, Person, RunningBot, labels
from timekeeping.clock import ManualClock

SLA = timedelta(days=3)


async def setup_world(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> tuple[GroupSetup, Person, Person, Person]:
    setup = await group_with_chat(db, fake, clock)
    coordinator = Person(fake, fake.user(COORDINATOR_ID, "Pak", "Koordinator", language_code="id"))
    await coordinator.says("/start")  # registers the coordinator, who receives escalations
    return setup, Person(fake, setup.members[0]), Person(fake, setup.facilitator), coordinator


async def file_directly(db: SessionFactory, user: User, group_id: int, clock: ManualClock) -> int:
    actor = await actor_for(db, user)
    filed = await complaints.submit(
        db,
        actor,
        group_id=group_id,
        category=ComplaintCategory.CARD,
        text="Kartu KKS saya tertelan ATM",
        attachments=[],
        discuss_anonymously=False,
        now=clock.now(),
        sla=SLA,
    )
    return filed.ticket.id


async def forged_answer(fake: FakeTelegram, person: Person, message: SentMessage, data: str) -> str:
    """Press crafted callback data; the refusal comes back as the callback's pop-up."""
    query_id = await fake.press(person.user, message, data, forged=True)

    def answered() -> bool:
        return query_id in fake.callback_answers

    async with fake.world.changed:
        await asyncio.wait_for(fake.world.changed.wait_for(answered), 5.0)
    return fake.callback_answers[query_id].text or ""


def texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [m.plain or m.caption or "" for m in fake.messages(chat)]


async def test_member_files_with_a_photo_and_closes_it_after_the_reply(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    _, member, facilitator, coordinator = await setup_world(bot, fake, db, clock)

    categories = await member.says("/keluhan")
    assert "Keluhan baru" in (categories.plain or "")
    assert any("KKS" in label for label in labels(categories))
    describe = await member.taps(categories, "KKS")
    assert "Ceritakan" in (describe.plain or "")
    attach = await member.says("Kartu <b>KKS</b> & ATM *tertelan* _kemarin_")
    assert "Tulisan tersimpan" in (attach.plain or "")
    fake.mark_read(member.chat)
    await fake.send_photo(member.user)
    saved = await fake.wait_for_message(member.chat)
    assert "Foto/file tersimpan (1)" in (saved.plain or "")
    review = await member.taps(saved, "Lanjut")
    assert "Kartu <b>KKS</b> & ATM *tertelan* _kemarin_" in (review.plain or "")
    # The toggle names the action it takes, and the other way back.
    review = await member.taps(review, "Izinkan dibahas di pertemuan")
    assert "Boleh dibahas di pertemuan (tanpa nama): boleh" in (review.plain or "")
    assert "↩️ Batalkan izin" in labels(review)
    assert "kata-katanya sendiri" in (review.plain or "")
    sent = await member.taps(review, "Kirim keluhan")
    assert "K-0001" in (sent.plain or "")

    await bot.dispatch()
    notice = await fake.wait_for_message(facilitator.chat, lambda m: "K-0001" in (m.plain or ""))
    body = notice.plain or ""
    assert "Ibu0 KPM" in body and "Kartu <b>KKS</b> & ATM *tertelan* _kemarin_" in body
    assert "Mawar 1" in body

    photo = await facilitator.taps(notice, "Foto/file")
    assert photo.photo is not None and "K-0001" in (photo.caption or "")

    asked = await facilitator.taps(notice, "Balas")
    assert "Ketik balasan" in (asked.plain or "")
    done = await facilitator.says("Besok saya cek ke bank, <i>tenang</i> ya")
    assert "dikirim" in (done.plain or "")
    await bot.dispatch()
    reply = await fake.wait_for_message(member.chat, lambda m: "Balasan dari" in (m.plain or ""))
    assert "Besok saya cek ke bank, <i>tenang</i> ya" in (reply.plain or "")

    inbox = await facilitator.says("/keluhan_masuk")
    ticket = await facilitator.taps(inbox, "K-0001")
    choices = await facilitator.taps(ticket, "Ubah status")
    resolved = await facilitator.taps(choices, "selesai")
    assert "Status diubah" in (resolved.plain or "")
    await bot.dispatch()
    ask = await fake.wait_for_message(member.chat, lambda m: "sudah beres?" in (m.plain or ""))
    closed = await member.taps(ask, "Sudah beres")
    assert "ditutup" in (closed.plain or "")
    await bot.dispatch()
    await fake.wait_for_message(facilitator.chat, lambda m: "sudah beres" in (m.plain or ""))

    history = await facilitator.taps(ticket, "Riwayat")
    lines = history.plain or ""
    for step in (
        "dikirim anggota",
        "Bu Pendamping: balasan",
        "status diubah: selesai",
        "sudah beres",
    ):
        assert step in lines

    # Answered in time: nothing reaches the coordinator after the SLA.
    clock.advance(SLA + timedelta(minutes=1))
    await bot.dispatch()
    assert not any("K-0001" in text for text in texts(fake, coordinator.id))
    mine = await member.says("/keluhanku")
    assert "K-0001" in " ".join(labels(mine)) and "ditutup" in " ".join(labels(mine))


async def test_an_unanswered_complaint_escalates_once(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup, member, facilitator, coordinator = await setup_world(bot, fake, db, clock)
    complaint_id = await file_directly(db, member.user, setup.group.id, clock)
    await bot.dispatch()
    assert any("K-0001" in text for text in texts(fake, facilitator.id))

    clock.advance(SLA - timedelta(minutes=1))
    await bot.dispatch()
    assert not any("K-0001" in text for text in texts(fake, coordinator.id))
    clock.advance(timedelta(minutes=1))
    await bot.dispatch()
    await bot.dispatch()  # the climb's step queued it: sent on the next tick
    escalated = [t for t in texts(fake, coordinator.id) if "K-0001" in t]
    assert len(escalated) == 1 and "belum dijawab" in escalated[0]
    assert "Kartu KKS saya tertelan ATM" in escalated[0]
    clock.advance(SLA)
    await bot.dispatch()
    await bot.dispatch()
    assert len([t for t in texts(fake, coordinator.id) if "K-0001" in t]) == 1

    coordinator_actor = await actor_for(db, coordinator.user)
    ticket = await complaints.ticket(db, coordinator_actor, complaint_id)
    assert [e.action for e in ticket.events].count("escalated") == 1


async def test_privacy_forged_buttons_and_the_group_chat(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup, member, _, _ = await setup_world(bot, fake, db, clock)
    complaint_id = await file_directly(db, member.user, setup.group.id, clock)
    other = await group_with_chat(
        db, fake, clock, name="Melati", facilitator_id=501, first_member_id=700
    )
    neighbour = Person(fake, setup.members[1])
    stranger_facilitator = Person(fake, other.facilitator)

    menu = await neighbour.says("/start")
    for data in (f"klv:{complaint_id}", f"klh:{complaint_id}", f"kle:{complaint_id}"):
        assert "tidak bisa dibuka dari akun ini" in await forged_answer(fake, neighbour, menu, data)
    for data in (f"klp:{complaint_id}", f"klu:{complaint_id}:2", f"klf:{complaint_id}"):
        assert "pendamping" in await forged_answer(fake, neighbour, menu, data)
    assert "tidak bisa dibuka dari akun ini" in await forged_answer(
        fake, neighbour, menu, f"klok:{complaint_id}"
    )
    staff_menu = await stranger_facilitator.says("/start")
    for data in (f"klv:{complaint_id}", f"klp:{complaint_id}", f"klu:{complaint_id}:2"):
        answer = await forged_answer(fake, stranger_facilitator, staff_menu, data)
        assert "tidak bisa dibuka dari akun ini" in answer
    inbox = await stranger_facilitator.says("/keluhan_masuk")
    assert "K-0001" not in " ".join(labels(inbox))
    assert not any("K-0001" in text for text in texts(fake, neighbour.id))

    # In the group chat: a button to the private chat, never the complaint itself.
    fake.mark_read(setup.chat)
    await fake.send_text(member.user, "/keluhan bantuan saya belum cair", setup.chat)
    redirect = await fake.wait_for_message(setup.chat)
    assert "pribadi" in (redirect.plain or "")
    (url,) = [data for _, data in redirect.buttons]
    assert url == f"https://t.me/{bot.username}?start=keluhan"
    assert not any("belum cair" in text for text in texts(fake, setup.chat.id))
    opened = await member.says("/start keluhan")
    assert "Keluhan baru" in (opened.plain or "")

    # A member who left the group can still read her ticket but cannot file a new one.
    boss = setup.facilitator_actor
    _, listed = await roster.list_members(db, boss, setup.group.id)
    mine = next(m for m in listed if m.person_id is not None and m.name == "Ibu0 KPM")
    await roster.set_member_active(db, boss, mine.id, False)
    refused = await member.says("/keluhan")
    assert "belum masuk kelompok" in (refused.plain or "")
    seen = await member.taps(refused, "Keluhan saya")
    ticket = await member.taps(seen, "K-0001")
    assert "Kartu KKS saya tertelan ATM" in (ticket.plain or "")


# With Telegram's flood limits on: a multi-part delivery that meets a 429 resumes from the
# part that was refused, so every part arrives once (tests/e2e/test_long_message_resume.py).
async def test_long_complaint_reaches_the_facilitator_whole_in_parts(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    _, member, facilitator, _ = await setup_world(bot, fake, db, clock)
    words = [f"kata{i}&<x>" for i in range(400)]
    long_text = " ".join(words)[:4000]
    assert len(long_text) == 4000
    categories = await member.says("/keluhan")
    await member.taps(categories, "Lainnya")
    attach = await member.says(long_text)
    review = await member.taps(attach, "Lanjut")
    assert "4000 huruf" in (review.plain or "")
    await member.taps(review, "Kirim keluhan")
    await bot.dispatch()
    parts = [m for m in fake.messages(facilitator.chat) if "K-0001" in (m.plain or "")]
    assert len(parts) >= 2
    assert all((m.plain or "").startswith("📨 Keluhan K-0001 · Mawar 1") for m in parts)
    assert all(len(m.plain or "") <= 4096 for m in parts)
    joined = "".join((m.plain or "").split("\n\n", 1)[1] for m in parts)
    assert "".join(long_text.split()) in "".join(joined.split())
    assert parts[-1].buttons and not parts[0].buttons


async def test_draft_survives_stickers_restart_and_asks_before_cancel(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    _, member, _, _ = await setup_world(bot, fake, db, clock)
    categories = await member.says("/keluhan")
    await member.taps(categories, "Sekolah")
    fake.mark_read(member.chat)
    await fake.send_sticker(member.user)
    asked = await fake.wait_for_message(member.chat)
    assert "tulisan" in (asked.plain or "")
    await member.says("Anak saya belum dapat seragam")

    await bot.restart()
    fake.mark_read(member.chat)
    await fake.send_location(member.user, -6.2, 106.8)
    asked = await fake.wait_for_message(member.chat)
    assert "tulisan" in (asked.plain or "")
    confirm = await member.says("/batal")
    assert "Buang keluhan" in (confirm.plain or "")
    back = await member.taps(confirm, "Tidak, lanjutkan")
    review = await member.taps(back, "Lanjut")
    assert "Anak saya belum dapat seragam" in (review.plain or "")
    confirm = await member.taps(review, "Batal")
    assert "Buang keluhan" in (confirm.plain or "")
    dropped = await member.taps(confirm, "Ya, buang")
    assert "dibuang" in (dropped.plain or "")
    async with db.begin() as session:
        complaint_sends = select(Delivery.id).where(Delivery.kind.startswith("complaint"))
        assert await session.scalar(complaint_sends) is None


async def test_free_text_is_offered_as_a_complaint_and_kept(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    _, member, facilitator, _ = await setup_world(bot, fake, db, clock)
    offer = await member.says("Bu, bantuan bulan ini belum masuk")
    assert "sebagai <b>keluhan</b>" not in (offer.plain or "")
    assert "keluhan" in (offer.plain or "") and "belum masuk" in (offer.plain or "")
    categories = await member.taps(offer, "Ya, kirim")
    assert "tersimpan" in (categories.plain or "")
    attach = await member.taps(categories, "Bantuan tidak cair")
    review = await member.taps(attach, "Lanjut")
    assert "Bu, bantuan bulan ini belum masuk" in (review.plain or "")
    await member.taps(review, "Kirim keluhan")
    await bot.dispatch()
    async with db.begin() as session:
        statuses = list(await session.scalars(select(Delivery.status)))
    assert DeliveryStatus.SENT in statuses
    assert any("bantuan bulan ini" in text for text in texts(fake, facilitator.id))

    # The facilitator writing free text is not offered a complaint.
    answer = await facilitator.says("halo")
    assert "keluhan" not in (answer.plain or "").lower()
