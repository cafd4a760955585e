"""From an invite link to a group with a roster, a chair and a bound chat, using buttons."""

from __future__ import annotations

from simulator.emulator import FakeTelegram
from tests.e2e.harness import Person, RunningBot, labels, links_in

ROSTER = (
    b"nama;id kpm;no hp;ketua\n"
    b"Siti Aminah;3201010101010001;081234567890;ya\n"
    b"Nur'aini <b>bold</b>;3201010101010002;;\n"
    b"Dewi Lestari;3201010101010003;;\n"
    b";3201010101010004;;\n"
    b"Dewi Lestari;3201010101010005;;\n"
)


async def facilitator_from_invite(coordinator: Person, facilitator: Person) -> None:
    menu = await coordinator.says("/start")
    assert "koordinator" in (menu.plain or "")
    link_message = await coordinator.taps(menu, "Undang pendamping")
    (link,) = links_in(link_message)
    token = link.split("?start=")[1]
    welcome = await facilitator.says(f"/start {token}")
    assert "pendamping" in (welcome.plain or "")


async def create_group(facilitator: Person, name: str = "Mawar 1") -> str:
    menu = await facilitator.says("/start")
    step = await facilitator.taps(menu, "Buat kelompok")
    assert "nama kelompok" in (step.plain or "")
    step = await facilitator.says(name)
    assert "desa" in (step.plain or "")
    step = await facilitator.says("Sukamaju")
    step = await facilitator.taps(step, "Lewati")
    assert "Periksa" in (step.plain or "")
    created = await facilitator.taps(step, "Simpan")
    assert "dibuat" in (created.plain or "")
    return created.plain or ""


async def test_new_facilitator_builds_a_group_with_buttons(
    bot: RunningBot, fake: FakeTelegram, coordinator: Person, people: object
) -> None:
    facilitator = people("Bu", "Rina")  # type: ignore[operator]
    await facilitator_from_invite(coordinator, facilitator)
    created_text = await create_group(facilitator)
    created = facilitator.last()
    member_link, chair_link, chat_link = links_in(created)
    assert "?startgroup=" in chat_link
    assert "Mawar 1" in created_text

    # The roster file goes in; bad rows are reported by line, good rows are kept.
    await facilitator.taps(created, "Kirim file daftar")
    imported = await facilitator.sends_file("anggota.csv", ROSTER)
    text = imported.plain or ""
    assert "3 anggota baru" in text
    assert "Baris 5: nama kosong" in text
    assert "Baris 6: nama sama dengan baris 4" in text
    assert "Ketua: Siti Aminah" in text

    # A member types her name and picks it among the matches; a chair joins with the chair
    # link. The link never lists the roster: only names matching what was typed, shortened.
    member = people("Nur")  # type: ignore[operator]
    offer = await member.says(f"/start {member_link.split('?start=')[1]}")
    assert "Ketik" in (offer.plain or "") and labels(offer) == ["✖️ Batal"]
    found = await member.says("nur")
    assert "Nur'aini B." in labels(found)
    assert not any("Siti" in label or "Dewi" in label for label in labels(found))
    digits = await member.taps(found, "Nur'aini")
    assert "4 angka terakhir" in (digits.plain or "")  # the roster holds her ID KPM
    welcome = await member.says("0002")
    assert "anggota kelompok Mawar 1" in (welcome.plain or "")
    await bot.dispatch()  # the facilitator's note goes through the dispatcher
    note = await fake.wait_for_message(facilitator.chat, lambda m: "bergabung" in (m.plain or ""))
    assert "Nur'aini <b>bold</b> bergabung" in (note.plain or "")

    chair = people("Dewi")  # type: ignore[operator]
    await chair.says(f"/start {chair_link.split('?start=')[1]}")
    found = await chair.says("Dewi")
    assert labels(found)[0] == "Dewi L." and "Lestari" not in " ".join(labels(found))
    await chair.taps(found, "Dewi L.")
    welcome = await chair.says("0003")
    assert "ketua" in (welcome.plain or "")

    # The chair link was for one use only.
    late = people("Orang")  # type: ignore[operator]
    refused = await late.says(f"/start {chair_link.split('?start=')[1]}")
    assert "sudah dipakai" in (refused.plain or "")

    # The facilitator adds the bot to the group's chat through the startgroup link.
    group_chat = fake.group("Kelompok Mawar 1 RT02")
    await fake.add_bot_to_group(
        facilitator.user, group_chat, start_param=chat_link.split("?startgroup=")[1]
    )
    bound = await fake.wait_for_message(group_chat, lambda m: "terhubung" in (m.plain or ""))
    assert "Mawar 1" in (bound.plain or "")
