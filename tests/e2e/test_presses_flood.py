"""Many members press at once on their groups' reminders: Telegram's flood limits must never
answer a group chat with 429 (what the presses benchmark saw: 4 to 5 of them in a full run).

The presses keep coming for 24 seconds of Telegram's time, one a second in every group, while
the dispatcher edits the counts; no group chat may be answered 429 (a short burst, then about
one message a second per chat, 20 a minute per group, as the fake enforces them)."""

from __future__ import annotations

from datetime import timedelta

from simulator.emulator import FakeTelegram, SentMessage
from storage import meetings
from storage.db import SessionFactory
from tests.e2e.builders import GroupSetup, actor_for, group_with_chat
from tests.e2e.harness import RunningBot
from timekeeping.clock import ManualClock

GROUPS = 3
MEMBERS = 10
SECONDS = 24
STEP = timedelta(seconds=1)


async def reminded_groups(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> list[tuple[GroupSetup, SentMessage]]:
    setups = []
    for index in range(GROUPS):
        setup = await group_with_chat(
            db,
            fake,
            clock,
            name=f"Mawar {index + 1}",
            members=MEMBERS,
            facilitator_id=500 + index,
            first_member_id=1000 + 100 * index,
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
