"""Which pending messages to send in the next tick: earliest deadline first, early only
when the load ahead needs it, never before a window opens.

The dispatcher wakes every few seconds with a budget of `rate * tick` sends. Answers to
people go first, always. Then a look-ahead: lay every pending message (whether its window
is open or not) as late as its deadline allows at `rate`; whatever that schedule cannot fit
after this tick must go in it. Those go first, earliest deadline first (group copies before
private copies of the same reminder, by priority). What budget is left goes to messages
whose nominal time has come, by priority. Nothing goes before its window opens, so a wave
that needs more than the rest of its window starts early within it.

When even that cannot meet every deadline (more due than the rate can carry), the earliest
deadlines still go first and the lateness spreads over what follows; the priorities decide
only among equal deadlines and among what is merely due.

An item may stand for `count` identical messages (same window and priority), so a capacity
model can plan millions of messages in aggregated buckets with the same function. Pure."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from timekeeping.send_windows import Priority

K = TypeVar("K")


@dataclass(frozen=True)
class Pending(Generic[K]):
    key: K
    start: datetime  # never before
    due: datetime  # the nominal time: goes then when nothing presses
    deadline: datetime  # never after, if the rate allows
    priority: int
    count: int = 1


@dataclass(frozen=True)
class Send(Generic[K]):
    item: Pending[K]
    count: int


def edf_order(pending: Iterable[Pending[K]]) -> list[Pending[K]]:
    """Earliest deadline first; on a tie the higher priority (the group chat's copy)."""
    return sorted(pending, key=lambda p: (p.deadline, p.priority, p.due))


def must_send(ordered: Sequence[Pending[K]], horizon: datetime, rate: float) -> int:
    """How many of the first messages in EDF order must go before `horizon` so that all the
    rest can still meet their deadlines at `rate` a second from then on.

    The same as laying everything as late as possible and counting what falls before the
    horizon: for each deadline D, what is due by D beyond what the rate carries from the
    horizon to D must already be gone."""
    needed = 0.0
    cumulative = 0
    total = sum(item.count for item in ordered)
    for item in ordered:
        cumulative += item.count
        carried = (item.deadline - horizon).total_seconds() * rate
        if carried >= total:
            break  # the rate carries everything from here on: nothing more can press
        needed = max(needed, cumulative - max(carried, 0.0))
    return math.ceil(needed - 1e-9)


def _idle(items: Sequence[Pending[K]], now: datetime, horizon: datetime, rate: float) -> bool:
    """Nothing due yet and the rate carries all of it by the first deadline: no need to sort
    (the dispatcher asks every few seconds, mostly to hear that). One pass: a wave holds
    thousands of items and this runs every tick."""
    first = None
    total = 0
    for p in items:
        if p.due <= now:
            return False
        if first is None or p.deadline < first:
            first = p.deadline
        total += p.count
    return first is None or (first - horizon).total_seconds() * rate >= total


def plan_sends(
    pending: Iterable[Pending[K]], now: datetime, rate: float, tick: timedelta
) -> list[Send[K]]:
    """What to send between `now` and `now + tick`, in sending order, at most rate * tick."""
    budget = int(rate * tick.total_seconds())
    items = list(pending)
    sends: list[Send[K]] = []
    taken: dict[int, int] = {}

    def take(item: Pending[K], wanted: int) -> None:
        nonlocal budget
        count = min(wanted - taken.get(id(item), 0), budget)
        if count > 0:
            sends.append(Send(item, count))
            taken[id(item)] = taken.get(id(item), 0) + count
            budget -= count

    answer = int(Priority.ANSWER)  # a plain int: an enum member looked up per item is slow
    answers: list[Pending[K]] = []
    rest: list[Pending[K]] = []
    for p in items:
        if p.priority != answer:
            rest.append(p)
        elif p.start <= now:
            answers.append(p)
    for item in sorted(answers, key=lambda p: (p.due, p.deadline)):
        take(item, item.count)
    if not rest or _idle(rest, now, now + tick, rate):
        return sends
    ordered = edf_order(rest)
    forced = must_send(ordered, now + tick, rate)
    for item in ordered:
        if forced <= 0 or budget <= 0:
            break
        if item.start <= now:  # one whose window is still shut cannot help, however late
            take(item, min(item.count, forced))
        forced -= item.count
    ready = [p for p in ordered if p.due <= now and p.start <= now]
    for item in sorted(ready, key=lambda p: (p.priority, p.deadline, p.due)):
        take(item, item.count)
    return sends
