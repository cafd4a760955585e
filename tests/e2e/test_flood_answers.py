"""Under Telegram's flood control every answer to a person arrives (issue 11): an album gets
one acknowledgement, updated as its photos come in; a flow typed quickly ends on its screen
with its buttons. The fake Telegram's limits are on (a few messages at once in a private
chat, then about one a second): the typed flow meets 429s the bot has to wait out; the
album's acknowledgement edits are spaced by the bot itself and meet none."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import select

from bot.rate_limits import EDIT_GAP
from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Person as PersonRow
from tests.e2e.harness import Person, RunningBot, labels
from tests.e2e.test_complaints import setup_world
from timekeeping.clock import ManualClock


def sent_after(fake: FakeTelegram, chat: object, mark: int) -> list[SentMessage]:
    return [m for m in fake.messages(chat) if m.message_id > mark]  # type: ignore[arg-type]


async def draft_files(db: SessionFactory, person: Person) -> int:
    async with db.begin() as session:
        draft = await session.scalar(
            select(PersonRow.draft).where(PersonRow.telegram_user_id == person.id)
        )
    return len((draft or {}).get("files", []))


async def test_an_album_of_five_photos_gets_one_acknowledgement(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    _, member, _, _ = await setup_world(bot, fake, db, clock)
    categories = await member.says("/keluhan")
    describe = await member.taps(categories, "KKS")
    attach = await member.says("Kartu KKS saya tertelan ATM, ini fotonya.")
    assert "Tulisan tersimpan" in (attach.plain or "")
    before = fake.stats.flood_429

    fake.mark_read(member.chat)
    await fake.send_album(member.user, 5)
    await fake.wait_for_message(member.chat, lambda m: "5 foto" in (m.plain or ""), timeout=15)
    await bot.settle()
    answers = sent_after(fake, member.chat, attach.message_id)
    assert len(answers) == 1, [m.plain for m in answers]
    (ack,) = answers
    assert "5 foto diterima" in (ack.plain or "") and "Semua foto/file: 5" in (ack.plain or "")
    assert any("Lanjut" in label for label in labels(ack))
    assert await draft_files(db, member) == 5
    # The acknowledgement's edits kept a second apart in the chat (bot/rate_limits.py), so
    # the burst never met Telegram's flood control, and none was dropped.
    assert fake.stats.flood_429 == before
    edits = [c.at for c in fake.calls_to("editMessageText", member.chat) if c.status == 200]
    assert len(edits) >= 1
    assert all(later - earlier >= EDIT_GAP for earlier, later in pairwise(edits))

    # The next album is acknowledged on its own; a single photo as before.
    await fake.send_album(member.user, 2)
    await fake.send_photo(member.user)
    await fake.wait_for_message(member.chat, lambda m: "(8)" in (m.plain or ""), timeout=15)
    await bot.settle()
    later = [m.plain or "" for m in sent_after(fake, member.chat, ack.message_id)]
    assert len(later) == 2
    assert "2 foto diterima" in later[0] and "Semua foto/file: 7" in later[0]
    assert "Foto/file tersimpan (8)" in later[1]
    review = await member.taps(fake.messages(member.chat)[-1], "Lanjut")
    assert "Kartu KKS saya tertelan ATM" in (review.plain or "")
    assert describe.message_id < attach.message_id


async def test_a_flow_typed_quickly_ends_on_its_screen_with_its_buttons(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    _, _, facilitator, _ = await setup_world(bot, fake, db, clock)
    await facilitator.says("/start")
    mark = fake.messages(facilitator.chat)[-1].message_id
    before = fake.stats.flood_429
    # Typed one after the other without waiting for the answers, as a practised hand does.
    fake.mark_read(facilitator.chat)
    for text in ("/buat_kelompok", "Melati 3", "Sukamaju", "Rumah Bu Ani, RT 04"):
        await fake.send_text(facilitator.user, text)
    await fake.wait_for_message(
        facilitator.chat, lambda m: "Rumah Bu Ani" in (m.plain or ""), timeout=20
    )
    await bot.settle()
    answers = sent_after(fake, facilitator.chat, mark)
    assert len(answers) == 4, [m.plain for m in answers]
    confirm = answers[-1]
    assert "Melati 3" in (confirm.plain or "") and "Rumah Bu Ani, RT 04" in (confirm.plain or "")
    assert any("Simpan" in label for label in labels(confirm))
    assert fake.stats.flood_429 > before
    created = await facilitator.taps(confirm, "Simpan")
    assert "Melati 3" in (created.plain or "")
