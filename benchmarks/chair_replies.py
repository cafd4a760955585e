"""How well the bot understands chairs' replies in words, field by field.

Three sets of replies, each reply with what a careful person would record from it:
- the sealed set, benchmarks/data/chair_replies_sealed_2.jsonl (or the path given with
  --chair-sealed): written by someone who never saw the reader or its tests, committed before
  it was first run (2026-12-06 at 5ff94d797a: 9 of 252 replies recorded wrongly); every run
  since shows only its counts, and its failures are never read, so the reader is never tuned
  on it; when present its figures come first and its sha256 is in the notes (absent: a "not
  measured" row says so);
- the opened set, benchmarks/data/chair_replies_sealed.jsonl: the first sealed set, run once
  on 2026-12-06 (8 of 253 replies recorded wrongly) and opened after that run: the reader was
  then fixed on its failures, so its figures since flatter the reader; its target stays 0;
- the development set, benchmarks/data/chair_replies_development.yaml: written without the
  reader, but the reader was tuned while measured on it, so its figures flatter the reader.

Each reply is scored on three fields: held (held / not held / moved), count (how many came)
and passed_on (was the facilitator's information passed on). Per field the reader is
- right: it gave the expected value (or, for the count of a meeting not held, nothing, and
  the bot asks nothing);
- asked: it gave nothing, so the bot asks the chair. "asked (expected)" when nothing could be
  recorded (the expected value is itself unknown: the question is right, but still a question
  to the chair); "asked (missed)" when the reply said it and the reader did not get it;
- wrong: it gave a value other than the expected one;
- invented: it gave a value where none should be recorded (expected unknown, or only an
  estimate of the count, which the bot must not record as the count).
Per reply: recorded wrongly (any field wrong or invented; the target is none, because a
wrong value is recorded without the chair being asked) and asked (the bot asks her anything:
a field left empty or a problem raised, such as two different counts).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from benchmarks.common import Options, Result, log, not_measured
from benchmarks.duplicates import NEAR, examples_in_tests, near_duplicates
from language.chair_reply import Outcome, Reading, read_reply

BENCH = "chair_replies"
DATA = Path(__file__).parent / "data"
DEVELOPMENT = DATA / "chair_replies_development.yaml"
SEALED = DATA / "chair_replies_sealed_2.jsonl"  # sealed: counted, its failures never read
OPENED = DATA / "chair_replies_sealed.jsonl"  # the first sealed set, opened after its one run
OPENED_LABEL = "opened sealed set (run once 2026-12-06: 8 of 253 recorded wrongly; read since)"
FIELDS = ("held", "count", "passed_on")
Verdict = Literal["right", "asked_expected", "asked_missed", "wrong", "invented"]
VERDICTS: tuple[Verdict, ...] = ("right", "asked_expected", "asked_missed", "wrong", "invented")

_HELD: dict[str, Outcome | None] = {
    "yes": "held",
    "no": "not_held",
    "moved": "postponed",
    "unknown": None,
}
_PASSED_ON: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}


@dataclass(frozen=True)
class Item:
    """One reply and what should be recorded from it (None: nothing; the bot must ask)."""

    id: str
    messages: list[str]
    roster: int
    held: Outcome | None
    count: int | None  # None also when she gave only an estimate: the bot asks the number
    passed_on: bool | None


def _messages(text: str) -> list[str]:
    return [part for part in text.split("\n---\n") if part.strip()]


def load_development(path: Path = DEVELOPMENT) -> list[Item]:
    raw: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Item(
            id=f"dev-{index:03d}",
            messages=_messages(entry["text"]),
            roster=int(entry["roster"]),
            held=entry["expect"]["outcome"],
            count=entry["expect"]["attended"],
            passed_on=entry["expect"]["info_passed"],
        )
        for index, entry in enumerate(raw, start=1)
    ]


def load_sealed(path: Path) -> list[Item]:
    """JSON Lines: id, text, roster, held (yes/no/moved/unknown), count (int or null),
    estimate (bool), passed_on (yes/no/unknown). A label outside these stops the run: a
    guessed mapping would make the figure a guess."""
    items: list[Item] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        entry = json.loads(line)
        held, passed_on = (
            str(entry["held"]).strip().lower(),
            str(entry["passed_on"]).strip().lower(),
        )
        count, estimate = entry.get("count"), entry.get("estimate", False)
        if held not in _HELD or passed_on not in _PASSED_ON:
            raise ValueError(f"{path.name} line {number}: held={held!r} passed_on={passed_on!r}")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            raise ValueError(f"{path.name} line {number}: count={count!r}")
        if not isinstance(estimate, bool):
            raise ValueError(f"{path.name} line {number}: estimate={estimate!r}")
        items.append(
            Item(
                id=str(entry["id"]),
                messages=_messages(str(entry["text"])),
                roster=int(entry["roster"]),
                held=_HELD[held],
                count=None if estimate else count,
                passed_on=_PASSED_ON[passed_on],
            )
        )
    return items


def _value_verdict(got: object, wanted: object) -> Verdict:
    if got is None:
        return "asked_expected" if wanted is None else "asked_missed"
    if wanted is None:
        return "invented"
    return "right" if got == wanted else "wrong"


def _count_verdict(reading: Reading, item: Item) -> Verdict:
    """The count is asked only of a meeting that took place: when the reader records a
    meeting not held (or moved), or leaves the outcome to be asked and the true answer is
    "not held", no count is asked or recorded, and that is right when none was said."""
    if reading.attended is not None:
        return _value_verdict(reading.attended, item.count)
    outcome = reading.outcome if reading.outcome is not None else item.held
    if outcome in ("not_held", "postponed"):
        return "right" if item.count is None else "asked_missed"
    return _value_verdict(None, item.count)


def score(reading: Reading, item: Item) -> dict[str, Verdict]:
    return {
        "held": _value_verdict(reading.outcome, item.held),
        "count": _count_verdict(reading, item),
        "passed_on": _value_verdict(reading.info_passed, item.passed_on),
    }


@dataclass
class Tally:
    replies: int = 0
    recorded_wrongly: int = 0
    asked: int = 0
    all_right: int = 0  # every field right and nothing asked

    def __post_init__(self) -> None:
        self.fields: dict[str, Counter[Verdict]] = {name: Counter() for name in FIELDS}


def measure(items: list[Item]) -> Tally:
    tally = Tally()
    for item in items:
        reading = read_reply(item.messages, item.roster, "id")
        verdicts = score(reading, item)
        tally.replies += 1
        for name, verdict in verdicts.items():
            tally.fields[name][verdict] += 1
        bad = [name for name, v in verdicts.items() if v in ("wrong", "invented")]
        asked = bool(reading.problems) or any(v.startswith("asked") for v in verdicts.values())
        tally.recorded_wrongly += bool(bad)
        tally.asked += asked
        tally.all_right += not bad and not asked
        if bad:
            log(f"RECORDED WRONGLY {item.id} {bad}: {item.messages!r} -> {reading}")
        elif asked:
            log(f"asked {item.id}: {item.messages!r} -> {reading}")
    return tally


def results(tally: Tally, label: str, note: str) -> list[Result]:
    total = tally.replies

    def share(n: int) -> float:
        return 100 * n / total if total else 0.0

    rows = [
        Result(
            BENCH, f"{label}: replies recorded wrongly (a field wrong or invented)", "—",
            share(tally.recorded_wrongly), "%", "0", tally.recorded_wrongly == 0,
            ratio=f"{tally.recorded_wrongly} of {total}", note=note,
        ),
        Result(
            BENCH, f"{label}: replies where the bot asks anything", "—", share(tally.asked),
            "%", "no target", None, ratio=f"{tally.asked} of {total}",
        ),
        Result(
            BENCH, f"{label}: replies fully right, nothing asked", "—", share(tally.all_right),
            "%", "no target", None, ratio=f"{tally.all_right} of {total}",
        ),
    ]  # fmt: skip
    for name in FIELDS:
        counts = tally.fields[name]
        bad = counts["wrong"] + counts["invented"]
        rows += [
            Result(
                BENCH, f"{label}: {name} right", "—", share(counts["right"]), "%", "no target",
                None, ratio=f"{counts['right']} of {total}",
            ),
            Result(
                BENCH, f"{label}: {name} asked (expected)", "—", share(counts["asked_expected"]),
                "%", "no target", None, ratio=f"{counts['asked_expected']} of {total}",
                note="nothing to record: asking is right, but it is a question to the chair",
            ),
            Result(
                BENCH, f"{label}: {name} asked (missed)", "—", share(counts["asked_missed"]),
                "%", "no target", None, ratio=f"{counts['asked_missed']} of {total}",
                note="she said it; the reader did not get it",
            ),
            Result(
                BENCH, f"{label}: {name} wrong + invented", "—", float(bad), "count", "0",
                bad == 0, ratio=f"{bad} of {total}",
                note=f"wrong {counts['wrong']}, invented {counts['invented']}",
            ),
        ]  # fmt: skip
    return rows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _held_out(path: Path, label: str, what: str, how: str) -> list[Result]:
    """The rows of a held-out set: its figures, then without replies worded like a test."""
    items = load_sealed(path)
    note = f"{len(items)} {what} ({path.name}, sha256 {sha256(path)}); {how}"
    log(f"== {label} {path}")
    rows = results(measure(items), label, note)
    # Short, formulaic replies ("yang hadir 18 orang bu") can match a test's wording by
    # chance: the author never saw the tests. The figure without them is given beside.
    examples = examples_in_tests()
    fresh = [i for i in items if not near_duplicates(["\n---\n".join(i.messages)], examples)]
    tally = measure(fresh)
    rows.append(
        Result(
            BENCH, f"{label}, without replies worded like a test example: recorded wrongly",
            "—", 100 * tally.recorded_wrongly / max(tally.replies, 1), "%", "0",
            tally.recorded_wrongly == 0,
            ratio=f"{tally.recorded_wrongly} of {tally.replies}",
            note=f"{len(items) - len(fresh)} of {len(items)} replies are within"
            f" {NEAR:.0f} of a string in the tests (benchmarks/duplicates.py); asks"
            f" anything in {tally.asked} of {tally.replies}",
        )
    )  # fmt: skip
    return rows


async def run(options: Options) -> list[Result]:
    rows: list[Result] = []
    sealed = options.chair_sealed or (SEALED if SEALED.exists() else None)
    if sealed is not None:
        how = (
            "written without the reader or its tests; failures never read"
            " (first run 2026-12-06 at 5ff94d797a: 9 of 252)"
        )
        rows += _held_out(sealed, "sealed", "sealed held-out replies", how)
    else:
        why = f"benchmarks/data/{SEALED.name} is not there yet"
        rows.append(not_measured(BENCH, "sealed: replies recorded wrongly", "—", "0", why))
    if OPENED.exists() and (sealed is None or sealed.resolve() != OPENED.resolve()):
        how = (
            "opened after its one run; the reader was then fixed on its failures, so this"
            " flatters it"
        )
        rows += _held_out(OPENED, OPENED_LABEL, "replies of the first sealed set", how)
    if not DEVELOPMENT.exists():
        why = f"benchmarks/data/{DEVELOPMENT.name} is missing"
        rows.append(
            Result(BENCH, "development: replies recorded wrongly", "—", None, "", "0", None,
                   note=why)
        )  # fmt: skip
        return rows
    items = load_development()
    note = (
        f"{len(items)} development replies ({DEVELOPMENT.name}): the reader was tuned on them,"
        " so this flatters it"
    )
    log("== development set")
    return rows + results(measure(items), "development", note)
