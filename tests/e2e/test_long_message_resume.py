"""A long complaint reaches the facilitator whole, each part once: a 429 on part 3 resumes at
part 3; a chat that stays flood-limited ends in an outcome the facilitator sees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from simulator.emulator import FakeTelegram
from simulator.emulator.faults import FaultRule
from storage.db import SessionFactory
from storage.models import Delivery, DeliveryStatus
from tests.e2e.builders import group_with_chat
from tests.e2e.harness import Person, RunningBot
from timekeeping.clock import ManualClock
from timekeeping.rules import MAX_FLOOD_ATTEMPTS

HEADER = re.compile(r"^📨 Keluhan K-0001 · Mawar 1 \((\d+)/(\d+)\)")


@dataclass
class FromTheThirdSend(FaultRule):
    """429 for the chat's sends from the third one on (the first two pass)."""

    seen: int = 0

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        if not super().matches(method, chat_id):
            return False
        self.seen += 1
        return self.seen >= 3


def chunk(first_word: int, length: int) -> str:
    words = " ".join(f"kata{i}&<x>" for i in range(first_word, first_word + length // 5))
    return words[:length].strip().ljust(length, "a")  # Telegram trims the ends: none here


def complaint_chunks() -> list[str]:
    """Three messages that the draft joins (with a blank line) into 10,000 characters, full
    of the characters HTML must escape."""
    return [chunk(0, 4000), chunk(1000, 4000), chunk(2000, 1996)]


def complaint_text() -> str:
    return "\n\n".join(complaint_chunks())


async def file_long_complaint(member: Person, text: str) -> None:
    assert len(text) == 10_000
    categories = await member.says("/keluhan")
    await member.taps(categories, "Lainnya")
    for part in complaint_chunks():
        attach = await member.says(part)
    review = await member.taps(attach, "Lanjut")
    assert "10000 huruf" in (review.plain or "") or "10.000 huruf" in (review.plain or "")
    await member.taps(review, "Kirim keluhan")


def parts_seen(fake: FakeTelegram, chat_id: int) -> list[tuple[int, int, str]]:
    found = []
    for message in fake.messages(chat_id):
        match = HEADER.match(message.plain or "")
        if match:
            body = (message.plain or "").split("\n\n", 1)[1]
            found.append((int(match.group(1)), int(match.group(2)), body))
    return found


async def complaint_delivery(db: SessionFactory) -> Delivery:
    async with db.begin() as session:
        row = await session.scalar(select(Delivery).where(Delivery.kind == "complaint_new"))
        assert row is not None
        return row


async def dispatch_until(
    bot: RunningBot, db: SessionFactory, clock: ManualClock, status: DeliveryStatus, step: int
) -> Delivery:
    """Dispatcher ticks, the clock moving on between them, until the complaint is `status`.

    Ticks are not counted exactly: with Telegram's flood limits on, a part may also meet a
    real 429 and need another tick; what is asserted is what reached the chat."""
    for _ in range(3 * MAX_FLOOD_ATTEMPTS):
        await bot.dispatch()
        row = await complaint_delivery(db)
        if row.status is status:
            return row
        clock.advance(timedelta(seconds=step))
    raise AssertionError(f"the complaint never became {status}")


async def test_a_429_on_part_3_resumes_at_part_3_and_each_part_arrives_once(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    member, facilitator = Person(fake, setup.members[0]), Person(fake, setup.facilitator)
    await bot.dispatch()  # what setting up queued goes first
    text = complaint_text()
    await file_long_complaint(member, text)
    rule = FromTheThirdSend("429", "sendMessage", facilitator.chat.id, times=1, retry_after=5)
    fake._faults.add(rule)  # a fault fail_next cannot express

    await dispatch_until(bot, db, clock, DeliveryStatus.SENT, step=6)
    assert rule.times == 0  # the 429 on the third send did happen

    parts = parts_seen(fake, facilitator.chat.id)
    total = parts[0][1]
    assert total >= 3
    assert [i for i, _, _ in parts] == list(range(1, total + 1))  # each part once, in order
    # Measured as Telegram counts (after parsing, "&amp;" is one character): a part's HTML
    # may be well over 4096 characters while what people see is within the limit.
    sent_html = [
        m.text or "" for m in fake.messages(facilitator.chat) if HEADER.match(m.plain or "")
    ]
    assert max(len(html) for html in sent_html) > 4096
    assert all(len(m.plain or "") <= 4096 for m in fake.messages(facilitator.chat))
    assert total <= 4
    joined = "".join(body for _, _, body in parts)
    assert "".join(text.split()) in "".join(joined.split())


async def test_a_chat_that_stays_flood_limited_ends_failed_and_the_facilitator_is_told(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock
) -> None:
    setup = await group_with_chat(db, fake, clock)
    member, facilitator = Person(fake, setup.members[0]), Person(fake, setup.facilitator)
    await bot.dispatch()
    await file_long_complaint(member, complaint_text())
    rule = FromTheThirdSend("429", "sendMessage", facilitator.chat.id, times=10_000)
    fake._faults.add(rule)

    row = await dispatch_until(bot, db, clock, DeliveryStatus.FAILED, step=2)
    assert row.attempts == MAX_FLOOD_ATTEMPTS
    # The parts that went, went once; the retries tried the next part, never part 1 again.
    seen = parts_seen(fake, facilitator.chat.id)
    delivered = [i for i, _, _ in seen]
    parts_total = seen[0][1]
    assert delivered == list(range(1, len(delivered) + 1)) and len(delivered) < parts_total

    fake.clear_faults()
    clock.advance(timedelta(minutes=16))  # the notice waits until the flood is over

    def told() -> list[str]:
        texts = (m.plain or "" for m in fake.messages(facilitator.chat))
        return [text for text in texts if "berhenti dikirim" in text]

    for _ in range(5):
        await bot.dispatch()
        if told():
            break
        clock.advance(timedelta(seconds=5))
    assert len(told()) == 1
    assert f"Terkirim {len(delivered)} dari {parts_total} bagian" in told()[0]
    assert "/keluhan_masuk" in told()[0]
