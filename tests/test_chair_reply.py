"""The reader of chairs' replies against a table of realistic replies (tests/data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from language.chair_reply import Reading, read_reply

TODAY = date(2026, 11, 30)  # a Monday
TABLE: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "chair_replies.yaml").read_text()
)


def _read(item: dict[str, Any]) -> Reading:
    return read_reply(item["text"].split("\n---\n"), item["roster"], "id", today=TODAY)


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 100


@pytest.mark.parametrize("item", TABLE, ids=[item["text"][:60] for item in TABLE])
def test_reply(item: dict[str, Any]) -> None:
    expect = item["expect"]
    reading = _read(item)
    got = {
        "outcome": reading.outcome,
        "attended": reading.attended,
        "info_passed": reading.info_passed,
    }
    wanted = {key: expect[key] for key in got}
    for flag in ("everyone", "inexact_count", "cancelled_or_moved"):
        got[flag], wanted[flag] = getattr(reading, flag), expect.get(flag, False)
    if "postponed_to" in expect:
        got["postponed_to"], wanted["postponed_to"] = reading.postponed_to, expect["postponed_to"]
    got["problems"] = sorted(p.code for p in reading.problems)
    wanted["problems"] = sorted(expect.get("problems", []))
    assert got == wanted, reading
    if "note" in expect:
        if expect["note"] == "":
            assert reading.note == ""
        else:
            assert expect["note"].lower() in reading.note.lower()
