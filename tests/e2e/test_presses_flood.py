"""Many members press at once on their groups' reminders: Telegram's flood limits must never
answer a group chat with 429 (what the presses benchmark saw: 4 to 5 of them in a full run).

The presses keep coming for 24 seconds of Telegram's time, one a second in every group, while
the dispatcher edits the counts; no group chat may be answered 429 (a short burst, then about
one message a second per chat, 20 a minute per group, as the fake enforces them, and 30 a
second in all).

What the benchmark saw (benchmarks/ANALYSIS-presses-2026-12-06.md): a press while its
message's count edit is on its way asks for a second edit, which must wait for a second after
Telegram's answer to the first. It took the dispatcher's slot and then waited, so the second
edits of many groups went together with the sends paced after them: over 30 in one second."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from simulator.emulator import FakeTelegram, SentMessage
from storage import meetings
from storage.db import SessionFactory
from tests.e2e.builders import GroupSetup, actor_for, group_with_chat
from tests.e2e.harness import RunningBot, TelegramTime
from timekeeping.clock import ManualClock

GROUPS = 3
MEMBERS = 10
SECONDS = 24
STEP = timedelta(seconds=1)


async def reminded_groups(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    groups: int = GROUPS,
    members: int = MEMBERS,
) -> list[tuple[GroupSetup, SentMessage]]:
    setups = []
    for index in range(groups):
        setup = await group_with_chat(
            db,
            fake,
            clock,
            name=f"Mawar {index + 1}",
            members=members,
            facilitator_id=500 + index,
            first_member_id=10_000 + 100 * index,
        )
        await meetings.schedule_meeting(
            db,
            await actor_for(db, setup.facilitator),
            group_id=setup.group.id,
            session_number=1,
            starts_at=clock.now() + timedelta(days=3, hours=1),
            venue="Balai RW",
            now=clock.now(),
            offsets=[timedelta(days=3)],
        )
        setups.append(setup)
    clock.advance(timedelta(hours=1, minutes=1))
    await bot.dispatch()
    reminded = []
    for setup in setups:
        message = fake.last_message(setup.chat)
        assert message is not None and message.buttons, "no group reminder with buttons"
        reminded.append((setup, message))
    return reminded


async def test_presses_in_many_groups_never_flood_a_group_chat(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    reminded = await reminded_groups(bot, fake, db, clock)
    chats = {setup.chat.id for setup, _ in reminded}
    presses = len(fake.calls_to("answerCallbackQuery"))
    for step in range(int(SECONDS / STEP.total_seconds())):
        for setup, message in reminded:
            member = setup.members[step % MEMBERS]
            yes, no = (data for _, data in message.buttons if data is not None)
            await fake.press(member, message, yes if step % 3 else no)
            presses += 1
        await fake.wait_for_call("answerCallbackQuery", count=presses, timeout=10)
        clock.advance(STEP)
        await bot.dispatch(follow_flood=False)
    for _ in range(10):
        clock.advance(timedelta(seconds=5))
        await bot.dispatch(follow_flood=False)
    await bot.settle()

    refused = [
        (call.method, call.chat_id)
        for call in fake.calls
        if call.status == 429 and call.chat_id is not None and int(call.chat_id) in chats
    ]
    assert refused == []
    edits = [c for c in fake.calls_to("editMessageText") if int(c.chat_id or 0) in chats]
    assert len(edits) >= GROUPS * 4  # the counts were edited all along, not once at the end


# Groups whose second count edits wait at once: more than Telegram's 30 messages a second.
FOLLOWED = 40


async def press_in_every_group(
    fake: FakeTelegram, reminded: list[tuple[GroupSetup, SentMessage]], member: int
) -> None:
    answered = len(fake.calls_to("answerCallbackQuery")) + len(reminded)
    for setup, message in reminded:
        yes = next(data for _, data in message.buttons if data is not None)
        await fake.press(setup.members[member], message, yes)
    await fake.wait_for_call("answerCallbackQuery", count=answered, timeout=20)


async def drive(
    telegram_time: TelegramTime, done: Callable[[], bool], still_to_go: Callable[[], int]
) -> None:
    """With Telegram's time held: move it on whenever every send still to go waits for it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while not done():
        if telegram_time.waiting and telegram_time.waiting >= still_to_go():
            telegram_time.jump()
        assert loop.time() < deadline, f"{still_to_go()} sends still to go"
        await asyncio.sleep(0)


async def test_second_count_edits_waiting_at_once_never_flood_telegram(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    telegram_time: TelegramTime,
) -> None:
    """Presses come in every group while the count edits are on their way (Telegram answers
    them late, as a busy machine reads its answers late): each message gets a second edit,
    due a second after the answer to its first. Those 40 edits wait at once; they must still
    reach Telegram at the dispatcher's pace, under 30 a second, with no 429.

    Telegram's time (the dispatcher's pacer runs on it here) is held and moved on only once
    every edit still to go waits for it (for the pacer or for its chat's gap), so what
    overlaps is decided by the bot's waits, not by how fast this machine composes."""
    reminded = await reminded_groups(bot, fake, db, clock, groups=FOLLOWED, members=2)
    # What is measured starts here. The 40 reminders above go out on the machine's time, as
    # the pacer lets them; on a starved machine they can reach the fake bunched, as a slow
    # network would bunch them, and the dispatcher sends a refused one again (follow_flood).
    measured_from = len(fake.calls)
    clock.advance(timedelta(seconds=10))
    bot.pace_in_telegram_time = True
    await bot.restart()
    await press_in_every_group(fake, reminded, member=0)
    edits = fake.calls_to
    before = len(edits("editMessageText"))
    telegram_time.hold()
    try:
        late = fake.hold_replies("editMessageText")
        first_edits = asyncio.create_task(bot.dispatch(follow_flood=False))
        sent = lambda: len(edits("editMessageText")) - before  # noqa: E731
        await drive(telegram_time, lambda: sent() >= FOLLOWED, lambda: FOLLOWED - sent())
        clock.advance(timedelta(seconds=5))
        await press_in_every_group(fake, reminded, member=1)  # each edit still on its way
        late.set()
        await first_edits
        before = len(edits("editMessageText"))
        second_edits = asyncio.create_task(bot.dispatch(follow_flood=False))
        await drive(telegram_time, second_edits.done, lambda: FOLLOWED - sent())
        await second_edits
    finally:
        telegram_time.release()

    second = edits("editMessageText")[before:]
    assert len(second) == FOLLOWED
    chats = {setup.chat.id for setup, _ in reminded}
    refused = [
        (call.method, call.chat_id)
        for call in fake.calls[measured_from:]
        if call.status == 429 and call.chat_id is not None and int(call.chat_id) in chats
    ]
    assert refused == []
    # Reaching Telegram (answered or not), never more than 30 in any second.
    times = sorted(call.at for call in second)
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) <= 30
