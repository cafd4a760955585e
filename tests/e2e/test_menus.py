"""Command menus per role, chat type and language; /bahasa; what the bot says to input it
did not ask for; /batal in the middle of a flow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from storage.models import Group
from tests.e2e.harness import Person as User
from tests.e2e.harness import RunningBot, join_and_be_confirmed, links_in
from tests.e2e.test_onboarding import create_group, facilitator_from_invite

STAFF_ONLY = ("kelompok", "buat_kelompok", "undang", "pendamping")


def names(commands: list[dict[str, str]] | None) -> list[str]:
    assert commands is not None, "no commands registered for that scope and language"
    return [c["command"] for c in commands]


def descriptions(commands: list[dict[str, str]] | None) -> dict[str, str]:
    assert commands is not None
    return {c["command"]: c["description"] for c in commands}


def chat_scope(user: User) -> dict[str, Any]:
    return {"type": "chat", "chat_id": user.id}


async def test_command_menus_per_role_chat_type_and_language(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any
) -> None:
    private, groups = {"type": "all_private_chats"}, {"type": "all_group_chats"}
    for language in ("", "id", "en"):
        menu = names(fake.commands_for(private, language))
        assert {"start", "help", "bahasa", "batal"} <= set(menu)
        assert not set(STAFF_ONLY) & set(menu)
        assert "hubungkan" in names(fake.commands_for(groups, language))
        assert "kelompok" not in names(fake.commands_for(groups, language))
    assert descriptions(fake.commands_for(private, "id"))["help"] == "Bantuan"
    assert descriptions(fake.commands_for(private, "en"))["help"] == "Help"

    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    coordinator_menu = names(fake.commands_for(chat_scope(coordinator), "id"))
    assert {"undang", "pendamping", "kelompok"} <= set(coordinator_menu)
    for language in ("", "id", "en"):
        menu = names(fake.commands_for(chat_scope(facilitator), language))
        assert {"kelompok", "buat_kelompok", "bahasa", "batal"} <= set(menu)
        assert "undang" not in menu
    assert (
        descriptions(fake.commands_for(chat_scope(facilitator), "en"))["buat_kelompok"]
        != (descriptions(fake.commands_for(chat_scope(facilitator), "id"))["buat_kelompok"])
    )

    await create_group(facilitator)
    member_link = links_in(facilitator.last())[0]
    member = people("Siti")
    await member.says("/start")
    newcomer_menu = names(fake.commands_for(chat_scope(member), "id"))
    assert {"start", "help", "bahasa", "batal"} <= set(newcomer_menu)
    assert "kelompok_saya" not in newcomer_menu
    # No roster: her typed name waits for the facilitator's ✅ Tambahkan.
    token = member_link.split("?start=")[1]
    welcome = await join_and_be_confirmed(bot, member, token, "Siti Aminah", facilitator)
    assert "anggota kelompok" in (welcome.plain or "")
    # Her menu changes at her next message after the confirmation (the /start it names).
    await member.says("/start")
    await bot.settle()
    for language in ("", "id", "en"):
        menu = names(fake.commands_for(chat_scope(member), language))
        assert "kelompok_saya" in menu
        assert not set(STAFF_ONLY) & set(menu)


async def test_bahasa_switches_the_following_answers(
    bot: RunningBot, fake: FakeTelegram, people: Any
) -> None:
    ani = people("Ani")
    hello = await ani.says("/start")
    assert "Halo, Ani" in (hello.plain or "")
    choose = await ani.says("/bahasa")
    assert "Choose a language" in (choose.plain or "")
    switched = await ani.taps(choose, "English")
    assert "Language changed to English" in (switched.plain or "")
    answer = await ani.says("/help")
    assert "Help" in (answer.plain or "") and "Bantuan" not in (answer.plain or "")
    answer = await ani.says("/tidak_ada")
    assert "I do not know that command" in (answer.plain or "")
    answer = await ani.says("/kelompok")
    assert "for PKH facilitators only" in (answer.plain or "")
    # Back to Indonesian with the buttons only.
    choose = await ani.says("/bahasa")
    switched = await ani.taps(choose, "Bahasa Indonesia")
    assert "Bahasa diganti" in (switched.plain or "")
    answer = await ani.says("/tidak_ada")
    assert "tidak saya kenal" in (answer.plain or "")


async def test_english_telegram_users_get_english_by_default(
    bot: RunningBot, fake: FakeTelegram, people: Any
) -> None:
    john = people("John", language="en-GB")
    hello = await john.says("/start")
    assert "Hello" in (hello.plain or "") or "Hi" in (hello.plain or "")
    assert "Halo" not in (hello.plain or "")


async def test_unexpected_input_gets_a_helpful_answer(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    ani = people("Ani")
    await ani.says("/start")
    answer = await ani.says("/perintah_aneh")
    assert "tidak saya kenal" in (answer.plain or "")
    assert any("Menu" in label for label, _ in answer.buttons)
    answer = await ani.says("halo bot, apa kabar?")
    assert "belum paham" in (answer.plain or "")
    assert "link undangan" in (answer.plain or "")
    fake.mark_read(ani.chat)
    await fake.send_sticker(ani.user)
    answer = await fake.wait_for_message(ani.chat)
    assert "belum paham" in (answer.plain or "")
    fake.mark_read(ani.chat)
    await fake.send_location(ani.user, -6.2, 106.8)
    answer = await fake.wait_for_message(ani.chat)
    assert "belum paham" in (answer.plain or "")

    # A sticker where a name is expected: what is needed is said, the step is kept.
    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    menu = await facilitator.says("/start")
    await facilitator.taps(menu, "Buat kelompok")
    fake.mark_read(facilitator.chat)
    await fake.send_sticker(facilitator.user)
    answer = await fake.wait_for_message(facilitator.chat)
    assert "menunggu <b>tulisan</b>" in (answer.text or "")
    fake.mark_read(facilitator.chat)
    await fake.send_photo(facilitator.user)
    answer = await fake.wait_for_message(facilitator.chat)
    assert "menunggu <b>tulisan</b>" in (answer.text or "")
    answer = await facilitator.says("Mawar 1")
    assert "langkah 2 dari 3" in (answer.plain or "")

    # /batal in the middle: the draft is dropped, and says so; nothing was created.
    answer = await facilitator.says("/batal")
    assert "Dibatalkan" in (answer.plain or "")
    answer = await facilitator.says("Sukamaju")
    assert "belum paham" in (answer.plain or "")
    answer = await facilitator.says("/batal")
    assert "Tidak ada langkah" in (answer.plain or "")
    async with db.begin() as session:
        assert await session.scalar(select(func.count(Group.id))) == 0
    # The cancel button does the same.
    menu = await facilitator.says("/start")
    step = await facilitator.taps(menu, "Buat kelompok")
    cancelled = await facilitator.taps(step, "Batal")
    assert "Dibatalkan" in (cancelled.plain or "")
