"""A group upgraded to a supergroup, then joined by a new member: every reminder, the summary,
the recap and each quiz poll reach the group once (issue 11), in the supergroup from then on."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus, Group
from tests.e2e.harness import Person, RunningBot, join_and_be_confirmed
from tests.e2e.test_meetings import schedule_with_buttons, set_up_group
from tests.e2e.test_reminders import MEETING, REMINDER, tick_at
from timekeeping.clock import ManualClock

GROUP_KINDS = ("reminder", "summary", "recap", "quiz")


async def group_chat_id(db: SessionFactory) -> int | None:
    async with db.begin() as session:
        return await session.scalar(select(Group.chat_id).where(Group.name == "Mawar 1"))


async def sent_to_the_group(db: SessionFactory, chats: set[int]) -> Counter[tuple[object, ...]]:
    """How often each purpose (kind, meeting, offset or quiz index) was sent to the group."""
    async with db.begin() as session:
        rows = await session.scalars(
            select(Delivery).where(
                Delivery.chat_id.in_(chats),
                Delivery.kind.in_(GROUP_KINDS),
                Delivery.status == DeliveryStatus.SENT,
            )
        )
        return Counter(
            (
                row.kind,
                row.meeting_id,
                (row.payload or {}).get("offset"),
                (row.payload or {}).get("index"),
            )
            for row in rows
        )


def reminders_in(messages: list[SentMessage]) -> list[SentMessage]:
    return [m for m in messages if REMINDER in (m.plain or "")]


async def test_upgrade_then_a_join_sends_everything_once_per_group(
    bot: RunningBot,
    fake: FakeTelegram,
    coordinator: Person,
    people: object,
    clock: ManualClock,
    db: SessionFactory,
) -> None:
    cast = await set_up_group(bot, fake, coordinator, people)
    await schedule_with_buttons(cast.facilitator)
    await tick_at(bot, clock, MEETING - timedelta(days=3))
    assert len(reminders_in(fake.messages(cast.chat))) == 1

    # Telegram upgrades the group; the bot follows it to the new id.
    supergroup = await fake.migrate_group(cast.chat, cast.facilitator.user)
    for _ in range(50):
        if await group_chat_id(db) == supergroup.id:
            break
        await bot.settle()
    assert await group_chat_id(db) == supergroup.id

    # Then a new member joins, which plans the group's coming meeting again.
    links = await cast.facilitator.says("/kelompok")
    group_screen = await cast.facilitator.taps(links, "Mawar 1")
    link_screen = await cast.facilitator.taps(group_screen, "Link undangan")
    token = (link_screen.plain or "").split("?start=")[1].split()[0]
    late = people("Wati")  # type: ignore[operator]
    await join_and_be_confirmed(bot, late, token, "Wati Susanti", cast.facilitator)
    await bot.dispatch()  # the replan

    for moment in (
        MEETING - timedelta(days=1),
        MEETING - timedelta(hours=2),
        MEETING + timedelta(hours=3),
        MEETING + timedelta(hours=4),
    ):
        await tick_at(bot, clock, moment)
        await bot.dispatch()

    sent = await sent_to_the_group(db, {cast.chat.id, supergroup.id})
    assert sent and all(count == 1 for count in sent.values()), sent
    kinds = Counter(kind for kind, *_ in sent)
    assert kinds["reminder"] == 3 and kinds["summary"] == 1 and kinds["recap"] == 1
    assert kinds["quiz"] >= 1

    # What the chats show: the first reminder in the old group, everything after it once in
    # the supergroup, and nothing sent twice.
    old, new = fake.messages(cast.chat), fake.messages(supergroup)
    assert len(reminders_in(old)) == 1 and len(reminders_in(new)) == 2
    polls = [m.poll["question"] for m in old + new if m.poll is not None]
    assert len(polls) == kinds["quiz"] and len(set(polls)) == len(polls)
    dispatched = [m for m in new if m.method in ("sendMessage", "sendPoll")]
    assert len(dispatched) == kinds["reminder"] - 1 + kinds["summary"] + kinds["recap"] + len(polls)
    # The late member gets her own reminders from the join on: once each.
    assert len(reminders_in(fake.messages(late.user))) == 2
