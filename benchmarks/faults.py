"""Through faults: the broadcast with 5% of sends answered 5xx and 2% timing out.

Nothing may be lost; the only duplicates allowed are sends that timed out after the emulator
had delivered them (the bot cannot know those arrived). Backoffs of 15 s and more are
skipped over with a clock that jumps, so the run takes a few minutes, not an hour."""

from __future__ import annotations

from benchmarks.broadcast import Outcome, dispatcher_broadcast
from benchmarks.common import Options, Result, log

BENCH = "faults"


def results(kind: str, outcome: Outcome) -> list[Result]:
    return [
        Result(
            BENCH,
            "nothing lost",
            kind,
            outcome.delivered,
            "count",
            f"= {outcome.chats:,} chats",
            not outcome.missing,
            f"{outcome.delivered / outcome.chats:.3f}",
            f"{outcome.errors_5xx} × 5xx and {outcome.timeouts} timeouts injected"
            f" on {outcome.sends:,} sends",
        ),
        Result(
            BENCH,
            "duplicates not explained by a timed-out delivered send",
            kind,
            outcome.unexplained_extra,
            "count",
            "= 0",
            outcome.unexplained_extra == 0,
            "",
            f"{outcome.extra} duplicates in all, each after a timeout of a delivered send"
            if outcome.unexplained_extra == 0
            else f"{outcome.extra} duplicates in all",
        ),
        Result(
            BENCH,
            "rate through faults (first to last send)",
            kind,
            outcome.rate,
            "msg/s",
            "no target",
            None,
            "",
            f"{outcome.elapsed:.0f} s wall clock, backoffs skipped; {outcome.status[429]} × 429",
        ),
    ]


async def run(options: Options) -> list[Result]:
    found: list[Result] = []
    for kind in options.engines:
        outcome = await dispatcher_broadcast(kind, options, faults=True)
        log(
            f"faults {kind}: {len(outcome.missing)} missing, {outcome.extra} extra "
            f"({outcome.unexplained_extra} unexplained)"
        )
        found += results(kind, outcome)
    return found
