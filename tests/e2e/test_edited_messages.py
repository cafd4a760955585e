"""Editing a sent message never acts a second time; the person is told what to do instead."""

from __future__ import annotations

from typing import Any

from simulator.emulator import Chat, FakeTelegram
from simulator.emulator.people import command_entities
from storage.db import SessionFactory
from tests.e2e.harness import Person, RunningBot
from tests.e2e.test_meetings import meetings_in, set_up_group


async def edit(fake: FakeTelegram, person: Person, message: dict[str, Any], text: str) -> None:
    """The person edits a message she sent, as a Telegram client does: an edited_message."""
    edited = {**message, "text": text, "edit_date": fake.world.now()}
    edited.pop("entities", None)
    entities = command_entities(text)
    if entities:
        edited["entities"] = entities
    await fake.world.updates.push("edited_message", edited)


async def test_editing_jadwalkan_does_not_make_a_second_meeting(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, db: SessionFactory
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    f = cast.facilitator
    fake.mark_read(f.chat)
    sent = await fake.send_text(f.user, "/jadwalkan MAWAR1 12/12/2026 09.00")
    saved = await fake.wait_for_message(f.chat)
    assert "Pertemuan disimpan" in (saved.plain or "")
    assert len(await meetings_in(db)) == 1

    fake.mark_read(f.chat)
    await edit(fake, f, sent, "/jadwalkan MAWAR1 13/12/2026 09.00")
    told = await fake.wait_for_message(f.chat)
    assert "tidak dijalankan" in (told.plain or "") and "pesan baru" in (told.plain or "")
    assert "/jadwal" in (told.plain or "")  # staff can change a meeting there
    assert len(await meetings_in(db)) == 1
    # Typed answers too: an edited answer is not taken as a second answer.
    fake.mark_read(f.chat)
    typed = await fake.send_text(f.user, "halo")
    await fake.wait_for_message(f.chat)
    fake.mark_read(f.chat)
    await edit(fake, f, typed, "/jadwalkan MAWAR1 14/12/2026 09.00")
    told = await fake.wait_for_message(f.chat)
    assert "tidak dijalankan" in (told.plain or "")
    assert len(await meetings_in(db)) == 1


async def test_an_edited_command_in_a_group_is_not_run(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, db: SessionFactory
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    f = cast.facilitator
    group: Chat = cast.chat
    fake.mark_read(group)
    command = await fake.send_text(f.user, f"/help@{bot.username}", chat=group)
    await fake.wait_for_message(group)
    fake.mark_read(group)
    await edit(fake, f, command, f"/jadwalkan@{bot.username} MAWAR1 12/12/2026 09.00")
    told = await fake.wait_for_message(group)
    assert "tidak dijalankan" in (told.plain or "")
    assert await meetings_in(db) == []


async def test_a_member_is_not_sent_to_a_command_she_cannot_use(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object, db: SessionFactory
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    member = cast.members[0]
    fake.mark_read(member.chat)
    sent = await fake.send_text(member.user, "halo")
    await fake.wait_for_message(member.chat)
    fake.mark_read(member.chat)
    await edit(fake, member, sent, "halo lagi")
    told = await fake.wait_for_message(member.chat)
    assert "tidak dijalankan" in (told.plain or "") and "pesan baru" in (told.plain or "")
    assert "/jadwal" not in (told.plain or "")
