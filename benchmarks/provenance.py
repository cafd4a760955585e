"""Which commit each section of RESULTS.md was measured on, and whether the code it measures
has changed since: a figure is only worth quoting for the code it was measured on.

Every section carries a line "Measured on commit `abc1234567` at <date>". When the file is
written (and with `python -m benchmarks --status`), a section whose code changed after that
commit, or that has no such line, gets a "Stale" line, and the headline counts only the
targets of sections measured on the current code; the capacity plan is a model, not a
measurement, and is counted apart."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a benchmark of the running bot measures: the application's floors and its settings.
APPLICATION = (
    "bot",
    "handlers",
    "scheduler",
    "views",
    "storage",
    "language",
    "config",
    "timekeeping",
    "content",
    "simulator",
    "pyproject.toml",
    "devdata/seed.py",  # the data most benchmarks run on
)
MEASURES: dict[str, tuple[str, ...]] = {
    "rollup": (*APPLICATION, "devdata/areas.py", "benchmarks/rollup.py", "benchmarks/common.py"),
    "chair_replies": ("language", "benchmarks/chair_replies.py", "benchmarks/data"),
    "capacity": (
        "timekeeping",
        "config",
        "benchmarks/capacity.py",
        "benchmarks/capacity_plot.py",
    ),
}
MODELS = frozenset({"capacity"})  # computed from a model of the month, not measured

STAMP = re.compile(r"^Measured on commit `([0-9a-f]{7,40})`[^\n]*$", re.MULTILINE)
STALE = re.compile(r"^\*\*Stale\*\*[^\n]*\n\n?", re.MULTILINE)
VERDICT = re.compile(r"\| \*\*(PASS|FAIL|not measured)\*\* \|")
TARGETS_LINE = re.compile(r"^\*\*(?:Measured|\d+ of \d+ targets met)[^\n]*$", re.MULTILINE)


@dataclass(frozen=True)
class Commit:
    sha: str
    dirty: bool  # uncommitted changes in what a benchmark measures


def measured_paths(bench: str) -> tuple[str, ...]:
    return MEASURES.get(bench, (*APPLICATION, f"benchmarks/{bench}.py", "benchmarks/common.py"))


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def head() -> Commit | None:
    """The commit the code on disk is at (None outside a git checkout)."""
    found = _git("rev-parse", "HEAD")
    if found.returncode != 0:
        return None
    # The run's own outputs (RESULTS.md, the capacity charts) are not what it measures.
    outputs = (":(exclude)benchmarks/*.md", ":(exclude)benchmarks/*.png")
    code = (*APPLICATION, "devdata", "benchmarks", *outputs)
    dirty = _git("diff", "--quiet", "HEAD", "--", *code).returncode != 0
    return Commit(found.stdout.strip(), dirty)


def stamp(commit: Commit | None, when: str) -> str:
    if commit is None:
        return f"Measured on commit `0000000` (not a git checkout) at {when}."
    dirty = " with uncommitted changes" if commit.dirty else ""
    return f"Measured on commit `{commit.sha[:10]}`{dirty} at {when}."


def changed_since(sha: str, bench: str) -> bool:
    """Whether the code `bench` measures differs now from what it was at `sha`."""
    paths = measured_paths(bench)
    return _git("diff", "--quiet", sha, "--", *paths).returncode != 0


def mark_stale(text: str, titles: dict[str, str]) -> str:
    """Each section's Stale line, from its stamp and the code as it is now."""
    bench_of = {f"## {title}": bench for bench, title in titles.items()}
    parts = re.split(r"(?m)^(?=## )", text)
    out = []
    for part in parts:
        heading = part.split("\n", 1)[0]
        bench = bench_of.get(heading)
        if bench is None:
            out.append(part)
            continue
        part = STALE.sub("", part)
        found = STAMP.search(part)
        reason = None
        if found is None:
            reason = "measured before sections recorded their commit"
        elif changed_since(found.group(1), bench):
            reason = (
                f"the code it measures changed after `{found.group(1)}`"
                f" (git diff {found.group(1)} -- {' '.join(measured_paths(bench)[:3])} ...)"
            )
        if reason is not None:
            line = f"**Stale**: {reason}; measure again with `python -m benchmarks --only {bench}`."
            head_end = part.index("\n") + 1
            rest = part[head_end:].lstrip("\n")
            part = f"{heading}\n\n{line}\n\n{rest}"
        out.append(part)
    return "".join(out)


def headline(text: str, titles: dict[str, str]) -> str:
    """The counts of targets: measured on the current code, stale, and the model's apart."""
    bench_of = {f"## {title}": bench for bench, title in titles.items()}
    counts = {"current": [0, 0, 0], "stale": [0, 0, 0], "model": [0, 0, 0]}
    for part in re.split(r"(?m)^(?=## )", text):
        bench = bench_of.get(part.split("\n", 1)[0])
        if bench is None:
            continue
        kind = "model" if bench in MODELS else "stale" if STALE.search(part) else "current"
        if bench in MODELS and STALE.search(part):
            kind = "model"  # a stale model is still reported as the model's own count
        for verdict in VERDICT.findall(part):
            index = ("PASS", "FAIL", "not measured").index(verdict)
            counts[kind][index] += 1
    passed, failed, absent = counts["current"]
    stale = sum(counts["stale"][:2])
    model_passed, model_failed, _ = counts["model"]
    line = f"**Measured on the current code: {passed} of {passed + failed} targets met**"
    line += f"; {failed} missed" if failed else ""
    line += f"; {absent} not measured" if absent else ""
    line += f". Stale sections hold {stale} more targets, not counted." if stale else "."
    line += (
        f" Model (capacity plan, not a measurement): {model_passed} of"
        f" {model_passed + model_failed} targets met."
    )
    if TARGETS_LINE.search(text):
        return TARGETS_LINE.sub(line, text, count=1)
    return text
