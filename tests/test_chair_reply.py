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


NOT_COUNTS = [
    "tgl 5",
    "tanggal 12 Desember",
    "12/12",
    "jam 9",
    "pukul 13.30",
    "jam sembilan pagi",
    "RT 03/RW 05",
    "rt 3 rw 5",
    "no HP 081234567890",
    "wa 0812-3456-7890",
    "+62 812 3456 7890",
    "Rp 50.000",
    "iuran 50rb",
    "kas 2 juta",
    "sesi 5",
    "modul 3",
    "pertemuan ke 4",
    "kelompok 2",
    "rumah no 17",
    "tahun 2026",
    "2 jam",
    "3 anak",
    "anak saya 2",
    "100 ribu",
    "NIK 3201234567890001",
]


@pytest.mark.parametrize("phrase", NOT_COUNTS)
def test_numbers_that_are_not_a_head_count(phrase: str) -> None:
    alone = read_reply(f"Sudah bu, {phrase}", 20, "id", today=TODAY)
    assert alone.attended is None and not alone.problems, alone
    with_count = read_reply(f"Sudah bu, {phrase}, yang hadir 7 orang", 20, "id", today=TODAY)
    assert with_count.attended == 7 and not with_count.problems, with_count


def test_several_messages_as_a_list_read_like_one_reply() -> None:
    reading = read_reply(["Sudah bu", "yg datang 10", "info sudah"], 15, "id", today=TODAY)
    assert (reading.outcome, reading.attended, reading.info_passed) == ("held", 10, True)
