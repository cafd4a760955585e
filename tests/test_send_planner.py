"""The look-ahead planner on a virtual clock: every message inside its window, exactly once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from timekeeping.delivery_kinds import DeliveryKind
from timekeeping.send_planner import Pending, edf_order, must_send, plan_sends
from timekeeping.send_windows import DueMessage, Priority, window

WIB = ZoneInfo("Asia/Jakarta")
TICK = timedelta(seconds=10)  # the dispatcher's default interval (P2K2_DISPATCH_INTERVAL)
Key = tuple[int, int]  # (group, chat): chat 0 is the group chat, 1.. the members


def run(
    pending: Sequence[Pending[Key]], rate: float, tick: timedelta = TICK
) -> list[tuple[Key, datetime, Pending[Key]]]:
    """Drive the planner tick by tick on a virtual clock; each send at its slot in the tick."""
    left = {p.key: p for p in pending}
    now = min(p.start for p in pending)
    sent: list[tuple[Key, datetime, Pending[Key]]] = []
    while left:
        slot = 0
        for send in plan_sends(list(left.values()), now, rate, tick):
            for _ in range(send.count):
                sent.append((send.item.key, now + timedelta(seconds=slot / rate), send.item))
                slot += 1
            del left[send.item.key]
        assert slot <= rate * tick.total_seconds()
        now += tick
    return sent


def peak(windows: bool) -> list[Pending[Key]]:
    """340 groups (10,000 members) meeting at 11.00: 2-hour reminders due in one minute."""
    items: list[Pending[Key]] = []
    members = 0
    for group in range(340):
        meeting = datetime(2027, 3, 2, 11, 0, group % 60, tzinfo=WIB).astimezone(UTC)
        size = 10_000 // 340 + (1 if group < 10_000 % 340 else 0)
        members += size
        for chat in range(size + 1):
            offset = timedelta(hours=2)
            w = window(
                DueMessage(DeliveryKind.REMINDER, meeting - offset, chat > 0, meeting, offset), WIB
            )
            start = w.start if windows else w.due
            items.append(Pending((group, chat), start, w.due, w.due, w.priority))
    assert members == 10_000
    return items


def test_a_peak_of_10340_reminders_at_30_a_second_all_arrive_in_their_windows() -> None:
    items = peak(windows=True)
    sent = run(items, rate=30)
    counts = Counter(key for key, _, _ in sent)
    assert len(counts) == 10_340 and set(counts.values()) == {1}  # each exactly once
    assert all(item.start <= at <= item.deadline for _, at, item in sent)
    # It had to start early: 10,340 at 30/s take almost six minutes.
    assert min(at for _, at, _ in sent) < min(item.due for item in items) - timedelta(minutes=4)
    # Each group's chat hears it before any of its members.
    first: dict[int, datetime] = {}
    for (group, chat), at, _ in sent:
        if chat == 0:
            first[group] = at
        else:
            assert first[group] <= at


def test_without_windows_the_same_peak_ends_minutes_late() -> None:
    sent = run(peak(windows=False), rate=30)
    late = max((at - item.deadline) for _, at, item in sent)
    assert late > timedelta(minutes=4)


def test_nothing_goes_early_when_the_rate_carries_the_load() -> None:
    sent = run(peak(windows=True), rate=1_000)
    # At most one tick early: what falls due before the next wake-up goes in this one.
    assert all(item.due - TICK <= at <= item.deadline for _, at, item in sent)


def test_answers_go_first_even_in_the_middle_of_a_wave() -> None:
    now = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
    wave = [
        Pending((1, chat), now - timedelta(minutes=5), now, now + timedelta(hours=1), 2)
        for chat in range(1, 1000)
    ]
    answer = Pending((2, 1), now, now, now + timedelta(minutes=1), Priority.ANSWER)
    sends = plan_sends([*wave, answer], now, 30, TICK)
    assert sends[0].item is answer
    assert sum(s.count for s in sends) == 300


def test_urgent_reminders_go_before_summaries_and_announcements() -> None:
    now = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
    day = now + timedelta(hours=10)
    announcement = Pending(("a", 0), now, now, day, Priority.ANNOUNCEMENT, count=500)
    summary = Pending(("s", 0), now, now, day, Priority.SUMMARY, count=500)
    reminder = Pending(("r", 0), now, now, day, Priority.REMINDER_PRIVATE, count=500)
    sends = plan_sends([announcement, summary, reminder], now, 30, TICK)
    assert [(s.item.key, s.count) for s in sends] == [(("r", 0), 300)]


def test_a_message_never_goes_before_its_window_even_when_behind() -> None:
    now = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
    later = Pending("later", now + timedelta(minutes=1), now + timedelta(minutes=1), now, 1)
    assert plan_sends([later], now, 30, TICK) == []


def test_the_look_ahead_counts_what_the_rate_cannot_carry_later() -> None:
    now = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
    soon = Pending("soon", now, now, now + timedelta(seconds=20), 1, count=300)
    later = Pending("later", now, now, now + timedelta(seconds=40), 2, count=600)
    ordered = edf_order([later, soon])
    assert [p.key for p in ordered] == ["soon", "later"]
    # By +40 s, 900 are due; from +10 s the rate carries 900 - 30 * 30 = 0 more... exactly.
    assert must_send(ordered, now + TICK, rate=30) == 0
    assert must_send(ordered, now + TICK, rate=25) == 900 - 25 * 30
    assert must_send(ordered, now + timedelta(seconds=30), rate=30) == 900 - 30 * 10
