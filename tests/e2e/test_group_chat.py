"""The group's Telegram chat: who may bring the bot in, binding with /hubungkan, the bot
removed, the group upgraded to a supergroup."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from simulator.emulator import Chat, FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Group
from tests.e2e.harness import Person as User
from tests.e2e.harness import RunningBot, callback_of, links_in
from tests.e2e.test_onboarding import create_group, facilitator_from_invite
from tests.e2e.test_permissions import press, snapshot


async def chats_of_groups(db: SessionFactory) -> dict[str, tuple[int | None, str | None]]:
    async with db.begin() as session:
        return {g.name: (g.chat_id, g.chat_title) for g in await session.scalars(select(Group))}


async def says_in(fake: FakeTelegram, user: User, chat: Chat, text: str) -> SentMessage:
    fake.mark_read(chat)
    await fake.send_text(user.user, text, chat)
    return await fake.wait_for_message(chat, timeout=10.0)


async def facilitator_with_groups(coordinator: User, people: Any, *names: str) -> User:
    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    for name in names:
        await create_group(facilitator, name)
    return facilitator


async def test_bot_added_by_a_non_facilitator_explains_and_leaves(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_groups(coordinator, people, "Mawar 1")
    chat_link = links_in(facilitator.last())[2]
    member = people("Siti")
    await member.says("/start")
    before = await snapshot(db)
    chat = fake.group("Arisan RT 02", members=[member.user])
    # Even with a leaked group-chat link, a member cannot bind a chat.
    await fake.add_bot_to_group(member.user, chat, start_param=chat_link.split("?startgroup=")[1])
    said = await fake.wait_for_message(chat, lambda m: "pendamping" in (m.plain or ""))
    assert "Saya keluar" in (said.plain or "")
    leave = await fake.wait_for_call("leaveChat")
    assert str(leave.chat_id) == str(chat.id)
    assert chat.bot_status == "left"
    await bot.settle()
    assert await snapshot(db) == before
    assert await chats_of_groups(db) == {"Mawar 1": (None, None)}
    # A stranger who never talked to the bot is treated the same.
    stranger = people("Orang", "Asing")
    other = fake.group("Grup Lain", members=[stranger.user])
    await fake.add_bot_to_group(stranger.user, other)
    await fake.wait_for_call("leaveChat", count=2)
    assert other.bot_status == "left"


async def test_hubungkan_with_one_and_with_two_groups(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_groups(coordinator, people, "Mawar 1")
    chat = fake.group("Kelompok Mawar", members=[facilitator.user])
    await fake.add_bot_to_group(facilitator.user, chat)
    await bot.deliver_link_hint(chat, facilitator.user)
    hint = await fake.wait_for_message(chat, lambda m: "/hubungkan" in (m.plain or ""))
    assert "Terima kasih" in (hint.plain or "")
    asked = await says_in(fake, facilitator, chat, "/hubungkan")
    assert "kelompok mana" in (asked.plain or "")
    assert [label for label, _ in asked.buttons] == ["Mawar 1 (MAWAR1)"]
    bound = await facilitator.taps(asked, "Mawar 1")
    assert "terhubung ke kelompok Mawar 1" in (bound.plain or "")
    assert await chats_of_groups(db) == {"Mawar 1": (chat.id, "Kelompok Mawar")}

    # A second group: the facilitator picks which one a second chat belongs to.
    await create_group(facilitator, "Melati 2")
    second = fake.group("Kelompok Melati", members=[facilitator.user])
    await fake.add_bot_to_group(facilitator.user, second)
    await bot.deliver_link_hint(second, facilitator.user)
    await fake.wait_for_message(second, lambda m: "/hubungkan" in (m.plain or ""))
    asked = await says_in(fake, facilitator, second, "/hubungkan@p2k2_test_bot")
    assert len(asked.buttons) == 2
    bound = await facilitator.taps(asked, "Melati 2")
    assert "Melati 2" in (bound.plain or "")
    assert await chats_of_groups(db) == {
        "Mawar 1": (chat.id, "Kelompok Mawar"),
        "Melati 2": (second.id, "Kelompok Melati"),
    }
    # The first chat cannot be bound to the second group too.
    asked = await says_in(fake, facilitator, chat, "/hubungkan")
    reply = await press(fake, facilitator, asked, callback_of(asked, "Melati 2"))
    assert "sudah terhubung ke kelompok Mawar 1" in reply.text
    assert (await chats_of_groups(db))["Melati 2"] == (second.id, "Kelompok Melati")
    # In a private chat /hubungkan explains where to type it.
    answer = await facilitator.says("/hubungkan")
    assert "di grup Telegram kelompok" in (answer.plain or "")


async def test_hubungkan_by_a_member_is_refused(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_groups(coordinator, people, "Mawar 1")
    member = people("Siti")
    chat = fake.group("Kelompok Mawar", members=[facilitator.user, member.user])
    await fake.add_bot_to_group(facilitator.user, chat)
    await bot.deliver_link_hint(chat, facilitator.user)
    await fake.wait_for_message(chat, lambda m: "/hubungkan" in (m.plain or ""))
    before = await snapshot(db)
    refused = await says_in(fake, member, chat, "/hubungkan")
    assert "hanya untuk pendamping" in (refused.plain or "")
    assert not refused.buttons
    refused = await says_in(fake, member, chat, f"/start@p2k2_test_bot {'A' * 32}")
    assert "hanya untuk pendamping" in (refused.plain or "")
    assert await snapshot(db) == before
    # In private, a member gets the same refusal.
    answer = await member.says("/hubungkan")
    assert "hanya untuk pendamping" in (answer.plain or "")


async def test_bot_removed_unlinks_and_tells_the_facilitator(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_groups(coordinator, people, "Mawar 1")
    chat_link = links_in(facilitator.last())[2]
    chat = fake.group("Kelompok Mawar", members=[facilitator.user])
    await fake.add_bot_to_group(
        facilitator.user, chat, start_param=chat_link.split("?startgroup=")[1]
    )
    await fake.wait_for_message(chat, lambda m: "terhubung" in (m.plain or ""))
    assert (await chats_of_groups(db))["Mawar 1"][0] == chat.id
    fake.mark_read(facilitator.chat)
    await fake.remove_bot_from_group(facilitator.user, chat)
    await facilitator.says("/help")  # her updates are handled in order: the removal is done
    await bot.dispatch()  # the note to the facilitator goes through the dispatcher
    told = await fake.wait_for_message(facilitator.chat, lambda m: "dikeluarkan" in (m.plain or ""))
    assert "Mawar 1" in (told.plain or "")
    assert (await chats_of_groups(db))["Mawar 1"][0] is None
    # The detail screen says the chat is no longer linked.
    groups = await facilitator.says("/kelompok")
    detail = await facilitator.taps(groups, "Mawar 1")
    assert "Grup Telegram: belum terhubung" in (detail.plain or "")


async def test_group_migrated_to_supergroup_is_followed(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = await facilitator_with_groups(coordinator, people, "Mawar 1")
    chat_link = links_in(facilitator.last())[2]
    chat = fake.group("Kelompok Mawar", members=[facilitator.user])
    await fake.add_bot_to_group(
        facilitator.user, chat, start_param=chat_link.split("?startgroup=")[1]
    )
    await fake.wait_for_message(chat, lambda m: "terhubung" in (m.plain or ""))
    supergroup = await fake.migrate_group(chat, facilitator.user)
    await bot.settle()
    for _ in range(50):
        if (await chats_of_groups(db))["Mawar 1"][0] == supergroup.id:
            break
        await bot.settle()
    assert (await chats_of_groups(db))["Mawar 1"][0] == supergroup.id
    # The supergroup still answers the facilitator, and the binding holds.
    asked = await says_in(fake, facilitator, supergroup, "/hubungkan")
    bound = await facilitator.taps(asked, "Mawar 1")
    assert "terhubung" in (bound.plain or "")
    assert (await chats_of_groups(db))["Mawar 1"][0] == supergroup.id
