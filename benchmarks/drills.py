"""drills (being written)."""

from __future__ import annotations

from benchmarks.common import Options, Result


async def run(options: Options) -> list[Result]:
    return []
