"""Invites and joining, at the storage level, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import groups, joining, people, roster
from storage.actors import Actor, TelegramUser
from storage.db import SessionFactory
from storage.errors import NotAllowed
from storage.groups import invites
from storage.groups.invites import InviteError, InviteProblem
from storage.joining import Asked, onboarding
from storage.models import InviteKind, StaffRole
from storage.roster.roster_file import RosterRow
from tests.joins import join_added
from timekeeping.clock import ManualClock

TTL = timedelta(days=14)


async def person(db: SessionFactory, telegram_id: int, name: str) -> Actor:
    actor, _ = await people.identify(
        db, TelegramUser(telegram_id, name, "id"), (), "id", private_chat=True
    )
    return actor


async def facilitator(db: SessionFactory, telegram_id: int = 100) -> Actor:
    await people.add_staff(db, telegram_id, "Bu Pendamping", StaffRole.FACILITATOR)
    return await person(db, telegram_id, "Bu Pendamping")


async def test_token_is_long_random_and_url_safe(db: SessionFactory, clock: ManualClock) -> None:
    owner = await facilitator(db)
    links = await groups.create_group(
        db,
        owner,
        name="Mawar 1",
        village=None,
        venue=None,
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=TTL,
    )
    tokens = set(links.tokens.values())
    assert len(tokens) == 3
    for token in tokens:
        assert len(token) >= 22 and invites.looks_like_token(token)  # >= 128 bits


async def test_expired_revoked_used_and_forged_invites_are_refused(
    db: SessionFactory, clock: ManualClock
) -> None:
    owner = await facilitator(db)
    links = await groups.create_group(
        db,
        owner,
        name="Melati",
        village="Sukamaju",
        venue=None,
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=TTL,
    )
    chair_token = links.tokens[InviteKind.CHAIR]
    first = await person(db, 201, "Siti")
    joined = await join_added(db, first, chair_token, "Siti Aminah", owner, clock.now())
    assert joined.as_chair

    second = await person(db, 202, "Rina")
    with pytest.raises(InviteError) as used:
        await onboarding.open_join(db, second, chair_token, clock.now())
    assert used.value.problem is InviteProblem.USED_UP

    with pytest.raises(InviteError) as forged:
        await onboarding.open_join(db, second, "A" * 32, clock.now())
    assert forged.value.problem is InviteProblem.UNKNOWN

    member_token = links.tokens[InviteKind.MEMBER]
    clock.advance(TTL + timedelta(seconds=1))
    with pytest.raises(InviteError) as expired:
        await onboarding.open_join(db, second, member_token, clock.now())
    assert expired.value.problem is InviteProblem.EXPIRED

    renewed = await groups.renew_links(db, owner, links.group.id, clock.now(), TTL)
    with pytest.raises(InviteError) as revoked:
        await onboarding.open_join(db, second, member_token, clock.now())
    assert revoked.value.problem in (InviteProblem.REVOKED, InviteProblem.EXPIRED)
    assert renewed.tokens[InviteKind.MEMBER] != member_token


async def test_member_picks_name_from_roster_and_cannot_take_a_taken_name(
    db: SessionFactory, clock: ManualClock
) -> None:
    owner = await facilitator(db)
    links = await groups.create_group(
        db,
        owner,
        name="Anggrek",
        village=None,
        venue=None,
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=TTL,
    )
    gid = links.group.id
    rows = [
        RosterRow(i + 2, name, None, None, False)
        for i, name in enumerate(["Siti Aminah", "Nur'aini", "Dewi <b>Lestari</b>"])
    ]
    summary = await roster.import_rows(db, owner, gid, rows)
    assert (summary.added, summary.updated) == (3, 0)

    token = links.tokens[InviteKind.MEMBER]
    rina = await person(db, 301, "Rina")
    found = await joining.search(db, rina, token, "nur", clock.now())
    assert [c.label for c in found.choices] == ["Nur'aini"]
    target = found.choices[0].member_id
    step = await joining.choose(db, rina, token, target, clock.now())
    assert step.asked is Asked.FACILITATOR  # no number on the line, no chair yet
    answered = await joining.answer(db, owner, step.request_id, True, clock.now())
    assert answered.joined is not None and answered.joined.member.person_id == rina.person_id

    other = await person(db, 302, "Ani")
    with pytest.raises(joining.NameTaken):
        await joining.choose(db, other, token, target, clock.now())

    again = await roster.import_rows(db, owner, gid, rows)
    assert (again.added, again.updated) == (0, 3)


async def test_members_cannot_manage_groups(db: SessionFactory, clock: ManualClock) -> None:
    owner = await facilitator(db)
    links = await groups.create_group(
        db,
        owner,
        name="Kenanga",
        village=None,
        venue=None,
        timezone="Asia/Jakarta",
        now=clock.now(),
        ttl=TTL,
    )
    stranger = await person(db, 400, "Orang Lain")
    with pytest.raises(NotAllowed):
        await groups.create_group(
            db,
            stranger,
            name="X",
            village=None,
            venue=None,
            timezone="Asia/Jakarta",
            now=clock.now(),
            ttl=TTL,
        )
    with pytest.raises(NotAllowed):
        await groups.group_links(db, stranger, links.group.id, clock.now(), TTL)
    other_facilitator = await facilitator(db, 101)
    with pytest.raises(NotAllowed):
        await roster.list_members(db, other_facilitator, links.group.id)
