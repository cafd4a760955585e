"""The one-use chair link makes exactly one person chair, once, through an empty roster line
or the line the facilitator marked as chair; members cannot use it on their own line."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from simulator.emulator import FakeTelegram
from storage import groups, roster
from storage.db import SessionFactory
from storage.models import Group, Invite, InviteKind, Member
from storage.roster.roster_file import RosterRow
from tests.e2e.builders import group_with_chat
from tests.e2e.conftest import PeopleFactory
from tests.e2e.harness import Person, RunningBot, join_and_be_confirmed
from tests.e2e.test_permissions import STALE, press
from timekeeping.clock import ManualClock


async def chair_state(db: SessionFactory, group_id: int) -> tuple[int | None, int]:
    async with db.begin() as session:
        group = await session.get_one(Group, group_id)
        uses = await session.scalar(
            select(Invite.uses).where(
                Invite.group_id == group_id,
                Invite.kind == InviteKind.CHAIR,
                Invite.revoked_at.is_(None),
            )
        )
        return group.chair_member_id, int(uses or 0)


# The chair link's own refusal, or the stale-button answer to a name she was never shown.
REFUSED = ("hanya untuk nama yang belum dipakai", "tidak berlaku lagi")


async def line_of(db: SessionFactory, group_id: int, name: str) -> int:
    async with db.begin() as session:
        found = await session.scalar(
            select(Member.id).where(Member.group_id == group_id, Member.name == name)
        )
        assert found is not None
        return found


async def test_members_cannot_reuse_the_chair_link_and_it_works_once(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    people: PeopleFactory,
) -> None:
    setup = await group_with_chat(db, fake, clock)
    gid = setup.group.id
    await roster.import_rows(
        db, setup.facilitator_actor, gid, [RosterRow(2, "Calon Ketua", None, None, False)]
    )
    # "Ganti semua link": a fresh chair link.
    links = await groups.renew_links(
        db, setup.facilitator_actor, gid, clock.now(), timedelta(days=14)
    )
    token = links.tokens[InviteKind.CHAIR]
    before = await chair_state(db, gid)
    assert before == (None, 0)

    # Two members already on the roster open it and press a crafted button for their own line.
    for user in setup.members[:2]:
        member = Person(fake, user)
        offer = await member.says(f"/start {token}")
        own_line = await line_of(db, gid, f"{user.first_name} KPM")
        refused = await press(fake, member, offer, f"jp:{own_line}")
        # A name the bot did not show her is a forged button; her own line is refused too.
        assert any(reason in refused.text for reason in REFUSED)
        assert await chair_state(db, gid) == before
        # Nor by the empty line, or by a new line under a typed name.
        empty = await line_of(db, gid, "Calon Ketua")
        refused = await press(fake, member, offer, f"jp:{empty}")
        assert any(reason in refused.text for reason in REFUSED)
        typed = await member.says("Nama Baru Saya")  # a search of the roster, not a new line
        assert "bergabung" not in (typed.plain or "")
        assert await chair_state(db, gid) == before

    # A stranger picks the empty line: she is the chair, and the link is used.
    # A stranger picks the empty line: the facilitator confirms her, she is the chair, and
    # the link is used (her full name alone no longer makes her anyone).
    newcomer = people("Calon", "Ketua")
    empty = await line_of(db, gid, "Calon Ketua")
    facilitator = Person(fake, setup.facilitator)
    welcome = await join_and_be_confirmed(bot, newcomer, token, "Calon Ketua", facilitator)
    assert "ketua" in (welcome.plain or "")
    assert await chair_state(db, gid) == (empty, 1)

    # Nobody else can use it again, with the link or with a crafted button.
    late = people("Orang", "Lain")
    again = await late.says(f"/start {token}")
    assert "sudah dipakai" in (again.plain or "")
    forged = await press(fake, late, again, f"jp:{empty}")
    assert STALE in forged.text
    assert await chair_state(db, gid) == (empty, 1)
