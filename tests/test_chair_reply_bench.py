"""The chairs' reader benchmark scores what the bot would record and ask, field by field."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from benchmarks import chair_replies
from benchmarks.chair_replies import Item, Verdict, load_sealed, measure, score
from benchmarks.common import Options
from language.chair_reply import Outcome, read_reply


def _item(text: str, held: Outcome | None, count: int | None, passed_on: bool | None) -> Item:
    return Item("t", [text], 20, held, count, passed_on)


def _score(
    text: str, held: Outcome | None, count: int | None, passed_on: bool | None
) -> dict[str, Verdict]:
    item = _item(text, held, count, passed_on)
    return score(read_reply(item.messages, item.roster, "id"), item)


def test_right_asked_wrong_and_invented() -> None:
    assert _score("Pertemuan sudah terlaksana, hadir 9 orang", "held", 9, None) == {
        "held": "right",
        "count": "right",
        "passed_on": "asked_expected",  # she did not say: asking is right, but it is asking
    }
    assert _score("Pertemuan sudah terlaksana, hadir 9 orang", "held", 8, True) == {
        "held": "right",
        "count": "wrong",
        "passed_on": "asked_missed",
    }
    assert _score("Pertemuan sudah terlaksana, hadir 9 orang", None, None, None)["held"] == (
        "invented"
    )


def test_no_count_is_asked_of_a_meeting_not_held() -> None:
    verdicts = _score("Pertemuannya dibatalkan bu", "not_held", None, None)
    assert verdicts["count"] == "right"
    # Left to be asked, and the true answer is "not held": the count is never asked either.
    assert _score("Bu, maaf baru balas", "not_held", None, None)["count"] == "right"
    assert _score("Bu, maaf baru balas", "held", None, None)["count"] == "asked_expected"


def test_replies_recorded_wrongly_and_asked_are_counted_per_reply() -> None:
    tally = measure(
        [
            _item(
                "Pertemuan sudah terlaksana, hadir 9 orang, info sudah disampaikan", "held", 9, True
            ),
            _item("Pertemuan sudah terlaksana, hadir 9 orang", "held", 7, None),
        ]
    )
    assert (tally.replies, tally.recorded_wrongly, tally.asked, tally.all_right) == (2, 1, 1, 1)


def test_the_sealed_format_is_mapped_to_the_readers_values(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "x", "roster": 12, "held": "yes", "count": 10, "estimate": False,
         "passed_on": "yes"},
        {"id": "b", "text": "x", "roster": 12, "held": " Moved", "count": None, "estimate": False,
         "passed_on": "unknown"},
        {"id": "c", "text": "x", "roster": 12, "held": "yes", "count": 10, "estimate": True,
         "passed_on": "no"},
        {"id": "d", "text": "x", "roster": 12, "held": "no", "count": None, "estimate": False,
         "passed_on": "no"},
        {"id": "e", "text": "x", "roster": 12, "held": "unknown", "count": None,
         "estimate": False, "passed_on": "no"},
    ]  # fmt: skip
    path = tmp_path / "sealed.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    items = load_sealed(path)
    assert [(i.held, i.count, i.passed_on) for i in items] == [
        ("held", 10, True),
        ("postponed", None, None),
        ("held", None, False),  # an estimate is not a count to record: the bot asks
        ("not_held", None, False),
        (None, None, False),
    ]


@pytest.mark.parametrize(
    "change", [{"held": "cancelled"}, {"passed_on": True}, {"count": "10"}, {"estimate": "no"}]
)
def test_a_label_outside_the_format_stops_the_run(
    tmp_path: Path, change: dict[str, object]
) -> None:
    row = {"id": "a", "text": "x", "roster": 12, "held": "yes", "count": 10, "estimate": False,
           "passed_on": "yes"} | change  # fmt: skip
    path = tmp_path / "sealed.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ValueError):
        load_sealed(path)


def _write_set(path: Path) -> Path:
    row = {"id": 1, "text": "Pertemuan sudah terlaksana, hadir 9 orang", "roster": 20,
           "held": "yes", "count": 9, "estimate": False, "passed_on": "unknown"}  # fmt: skip
    path.write_text(json.dumps(row) + "\n")
    return path


def test_the_opened_set_keeps_its_rows_and_the_new_sealed_set_is_not_measured_when_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chair_replies, "SEALED", tmp_path / "absent.jsonl")
    monkeypatch.setattr(chair_replies, "OPENED", _write_set(tmp_path / "opened.jsonl"))
    monkeypatch.setattr(chair_replies, "DEVELOPMENT", tmp_path / "absent.yaml")
    rows = asyncio.run(chair_replies.run(Options()))
    sealed = [r for r in rows if r.name.startswith("sealed")]
    assert [(r.value, r.note.startswith("not measured")) for r in sealed] == [(None, True)]
    opened = [r for r in rows if r.name.startswith(chair_replies.OPENED_LABEL)]
    wrongly = opened[0]
    assert (wrongly.target, wrongly.passed, wrongly.ratio) == ("0", True, "0 of 1")
    assert any(r.name.endswith("count wrong + invented") and r.target == "0" for r in opened)


def test_chair_sealed_names_the_sealed_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chair_replies, "SEALED", tmp_path / "absent.jsonl")
    monkeypatch.setattr(chair_replies, "OPENED", tmp_path / "absent too.jsonl")
    monkeypatch.setattr(chair_replies, "DEVELOPMENT", tmp_path / "absent.yaml")
    given = _write_set(tmp_path / "given.jsonl")
    rows = asyncio.run(chair_replies.run(Options(chair_sealed=given)))
    first = rows[0]
    assert first.name.startswith("sealed: replies recorded wrongly") and "given.jsonl" in first.note
