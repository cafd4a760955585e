"""What the bot keeps for its whole life is set aside from the garbage collector's full passes.

A full pass (generation 2) walks every object the collector tracks. Once started, the bot
holds about 240,000 of them (the libraries, the handlers, SQLAlchemy's mappers and compiled
statements), nearly all kept until the process ends, and each full pass walked them all: during
a paid broadcast one came every second or two and stopped the sends for 50 to 100 ms, 1.1 s
of 16 s of sending (benchmarks/paid.py, 2026-12-06). `gc.freeze()` moves the objects tracked
now out of every later pass, so a pause walks only what was made since
(https://docs.python.org/3/library/gc.html#gc.freeze)."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Call once the application has started: start-up's garbage is collected first, so
    only what lives on is set aside (objects without cycles are still freed as usual)."""
    gc.collect()
    gc.freeze()
