"""`make bench` / `python -m benchmarks [--quick] [--only broadcast,scale] [--engines sqlite]`.

Runs the benchmarks against the Bot API emulator on SQLite and PostgreSQL and writes
benchmarks/RESULTS.md (or --out): every figure with its target, pass or fail, the ratio to
the limit or baseline, the date, the machine and the databases. With --only, the sections of
the benchmarks that ran replace theirs in the existing file and the rest is kept as it was,
so one benchmark can be re-measured without discarding the others' figures. Every section says
the commit it was measured on; one whose code changed since is marked stale and left out of
the headline's count (benchmarks/provenance.py). `--status` only re-marks and recounts."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import re
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path

from benchmarks import (
    broadcast,
    capacity_plot,
    chair_replies,
    drills,
    faults,
    paid,
    peak,
    presses,
    provenance,
    rollup,
    scale,
)
from benchmarks.common import ENGINES, Options, Result, log, machine, postgres_available

BENCHES: dict[str, Callable[[Options], Awaitable[list[Result]]]] = {
    "broadcast": broadcast.run,
    "faults": faults.run,
    "peak": peak.run,
    "presses": presses.run,
    "scale": scale.run,
    "drills": drills.run,
    "capacity": capacity_plot.run,
    "chair_replies": chair_replies.run,
    "paid": paid.run,
    "rollup": rollup.run,
}
TITLES = {
    "broadcast": "Broadcast: a reminder to group and private chats",
    "faults": "Through faults: the same broadcast with 5% 5xx and 2% timeouts",
    "peak": "Peak: 10,000 private and 340 group reminders due in the same minute",
    "presses": "Burst of RSVP presses",
    "scale": "Scale: a province on one server",
    "drills": "Fault drills",
    "capacity": "Capacity plan: a month for a city, a province and the country (a model)",
    "chair_replies": (
        "Chairs' replies in words, field by field (sealed set, opened set, development set)"
    ),
    "paid": "Paid broadcast: one announcement to 400 groups and 14,000 members at 1,000/s",
    "rollup": "Roll-up by area: a province and the country, six months, on PostgreSQL",
}
# A section still under its former title is replaced, not left beside the new one.
FORMER_TITLES = {
    "chair_replies": (
        "Chairs' replies in words, on a held-out set",
        "Chairs' replies in words, field by field (sealed set, development set)",
    )
}


def parse(argv: list[str]) -> tuple[Options, Path]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="reduced sizes, for development")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(BENCHES)}")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "RESULTS.md")
    parser.add_argument(
        "--status", action="store_true", help="only mark stale sections and recount targets"
    )
    parser.add_argument(
        "--chair-sealed",
        type=Path,
        default=None,
        help="the sealed set of chairs' replies (JSON Lines); default: "
        "benchmarks/data/chair_replies_sealed_2.jsonl when it exists",
    )
    args = parser.parse_args(argv)
    only = tuple(name for name in args.only.split(",") if name)
    unknown = set(only) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    engines = tuple(name for name in args.engines.split(",") if name)
    options = Options(
        quick=args.quick,
        engines=engines,
        only=only,
        status=args.status,
        chair_sealed=args.chair_sealed,
    )
    return options, args.out


def render(
    results: list[Result],
    about: dict[str, str],
    options: Options,
    seconds: float,
    crashed: list[str],
) -> str:
    lines = ["# P2K2 benchmark results", ""]
    mode = "quick (reduced sizes; not the issue's targets)" if options.quick else "full"
    lines.append(f"Run: {mode}, `python -m benchmarks`, {seconds / 60:.1f} minutes.")
    lines.append("")
    for key, value in about.items():
        lines.append(f"- **{key}**: {value}")
    lines.append("")
    lines.append("**Measured on the current code: (counted below)**")
    lines.append("")
    lines += sections(results, provenance.stamp(provenance.head(), about.get("date", "")))
    if crashed:
        lines += ["## Benchmarks that crashed", ""]
        for text in crashed:
            lines += ["```", text.strip(), "```", ""]
    return finish("\n".join(lines))


def finish(text: str) -> str:
    """Stale sections marked and the targets counted, from the file as it is now."""
    return provenance.headline(provenance.mark_stale(text, TITLES), TITLES)


def sections(results: list[Result], measured_on: str = "") -> list[str]:
    """One "## title" section with its table per benchmark that has results."""
    lines: list[str] = []
    for bench in BENCHES:
        rows = [r for r in results if r.bench == bench]
        if not rows:
            continue
        lines += [f"## {TITLES[bench]}", ""]
        if measured_on:
            lines += [measured_on, ""]
        lines.append("| figure | database | measured | target | result | ratio | notes |")
        lines.append("|---|---|---|---|---|---|---|")
        for r in rows:
            note = r.note.replace("|", "/")
            lines.append(
                f"| {r.name} | {r.database} | {r.shown()} | {r.target} | **{r.verdict}** "
                f"| {r.ratio} | {note} |"
            )
        lines.append("")
    return lines


def merge(existing: str, results: list[Result], about: dict[str, str]) -> str:
    """The existing results with the sections of the benchmarks in `results` replaced."""
    when = provenance.stamp(provenance.head(), about.get("date", ""))
    for bench in dict.fromkeys(r.bench for r in results):
        fresh = "\n".join(sections([r for r in results if r.bench == bench], when)) + "\n"
        heading = f"## {TITLES[bench]}\n"
        start = existing.find(heading)
        for former in FORMER_TITLES.get(bench, ()):
            if start < 0:
                heading = f"## {former}\n"
                start = existing.find(heading)
        if start < 0:
            existing = existing.rstrip("\n") + "\n\n" + fresh
            continue
        end = existing.find("\n## ", start + len(heading))
        existing = existing[:start] + fresh + (existing[end + 1 :] if end >= 0 else "")
    for bench in dict.fromkeys(r.bench for r in results):
        # A crash of an earlier run is history once the benchmark has been measured again.
        existing = re.sub(rf"```\n{bench}:\n.*?```\n\n?", "", existing, flags=re.DOTALL)
    existing = re.sub(r"## Benchmarks that crashed\n\n(?=## |\Z)", "", existing)
    return finish(existing)


async def main(argv: list[str]) -> int:
    options, out = parse(argv)
    if options.status:
        out.write_text(finish(out.read_text()))
        log(f"marked and recounted {out}")
        return 0
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # The dispatcher logs every retry at INFO; the benchmarks provoke thousands of them.
    logging.getLogger("scheduler.dispatcher").setLevel(logging.WARNING)
    # With max_retries=0 (the bot's setting) every 429 is logged at ERROR with a traceback.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    if "postgresql" in options.engines and not await postgres_available(options):
        log(f"PostgreSQL unreachable at {options.postgres_url}: SQLite only")
        options.engines = tuple(e for e in options.engines if e != "postgresql")
    about = await machine(options)
    started = time.monotonic()
    results: list[Result] = []
    crashed: list[str] = []
    for name, bench in BENCHES.items():
        if options.only and name not in options.only:
            continue
        log(f"== {name}")
        try:
            results += await bench(options)
        except Exception:
            crashed.append(f"{name}:\n{traceback.format_exc()}")
            log(f"{name} crashed:\n{traceback.format_exc()}")
        # A section's apps set their start-up objects aside (bot/heap.py, as `p2k2 run`
        # does); given back to the collector here, so no section keeps the last one's.
        gc.unfreeze()
        gc.collect()
    seconds = time.monotonic() - started
    if options.only and out.exists() and not crashed:
        out.write_text(merge(out.read_text(), results, about))
    else:
        out.write_text(render(results, about, options, seconds, crashed))
    for r in results:
        log(
            f"{r.verdict:>12}  {r.bench}/{r.name} [{r.database}]: {r.shown()} ({r.target}) {r.note}"
        )
    log(f"wrote {out}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
