"""Every role-restricted command and button is refused to the wrong role, clearly, and
changes nothing; forged, malformed and stale buttons always get an answer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Group, Invite, Member, Person
from tests.e2e.harness import Person as User
from tests.e2e.harness import RunningBot, callback_of, links_in
from tests.e2e.test_onboarding import create_group, facilitator_from_invite

ROSTER = b"nama;id kpm\nSiti Aminah;3201\nDewi Lestari;3202\nRina Wati;3203\n"

FACILITATORS_ONLY = "hanya untuk pendamping"
COORDINATORS_ONLY = "hanya untuk koordinator"
NOT_YOURS = "bukan kelompok Ibu/Bapak"
STALE = "sudah lama atau tidak berlaku"


@dataclass
class Reply:
    """What the user saw after pressing: the callback answer and any message or edit."""

    answer: str | None
    message: SentMessage | None

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.answer, self.message_text) if part)

    @property
    def message_text(self) -> str:
        return (self.message.plain or "") if self.message else ""


async def press(
    fake: FakeTelegram, user: User, message: SentMessage, data: str, timeout: float = 10.0
) -> Reply:
    """Press a button with crafted data; wait for the callback answer (never silence)."""
    fake.mark_read(message.chat_id)
    query_id = await fake.press(user.user, message, data, forged=True)

    def answered() -> bool:
        # One lookup, not fake.callback_answers: that builds a dict of every answer so far,
        # and this runs on every change of the fake.
        pending = fake.world.callbacks.get(query_id)
        return pending is not None and pending.answer is not None

    async with fake.world.changed:
        try:
            await asyncio.wait_for(fake.world.changed.wait_for(answered), timeout)
        except TimeoutError:
            raise AssertionError(f"no answer to the button {data!r}") from None
    answer = fake.world.callbacks[query_id].answer
    assert answer is not None
    if answer.text:
        return Reply(answer.text, None)
    # Answered silently: the answer is the edit or the message that follows.
    shown = await fake.wait_for_message(message.chat_id, timeout=timeout)
    return Reply(None, shown)


def not_a_staff_step(answer: SentMessage) -> bool:
    """The typed text was not taken as a group name or a member's new name."""
    text = answer.plain or ""
    return "langkah 2 dari 3" not in text and "Nama diganti" not in text and "Terlalu" not in text


async def snapshot(db: SessionFactory) -> dict[str, Any]:
    """Everything a refused action must leave alone."""
    async with db.begin() as session:
        groups = [
            (g.id, g.name, g.code, g.chair_member_id, g.chat_id, g.facilitator_id, g.active)
            for g in await session.scalars(select(Group).order_by(Group.id))
        ]
        members = [
            (m.id, m.group_id, m.name, m.person_id, m.active)
            for m in await session.scalars(select(Member).order_by(Member.id))
        ]
        invites = [
            (i.id, i.token, i.uses, i.revoked_at)
            for i in await session.scalars(select(Invite).order_by(Invite.id))
        ]
        # New people may appear (anyone who writes is registered); roles must not change.
        staff = [
            (p.id, p.staff_role)
            for p in await session.scalars(
                select(Person).where(Person.staff_role.is_not(None)).order_by(Person.id)
            )
        ]
    return {"groups": groups, "members": members, "invites": invites, "staff": staff}


async def group_id(db: SessionFactory, name: str) -> int:
    async with db.begin() as session:
        found = await session.scalar(select(Group.id).where(Group.name == name))
    assert found is not None
    return found


async def member_id(db: SessionFactory, name: str) -> int:
    async with db.begin() as session:
        found = await session.scalar(select(Member.id).where(Member.name == name))
    assert found is not None
    return found


@dataclass
class World:
    coordinator: User
    facilitator: User
    member: User
    newcomer: User
    member_link: str
    chair_link: str
    chat_link: str


async def build_world(
    fake: FakeTelegram, coordinator: User, people: Any, group_name: str = "Mawar 1"
) -> World:
    """A facilitator with a group and a roster, a member who joined, a newcomer."""
    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    await create_group(facilitator, group_name)
    created = facilitator.last()
    member_link, chair_link, chat_link = links_in(created)
    await facilitator.taps(created, "Kirim file daftar")
    imported = await facilitator.sends_file("anggota.csv", ROSTER)
    assert "3 anggota baru" in (imported.plain or "")
    member = people("Siti")
    await member.says(f"/start {member_link.split('?start=')[1]}")
    found = await member.says("Siti")
    digits = await member.taps(found, "Siti A.")
    welcome = await member.says("3201")  # the last digits of her ID KPM on the roster
    assert "4 angka terakhir" in (digits.plain or "")
    assert "anggota kelompok" in (welcome.plain or "")
    newcomer = people("Baru")
    hello = await newcomer.says("/start")
    assert "belum masuk kelompok" in (hello.plain or "")
    return World(coordinator, facilitator, member, newcomer, member_link, chair_link, chat_link)


async def test_members_and_newcomers_cannot_use_staff_commands(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    world = await build_world(fake, coordinator, people)
    before = await snapshot(db)
    for person in (world.member, world.newcomer):
        for command, expected in (
            ("/kelompok", FACILITATORS_ONLY),
            ("/buat_kelompok", FACILITATORS_ONLY),
            ("/undang", COORDINATORS_ONLY),
            ("/pendamping", COORDINATORS_ONLY),
        ):
            answer = await person.says(command)
            assert expected in (answer.plain or ""), (command, answer.plain)
    # A facilitator is staff but not a coordinator.
    for command in ("/undang", "/pendamping"):
        answer = await world.facilitator.says(command)
        assert COORDINATORS_ONLY in (answer.plain or "")
    # The member cannot slip into the group-creation step either: typed text is not a name.
    answer = await world.member.says("Kelompok Palsu")
    assert not_a_staff_step(answer)
    assert await snapshot(db) == before


async def test_member_pressing_forged_staff_buttons_is_refused(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    world = await build_world(fake, coordinator, people)
    gid = await group_id(db, "Mawar 1")
    siti, dewi = await member_id(db, "Siti Aminah"), await member_id(db, "Dewi Lestari")
    before = await snapshot(db)
    old_message = world.member.last()
    forged = {
        f"g:{gid}": FACILITATORS_ONLY,
        f"ros:{gid}:0": FACILITATORS_ONLY,
        f"m:{dewi}": FACILITATORS_ONLY,
        f"mr:{dewi}": FACILITATORS_ONLY,
        f"md:{dewi}": FACILITATORS_ONLY,
        f"ma:{dewi}": FACILITATORS_ONLY,
        f"mc:{siti}": FACILITATORS_ONLY,
        f"mm:{siti}": FACILITATORS_ONLY,
        f"mmt:{siti}:{gid}": FACILITATORS_ONLY,
        f"gl:{gid}": FACILITATORS_ONLY,
        f"grn:{gid}": FACILITATORS_ONLY,
        f"grny:{gid}": FACILITATORS_ONLY,
        f"gi:{gid}": FACILITATORS_ONLY,
        f"gch:{gid}:0": FACILITATORS_ONLY,
        f"rft:{gid}": FACILITATORS_ONLY,
        "gs": FACILITATORS_ONLY,
        "gn": FACILITATORS_ONLY,
        "gsv": FACILITATORS_ONLY,
        "fi": COORDINATORS_ONLY,
        "fl": COORDINATORS_ONLY,
    }
    for person in (world.member, world.newcomer):
        message = person.last() if person is world.newcomer else old_message
        for data, expected in forged.items():
            reply = await press(fake, person, message, data)
            assert expected in reply.text, (data, reply)
    assert await snapshot(db) == before
    # The member was not able to reach the rename step: typed text is not a new name.
    answer = await world.member.says("Nama Baru")
    assert not_a_staff_step(answer)
    assert await snapshot(db) == before


async def test_member_pressing_bind_in_group_chat_is_refused(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    world = await build_world(fake, coordinator, people)
    gid = await group_id(db, "Mawar 1")
    chat = fake.group("Grup Mawar", members=[world.facilitator.user, world.member.user])
    await fake.add_bot_to_group(world.facilitator.user, chat)
    await bot.deliver_link_hint(chat, world.facilitator.user)
    hint = await fake.wait_for_message(chat, lambda m: "/hubungkan" in (m.plain or ""))
    before = await snapshot(db)
    reply = await press(fake, world.member, hint, f"bind:{gid}")
    assert FACILITATORS_ONLY in reply.text
    assert await snapshot(db) == before


async def test_another_facilitators_group_is_not_yours(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    await build_world(fake, coordinator, people)
    other = people("Pak", "Budi")
    await facilitator_from_invite(coordinator, other)
    await create_group(other, "Melati 2")
    theirs = await group_id(db, "Mawar 1")
    mine = await group_id(db, "Melati 2")
    dewi = await member_id(db, "Dewi Lestari")
    before = await snapshot(db)
    message = other.last()
    for data in (
        f"g:{theirs}",
        f"gl:{theirs}",
        f"grny:{theirs}",
        f"ros:{theirs}:0",
        f"gch:{theirs}:0",
        f"gi:{theirs}",
        f"m:{dewi}",
        f"mr:{dewi}",
        f"md:{dewi}",
        f"ma:{dewi}",
        f"mc:{dewi}",
        f"mm:{dewi}",
        f"mmt:{dewi}:{mine}",
    ):
        reply = await press(fake, other, message, data)
        assert NOT_YOURS in reply.text, (data, reply)
    assert await snapshot(db) == before

    # A roster file sent to one's own group, then a forged pick of someone else's group.
    await other.sends_file("daftar.csv", b"nama\nOrang Lain\n")
    second = people("Pak", "Dodi")
    await facilitator_from_invite(coordinator, second)
    await create_group(second, "Kenanga 3")
    await create_group(second, "Kenanga 4")
    asked = await second.sends_file("daftar.csv", b"nama\nPenyusup\n")
    assert "kelompok mana" in (asked.plain or "")
    before = await snapshot(db)
    reply = await press(fake, second, asked, f"rft:{theirs}")
    assert NOT_YOURS in reply.text
    assert await snapshot(db) == before
    # Nothing was lost: the file can still go to one of their own groups.
    imported = await second.taps(asked, "Kenanga 4")
    assert "1 anggota baru" in (imported.plain or "")

    # A coordinator manages every group, so the same buttons work for them.
    menu = await coordinator.says("/start")
    shown = await press(fake, coordinator, menu, f"g:{theirs}")
    assert "Mawar 1" in shown.message_text


async def test_malformed_and_unknown_button_data_is_answered(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    world = await build_world(fake, coordinator, people)
    gid = await group_id(db, "Mawar 1")
    siti = await member_id(db, "Siti Aminah")
    before = await snapshot(db)
    message = world.facilitator.last()
    for data in (
        "g",
        "g:",
        "g:abc",
        "g:1:2:x",
        "zzz",
        "zzz:1",
        ":",
        "",
        "x" * 65,
        "g:" + "9" * 40,
        "g:99999999999",
        "g:-1",
        f"m:{2**31}",
        "mmt:1",
        f"mmt:{siti}",
        f"mmt:{siti}:{gid}",  # the group it is already in
        "lang",
        "lang:7",
        "jp:1",
        "jpg:0",
        "jn",
        "sk",
        "gsv",
        "rft:1",
        f"ros:{gid + 100}:0",
    ):
        reply = await press(fake, world.facilitator, message, data)
        assert reply.text, data
        assert "gangguan" not in reply.text, (data, reply)
        assert "Traceback" not in reply.text
    assert await snapshot(db) == before
    # Every one of them was answered with the stale-button text or a precise refusal.
    for data in ("zzz", "g:abc", "x" * 65, "g:99999999999", "mmt:1", "sk", "gsv"):
        reply = await press(fake, world.facilitator, message, data)
        assert STALE in reply.text, (data, reply)


async def test_buttons_of_a_finished_flow_are_stale(
    bot: RunningBot, fake: FakeTelegram, coordinator: User, people: Any, db: SessionFactory
) -> None:
    facilitator = people("Bu", "Rina")
    await facilitator_from_invite(coordinator, facilitator)
    menu = await facilitator.says("/start")
    step = await facilitator.taps(menu, "Buat kelompok")
    step = await facilitator.says("Anggrek")
    skip_village = step
    step = await facilitator.taps(step, "Lewati")
    step = await facilitator.taps(step, "Lewati")
    confirm = step
    await facilitator.taps(confirm, "Simpan")
    before = await snapshot(db)
    assert len(before["groups"]) == 1
    # Save again, skip again: the flow is over, nothing is created twice.
    for message, data in ((confirm, "gsv"), (skip_village, "sk"), (confirm, "gn:1")):
        reply = await press(fake, facilitator, message, data)
        if data == "gn:1":
            # Starting a new group is always allowed.
            assert "nama kelompok" in reply.message_text
            await facilitator.says("/batal")
            continue
        assert STALE in reply.text, data
    assert await snapshot(db) == before

    # A member's name button after she joined is stale too.
    created = await facilitator.says("/kelompok")
    assert "Anggrek" in str(created.buttons)
    links = await facilitator.taps(created, "Anggrek")
    links = await facilitator.taps(links, "Link undangan")
    member_link = links_in(links)[0]
    await facilitator.taps(links, "Kirim file daftar")
    await facilitator.sends_file("a.csv", b"nama\nSiti\nDewi\n")
    member = people("Siti")
    await member.says(f"/start {member_link.split('?start=')[1]}")
    offer = await member.says("Sit")
    old_name_button = callback_of(offer, "Siti")
    await member.taps(offer, "Siti")
    before = await snapshot(db)
    reply = await press(fake, member, offer, old_name_button)
    assert STALE in reply.text
    assert await snapshot(db) == before
