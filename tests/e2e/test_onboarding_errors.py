"""Invite links that cannot be used, and names that try to break the HTML: clear answers,
nothing lost, nothing changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage.db import SessionFactory
from storage.models import Group, Invite, InviteKind, Member, Person, StaffRole
from tests.e2e.harness import Person as User
from tests.e2e.harness import RunningBot, join_and_be_confirmed, labels, links_in, question_to
from tests.e2e.test_onboarding import create_group, facilitator_from_invite
from tests.e2e.test_permissions import snapshot
from timekeeping.clock import ManualClock

TRICKY = 'Mawar <b>&</b> "RT 02" *bold* _x_ [a](b) `c` 🌸👩‍👧'
LONG = "A" * 200


def token_of(link: str) -> str:
    return link.split("?start=")[1] if "?start=" in link else link.split("?startgroup=")[1]


async def group_with_links(
    coordinator: User, people: Any, name: str = "Mawar 1"
) -> tuple[User, list[str]]:
    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    await create_group(facilitator, name)
    return facilitator, links_in(facilitator.last())


async def test_expired_links_are_explained(
    bot: RunningBot,
    fake: FakeTelegram,
    coordinator: User,
    people: Any,
    clock: ManualClock,
    db: SessionFactory,
) -> None:
    facilitator, (member_link, chair_link, chat_link) = await group_with_links(coordinator, people)
    menu = await coordinator.says("/start")
    facilitator_link = links_in(await coordinator.taps(menu, "Undang pendamping"))[0]
    clock.advance(timedelta(days=bot.settings.invite_ttl_days, seconds=1))
    before = await snapshot(db)
    stranger = people("Ani")
    for link in (member_link, chair_link, facilitator_link):
        answer = await stranger.says(f"/start {token_of(link)}")
        assert "kedaluwarsa" in (answer.plain or ""), link
    chat = fake.group("Grup Mawar")
    await fake.add_bot_to_group(facilitator.user, chat, start_param=token_of(chat_link))
    answer = await fake.wait_for_message(chat, lambda m: "kedaluwarsa" in (m.plain or ""))
    assert answer is not None
    assert await snapshot(db) == before
    # The facilitator asks for the links again: fresh ones are issued and work.
    groups = await facilitator.says("/kelompok")
    detail = await facilitator.taps(groups, "Mawar 1")
    fresh = links_in(await facilitator.taps(detail, "Link undangan"))
    assert fresh[0] != member_link
    offer = await stranger.says(f"/start {token_of(fresh[0])}")
    assert "Ketik" in (offer.plain or "")


async def test_chair_link_is_single_use(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator, (_, chair_link, _) = await group_with_links(coordinator, people)
    chair = people("Dewi")
    welcome = await join_and_be_confirmed(
        bot, chair, token_of(chair_link), "Dewi Lestari", facilitator
    )
    assert "ketua" in (welcome.plain or "")
    before = await snapshot(db)
    late = people("Orang")
    refused = await late.says(f"/start {token_of(chair_link)}")
    assert "sudah dipakai" in (refused.plain or "")
    # The refused person is not waiting to type a name: text is not taken as one.
    answer = await late.says("Orang Lain")
    assert "belum paham" in (answer.plain or "")
    assert await snapshot(db) == before


async def test_renewed_links_revoke_the_old_ones(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator, old_links = await group_with_links(coordinator, people)
    created = facilitator.last()
    confirm = await facilitator.taps(created, "Ganti semua link")
    assert "tidak berlaku" in (confirm.plain or "")
    renewed = await facilitator.taps(confirm, "Ya, ganti")
    new_links = links_in(renewed)
    assert len(new_links) == 3 and not set(new_links) & set(old_links)
    before = await snapshot(db)
    member = people("Siti")
    for link in old_links[:2]:
        answer = await member.says(f"/start {token_of(link)}")
        assert "sudah dibatalkan" in (answer.plain or "")
    chat = fake.group("Grup")
    await fake.add_bot_to_group(facilitator.user, chat, start_param=token_of(old_links[2]))
    await fake.wait_for_message(chat, lambda m: "dibatalkan" in (m.plain or ""))
    assert await snapshot(db) == before
    offer = await member.says(f"/start {token_of(new_links[0])}")
    assert "Mawar 1" in (offer.plain or "")


async def test_forged_and_misplaced_tokens(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator, (member_link, _, chat_link) = await group_with_links(coordinator, people)
    before = await snapshot(db)
    stranger = people("Ani")
    for token in (
        "A" * 32,
        "abc",
        "<script>alert(1)</script>",
        "x" * 64,
        token_of(member_link)[:-1] + ("A" if token_of(member_link)[-1] != "A" else "B"),
    ):
        answer = await stranger.says(f"/start {token}")
        assert "tidak dikenal" in (answer.plain or ""), token
    # A group-chat token in a private chat says where it belongs.
    answer = await stranger.says(f"/start {token_of(chat_link)}")
    assert "bukan untuk di sini" in (answer.plain or "")
    # A member token used to bind a group chat is refused in the group.
    chat = fake.group("Grup")
    await fake.add_bot_to_group(facilitator.user, chat, start_param=token_of(member_link))
    await fake.wait_for_message(chat, lambda m: "bukan untuk di sini" in (m.plain or ""))
    assert await snapshot(db) == before


async def test_facilitator_link_opened_by_a_coordinator_is_not_used_up(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    menu = await coordinator.says("/start")
    link = links_in(await coordinator.taps(menu, "Undang pendamping"))[0]
    answer = await coordinator.says(f"/start {token_of(link)}")
    assert "sudah terdaftar sebagai koordinator" in (answer.plain or "")
    async with db.begin() as session:
        invite = await session.scalar(select(Invite).where(Invite.kind == InviteKind.FACILITATOR))
        assert invite is not None and invite.uses == 0
        role = await session.scalar(
            select(Person.staff_role).where(Person.telegram_user_id == coordinator.id)
        )
    assert role is StaffRole.COORDINATOR
    # The intended facilitator can still use it, once.
    facilitator = people("Bu", "Rina")
    welcome = await facilitator.says(f"/start {token_of(link)}")
    assert "pendamping" in (welcome.plain or "")
    again = await people("Lain").says(f"/start {token_of(link)}")
    assert "sudah dipakai" in (again.plain or "")


async def test_tricky_group_name_is_shown_exactly(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    menu = await facilitator.says("/start")
    await facilitator.taps(menu, "Buat kelompok")
    # Too long: a clear error, and the step is kept.
    answer = await facilitator.says(LONG)
    assert "Terlalu panjang: 200 huruf, paling banyak 100" in (answer.plain or "")
    answer = await facilitator.says(TRICKY)
    assert TRICKY in (answer.plain or "")
    answer = await facilitator.says("Desa <i>Suka</i> & Maju")
    assert "tempat pertemuan" in (answer.plain or "")
    answer = await facilitator.says("x" * 301)
    assert "paling banyak 300" in (answer.plain or "")
    answer = await facilitator.says("Rumah Bu <Siti> & co")
    assert TRICKY in (answer.plain or "") and "Rumah Bu <Siti> & co" in (answer.plain or "")
    created = await facilitator.taps(answer, "Simpan")
    assert f"Kelompok {TRICKY} dibuat" in (created.plain or "")
    async with db.begin() as session:
        group = await session.scalar(select(Group))
    assert group is not None
    assert (group.name, group.village, group.venue) == (
        TRICKY,
        "Desa <i>Suka</i> & Maju",
        "Rumah Bu <Siti> & co",
    )
    # The group list and the detail show it too (button text and HTML).
    groups = await facilitator.says("/kelompok")
    assert any(TRICKY[:20] in label for label in labels(groups))
    detail = await facilitator.taps(groups, "Mawar <b>")
    assert TRICKY in (detail.plain or "")


async def test_typed_member_name_and_rename_are_escaped_and_bounded(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator, (member_link, _, _) = await group_with_links(coordinator, people)
    member = people("Siti")
    offer = await member.says(f"/start {token_of(member_link)}")
    assert "Ketik" in (offer.plain or "")
    answer = await member.says(LONG)
    assert "Terlalu panjang" in (answer.plain or "")
    sticker_reply_count = len(fake.messages(member.chat))
    await fake.send_sticker(member.user)
    answer = await fake.wait_for_message(member.chat)
    assert "menunggu" in (answer.plain or "")
    assert len(fake.messages(member.chat)) == sticker_reply_count + 1
    waiting = await member.says(TRICKY)
    assert "⏳" in (waiting.plain or "")  # a name not on the roster is a request, not a line
    async with db.begin() as session:
        assert list(await session.scalars(select(Member.name))) == []
    await bot.dispatch()  # the question to the facilitator goes through the dispatcher
    question = await question_to(fake, facilitator, TRICKY)
    assert "Tambahkan" in str(labels(question))
    await facilitator.taps(question, "Tambahkan")
    await bot.dispatch()
    welcome = await fake.wait_for_message(member.chat, lambda m: "dikonfirmasi" in (m.plain or ""))
    assert TRICKY in (welcome.plain or "")

    # The facilitator renames her: too long is refused and the step kept; then a tricky name.
    groups = await facilitator.says("/kelompok")
    detail = await facilitator.taps(groups, "Mawar 1")
    roster = await facilitator.taps(detail, "Daftar anggota")
    card = await facilitator.taps(roster, "Mawar <b>")
    asked = await facilitator.taps(card, "Ganti nama")
    assert TRICKY in (asked.plain or "")
    answer = await facilitator.says(LONG)
    assert "Terlalu panjang" in (answer.plain or "")
    renamed_to = "Siti <Aminah> & *Putri* 👩"
    answer = await facilitator.says(renamed_to)
    assert "Nama diganti" in (answer.plain or "") and renamed_to in (answer.plain or "")
    async with db.begin() as session:
        names = list(await session.scalars(select(Member.name)))
    assert names == [renamed_to]
